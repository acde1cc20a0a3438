"""A worker killed mid fan-out loses nothing: the next worker reclaims the dead one's batch after its lease."""
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from backend.common.models import utcnow
from backend.extensions import db
from backend.notices import services
from backend.push.models import PushDelivery
from tests import factories, pushtools
from tests.notice_factories import create_notice

ROOT = Path(__file__).resolve().parents[2]
DEVICES = 300
BATCH = 20


@pytest.fixture
def push_service():
    yield from pushtools.running_service(delay=0.02)  # slow enough to kill the worker part-way


def start_worker(database_url: str, instance: Path, lease: int = 5) -> subprocess.Popen:
    # TESTING lets the worker post to the loopback push service (PUSH_ALLOW_INSECURE_ENDPOINTS is a test switch).
    # A batch still on the wire at three quarters of its lease is cut off and retried later (by default after
    # 30 s): on a machine busy with other tests that happened with a 2 s lease, and the fan-out was all received
    # with its last rows still waiting for the retry. A longer lease, and a retry within the wait below.
    app = "backend:create_app({'TESTING': True, 'PUSH_ALLOW_INSECURE_ENDPOINTS': True})"
    env = {**os.environ, "DATABASE_URL": database_url, "FLASK_APP": app,
           "VAPID_PRIVATE_KEY": pushtools.VAPID_PEM, "INSTANCE_PATH": str(instance), "SECRET_KEY": "test",
           "PUSH_LEASE_SECONDS": str(lease), "PUSH_RETRY_BASE_SECONDS": "1", "PUSH_BATCH_SIZE": str(BATCH),
           "PUSH_CONCURRENCY": "4", "PUSH_TIMEOUT_SECONDS": "5"}
    return subprocess.Popen([sys.executable, "-m", "flask", "worker"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_killing_a_worker_mid_fan_out_loses_no_push(app, database_url, community, staff, push_service, tmp_path):
    pushtools.configure(app)
    infos = pushtools.bulk_devices(push_service, pushtools.bulk_residents(
        community, DEVICES, factories.create_building(community)))
    notice = create_notice(community, staff, publish=False, push=True, category="urgent", title="紧急停电通知")
    services.publish_notice(notice, utcnow() + timedelta(seconds=1))  # the worker publishes it, then sends

    first = start_worker(str(database_url), tmp_path)
    try:
        assert wait_for(lambda: len(push_service.received) >= DEVICES // 4, 60), first.stderr.read1().decode()
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    before = len(push_service.received)
    assert before < DEVICES, "the fan-out finished before the kill; slow the push service down"

    second = start_worker(str(database_url), tmp_path)
    try:
        everyone = {push_service.sub_id(i) for i in infos.values()}
        assert wait_for(lambda: everyone <= {r.sub_id for r in push_service.received}, 60)
        db.session.commit()
        assert wait_for(lambda: _pending() == 0, 30), _still_pending()
    finally:
        second.terminate()
        second.wait(10)

    copies = Counter(r.sub_id for r in push_service.received)
    duplicates = sum(n - 1 for n in copies.values())
    assert duplicates <= BATCH, f"{duplicates} duplicates: more than the one batch in flight"
    assert {r.topic for r in push_service.received} == {f"notice-{notice.id}"}
    assert push_service.errors == []


def _pending() -> int:
    db.session.commit()
    return db.session.scalar(select(func.count()).select_from(PushDelivery).filter_by(status="pending"))


def _still_pending() -> list:
    return db.session.execute(select(PushDelivery.attempts, PushDelivery.last_status, PushDelivery.error,
                                     PushDelivery.next_attempt_at, PushDelivery.lease_until, PushDelivery.claimed_by)
                              .filter_by(status="pending")).all()


def test_two_workers_share_a_fan_out_without_sending_twice(app, database_url, community, staff, push_service,
                                                           tmp_path):
    pushtools.configure(app)
    infos = pushtools.bulk_devices(push_service, pushtools.bulk_residents(
        community, DEVICES, factories.create_building(community)))
    push_service.delay = 0.1  # long enough that both workers are up while there is work left
    create_notice(community, staff, push=True, category="urgent", title="两个进程同时发送")
    # A long lease: under load a slow batch must not count as a dead worker's.
    workers = [start_worker(str(database_url), tmp_path, lease=120) for _ in range(2)]
    try:
        assert wait_for(lambda: len(push_service.received) >= len(infos), 90)
        time.sleep(0.5)  # anything sent twice would arrive by now
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(10)
    copies = Counter(r.sub_id for r in push_service.received)
    assert set(copies) == {push_service.sub_id(i) for i in infos.values()} and set(copies.values()) == {1}
    db.session.commit()
    assert len(set(db.session.scalars(select(PushDelivery.claimed_by)))) == 2
