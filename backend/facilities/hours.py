"""Opening hours: a weekly schedule with several ranges a day, dated exceptions, in the community's time.

A range is ["HH:MM", "HH:MM"]; an end at or before the start runs past midnight into the next day, and
"24:00" is the end of the day. An exception covers a run of dates and is `closed`, `hours` (its own
ranges) or `open_24h`.
"""
import functools
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
LOOK_AHEAD = 14  # days searched for the next opening


def minutes(hhmm: str) -> int:
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


def _exception_on(exceptions: list[dict], day: date) -> dict | None:
    iso = day.isoformat()
    return next((e for e in exceptions if e["start"] <= iso <= e.get("end", e["start"])), None)


def day_ranges(weekly: dict, exceptions: list[dict], day: date) -> tuple[list[list[str]], str]:
    """The day's ranges as written, after exceptions, and the exception's note."""
    exc = _exception_on(exceptions, day)
    if exc is None:
        return weekly.get(DAYS[day.weekday()], []), ""
    ranges = {"closed": [], "open_24h": [["00:00", "24:00"]]}.get(exc["kind"], exc.get("ranges", []))
    return ranges, exc.get("note", "")


def _intervals(weekly: dict, exceptions: list[dict], tz: ZoneInfo, first: date, days: int):
    out = []
    for n in range(days):
        day = first + timedelta(days=n)
        midnight = datetime(day.year, day.month, day.day)
        for start, end in day_ranges(weekly, exceptions, day)[0]:
            s, e = minutes(start), minutes(end)
            e = e if e > s else e + 24 * 60
            out.append([(midnight + timedelta(minutes=m)).replace(tzinfo=tz).astimezone(UTC) for m in (s, e)])
    merged: list[list[datetime]] = []
    for start, end in sorted(out):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


@dataclass
class OpenState:
    status: str  # open, closed, or unknown when no hours are known
    open_now: bool | None
    closes_at: datetime | None  # None while open means open round the clock for days ahead
    next_open_at: datetime | None
    today_hours: list[list[str]]
    today_note: str

    @functools.cached_property
    def shown(self) -> dict:
        """As OpenStateSchema dumps it, made once for a state remembered for the minute (a test holds them equal)."""
        return {"status": self.status, "open_now": self.open_now,
                "closes_at": self.closes_at.isoformat() if self.closes_at else None,
                "next_open_at": self.next_open_at.isoformat() if self.next_open_at else None,
                "today_hours": self.today_hours, "today_note": self.today_note}


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time()).replace(tzinfo=tz)


def _find(weekly: dict, exceptions: list[dict], tz: ZoneInfo, today: date, now: datetime, days: int):
    """(open, closes_at, next_open_at, sure); not sure when the answer may lie past the days looked at."""
    horizon = _midnight(today + timedelta(days=days - 1), tz)
    intervals = _intervals(weekly, exceptions, tz, today - timedelta(days=1), days + 1)
    current = next(((s, e) for s, e in intervals if s <= now < e), None)
    if current:
        sure = current[1] < horizon
        return True, current[1] if sure else None, None, sure
    upcoming = next((s for s, _ in intervals if s > now), None)
    return False, None, upcoming, upcoming is not None


def open_state(weekly: dict, exceptions: list[dict], tz_name: str, now: datetime) -> OpenState:
    tz = ZoneInfo(tz_name)
    today = now.astimezone(tz).date()
    today_hours, note = day_ranges(weekly, exceptions, today)
    if not any(weekly.get(d) for d in DAYS) and not exceptions:
        return OpenState("unknown", None, None, None, [], "")
    # Most answers lie within a day or two; look two weeks ahead only when they do not.
    is_open, closes, upcoming, sure = _find(weekly, exceptions, tz, today, now, 3)
    if not sure:
        is_open, closes, upcoming, _ = _find(weekly, exceptions, tz, today, now, LOOK_AHEAD + 1)
    if is_open:
        return OpenState("open", True, _local(closes, tz), None, today_hours, note)
    return OpenState("closed", False, None, _local(upcoming, tz), today_hours, note)


def _local(moment: datetime | None, tz: ZoneInfo) -> datetime | None:
    return moment.astimezone(tz) if moment else None


_remembered: dict[tuple, OpenState] = {}


def open_state_this_minute(weekly_json: str | None, exceptions_json: str | None, tz_name: str,
                           now: datetime) -> OpenState:
    """open_state of a schedule as stored (its JSON text), remembered: ranges begin and end on whole minutes, so the
    answer holds for the whole minute, and a list of facilities asked for again and again reckons each schedule
    once a minute, not each time; keyed by the text, it is not even parsed again."""
    key = (now.replace(second=0, microsecond=0), tz_name, weekly_json, exceptions_json)
    state = _remembered.get(key)
    if state is None:
        if len(_remembered) > 10_000:
            _remembered.clear()
        weekly, exceptions = json.loads(weekly_json or "{}"), json.loads(exceptions_json or "[]")
        state = _remembered[key] = open_state(weekly or {}, exceptions or [], tz_name, now)
    return state
