"""Counting the SQL statements a piece of code sends, to prove a list costs the same at any length."""
from contextlib import contextmanager

from sqlalchemy import event

from backend.extensions import db


@contextmanager
def count_queries():
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
