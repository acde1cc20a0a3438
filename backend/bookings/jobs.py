"""The bookings' worker jobs: reminders the day and the hour before (once each), and releasing the seats of
confirmed bookings nobody checked in, which go to the slot's waitlist. A household's repeated no-shows lower its
quotas; the quota check counts them when it books (rules.penalty), nothing is stored here."""
from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from backend.bookings import notify, settings
from backend.bookings.booking import _lock, promote, release
from backend.bookings.models import Booking, Resource
from backend.common.models import utcnow
from backend.extensions import db
from backend.worker import job

DAY, HOUR = timedelta(hours=24), timedelta(hours=1)


def _claim(column, now: datetime, ahead: timedelta, limit: int, also=None) -> list[Booking]:
    """Mark up to `limit` confirmed bookings starting within `ahead` as reminded and return them; a booking
    is claimed by one worker only, so each reminder goes once."""
    due = (select(Booking.id).where(Booking.status == "confirmed", column.is_(None), Booking.starts_at > now,
                                    Booking.starts_at <= now + ahead)
           .order_by(Booking.starts_at).limit(limit))
    values = {column.key: now, **({also.key: func.coalesce(also, now)} if also is not None else {})}
    ids = list(db.session.scalars(update(Booking).where(Booking.id.in_(due.scalar_subquery()), column.is_(None))
                                  .values(**values).returning(Booking.id)
                                  .execution_options(synchronize_session=False)))
    return list(db.session.scalars(select(Booking).where(Booking.id.in_(ids)).order_by(Booking.id)))


def remind_due(now: datetime | None = None, limit: int = 100) -> int:
    """The hour's reminder (which stands in for the day's when booked late), then the day's."""
    now = now or utcnow()
    sent = 0
    for hour, column, ahead, also in ((True, Booking.reminded_hour_at, HOUR, Booking.reminded_day_at),
                                      (False, Booking.reminded_day_at, DAY, None)):
        rows = _claim(column, now, ahead, limit, also)
        for booking in rows:
            if settings.get(booking.community_id)["reminders"]:
                notify.reminder(booking, hour, now)
        db.session.commit()
        sent += len(rows)
    return sent


def _due_no_shows(now: datetime, limit: int) -> list[Booking]:
    started = (select(Booking.resource_id).where(Booking.status == "confirmed", Booking.starts_at < now)
               .distinct().scalar_subquery())
    out = []
    for resource_id, minutes in db.session.execute(select(Resource.id, Resource.no_show_minutes)
                                                   .where(Resource.id.in_(started)).order_by(Resource.id)):
        out += db.session.scalars(select(Booking).where(
            Booking.resource_id == resource_id, Booking.status == "confirmed",
            Booking.starts_at < now,
            func.coalesce(Booking.promoted_at, Booking.starts_at) <= now - timedelta(minutes=minutes))
            .order_by(Booking.starts_at).limit(limit))
    return out[:limit]


def release_no_shows(now: datetime | None = None, limit: int = 100) -> int:
    """Confirmed bookings not checked in `no_show_minutes` after the start (or after their promotion from the
    waitlist) become no-shows; their seats go to the waitlist while the slot lasts."""
    now = now or utcnow()
    released = 0
    for booking in _due_no_shows(now, limit):
        booking, slot = _lock(booking)
        if booking.status != "confirmed":  # checked in or cancelled a moment ago
            db.session.rollback()
            continue
        release(booking, "no_show", now)
        notify.no_show(booking, now)
        for row in promote(slot, now):
            row.promoted_at = now
        db.session.commit()
        released += 1
    return released


@job
def remind_bookings() -> int:
    """Push the day's and the hour's reminders of confirmed bookings, once each."""
    return remind_due()


@job
def release_booking_no_shows() -> int:
    """Release the seats of bookings nobody checked in, and offer them to the waitlist."""
    return release_no_shows()
