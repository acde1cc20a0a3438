"""Each booking rule on its own, on both sides of its boundary, with its exact error code."""
from datetime import UTC, datetime, timedelta

import pytest

from backend.accounts.models import Residency, User
from backend.bookings import booking, resources, settings, slots
from backend.bookings.models import Booking
from backend.bookings.rules import homes
from backend.errors import DomainError
from backend.extensions import db
from backend.facilities.hours import DAYS
from backend.places.models import Dwelling
from backend.volunteering.models import Volunteer
from tests import factories
from tests.bookings_factories import create_resource, start
from tests.guide_factories import create_facility

NOW = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai


def book(resource, user, days=2, index=0, now=NOW, **kwargs):
    return booking.book(resource.community_id, resource.id, user, start(resource, days, index, NOW), now=now,
                        **kwargs)


def code_of(call) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    db.session.rollback()
    return caught.value


def test_resource_closed(community, resident):
    resource = create_resource(community, status="closed")
    assert code_of(lambda: book(resource, resident)).code == "resource_closed"
    resource.status = "open"
    db.session.commit()
    assert book(resource, resident).status == "confirmed"


def test_unverified_resident_is_not_eligible(community):
    user = factories.create_resident(community, status="pending")
    error = code_of(lambda: book(create_resource(community), user))
    assert (error.code, error.status) == ("not_eligible", 403)


def test_owners_only(community):
    resource = create_resource(community, eligibility="owners")
    assert code_of(lambda: book(resource, factories.create_resident(community, relation="tenant"))).code == \
        "not_eligible"
    assert book(resource, factories.create_resident(community, relation="owner")).status == "confirmed"


def test_volunteers_only(community):
    resource = create_resource(community, eligibility="volunteers")
    user = factories.create_resident(community)
    assert code_of(lambda: book(resource, user)).code == "not_eligible"
    db.session.add(Volunteer(community_id=community.id, user_id=user.id, status="approved", availability=[]))
    db.session.commit()
    assert book(resource, user).status == "confirmed"


@pytest.mark.parametrize("birth_year, code", [(None, "birth_year_needed"), (1967, "not_eligible"), (1966, None)])
def test_seniors_from_sixty(community, birth_year, code):
    resource = create_resource(community, eligibility="seniors")
    user = factories.create_resident(community, birth_year=birth_year)
    if code:
        assert code_of(lambda: book(resource, user)).code == code
    else:
        assert book(resource, user).status == "confirmed"


@pytest.mark.parametrize("birth_year, code", [(1968, "not_eligible"), (1967, None)])
def test_seniors_count_years_in_the_communitys_time(community, birth_year, code):
    # New Year's Day 01:00 in Shanghai is still 2026 in UTC: whoever was born in 1967 turns sixty this year
    now = datetime(2026, 12, 31, 17, 0, tzinfo=UTC)
    resource = create_resource(community, eligibility="seniors")
    user = factories.create_resident(community, birth_year=birth_year)
    call = lambda: booking.book(community.id, resource.id, user, start(resource, 2, 0, now), now=now)  # noqa: E731
    if code:
        assert code_of(call).code == code
    else:
        assert call().status == "confirmed"


def test_several_homes_need_a_dwelling(community):
    resource = create_resource(community)
    user = factories.create_resident(community)
    second = factories.create_dwelling(community)
    factories.create_resident(community, dwelling=second)  # someone else's home
    other = factories.create_dwelling(community)
    db.session.add(Residency(user_id=user.id, community_id=community.id, dwelling_id=other.id, relation="owner",
                             status="verified"))
    db.session.commit()
    error = code_of(lambda: book(resource, user))
    assert (error.status, list(error.errors)) == (422, ["dwelling_id"])
    assert list(code_of(lambda: book(resource, user, dwelling_id=second.id)).errors) == ["dwelling_id"]
    assert book(resource, user, dwelling_id=other.id).dwelling_id == other.id


def test_no_such_slot_respects_length_and_buffer(community, resident):
    resource = create_resource(community, slot_minutes=60, buffer_minutes=30)
    first = start(resource, 2, 0, NOW)
    assert start(resource, 2, 1, NOW) == first + timedelta(minutes=90)
    error = code_of(lambda: booking.book(community.id, resource.id, resident, first + timedelta(minutes=60),
                                         now=NOW))
    assert (error.code, error.status) == ("no_such_slot", 422)
    assert book(resource, resident, index=1).starts_at == first + timedelta(minutes=90)


