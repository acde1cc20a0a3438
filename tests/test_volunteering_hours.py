"""Volunteer hours: check-in by rotating code, staff records, rounding, approval awarding points once,
certificates with public verification, the board, CSV exports, reminders, and the notices' volunteer role."""
import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from backend.common.models import utcnow
from backend.extensions import db
from backend.notices import audience
from backend.notices.schemas import AudienceSchema
from backend.points import ledger
from backend.points.models import PointTransaction
from backend.volunteering import attendance, jobs
from backend.volunteering.models import Attendance, Signup
from tests import factories
from tests.consult_factories import add_device
from tests.test_volunteering import pushed
from tests.volunteering_factories import (
    base,
    client_of,
    create_activity,
    create_attendance,
    create_volunteer,
    sign_up,
    volunteer_client,
)


def _code(staff_client, community, activity, mode="in"):
    return staff_client.get(f"{base(community)}/activities/{activity.id}/code?mode={mode}").json["token"]


def _scan(client, community, token):
    return client.post(f"{base(community)}/scan", json={"token": token})


def _ago_this_year(hours: float) -> timedelta:
    """`hours` ago, but no earlier than the start of this year in the community's time."""
    now = utcnow()
    local = now.astimezone(ZoneInfo("Asia/Shanghai"))
    year_start = datetime(local.year, 1, 1, tzinfo=local.tzinfo) + timedelta(seconds=1)  # starts drop their µs
    return max(now - timedelta(hours=hours), year_start) - now


@pytest.fixture
def started(community, make_client):
    """An activity that started a minute ago (this year, even in its first minute), one volunteer signed up."""
    activity = create_activity(community, starts_in=_ago_this_year(1 / 60))
    vclient, volunteer = volunteer_client(make_client, community)
    db.session.add(Signup(community_id=community.id, activity_id=activity.id, volunteer_id=volunteer.id,
                          status="confirmed", seq=1))
    db.session.commit()
    return activity, vclient, volunteer


def test_check_in_and_out_by_code(community, staff_client, started):
    activity, vclient, _ = started
    out_first = _scan(vclient, community, _code(staff_client, community, activity, "out"))
    assert out_first.status_code == 409 and out_first.json["code"] == "not_checked_in"
    token = _code(staff_client, community, activity)
    first = _scan(vclient, community, token)
    assert first.status_code == 200 and first.json["mode"] == "in", first.json
    assert first.json["activity"]["id"] == activity.id and first.json["attendance"]["checked_in_at"]
    replay = _scan(vclient, community, token)
    assert replay.json["attendance"] == first.json["attendance"]
    done = _scan(vclient, community, _code(staff_client, community, activity, "out")).json["attendance"]
    assert done["checked_out_at"] and done["minutes"] == 0 and done["status"] == "pending"
    again = _scan(vclient, community, _code(staff_client, community, activity, "out")).json["attendance"]
    assert again["checked_out_at"] == done["checked_out_at"]
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 1


def test_codes_expire_after_two_windows_and_forgeries_fail(app, community, staff_client, started):
    activity, vclient, _ = started
    now = utcnow()
    previous = attendance.code(community.id, activity.id, "in", now - timedelta(seconds=attendance.WINDOW))
    older = attendance.code(community.id, activity.id, "in", now - timedelta(seconds=3 * attendance.WINDOW))
    r = _scan(vclient, community, older["token"])
    assert r.status_code == 409 and r.json["code"] == "token_expired"
    good = _code(staff_client, community, activity)
    forged = good[:-4] + ("0000" if not good.endswith("0000") else "1111")
    for bad in (forged, "nonsense", f"{activity.id}.i.1.abc", good.replace(".i.", ".o.")):
        r = _scan(vclient, community, bad)
        assert r.status_code == 422 and r.json["code"] == "token_invalid", bad
    assert _scan(vclient, community, previous["token"]).status_code == 200


def test_a_code_of_another_community_is_invalid(community, other_community, make_client, started):
    activity, vclient, _ = started
    foreign = attendance.code(community.id, activity.id, "in")["token"]
    assert _scan(vclient, community, foreign).status_code == 200
    stranger, _ = volunteer_client(make_client, other_community)
    assert _scan(stranger, other_community, foreign).json["code"] == "token_invalid"


