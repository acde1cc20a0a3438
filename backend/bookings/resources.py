"""Bookable resources: staff create, edit, publish and close them; members list them with the next free slot."""
from datetime import UTC, datetime

from sqlalchemy import case, select, update

from backend.bookings import slots
from backend.bookings.models import Booking, Resource, Slot
from backend.common.models import utcnow
from backend.errors import Conflict, Invalid, NotFound, invalid
from backend.extensions import db
from backend.facilities.hours import DAYS, minutes
from backend.facilities.models import Facility
from backend.places.services import get_in_community
from backend.providers.models import ProviderService


def _is_staff(user, community_id: int) -> bool:
    return user is not None and "staff" in user.roles_in(community_id)


def get_resource(community_id: int, resource_id: int, user=None) -> Resource:
    """The resource, or 404; a draft is 404 for anyone but staff."""
    resource = db.session.get(Resource, resource_id)
    if resource is None or resource.community_id != community_id or (
            resource.status == "draft" and user is not None and not _is_staff(user, community_id)):
        raise NotFound("No such resource.")
    return resource


def lock_resource(resource_id: int) -> Resource:
    return db.session.scalar(select(Resource).where(Resource.id == resource_id).with_for_update()
                             .execution_options(populate_existing=True))


def _provider(resource: Resource, staff: bool):
    """The provider of a service; residents see it (its name and phone) only once staff have verified it,
    as on the providers' list: the community does not vouch for a pending or suspended one."""
    service = resource.provider_service_id and db.session.get(ProviderService, resource.provider_service_id)
    if not service or not (staff or service.provider.status == "verified"):
        return None
    return service.provider


def present(resources: list[Resource], now: datetime | None = None, staff: bool = True) -> list[Resource]:
    """Resources with their provider and the next slot with a free seat; `staff` False for a resident."""
    now = now or utcnow()
    for resource in resources:
        resource.provider = _provider(resource, staff)
        resource.next_free = slots.next_free(resource, now) if resource.status == "open" else None
    return resources


def show_resource(community_id: int, resource_id: int, user) -> Resource:
    return present([get_resource(community_id, resource_id, user)], staff=_is_staff(user, community_id))[0]


def list_resources(community_id: int, user, kind: str | None = None, now: datetime | None = None) -> list:
    staff = _is_staff(user, community_id)
    stmt = select(Resource).filter_by(community_id=community_id)
    if not staff:
        stmt = stmt.where(Resource.status == "open")
    if kind:
        stmt = stmt.filter_by(kind=kind)
    return present(list(db.session.scalars(stmt.order_by(Resource.kind, Resource.name, Resource.id))), now, staff)


def _check(community_id: int, fields: dict) -> None:
    if fields.get("facility_id"):
        get_in_community(Facility, community_id, fields["facility_id"], "facility_id")
    if fields.get("provider_service_id"):
        get_in_community(ProviderService, community_id, fields["provider_service_id"], "provider_service_id")
    if fields["max_seats_per_booking"] > fields["seats"]:
        raise invalid("max_seats_per_booking", "Must not be more than the seats of a slot.")
    for day, windows in fields["schedule"].items():
        for start, end in windows:
            if _length(start, end) < fields["slot_minutes"]:
                raise invalid("schedule", f"A window on {day} is shorter than one slot.")
    _refuse_overlaps(fields["schedule"])


def _length(start: str, end: str) -> int:
    return (minutes(end) - minutes(start)) % (24 * 60) or 24 * 60


def _refuse_overlaps(schedule: dict) -> None:
    """Two windows sharing any minute (on one day, or a window past midnight and the next day's, Sunday's
    running into Monday's) would cut the same time twice: refused, naming both."""
    week = 7 * 24 * 60
    spans = [(DAYS.index(day) * 24 * 60 + minutes(start), _length(start, end), day, n, f"{day} {start}-{end}")
             for day in DAYS for n, (start, end) in enumerate(schedule.get(day, []))]
    for i, (a, a_len, a_day, a_n, a_name) in enumerate(spans):
        for b, b_len, b_day, b_n, b_name in spans[i + 1:]:
            if any(a < b + shift + b_len and b + shift < a + a_len for shift in (-week, 0, week)):
                message = f"The windows {a_name} and {b_name} overlap."
                errors: dict = {}
                for day, n in ((a_day, a_n), (b_day, b_n)):
                    errors.setdefault(day, {})[str(n)] = [message]
                raise Invalid(message, "validation_failed", {"schedule": errors})


def save_resource(community_id: int, user, resource_id: int | None = None, now=None, **fields) -> Resource:
    _check(community_id, fields)
    if resource_id is None:
        resource = Resource(community_id=community_id, status="draft")
    else:
        get_resource(community_id, resource_id)
        resource = lock_resource(resource_id)
    for key, value in fields.items():
        setattr(resource, key, value)
    db.session.add(resource)
    db.session.flush()
    if resource_id is not None:
        _reseat(resource, now or utcnow())
    db.session.commit()
    return present([resource], now)[0]


def _reseat(resource: Resource, now: datetime) -> None:
    """Slots not yet ended take the new seat count, never below what is taken; more seats go to the waitlist."""
    db.session.execute(update(Slot).where(Slot.resource_id == resource.id, Slot.ends_at > now).values(
        seats=case((Slot.taken > resource.seats, Slot.taken), else_=resource.seats))
        .execution_options(synchronize_session=False))
    from backend.bookings.booking import promote
    waiting = select(Booking.slot_id).where(Booking.resource_id == resource.id, Booking.status == "waitlisted")
    for slot in db.session.scalars(select(Slot).where(Slot.id.in_(waiting), Slot.ends_at > now)).all():
        promote(slot, now)


def set_status(community_id: int, resource_id: int, status: str) -> Resource:
    resource = get_resource(community_id, resource_id)
    allowed = {"open": ("draft", "closed"), "closed": ("open",)}[status]
    if resource.status not in allowed:
        raise Conflict(f"Only a {' or '.join(allowed)} resource can be made {status}.", "wrong_status")
    resource.status = status
    db.session.commit()
    return present([resource])[0]


def block(community_id: int, resource_id: int, staff, starts_at: datetime, reason: str = "",
          blocked: bool = True) -> dict:
    """Block (or unblock) a slot of the schedule; bookings in it stay, staff cancel them separately."""
    resource = get_resource(community_id, resource_id)
    if slots.slot_at(resource, starts_at.astimezone(UTC)) is None:
        raise Invalid("There is no slot starting at that time.", "no_such_slot",
                      {"starts_at": ["Not a slot start."]})
    slot = slots.lock_slot(slots.get_or_create_slot(resource, starts_at.astimezone(UTC)).id)
    slot.blocked, slot.block_reason = blocked, reason if blocked else ""
    db.session.flush()
    from backend.bookings.booking import log, promote
    log(None, staff, "blocked" if blocked else "unblocked", reason, slot=slot)
    if not blocked:
        promote(slot, utcnow())
    db.session.commit()
    return {"starts_at": slot.starts_at, "ends_at": slot.ends_at, "seats": slot.seats, "taken": slot.taken,
            "free": max(slot.seats - slot.taken, 0), "blocked": slot.blocked, "block_reason": slot.block_reason}
