"""The outbox is pruned of old settled pushes, and a notice's figures stay what they were."""
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from backend.common.models import utcnow
from backend.extensions import db
from backend.places.models import Community
from backend.push import jobs
from backend.push import services as push
from backend.push.models import PushDelivery, PushMessage, PushSubscription
from backend.push.retention import prune_settled
from tests import factories
from tests.notice_factories import create_notice

OLD = timedelta(days=31)


def stats_of(client, community, notice) -> dict:
    return client.get(f"/api/v1/communities/{community.id}/notices/manage/{notice.id}/stats").json


def add_devices(user, n: int = 1) -> None:
    """Phones the outbox is never run for here: only the rows' states matter."""
    for i in range(n):
        db.session.add(PushSubscription(user_id=user.id, endpoint=f"https://fcm.googleapis.com/fcm/send/{user.id}-{i}",
                                        p256dh="k", auth="a"))
    db.session.commit()


def settle(user, status: str, age: timedelta = OLD) -> None:
    """Give this user's deliveries an outcome, that long ago."""
    db.session.execute(update(PushDelivery).where(PushDelivery.user_id == user.id)
                       .values(status=status, next_attempt_at=utcnow() - age))
    db.session.commit()


def statuses() -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for user_id, status in db.session.execute(select(PushDelivery.user_id, PushDelivery.status)):
        found.setdefault(user_id, []).append(status)
    return {k: sorted(v) for k, v in found.items()}


@pytest.fixture
def pushed(community, staff):
    """Six residents, each with two phones, sent an urgent notice; their deliveries settled in every way."""
    grid = factories.create_grid(community, "A网格")
    building = factories.create_building(community, grid=grid)
    people = [factories.create_resident(community, dwelling=factories.create_dwelling(community, building))
              for _ in range(6)]
    for person in people:
        add_devices(person, 2)
    notice = create_notice(community, staff, push=True, category="urgent")
    for person, status in zip(people, ("delivered", "failed", "gone", "cancelled")):
        settle(person, status)
    settle(people[4], "delivered", age=timedelta(days=2))  # settled, but recent
    db.session.execute(update(PushDelivery).where(PushDelivery.user_id == people[5].id)
                       .values(next_attempt_at=utcnow() - OLD))  # still pending after a month
    db.session.commit()
    return notice, people


def test_old_settled_deliveries_go_and_pending_or_recent_stay(pushed):
    _, people = pushed
    assert prune_settled() == 8
    assert statuses() == {people[4].id: ["delivered", "delivered"], people[5].id: ["pending", "pending"]}


def test_the_notice_stats_are_the_same_after_pruning(staff_client, community, pushed):
    notice, people = pushed
    before = stats_of(staff_client, community, notice)
    assert (before["pushed"], before["delivered"]) == (6, 2)
    prune_settled()
    assert stats_of(staff_client, community, notice) == before


def test_a_reminder_after_pruning_counts_each_person_once(staff_client, community, pushed):
    notice, people = pushed
    prune_settled()
    push.enqueue(db.session.get(Community, community.id), [p.id for p in people], {"title": "提醒"},
                 notice.source, f"notice-{notice.id}", "urgent", 3600)
    db.session.execute(update(PushDelivery).where(PushDelivery.status == "pending").values(status="delivered"))
    db.session.commit()
    stats = stats_of(staff_client, community, notice)
    assert (stats["addressed"], stats["pushed"], stats["delivered"]) == (6, 6, 6)


def test_pruning_goes_in_batches(pushed):
    assert prune_settled(batch=3, max_batches=2) == 6
    assert prune_settled(batch=3) == 2
    assert prune_settled(batch=3) == 0


def test_messages_go_once_they_hold_no_deliveries(community, pushed):
    old = utcnow() - OLD
    other = PushMessage(community_id=community.id, source="booking:1", topic="b", ttl=60, payload="{}",
                        created_at=old)
    recent = PushMessage(community_id=community.id, source="booking:2", topic="b", ttl=60, payload="{}")
    db.session.add_all([other, recent])
    db.session.execute(update(PushMessage).where(PushMessage.source.like("notice:%")).values(created_at=old))
    db.session.commit()
    prune_settled()
    # The notice's message still holds its pending and recent deliveries; the empty old one goes.
    assert set(db.session.scalars(select(PushMessage.source))) == {pushed[0].source, "booking:2"}


def test_the_retention_period_is_a_setting(app, pushed):
    app.config["PUSH_RETENTION_DAYS"] = 60
    assert prune_settled() == 0
    assert prune_settled(now=utcnow() + timedelta(days=30)) == 8


def test_the_worker_job_prunes_then_rests(app, pushed, monkeypatch):
    monkeypatch.setattr(jobs, "_next_prune", 0.0)
    assert jobs.prune_push_outbox() == 8
    assert jobs.prune_push_outbox() == 0
    _, people = pushed
    settle(people[4], "delivered")  # now old too, but the job waits for its interval
    assert jobs.prune_push_outbox() == 0
    monkeypatch.setattr(jobs, "_next_prune", 0.0)
    assert jobs.prune_push_outbox() == 2
