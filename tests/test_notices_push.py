"""Notices reaching phones: fan-out through the outbox, audiences, stats, the unread list and reminders."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from backend.accounts.models import Residency
from backend.common.models import utcnow
from backend.extensions import db
from backend.notices import fanout, services
from backend.push.models import PushDelivery, PushSubscription
from tests import factories, pushtools
from tests.notice_factories import create_notice
from tests.pushservice import HANG


@pytest.fixture(autouse=True)
def push_config(app):
    pushtools.configure(app)


@pytest.fixture
def push_service():
    yield from pushtools.running_service()


def base(community) -> str:
    return f"/api/v1/communities/{community.id}/notices"


def test_a_thousand_devices_each_get_the_notice_once(community, staff, push_service):
    building = factories.create_building(community)
    user_ids = pushtools.bulk_residents(community, 1000, building)
    infos = pushtools.bulk_devices(push_service, user_ids)
    answers = {0: [410], 1: [404], 2: [(429, 30)], 3: [500], 4: [500, 503], 5: [HANG]}
    for n, uid in enumerate(user_ids):
        push_service.script(infos[uid], *answers.get(n % 50, []))
    notice = create_notice(community, staff, category="urgent", push=True, title="燃气管道抢修")
    now = utcnow()
    for minutes in (0, 1, 5, 30, 120):
        pushtools.deliver_all(now + timedelta(minutes=minutes))
    gone = {uid for n, uid in enumerate(user_ids) if n % 50 in (0, 1)}
    # What each phone shows: one message. A copy whose answer came after the client's timeout (a loaded
    # machine) is sent again and may arrive twice; the phone drops the repeat by its message_id.
    per_device = {}
    for got in push_service.received:
        per_device.setdefault(got.sub_id, set()).add(got.payload["message_id"])
        assert got.payload["notice_id"] == notice.id and got.topic == f"notice-{notice.id}"
    assert {sub: len(ids) for sub, ids in per_device.items()} == {
        push_service.sub_id(infos[uid]): 1 for uid in user_ids if uid not in gone}
    assert db.session.scalar(select(func.count(func.distinct(PushDelivery.user_id)))) == \
        db.session.scalar(select(func.count()).select_from(PushDelivery))  # one row per resident (one device each)
    assert set(db.session.scalars(select(PushSubscription.user_id))) == set(user_ids) - gone
    statuses = dict(db.session.execute(select(PushDelivery.status, func.count()).group_by(PushDelivery.status)).all())
    assert statuses == {"delivered": 960, "gone": 40}
    assert not [e for e in push_service.errors if "404" not in e]


def test_publishing_with_push_writes_one_delivery_per_device(community, staff, resident, push_service):
    pushtools.add_device(push_service, resident)
    pushtools.add_device(push_service, resident)
    create_notice(community, staff, push=True, category="urgent")
    assert db.session.scalar(select(func.count()).select_from(PushDelivery)) == 2


def test_without_the_push_switch_nothing_is_sent(community, staff, resident, push_service):
    pushtools.add_device(push_service, resident)
    create_notice(community, staff, push=False)
    assert db.session.scalar(select(func.count()).select_from(PushDelivery)) == 0


def test_the_push_links_to_the_notice_and_says_it_is_urgent(community, staff, resident, push_service):
    info = pushtools.add_device(push_service, resident)
    notice = create_notice(community, staff, push=True, category="urgent", title="暴雨红色预警",
                           body="<p>请<b>立即</b>远离地下车库。</p>", expires_at=utcnow() + timedelta(hours=6))
    pushtools.deliver_all()
    (got,) = push_service.received_by(info)
    assert len(got.payload.pop("message_id")) == 32  # the phone shows a re-sent copy once
    assert got.payload == {"title": "【紧急】暴雨红色预警", "body": "请立即远离地下车库。",
                           "url": f"/notices/{notice.id}", "notice_id": notice.id, "community_id": community.id,
                           "category": "urgent", "urgent": True, "tag": f"notice-{notice.id}"}
    assert got.urgency == "high" and 6 * 3600 - 60 < got.ttl <= 6 * 3600


def test_a_scheduled_notice_is_pushed_when_the_worker_publishes_it(community, staff, resident, push_service):
    info = pushtools.add_device(push_service, resident)
    notice = create_notice(community, staff, publish=False, push=True, category="urgent")
    services.publish_notice(notice, utcnow() + timedelta(minutes=30))
    pushtools.deliver_all()
    assert push_service.received == []
    services.publish_due(utcnow() + timedelta(minutes=31))
    fanout.drain(utcnow() + timedelta(minutes=31))
    pushtools.deliver_all(utcnow() + timedelta(minutes=31))
    assert len(push_service.received_by(info)) == 1


def test_withdrawing_cancels_pushes_not_yet_sent(staff_client, community, staff, resident, push_service):
    pushtools.add_device(push_service, resident)
    notice = create_notice(community, staff, push=True, category="urgent")
    staff_client.post(f"{base(community)}/manage/{notice.id}/withdraw")
    pushtools.deliver_all()
    assert push_service.received == [] and db.session.scalar(select(PushDelivery.status)) == "cancelled"


def test_quiet_hours_hold_ordinary_notices_until_morning(community, staff, resident, push_service):
    info = pushtools.add_device(push_service, resident)
    night = utcnow().replace(hour=16, minute=0)  # 00:00 in Shanghai
    notice = create_notice(community, staff, publish=False, push=True, category="activity")
    services._fan_out(notice, night, ("draft",))
    db.session.commit()
    fanout.drain(night)
    pushtools.deliver_all(night + timedelta(hours=6))
    assert push_service.received == []
    pushtools.deliver_all(night + timedelta(hours=7))
    assert len(push_service.received_by(info)) == 1


# Audiences


@pytest.fixture
def town(community):
    """Two grids; grid A has buildings 1 and 2, grid B building 3; an owner and a tenant in each building."""
    grid_a, grid_b = factories.create_grid(community, "A网格"), factories.create_grid(community, "B网格")
    buildings = [factories.create_building(community, f"{n}栋", grid) for n, grid in ((1, grid_a), (2, grid_a),
                                                                                      (3, grid_b))]
    people = {}
    for b in buildings:
        for relation in ("owner", "tenant"):
            home = factories.create_dwelling(community, b)
            people[(b.name, relation)] = factories.create_resident(community, dwelling=home, relation=relation).id
    return {"grids": (grid_a, grid_b), "buildings": buildings, "people": people}


def addressed(notice) -> set[int]:
    from backend.notices.models import NoticeRecipient
    return set(db.session.scalars(select(NoticeRecipient.user_id).filter_by(notice_id=notice.id)))


@pytest.mark.parametrize("audience, expected", [
    (lambda t: {"everyone": True}, lambda p: set(p)),
    (lambda t: {"grid_ids": [t["grids"][0].id]}, lambda p: {k for k in p if k[0] in ("1栋", "2栋")}),
    (lambda t: {"building_ids": [t["buildings"][2].id]}, lambda p: {k for k in p if k[0] == "3栋"}),
    (lambda t: {"grid_ids": [t["grids"][1].id], "building_ids": [t["buildings"][0].id]},
     lambda p: {k for k in p if k[0] in ("1栋", "3栋")}),
    (lambda t: {"roles": ["owner"]}, lambda p: {k for k in p if k[1] == "owner"}),
    (lambda t: {"grid_ids": [t["grids"][0].id], "roles": ["owner"]},
     lambda p: {("1栋", "owner"), ("2栋", "owner")}),
])
def test_the_audience_decides_who_is_addressed(community, staff, town, audience, expected):
    notice = create_notice(community, staff, audience=audience(town))
    assert addressed(notice) == {town["people"][k] for k in expected(town["people"])}


def test_a_resident_with_two_homes_is_addressed_once(community, staff):
    user = factories.create_resident(community)
    db.session.add(Residency(user=user, community_id=community.id, dwelling=factories.create_dwelling(community),
                             relation="owner", status="verified", verified_at=utcnow()))
    db.session.commit()
    assert addressed(create_notice(community, staff)) == {user.id}


def test_disabled_accounts_are_not_addressed(community, staff):
    factories.create_resident(community, active=False)
    assert addressed(create_notice(community, staff)) == set()