def test_scan_needs_a_confirmed_place_and_opens_early(community, staff_client, make_client):
    early = create_activity(community, starts_in=timedelta(hours=3))
    vclient, volunteer = volunteer_client(make_client, community)
    r = _scan(vclient, community, _code(staff_client, community, early))
    assert r.status_code == 409 and r.json["code"] == "not_signed_up"
    sign_up(vclient, community, early)
    r = _scan(vclient, community, _code(staff_client, community, early))
    assert r.status_code == 409 and r.json["code"] == "too_early"
    staff_client.put(f"{base(community)}/settings", json={"rounding_minutes": 30, "rounding": "nearest",
                                                          "checkin_early_minutes": 240, "reminders": True})
    assert _scan(vclient, community, _code(staff_client, community, early)).status_code == 200


@pytest.mark.parametrize("minutes, unit, rule, expected", [
    (44, 30, "nearest", 30), (45, 30, "nearest", 60), (59, 30, "down", 30), (89, 60, "down", 60),
    (90, 60, "nearest", 120), (7, 15, "nearest", 0), (8, 15, "nearest", 15), (61, 1, "down", 61), (-5, 30, "down", 0),
])
def test_rounding_rule(minutes, unit, rule, expected):
    assert attendance.round_minutes(minutes, unit, rule) == expected


def test_staff_record_attendance_rounded_by_the_rule(community, staff_client, started):
    activity, _, volunteer = started
    staff_client.put(f"{base(community)}/settings", json={"rounding_minutes": 15, "rounding": "down",
                                                          "checkin_early_minutes": 60, "reminders": False})
    assert staff_client.get(f"{base(community)}/settings").json["rounding"] == "down"
    start = activity.starts_at
    body = {"volunteer_id": volunteer.id, "checked_in_at": start.isoformat(),
            "checked_out_at": (start + timedelta(minutes=104)).isoformat()}
    r = staff_client.post(f"{base(community)}/activities/{activity.id}/attendance", json=body)
    assert r.status_code == 201 and r.json["minutes"] == 90 and r.json["recorded_by"] is not None
    assert r.json["points"] == 15  # 1.5 hours at 10 points an hour
    wrong = {**body, "checked_out_at": start.isoformat()}
    assert staff_client.post(f"{base(community)}/activities/{activity.id}/attendance", json=wrong).status_code == 422
    bad = staff_client.put(f"{base(community)}/settings", json={"rounding_minutes": 20, "rounding": "down",
                                                                "checkin_early_minutes": 60, "reminders": True})
    assert bad.status_code == 422


def test_approval_awards_points_exactly_once(community, staff_client, started):
    activity, vclient, volunteer = started
    row = create_attendance(activity, volunteer, minutes=150)
    queue = staff_client.get(f"{base(community)}/approvals").json
    assert [(i["id"], i["minutes"], i["points"]) for i in queue["items"]] == [(row.id, 150, 25)]
    path = f"{base(community)}/attendance/{row.id}"
    r = staff_client.post(f"{path}/approve", json={})
    assert r.status_code == 200 and (r.json["status"], r.json["points_awarded"]) == ("approved", 25)
    twice = staff_client.post(f"{path}/approve", json={})
    assert twice.status_code == 409 and twice.json["code"] == "already_decided"
    assert staff_client.post(f"{path}/reject", json={"reason": "x"}).json["code"] == "already_decided"
    assert ledger.balance(community.id, volunteer.user_id) == 25
    assert db.session.scalar(select(func.count()).select_from(PointTransaction)) == 1
    assert staff_client.get(f"{base(community)}/approvals").json["total"] == 0
    me = vclient.get(f"{base(community)}/me").json
    assert (me["hours_this_year"], me["points"]) == (2.5, 25)
    history = vclient.get(f"{base(community)}/me/history").json
    assert [(h["activity"]["title"], h["minutes"], h["points"], h["status"]) for h in history] == [
        ("陪伴独居老人", 150, 25, "approved")]


