"""The desk and the worker: check-in by the desk's rotating code and by staff, reminders once each, no-shows
released to the waitlist, and the no-show penalty on the household's quota."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from backend.bookings import booking, checkin, jobs, settings
from backend.bookings.models import Booking, BookingLog, Slot
from backend.common import rotating_code
from backend.common.models import utcnow
from backend.errors import Invalid
from backend.extensions import db
from backend.facilities.hours import DAYS
from backend.places.models import Dwelling
from backend.volunteering import attendance
from tests import factories
from tests.bookings_factories import base, create_resource, start
from tests.consult_factories import add_device, pushed_to

HOURLY = {day: [["00:00", "00:00"]] for day in DAYS}  # a slot on every hour, day and night


def hourly(community, **fields):
    return create_resource(community, schedule=HOURLY, slot_minutes=60, **fields)


def next_hour(hours: int = 1):
    return utcnow().replace(minute=0, second=0, microsecond=0) + timedelta(hours=hours)


def book_at(resource, user, starts_at, **kwargs):
    """A booking made two hours before its slot (the rules see that moment)."""
    return booking.book(resource.community_id, resource.id, user, starts_at, now=starts_at - timedelta(hours=2),
                        **kwargs)


def resident(make_client, community, **extra):
    user = factories.create_resident(community, **extra)
    return user, factories.logged_in(make_client(), user)


def desk_code(staff_client, community, resource):
    answer = staff_client.get(f"{base(community)}/resources/{resource.id}/code")
    assert answer.status_code == 200, answer.json
    return answer.json["token"]


def scan(client, community, token):
    return client.post(f"{base(community)}/scan", json={"token": token})


@pytest.fixture
def soon(community, make_client):
    """A booking of the next hour's slot, whose check-in is open now (two hours early)."""
    resource = hourly(community, checkin_early_minutes=120)
    user, client = resident(make_client, community)
    return resource, client, user, book_at(resource, user, next_hour())


# Check-in by the desk's code


def test_scan_checks_in_the_households_booking_once(community, staff_client, make_client, soon):
    resource, client, user, mine = soon
    first = scan(client, community, desk_code(staff_client, community, resource))
    assert first.status_code == 200, first.json
    assert (first.json["id"], first.json["status"]) == (mine.id, "checked_in") and first.json["checked_in_at"]
    home = db.session.get(Dwelling, db.session.get(Booking, mine.id).dwelling_id)
    _, housemate = resident(make_client, community, dwelling=home, relation="tenant")
    again = scan(housemate, community, desk_code(staff_client, community, resource))
    assert again.status_code == 200 and again.json["checked_in_at"] == first.json["checked_in_at"]
    assert db.session.scalars(select(BookingLog)).all() == []  # the resident's own scan is not a staff action


def test_scan_without_a_booking_now_is_refused(community, staff_client, make_client, soon):
    resource, *_ = soon
    _, stranger = resident(make_client, community)
    answer = scan(stranger, community, desk_code(staff_client, community, resource))
    assert (answer.status_code, answer.json["code"]) == (409, "no_booking_now")
    later_user, later = resident(make_client, community)
    book_at(resource, later_user, next_hour(6))
    assert scan(later, community, desk_code(staff_client, community, resource)).json["code"] == "no_booking_now"
    assert db.session.scalar(select(Booking.status).filter_by(user_id=later_user.id)) == "confirmed"


