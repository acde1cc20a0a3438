"""Limits on volunteer hours and places: staff records within the activity's times, minutes capped, strict
check-in codes, a home taken away ends volunteering, withdrawing frees places, promotion never double-books."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from backend.accounts.models import Residency
from backend.extensions import db
from backend.points import ledger
from backend.volunteering.models import Signup, Volunteer
from tests import factories
from tests.volunteering_factories import (
    base,
    client_of,
    create_activity,
    create_attendance,
    create_volunteer,
    sign_up,
    volunteer_client,
)


def _record(staff_client, community, activity, volunteer, start, end):
    body = {"volunteer_id": volunteer.id, "checked_in_at": start.isoformat(), "checked_out_at": end.isoformat()}
    return staff_client.post(f"{base(community)}/activities/{activity.id}/attendance", json=body)


def _status(activity_id: int, volunteer: Volunteer) -> str | None:
    return db.session.scalar(select(Signup.status).filter_by(activity_id=activity_id, volunteer_id=volunteer.id)
                             .execution_options(populate_existing=True))


# Staff-recorded attendance -----------------------------------------------------------------------------

def test_recorded_times_stay_near_the_activity(community, staff_client):
    activity = create_activity(community, starts_in=timedelta(hours=-8), hours=2, points=10000)
    volunteer = create_volunteer(community)
    start, end = activity.starts_at, activity.ends_at
    cases = [(start - timedelta(minutes=61), end, "checked_in_at"),
             (start, end + timedelta(hours=4, minutes=1), "checked_out_at"),
             (start.replace(year=2000), end.replace(year=2099), "checked_in_at"),
             (start, start, "checked_out_at")]
    for first, last, field in cases:
        r = _record(staff_client, community, activity, volunteer, first, last)
        assert r.status_code == 422 and field in r.json["errors"], (first, last, r.json)
    # The widest record allowed counts at most the activity's length plus four hours.
    r = _record(staff_client, community, activity, volunteer, start - timedelta(minutes=60),
                end + timedelta(hours=4))
    assert r.status_code == 201 and r.json["minutes"] == 360 and r.json["points"] == 60000


def test_a_long_activity_counts_at_most_a_day(community, staff_client):
    activity = create_activity(community, starts_in=timedelta(days=-3), hours=48)
    volunteer = create_volunteer(community)
    r = _record(staff_client, community, activity, volunteer, activity.starts_at,
                activity.starts_at + timedelta(hours=24, minutes=1))
    assert r.status_code == 422 and "checked_out_at" in r.json["errors"]
    r = _record(staff_client, community, activity, volunteer, activity.starts_at,
                activity.starts_at + timedelta(hours=24))
    assert r.status_code == 201 and r.json["minutes"] == 24 * 60


def test_only_approved_volunteers_of_a_published_activity_are_recorded(community, staff_client):
    activity = create_activity(community, starts_in=timedelta(hours=-3))
    start, end = activity.starts_at, activity.ends_at
    pending = create_volunteer(community, status="pending")
    unverified = create_volunteer(community, user=factories.create_resident(community, status="rejected"))
    for volunteer in (pending, unverified):
        r = _record(staff_client, community, activity, volunteer, start, end)
        assert r.status_code == 422 and "volunteer_id" in r.json["errors"]
    approved = create_volunteer(community)
    for status in ("draft", "cancelled"):
        other = create_activity(community, status=status, starts_in=timedelta(hours=-3))
        r = _record(staff_client, community, other, approved, other.starts_at, other.ends_at)
        assert r.status_code == 409 and r.json["code"] == "activity_not_open"
    assert _record(staff_client, community, activity, approved, start, end).status_code == 201


def test_approved_and_adjusted_minutes_are_capped(community, staff_client):
    activity = create_activity(community, starts_in=timedelta(days=-1), hours=2)  # 10 points an hour
    volunteer = create_volunteer(community)
    row = create_attendance(activity, volunteer, minutes=120)
    path = f"{base(community)}/attendance/{row.id}"
    r = staff_client.post(f"{path}/approve", json={"minutes": 361, "reason": "加班"})
    assert r.status_code == 422 and "minutes" in r.json["errors"]
    assert staff_client.post(f"{path}/approve", json={}).json["points_awarded"] == 20
    r = staff_client.post(f"{path}/adjust", json={"minutes": 1440, "reason": "补录"})
    assert r.status_code == 422 and "minutes" in r.json["errors"]
    r = staff_client.post(f"{path}/adjust", json={"minutes": 360, "reason": "补录"})
    assert (r.json["minutes"], r.json["points_awarded"]) == (360, 60)
    r = staff_client.post(f"{path}/adjust", json={"minutes": 60, "reason": "提前离开"})
    assert (r.json["minutes"], r.json["points_awarded"]) == (60, 10)
    assert ledger.balance(community.id, volunteer.user_id) == 10
    # A stored record longer than allowed (a check-out scanned days later) is approved at the cap.
    late = create_attendance(activity, create_volunteer(community), minutes=5000)
    assert staff_client.post(f"{base(community)}/attendance/{late.id}/approve", json={}).json[
        "points_awarded"] == 60


# Check-in codes ----------------------------------------------------------------------------------------

def test_codes_with_other_digits_are_refused_not_a_crash(community, staff_client, make_client):
    activity = create_activity(community, starts_in=timedelta(minutes=-1))
    vclient, _ = volunteer_client(make_client, community)
    token = staff_client.get(f"{base(community)}/activities/{activity.id}/code?mode=in").json["token"]
    aid, mode, window, mac = token.split(".")
    for bad in ("².i.1.abc", f"{aid}.i.²³.{mac}", f"{aid}.{mode}.{window}.{'é' * 20}", f"0{token}",
                f"{aid}.{mode}.0{window}.{mac}", f"{aid}.{mode}.{window}.{mac.upper()}", "١.i.١.abc"):
        r = vclient.post(f"{base(community)}/scan", json={"token": bad})
        assert r.status_code == 422 and r.json["code"] == "token_invalid", (bad, r.json)


# Residency, withdrawal and the waitlist ----------------------------------------------------------------

def test_a_revoked_home_ends_volunteering_and_frees_the_place(community, staff_client, make_client):
    activity = create_activity(community, places=1)
    vclient, volunteer = volunteer_client(make_client, community)
    wclient, waiting = volunteer_client(make_client, community)
    assert sign_up(vclient, community, activity).json["status"] == "confirmed"
    assert sign_up(wclient, community, activity).json["status"] == "waitlisted"
    home = db.session.scalar(select(Residency).filter_by(user_id=volunteer.user_id))
    r = staff_client.post(f"/api/v1/communities/{community.id}/residencies/{home.id}/reject",
                          json={"reason": "搬走了"})
    assert r.status_code == 200
    assert vclient.get(f"{base(community)}/me").json["volunteer"]["status"] == "withdrawn"
    assert (_status(activity.id, volunteer), _status(activity.id, waiting)) == ("cancelled", "confirmed")
    assert sign_up(vclient, community, create_activity(community)).status_code == 403


def test_another_verified_home_keeps_the_volunteer(community, staff_client, make_client):
    vclient, volunteer = volunteer_client(make_client, community)
    db.session.add(Residency(user_id=volunteer.user_id, community_id=community.id, relation="tenant",
                             dwelling=factories.create_dwelling(community), status="verified"))
    db.session.commit()
    home = db.session.scalar(select(Residency).filter_by(user_id=volunteer.user_id).order_by(Residency.id))
    staff_client.post(f"/api/v1/communities/{community.id}/residencies/{home.id}/reject", json={"reason": "搬走"})
    assert vclient.get(f"{base(community)}/me").json["volunteer"]["status"] == "approved"
    assert sign_up(vclient, community, create_activity(community)).status_code == 201


def test_a_volunteer_without_a_verified_home_may_not_sign_up(community, make_client):
    vclient, volunteer = volunteer_client(make_client, community)
    db.session.execute(Residency.__table__.update().where(Residency.user_id == volunteer.user_id)
                       .values(status="rejected"))
    db.session.commit()
    r = sign_up(vclient, community, create_activity(community))
    assert r.status_code == 403 and r.json["code"] == "not_verified"


def test_withdrawing_cancels_future_sign_ups_and_promotes(community, make_client):
    future, past = create_activity(community, places=1), create_activity(community, starts_in=timedelta(hours=-1))
    vclient, volunteer = volunteer_client(make_client, community)
    wclient, waiting = volunteer_client(make_client, community)
    sign_up(vclient, community, future)
    sign_up(wclient, community, future)
    db.session.add(Signup(community_id=community.id, activity_id=past.id, volunteer_id=volunteer.id,
                          status="confirmed", seq=1))
    db.session.commit()
    assert vclient.post(f"{base(community)}/me/withdraw").json["status"] == "withdrawn"
    assert (_status(future.id, volunteer), _status(future.id, waiting)) == ("cancelled", "confirmed")
    assert _status(past.id, volunteer) == "confirmed"  # what has started stays on the sheet
    shown = wclient.get(f"{base(community)}/activities/{future.id}").json
    assert (shown["taken"], shown["waitlist"]) == (1, 0)


@pytest.mark.parametrize("others_waiting", [True, False])
def test_promotion_passes_over_a_time_clash(community, make_client, others_waiting):
    x, y = create_activity(community, places=1), create_activity(community, places=1)
    bclient, b = volunteer_client(make_client, community)
    aclient, a = volunteer_client(make_client, community)
    sign_up(bclient, community, x)
    assert sign_up(aclient, community, x).json["status"] == "waitlisted"
    if others_waiting:
        cclient, c = volunteer_client(make_client, community)
        sign_up(cclient, community, x)
    assert sign_up(aclient, community, y).json["status"] == "confirmed"
    assert bclient.post(f"{base(community)}/activities/{x.id}/signup/cancel").status_code == 200
    assert (_status(x.id, a), _status(y.id, a)) == ("waitlisted", "confirmed")
    if others_waiting:
        assert _status(x.id, c) == "confirmed"
    else:
        assert client_of(make_client, b.user).get(f"{base(community)}/activities/{x.id}").json["taken"] == 0
