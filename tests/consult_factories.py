"""Test data for questions: a community with a directory, residents in grids, questions asked through the services."""
import json

from sqlalchemy import select

from backend.consult import services, settings
from backend.extensions import db
from backend.push.models import PushDelivery, PushSubscription
from tests import factories
from tests.contacts_factories import at, create_contact


def base(community) -> str:
    return f"/api/v1/communities/{community.id}/questions"


def resident_in(community, grid=None, **extra):
    """A verified resident whose home is in `grid`'s building."""
    building = factories.create_building(community, grid=grid)
    return factories.create_resident(community, factories.create_dwelling(community, building, room="501"), **extra)


def linked_contact(community, name: str = "王芳", position: str = "grid_worker", role: str = "staff", **fields):
    """A directory profile linked to a member (staff, or a resident who is a party member)."""
    user = factories.create_user(community, role=role, name=name)
    return create_contact(community, name=name, position=position, user_id=user.id, **fields), user


def ask(community, user, topic: str = "elderly", text: str = "我妈八十岁了，一个人住，能申请助餐吗？", now=None,
        **fields):
    return services.ask(community.id, user, topic, text, fields.pop("photos", []), now=now or at("2026-12-01 10:00"),
                        **fields)


def set_calendar(community, promise_days: int = 2, routes=(), holidays=(), workdays=()):
    return settings.save_settings(community.id, promise_days, list(routes), list(holidays), list(workdays))


def add_device(user) -> None:
    """A saved browser subscription: enough for the outbox to write a delivery for this user."""
    db.session.add(PushSubscription(user_id=user.id, endpoint=f"https://push.example.com/{user.id}",
                                    p256dh="p256dh-key", auth="auth-secret"))
    db.session.commit()


def pushed_to(user) -> list[str]:
    """The titles of the pushes waiting for this user."""
    rows = db.session.scalars(select(PushDelivery).filter_by(user_id=user.id).order_by(PushDelivery.id))
    return [json.loads(row.message.payload)["title"] for row in rows]
