"""Duty hours: the weekly spans, dated exceptions over them, and who is on duty now, in local time.

A span starts inclusive and ends exclusive, within one day ("24:00" is the day's end). For a date with
exceptions the weekly pattern does not apply: an `off` exception makes it a day off, others are its spans.
"""
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select

from backend.common.models import utcnow
from backend.contacts.models import Contact, RosterException, RosterSpan
from backend.errors import Invalid
from backend.extensions import db

UPCOMING_DAYS = 30
PLAN_DAYS = 366  # exceptions may be planned up to a year ahead


class Span(NamedTuple):
    start: int  # minutes after local midnight, inclusive
    end: int    # exclusive


def local_now(tz_name: str, now: datetime | None = None) -> datetime:
    return (now or utcnow()).astimezone(ZoneInfo(tz_name))


def day_spans(contact: Contact, exceptions: list[RosterException], day: date) -> list[Span]:
    """The spans worked on `day`: its exceptions if it has any, else the weekly pattern."""
    dated = [e for e in exceptions if e.date == day]
    if dated:
        return [] if any(e.off for e in dated) else sorted(Span(e.start, e.end) for e in dated)
    return [Span(s.start, s.end) for s in contact.spans if s.weekday == day.weekday()]


def exceptions_between(contact_ids: Iterable[int], first: date, last: date) -> dict[int, list[RosterException]]:
    rows = db.session.scalars(select(RosterException).where(
        RosterException.contact_id.in_(list(contact_ids)), RosterException.date >= first,
        RosterException.date <= last).order_by(RosterException.date, RosterException.start))
    out: dict[int, list[RosterException]] = defaultdict(list)
    for row in rows:
        out[row.contact_id].append(row)
    return out


def with_duty(contacts: list[Contact], tz_name: str, now: datetime | None = None) -> list[Contact]:
    """Set `today` and `on_duty` on each contact: one query for today's exceptions, however many contacts."""
    moment = local_now(tz_name, now)
    today, minute = moment.date(), moment.hour * 60 + moment.minute
    dated = exceptions_between([c.id for c in contacts], today, today) if contacts else {}
    for contact in contacts:
        contact.today = day_spans(contact, dated.get(contact.id, []), today)
        contact.on_duty = any(start <= minute < end for start, end in contact.today)
    return contacts


def with_week(contact: Contact, tz_name: str, now: datetime | None = None) -> Contact:
    """Add the weekly pattern and the dated exceptions of the next 30 days (for one profile's page)."""
    today = local_now(tz_name, now).date()
    contact.week = [{"weekday": d, "spans": [Span(s.start, s.end) for s in contact.spans if s.weekday == d]}
                    for d in range(7)]
    by_day: dict[date, list[RosterException]] = defaultdict(list)
    for row in exceptions_between([contact.id], today, today + timedelta(days=UPCOMING_DAYS)).get(contact.id, []):
        by_day[row.date].append(row)
    contact.upcoming = [{"date": day, "off": any(e.off for e in rows), "spans": day_spans(contact, rows, day),
                         "note": next((e.note for e in rows if e.note), "")} for day, rows in by_day.items()]
    return contact


def get_roster(contact: Contact, tz_name: str, now: datetime | None = None) -> dict:
    """The weekly spans and the exceptions from today on (earlier ones are kept as they were)."""
    today = local_now(tz_name, now).date()
    rows = exceptions_between([contact.id], today, date.max).get(contact.id, [])
    return {"week": contact.spans, "exceptions": rows}


def replace_roster(contact: Contact, tz_name: str, week: list[dict], exceptions: list[dict],
                   now: datetime | None = None) -> dict:
    today = local_now(tz_name, now).date()
    _check_dates(exceptions, today)
    contact.spans = [RosterSpan(community_id=contact.community_id, **span) for span in week]
    db.session.execute(delete(RosterException).where(RosterException.contact_id == contact.id,
                                                     RosterException.date >= today))
    db.session.add_all(RosterException(community_id=contact.community_id, contact_id=contact.id, **row)
                       for row in exceptions)
    db.session.commit()
    return get_roster(contact, tz_name, now)


def _check_dates(exceptions: list[dict], today: date) -> None:
    last = today + timedelta(days=PLAN_DAYS)
    errors = {i: {"date": [f"Must be between {today} and {last}."]} for i, row in enumerate(exceptions)
              if not today <= row["date"] <= last}
    if errors:
        raise Invalid("An exception's date is in the past or more than a year ahead.", "validation_failed",
                      {"exceptions": errors})
