"""A booking's life: book (seats taken from the slot), cancel, the waitlist promoted in order, staff's approval
or refusal, booking at the desk for a resident. Locks are always taken in one order: the household's dwelling
row, then the slot row; so quotas and seats hold under concurrent requests."""
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from backend.accounts.models import Residency, User
from backend.bookings import notify, rules, settings, slots
from backend.bookings.models import HOLDING, Booking, BookingLog, Resource, Slot
from backend.bookings.resources import _is_staff, get_resource
from backend.common.models import utcnow
from backend.errors import Conflict, NotFound, invalid
from backend.extensions import db
from backend.places.models import Dwelling

CANCELLABLE = ("pending", "confirmed", "waitlisted")


def log(booking: Booking | None, actor, action: str, detail: str = "", slot: Slot | None = None) -> None:
    db.session.add(BookingLog(community_id=(booking or slot).community_id, booking_id=booking and booking.id,
                              slot_id=(booking.slot_id if booking else slot.id), actor_id=actor.id,
                              action=action, detail=detail[:200]))


def take(slot: Slot, seats: int) -> bool:
    """Take seats if they fit and the slot is not blocked; the database decides, so seats never overbook."""
    taken = db.session.execute(update(Slot).where(
        Slot.id == slot.id, Slot.blocked.is_(False), Slot.taken + seats <= Slot.seats)
        .values(taken=Slot.taken + seats).execution_options(synchronize_session=False)).rowcount == 1
    db.session.refresh(slot)
    return taken


def release(booking: Booking, new_status: str, now: datetime) -> None:
    """Frees the seats of a holding booking and sets its status; the caller commits."""
    if booking.status in HOLDING:
        db.session.execute(update(Slot).where(Slot.id == booking.slot_id)
                           .values(taken=Slot.taken - booking.seats).execution_options(synchronize_session=False))
    booking.status = new_status
    if new_status == "cancelled":
        booking.cancelled_at = now
    db.session.flush()
    if booking.slot is not None:
        db.session.refresh(booking.slot)


def _next_seq(slot: Slot) -> int:
    return (db.session.scalar(select(func.max(Booking.seq)).filter_by(slot_id=slot.id)) or 0) + 1


def book(community_id: int, resource_id: int, user, starts_at: datetime, seats: int = 1, dwelling_id=None,
         note: str = "", waitlist: bool = False, now: datetime | None = None, staff=None) -> Booking:
    """Book seats of a slot for `user`'s household; `staff` set means booked at the desk (book_for rules)."""
    now = now or utcnow()
    resource = get_resource(community_id, resource_id, staff or user)
    ask = rules.check(rules.Ask(resource, user, starts_at.astimezone(UTC), seats, now, settings.get(community_id),
                                dwelling_id, staff))
    slot = slots.lock_slot(slots.get_or_create_slot(resource, ask.starts_at).id)
    if slot.blocked:
        raise Conflict("This slot is blocked.", "blocked")
    status = "pending" if resource.needs_approval else "confirmed"
    if not take(slot, seats):
        if not (waitlist and resource.waitlist):
            raise Conflict("This slot is full.", "slot_full", details={"waitlist": resource.waitlist})
        status = "waitlisted"
    booking = Booking(community_id=community_id, resource_id=resource.id, slot_id=slot.id,
                      starts_at=slot.starts_at, user_id=user.id, dwelling_id=ask.dwelling_id, seats=seats,
                      status=status, seq=_next_seq(slot), note=note, booked_by_id=staff and staff.id,
                      created_at=now)
    db.session.add(booking)
    db.session.flush()
    if staff is not None:
        log(booking, staff, "booked_for", f"{user.name} {slots.local_day(community_id, slot.starts_at)}")
    db.session.commit()
    return present([booking], staff or user, now)[0]


def book_for(community_id: int, resource_id: int, staff, user_id: int, dwelling_id: int, starts_at: datetime,
             seats: int = 1, note: str = "", waitlist: bool = False, birth_year: int | None = None,
             now: datetime | None = None) -> Booking:
    """Staff book at the desk for a resident without a phone: no notice or advance limits, audited. A year of
    birth read off the resident's ID card is recorded when none is (kept only if the booking is made)."""
    user = db.session.get(User, user_id)
    if user is None or not _in_household(community_id, user.id, dwelling_id):
        raise invalid("user_id", "Not a verified resident of that home in this community.")
    if birth_year is not None and birth_year != user.birth_year:
        if user.birth_year is not None:
            raise invalid("birth_year", "A different year of birth is recorded; the resident corrects it under Me.")
        user.birth_year = birth_year
    return book(community_id, resource_id, user, starts_at, seats, dwelling_id, note, waitlist, now, staff)


def _in_household(community_id: int, user_id: int, dwelling_id: int) -> bool:
    return db.session.scalar(select(Residency.id).filter_by(
        community_id=community_id, user_id=user_id, dwelling_id=dwelling_id, status="verified").limit(1)) is not None


def get_booking(community_id: int, booking_id: int, user) -> Booking:
    """The booking, for its household or staff; 404 for anyone else."""
    booking = db.session.get(Booking, booking_id)
    if booking is None or booking.community_id != community_id or not (
            _is_staff(user, community_id) or _in_household(community_id, user.id, booking.dwelling_id)):
        raise NotFound("No such booking.")
    return booking


def _lock(booking: Booking) -> tuple[Booking, Slot]:
    """Lock the household, then the slot, then read the booking afresh."""
    db.session.scalar(select(Dwelling.id).where(Dwelling.id == booking.dwelling_id).with_for_update())
    slot = slots.lock_slot(booking.slot_id)
    db.session.refresh(booking)
    return booking, slot


