"""The rules of booking, each a small named check raising its own code, run in the order of RULES.
`slot_full` is not here: the seats are taken by the conditional UPDATE in booking.py."""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from backend.accounts.models import Residency
from backend.bookings import slots
from backend.bookings.models import HOLDING, Booking, Resource, Slot
from backend.errors import Conflict, Forbidden, Invalid, invalid
from backend.extensions import db
from backend.places.models import Dwelling
from backend.volunteering.models import Volunteer

LIVE = (*HOLDING, "waitlisted")


@dataclass
class Ask:
    """One booking request as the rules see it; `staff` is set when staff book for a resident."""
    resource: Resource
    user: object
    starts_at: datetime
    seats: int
    now: datetime
    settings: dict
    dwelling_id: int | None = None
    staff: object | None = None
    ends_at: datetime | None = None
    day: date | None = None  # the day of the schedule's window the slot is cut from
    slot: Slot | None = None
    quota: dict = field(default_factory=dict)


def homes(community_id: int, user_id: int) -> list[Residency]:
    return list(db.session.scalars(select(Residency).filter_by(
        community_id=community_id, user_id=user_id, status="verified").order_by(Residency.id)))


def resource_closed(ask: Ask) -> None:
    if ask.resource.status != "open":
        raise Conflict("This is not open for booking.", "resource_closed")


def _volunteer(community_id: int, user_id: int) -> bool:
    return db.session.scalar(select(Volunteer.id).filter_by(
        community_id=community_id, user_id=user_id, status="approved")) is not None


def not_eligible(ask: Ask) -> None:
    rule, cid = ask.resource.eligibility, ask.resource.community_id
    mine = homes(cid, ask.user.id)
    if rule == "seniors" and mine and ask.user.birth_year is None:
        raise Forbidden("Only seniors may book this; please add your year of birth.", "birth_year_needed")
    ok = bool(mine) and {
        "residents": True,
        "owners": any(r.relation == "owner" for r in mine),
        "volunteers": _volunteer(cid, ask.user.id),
        "seniors": ask.user.birth_year is not None
        and slots.local_day(cid, ask.now).year - ask.user.birth_year >= ask.settings["senior_age"],
    }.get(rule, False)
    if not ok:
        raise Forbidden(f"Only {rule} may book this.", "not_eligible")


def household(ask: Ask) -> None:
    """Which home the booking counts against; its row is locked so the household's quota holds."""
    mine = [r.dwelling_id for r in homes(ask.resource.community_id, ask.user.id)]
    if ask.dwelling_id is None and len(mine) > 1:
        raise invalid("dwelling_id", "Choose which home this booking is for.")
    ask.dwelling_id = ask.dwelling_id if ask.dwelling_id is not None else mine[0]
    if ask.dwelling_id not in mine:
        raise invalid("dwelling_id", "Not a verified home of this resident in this community.")
    db.session.scalar(select(Dwelling.id).where(Dwelling.id == ask.dwelling_id).with_for_update())


def no_such_slot(ask: Ask) -> None:
    times = slots.slot_at(ask.resource, ask.starts_at)
    if times is None:
        raise Invalid("There is no slot starting at that time.", "no_such_slot",
                      {"starts_at": ["Not a slot start."]})
    ask.ends_at, ask.day = times[1], times[2]


def blackout(ask: Ask) -> None:
    closed, note = slots.closed_day(ask.resource, ask.day)
    if closed:
        raise Conflict(f"Closed that day{': ' + note if note else ''}.", "blackout")


def blocked(ask: Ask) -> None:
    ask.slot = slots.find_slot(ask.resource.id, ask.starts_at)
    if ask.slot is not None and ask.slot.blocked:
        raise Conflict("This slot is blocked.", "blocked")


def past(ask: Ask) -> None:
    if ask.starts_at <= ask.now:
        raise Conflict("This slot has started already.", "past")


def too_late(ask: Ask) -> None:
    if ask.staff is None and ask.starts_at < ask.now + timedelta(minutes=ask.resource.min_notice_minutes):
        raise Conflict(f"Book at least {ask.resource.min_notice_minutes} minutes ahead.", "too_late")


