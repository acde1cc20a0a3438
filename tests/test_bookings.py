"""The life of a booking through the API: book, waitlist, cancel and promotion, approval, desk bookings,
blocking, the calendar, the export, settings, and who may see what."""
import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from backend.bookings import booking
from backend.bookings.models import Booking, BookingLog, Slot
from backend.bookings.rules import homes
from backend.extensions import db
from tests import factories
from tests.bookings_factories import base, create_resource, start


def _book(client, community, resource, days=2, index=0, **body):
    return client.post(f"{base(community)}/resources/{resource.id}/book",
                       json={"starts_at": start(resource, days, index).isoformat(), **body})


def _resident_client(make_client, community, **extra):
    user = factories.create_resident(community, **extra)
    return user, factories.logged_in(make_client(), user)


def test_book_shows_in_mine_and_slots(resident_client, community):
    resource = create_resource(community, seats=3, max_seats_per_booking=2)
    answer = _book(resident_client, community, resource, seats=2, note="生日会")
    assert answer.status_code == 201, answer.json
    body = answer.json
    assert (body["status"], body["seats"], body["position"], body["can_cancel"]) == ("confirmed", 2, None, True)
    assert body["resource"]["name"] == "活动室" and body["dwelling"]["label"]
    mine = resident_client.get(f"{base(community)}/mine").json
    assert [b["id"] for b in mine] == [body["id"]]
    days = resident_client.get(f"{base(community)}/resources/{resource.id}/slots?days=3").json["days"]
    slot = next(s for d in days for s in d["slots"] if s["starts_at"] == body["starts_at"])
    assert (slot["taken"], slot["free"], slot["bookable"], slot["mine"]["id"]) == (2, 1, True, body["id"])
    assert "block_reason" not in slot


def test_slot_full_error_carries_details(resident_client, make_client, community):
    resource = create_resource(community)
    assert _book(resident_client, community, resource).status_code == 201
    _, other = _resident_client(make_client, community)
    answer = _book(other, community, resource)
    assert (answer.status_code, answer.json["code"], answer.json["details"]) == (409, "slot_full", {"waitlist": True})
    days = other.get(f"{base(community)}/resources/{resource.id}/slots").json["days"]
    assert next(s for d in days for s in d["slots"] if s["taken"])["why_not"] == "slot_full"


def test_cancel_promotes_in_order_passing_over_a_household_over_quota(resident_client, make_client, community):
    resource = create_resource(community, week_quota=1)
    assert _book(resident_client, community, resource).status_code == 201
    over_user, over = _resident_client(make_client, community)
    second_user, second = _resident_client(make_client, community)
    assert _book(over, community, resource, waitlist=True).json["position"] == 1
    assert _book(second, community, resource, waitlist=True).json["position"] == 2
    # the first in line takes another slot this week: now over quota for this one
    assert _book(over, community, resource, index=2).status_code == 201
    mine = resident_client.get(f"{base(community)}/mine").json[0]
    answer = resident_client.post(f"{base(community)}/bookings/{mine['id']}/cancel", json={})
    assert answer.json["status"] == "cancelled"
    statuses = {b.user_id: b.status for b in db.session.scalars(select(Booking).where(
        Booking.starts_at == start(resource)))}
    assert (statuses[over_user.id], statuses[second_user.id]) == ("waitlisted", "confirmed")
    left = over.get(f"{base(community)}/mine").json
    assert [b["position"] for b in left if b["status"] == "waitlisted"] == [1]


def test_too_late_to_cancel_but_staff_may(resident_client, staff_client, community):
    resource = create_resource(community, cancel_cutoff_minutes=3 * 24 * 60)
    booking = _book(resident_client, community, resource).json
    assert booking["can_cancel"] is False
    answer = resident_client.post(f"{base(community)}/bookings/{booking['id']}/cancel", json={})
    assert (answer.status_code, answer.json["code"]) == (409, "too_late_to_cancel")
    answer = staff_client.post(f"{base(community)}/bookings/{booking['id']}/cancel", json={"reason": "维修"})
    assert (answer.status_code, answer.json["reason"]) == (200, "维修")
    assert db.session.scalar(select(BookingLog.action).filter_by(booking_id=booking["id"])) == "cancelled"
    assert db.session.scalar(select(Slot.taken)) == 0


