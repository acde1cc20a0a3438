"""Database set-up that differs by engine: SQLite pragmas and write transactions."""
from collections import namedtuple
from functools import wraps

from flask import g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

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
    """For views that only read, or write one row that commits itself, and are asked for by every open app: what
    they read through `fetch` (the principal included: outermost) runs on a connection of their own, outside any
    transaction, while the session has none open. That saves the session's transaction around them (on PostgreSQL
    two round trips of the four of a hot read) and its cost on every request. Under READ COMMITTED each statement
    sees its own snapshot anyway; a write goes through the session as usual and commits itself."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        g.reads_alone = True
        try:
            return view(*args, **kwargs)
        finally:
            g.reads_alone = False
            if (reader := g.pop("reader", None)) is not None:
                _give_back(reader)
    return wrapper


@event.listens_for(Session, "after_begin")
def _connected(session, transaction, _connection):
    """Which of the session's transactions has a connection: what it wrote is seen only through that one."""
    session.info["connected"] = transaction


def _session_connected() -> bool:
    """Whether this request's session has a transaction under way on a connection (without making a session)."""
    if not db.session.registry.has():
        return False
    session = db.session()
    current = session.get_transaction()
    return current is not None and session.info.get("connected") is current


def _reader():
    reader = g.get("reader")
    if reader is None:
        dbapi = db.engine.dialect.loaded_dbapi
        try:
            reader = g.reader = db.engine.raw_connection()  # SQLite's are in autocommit already (BEGIN is ours)
        except dbapi.Error as err:  # as SQLAlchemy raises a connection that failed
            raise DBAPIError.instance(None, None, err, dbapi.Error, dialect=db.engine.dialect) from err
        if is_postgres():
            reader.driver_connection.autocommit = True
    return reader


def _give_back(reader) -> None:
    try:
        if is_postgres():
            reader.driver_connection.autocommit = False  # as the pool's other users expect it
    except Exception:  # broken: not given to the next request (the answer, already made, stands)
        reader.invalidate()
    finally:
        reader.close()


def is_postgres() -> bool:
    return db.engine.dialect.name == "postgresql"


def upsert(table):
    """INSERT that knows ON CONFLICT, for the engine in use (both spell it the same way)."""
    return postgresql.insert(table) if is_postgres() else sqlite.insert(table)


class Rows(list):
    """Rows as named tuples, with the statement's column names in order (`keys`)."""
    keys: tuple


class _Prepared:
    """A statement compiled once for a dialect: its SQL, how its parameters are laid out and how its values are
    converted each way, so that running it is the driver's work alone."""

    def __init__(self, stmt, dialect):
        compiled = stmt.compile(dialect=dialect)
        if compiled.escaped_bind_names or any(b.expanding for b in compiled.binds.values()):
            raise ValueError("fetch() takes plainly named, single-valued parameters")
        self.sql = compiled.string
        self.defaults = compiled.construct_params(_check=False)
        self.order = compiled.positiontup if dialect.positional else None
        binds = {name: b.type.dialect_impl(dialect).bind_processor(dialect) for name, b in compiled.binds.items()}
        self.binds = [(name, process) for name, process in binds.items() if process is not None]
        self.types = [c.type.dialect_impl(dialect) for c in stmt.selected_columns]
        self.dialect, self.results = dialect, None
        self.keys = tuple(c.key for c in stmt.selected_columns)
        self.row = namedtuple("Row", self.keys, rename=True)

    def run(self, driver, params: dict) -> Rows:
        values = {**self.defaults, **params}
        for name, process in self.binds:
            values[name] = process(values[name])
        cursor = driver.execute(self.sql, values if self.order is None else [values[n] for n in self.order])
        found = cursor.fetchall()
        if self.results is None:  # as SQLAlchemy does, by the types the driver says it gave
            results = [t.result_processor(self.dialect, d[1]) for t, d in zip(self.types, cursor.description)]
            self.results = [(i, process) for i, process in enumerate(results) if process is not None]
        if self.results:
            found = [list(row) for row in found]
            for row in found:
                for i, process in self.results:
                    row[i] = process(row[i])
        rows = Rows(map(self.row._make, found))
        rows.keys = self.keys
        return rows


_prepared: dict = {}


def fetch(stmt, params: dict) -> Rows:
    """The rows of a statement built once (module-level or cached), run by the driver itself: on the view's own
    connection (see `without_transaction`), or on the session's when it has a transaction under way there, whose
    writes only it sees. For the reads every open app repeats: SQLAlchemy's execution of a statement costs several
    times the driver's, and more than the query on SQLite. Statements built per call go through the session."""
    if g.get("reads_alone") and not _session_connected():
        connection, watched = _reader(), db.engine
        driver, dialect = connection.driver_connection, watched.dialect
    else:
        connection = watched = db.session.connection()
        driver, dialect = connection.connection.driver_connection, connection.dialect
    key = (stmt, dialect.name)
    prepared = _prepared.get(key)
    if prepared is None:
        if len(_prepared) >= 256:  # only statements built once belong here; this bounds a mistake
            _prepared.clear()
        prepared = _prepared[key] = _Prepared(stmt, dialect)
    for listener in watched.dispatch.before_cursor_execute:  # what watches statements sees these too
        listener(None, None, prepared.sql, params, None, False)
    try:
        return prepared.run(driver, params)
    except dialect.loaded_dbapi.Error as err:
        if dialect.is_disconnect(err, driver, None) and connection is g.get("reader"):
            # The server went away (a restart): this one and every connection the pool holds are gone, as
            # SQLAlchemy does on a disconnect it sees.
            g.pop("reader").invalidate()
            db.engine.dispose()
        # As SQLAlchemy would raise it (a value out of range is a DataError, answered 422).
        raise DBAPIError.instance(prepared.sql, params, err, dialect.loaded_dbapi.Error, dialect=dialect) from err
