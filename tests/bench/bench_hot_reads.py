"""CPU per request of the reads every open app repeats (who am I, the notice list, the unread count and
its 304, one notice, the facilities), against a bare "hello JSON" Flask app.

    .venv/bin/python -m tests.bench.bench_hot_reads [--requests 2000] [--homes 3] [--notices 40]
        [--database postgresql+psycopg://postgres@127.0.0.1:5432/helper_hotreads]
        [--gunicorn [--seconds 10] [--connections 32] [--limits redis://127.0.0.1:6379/13]]

A resident with --homes verified homes and --notices notices (a third read) and --facilities facilities, on a
SQLite file or the given PostgreSQL database (its tables are dropped and made again). In process (the test
client) it prints microseconds of process CPU per request, SQL statements per request and the ratio to hello,
then two floors for comparison, asked by the same logged-in client: GET /auth/csrf (routing, hooks and the
session cookie, no database) and /healthz (the same plus one SELECT 1 on a connection of its own, as the hot
reads run theirs), and what one SELECT 1 by the driver alone costs, in a tight loop: the price of a round trip.
With --gunicorn both apps run under gunicorn with the Procfile's settings and wrk (or a Python client) drives
them, the floors too: requests/s, p50/p95, the gunicorn workers' CPU per request, and the ratio of requests/s to
hello's.
Rate limits are off unless --limits gives their storage (the facilities list allows 120 a minute per address).
"""
import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from backend import create_app
from backend.accounts.models import Residency
from backend.common.models import utcnow
from backend.extensions import db
from backend.notices.models import NoticeRecipient
from tests import factories
from tests.bench import bench_auth
from tests.bench.hello_app import app as hello_app
from tests.conftest import TEST_CONFIG, ApiClient
from tests.guide_factories import create_facility, create_type
from tests.notice_factories import create_notice
from tests.querycount import count_queries

FLOORS = [("floor: /auth/csrf", "/api/v1/auth/csrf", None, 204), ("floor: /healthz", "/healthz", None, 200)]


def populate(homes: int, notices: int, facilities: int = 0):
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
    types = [create_type(community, position=p) for p in range(3)]
    for n in range(facilities):
        create_facility(community, name=f"设施 {n}", ftype=types[n % 3])
    return community.id, user


def cpu_per_request(client, url: str, n: int, headers: dict | None = None, status: int = 200) -> float:
    for _ in range(20):  # warm up
        assert client.get(url, headers=headers).status_code == status
    start = time.process_time()
    for _ in range(n):
        client.get(url, headers=headers)
    return (time.process_time() - start) / n * 1e6


def round_trip(app, n: int) -> float:
    """Process CPU of one SELECT 1 by the driver alone, in a tight loop: what a round trip to the database costs
    the app's process on this machine before Flask or SQLAlchemy does anything."""
    with app.app_context():
        connection = db.engine.raw_connection()
        try:
            driver = connection.driver_connection
            for _ in range(50):
                driver.execute("SELECT 1").fetchall()
            start = time.process_time()
            for _ in range(n):
                driver.execute("SELECT 1").fetchall()
            return (time.process_time() - start) / n * 1e6
        finally:
            connection.rollback()
            connection.close()


def statements(app, client, url: str, headers: dict | None = None) -> int:
    with app.app_context(), count_queries() as seen:
        client.get(url, headers=headers)
    return len([s for s in seen if not s.strip().upper().startswith("BEGIN")])


def workers_cpu(proc) -> float:
    """CPU seconds used so far by a gunicorn master's workers."""
    total = 0.0
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def fresh_database(url: str | None) -> str:
    if url is None:
        return f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context(), db.engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")  # tables of any version
    return url


