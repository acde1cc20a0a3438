"""Slots: cut from a resource's weekly schedule in the community's timezone. A slot row exists only once
someone books it or staff block it; its seats are taken by a conditional UPDATE, never read-then-write."""
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from backend.bookings.models import HOLDING, Booking, Slot
from backend.common.db import upsert
from backend.extensions import db
from backend.facilities.hours import DAYS, minutes
from backend.places.models import Community


def zone(community_id: int) -> ZoneInfo:
    community = db.session.get(Community, community_id)
    return ZoneInfo(community.timezone if community else "Asia/Shanghai")


def local_day(community_id: int, moment: datetime) -> date:
    return moment.astimezone(zone(community_id)).date()


def slot_times(resource, day: date) -> list[tuple[datetime, datetime]]:
    """The slots the schedule gives on `day` (community time), blackouts not applied: each window is cut into
    slots of slot_minutes, buffer_minutes apart; a window ending at or before its start runs past midnight."""
    tz = zone(resource.community_id)
    midnight = datetime(day.year, day.month, day.day, tzinfo=tz)
    out = []
    for window in (resource.schedule or {}).get(DAYS[day.weekday()], []):
        start, end = minutes(window[0]), minutes(window[1])
        end = end if end > start else end + 24 * 60
        while start + resource.slot_minutes <= end:
            begins = (midnight + timedelta(minutes=start)).astimezone(UTC)
            out.append((begins, begins + timedelta(minutes=resource.slot_minutes)))
            start += resource.slot_minutes + resource.buffer_minutes
    return sorted(out)


def slot_at(resource, starts_at: datetime) -> tuple[datetime, datetime, date] | None:
    """(start, end, the window's day) when `starts_at` is a slot start of the schedule: a slot after midnight
    of a window that runs past midnight belongs to the day the window begins."""
    day = local_day(resource.community_id, starts_at)
    for d in (day - timedelta(days=1), day):
        for begins, ends in slot_times(resource, d):
            if begins == starts_at:
                return begins, ends, d
    return None


def closed_day(resource, day: date) -> tuple[bool, str]:
    """A blackout of the resource or a closed exception of its facility, on the day of the schedule's window
    (what staff mean by "closed on the 24th": the evening window of the 24th, past midnight too, as the slots
    view lists it under the 24th)."""
    iso = day.isoformat()
    for blackout in resource.blackouts or []:
        if blackout["start"] <= iso <= blackout.get("end", blackout["start"]):
            return True, blackout.get("note", "")
    facility = resource.facility
    for exc in (facility.exceptions or []) if facility is not None else []:
        if exc.get("kind") == "closed" and exc["start"] <= iso <= exc.get("end", exc["start"]):
            return True, exc.get("note", "")
    return False, ""


def find_slot(resource_id: int, starts_at: datetime) -> Slot | None:
    return db.session.scalar(select(Slot).filter_by(resource_id=resource_id, starts_at=starts_at))


def lock_slot(slot_id: int) -> Slot:
    return db.session.scalar(select(Slot).where(Slot.id == slot_id).with_for_update()
                             .execution_options(populate_existing=True))


def get_or_create_slot(resource, starts_at: datetime) -> Slot:
    """The slot row, inserted if missing; two requests inserting at once both end with the same row."""
    slot = find_slot(resource.id, starts_at)
    if slot is not None:
        return slot
    values = {"community_id": resource.community_id, "resource_id": resource.id, "starts_at": starts_at,
              "ends_at": starts_at + timedelta(minutes=resource.slot_minutes), "seats": resource.seats,
              "taken": 0, "blocked": False, "block_reason": ""}
    db.session.execute(upsert(Slot.__table__).values(**values).on_conflict_do_nothing(
        index_elements=["resource_id", "starts_at"]))
    return find_slot(resource.id, starts_at)