def test_adjusting_minutes_needs_a_reason(community, staff_client, started):
    activity, _, volunteer = started
    row = create_attendance(activity, volunteer, minutes=120)
    path = f"{base(community)}/attendance/{row.id}/approve"
    r = staff_client.post(path, json={"minutes": 60})
    assert r.status_code == 422 and "reason" in r.json["errors"]
    r = staff_client.post(path, json={"minutes": 60, "reason": "提前离开"})
    assert (r.json["minutes"], r.json["points_awarded"], r.json["adjust_reason"]) == (60, 10, "提前离开")
    assert ledger.balance(community.id, volunteer.user_id) == 10


def test_fixed_points_rejection_and_unfinished_attendance(community, staff_client, make_client):
    activity = create_activity(community, starts_in=timedelta(hours=-3), points_mode="fixed", points=30)
    volunteers = [create_volunteer(community) for _ in range(3)]
    approved = create_attendance(activity, volunteers[0], minutes=30)
    rejected = create_attendance(activity, volunteers[1], minutes=30)
    open_row = Attendance(community_id=community.id, activity_id=activity.id, volunteer_id=volunteers[2].id,
                          checked_in_at=activity.starts_at, status="pending")
    db.session.add(open_row)
    db.session.commit()
    assert staff_client.post(f"{base(community)}/attendance/{approved.id}/approve", json={}).json[
        "points_awarded"] == 30
    r = staff_client.post(f"{base(community)}/attendance/{rejected.id}/reject", json={"reason": "未到场"})
    assert (r.json["status"], r.json["points"]) == ("rejected", 30)
    assert ledger.balance(community.id, volunteers[1].user_id) == 0
    r = staff_client.post(f"{base(community)}/attendance/{open_row.id}/approve", json={})
    assert r.status_code == 409 and r.json["code"] == "not_checked_out"
    assert staff_client.get(f"{base(community)}/approvals").json["total"] == 0


def test_certificate_pdf_and_public_verification(community, client, staff_client, make_client):
    activity = create_activity(community, starts_in=timedelta(days=-10))
    user = factories.create_resident(community, name="张晓明")
    volunteer = create_volunteer(community, user=user)
    vclient = client_of(make_client, user)
    today = utcnow().date()
    body = {"from": (today - timedelta(days=30)).isoformat(), "to": today.isoformat()}
    r = vclient.post(f"{base(community)}/certificates", json=body)
    assert r.status_code == 409 and r.json["code"] == "no_hours"
    staff_client.post(f"{base(community)}/attendance/{create_attendance(activity, volunteer, 90).id}/approve",
                      json={})
    r = vclient.post(f"{base(community)}/certificates", json=body)
    assert r.status_code == 201 and (r.json["hours"], r.json["activities"]) == (1.5, 1), r.json
    code = r.json["code"]
    assert len(code) >= 10 and code.isalnum()
    pdf = vclient.get(r.json["pdf_url"])
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    pypdf = pytest.importorskip("pypdf")
    text = pypdf.PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert code in text and "1.5" in text and "张晓明" in text and "志愿服务时长证明" in text
    assert staff_client.get(r.json["pdf_url"]).status_code == 200
    other = client_of(make_client, factories.create_resident(community))
    assert other.get(r.json["pdf_url"]).status_code == 404
    checked = client.get(f"/api/v1/certificates/{code}").json
    assert checked == {"name": "张*明", "community": community.name, "from": body["from"], "to": body["to"],
                       "hours": 1.5, "activities": 1, "issued_at": checked["issued_at"], "valid": True}
    assert client.get(f"/api/v1/certificates/{code.lower()}").status_code == 200
    assert client.get("/api/v1/certificates/ABCDEFGHJKLM").status_code == 404
    backwards = vclient.post(f"{base(community)}/certificates", json={"from": body["to"], "to": body["from"]})
    assert backwards.status_code == 422


