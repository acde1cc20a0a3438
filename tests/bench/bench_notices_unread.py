"""The staff unread list and the per-grid stats of one notice addressed to many residents, on PostgreSQL.

    .venv/bin/python -m tests.bench.bench_notices_unread [--recipients 30000] [--read 0.3] [--limit 50]

Writes a community of --recipients residents in 12 grids and 120 buildings, a notice to all of them with
--read of them having read it, then times through the API (in process, one request at a time): every page
of the unread list to the end, pages filtered by grid and by building, and the stats. Prints p50, p95 and
the largest time of each, and the bytes a recipient row takes with its indexes.

Uses the PostgreSQL at TEST_DATABASE_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test),
in a database of its own that it makes and drops.
"""
import argparse
import os
import statistics
import time
import uuid
from decimal import Decimal

import psycopg
from flask import current_app
from sqlalchemy import insert, select, text

from backend import create_app
from backend.accounts.models import Residency, User
from backend.common.models import utcnow
from backend.extensions import db
from backend.notices.models import Notice, NoticeRecipient
from backend.places.models import Building, Dwelling
from tests import factories
from tests.conftest import TEST_CONFIG, ApiClient


def populate(recipients: int, read: float) -> tuple[int, int, list[int], list[int]]:
    community = factories.create_community()
    staff = factories.create_user(community, role="staff")
    grids = [factories.create_grid(community, f"第{i + 1}网格").id for i in range(12)]
    db.session.execute(insert(Building), [{"community_id": community.id, "name": f"{i + 1}栋",
                                           "grid_id": grids[i % 12]} for i in range(120)])
    buildings = list(db.session.scalars(select(Building.id).order_by(Building.id)))
    homes = recipients // 3
    db.session.execute(insert(Dwelling), [
        {"community_id": community.id, "building_id": buildings[i % 120], "unit": "1", "room": str(1000 + i),
         "label": f"{i % 120 + 1}栋1单元{1000 + i}", "floor_area": Decimal("80")} for i in range(homes)])
    dwellings = list(db.session.execute(select(Dwelling.id, Building.grid_id).join(Building)
                                        .order_by(Dwelling.id)))
    db.session.execute(insert(User), [{"phone": f"139{i:08d}", "name": f"居民{i}", "password_hash": "x"}
                                      for i in range(recipients)])
    users = list(db.session.scalars(select(User.id).where(User.phone.like("139%")).order_by(User.id)))
    db.session.execute(insert(Residency), [
        {"user_id": u, "community_id": community.id, "dwelling_id": dwellings[i % homes][0],
         "relation": "owner", "status": "verified"} for i, u in enumerate(users)])
    notice = Notice(community_id=community.id, title="停水通知", body_html="<p>停水</p>", summary="停水",
                    category="service", audience={"everyone": True}, status="published",
                    published_at=utcnow(), author_id=staff.id)
    db.session.add(notice)
    db.session.flush()
    now, every = utcnow(), max(1, round(1 / read)) if read else 0
    db.session.execute(insert(NoticeRecipient), [
        {"notice_id": notice.id, "user_id": u, "community_id": community.id, "dwelling_id": dwellings[i % homes][0],
         "grid_id": dwellings[i % homes][1], "read_at": now if every and i % every == 0 else None}
        for i, u in enumerate(users)])
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    return community.id, staff.id, grids, buildings[:12]


def timed(client, url: str) -> tuple[float, dict]:
    start = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, response.json
    return (time.perf_counter() - start) * 1000, response.json


def report(name: str, times: list[float]) -> None:
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    print(f"{name:<28} n={len(times):<5} p50 {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms  "
          f"max {times[-1]:6.1f} ms")


def run(args) -> None:
    community_id, staff_id, grids, buildings = populate(args.recipients, args.read)
    client = ApiClient(current_app._get_current_object(), use_cookies=True)
    factories.logged_in(client, db.session.get(User, staff_id))
    notice_id = db.session.scalar(select(Notice.id))
    url = f"/api/v1/communities/{community_id}/notices/manage/{notice_id}"
    walk, cursor, rows = [], None, 0
    while True:
        ms, page = timed(client, f"{url}/unread?limit={args.limit}" + (f"&cursor={cursor}" if cursor else ""))
        walk.append(ms)
        rows += len(page["items"])
        if not (cursor := page["next_cursor"]):
            break
    report(f"unread, all {rows} rows", walk)
    report("unread, first page per grid", [timed(client, f"{url}/unread?grid_id={g}")[0] for g in grids * 3])
    report("unread, first page per bldg", [timed(client, f"{url}/unread?building_id={b}")[0] for b in buildings * 3])
    report("stats", [timed(client, f"{url}/stats")[0] for _ in range(20)])
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE notice_recipient"))
        table, total = conn.execute(text("SELECT pg_table_size('notice_recipient'), "
                                         "pg_total_relation_size('notice_recipient')")).one()
    print(f"notice_recipient: {table / args.recipients:.0f} B a row, {total / args.recipients:.0f} B with its "
          f"indexes ({args.read:.0%} read)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=30_000)
    parser.add_argument("--read", type=float, default=0.3)
    parser.add_argument("--limit", type=int, default=50)
    args = parser.parse_args()
    base = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    name = f"bench_unread_{uuid.uuid4().hex[:8]}"
    admin = base.rsplit("/", 1)[0].replace("+psycopg", "") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": base.rsplit("/", 1)[0] + "/" + name})
        with app.app_context():
            db.create_all()
            run(args)
            db.session.remove()
            db.engine.dispose()
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
