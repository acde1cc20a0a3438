"""Urgent notices reach residents without push by text: queued at publishing within the budget, sent by the
worker once per phone (the console provider's log lines are the texts), counted in the notice stats."""
import json
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select, update

from backend.common.models import utcnow
from backend.extensions import db
from backend.notices import fanout, services
from backend.push.models import PushSubscription
from backend.sms import budget, outbox
from backend.sms.models import SmsMessage
from tests import factories
from tests.notice_factories import create_notice
from tests.test_notices_reach import quiet_now
from tests.test_sms import Texts
from tests.test_sms_providers import ALIYUN_OK, ALIYUN_THROTTLED, Provider, configure


@pytest.fixture
def texts():
    handler, logger = Texts(), logging.getLogger("backend.sms")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


def give_device(user) -> None:
    db.session.add(PushSubscription(user_id=user.id, endpoint=f"https://fcm.googleapis.com/fcm/send/u{user.id}",
                                    p256dh="p", auth="a"))
    db.session.commit()


@pytest.fixture
def block(community):
    """One building: two residents with a push device, three without (one of them in another building)."""
    first, second = factories.create_building(community, "1栋"), factories.create_building(community, "2栋")
    people = [factories.create_resident(community, factories.create_dwelling(community, first, str(101 + i)))
              for i in range(4)]
    people.append(factories.create_resident(community, factories.create_dwelling(community, second, "201")))
    for user in people[:2]:
        give_device(user)
    return {"first": first, "second": second, "with_push": people[:2], "without_push": people[2:]}


def urgent(community, staff, publish=True, **fields):
    return create_notice(community, staff, publish=publish, category="urgent", push=True, title="今晚停电抢修",
                         body="<p>今晚 22:00 至次日 2:00 全小区停电，请提前准备照明。</p>", **fields)


def texted() -> list[SmsMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(SmsMessage).where(SmsMessage.source.is_not(None)).order_by(SmsMessage.id)))


def stats(client, community, notice) -> dict:
    r = client.get(f"/api/v1/communities/{community.id}/notices/manage/{notice.id}/stats")
    assert r.status_code == 200, r.json
    return r.json


def test_an_urgent_notice_texts_those_without_push_once_each(community, staff, staff_client, block, texts):
    notice = urgent(community, staff)
    queued = texted()
    assert sorted(m.phone for m in queued) == sorted(u.phone for u in block["without_push"])
    assert {m.status for m in queued} == {"pending"} and not texts.lines  # off the request path
    assert stats(staff_client, community, notice)["sms_pending"] == 3

    assert outbox.send_due() == 3
    assert {m.status for m in texted()} == {"sent"}
    assert sorted(line.split()[2] for line in texts.lines) == sorted(u.phone for u in block["without_push"])
    assert all("今晚停电抢修" in line and "紧急通知" in line for line in texts.lines)
    counted = stats(staff_client, community, notice)
    assert (counted["sms_sent"], counted["sms_pending"], counted["sms_failed"], counted["sms_over_budget"]) == \
        (3, 0, 0, 0)
    assert counted["addressed"] == 5  # the push counts are as they were

    assert outbox.send_due(utcnow() + timedelta(days=1)) == 0  # the worker again: nothing twice
    r = staff_client.post(f"/api/v1/communities/{community.id}/notices/manage/{notice.id}/remind")
    assert r.status_code == 200 and outbox.send_due() == 0 and len(texts.lines) == 3


def test_like_an_urgent_push_the_text_does_not_wait_for_quiet_hours(community, staff, block, texts):
    [person] = block["without_push"][-1:]
    quiet_now(person)
    urgent(community, staff, audience={"building_ids": [block["second"].id]})
    [message] = texted()
    assert message.next_attempt_at <= utcnow() and outbox.send_due() == 1 and person.phone in texts.lines[0]


@pytest.mark.parametrize("fields", [{"category": "service"}, {"push": False}])
def test_only_urgent_notices_that_ring_phones_are_texted(community, staff, block, fields):
    create_notice(community, staff, **{"category": "urgent", "push": True, **fields})
    assert texted() == []


def test_only_the_audience_is_texted(community, staff, block):
    urgent(community, staff, audience={"building_ids": [block["second"].id]})
    assert [m.user_id for m in texted()] == [block["without_push"][-1].id]


def test_a_scheduled_urgent_notice_texts_when_the_worker_publishes_it(community, staff, block, texts):
    notice = urgent(community, staff, publish=False)
    services.publish_notice(notice, utcnow() + timedelta(hours=1))
    assert texted() == []
    later = utcnow() + timedelta(hours=2)
    assert services.publish_due(later) == 1 and services.publish_due(later + timedelta(hours=1)) == 0
    fanout.drain(later)
    assert len(texted()) == 3 and outbox.send_due(later) == 3 and len(texts.lines) == 3


