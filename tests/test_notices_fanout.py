"""Publishing off the request path: the worker addresses a notice a chunk at a time, once per resident, with
two workers at once or after one died mid-way; staff follow its progress."""
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from sqlalchemy import func, select, text

from backend.common.db import is_postgres
from backend.extensions import db
from backend.notices import fanout
from backend.notices.models import NoticeRecipient, NoticeSending
from backend.push import services as push
from backend.push.models import PushDelivery
from backend.sms import budget
from backend.sms.models import SmsMessage
from tests import factories, pushtools
from tests.notice_factories import create_notice

RESIDENTS = 60


@pytest.fixture
def crowd(community):
    """Residents in bulk, two thirds with a push device, the rest texted when a notice is urgent."""
    ids = pushtools.bulk_residents(community, RESIDENTS, factories.create_building(community))
    if is_postgres():  # the bulk rows carry their ids: move the sequences past them for the rows made later
        for table in ("user", "dwelling"):
            db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                                    f"(SELECT max(id) FROM \"{table}\"))"))
    pushtools.insert_devices({uid: {"endpoint": f"https://push.example/{uid}", "keys": {"p256dh": "k", "auth": "a"}}
                              for uid in ids if uid % 3})
    budget.save(community.id, factories.create_user(), 1000, 1000)
    return ids


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    monkeypatch.setattr(fanout, "CHUNK", 7)


def base(community) -> str:
    return f"/api/v1/communities/{community.id}/notices/manage"


def publish(staff_client, community, **fields) -> int:
    body = {"title": "今晚停电抢修", "body": "<p>今晚停电。</p>", "category": "urgent", "push": True,
            "audience": {"everyone": True}, **fields}
    draft = staff_client.post(base(community), json=body).json
    r = staff_client.post(f"{base(community)}/{draft['id']}/publish", json={})
    assert r.status_code == 200 and r.json["status"] == "published"
    return draft["id"]


def written(notice_id: int) -> tuple[Counter, Counter, Counter]:
    """How many times each resident, device and phone was written for the notice."""
    db.session.expire_all()
    recipients = Counter(db.session.scalars(select(NoticeRecipient.user_id).filter_by(notice_id=notice_id)))
    devices = Counter(db.session.scalars(select(PushDelivery.subscription_id)))
    phones = Counter(db.session.scalars(select(SmsMessage.phone).filter_by(source=f"notice:{notice_id}")))
    return recipients, devices, phones


def assert_each_once(notice_id: int, crowd: list[int]) -> None:
    recipients, devices, phones = written(notice_id)
    assert set(recipients) == set(crowd) and set(recipients.values()) == {1}
    assert len(devices) == len([u for u in crowd if u % 3]) and set(devices.values()) == {1}
    assert len(phones) == len([u for u in crowd if not u % 3]) and set(phones.values()) == {1}


def test_the_request_records_a_job_and_the_worker_addresses_it(staff_client, community, staff, crowd):
    notice_id = publish(staff_client, community)
    assert written(notice_id) == (Counter(), Counter(), Counter())
    progress = staff_client.get(f"{base(community)}/{notice_id}/progress").json
    assert (progress["kind"], progress["status"], progress["done"], progress["total"]) == (
        "publish", "running", 0, None)
    assert fanout.step() == 7
    progress = staff_client.get(f"{base(community)}/{notice_id}/stats").json
    assert (progress["addressed"], progress["progress"]["done"], progress["progress"]["total"]) == (7, 7, RESIDENTS)
    fanout.drain()
    stats = staff_client.get(f"{base(community)}/{notice_id}/stats").json
    assert stats["addressed"] == RESIDENTS and stats["sms_pending"] == RESIDENTS // 3
    assert {k: stats["progress"][k] for k in ("status", "done", "total", "deliveries")} == {
        "status": "done", "done": RESIDENTS, "total": RESIDENTS, "deliveries": RESIDENTS - RESIDENTS // 3}
    assert_each_once(notice_id, crowd)


def test_two_workers_racing_write_each_resident_once(app, staff_client, community, staff, crowd):
    notice_id = publish(staff_client, community)
    start = Barrier(2)

    def work(_):
        with app.app_context():
            start.wait()
            chunks = 0
            while db.session.scalar(select(func.count()).select_from(NoticeSending).filter_by(status="running")):
                chunks += 1 if fanout.step() else 0
            db.session.remove()
            return chunks
    with ThreadPoolExecutor(2) as pool:
        chunks = list(pool.map(work, range(2)))
    assert sum(chunks) >= RESIDENTS // 7
    assert_each_once(notice_id, crowd)
    assert db.session.scalar(select(NoticeSending.done)) == RESIDENTS


def test_a_worker_dying_mid_way_loses_nothing_and_writes_nothing_twice(staff_client, community, staff, crowd,
                                                                      monkeypatch):
    notice_id = publish(staff_client, community)
    assert fanout.step() == 7
    add_deliveries = push.add_deliveries

    def dies(*args, **kwargs):
        add_deliveries(*args, **kwargs)
        raise RuntimeError("killed")  # after writing the chunk's recipients and pushes, before the commit
    monkeypatch.setattr(push, "add_deliveries", dies)
    with pytest.raises(RuntimeError):
        fanout.step()
    db.session.rollback()  # what the dead worker's connection does
    monkeypatch.setattr(push, "add_deliveries", add_deliveries)
    assert sum(written(notice_id)[0].values()) == 7
    fanout.drain()
    assert_each_once(notice_id, crowd)


def test_withdrawing_mid_way_stops_the_fan_out(staff_client, community, staff, crowd):
    notice_id = publish(staff_client, community)
    fanout.step()
    assert staff_client.post(f"{base(community)}/{notice_id}/withdraw").status_code == 200
    fanout.drain()
    assert sum(written(notice_id)[0].values()) == 7
    assert db.session.scalar(select(NoticeSending.status)) == "done"
    assert set(db.session.scalars(select(PushDelivery.status))) == {"cancelled"}


def test_a_resident_verified_mid_way_is_addressed_once(staff_client, community, staff, crowd):
    notice_id = publish(staff_client, community)
    fanout.step()
    newcomer = factories.create_resident(community)  # verified now: reading.catch_up addresses them
    fanout.drain()
    assert written(notice_id)[0][newcomer.id] == 1


def test_reminders_go_a_chunk_at_a_time_to_the_unread(staff_client, community, staff, crowd):
    notice = create_notice(community, staff, push=True)
    pushes = db.session.scalar(select(func.count()).select_from(PushDelivery))
    r = staff_client.post(f"{base(community)}/{notice.id}/remind")
    assert r.status_code == 200 and r.json == {"reminded": RESIDENTS, "deliveries": 0}
    assert fanout.step() == 7
    fanout.drain()
    progress = staff_client.get(f"{base(community)}/{notice.id}/progress").json
    assert (progress["kind"], progress["status"], progress["done"], progress["total"]) == (
        "remind", "done", RESIDENTS, RESIDENTS)
    assert db.session.scalar(select(func.count()).select_from(PushDelivery)) == 2 * pushes


def test_no_progress_before_publishing(staff_client, community, staff):
    draft = create_notice(community, staff, publish=False)
    r = staff_client.get(f"{base(community)}/{draft.id}/progress")
    assert r.status_code == 404 and r.json["code"] == "not_found"