def test_blackout_and_facility_closed_day(community, resident):
    day = (NOW + timedelta(days=2)).date().isoformat()
    resource = create_resource(community, blackouts=[{"start": day, "end": day, "note": "装修"}])
    assert code_of(lambda: book(resource, resident)).code == "blackout"
    assert book(resource, resident, days=3).status == "confirmed"


def test_blackout_covers_the_day_of_an_overnight_window(community, resident):
    """A window 20:00–02:00 on a blacked-out day is closed past midnight too, as the slots view shows it;
    the night before's window runs into that day and stays open."""
    day = (NOW + timedelta(days=2)).date()
    resource = create_resource(community, schedule={d: [["20:00", "02:00"]] for d in DAYS},
                               blackouts=[{"start": day.isoformat(), "end": day.isoformat(), "note": "装修"}])
    into_the_day, out_of_it = start(resource, 1, 2, NOW), start(resource, 2, 2, NOW)
    assert (slots.local_day(community.id, into_the_day), slots.local_day(community.id, out_of_it)) == \
        (day, day + timedelta(days=1))
    view = {d["date"]: d for d in slots.days_view(resource, day - timedelta(days=1), 3, NOW)["days"]}
    assert (view[day]["closed"], view[day]["slots"]) == (True, [])
    shown = {s["starts_at"]: s["bookable"] for d in view.values() for s in d["slots"]}
    assert (shown[into_the_day], out_of_it in shown) == (True, False)
    assert book(resource, resident, days=1, index=2).status == "confirmed"
    assert code_of(lambda: book(resource, resident, days=2, index=2)).code == "blackout"


def test_blocked_slot(community, resident, staff):
    resource = create_resource(community)
    resources.block(community.id, resource.id, staff, start(resource, 2, 0, NOW), "消毒")
    assert code_of(lambda: book(resource, resident)).code == "blocked"
    resources.block(community.id, resource.id, staff, start(resource, 2, 0, NOW), blocked=False)
    assert book(resource, resident).status == "confirmed"


def test_past(community, resident):
    resource = create_resource(community, min_notice_minutes=0)
    at = start(resource, 2, 0, NOW)
    assert code_of(lambda: book(resource, resident, now=at)).code == "past"
    assert book(resource, resident, now=at - timedelta(minutes=1)).status == "confirmed"


def test_too_late_within_min_notice(community, resident):
    resource = create_resource(community, min_notice_minutes=60)
    at = start(resource, 2, 0, NOW)
    assert code_of(lambda: book(resource, resident, now=at - timedelta(minutes=59))).code == "too_late"
    assert book(resource, resident, now=at - timedelta(minutes=60)).status == "confirmed"


def test_too_far_ahead_beyond_advance_days(community, resident):
    resource = create_resource(community, advance_days=14)
    assert code_of(lambda: book(resource, resident, days=15)).code == "too_far_ahead"
    assert book(resource, resident, days=14).status == "confirmed"


def test_staff_book_for_skip_notice_and_advance(community, resident, staff):
    resource = create_resource(community, advance_days=3, min_notice_minutes=600)
    assert code_of(lambda: book(resource, resident, days=10)).code == "too_far_ahead"
    assert code_of(lambda: book(resource, resident, days=0, index=5)).code == "too_late"
    dwelling_id = homes(community.id, resident.id)[0].dwelling_id
    far = booking.book_for(community.id, resource.id, staff, resident.id, dwelling_id,
                           start(resource, 10, 0, NOW), now=NOW)
    late = booking.book_for(community.id, resource.id, staff, resident.id, dwelling_id,
                            start(resource, 0, 5, NOW), now=NOW)
    assert (far.booked_by_id, late.status) == (staff.id, "confirmed")


def test_too_many_seats(community, resident):
    resource = create_resource(community, seats=5, max_seats_per_booking=2)
    error = code_of(lambda: book(resource, resident, seats=3))
    assert (error.code, error.status) == ("too_many_seats", 422)
    assert book(resource, resident, seats=2).seats == 2


def test_already_booked_by_the_household(community, resident):
    resource = create_resource(community, seats=5)
    home = db.session.get(Dwelling, homes(community.id, resident.id)[0].dwelling_id)
    partner = factories.create_resident(community, dwelling=home, relation="family")
    book(resource, resident)
    assert code_of(lambda: book(resource, partner)).code == "already_booked"
    assert book(resource, partner, index=1).status == "confirmed"