def test_board_shows_only_consenting_volunteers(community, make_client):
    activity = create_activity(community, starts_in=_ago_this_year(30))
    shown = create_volunteer(community, show_on_board=True, name="李桂英")
    hidden = create_volunteer(community, show_on_board=False, name="王不显")
    less = create_volunteer(community, show_on_board=True, name="陈少时")
    for volunteer, minutes in ((shown, 240), (hidden, 600), (less, 60)):
        create_attendance(activity, volunteer, minutes, status="approved")
    vclient = client_of(make_client, shown.user)
    board = vclient.get(f"{base(community)}/board").json
    assert board == [{"rank": 1, "name": "李桂英", "hours": 4.0, "activities": 1},
                     {"rank": 2, "name": "陈少时", "hours": 1.0, "activities": 1}]
    assert vclient.get(f"{base(community)}/board?year=2001").json == []
    assert vclient.get(f"{base(community)}/board?year=abc").status_code == 422


def _csv_rows(response) -> list[list[str]]:
    assert response.data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_csv_exports(community, staff_client, started):
    activity, _, volunteer = started
    volunteer.user.name = "=HYPERLINK()"
    db.session.commit()
    row = create_attendance(activity, volunteer, minutes=120)
    staff_client.post(f"{base(community)}/attendance/{row.id}/approve", json={})
    sheet = _csv_rows(staff_client.get(f"{base(community)}/activities/{activity.id}/sheet.csv"))
    assert sheet[0] == ["姓名", "手机号", "报名状态", "签到", "签退", "分钟", "审核"]
    assert sheet[1][0] == "'=HYPERLINK()" and sheet[1][2:3] == ["已报名"] and sheet[1][5:] == ["120", "已通过"]
    year = activity.starts_at.astimezone(ZoneInfo(community.timezone)).year  # the community's year, not UTC's
    hours = _csv_rows(staff_client.get(f"{base(community)}/export/hours.csv?year={year}"))
    assert hours == [["姓名", "手机号", "工时(小时)", "活动次数", "获得积分"],
                     ["'=HYPERLINK()", volunteer.user.phone, "2.0", "1", "20"]]


def test_reminders_the_day_before_once(app, community, make_client):
    tomorrow = create_activity(community, starts_in=timedelta(hours=20))
    later = create_activity(community, starts_in=timedelta(days=3))
    vclient, volunteer = volunteer_client(make_client, community)
    add_device(volunteer.user)
    sign_up(vclient, community, tomorrow)
    sign_up(vclient, community, later)
    assert jobs.remind_due() == 1
    assert jobs.remind_due() == 0
    assert pushed(volunteer.user) == ["明日志愿活动提醒"]


def test_volunteer_is_a_notice_audience_role(community):
    approved = create_volunteer(community)
    create_volunteer(community, status="pending")
    assert AudienceSchema().load({"roles": ["volunteer"]})["roles"] == ["volunteer"]
    assert [row[0] for row in audience.resolve(community.id, {"roles": ["volunteer"]})] == [approved.user_id]


def test_adjusting_approved_hours_moves_the_difference(community, staff_client, started):
    activity, _, volunteer = started
    row = create_attendance(activity, volunteer, minutes=120)
    path = f"{base(community)}/attendance/{row.id}"
    assert staff_client.post(f"{path}/adjust", json={"minutes": 60, "reason": "x"}).json["code"] == "not_approved"
    staff_client.post(f"{path}/approve", json={})
    assert staff_client.post(f"{path}/adjust", json={"minutes": 60}).status_code == 422
    r = staff_client.post(f"{path}/adjust", json={"minutes": 180, "reason": "漏记一小时"})
    assert (r.json["minutes"], r.json["points_awarded"]) == (180, 30)
    assert ledger.balance(community.id, volunteer.user_id) == 30
    r = staff_client.post(f"{path}/adjust", json={"minutes": 60, "reason": "多记了"})
    assert r.json["points_awarded"] == 10 and ledger.balance(community.id, volunteer.user_id) == 10
    ledger.post(community.id, "manual", [(ledger.resident(community.id, volunteer.user_id), -10),
                                         (ledger.pool(community.id), 10)], key="spent-all")
    db.session.commit()
    r = staff_client.post(f"{path}/adjust", json={"minutes": 0, "reason": "未到场"})
    assert r.status_code == 409 and r.json["code"] == "insufficient_points"
    assert db.session.get(Attendance, row.id).minutes == 60 and ledger.check(community.id) == []