def test_approve_and_refuse(resident_client, make_client, staff_client, community):
    resource = create_resource(community, needs_approval=True)
    first = _book(resident_client, community, resource).json
    _, other = _resident_client(make_client, community)
    waiting = _book(other, community, resource, waitlist=True).json
    assert [b["id"] for b in staff_client.get(f"{base(community)}/approvals").json] == [first["id"]]
    answer = staff_client.post(f"{base(community)}/bookings/{first['id']}/refuse", json={})
    assert answer.status_code == 422
    answer = staff_client.post(f"{base(community)}/bookings/{first['id']}/refuse", json={"reason": "已有活动"})
    assert (answer.json["status"], answer.json["reason"]) == ("refused", "已有活动")
    promoted = other.get(f"{base(community)}/bookings/{waiting['id']}").json
    assert promoted["status"] == "pending"  # promoted, still to be approved
    answer = staff_client.post(f"{base(community)}/bookings/{waiting['id']}/approve")
    assert answer.json["status"] == "confirmed"
    again = staff_client.post(f"{base(community)}/bookings/{waiting['id']}/approve")
    assert (again.status_code, again.json["code"]) == (409, "already_decided")


def test_book_for_is_audited_and_checks_the_home(staff_client, staff, community):
    resource = create_resource(community)
    elder = factories.create_resident(community, name="王奶奶")
    dwelling_id = homes(community.id, elder.id)[0].dwelling_id
    path = f"{base(community)}/resources/{resource.id}/book-for"
    body = {"starts_at": start(resource).isoformat(), "user_id": elder.id, "dwelling_id": dwelling_id}
    wrong = staff_client.post(path, json={**body, "dwelling_id": factories.create_dwelling(community).id})
    assert (wrong.status_code, list(wrong.json["errors"])) == (422, ["user_id"])
    answer = staff_client.post(path, json=body)
    assert answer.status_code == 201, answer.json
    assert (answer.json["booked_by"]["id"], answer.json["user"]["name"]) == (staff.id, "王奶奶")
    log = staff_client.get(f"{base(community)}/log?booking_id={answer.json['id']}").json
    assert [(e["action"], e["actor"]["id"]) for e in log] == [("booked_for", staff.id)]


def test_block_and_unblock(staff_client, resident_client, community):
    resource = create_resource(community)
    at = start(resource).isoformat()
    answer = staff_client.post(f"{base(community)}/resources/{resource.id}/slots/block",
                               json={"starts_at": at, "reason": "消毒"})
    assert (answer.status_code, answer.json["blocked"]) == (200, True)
    assert _book(resident_client, community, resource).json["code"] == "blocked"
    days = resident_client.get(f"{base(community)}/resources/{resource.id}/slots").json["days"]
    assert next(s for d in days for s in d["slots"] if s["starts_at"] == answer.json["starts_at"])["why_not"] == \
        "blocked"
    assert staff_client.post(f"{base(community)}/resources/{resource.id}/slots/unblock",
                             json={"starts_at": at}).json["blocked"] is False
    assert _book(resident_client, community, resource).status_code == 201
    odd = staff_client.post(f"{base(community)}/resources/{resource.id}/slots/block",
                            json={"starts_at": start(resource).replace(minute=7).isoformat()})
    assert odd.json["code"] == "no_such_slot"


def test_calendar_lists_bookings_with_people(staff_client, resident_client, resident, community):
    resource = create_resource(community)
    booking = _book(resident_client, community, resource).json
    days = staff_client.get(f"{base(community)}/calendar?resource_id={resource.id}&days=3").json["days"]
    slot = next(s for d in days for s in d["slots"] if s["bookings"])
    line = slot["bookings"][0]
    assert (line["id"], line["phone"], line["status"], line["booked_by"]) == \
        (booking["id"], resident.phone, "confirmed", None)
    assert line["dwelling"] == booking["dwelling"]["label"]
    assert slot["block_reason"] == ""


def test_export_csv(staff_client, resident_client, resident, community):
    resource = create_resource(community)
    _book(resident_client, community, resource, note="生日")
    day = start(resource).astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai")).date().isoformat()
    answer = staff_client.get(f"{base(community)}/export.csv?from={day}&to={day}")
    assert answer.status_code == 200 and answer.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(answer.data.decode("utf-8-sig"))))
    assert rows[0][:5] == ["日期", "时间", "预约项目", "姓名", "手机号"]
    assert rows[1][:5] == [day, "08:00-10:00", "活动室", resident.name, resident.phone]
    assert rows[1][6:8] == ["1", "已预约"]
    bad = staff_client.get(f"{base(community)}/export.csv?from={day}&to=2020-01-01")
    assert bad.status_code == 422


def test_settings(staff_client, community):
    path = f"{base(community)}/settings"
    assert staff_client.get(path).json == {"no_show_limit": 0, "penalty_days": 30, "penalty": 1, "senior_age": 60,
                                           "reminders": True}
    body = {"no_show_limit": 2, "penalty_days": 30, "penalty": 1, "senior_age": 65, "reminders": False}
    assert staff_client.put(path, json=body).json == body
    assert staff_client.put(path, json={**body, "penalty": -1}).status_code == 422