def test_withdrawing_stops_the_texts_not_yet_sent(community, staff, staff_client, block, texts):
    notice = urgent(community, staff)
    r = staff_client.post(f"/api/v1/communities/{community.id}/notices/manage/{notice.id}/withdraw")
    assert r.status_code == 200
    assert outbox.send_due() == 0 and not texts.lines
    assert {m.status for m in texted()} == {"cancelled"}


def set_budget(community, monthly: int, per_notice: int) -> None:
    budget.save(community.id, factories.create_user(), monthly, per_notice)


def test_the_per_notice_cap_leaves_the_rest_counted_as_over_budget(community, staff, staff_client, block):
    set_budget(community, 100, 2)
    notice = urgent(community, staff)
    assert sorted(m.status for m in texted()) == ["over_budget", "pending", "pending"]
    counted = stats(staff_client, community, notice)
    assert (counted["sms_pending"], counted["sms_over_budget"]) == (2, 1)


def test_the_month_budget_is_shared_by_notices_and_renews_next_month(community, staff, block):
    set_budget(community, 4, 4)
    urgent(community, staff)
    second = urgent(community, staff)
    assert [m.status for m in texted() if m.source == second.source].count("pending") == 1
    # Texts the provider refused cost nothing: they leave room for the next notice.
    db.session.execute(update(SmsMessage).where(SmsMessage.source == second.source, SmsMessage.status == "pending")
                       .values(status="failed"))
    db.session.commit()
    assert budget.summary(community.id)["remaining"] == 1
    # Last month's texts no longer count.
    for message in texted():
        message.created_at -= timedelta(days=40)
    db.session.commit()
    third = urgent(community, staff)
    assert [m.status for m in texted() if m.source == third.source] == ["pending"] * 3


@pytest.mark.parametrize("now, start", [
    (datetime(2026, 11, 30, 16, 30, tzinfo=UTC), datetime(2026, 11, 30, 16, 0, tzinfo=UTC)),  # 1 Dec 00:30 local
    (datetime(2026, 11, 30, 15, 30, tzinfo=UTC), datetime(2026, 10, 31, 16, 0, tzinfo=UTC)),  # 30 Nov 23:30 local
    (datetime(2027, 1, 1, 3, 0, tzinfo=UTC), datetime(2026, 12, 31, 16, 0, tzinfo=UTC)),
])
def test_the_month_is_the_community_s_own(community, now, start):
    assert budget.month_start(community, now) == start


def test_reach_tells_how_many_texts_publishing_will_send(community, staff, staff_client, block):
    set_budget(community, 100, 2)
    url = f"/api/v1/communities/{community.id}/notices/manage/reach"
    r = staff_client.post(url, json={"audience": {"everyone": True}, "category": "urgent"})
    assert r.status_code == 200, r.json
    assert r.json == {"residents": 5, "phones": 2, "phones_later": 0, "sms": 2, "sms_over_budget": 1}
    r = staff_client.post(url, json={"audience": {"everyone": True}, "category": "policy"})
    assert (r.json["sms"], r.json["sms_over_budget"]) == (0, 0)
    urgent(community, staff)
    assert [m.status for m in texted()].count("pending") == 2


def test_staff_see_and_set_the_budget(community, staff, staff_client, app):
    url = f"/api/v1/communities/{community.id}/notices/manage/sms-budget"
    r = staff_client.get(url)
    assert r.status_code == 200, r.json
    config = app.config
    assert r.json | {"month": ""} == {"monthly": config["SMS_MONTHLY_BUDGET"], "month": "", "custom": False,
                                      "per_notice": config["SMS_NOTICE_CAP"], "used": 0,
                                      "remaining": config["SMS_MONTHLY_BUDGET"], "max": config["SMS_BUDGET_MAX"]}
    r = staff_client.put(url, json={"monthly": 50, "per_notice": 20})
    assert r.status_code == 200 and (r.json["monthly"], r.json["per_notice"], r.json["custom"]) == (50, 20, True)
    assert staff_client.get(url).json["remaining"] == 50


