"""Staff's exports and views over many bookings: the CSV, the calendar, approvals, the audit log."""
import csv
import io
from datetime import date, datetime, timedelta

from sqlalchemy import select

from backend.accounts.models import User
from backend.bookings import slots
from backend.bookings.booking import present
from backend.bookings.models import Booking, BookingLog
from backend.bookings.resources import get_resource
from backend.common.csv import safe_row
from backend.extensions import db
from backend.places.models import Dwelling

STATUS_LABELS = {"pending": "待审核", "confirmed": "已预约", "waitlisted": "候补", "checked_in": "已签到",
                 "cancelled": "已取消", "refused": "已拒绝", "no_show": "未到"}
HEADER = ["日期", "时间", "预约项目", "姓名", "手机号", "房屋", "人数", "状态", "代约人", "签到时间"]


def _bounds(community_id: int, first: date, last: date) -> tuple[datetime, datetime]:
    tz = slots.zone(community_id)
    after = last + timedelta(days=1)
    return (datetime(first.year, first.month, first.day, tzinfo=tz),
            datetime(after.year, after.month, after.day, tzinfo=tz))


def bookings_csv(community_id: int, start: date, end: date, resource_id: int | None = None) -> bytes:
    begins, ends = _bounds(community_id, start, end)
    stmt = select(Booking).where(Booking.community_id == community_id, Booking.starts_at >= begins,
                                 Booking.starts_at < ends)
    if resource_id:
        stmt = stmt.where(Booking.resource_id == get_resource(community_id, resource_id).id)
    bookings = list(db.session.scalars(stmt.order_by(Booking.starts_at, Booking.resource_id, Booking.seq)))
    people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(
        {b.user_id for b in bookings} | {b.booked_by_id for b in bookings if b.booked_by_id})))}
    labels = dict(db.session.execute(select(Dwelling.id, Dwelling.label).where(
        Dwelling.id.in_({b.dwelling_id for b in bookings}))).all())
    tz = slots.zone(community_id)
    rows = [HEADER]
    for b in bookings:
        local, user = b.starts_at.astimezone(tz), people[b.user_id]
        rows.append([local.strftime("%Y-%m-%d"),
                     f"{local:%H:%M}-{b.slot.ends_at.astimezone(tz):%H:%M}", b.resource.name, user.name,
                     user.phone, labels.get(b.dwelling_id, ""), b.seats, STATUS_LABELS[b.status],
                     people[b.booked_by_id].name if b.booked_by_id else "",
                     b.checked_in_at.astimezone(tz).strftime("%Y-%m-%d %H:%M") if b.checked_in_at else ""])
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(safe_row(row) for row in rows)
    return out.getvalue().encode("utf-8-sig")  # the BOM: Excel on Chinese Windows then reads UTF-8


def calendar(community_id: int, resource_id: int, first: date, days: int, now: datetime) -> dict:
    """The slots view with every booking of each slot: name, phone, home, seats, status, who booked it."""
    resource = get_resource(community_id, resource_id)
    begins, ends = _bounds(community_id, first - timedelta(days=1), first + timedelta(days=days))
    rows = db.session.execute(select(Booking.user_id, Booking.booked_by_id, Booking.dwelling_id).where(
        Booking.resource_id == resource.id, Booking.starts_at >= begins, Booking.starts_at < ends)).all()
    users = {u.id: u for u in db.session.scalars(select(User).where(
        User.id.in_({r[0] for r in rows} | {r[1] for r in rows if r[1]})))}
    labels = dict(db.session.execute(select(Dwelling.id, Dwelling.label).where(
        Dwelling.id.in_({r[2] for r in rows}))).all())
    return slots.days_view(resource, first, days, now, staff=True, people=users, labels=labels)


def approvals(community_id: int, staff) -> list[Booking]:
    return present(list(db.session.scalars(select(Booking).filter_by(community_id=community_id, status="pending")
                                           .order_by(Booking.created_at, Booking.id).limit(500))), staff)


def audit_log(community_id: int, booking_id: int | None = None) -> list[BookingLog]:
    stmt = select(BookingLog).filter_by(community_id=community_id)
    if booking_id:
        stmt = stmt.filter_by(booking_id=booking_id)
    entries = list(db.session.scalars(stmt.order_by(BookingLog.id.desc()).limit(500)))
    actors = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_({e.actor_id for e in entries})))}
    for entry in entries:
        entry.actor = actors.get(entry.actor_id)
    return entries