def test_resource_editor(staff_client, resident_client, community):
    path = f"{base(community)}/resources"
    body = {"name": "理发", "kind": "service", "schedule": {"mon": [["09:00", "11:00"]]}, "slot_minutes": 30,
            "seats": 2, "max_seats_per_booking": 1, "blackouts": [{"start": "2026-12-24", "note": "休息"}]}
    answer = staff_client.post(path, json=body)
    assert answer.status_code == 201, answer.json
    created = answer.json
    assert (created["status"], created["blackouts"][0]["end"]) == ("draft", "2026-12-24")
    assert resident_client.get(f"{path}/{created['id']}").status_code == 404
    assert staff_client.post(f"{path}/{created['id']}/publish").json["status"] == "open"
    assert resident_client.get(path).json[0]["next_free"] is not None
    short = staff_client.put(f"{path}/{created['id']}", json={**body, "slot_minutes": 180})
    assert (short.status_code, list(short.json["errors"])) == (422, ["schedule"])
    backwards = staff_client.post(path, json={**body, "blackouts": [{"start": "2026-12-24", "end": "2026-12-20"}]})
    assert backwards.status_code == 422
    assert staff_client.post(f"{path}/{created['id']}/close").json["status"] == "closed"
    assert staff_client.post(f"{path}/{created['id']}/close").json["code"] == "wrong_status"


@pytest.mark.parametrize("schedule, named", [
    ({"mon": [["09:00", "12:00"], ["11:00", "13:00"]]}, {"mon": ["0", "1"]}),
    ({"mon": [["22:00", "02:00"]], "tue": [["01:00", "03:00"]]}, {"mon": ["0"], "tue": ["0"]}),
    ({"mon": [["00:30", "02:00"]], "sun": [["23:00", "01:00"]]}, {"mon": ["0"], "sun": ["0"]}),
    ({"wed": [["09:00", "08:00"]], "thu": [["07:00", "09:00"]]}, {"wed": ["0"], "thu": ["0"]}),
])
def test_overlapping_windows_are_refused_by_name(staff_client, community, schedule, named):
    answer = staff_client.post(f"{base(community)}/resources", json={"name": "活动室", "schedule": schedule,
                                                                     "slot_minutes": 60})
    assert (answer.status_code, answer.json["code"]) == (422, "validation_failed")
    assert {day: sorted(ns) for day, ns in answer.json["errors"]["schedule"].items()} == named
    for day, windows in schedule.items():
        for n in named.get(day, []):
            start, end = windows[int(n)]
            assert f"{day} {start}-{end}" in answer.json["message"]


def test_windows_that_only_touch_are_accepted(staff_client, community):
    schedule = {"mon": [["09:00", "12:00"], ["12:00", "14:00"]], "tue": [["22:00", "02:00"]],
                "wed": [["02:00", "04:00"]], "sun": [["00:00", "24:00"]]}
    answer = staff_client.post(f"{base(community)}/resources", json={"name": "活动室", "schedule": schedule,
                                                                     "slot_minutes": 60})
    assert answer.status_code == 201, answer.json


def test_slots_of_a_closed_resource_say_why_not(staff_client, resident_client, community):
    resource = create_resource(community, status="closed")
    for client in (resident_client, staff_client):
        days = client.get(f"{base(community)}/resources/{resource.id}/slots?days=3").json["days"]
        shown = [(s["bookable"], s["why_not"]) for d in days for s in d["slots"]]
        assert len(shown) >= 12 and set(shown) == {(False, "resource_closed")}
    assert _book(resident_client, community, resource).json["code"] == "resource_closed"


def test_a_booking_under_way_is_upcoming_and_not_yet_past(resident, community):
    resource = create_resource(community, slot_minutes=60)
    ended, under_way, later = (start(resource, 2, n) for n in (0, 1, 3))
    made = [booking.book(community.id, resource.id, resident, at).id for at in (ended, under_way, later)]
    now = under_way + timedelta(minutes=59)
    listed = {scope: [b.id for b in booking.mine(community.id, resident, scope, now)] for scope in ("upcoming", "past")}
    assert listed == {"upcoming": made[1:], "past": made[:1]}
    assert {b.id for b in booking.mine(community.id, resident, "past", under_way + timedelta(hours=1))} == \
        set(made[:2])


def test_a_resident_gives_the_year_of_birth_and_books_for_seniors(resident_client, community):
    resource = create_resource(community, eligibility="seniors")
    assert _book(resident_client, community, resource).json["code"] == "birth_year_needed"
    assert resident_client.patch("/api/v1/auth/me", json={"birth_year": 1950}).status_code == 200
    assert _book(resident_client, community, resource).status_code == 201