@pytest.mark.parametrize("body, field", [
    ({"monthly": 10, "per_notice": 11}, "per_notice"),
    ({"monthly": 10**9, "per_notice": 1}, "monthly"),
    ({"monthly": -1, "per_notice": 0}, "monthly"),
    ({"monthly": "10", "per_notice": 1}, "monthly"),
    ({"per_notice": 1}, "monthly"),
])
def test_a_bad_budget_is_refused(community, staff_client, body, field):
    r = staff_client.put(f"/api/v1/communities/{community.id}/notices/manage/sms-budget", json=body)
    assert r.status_code == 422 and field in r.json["errors"], r.json


def test_the_budget_is_the_community_s_own(community, other_community, staff, block):
    set_budget(other_community, 0, 0)
    urgent(community, staff)
    assert len(texted()) == 3 and budget.summary(other_community.id)["used"] == 0


def test_a_throttled_text_is_tried_again_a_failed_one_is_not(app, community, staff, block, provider):
    configure(app, "aliyun", provider.url)
    app.config.update(SMS_TEMPLATE_NOTICE="SMS_777", SMS_MAX_ATTEMPTS=2)
    urgent(community, staff, audience={"building_ids": [block["second"].id]})
    provider.answer = (200, ALIYUN_THROTTLED)
    assert outbox.send_due() == 1
    [message] = texted()
    assert (message.status, message.attempts) == ("pending", 1) and message.next_attempt_at > utcnow()
    provider.answer = (200, ALIYUN_OK)
    assert outbox.send_due(message.next_attempt_at) == 1
    [message] = texted()
    assert (message.status, message.provider_message_id) == ("sent", ALIYUN_OK["BizId"])
    request = provider.requests[-1]
    form = {k: v[0] for part in (urlsplit(request["path"]).query, request["body"].decode())
            for k, v in parse_qs(part).items()}
    assert form["TemplateCode"] == "SMS_777" and json.loads(form["TemplateParam"])["title"] == "今晚停电抢修"

    provider.answer = (200, {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号", "RequestId": "x"})
    second = urgent(community, staff, audience={"building_ids": [block["second"].id]})
    assert outbox.send_due() == 1 and outbox.send_due(utcnow() + timedelta(days=1)) == 0
    [failed] = [m for m in texted() if m.source == second.source]
    assert failed.status == "failed" and "MOBILE_NUMBER_ILLEGAL" in failed.error
    assert len(provider.requests) == 3


@pytest.fixture
def provider():
    server = Provider()
    yield server
    server.close()


def test_a_batch_left_by_a_stopped_worker_is_failed_never_resent(community, staff, block, texts):
    urgent(community, staff)
    now = utcnow()
    assert len(outbox.claim(now, 10, "worker-that-died")) == 3  # claimed, then the process was killed
    assert outbox.send_due(now) == 0 and not texts.lines  # its lease still runs: nobody else sends them
    later = now + timedelta(seconds=601)
    assert outbox.send_due(later) == 3 and not texts.lines
    assert {m.status for m in texted()} == {"failed"}


def test_two_workers_at_once_send_each_text_once(app, community, staff, texts):
    building = factories.create_building(community)
    for i in range(40):
        factories.create_resident(community, factories.create_dwelling(community, building, str(i + 1)))
    app.config.update(SMS_BATCH_SIZE=3)
    urgent(community, staff)
    db.session.commit()
    barrier = threading.Barrier(4)

    def work(n: int) -> int:
        with app.app_context():
            barrier.wait()
            done = sum(outbox.send_due(worker_id=f"w{n}", batches=3) for _ in range(10))
            db.session.remove()
            return done

    with ThreadPoolExecutor(4) as pool:
        done = sum(pool.map(work, range(4)))
    phones = [line.split()[2] for line in texts.lines]
    assert done == 40 and len(phones) == 40 and len(set(phones)) == 40
    assert {m.status for m in texted()} == {"sent"} and {m.attempts for m in texted()} == {1}


def test_two_notices_published_at_once_stay_within_the_budget(app, make_client, community, staff, block):
    set_budget(community, 4, 3)
    drafts = [urgent(community, staff, publish=False).id for _ in range(4)]
    clients = [factories.logged_in(make_client(), staff) for _ in drafts]
    base = f"/api/v1/communities/{community.id}/notices/manage"
    db.session.commit()
    barrier = threading.Barrier(len(drafts))

    def publish(pair) -> int:
        client, notice_id = pair
        barrier.wait()
        return client.post(f"{base}/{notice_id}/publish", json={}).status_code

    with ThreadPoolExecutor(len(drafts)) as pool:
        assert list(pool.map(publish, zip(clients, drafts, strict=True))) == [200] * len(drafts)
    fanout.drain()
    statuses = [m.status for m in texted()]
    assert statuses.count("pending") == 4 and statuses.count("over_budget") == 4 * 3 - 4
