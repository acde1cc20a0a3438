"""One community at district scale on PostgreSQL: publishing to everyone, the push fan-out, and the hot reads.

    .venv/bin/python -m tests.bench.bench_scale [--residents 30000] [--database URL] [--redis URL] [--fresh]

Seeds once, through the importer and the services: a dwelling CSV (--residents / 2 homes, 12 grids, two owner
phones each) goes through `import_dwellings`; the owners' own claims (written in bulk, as sign-ups leave them)
are verified by `confirm_owner_claims`; every resident gets one push device on the loopback push service
(tests/pushservice.py, which checks VAPID and decrypts every message). A later run reuses the community when
its size matches, without the notices and pushes of earlier runs (--fresh drops all and seeds again: needed
after a change to the seeded tables' columns).

Then, all over HTTP: gunicorn started with the Procfile's web line, `flask worker` processes as the Procfile's
worker line (the app built by `web_app()` below: the project's config from the environment, plus the switch
that lets pushes go to an http loopback service). It publishes an urgent notice to everyone with one worker
running, then another with two, and times the publish request and the wait until the push service has
received every device's message. Then the resident's list, unread count and one notice, the staff unread list
walked page by page per grid, and the database's bytes per resident. Prints the load average too: the figures
are only comparable within one run on a quiet machine.

The database is --database (default TEST_DATABASE_URL, else .../bench_scale), made if missing and kept; rate
limits count in --redis as in production (the login limit raised for the bench's own logins).
"""
import argparse
import hashlib
import json
import multiprocessing
import os
import secrets
import statistics
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import func, insert, select, text, update

from backend import create_app
from backend.accounts.models import Membership, Residency, User
from backend.accounts.services import confirm_owner_claims, hash_password
from backend.extensions import db
from backend.notices.models import Notice
from backend.places.importer import import_dwellings
from backend.places.models import Building, Community, Dwelling, Grid
from backend.push.models import PushSubscription
from tests import factories, pushtools
from tests.bench.bench_auth import BIN, ROOT, gunicorn
from tests.conftest import TEST_CONFIG, _create_database
from tests.pushservice import PushService, b64

COMMUNITY = "规模测试社区"
STAFF_PHONE = "13700000000"
GRIDS = 12
PER_BUILDING = 125  # 5 units x 25 floors
CHUNK = 5000


def web_app():
    """The app gunicorn and `flask worker` run here: pushes may go to the push service on http loopback."""
    return create_app({"TESTING": True, "PUSH_ALLOW_INSECURE_ENDPOINTS": True})


# The devices: keys derived from the resident's number, so a reused seed needs nothing kept on disk.

def device_keys(n: int) -> tuple[bytes, str, str]:
    digest = hashlib.sha256(f"bench-scale-{n}".encode()).digest()
    key = ec.derive_private_key(int.from_bytes(digest, "big") % (2**255) + 1, ec.SECP256R1())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    raw = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return pem, b64(raw), b64(hashlib.sha256(digest).digest()[:16])


def serve(count: int, port_out) -> None:
    service = PushService()
    for n in range(count):
        service.subscribe(*device_keys(n), sub_id=f"d{n}")
    service.start()
    port_out.put(service.port)
    service._thread.join()


def received(origin: str) -> int:
    with urllib.request.urlopen(f"{origin}/stats") as response:
        return json.load(response)["received"]


# Seeding