def last_day(resource: Resource, now: datetime) -> date:
    return slots.local_day(resource.community_id, now) + timedelta(days=resource.advance_days)


def too_far_ahead(ask: Ask) -> None:
    day = slots.local_day(ask.resource.community_id, ask.starts_at)
    if ask.staff is None and day > last_day(ask.resource, ask.now):
        raise Conflict(f"Book at most {ask.resource.advance_days} days ahead.", "too_far_ahead")


def too_many_seats(ask: Ask) -> None:
    if ask.seats > ask.resource.max_seats_per_booking:
        raise Invalid(f"At most {ask.resource.max_seats_per_booking} per booking.", "too_many_seats",
                      {"seats": ["Too many."]})


def already_booked(ask: Ask) -> None:
    if db.session.scalar(select(Booking.id).where(
            Booking.resource_id == ask.resource.id, Booking.starts_at == ask.starts_at,
            Booking.dwelling_id == ask.dwelling_id, Booking.status.in_(LIVE)).limit(1)) is not None:
        raise Conflict("Your household has booked this slot already.", "already_booked")


def penalty(community_id: int, dwelling_id: int, now: datetime, settings: dict) -> int:
    """How much the household's quotas are lowered for its recent no-shows (0 when the rule is off)."""
    if settings["no_show_limit"] <= 0:
        return 0
    missed = db.session.scalar(select(func.count()).where(
        Booking.community_id == community_id, Booking.dwelling_id == dwelling_id, Booking.status == "no_show",
        Booking.starts_at >= now - timedelta(days=settings["penalty_days"]), Booking.starts_at <= now))
    return settings["penalty"] if missed >= settings["no_show_limit"] else 0


def period(community_id: int, starts_at: datetime, unit: str) -> tuple[datetime, datetime]:
    """The week (Mon–Sun) or calendar month holding `starts_at`, in the community's timezone, as UTC."""
    tz = slots.zone(community_id)
    day = starts_at.astimezone(tz).date()
    if unit == "week":
        first = day - timedelta(days=day.weekday())
        after = first + timedelta(days=7)
    else:
        first = day.replace(day=1)
        after = (first + timedelta(days=32)).replace(day=1)
    return tuple(datetime(d.year, d.month, d.day, tzinfo=tz) for d in (first, after))


def used(resource: Resource, dwelling_id: int, starts_at: datetime, unit: str) -> int:
    begins, ends = period(resource.community_id, starts_at, unit)
    return db.session.scalar(select(func.count()).where(
        Booking.resource_id == resource.id, Booking.dwelling_id == dwelling_id, Booking.status.in_(HOLDING),
        Booking.starts_at >= begins, Booking.starts_at < ends))


def over_quota(resource: Resource, dwelling_id: int, starts_at: datetime, now: datetime, settings: dict,
               unit: str) -> dict | None:
    """{"quota", "used", "penalty"} when one more booking would pass the household's quota, else None."""
    quota = getattr(resource, f"{unit}_quota")
    if quota is None:
        return None
    lowered = penalty(resource.community_id, dwelling_id, now, settings)
    n = used(resource, dwelling_id, starts_at, unit)
    return {"quota": quota, "used": n, "penalty": lowered} if n >= max(quota - lowered, 0) else None


def _quota(ask: Ask, unit: str) -> None:
    over = over_quota(ask.resource, ask.dwelling_id, ask.starts_at, ask.now, ask.settings, unit)
    if over is not None:
        lowered = (f" (lowered by {over['penalty']} for missed bookings)" if over["penalty"] else "")
        raise Conflict(f"Your household may book this {over['quota']} times a {unit}{lowered}; "
                       f"{over['used']} booked.", f"{unit}_quota_exceeded", details=over)


def week_quota_exceeded(ask: Ask) -> None:
    _quota(ask, "week")


def month_quota_exceeded(ask: Ask) -> None:
    _quota(ask, "month")


RULES = [resource_closed, not_eligible, household, no_such_slot, blackout, blocked, past, too_late,
         too_far_ahead, too_many_seats, already_booked, week_quota_exceeded, month_quota_exceeded]


def check(ask: Ask) -> Ask:
    for rule in RULES:
        rule(ask)
    return ask