def test_codes_of_another_community_purpose_or_time_are_refused(app, community, other_community, staff_client,
                                                                soon):
    resource, client, _, mine = soon
    now = utcnow()
    foreign = rotating_code.issue(checkin.PURPOSE, other_community.id, str(resource.id), now)["token"]
    volunteering = rotating_code.issue(attendance.PURPOSE, community.id, str(resource.id), now)["token"]
    activity_code = rotating_code.issue(attendance.PURPOSE, community.id, f"{resource.id}.i", now)["token"]
    good = desk_code(staff_client, community, resource)
    for bad in (foreign, volunteering, activity_code, good[:-4] + ("0000" if not good.endswith("0000") else "1111"),
                "nonsense", f"{resource.id}.1.abc"):
        answer = scan(client, community, bad)
        assert (answer.status_code, answer.json["code"]) == (422, "token_invalid"), bad
    old = rotating_code.issue(checkin.PURPOSE, community.id, str(resource.id),
                              now - timedelta(seconds=3 * rotating_code.WINDOW))["token"]
    assert scan(client, community, old).json["code"] == "token_expired"
    with pytest.raises(Invalid):  # nor does a desk code pass for a volunteer activity's
        attendance.read_token(community.id, good, now)
    assert db.session.get(Booking, mine.id).status == "confirmed"
    previous = rotating_code.issue(checkin.PURPOSE, community.id, str(resource.id),
                                   now - timedelta(seconds=rotating_code.WINDOW))["token"]
    assert scan(client, community, previous).json["status"] == "checked_in"


def test_desk_code_is_for_this_communitys_resources(community, other_community, staff_client):
    theirs = hourly(other_community)
    answer = staff_client.get(f"{base(community)}/resources/{theirs.id}/code")
    assert (answer.status_code, answer.json["code"]) == (404, "not_found")


# Check-in by staff


def test_staff_check_in_is_logged_once(community, staff, staff_client, soon):
    _, client, _, mine = soon
    url = f"{base(community)}/bookings/{mine.id}/check-in"
    first = staff_client.post(url)
    assert (first.status_code, first.json["status"]) == (200, "checked_in")
    assert staff_client.post(url).json["checked_in_at"] == first.json["checked_in_at"]
    rows = db.session.scalars(select(BookingLog)).all()
    assert [(r.action, r.actor_id, r.booking_id) for r in rows] == [("checked_in", staff.id, mine.id)]
    assert client.post(url).status_code == 403


def test_staff_check_in_refuses_pending_early_or_foreign_bookings(community, other_community, staff_client,
                                                                  make_client):
    resource = hourly(community, needs_approval=True)
    user, _ = resident(make_client, community)
    pending = book_at(resource, user, next_hour())
    answer = staff_client.post(f"{base(community)}/bookings/{pending.id}/check-in")
    assert (answer.status_code, answer.json["code"]) == (409, "not_confirmed")
    early = book_at(hourly(community), user, next_hour(5))
    answer = staff_client.post(f"{base(community)}/bookings/{early.id}/check-in")
    assert (answer.status_code, answer.json["code"]) == (409, "too_early")
    theirs_user = factories.create_resident(other_community)
    theirs = book_at(hourly(other_community), theirs_user, next_hour())
    assert staff_client.post(f"{base(community)}/bookings/{theirs.id}/check-in").status_code == 404
    assert db.session.get(Booking, theirs.id).checked_in_at is None
    assert db.session.scalars(select(BookingLog)).all() == []


# Reminders


def test_reminders_the_day_and_the_hour_before_once_each(community, make_client):
    resource = hourly(community)
    user, _ = resident(make_client, community)
    add_device(user)
    starts = next_hour(20)
    mine = book_at(resource, user, starts)
    book_at(resource, user, next_hour(60))  # too far off for either
    now = utcnow()
    assert jobs.remind_due(now) == 1
    assert jobs.remind_due(now) == 0
    assert jobs.remind_due(starts - timedelta(minutes=50)) == 1
    assert jobs.remind_due(starts - timedelta(minutes=40)) == 0
    assert pushed_to(user) == ["明日预约提醒", "预约即将开始"]
    row = db.session.get(Booking, mine.id)
    assert row.reminded_day_at and row.reminded_hour_at


def test_a_booking_made_within_the_hour_gets_only_the_hours_reminder(community, make_client):
    resource = hourly(community, min_notice_minutes=0)
    user, _ = resident(make_client, community)
    add_device(user)
    starts = next_hour(3)
    booking.book(community.id, resource.id, user, starts, now=starts - timedelta(minutes=30))
    assert jobs.remind_due(starts - timedelta(minutes=20)) == 1
    assert jobs.remind_due(starts - timedelta(minutes=10)) == 0
    assert pushed_to(user) == ["预约即将开始"]


