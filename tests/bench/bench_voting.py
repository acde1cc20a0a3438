"""Ballots per second through the API on PostgreSQL: one owners' decision, owners voting (each once) for a
fixed time over gunicorn with the Procfile's settings. Prints ballots/s, p50 and p95, the CPU a ballot costs
the web server and PostgreSQL, and checks the count in the database.

    .venv/bin/python -m tests.bench.bench_voting [--owners 6000] [--connections 32] [--seconds 8]

The load comes from wrk (apt-get install -y wrk), each request with the next owner's session; without
wrk a Python client is used, which on a 2-core machine takes a core from the server and measures itself.

Uses the PostgreSQL at TEST_DATABASE_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test),
in a database of its own that it makes and drops.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import requests
from sqlalchemy.engine import make_url

from tests.bench.bench_auth import gunicorn

WRK_LUA = """
local nthreads, n = 0, 0
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
                                  ["Content-Type"] = "application/json"}, wrk.body)
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %f %f %f %d\\n", summary.requests, summary.duration / 1e6,
           latency:percentile(50) / 1000, latency:percentile(95) / 1000, summary.errors.status))
end
"""

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PASSWORD = "bench-Voter-2026"
SEED = """
from datetime import timedelta
from decimal import Decimal
from backend import create_app
from backend.accounts.models import Membership, Residency, User
from backend.common.models import utcnow
from backend.extensions import db
from backend.places.models import Building, Community, Dwelling, DwellingOwner
from backend.voting import services
from werkzeug.security import generate_password_hash
app = create_app()
with app.app_context():
    pw = generate_password_hash({password!r}, method="pbkdf2:sha256:1000")
    c = Community(name="压测社区"); db.session.add(c); db.session.flush()
    staff = User(phone="13800000001", name="干部", password_hash=pw); db.session.add(staff); db.session.flush()
    db.session.add(Membership(community_id=c.id, user_id=staff.id, role="staff"))
    buildings = [Building(community_id=c.id, name=f"{{n}}栋") for n in range(1, 21)]
    db.session.add_all(buildings); db.session.flush()
    for n in range({owners}):
        phone = f"139{{n:08d}}"
        d = Dwelling(community_id=c.id, building=buildings[n % 20], unit="1", room=str(n), label=f"{{n}}",
                     floor_area=Decimal("80.00") + n % 50)
        u = User(phone=phone, name=f"业主{{n}}", password_hash=pw)
        db.session.add_all([d, u]); db.session.flush()
        db.session.add_all([Membership(community_id=c.id, user_id=u.id, role="resident"),
                            DwellingOwner(community_id=c.id, dwelling_id=d.id, phone=phone),
                            Residency(user_id=u.id, community_id=c.id, dwelling_id=d.id, relation="owner",
                                      status="verified", verified_at=utcnow())])
    db.session.commit()
    poll = services.create_poll(c.id, staff, title="压测表决", kind="owners", options=[],
                                scope={{"everyone": True, "grid_ids": [], "building_ids": []}},
                                closes_at=utcnow() + timedelta(days=1), secret=True)
    services.publish_poll(poll)
    print(c.id, poll.id, [o.id for o in poll.options][0])