def test_week_quota(community, resident):
    resource = create_resource(community, week_quota=2)
    book(resource, resident, days=1)
    book(resource, resident, days=2)
    error = code_of(lambda: book(resource, resident, days=3))
    assert (error.code, error.details) == ("week_quota_exceeded", {"quota": 2, "used": 2, "penalty": 0})
    assert book(resource, resident, days=7).status == "confirmed"  # next Monday, a new week


def test_month_quota(community, resident):
    resource = create_resource(community, month_quota=1, advance_days=60)
    book(resource, resident, days=1)
    assert code_of(lambda: book(resource, resident, days=20)).code == "month_quota_exceeded"
    assert book(resource, resident, days=25).status == "confirmed"  # January


def test_no_show_penalty_lowers_quota_when_on(community, resident):
    resource = create_resource(community, week_quota=2)
    missed = book(resource, resident, days=-3, now=NOW - timedelta(days=5))
    missed.status = "no_show"
    db.session.commit()
    book(resource, resident, days=1)
    assert book(resource, resident, days=2).status == "confirmed"  # the rule is off by default
    settings.save(community.id, no_show_limit=1, penalty=1, penalty_days=30)
    error = code_of(lambda: book(resource, resident, days=3))
    assert error.details == {"quota": 2, "used": 2, "penalty": 1}
    assert "lowered" in str(error)


def test_penalty_lowers_to_one(community, resident):
    resource = create_resource(community, week_quota=2)
    missed = book(resource, resident, days=-3, now=NOW - timedelta(days=5))
    missed.status = "no_show"
    db.session.commit()
    settings.save(community.id, no_show_limit=1, penalty=1, penalty_days=30)
    book(resource, resident, days=1)
    assert code_of(lambda: book(resource, resident, days=2)).details == {"quota": 2, "used": 1, "penalty": 1}
    settings.save(community.id, no_show_limit=2)
    assert book(resource, resident, days=2).status == "confirmed"


def test_slot_full_and_waitlist(community, resident):
    resource = create_resource(community)
    book(resource, resident)
    other = factories.create_resident(community)
    error = code_of(lambda: book(resource, other))
    assert (error.code, error.details) == ("slot_full", {"waitlist": True})
    assert book(resource, other, waitlist=True).status == "waitlisted"
    resource.waitlist = False
    db.session.commit()
    third = factories.create_resident(community)
    assert code_of(lambda: book(resource, third, waitlist=True)).details == {"waitlist": False}


def test_needs_approval_makes_pending(community, resident):
    assert book(create_resource(community, needs_approval=True), resident).status == "pending"


def test_a_room_follows_its_facility_closed_days(community, resident):
    day = (NOW + timedelta(days=2)).date().isoformat()
    facility = create_facility(community, exceptions=[{"start": day, "end": day, "kind": "closed", "note": "停电"}])
    resource = create_resource(community, facility_id=facility.id)
    error = code_of(lambda: book(resource, resident))
    assert (error.code, str(error)) == ("blackout", "Closed that day: 停电.")
    assert book(resource, resident, days=3).status == "confirmed"


def test_promotion_passes_over_a_booking_whose_seats_do_not_fit(community, resident):
    resource = create_resource(community, seats=3, max_seats_per_booking=2, cancel_cutoff_minutes=0)
    book(resource, resident, seats=2)
    leaving = book(resource, factories.create_resident(community), seats=1)
    pair = book(resource, factories.create_resident(community), seats=2, waitlist=True)
    single = book(resource, factories.create_resident(community), seats=1, waitlist=True)
    booking.cancel(community.id, leaving.id, db.session.get(User, leaving.user_id), now=NOW)
    db.session.expire_all()
    assert (db.session.get(Booking, single.id).status, db.session.get(Booking, pair.id).status) == \
        ("confirmed", "waitlisted")
    assert booking.position(db.session.get(Booking, pair.id)) == 1


def test_slot_days_outside_the_century_are_refused(resident_client, community):
    resource = create_resource(community)
    for day in ("9999-12-31", "0001-01-01"):
        answer = resident_client.get(f"/api/v1/communities/{community.id}/bookings/resources/{resource.id}"
                                     f"/slots?from={day}&days=31")
        assert answer.status_code == 422
