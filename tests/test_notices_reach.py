"""Before publishing, staff see whom a notice reaches: residents, phones that ring now, phones in quiet hours."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from backend.extensions import db
from backend.notices import fanout
from backend.notices.models import Notice
from backend.push import services as push
from tests import factories, pushtools


@pytest.fixture
def push_service():
    yield from pushtools.running_service()


def url(community) -> str:
    return f"/api/v1/communities/{community.id}/notices/manage/reach"


def quiet_now(user) -> None:
    """Quiet hours from an hour ago to an hour ahead, in the community's time."""
    local = datetime.now(ZoneInfo("Asia/Shanghai"))
    push.save_preferences(user, quiet_enabled=True, quiet_start=(local - timedelta(hours=1)).strftime("%H:%M"),
                          quiet_end=(local + timedelta(hours=1)).strftime("%H:%M"))


def never_quiet(user, categories=None) -> None:
    push.save_preferences(user, quiet_enabled=False, **({"categories": categories} if categories else {}))


@pytest.fixture
def town(community, push_service):
    """Two buildings: the first with a resident on two phones, one in quiet hours, one with none;
    the second with a resident who takes only urgent pushes."""
    first, second = factories.create_building(community, "1栋"), factories.create_building(community, "2栋")
    two_phones = factories.create_resident(community, factories.create_dwelling(community, first, "101"))
    quiet = factories.create_resident(community, factories.create_dwelling(community, first, "102"))
    no_phone = factories.create_resident(community, factories.create_dwelling(community, first, "103"))
    urgent_only = factories.create_resident(community, factories.create_dwelling(community, second, "201"))
    for user in (two_phones, two_phones, quiet, urgent_only):
        pushtools.add_device(push_service, user)
    never_quiet(two_phones)
    quiet_now(quiet)
    never_quiet(urgent_only, categories=["urgent"])
    never_quiet(no_phone)
    return {"first": first, "second": second, "residents": [two_phones, quiet, no_phone, urgent_only]}


def test_the_count_follows_audience_category_and_quiet_hours(community, staff_client, town):
    everyone = {"everyone": True}
    r = staff_client.post(url(community), json={"audience": everyone, "category": "activity"})
    assert r.status_code == 200, r.json
    assert r.json == {"residents": 4, "phones": 2, "phones_later": 1, "sms": 0, "sms_over_budget": 0}
    # Urgent notices ring every phone at once, quiet hours or not.
    r = staff_client.post(url(community), json={"audience": everyone, "category": "urgent"})
    # ... and the one resident with no push device gets a text instead.
    assert r.json == {"residents": 4, "phones": 4, "phones_later": 0, "sms": 1, "sms_over_budget": 0}
    r = staff_client.post(url(community), json={"audience": {"building_ids": [town["second"].id]},
                                                "category": "urgent"})
    assert r.json == {"residents": 1, "phones": 1, "phones_later": 0, "sms": 0, "sms_over_budget": 0}
    r = staff_client.post(url(community), json={"audience": everyone, "category": "urgent", "push": False})
    assert r.json == {"residents": 4, "phones": 0, "phones_later": 0, "sms": 0, "sms_over_budget": 0}


def test_the_count_is_what_publishing_then_writes(community, staff, staff_client, town):
    from backend.push.models import PushDelivery
    body = {"audience": {"building_ids": [town["first"].id]}, "category": "policy"}
    expected = staff_client.post(url(community), json=body).json
    made = staff_client.post(f"/api/v1/communities/{community.id}/notices/manage",
                             json={**body, "title": "电梯年检", "body": "<p>周三上午停用</p>"}).json
    r = staff_client.post(f"/api/v1/communities/{community.id}/notices/manage/{made['id']}/publish", json={})
    assert r.status_code == 200, r.json
    fanout.drain()
    assert expected["residents"] == 3
    assert db.session.scalar(select(func.count()).select_from(PushDelivery)) == \
        expected["phones"] + expected["phones_later"] == 3


def test_bad_audience_is_refused_and_nothing_is_written(community, other_community, staff_client, town):
    foreign = factories.create_building(other_community, "对面1栋")
    r = staff_client.post(url(community), json={"audience": {"building_ids": [foreign.id]}, "category": "policy"})
    assert r.status_code == 422 and "audience.building_ids" in r.json["errors"]
    r = staff_client.post(url(community), json={"audience": {}, "category": "policy"})
    assert r.status_code == 422
    r = staff_client.post(url(community), json={"audience": {"everyone": True}, "category": "gossip"})
    assert r.status_code == 422 and "category" in r.json["errors"]
    assert db.session.scalar(select(func.count()).select_from(Notice)) == 0


def test_only_the_community_staff_may_ask(community, other_community, make_client, resident, town):
    body = {"audience": {"everyone": True}, "category": "policy"}
    assert factories.logged_in(make_client(), resident).post(url(community), json=body).status_code == 403
    other_staff = factories.create_user(other_community, role="staff")
    assert factories.logged_in(make_client(), other_staff).post(url(community), json=body).status_code in (403, 404)
    assert make_client().post(url(community), json=body).status_code == 401
