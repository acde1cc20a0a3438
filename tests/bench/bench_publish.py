"""Publishing to a whole community: the request (test client) and the worker's fan-out after it.

    .venv/bin/python -m tests.bench.bench_publish [--residents 3000] [--runs 5] [--database URL]

Residents are written in bulk, two in three with a push device (nothing is sent: only the outbox rows are
written). Each run publishes an urgent notice to everyone (recipients, pushes and texts) and times the POST
publish, then `fanout.drain()` (what `flask worker` does, a chunk at a time). On PostgreSQL pass an empty
database's URL: its tables are dropped and made again.
"""
import argparse
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from backend import create_app
from backend.common.db import is_postgres
from backend.extensions import db
from backend.notices import fanout
from backend.sms import budget
from tests import factories, pushtools
from tests.conftest import TEST_CONFIG, ApiClient

BODY = {"title": "紧急通知：今晚 22:00 起全小区停水", "body": "<p>" + "因主管道抢修，" * 40 + "</p>",
        "category": "urgent", "push": True, "audience": {"everyone": True}}


def seed(residents: int):
    community = factories.create_community()
    staff = factories.create_user(community, role="staff")
    ids = pushtools.bulk_residents(community, residents, factories.create_building(community))
    pushtools.insert_devices({uid: {"endpoint": f"https://push.example/{uid}", "keys": {"p256dh": "k", "auth": "a"}}
                              for uid in ids if uid % 3})
    if is_postgres():  # the bulk rows carry their ids
        for table in ("user", "dwelling"):
            db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                                    f"(SELECT max(id) FROM \"{table}\"))"))
    budget.save(community.id, staff, 100_000, 100_000)
    db.session.commit()
    return community, staff


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database", help="default: a new SQLite file")
    args = parser.parse_args()
    url = args.database or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    app.test_client_class = ApiClient
    with app.app_context():
        db.drop_all()
        db.create_all()
        community, staff = seed(args.residents)
        client = app.test_client()
        factories.logged_in(client, staff)
        base = f"/api/v1/communities/{community.id}/notices/manage"
        requests, cpu, workers = [], [], []
        for _ in range(args.runs):
            draft = client.post(base, json=BODY).json
            started, used = time.perf_counter(), time.process_time()
            response = client.post(f"{base}/{draft['id']}/publish", json={})
            requests.append(time.perf_counter() - started)
            cpu.append(time.process_time() - used)
            assert response.status_code == 200, response.json
            started = time.perf_counter()
            fanout.drain()
            workers.append(time.perf_counter() - started)
        print(f"{db.engine.dialect.name}, {args.residents:,} residents ({args.residents - args.residents // 3:,} "
              f"devices), {args.runs} runs")
        print(f"publish request: median {statistics.median(requests) * 1000:.1f} ms, "
              f"max {max(requests) * 1000:.1f} ms, CPU median {statistics.median(cpu) * 1000:.1f} ms; "
              f"each: {', '.join(f'{r * 1000:.0f}' for r in requests)} ms")
        fan = statistics.median(workers)
        print(f"worker fan-out (recipients, pushes, texts): median {fan:.2f} s, "
              f"{args.residents / fan:,.0f} residents/s")
        db.session.remove()
        db.drop_all()


if __name__ == "__main__":
    main()
