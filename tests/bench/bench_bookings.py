"""Bookings per second through the API on PostgreSQL, with the race held: households book the same few slots
at once for a fixed time over gunicorn with the Procfile's settings, most requests meeting a full slot or a
spent quota. Prints bookings/s, p50 and p95, the CPU a booking costs the web server and PostgreSQL, and checks
afterwards that no slot was overbooked and no household passed its quota.

    .venv/bin/python -m tests.bench.bench_bookings [--households 3000] [--slots 40] [--seats 20]
                                                  [--connections 32] [--seconds 8]

The load comes from wrk (apt-get install -y wrk), each request with the next household's session and the
next slot; without wrk a Python client is used (every household tries once), which on a 2-core machine
takes a core from the server and measures itself.

Uses the PostgreSQL at TEST_DATABASE_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test),
in a database of its own that it makes and drops.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from tests.bench.bench_auth import gunicorn
from tests.bench.bench_voting import BIN, ROOT, cpu_seconds, login

WEEK_QUOTA = 3
WRK_LUA = """
local threads, nthreads, n = {}, 0, 0
function setup(thread)
  thread:set("id", nthreads)
  nthreads = nthreads + 1
  threads[#threads + 1] = thread
end
function init(args)
  sessions, slots, count = {}, {}, tonumber(args[3])
  local i = 0
  for line in io.lines(args[1]) do
    if i % count == id then sessions[#sessions + 1] = line end
    i = i + 1
  end
  for line in io.lines(args[2]) do slots[#slots + 1] = line end
  made, refused, failed = 0, 0, 0
end
function request()
  n = n + 1
  local cookie, csrf = sessions[(n - 1) % #sessions + 1]:match("([^\t]+)\t(.+)")
  local body = '{"starts_at": "' .. slots[(n - 1) % #slots + 1] .. '"}'
  return wrk.format("POST", nil, {["Cookie"] = cookie, ["X-CSRF-Token"] = csrf,
                                  ["Content-Type"] = "application/json"}, body)
end
function response(status, headers, body)
  if status == 201 then made = made + 1 elseif status < 500 then refused = refused + 1 else failed = failed + 1 end
end
done = function(summary, latency, requests)
  local m, r, f = 0, 0, 0
  for _, t in ipairs(threads) do m, r, f = m + t:get("made"), r + t:get("refused"), f + t:get("failed") end
  io.write(string.format("RESULT %d %f %f %f %d %d %d\\n", summary.requests, summary.duration / 1e6,
           latency:percentile(50) / 1000, latency:percentile(95) / 1000, m, r, f))
end
"""
PASSWORD = "bench-Voter-2026"  # login() of bench_voting signs in with it
SEED = """
from datetime import timedelta
from decimal import Decimal
from backend import create_app
from backend.accounts.models import Membership, Residency, User
from backend.bookings import slots
from backend.bookings.models import Resource
from backend.common.models import utcnow
from backend.extensions import db
from backend.facilities.hours import DAYS
from backend.places.models import Building, Community, Dwelling
from werkzeug.security import generate_password_hash
app = create_app()
with app.app_context():
    pw = generate_password_hash({password!r}, method="pbkdf2:sha256:1000")
    c = Community(name="压测社区"); db.session.add(c); db.session.flush()
    buildings = [Building(community_id=c.id, name=f"{{n}}栋") for n in range(1, 21)]
    db.session.add_all(buildings); db.session.flush()
    for n in range({households}):
        d = Dwelling(community_id=c.id, building=buildings[n % 20], unit="1", room=str(n), label=f"{{n}}",
                     floor_area=Decimal("80.00"))
        u = User(phone=f"139{{n:08d}}", name=f"居民{{n}}", password_hash=pw)
        db.session.add_all([d, u]); db.session.flush()
        db.session.add_all([Membership(community_id=c.id, user_id=u.id, role="resident"),
                            Residency(user_id=u.id, community_id=c.id, dwelling_id=d.id, relation="owner",
                                      status="verified", verified_at=utcnow())])
    r = Resource(community_id=c.id, status="open", kind="room", name="活动室", slot_minutes=60, seats={seats},
                 schedule={{day: [["08:00", "20:00"]] for day in DAYS}}, advance_days=14, min_notice_minutes=60,
                 week_quota={quota}, blackouts=[], photos=[])
    db.session.add(r); db.session.commit()
    # the next days' slots, all in one week so that the quota bites
    day = slots.local_day(c.id, utcnow()) + timedelta(days=1)
    while day.weekday() != 0:
        day += timedelta(days=1)
    starts = [s for n in range(7) for s, _ in slots.slot_times(r, day + timedelta(days=n))][:{slots}]
    print(c.id, r.id, *[s.isoformat() for s in starts])
"""
CHECK = """
SELECT (SELECT count(*) FROM booking_slot s WHERE s.resource_id = %(r)s AND (s.taken > s.seats OR s.taken <>
          (SELECT coalesce(sum(b.seats), 0) FROM booking b WHERE b.slot_id = s.id
           AND b.status IN ('pending', 'confirmed', 'checked_in')))),
       (SELECT count(*) FROM (SELECT dwelling_id FROM booking WHERE resource_id = %(r)s
          AND status IN ('pending', 'confirmed', 'checked_in') GROUP BY dwelling_id HAVING count(*) > %(q)s) x),
       (SELECT count(*) FROM booking WHERE resource_id = %(r)s AND status = 'confirmed'),
       (SELECT coalesce(sum(taken), 0) FROM booking_slot WHERE resource_id = %(r)s),
       (SELECT count(*) FROM booking_slot WHERE resource_id = %(r)s AND taken = seats)
"""


def book_wrk(url, sessions, starts, connections, seconds) -> tuple:
    """(made, refused, 5xx, seconds, p50, p95)."""
    tmp = Path(tempfile.mkdtemp())
    (tmp / "sessions").write_text("".join(
        "; ".join(f"{k}={v}" for k, v in s.cookies.items()) + f"\t{s.headers['X-CSRF-Token']}\n" for s in sessions))
    (tmp / "slots").write_text("".join(f"{s}\n" for s in starts))
    (tmp / "book.lua").write_text(WRK_LUA)
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", str(tmp / "book.lua"), url, "--",
                          str(tmp / "sessions"), str(tmp / "slots"), "2"],
                         capture_output=True, text=True, check=True).stdout
    _, secs, p50, p95, made, refused, failed = re.search(r"RESULT (\S+) (\S+) (\S+) (\S+) (\S+) (\S+) (\S+)",
                                                         out).groups()
    return int(made), int(refused), int(failed), float(secs), float(p50), float(p95)


def book_python(url, sessions, starts, connections, seconds) -> tuple:
    """Every household tries once, the slots taken in turn (the time is what it takes)."""
    def book(n: int) -> tuple[int, float]:
        t = time.perf_counter()
        r = sessions[n].post(url, data=json.dumps({"starts_at": starts[n % len(starts)]}),
                             headers={"Content-Type": "application/json"})
        return r.status_code, (time.perf_counter() - t) * 1000
    with ThreadPoolExecutor(connections) as pool:
        begin = time.perf_counter()
        answers = list(pool.map(book, range(len(sessions))))
        secs = time.perf_counter() - begin
    q = statistics.quantiles([ms for _, ms in answers], n=100)
    codes = Counter(c for c, _ in answers)
    return (codes[201], sum(v for c, v in codes.items() if c != 201 and c < 500),
            sum(v for c, v in codes.items() if c >= 500), secs, q[49], q[94])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=3000)
    parser.add_argument("--slots", type=int, default=40)
    parser.add_argument("--seats", type=int, default=20)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=8)
    opts = parser.parse_args()
    book = book_wrk if shutil.which("wrk") else book_python
    url = make_url(os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"bench_bookings_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    db_url = url.set(database=name).render_as_string(hide_password=False)
    env = {**os.environ, "FLASK_APP": "backend:create_app", "DATABASE_URL": db_url, "INSTANCE_PATH": tempfile.mkdtemp(),
           "COOKIE_SECURE": "0", "RATELIMIT_ENABLED": "0"}
    try:
        subprocess.run([str(BIN / "flask"), "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
        seeded = subprocess.run([str(BIN / "python"), "-c", SEED.format(
            password=PASSWORD, households=opts.households, seats=opts.seats, quota=WEEK_QUOTA, slots=opts.slots)],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout.split()
        community_id, resource_id, starts = int(seeded[0]), int(seeded[1]), seeded[2:]
        proc, web = gunicorn("backend:create_app()", env)
        try:
            with ThreadPoolExecutor(8) as pool:
                sessions = list(pool.map(lambda n: login(web, f"139{n:08d}"), range(opts.households)))
            target = f"{web}/api/v1/communities/{community_id}/bookings/resources/{resource_id}/book"
            before = cpu_seconds(proc.pid)
            made, refused, failed, secs, p50, p95 = book(target, sessions, starts, opts.connections, opts.seconds)
            web_cpu, db_cpu = (after - was for after, was in zip(cpu_seconds(proc.pid), before))
        finally:
            proc.terminate()
            proc.wait()
        with psycopg.connect(make_url(db_url).set(drivername="postgresql").render_as_string(False)) as conn:
            overbooked, over_quota, confirmed, taken, full = conn.execute(
                CHECK, {"r": resource_id, "q": WEEK_QUOTA}).fetchone()
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    print(f"{opts.households} households, {len(starts)} slots x {opts.seats} seats, week quota {WEEK_QUOTA}, "
          f"{opts.connections} connections, client {book.__name__}, PostgreSQL, gunicorn as in the Procfile")
    print(f"requests: {made} booked, {refused} refused (slot full / quota / already booked), {failed} 5xx, "
          f"in {secs:.1f} s")
    print(f"{made / secs:.0f} bookings/s ({(made + refused) / secs:.0f} requests/s)   p50 {p50:.1f} ms   "
          f"p95 {p95:.1f} ms")
    web_ms, db_ms = web_cpu / (made + refused) * 1000, db_cpu / (made + refused) * 1000
    print(f"CPU per request: web {web_ms:.2f} ms, PostgreSQL {db_ms:.2f} ms; per booking made "
          f"(refusals included): web {web_cpu / max(made, 1) * 1000:.2f} ms, PostgreSQL "
          f"{db_cpu / max(made, 1) * 1000:.2f} ms")
    print(f"database: {confirmed} confirmed bookings, {taken} seats taken, {full}/{len(starts)} slots full; "
          f"overbooked slots: {overbooked}; households past the quota: {over_quota}")
    if overbooked or over_quota or failed:
        raise SystemExit("FAILED: the race was not held")


if __name__ == "__main__":
    main()
