"""Ballots per second through the API on PostgreSQL: one owners' decision, every owner votes once,
over gunicorn with the Procfile's settings. Prints ballots/s, p50 and p95, and checks the count.

    .venv/bin/python -m tests.bench.bench_voting [--owners 2000] [--connections 32]

Uses the PostgreSQL at TEST_DATABASE_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test),
in a database of its own that it makes and drops.
"""
import argparse
import os
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--owners", type=int, default=2000)
    parser.add_argument("--connections", type=int, default=32)
    opts = parser.parse_args()
    admin, db_url = make_database()
    tmp = tempfile.mkdtemp()
    env = {**os.environ, "FLASK_APP": "backend:create_app", "DATABASE_URL": db_url, "INSTANCE_PATH": tmp,
           "COOKIE_SECURE": "0", "RATELIMIT_ENABLED": "0"}
    subprocess.run([str(BIN / "flask"), "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    seeded = subprocess.run([str(BIN / "python"), "-c", SEED.format(password=PASSWORD, owners=opts.owners)],
                            cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout.split()
    community_id, poll_id, yes = int(seeded[0]), int(seeded[1]), int(seeded[2].strip("[],"))
    proc, url = gunicorn("backend:create_app()", env)
    try:
        with ThreadPoolExecutor(opts.connections) as pool:
            sessions = list(pool.map(lambda n: login(url, f"139{n:08d}"), range(opts.owners)))
            ballots = f"{url}/api/v1/communities/{community_id}/polls/{poll_id}/ballots"

            def vote(s: requests.Session) -> tuple[int, float]:
                t = time.perf_counter()
                r = s.post(ballots, json={"choices": [yes]})
                return r.status_code, (time.perf_counter() - t) * 1000
            start = time.perf_counter()
            answers = list(pool.map(vote, sessions))
            elapsed = time.perf_counter() - start
            again = list(pool.map(vote, sessions[:200]))  # every second try is refused
    finally:
        proc.terminate()
        proc.wait()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{make_url(db_url).database}" WITH (FORCE)')
    codes = [c for c, _ in answers]
    q = statistics.quantiles([ms for _, ms in answers], n=100)
    print(f"{opts.owners} owners, {opts.connections} connections, PostgreSQL, gunicorn as in the Procfile")
    print(f"ballots: {codes.count(201)} accepted, {len(codes) - codes.count(201)} other; "
          f"second tries refused: {sum(c == 409 for c, _ in again)}/{len(again)}")
    print(f"{len(answers) / elapsed:.0f} ballots/s   p50 {q[49]:.1f} ms   p95 {q[94]:.1f} ms")


if __name__ == "__main__":
    main()