def _why_not(resource, begins: datetime, now: datetime, blocked: bool, free: int) -> str | None:
    """Why a resident cannot book this slot now, in the order the booking rules check."""
    if resource.status != "open":
        return "resource_closed"
    if blocked:
        return "blocked"
    if begins <= now:
        return "past"
    if begins < now + timedelta(minutes=resource.min_notice_minutes):
        return "too_late"
    if local_day(resource.community_id, begins) > local_day(resource.community_id, now) + timedelta(
            days=resource.advance_days):
        return "too_far_ahead"
    return "slot_full" if free <= 0 else None


def _rows(resource, first: date, days: int) -> dict[datetime, Slot]:
    tz = zone(resource.community_id)
    begins = datetime(first.year, first.month, first.day, tzinfo=tz) - timedelta(days=1)
    ends = begins + timedelta(days=days + 2)
    return {s.starts_at: s for s in db.session.scalars(select(Slot).where(
        Slot.resource_id == resource.id, Slot.starts_at >= begins, Slot.starts_at < ends))}


def _bookings(slot_ids: list[int]) -> dict[int, list]:
    out: dict[int, list] = {}
    for b in db.session.scalars(select(Booking).where(
            Booking.slot_id.in_(slot_ids), Booking.status.in_((*HOLDING, "waitlisted")))
            .order_by(Booking.seq)):
        out.setdefault(b.slot_id, []).append(b)
    return out


def _item(resource, begins, ends, row, now, staff) -> dict:
    seats, taken = (row.seats, row.taken) if row else (resource.seats, 0)
    blocked = bool(row and row.blocked)
    item = {"starts_at": begins, "ends_at": ends, "seats": seats, "taken": taken, "free": max(seats - taken, 0),
            "blocked": blocked, "waitlist": 0, "mine": None}
    item["why_not"] = _why_not(resource, begins, now, blocked, item["free"])
    item["bookable"] = item["why_not"] is None
    if staff:
        item["block_reason"] = row.block_reason if row else ""
    return item


def days_view(resource, first: date, days: int, now: datetime, households=(), staff=False,
              people: dict | None = None, labels: dict | None = None) -> dict:
    """The slots of `days` days from `first`: seats, what is free, why not bookable, the household's own
    booking; with `people` (staff's calendar: {user_id: user}, `labels` {dwelling_id: label}), every booking."""
    rows = _rows(resource, first, days)
    books = _bookings([r.id for r in rows.values()])
    out = []
    for n in range(days):
        day = first + timedelta(days=n)
        closed, note = closed_day(resource, day)
        items = [] if closed else [_item(resource, b, e, rows.get(b), now, staff) for b, e in slot_times(resource, day)]
        for item in items:
            row = rows.get(item["starts_at"])
            _fill(item, books.get(row.id, []) if row else [], households, people, labels or {})
        out.append({"date": day, "closed": closed, "note": note, "slots": items})
    return {"days": out}


def _fill(item: dict, bookings: list, households, people: dict | None, labels: dict) -> None:
    waiting = [b for b in bookings if b.status == "waitlisted"]
    item["waitlist"] = len(waiting)
    for b in bookings:
        b.position = waiting.index(b) + 1 if b.status == "waitlisted" else None
        if b.dwelling_id in households:
            item["mine"] = {"id": b.id, "status": b.status, "position": b.position}
    if people is not None:
        item["bookings"] = [_line(b, people, labels) for b in bookings]


def _line(b, people: dict, labels: dict) -> dict:
    user, booker = people.get(b.user_id), people.get(b.booked_by_id)
    return {"id": b.id, "name": user.name if user else "", "phone": user.phone if user else "",
            "dwelling": labels.get(b.dwelling_id, ""), "seats": b.seats, "status": b.status, "position": b.position,
            "booked_by": booker.name if booker else None, "checked_in_at": b.checked_in_at}


def next_free(resource, now: datetime) -> datetime | None:
    """The next slot a resident could book, within the advance window (31 days at most)."""
    view = days_view(resource, local_day(resource.community_id, now), min(resource.advance_days + 1, 31), now)
    return next((s["starts_at"] for d in view["days"] for s in d["slots"] if s["bookable"]), None)