def cancel(community_id: int, booking_id: int, user, reason: str = "", now: datetime | None = None) -> Booking:
    """The household cancels before the cut-off; staff at any time. The freed seats go to the waitlist."""
    now = now or utcnow()
    booking, slot = _lock(get_booking(community_id, booking_id, user))
    staff = _is_staff(user, community_id)
    if booking.status not in CANCELLABLE:
        raise Conflict("This booking cannot be cancelled.", "not_cancellable")
    if not staff and now >= cancel_until(booking):
        raise Conflict("It is too late to cancel; please call the staff.", "too_late_to_cancel")
    release(booking, "cancelled", now)
    booking.reason = reason
    if staff and not _in_household(community_id, user.id, booking.dwelling_id):
        log(booking, user, "cancelled", reason)
        notify.cancelled(booking, now)
    promote(slot, now)
    db.session.commit()
    return present([booking], user, now)[0]


def _household_free(dwelling_id: int) -> bool:
    """Lock the household's row unless another transaction holds it (then this one passes it over for now,
    rather than wait in the wrong lock order)."""
    return db.session.scalar(select(Dwelling.id).where(Dwelling.id == dwelling_id)
                             .with_for_update(skip_locked=True)) is not None


def promote(slot: Slot, now: datetime) -> list[Booking]:
    """Fill the slot's free seats from its waitlist in seq order; a booking whose household is over quota, or
    whose seats do not fit, is passed over and keeps its place. The caller commits."""
    slot = slots.lock_slot(slot.id)
    if slot.blocked or slot.ends_at <= now:
        return []
    resource = db.session.get(Resource, slot.resource_id)
    conf = settings.get(slot.community_id)
    promoted = []
    for row in db.session.scalars(select(Booking).filter_by(slot_id=slot.id, status="waitlisted")
                                  .order_by(Booking.seq).execution_options(populate_existing=True)).all():
        if slot.seats - slot.taken <= 0:
            break
        if row.seats > slot.seats - slot.taken or not _household_free(row.dwelling_id) or any(
                rules.over_quota(resource, row.dwelling_id, row.starts_at, now, conf, unit)
                for unit in ("week", "month")):
            continue
        if take(slot, row.seats):
            row.status = "pending" if resource.needs_approval else "confirmed"
            row.promoted_at = now  # the no-show grace counts from here when the slot has begun
            db.session.flush()
            promoted.append(row)
            notify.promoted(row, now)
    return promoted


def _pending(community_id: int, booking_id: int, staff) -> tuple[Booking, Slot]:
    booking, slot = _lock(get_booking(community_id, booking_id, staff))
    if booking.status != "pending":
        raise Conflict("This booking has been decided.", "already_decided")
    return booking, slot


def approve(community_id: int, booking_id: int, staff, now: datetime | None = None) -> Booking:
    now = now or utcnow()
    booking, _ = _pending(community_id, booking_id, staff)
    booking.status, booking.decided_by_id, booking.decided_at = "confirmed", staff.id, now
    log(booking, staff, "approved")
    notify.approved(booking, now)
    db.session.commit()
    return present([booking], staff, now)[0]


def refuse(community_id: int, booking_id: int, staff, reason: str, now: datetime | None = None) -> Booking:
    now = now or utcnow()
    booking, slot = _pending(community_id, booking_id, staff)
    release(booking, "refused", now)
    booking.reason, booking.decided_by_id, booking.decided_at = reason, staff.id, now
    log(booking, staff, "refused", reason)
    notify.refused(booking, now)
    promote(slot, now)
    db.session.commit()
    return present([booking], staff, now)[0]


def cancel_until(booking: Booking) -> datetime:
    return booking.starts_at - timedelta(minutes=booking.resource.cancel_cutoff_minutes)


def position(booking: Booking) -> int | None:
    if booking.status != "waitlisted":
        return None
    return db.session.scalar(select(func.count()).where(
        Booking.slot_id == booking.slot_id, Booking.status == "waitlisted", Booking.seq <= booking.seq))


def present(bookings: list[Booking], user, now: datetime | None = None) -> list[Booking]:
    """Bookings with what BookingSchema shows: position, ends_at, dwelling, people, cancel_until, can_cancel."""
    now = now or utcnow()
    staff = bool(bookings) and _is_staff(user, bookings[0].community_id)
    people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(
        {b.user_id for b in bookings} | {b.booked_by_id for b in bookings if b.booked_by_id})))}
    homes = {d.id: d for d in db.session.scalars(select(Dwelling).where(
        Dwelling.id.in_({b.dwelling_id for b in bookings})))}
    for b in bookings:
        b.position, b.ends_at, b.cancel_until = position(b), b.slot.ends_at, cancel_until(b)
        b.dwelling = homes.get(b.dwelling_id)
        b.person, b.booker = people.get(b.user_id), people.get(b.booked_by_id)
        b.can_cancel = b.status in CANCELLABLE and (staff or now < b.cancel_until)
    return bookings


def mine(community_id: int, user, scope: str, now: datetime | None = None) -> list[Booking]:
    """The household's bookings (every verified home of the user; anyone of a household sees them all)."""
    now = now or utcnow()
    homes = [r.dwelling_id for r in rules.homes(community_id, user.id)]
    stmt = select(Booking).join(Slot, Slot.id == Booking.slot_id).where(
        Booking.community_id == community_id, Booking.dwelling_id.in_(homes))
    # One line between the two lists: a booking under way (begun, not ended) is still upcoming; past = ended.
    if scope == "upcoming":
        stmt = stmt.where(Slot.ends_at > now).order_by(Booking.starts_at, Booking.id)
    else:
        stmt = stmt.where(Slot.ends_at <= now).order_by(Booking.starts_at.desc(), Booking.id.desc())
    return present(list(db.session.scalars(stmt.limit(200))), user, now)
