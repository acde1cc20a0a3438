"""Open now, today's hours and the next opening, in the community's time zone."""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from backend.facilities.hours import open_state

SH = ZoneInfo("Asia/Shanghai")
NONE = {d: [] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
OFFICE = {**NONE, **{d: [["09:00", "12:00"], ["14:00", "18:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}}
NIGHT = {**NONE, "fri": [["18:00", "02:00"]]}  # Friday evening into Saturday morning


def at(text: str, tz=SH) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=tz)


def state(hours, when, exceptions=(), tz="Asia/Shanghai"):
    return open_state(hours, list(exceptions), tz, when)


def test_open_inside_a_range_and_says_when_it_closes():
    s = state(OFFICE, at("2026-11-23T10:00"))  # a Monday
    assert (s.status, s.open_now, s.closes_at) == ("open", True, at("2026-11-23T12:00"))
    assert s.today_hours == [["09:00", "12:00"], ["14:00", "18:00"]]


def test_closed_at_lunch_opens_again_in_the_afternoon():
    s = state(OFFICE, at("2026-11-23T12:30"))
    assert (s.open_now, s.next_open_at) == (False, at("2026-11-23T14:00"))


def test_closed_at_the_weekend_opens_on_monday():
    assert state(OFFICE, at("2026-11-21T10:00")).next_open_at == at("2026-11-23T09:00")


def test_the_end_of_a_range_is_closed():
    assert state(OFFICE, at("2026-11-23T18:00")).open_now is False


@pytest.mark.parametrize("when, is_open", [
    ("2026-11-27T17:59", False), ("2026-11-27T18:00", True), ("2026-11-27T23:59", True),
    ("2026-11-28T01:59", True), ("2026-11-28T02:00", False), ("2026-11-28T18:30", False),
])
def test_a_range_across_midnight(when, is_open):
    assert state(NIGHT, at(when)).open_now is is_open


def test_across_midnight_closes_the_next_morning():
    assert state(NIGHT, at("2026-11-27T23:00")).closes_at == at("2026-11-28T02:00")


def test_a_holiday_closure():
    holiday = {"start": "2026-10-01", "end": "2026-10-07", "kind": "closed", "ranges": [], "note": "国庆闭馆"}
    s = state(OFFICE, at("2026-10-05T10:00"), [holiday])  # a Monday
    assert (s.open_now, s.today_hours, s.today_note) == (False, [], "国庆闭馆")
    assert s.next_open_at == at("2026-10-08T09:00")


def test_special_hours_replace_the_week():
    special = {"start": "2026-11-23", "kind": "hours", "ranges": [["10:00", "11:00"]], "note": "培训"}
    assert state(OFFICE, at("2026-11-23T09:30"), [special]).open_now is False
    assert state(OFFICE, at("2026-11-23T10:30"), [special]).closes_at == at("2026-11-23T11:00")


def test_an_open_24h_exception_on_a_closed_day():
    day = {"start": "2026-11-22", "kind": "open_24h", "ranges": [], "note": "义诊"}  # a Sunday
    s = state(OFFICE, at("2026-11-22T03:00"), [day])
    assert s.open_now is True and s.today_hours == [["00:00", "24:00"]]
    assert s.closes_at == at("2026-11-23T00:00")


def test_open_round_the_clock_has_no_closing_time():
    s = state({d: [["00:00", "24:00"]] for d in NONE}, at("2026-11-22T03:00"))
    assert (s.open_now, s.closes_at) == (True, None)


def test_no_hours_is_unknown_not_closed():
    assert state(NONE, at("2026-11-22T03:00")).status == "unknown"


def test_hours_are_in_the_communitys_time_zone():
    utc_now = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai, 02:00 in London
    assert state(OFFICE, utc_now).open_now is True
    london = state(OFFICE, utc_now, tz="Europe/London")
    assert london.open_now is False and london.next_open_at == at("2026-11-23T09:00", ZoneInfo("Europe/London"))


def test_daylight_saving_change_keeps_wall_clock_hours():
    ny = ZoneInfo("America/New_York")
    s = state(OFFICE, at("2026-03-09T09:30", ny), tz="America/New_York")  # the Monday after clocks went forward
    assert s.open_now is True and s.closes_at == at("2026-03-09T12:00", ny)