def dwellings_csv(homes: int, residents: int) -> bytes:
    buildings = max(GRIDS, -(-homes // PER_BUILDING))
    lines = ["网格,楼栋,单元,房号,面积,业主手机"]
    for i in range(homes):
        b, j = i % buildings, i // buildings
        phones = "/".join(f"138{p:08d}" for p in (2 * i, 2 * i + 1) if p < residents)
        lines.append(f"第{b % GRIDS + 1}网格,{b + 1}栋,{j % 5 + 1},{j // 5 + 1}01,{80 + i % 60},{phones}")
    return "\n".join(lines).encode()


def seed(residents: int) -> None:
    db.session.remove()  # its open transaction would keep DROP TABLE waiting
    db.drop_all()
    db.create_all()
    community = factories.create_community(COMMUNITY)
    factories.create_user(community, role="staff", phone=STAFF_PHONE, name="网格长")
    homes = -(-residents // 2)
    started = time.perf_counter()
    counts = import_dwellings(community.id, dwellings_csv(homes, residents))
    print(f"seed: imported {counts['created']} dwellings in {time.perf_counter() - started:.0f} s")
    homes_by_key = {(b, u, r): i for i, b, u, r in db.session.execute(
        select(Dwelling.id, Building.name, Dwelling.unit, Dwelling.room).join(Building))}
    lines = dwellings_csv(homes, residents).decode().splitlines()[1:]
    where = [homes_by_key[tuple(line.split(",")[1:4])] for line in lines]
    password = hash_password(factories.PASSWORD)
    for first in range(0, residents, CHUNK):
        ns = range(first, min(residents, first + CHUNK))
        ids = db.session.scalars(insert(User).returning(User.id, sort_by_parameter_order=True), [
            {"phone": f"138{n:08d}", "name": f"居民{n}", "password_hash": password} for n in ns]).all()
        db.session.execute(insert(Membership), [{"community_id": community.id, "user_id": u, "role": "resident"}
                                                for u in ids])
        db.session.execute(insert(Residency), [{"community_id": community.id, "user_id": u, "relation": "owner",
                                                "dwelling_id": where[n // 2], "status": "pending"}
                                               for n, u in zip(ns, ids)])
        pushtools.insert_devices({u: {"endpoint": f"http://127.0.0.1:9/push/d{n}",
                                      "keys": dict(zip(("p256dh", "auth"), device_keys(n)[1:]))}
                                  for n, u in zip(ns, ids)})
    started = time.perf_counter()
    verified = confirm_owner_claims(community.id)
    db.session.commit()
    print(f"seed: {verified} owners' claims verified in {time.perf_counter() - started:.0f} s")
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))


def seeded(residents: int) -> int | None:
    """The community's id if it is there with this many verified residents."""
    try:
        cid = db.session.scalar(select(Community.id).filter_by(name=COMMUNITY))
    except Exception:
        db.session.rollback()
        return None
    count = db.session.scalar(select(func.count()).select_from(Residency).filter_by(community_id=cid,
                                                                                    status="verified"))
    return cid if count == residents else None


def forget_earlier_runs() -> None:
    """Each run starts from the seed alone: no notices, pushes or texts of an earlier (perhaps broken) run."""
    db.session.execute(text("TRUNCATE notice, push_message, sms_message, search_document, search_gram CASCADE"))
    db.session.commit()


def point_devices_at(origin: str) -> None:
    """The push service listens on a new port each run."""
    db.session.execute(update(PushSubscription).values(
        endpoint=f"{origin}/push/" + func.split_part(PushSubscription.endpoint, "/push/", 2)))
    db.session.commit()


# Measuring

def login(base: str, phone: str) -> requests.Session:
    s = requests.Session()
    s.get(f"{base}/api/v1/auth/csrf").raise_for_status()
    s.headers["X-CSRF-Token"] = s.cookies["csrf_token"]
    s.post(f"{base}/api/v1/auth/login", json={"phone": phone, "password": factories.PASSWORD}).raise_for_status()
    return s


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def fan_out(staff: requests.Session, api: str, service: int, origin: str, devices: int, workers: int,
            env: dict, log: Path, stall: float) -> int:
    """Publish to everyone with `workers` worker processes running; the service's pid is for its CPU time."""
    procs = [subprocess.Popen([str(BIN / "flask"), "--app", "tests.bench.bench_scale:web_app()", "worker"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log.open("a"))
             for _ in range(workers)]
    try:
        time.sleep(3)  # started and idle
        draft = staff.post(f"{api}/manage", json={
            "title": f"紧急通知：今晚停水（{workers} 个 worker）", "body": "<p>" + "因主管道抢修，" * 40 + "</p>",
            "category": "urgent", "audience": {"everyone": True}, "push": True})
        draft.raise_for_status()
        before, cpu, service_cpu = received(origin), sum(cpu_seconds(p.pid) for p in procs), cpu_seconds(service)
        started = time.perf_counter()
        response = staff.post(f"{api}/manage/{draft.json()['id']}/publish", json={})
        publish = time.perf_counter() - started
        assert response.status_code == 200, f"publish answered {response.status_code}: {response.text[:300]}"
        print(f"{workers} worker(s): publish request {publish * 1000:,.0f} ms", flush=True)
        progress, moved = 0, time.perf_counter()
        while (got := received(origin) - before) < devices:
            if got > progress:
                progress, moved = got, time.perf_counter()
            if time.perf_counter() - moved > stall or any(p.poll() is not None for p in procs):
                errors = log.read_text().count("Traceback")
                raise RuntimeError(f"stuck at {got} of {devices} pushes; {errors} errors in the worker log {log}")
            time.sleep(0.2)
        total = time.perf_counter() - started
        cpu = sum(cpu_seconds(p.pid) for p in procs) - cpu
        service_cpu = cpu_seconds(service) - service_cpu
    finally:
        for p in procs:
            p.terminate()
            p.wait()
    print(f"{workers} worker(s): all {devices:,} pushes received {total:.1f} s after the publish request: "
          f"{devices / total:,.0f} deliveries/s, worker CPU {cpu / devices * 1000:.2f} ms a delivery (the push "
          f"service's: {service_cpu / devices * 1000:.2f} ms)")
    return draft.json()["id"]


def report(name: str, times: list[float]) -> None:
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    print(f"{name:<38} n={len(times):<5} p50 {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms  "
          f"max {times[-1]:6.1f} ms")


def timed(session: requests.Session, url: str) -> tuple[float, dict]:
    started = time.perf_counter()
    response = session.get(url)
    ms = (time.perf_counter() - started) * 1000
    response.raise_for_status()
    return ms, response.json()


def resident_reads(base: str, api: str, notice_id: int, residents: int, rounds: int) -> None:
    sessions = [login(base, f"138{n:08d}") for n in range(0, residents, max(1, residents // 20))]
    for name, path in (("resident: notice list", ""), ("resident: unread count", "/unread-count"),
                       ("resident: one notice", f"/{notice_id}")):
        report(name, [timed(sessions[i % len(sessions)], api + path)[0] for i in range(rounds)])


def staff_unread(staff: requests.Session, api: str, notice_id: int, grids: list[int]) -> None:
    firsts, pages, rows = [], [], 0
    for grid in grids:
        cursor = ""
        while True:
            ms, page = timed(staff, f"{api}/manage/{notice_id}/unread?grid_id={grid}&limit=50{cursor}")
            (pages if cursor else firsts).append(ms)
            rows += len(page["items"])
            if not page["next_cursor"]:
                break
            cursor = f"&cursor={page['next_cursor']}"
    report("staff unread: first page per grid", firsts)
    report(f"staff unread: next pages ({rows:,} rows)", pages)


def database_bytes(residents: int) -> None:
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
        tables = conn.execute(text("SELECT relname, pg_total_relation_size(oid) FROM pg_class "
                                   "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace "
                                   "ORDER BY 2 DESC")).all()
    notices = db.session.scalar(select(func.count(Notice.id)))
    total = sum(size for _, size in tables)
    print(f"database: {total / 2**20:,.1f} MB, {total / residents:,.0f} B a resident with {notices} notices; "
          "largest: " + ", ".join(f"{name} {size / residents:,.0f} B" for name, size in tables[:6]))


def measure(args, cid: int, grids: list[int]) -> None:
    ctx = multiprocessing.get_context("spawn")
    port_out = ctx.Queue()
    service = ctx.Process(target=serve, args=(args.residents, port_out), daemon=True)
    service.start()
    origin = f"http://127.0.0.1:{port_out.get(timeout=600)}"
    point_devices_at(origin)
    env = {**os.environ, "DATABASE_URL": args.database, "RATELIMIT_STORAGE_URI": args.redis,
           "SECRET_KEY": secrets.token_hex(16), "VAPID_PRIVATE_KEY": pushtools.VAPID_PEM, "COOKIE_SECURE": "0",
           "AUTH_RATE_LIMIT": "1000 per minute", "PATH": f"{BIN}:{os.environ['PATH']}"}
    web, base = gunicorn("tests.bench.bench_scale:web_app()", env)
    log = Path(tempfile.mkdtemp()) / "worker.log"
    try:
        api = f"{base}/api/v1/communities/{cid}/notices"
        staff = login(base, STAFF_PHONE)
        print(f"over HTTP to gunicorn (Procfile web line) at {base}, {args.residents:,} residents and devices; "
              f"load average {os.getloadavg()[0]:.2f}")
        first = fan_out(staff, api, service.pid, origin, args.residents, 1, env, log, args.stall)
        fan_out(staff, api, service.pid, origin, args.residents, 2, env, log, args.stall)
        resident_reads(base, api, first, args.residents, args.rounds)
        staff_unread(staff, api, first, grids)
    finally:
        web.terminate()
        web.wait()
        service.terminate()
    database_bytes(args.residents)
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=30_000)
    parser.add_argument("--database", default=os.environ.get(
        "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench_scale"))
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0", help="rate limit storage, as in production")
    parser.add_argument("--rounds", type=int, default=200, help="requests per resident read")
    parser.add_argument("--stall", type=float, default=300, help="give up after so many seconds with no push")
    parser.add_argument("--fresh", action="store_true", help="drop everything and seed again")
    args = parser.parse_args()
    _create_database(args.database)
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": args.database})
    with app.app_context():
        cid = None if args.fresh else seeded(args.residents)
        if cid is None:
            started = time.perf_counter()
            seed(args.residents)
            cid = seeded(args.residents)
            print(f"seed: {args.residents:,} residents in {time.perf_counter() - started:.0f} s")
        forget_earlier_runs()
        grids = list(db.session.scalars(select(Grid.id).filter_by(community_id=cid).order_by(Grid.id)))
        db.session.commit()
        measure(args, cid, grids)
        db.session.remove()
        db.engine.dispose()


if __name__ == "__main__":
    main()
