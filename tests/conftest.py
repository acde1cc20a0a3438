"""Fixtures: a fresh database per test (SQLite file, or PostgreSQL when TEST_ON_POSTGRES=1).

Under pytest-xdist each worker has its own SQLite files and PostgreSQL database (`<name>_gw0`, ...)."""
import os
import shutil

import psycopg
import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.engine import make_url

from backend import create_app
from backend.extensions import db
from backend.search import logs as search_logs
from tests import factories

ON_POSTGRES = os.environ.get("TEST_ON_POSTGRES") == "1"
PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if WORKER:
    PG_URL = make_url(PG_URL).set(database=f"{make_url(PG_URL).database}_{WORKER}").render_as_string(
        hide_password=False)
TEST_CONFIG = {
    "TESTING": True,
    "RATELIMIT_ENABLED": False,
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    "SESSION_COOKIE_SECURE": False,
}


class ApiClient(FlaskClient):
    """A test client that echoes the CSRF cookie in the header on writes, as the PWA does.

    Each request runs in its own app context, as in production: its own `g` and database session.
    The test's session commits first, so the request may write and the test then reads fresh rows.
    """
    csrf = True

    def open(self, *args, **kwargs):
        if has_app_context():  # the test's own context, not a racing thread
            db.session.commit()
        with self.application.app_context():
            return self._open(*args, **kwargs)

    def _open(self, *args, **kwargs):
        method = kwargs.get("method") or (args[0].method if args and hasattr(args[0], "method") else "GET")
        if self.csrf and method.upper() in {"POST", "PUT", "PATCH", "DELETE"}:
            if self.get_cookie("csrf_token") is None:
                super().open("/api/v1/auth/csrf")
            headers = dict(kwargs.pop("headers", None) or {})
            headers.setdefault("X-CSRF-Token", self.get_cookie("csrf_token").value)
            kwargs["headers"] = headers
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """Build the schema once; each test then gets a copy (SQLite) or emptied tables (PostgreSQL)."""
    if ON_POSTGRES:
        if WORKER:
            _create_database(PG_URL)
        app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": PG_URL})
        with app.app_context():
            db.drop_all()
            db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
            db.session.commit()
            db.create_all()
            db.engine.dispose()
        return PG_URL
    path = tmp_path_factory.mktemp("template") / "template.db"
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    return path


def _create_database(url: str) -> None:
    url = make_url(url)
    with psycopg.connect(url.set(drivername="postgresql", database="postgres").render_as_string(
            hide_password=False), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (url.database,)).fetchone():
            conn.execute(f'CREATE DATABASE "{url.database}"')


def _empty_postgres():
    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.session.commit()


@pytest.fixture
def database_url(database_template, tmp_path):
    if ON_POSTGRES:
        return PG_URL
    path = tmp_path / "test.db"
    shutil.copy(database_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, "FILES_FOLDER": str(tmp_path / "files")})
    app.test_client_class = ApiClient
    with app.app_context():
        if ON_POSTGRES:
            _empty_postgres()
        yield app
        search_logs.flush()  # no search's log row may land in the next test's database
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_client(app):
    """More clients: one per person or device in a scenario."""
    return app.test_client


@pytest.fixture
def community(app):
    return factories.create_community()


@pytest.fixture
def other_community(app):
    return factories.create_community(name="对面社区")


@pytest.fixture
def staff(community):
    return factories.create_user(community, role="staff", title="居委会主任")


@pytest.fixture
def resident(community):
    return factories.create_resident(community)


@pytest.fixture
def staff_client(make_client, staff):
    return factories.logged_in(make_client(), staff)


@pytest.fixture
def resident_client(make_client, resident):
    return factories.logged_in(make_client(), resident)
