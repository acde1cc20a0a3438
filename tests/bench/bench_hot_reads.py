"""CPU per request of the reads every open app repeats (who am I, the notice list, the unread count, the
count answered 304), against a bare "hello JSON" Flask app, all in process through the test client.

    .venv/bin/python -m tests.bench.bench_hot_reads [--requests 2000] [--homes 3] [--notices 40]

A resident with --homes verified homes and --notices notices (a third read) on a SQLite file. Prints
microseconds of process CPU per request, SQL statements per request and the ratio to hello.
"""
import argparse
import tempfile
import time
from pathlib import Path

from backend import create_app
from backend.accounts.models import Residency
from backend.common.models import utcnow
from backend.extensions import db
from backend.notices.models import NoticeRecipient
from tests import factories
from tests.bench.hello_app import app as hello_app
from tests.conftest import TEST_CONFIG, ApiClient
from tests.notice_factories import create_notice
from tests.querycount import count_queries


def populate(homes: int, notices: int):
    community = factories.create_community()
    staff = factories.create_user(community, role="staff")
    user = factories.create_resident(community)
    for _ in range(homes - 1):
        db.session.add(Residency(user=user, community_id=community.id, dwelling=factories.create_dwelling(community),
                                 relation="owner", status="verified", verified_at=utcnow()))
    db.session.commit()
    for n in range(notices):
        create_notice(community, staff, title=f"通知 {n}")
    db.session.execute(NoticeRecipient.__table__.update().where(NoticeRecipient.notice_id % 3 == 0)
                       .values(read_at=utcnow()))
    db.session.commit()
    return community.id, user


def cpu_per_request(client, url: str, n: int, headers: dict | None = None, status: int = 200) -> float:
    for _ in range(20):  # warm up
        assert client.get(url, headers=headers).status_code == status
    start = time.process_time()
    for _ in range(n):
        client.get(url, headers=headers)
    return (time.process_time() - start) / n * 1e6


def statements(app, client, url: str, headers: dict | None = None) -> int:
    with app.app_context(), count_queries() as seen:
        client.get(url, headers=headers)
    return len([s for s in seen if not s.strip().upper().startswith("BEGIN")])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--homes", type=int, default=3)
    parser.add_argument("--notices", type=int, default=40)
    opts = parser.parse_args()
    path = Path(tempfile.mkdtemp()) / "bench.db"
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    app.test_client_class = ApiClient
    with app.app_context():
        db.create_all()
        cid, user = populate(opts.homes, opts.notices)
        client = factories.logged_in(app.test_client(), user)
    count = f"/api/v1/communities/{cid}/notices/unread-count"
    cases = [("GET /auth/me", "/api/v1/auth/me", None, 200),
             ("GET notices (20)", f"/api/v1/communities/{cid}/notices", None, 200),
             ("GET unread-count", count, None, 200)]
    if tag := client.get(count).headers.get("ETag"):
        cases.append(("  same, 304", count, {"If-None-Match": tag}, 304))
    hello = cpu_per_request(hello_app.test_client(), "/hello", opts.requests)
    print(f"{opts.requests} requests each, in process, SQLite; {opts.homes} homes, {opts.notices} notices")
    print(f"{'hello JSON':18} {hello:8.0f} µs CPU/request")
    for name, url, headers, status in cases:
        cpu = cpu_per_request(client, url, opts.requests, headers, status)
        sql = statements(app, client, url, headers)
        print(f"{name:18} {cpu:8.0f} µs CPU/request  {sql} SQL statements  {cpu / hello:5.1f}× hello")


if __name__ == "__main__":
    main()
