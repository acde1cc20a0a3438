"""Check-in: the desk shows a rotating QR code of the resource and the resident scans it, or staff mark the
arrival. A check-in, like every change of a booking, holds the household's row and then the slot's, so it
cannot cross the no-show job releasing the same booking."""
import re
from datetime import datetime, timedelta

from sqlalchemy import select

from backend.bookings import rules
from backend.bookings.booking import _lock, get_booking, log, present
from backend.bookings.models import Booking, Slot
from backend.bookings.resources import get_resource
from backend.common import rotating_code
from backend.common.models import utcnow
from backend.errors import Conflict
from backend.extensions import db

PURPOSE = "booking-desk"
SUBJECT = re.compile(r"[1-9][0-9]{0,9}")


def code(community_id: int, resource_id: int, staff, now: datetime | None = None) -> dict:
    """The desk's code for now; it changes every 30 seconds."""
    resource = get_resource(community_id, resource_id, staff)
    return rotating_code.issue(PURPOSE, community_id, str(resource.id), now or utcnow())


def opens(booking: Booking) -> datetime:
    return booking.starts_at - timedelta(minutes=booking.resource.checkin_early_minutes)


def _now_bookings(community_id: int, resource_id: int, user, now: datetime) -> list[Booking]:
    """The household's confirmed or checked-in bookings of the resource whose check-in is open now."""
    homes = [r.dwelling_id for r in rules.homes(community_id, user.id)]
    rows = db.session.scalars(select(Booking).join(Slot, Slot.id == Booking.slot_id).where(
        Booking.community_id == community_id, Booking.resource_id == resource_id, Booking.dwelling_id.in_(homes),
        Booking.status.in_(("confirmed", "checked_in")), Slot.ends_at >= now).order_by(Booking.starts_at))
    return [b for b in rows if opens(b) <= now]


def scan(community_id: int, user, token: str, now: datetime | None = None) -> Booking:
    """The resident scans the desk's code: their household's booking of now is checked in; again, nothing
    changes."""
    now = now or utcnow()
    resource_id = int(rotating_code.read(PURPOSE, community_id, token, SUBJECT, now)[0])
    resource = get_resource(community_id, resource_id, user)
    found = _now_bookings(community_id, resource.id, user, now)
    booking = next((b for b in found if b.status == "confirmed"), found[0] if found else None)
    if booking is None:
        raise Conflict("Your household has no booking here now.", "no_booking_now")
    _check_in(booking, now)
    db.session.commit()
    return present([booking], user, now)[0]


def _check_in(booking: Booking, now: datetime) -> bool:
    """True when the booking is checked in now, False when it was already."""
    booking, slot = _lock(booking)
    if booking.status == "checked_in":
        return False
    if booking.status != "confirmed":
        raise Conflict("Only a confirmed booking is checked in.", "not_confirmed")
    if now < opens(booking):
        raise Conflict("Check-in has not opened yet.", "too_early")
    if now > slot.ends_at:
        raise Conflict("This booking's time is over.", "slot_ended")
    booking.status, booking.checked_in_at = "checked_in", now
    db.session.flush()
    return True


def staff_check_in(community_id: int, booking_id: int, staff, now: datetime | None = None) -> Booking:
    """Staff mark a resident's arrival (audited); marking it again changes nothing."""
    now = now or utcnow()
    booking = get_booking(community_id, booking_id, staff)
    if _check_in(booking, now):
        log(booking, staff, "checked_in")
    db.session.commit()
    return present([booking], staff, now)[0]