def test_staff_at_the_desk_record_a_seniors_year_of_birth_with_the_booking(staff_client, community):
    """A senior without a phone cannot add the year to their profile: staff read it off the ID card."""
    from backend.accounts.models import User
    resource = create_resource(community, eligibility="seniors", seats=5)
    elder, young = factories.create_resident(community, name="王奶奶"), factories.create_resident(community)
    path = f"{base(community)}/resources/{resource.id}/book-for"

    def body(user, **extra):
        return {"starts_at": start(resource).isoformat(), "user_id": user.id,
                "dwelling_id": homes(community.id, user.id)[0].dwelling_id, **extra}

    assert staff_client.post(path, json=body(elder)).json["code"] == "birth_year_needed"
    assert staff_client.post(path, json=body(elder, birth_year=1800)).status_code == 422
    too_young = staff_client.post(path, json=body(young, birth_year=2001))
    assert too_young.json["code"] == "not_eligible"
    assert staff_client.post(path, json=body(elder, birth_year=1950)).status_code == 201
    db.session.expire_all()
    assert (db.session.get(User, elder.id).birth_year, db.session.get(User, young.id).birth_year) == (1950, None)
    differs = staff_client.post(path, json=body(elder, birth_year=1951))  # recorded: theirs to correct
    assert (differs.status_code, list(differs.json["errors"])) == (422, ["birth_year"])
    same = staff_client.post(path, json=body(elder, birth_year=1950))  # the year recorded is no objection
    assert same.json["code"] == "already_booked"


def test_fewer_seats_keep_the_bookings(staff_client, resident_client, make_client, community):
    resource = create_resource(community, seats=3)
    _book(resident_client, community, resource)
    _, other = _resident_client(make_client, community)
    _book(other, community, resource)
    body = {"name": "活动室", "schedule": resource.schedule, "slot_minutes": 120, "seats": 1}
    assert staff_client.put(f"{base(community)}/resources/{resource.id}", json=body).status_code == 200
    db.session.expire_all()
    assert db.session.scalar(select(Slot.seats)) == 2
    assert len(list(db.session.scalars(select(Booking).filter_by(status="confirmed")))) == 2


def test_a_household_shares_its_bookings_and_others_see_none(resident_client, resident, make_client, community):
    resource = create_resource(community, seats=5)
    booking = _book(resident_client, community, resource).json
    home = homes(community.id, resident.id)[0].dwelling
    _, partner = _resident_client(make_client, community, dwelling=home, relation="family")
    assert partner.get(f"{base(community)}/bookings/{booking['id']}").status_code == 200
    assert partner.post(f"{base(community)}/bookings/{booking['id']}/cancel", json={}).status_code == 200
    _, stranger = _resident_client(make_client, community)
    assert stranger.get(f"{base(community)}/bookings/{booking['id']}").status_code == 404
    assert stranger.get(f"{base(community)}/mine").json == []


def test_staff_of_another_community_cannot_touch_bookings(resident_client, make_client, community,
                                                          other_community):
    resource = create_resource(community)
    booking = _book(resident_client, community, resource).json
    outsider = factories.logged_in(make_client(), factories.create_user(other_community, role="staff"))
    assert outsider.get(f"{base(community)}/bookings/{booking['id']}").status_code == 403
    assert outsider.get(f"{base(other_community)}/bookings/{booking['id']}").status_code == 404
    assert outsider.post(f"{base(other_community)}/bookings/{booking['id']}/cancel", json={}).status_code == 404
    assert outsider.get(f"{base(other_community)}/resources/{resource.id}").status_code == 404


def test_demo_has_a_room_a_haircut_day_a_legal_hour_and_bookings(app):
    from backend.accounts.models import User
    from backend.bookings.models import Resource
    app.test_cli_runner().invoke(args=["seed-demo"])
    resources = {r.name: r for r in db.session.scalars(select(Resource))}
    assert set(resources) == {"多功能活动室", "理发日", "法律咨询"}
    assert (resources["多功能活动室"].slot_minutes, resources["多功能活动室"].facility_id is not None) == (120, True)
    assert (resources["理发日"].eligibility, resources["法律咨询"].needs_approval) == ("seniors", True)
    resident = db.session.scalar(select(User).filter_by(phone="13900000001"))
    mine = {b.resource.name: b.status for b in db.session.scalars(select(Booking).filter_by(user_id=resident.id))}
    assert mine == {"多功能活动室": "confirmed", "理发日": "confirmed", "法律咨询": "pending"}