"""


def cpu_seconds(master: int) -> tuple[float, float]:
    """CPU time so far of the web server (master and workers) and of all PostgreSQL processes here."""
    tick = os.sysconf("SC_CLK_TCK")

    def of(pid) -> float:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / tick
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    postgres = [p.name for p in Path("/proc").iterdir()
                if p.name.isdigit() and (p / "comm").exists() and (p / "comm").read_text().strip() == "postgres"]
    return sum(of(p) for p in [master, *children]), sum(of(p) for p in postgres)


def make_database() -> tuple[str, str]:
    url = make_url(os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    name = f"bench_voting_{uuid.uuid4().hex[:8]}"
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin, url.set(database=name).render_as_string(hide_password=False)


def login(url: str, phone: str) -> requests.Session:
    s = requests.Session()
    s.get(url + "/api/v1/auth/csrf")
    s.headers["X-CSRF-Token"] = s.cookies["csrf_token"]
    s.post(url + "/api/v1/auth/login", json={"phone": phone, "password": PASSWORD}).raise_for_status()
    return s


def vote_wrk(url: str, sessions: list[requests.Session], body: str, connections: int, seconds: int) -> tuple:
    """Owners vote for a fixed time, each request with the next owner's cookies: (accepted, seconds, p50, p95).
    Should the owners run out, the next tries are second votes, refused and not counted."""
    tmp = Path(tempfile.mkdtemp())
    (tmp / "sessions").write_text("".join(
        "; ".join(f"{k}={v}" for k, v in s.cookies.items()) + f"\t{s.headers['X-CSRF-Token']}\n" for s in sessions))
    (tmp / "vote.lua").write_text(WRK_LUA)
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", str(tmp / "vote.lua"), url, "--",
                          str(tmp / "sessions"), "2", body], capture_output=True, text=True, check=True).stdout
    sent, seconds, p50, p95, refused = re.search(r"RESULT (\S+) (\S+) (\S+) (\S+) (\S+)", out).groups()
    return int(sent) - int(refused), float(seconds), float(p50), float(p95)


def vote_python(url: str, sessions: list[requests.Session], body: str, connections: int, seconds: int):
    """Every owner votes once (the time is what it takes)."""
    def vote(s: requests.Session) -> tuple[int, float]:
        t = time.perf_counter()
        r = s.post(url, data=body, headers={"Content-Type": "application/json"})
        return r.status_code, (time.perf_counter() - t) * 1000
    with ThreadPoolExecutor(connections) as pool:
        start = time.perf_counter()
        answers = list(pool.map(vote, sessions))
        seconds = time.perf_counter() - start
    q = statistics.quantiles([ms for _, ms in answers], n=100)
    return sum(c == 201 for c, _ in answers), seconds, q[49], q[94]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--owners", type=int, default=6000)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=8)
    opts = parser.parse_args()
    vote = vote_wrk if shutil.which("wrk") else vote_python
    admin, db_url = make_database()
    tmp = tempfile.mkdtemp()
    env = {**os.environ, "FLASK_APP": "backend:create_app", "DATABASE_URL": db_url, "INSTANCE_PATH": tmp,
           "COOKIE_SECURE": "0", "RATELIMIT_ENABLED": "0"}
    subprocess.run([str(BIN / "flask"), "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    seeded = subprocess.run([str(BIN / "python"), "-c", SEED.format(password=PASSWORD, owners=opts.owners)],
                            cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout.split()
    community_id, poll_id, yes = int(seeded[0]), int(seeded[1]), int(seeded[2].strip("[],"))
    proc, url = gunicorn("backend:create_app()", env)
    ballots = f"{url}/api/v1/communities/{community_id}/polls/{poll_id}/ballots"
    body = f'{{"choices": [{yes}]}}'
    try:
        with ThreadPoolExecutor(8) as pool:
            sessions = list(pool.map(lambda n: login(url, f"139{n:08d}"), range(opts.owners)))
        before = cpu_seconds(proc.pid)
        accepted, seconds, p50, p95 = vote(ballots, sessions, body, opts.connections, opts.seconds)
        web_cpu, db_cpu = (after - was for after, was in zip(cpu_seconds(proc.pid), before))
        with psycopg.connect(make_url(db_url).set(drivername="postgresql").render_as_string(False)) as conn:
            # One snapshot: a request still in flight when the load stopped may commit meanwhile.
            counted, in_ballots = conn.execute("SELECT (SELECT count(*) FROM participation WHERE poll_id = %s), "
                                               "(SELECT count(*) FROM ballot WHERE poll_id = %s)",
                                               (poll_id, poll_id)).fetchone()
            voted = [p for p, in conn.execute('SELECT phone FROM participation JOIN "user" ON "user".id = user_id '
                                              'WHERE poll_id = %s LIMIT 100', (poll_id,))]
        again = [sessions[int(p[3:])].post(ballots, data=body, headers={"Content-Type": "application/json"}).status_code
                 for p in voted]
    finally:
        proc.terminate()
        proc.wait()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{make_url(db_url).database}" WITH (FORCE)')
    print(f"{opts.owners} owners, {opts.connections} connections, client {vote.__name__}, PostgreSQL, "
          f"gunicorn as in the Procfile")
    print(f"ballots: {accepted} accepted in {seconds:.1f} s; in the database {counted} voters, {in_ballots} ballots; "
          f"second tries refused: {again.count(409)}/{len(again)}")
    print(f"{accepted / seconds:.0f} ballots/s   p50 {p50:.1f} ms   p95 {p95:.1f} ms")
    web, database = web_cpu / accepted * 1000, db_cpu / accepted * 1000
    print(f"CPU per ballot: web {web:.2f} ms, PostgreSQL {database:.2f} ms; {os.cpu_count()} cores would carry "
          f"{os.cpu_count() * 1000 / (web + database):.0f} ballots/s with nothing else running")


if __name__ == "__main__":
    main()
