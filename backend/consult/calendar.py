"""Working days in the community's time zone: weekends off except 调休 workdays, and holidays off."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo


def is_working_day(day: date, holidays: set[date], workdays: set[date]) -> bool:
    if day in holidays:
        return False
    return day in workdays or day.weekday() < 5


def add_working_days(start: datetime, days: int, tz_name: str, holidays: set[date] = frozenset(),
                     workdays: set[date] = frozenset()) -> datetime:
    """`days` working days after `start`, at the same local time (asked on Friday 15:00, 2 days: Tuesday 15:00)."""
    local = start.astimezone(ZoneInfo(tz_name))
    day, counted = local.date(), 0
    while counted < days:
        day += timedelta(days=1)
        counted += is_working_day(day, holidays, workdays)
    due = datetime.combine(day, local.time().replace(tzinfo=None), tzinfo=ZoneInfo(tz_name))
    return due.astimezone(start.tzinfo)