def in_process(app, cases, opts) -> None:
    app.test_client_class = ApiClient
    client = factories.logged_in(app.test_client(), opts.user)
    hello_client = hello_app.test_client()
    if tag := client.get(cases[2][1]).headers.get("ETag"):
        cases = [*cases, ("  same, 304", cases[2][1], {"If-None-Match": tag}, 304)]
    print(f"{opts.requests} requests each, in process, {opts.dialect}; {opts.homes} homes, {opts.notices} notices,"
          f" {opts.facilities} facilities; load average {os.getloadavg()[0]:.2f}")
    # In rounds, each read beside hello: on a shared machine the speed drifts by half within a minute, and the
    # median of the rounds' ratios is what holds still.
    rounds, hellos = 5, []
    for name, url, headers, status in [*cases, *FLOORS]:
        ratios, cpus = [], []
        for _ in range(rounds):
            hellos.append(cpu_per_request(hello_client, "/hello", opts.requests // rounds))
            cpus.append(cpu_per_request(client, url, opts.requests // rounds, headers, status))
            ratios.append(cpus[-1] / hellos[-1])
        sql = statements(app, client, url, headers)
        print(f"{name:18} {statistics.median(cpus):8.0f} µs CPU/request  {sql} SQL statements  "
              f"{statistics.median(ratios):5.1f}× hello (rounds {min(ratios):.1f}–{max(ratios):.1f})")
    print(f"{'hello JSON':18} {statistics.median(hellos):8.0f} µs CPU/request (median of {len(hellos)} rounds)")
    n = opts.requests // rounds
    ratios = [round_trip(app, n) / cpu_per_request(hello_client, "/hello", n) for _ in range(rounds)]
    print(f"{'driver SELECT 1':18} one round trip alone, in a tight loop: {statistics.median(ratios):.1f}× hello "
          f"(rounds {min(ratios):.1f}–{max(ratios):.1f})")


def over_gunicorn(url: str, cases, opts) -> None:
    measure = bench_auth.measure_wrk if shutil.which("wrk") else bench_auth.measure_python
    env = {**os.environ, "FLASK_APP": "backend:create_app", "DATABASE_URL": url, "COOKIE_SECURE": "0",
           "INSTANCE_PATH": tempfile.mkdtemp(), "RATELIMIT_ENABLED": "1" if opts.limits else "0",
           "RATELIMIT_STORAGE_URI": opts.limits or "memory://"}
    app_proc, app_url = bench_auth.gunicorn("backend:create_app()", env)
    hello_proc, hello_url = bench_auth.gunicorn("tests.bench.hello_app:app", env)

    def run(proc, target: str, cookie: str = "", headers: dict | None = None):
        before = workers_cpu(proc)
        rps, p50, p95 = measure(target, cookie, opts.seconds, opts.connections, headers)
        return rps, p50, p95, (workers_cpu(proc) - before) / (rps * opts.seconds) * 1e6

    rows = []
    try:
        cookie = bench_auth.login_cookie(app_url, opts.user.phone, factories.PASSWORD)
        measure(hello_url + "/hello", "", 2, opts.connections)  # warm up
        for name, path, headers, status in [*cases, *FLOORS]:
            browser = {"Cookie": cookie, "User-Agent": bench_auth.USER_AGENT}
            answer = bench_auth.requests.get(app_url + path, headers={**browser, **(headers or {})})
            assert answer.status_code == status, (path, answer.status_code)
            measure(app_url + path, cookie, 1, opts.connections, headers)  # warm up
            # Hello just before each read: on a shared machine the speed drifts between runs of a few seconds.
            rows.append((name, run(hello_proc, hello_url + "/hello"), run(app_proc, app_url + path, cookie, headers)))
    finally:
        app_proc.terminate()
        hello_proc.terminate()
    print(f"gunicorn (Procfile: 3 workers × 4 threads), {measure.__name__}, {opts.connections} connections, "
          f"{opts.seconds}s each, {opts.dialect}; load average {os.getloadavg()[0]:.2f}; each read beside hello")
    for name, hello, (rps, p50, p95, cpu) in rows:
        print(f"{name:18} {rps:7.0f} req/s  p50 {p50:6.2f} ms  p95 {p95:6.2f} ms  {cpu:6.0f} µs worker CPU/request"
              f"  {rps / hello[0]:4.0%} of hello's {hello[0]:5.0f} req/s ({cpu / hello[3]:.1f}× its CPU)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--homes", type=int, default=3)
    parser.add_argument("--notices", type=int, default=40)
    parser.add_argument("--facilities", type=int, default=30)
    parser.add_argument("--database", help="a PostgreSQL URL (default: a new SQLite file)")
    parser.add_argument("--gunicorn", action="store_true")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--limits", help="rate limit storage, e.g. redis://127.0.0.1:6379/13 (default: off)")
    opts = parser.parse_args()
    url = fresh_database(opts.database)
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        cid, opts.user = populate(opts.homes, opts.notices, opts.facilities)
        opts.dialect = db.engine.dialect.name
        notice_id = db.session.scalar(db.select(NoticeRecipient.notice_id).filter_by(user_id=opts.user.id)
                                      .where(NoticeRecipient.read_at.is_not(None)).limit(1))
    count = f"/api/v1/communities/{cid}/notices/unread-count"
    cases = [("GET /auth/me", "/api/v1/auth/me", None, 200),
             ("GET notices (20)", f"/api/v1/communities/{cid}/notices", None, 200),
             ("GET unread-count", count, None, 200),
             ("GET one notice", f"/api/v1/communities/{cid}/notices/{notice_id}", None, 200),
             ("GET facilities", f"/api/v1/communities/{cid}/facilities", None, 200)]
    (over_gunicorn if opts.gunicorn else in_process)(url if opts.gunicorn else app, cases, opts)


if __name__ == "__main__":
    main()
