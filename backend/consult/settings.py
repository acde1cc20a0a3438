"""A community's promise and calendar, its routing table, and where a new question goes."""
from datetime import date, datetime

from sqlalchemy import case, delete, select

from backend.accounts.models import Residency
from backend.consult.calendar import add_working_days
from backend.consult.models import DEFAULT_PROMISE_DAYS, ConsultRoute, ConsultSettings
from backend.contacts.models import Contact, ContactGrid
from backend.errors import invalid
from backend.extensions import db
from backend.places.models import Building, Dwelling
from backend.places.services import get_community

HEADS = ("secretary", "director")  # the community head: the secretary, else the director


def get_settings(community_id: int) -> dict:
    row = db.session.get(ConsultSettings, community_id)
    routes = db.session.scalars(select(ConsultRoute).filter_by(community_id=community_id).order_by(ConsultRoute.topic))
    return {"promise_days": row.promise_days if row else DEFAULT_PROMISE_DAYS,
            "holidays": [date.fromisoformat(d) for d in row.holidays] if row else [],
            "workdays": [date.fromisoformat(d) for d in row.workdays] if row else [],
            "routes": [{"topic": r.topic, "contact_id": r.contact_id} for r in routes]}


def save_settings(community_id: int, promise_days: int, routes: list[dict], holidays: list[date],
                  workdays: list[date]) -> dict:
    for route in routes:
        visible_contact(community_id, route["contact_id"], "routes")
    row = db.session.get(ConsultSettings, community_id) or ConsultSettings(community_id=community_id)
    row.promise_days = promise_days
    row.holidays = sorted({d.isoformat() for d in holidays})
    row.workdays = sorted({d.isoformat() for d in workdays})
    db.session.add(row)
    db.session.execute(delete(ConsultRoute).filter_by(community_id=community_id))
    db.session.add_all(ConsultRoute(community_id=community_id, **route) for route in routes)
    db.session.commit()
    return get_settings(community_id)


def due_after(community_id: int, start: datetime) -> datetime:
    """When the community promised to answer a question asked at `start`."""
    settings = get_settings(community_id)
    return add_working_days(start, settings["promise_days"], get_community(community_id).timezone,
                            set(settings["holidays"]), set(settings["workdays"]))


def _visible(community_id: int):
    return select(Contact).where(Contact.community_id == community_id, Contact.visible.is_(True))


def visible_contact(community_id: int, contact_id: int, field: str = "contact_id") -> Contact:
    contact = db.session.scalar(_visible(community_id).where(Contact.id == contact_id))
    if contact is None:
        raise invalid(field, "No such contact in this community.")
    return contact


def head(community_id: int) -> Contact | None:
    order = case({p: n for n, p in enumerate(HEADS)}, value=Contact.position)
    return db.session.scalar(_visible(community_id).where(Contact.position.in_(HEADS))
                             .order_by(order, Contact.user_id.is_(None), Contact.id).limit(1))


def _routed(community_id: int, topic: str) -> Contact | None:
    return db.session.scalar(_visible(community_id).join(ConsultRoute, ConsultRoute.contact_id == Contact.id)
                             .where(ConsultRoute.community_id == community_id, ConsultRoute.topic == topic))


def my_grid_worker(community_id: int, user) -> Contact | None:
    grids = (select(Building.grid_id).join(Dwelling, Dwelling.building_id == Building.id)
             .join(Residency, Residency.dwelling_id == Dwelling.id)
             .where(Residency.user_id == user.id, Residency.community_id == community_id,
                    Residency.status == "verified"))
    serving = select(ContactGrid.contact_id).where(ContactGrid.community_id == community_id,
                                                   ContactGrid.grid_id.in_(grids))
    return db.session.scalar(_visible(community_id).where(Contact.id.in_(serving))
                             .order_by(Contact.position != "grid_worker", Contact.id).limit(1))


def route(community_id: int, topic: str, user) -> Contact | None:
    """Staff's table for the topic, else my grid worker, else the head; None when nobody fits."""
    return _routed(community_id, topic) or my_grid_worker(community_id, user) or head(community_id)
