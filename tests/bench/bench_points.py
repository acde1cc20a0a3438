"""Redemptions per second through the API on PostgreSQL, with every guard in place: residents redeem one
item whose stock row they all contend for, each request with its own Idempotency-Key, over gunicorn with
the Procfile's settings, for a fixed time. Prints redemptions/s, p50 and p95, the refusals by kind, and
checks the books afterwards (no overselling, no negative balance, entries summing to zero, every cached
balance equal to its entries).

    .venv/bin/python -m tests.bench.bench_points [--residents 2000] [--connections 32] [--seconds 8]
                                                [--stock 1000000] [--points 300]

With --stock smaller than the demand the run also shows the out-of-stock path under load. The load comes
from wrk (each request with the next resident's session and a fresh key); without wrk a Python client
is used, which on a 2-core machine takes a core from the server and measures itself.

Uses the PostgreSQL at TEST_DATABASE_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test),
in a database of its own that it makes and drops.
"""
import argparse
import itertools
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import requests
from sqlalchemy.engine import make_url

from tests.bench.bench_auth import gunicorn
from tests.bench.bench_voting import BIN, ROOT, cpu_seconds, login

WRK_LUA = """
local nthreads, n = 0, 0
local statuses = {}
function setup(thread)
  thread:set("id", nthreads)
  nthreads = nthreads + 1
end
function init(args)
  sessions, count, wrk.body = {}, tonumber(args[2]), args[3]
  local i = 0
  for line in io.lines(args[1]) do
    if i % count == id then sessions[#sessions + 1] = line end
    i = i + 1
  end
end
function request()
  n = n + 1
  local cookie, csrf = sessions[(n - 1) % #sessions + 1]:match("([^\t]+)\t(.+)")
  return wrk.format("POST", nil, {["Cookie"] = cookie, ["X-CSRF-Token"] = csrf,
                                  ["Content-Type"] = "application/json",
                                  ["Idempotency-Key"] = string.format("bench-%d-%d", id, n)}, wrk.body)
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %f %f %f %d\\n", summary.requests, summary.duration / 1e6,
           latency:percentile(50) / 1000, latency:percentile(95) / 1000, summary.errors.status))
end
"""
PASSWORD = "bench-Voter-2026"  # the one login() in bench_voting uses
SEED = """
from decimal import Decimal
from backend import create_app
from backend.accounts.models import Membership, Residency, User
from backend.common.models import utcnow
from backend.extensions import db
from backend.places.models import Building, Community, Dwelling
from backend.points import catalog, ledger
from werkzeug.security import generate_password_hash
app = create_app()
with app.app_context():
    pw = generate_password_hash({password!r}, method="pbkdf2:sha256:1000")
    c = Community(name="压测社区"); db.session.add(c); db.session.flush()
    staff = User(phone="13800000001", name="干部", password_hash=pw); db.session.add(staff); db.session.flush()
    db.session.add(Membership(community_id=c.id, user_id=staff.id, role="staff"))
    b = Building(community_id=c.id, name="1栋"); db.session.add(b); db.session.flush()
    for n in range({residents}):
        d = Dwelling(community_id=c.id, building=b, unit="1", room=str(n), label=str(n), floor_area=Decimal("80.00"))
        u = User(phone=f"139{{n:08d}}", name=f"居民{{n}}", password_hash=pw)
        db.session.add_all([d, u]); db.session.flush()
        db.session.add_all([Membership(community_id=c.id, user_id=u.id, role="resident"),
                            Residency(user_id=u.id, community_id=c.id, dwelling_id=d.id, relation="owner",
                                      status="verified", verified_at=utcnow())])
        ledger.award(c.id, u.id, {points}, kind="manual", key=f"bench:{{n}}", memo="压测", by_user_id=staff.id)
    db.session.commit()
    item = catalog.create_item(c.id, staff, "goods", stock={stock}, title="抽纸", description="", points_cost=10,
                               monthly_limit=None, partner_id=None, position=0)
    print(c.id, item.id)
"""
CHECKS = """
SELECT (SELECT count(*) FROM redemption),
       (SELECT stock FROM catalog_item WHERE id = %(item)s),
       (SELECT coalesce(sum(amount), 0) FROM point_entry),
       (SELECT count(*) FROM point_account WHERE kind <> 'pool' AND balance < 0),
       (SELECT count(*) FROM point_account a WHERE a.balance <>
            (SELECT coalesce(sum(e.amount), 0) FROM point_entry e WHERE e.account_id = a.id)),
       (SELECT count(*) FROM (SELECT transaction_id FROM point_entry GROUP BY transaction_id
                              HAVING sum(amount) <> 0) t)
"""