def test_reminders_off_pending_and_cancelled_send_nothing(community, make_client):
    approval = hourly(community, needs_approval=True)
    plain = hourly(community)
    user, _ = resident(make_client, community)
    add_device(user)
    book_at(approval, user, next_hour(10))
    gone = book_at(plain, user, next_hour(11))
    booking.cancel(community.id, gone.id, user, now=gone.starts_at - timedelta(hours=12))
    assert jobs.remind_due() == 0
    settings.save(community.id, reminders=False)
    book_at(plain, user, next_hour(12))
    assert jobs.remind_due() == 1  # marked as reminded, pushed to nobody
    assert jobs.remind_due() == 0 and pushed_to(user) == []


# No-shows


def _waitlisted_slot(community, make_client, **fields):
    resource = hourly(community, **fields)
    first_user, _ = resident(make_client, community)
    second_user, _ = resident(make_client, community)
    starts = next_hour(-3)
    held = book_at(resource, first_user, starts)
    waiting = book_at(resource, second_user, starts, waitlist=True)
    assert (held.status, waiting.status) == ("confirmed", "waitlisted")
    for user in (first_user, second_user):
        add_device(user)
    return resource, starts, (first_user, held), (second_user, waiting)


def test_no_show_frees_the_seat_for_the_waitlist(community, make_client):
    resource, starts, (first_user, held), (second_user, waiting) = _waitlisted_slot(community, make_client)
    assert jobs.release_no_shows(starts + timedelta(minutes=14)) == 0
    assert jobs.release_no_shows(starts + timedelta(minutes=15)) == 1
    assert jobs.release_no_shows(starts + timedelta(minutes=29)) == 0  # the promoted get 15 minutes to come
    assert db.session.get(Booking, held.id).status == "no_show"
    assert db.session.get(Booking, waiting.id).status == "confirmed"
    assert db.session.get(Slot, held.slot_id).taken == 1
    assert pushed_to(first_user) == ["预约已释放"] and pushed_to(second_user) == ["候补成功"]
    assert jobs.release_no_shows(starts + timedelta(minutes=30)) == 1
    assert db.session.get(Booking, waiting.id).status == "no_show"


def test_no_show_after_the_slot_ended_promotes_nobody(community, make_client):
    resource, starts, (_, held), (second_user, waiting) = _waitlisted_slot(community, make_client,
                                                                          no_show_minutes=60)
    assert jobs.release_no_shows(starts + timedelta(minutes=61)) == 1
    assert db.session.get(Booking, waiting.id).status == "waitlisted"
    assert db.session.get(Slot, held.slot_id).taken == 0 and pushed_to(second_user) == []


def test_checked_in_and_cancelled_bookings_are_not_no_shows(community, staff, make_client):
    resource = hourly(community, seats=3)
    users = [resident(make_client, community)[0] for _ in range(2)]
    starts = next_hour(-3)
    came, left = (book_at(resource, user, starts) for user in users)
    checkin.staff_check_in(community.id, came.id, staff, now=starts + timedelta(minutes=5))
    booking.cancel(community.id, left.id, staff, now=starts + timedelta(minutes=6))
    assert jobs.release_no_shows(starts + timedelta(hours=1)) == 0
    assert db.session.get(Slot, came.slot_id).taken == 1


# The penalty, counted by the quota check when booking


@pytest.mark.parametrize("limit, penalised", [(1, True), (2, False), (0, False)])
def test_no_shows_lower_the_households_quota(community, make_client, limit, penalised):
    settings.save(community.id, no_show_limit=limit, penalty=1, penalty_days=30)
    user, client = resident(make_client, community)
    missed = book_at(hourly(community), user, next_hour(-3))
    assert jobs.release_no_shows(missed.starts_at + timedelta(minutes=20)) == 1
    weekly = create_resource(community, week_quota=1)
    answer = client.post(f"{base(community)}/resources/{weekly.id}/book",
                         json={"starts_at": start(weekly, 2).isoformat()})
    if penalised:
        assert (answer.status_code, answer.json["code"]) == (409, "week_quota_exceeded")
        assert answer.json["details"] == {"quota": 1, "used": 0, "penalty": 1}
    else:
        assert answer.status_code == 201, answer.json
