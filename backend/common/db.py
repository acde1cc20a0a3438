"""Database set-up that differs by engine: SQLite pragmas and write transactions."""
from functools import wraps

from flask import g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite

from backend.extensions import db

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _wants_write() -> bool:
    # Outside a request (worker, CLI, tests) every transaction may write.
    if not has_request_context():
        return True
    return request.method in WRITE_METHODS or g.get("sqlite_write", False)


def configure_sqlite(engine) -> None:
    """Foreign keys on, WAL, and BEGIN IMMEDIATE for writes so they queue instead of failing."""
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # On the driver's connection: through SQLAlchemy's execution it would cost as much as a query.
        conn.connection.driver_connection.execute("BEGIN IMMEDIATE" if _wants_write() else "BEGIN")


def begin_write() -> None:
    """Call before writing from a GET request: SQLite then restarts the transaction as a writer."""
    if db.engine.dialect.name == "sqlite" and not _wants_write():
        g.sqlite_write = True
        db.session.commit()


def without_transaction(view):
    """For views that only read, or write one row that commits itself: on PostgreSQL their statements run
    without a transaction around them, which saves two round trips (BEGIN and ROLLBACK) of the four of a hot read.
    Under READ COMMITTED each statement sees its own snapshot anyway. Outermost, so the principal is read so too."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        if is_postgres():
            db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        return view(*args, **kwargs)
    return wrapper


def is_postgres() -> bool:
    return db.engine.dialect.name == "postgresql"


def upsert(table):
    """INSERT that knows ON CONFLICT, for the engine in use (both spell it the same way)."""
    return postgresql.insert(table) if is_postgres() else sqlite.insert(table)