def make_database() -> tuple[str, str]:
    url = make_url(os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    name = f"bench_points_{uuid.uuid4().hex[:8]}"
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin, url.set(database=name).render_as_string(hide_password=False)


def redeem_wrk(url: str, sessions: list[requests.Session], body: str, connections: int, seconds: int) -> tuple:
    """(requests, seconds, p50 ms, p95 ms): every answer, 201 or 409, is a request served."""
    tmp = Path(tempfile.mkdtemp())
    (tmp / "sessions").write_text("".join(
        "; ".join(f"{k}={v}" for k, v in s.cookies.items()) + f"\t{s.headers['X-CSRF-Token']}\n" for s in sessions))
    (tmp / "redeem.lua").write_text(WRK_LUA)
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", str(tmp / "redeem.lua"), url,
                          "--", str(tmp / "sessions"), "2", body], capture_output=True, text=True, check=True).stdout
    sent, seconds, p50, p95, _ = re.search(r"RESULT (\S+) (\S+) (\S+) (\S+) (\S+)", out).groups()
    return int(sent), float(seconds), float(p50), float(p95)


def redeem_python(url: str, sessions: list[requests.Session], body: str, connections: int, seconds: int):
    """Each session redeems once, with threads (the time is what it takes)."""
    keys = itertools.count()

    def one(s: requests.Session) -> float:
        t = time.perf_counter()
        s.post(url, data=body, headers={"Content-Type": "application/json", "Idempotency-Key": f"py-{next(keys):08d}"})
        return (time.perf_counter() - t) * 1000
    with ThreadPoolExecutor(connections) as pool:
        start = time.perf_counter()
        times = list(pool.map(one, sessions))
        seconds = time.perf_counter() - start
    q = statistics.quantiles(times, n=100)
    return len(times), seconds, q[49], q[94]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=2000)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--stock", type=int, default=1_000_000)
    parser.add_argument("--points", type=int, default=300, help="each resident's points (10 per redemption)")
    opts = parser.parse_args()
    run = redeem_wrk if shutil.which("wrk") else redeem_python
    admin, db_url = make_database()
    env = {**os.environ, "FLASK_APP": "backend:create_app", "DATABASE_URL": db_url, "INSTANCE_PATH": tempfile.mkdtemp(),
           "COOKIE_SECURE": "0", "RATELIMIT_ENABLED": "0"}
    subprocess.run([str(BIN / "flask"), "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    seed = SEED.format(password=PASSWORD, residents=opts.residents, stock=opts.stock, points=opts.points)
    seeded = subprocess.run([str(BIN / "python"), "-c", seed], cwd=ROOT, env=env, capture_output=True, text=True)
    if seeded.returncode:
        raise SystemExit(seeded.stderr)
    community_id, item_id = map(int, seeded.stdout.split())
    proc, url = gunicorn("backend:create_app()", env)
    target = f"{url}/api/v1/communities/{community_id}/points/redemptions"
    body = f'{{"item_id": {item_id}, "quantity": 1}}'
    try:
        with ThreadPoolExecutor(8) as pool:
            sessions = list(pool.map(lambda n: login(url, f"139{n:08d}"), range(opts.residents)))
        before = cpu_seconds(proc.pid)
        served, seconds, p50, p95 = run(target, sessions, body, opts.connections, opts.seconds)
        web_cpu, db_cpu = (after - was for after, was in zip(cpu_seconds(proc.pid), before))
        time.sleep(1)  # requests still in flight when the load stopped commit
        with psycopg.connect(make_url(db_url).set(drivername="postgresql").render_as_string(False)) as conn:
            made, stock, total, negative, stale, unbalanced = conn.execute(CHECKS, {"item": item_id}).fetchone()
    finally:
        proc.terminate()
        proc.wait()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{make_url(db_url).database}" WITH (FORCE)')
    print(f"{opts.residents} residents × {opts.points} points, stock {opts.stock}, {opts.connections} connections, "
          f"client {run.__name__}, PostgreSQL, gunicorn as in the Procfile")
    # wrk counts answers within the window; a request in flight when it stopped may still commit after.
    print(f"requests answered in the window: {served} in {seconds:.1f} s; redemptions in the database: {made}; "
          f"refused (409, about): {max(0, served - made)}")
    print(f"{made / seconds:.0f} redemptions/s   {served / seconds:.0f} requests/s   p50 {p50:.1f} ms   "
          f"p95 {p95:.1f} ms")
    if made:
        print(f"CPU per redemption: web {web_cpu / made * 1000:.1f} ms, PostgreSQL {db_cpu / made * 1000:.1f} ms")
    print(f"books: stock left {stock} (taken {opts.stock - stock} = made {made}: {opts.stock - stock == made}), "
          f"Σ entries {total}, negative balances {negative}, stale cached balances {stale}, "
          f"transactions not summing to zero {unbalanced}")


if __name__ == "__main__":
    main()
