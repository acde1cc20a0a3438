"""Volunteers: registration and approval, skills and teams, activities, sign-ups and the waitlist."""
import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from backend.common.models import utcnow
from backend.extensions import db
from backend.push.models import PushDelivery
from backend.volunteering.models import Signup, Volunteer
from tests import factories
from tests.consult_factories import add_device
from tests.querycount import count_queries
from tests.volunteering_factories import (
    base,
    client_of,
    create_activity,
    create_skill,
    create_team,
    create_volunteer,
    sign_up,
    volunteer_client,
)


def pushed(user) -> list[str]:
    rows = db.session.scalars(select(PushDelivery).filter_by(user_id=user.id).order_by(PushDelivery.id))
    return [json.loads(row.message.payload)["title"] for row in rows]


# Registration --------------------------------------------------------------------------------------------

def test_a_verified_resident_registers_and_staff_approve(community, resident_client, staff_client):
    skill, team = create_skill(community), create_team(community)
    me = resident_client.get(f"{base(community)}/me").json
    assert me == {"volunteer": None, "verified": True, "hours_this_year": 0.0, "points": 0}
    body = {"skill_ids": [skill.id], "team_ids": [team.id], "availability": ["weekend_morning"],
            "emergency_name": "赵小明", "emergency_phone": "+86 139 0000 1234", "show_on_board": True}
    r = resident_client.post(f"{base(community)}/register", json=body)
    assert r.status_code == 201, r.json
    assert (r.json["status"], r.json["skill_ids"], r.json["team_ids"]) == ("pending", [skill.id], [team.id])
    assert r.json["emergency_phone"] == "13900001234"
    again = resident_client.post(f"{base(community)}/register", json=body)
    assert again.status_code == 409 and again.json["code"] == "already_registered"
    queue = staff_client.get(f"{base(community)}/registrations?status=pending").json
    assert queue["total"] == 1 and queue["items"][0]["dwelling"] and queue["items"][0]["user"]["name"]
    vid = r.json["id"]
    assert staff_client.post(f"{base(community)}/registrations/{vid}/approve").json["status"] == "approved"
    twice = staff_client.post(f"{base(community)}/registrations/{vid}/approve")
    assert twice.status_code == 409 and twice.json["code"] == "already_decided"
    assert resident_client.get(f"{base(community)}/me").json["volunteer"]["status"] == "approved"
    listed = staff_client.get(f"{base(community)}/volunteers?skill_id={skill.id}").json
    assert [v["id"] for v in listed["items"]] == [vid] and listed["items"][0]["hours_this_year"] == 0
    assert staff_client.get(f"{base(community)}/volunteers?team_id=999").json["total"] == 0


def test_only_verified_residents_register(community, make_client, staff_client):
    pending = factories.create_resident(community, status="pending")
    for user in (pending, factories.create_user(community, role="staff")):
        r = client_of(make_client, user).post(f"{base(community)}/register", json={})
        assert r.status_code == 403 and r.json["code"] == "not_verified"


def test_rejected_registers_again_and_withdraws(community, resident_client, staff_client):
    vid = resident_client.post(f"{base(community)}/register", json={}).json["id"]
    r = staff_client.post(f"{base(community)}/registrations/{vid}/reject", json={"reason": "年龄不符"})
    assert (r.json["status"], r.json["reject_reason"]) == ("rejected", "年龄不符")
    assert staff_client.post(f"{base(community)}/registrations/{vid}/reject", json={}).status_code == 422
    again = resident_client.post(f"{base(community)}/register", json={"show_on_board": True})
    assert (again.status_code, again.json["id"], again.json["status"]) == (201, vid, "pending")
    edited = resident_client.put(f"{base(community)}/me", json={"availability": ["weekday_evening"]})
    assert edited.json["availability"] == ["weekday_evening"]
    assert resident_client.post(f"{base(community)}/me/withdraw").json["status"] == "withdrawn"
    assert resident_client.post(f"{base(community)}/me/withdraw").status_code == 404


@pytest.mark.parametrize("body, field", [
    ({"availability": ["sunday"]}, "availability"), ({"skill_ids": [999]}, "skill_ids"),
    ({"emergency_phone": "12345"}, "emergency_phone"), ({"show_on_board": "yes"}, "show_on_board"),
    ({"skill_ids": [1, 1]}, "skill_ids"),
])
def test_registration_input_is_checked(community, resident_client, body, field):
    create_skill(community)
    r = resident_client.post(f"{base(community)}/register", json=body)
    assert r.status_code == 422 and field in r.json["errors"]


def test_skills_of_another_community_are_refused(community, other_community, resident_client):
    foreign = create_skill(other_community)
    r = resident_client.post(f"{base(community)}/register", json={"skill_ids": [foreign.id]})
    assert r.status_code == 422 and "skill_ids" in r.json["errors"]


def test_staff_keep_skills_and_teams(community, staff_client, resident_client, other_community, make_client):
    r = staff_client.post(f"{base(community)}/skills", json={"name": "助老"})
    assert r.status_code == 201 and r.json["position"] == 1
    assert staff_client.post(f"{base(community)}/skills", json={"name": "助老"}).json["code"] == "name_taken"
    sid = r.json["id"]
    assert staff_client.put(f"{base(community)}/skills/{sid}", json={"name": "助老服务"}).json["name"] == "助老服务"
    team = staff_client.post(f"{base(community)}/teams", json={"name": "平安巡逻", "description": "夜间"}).json
    assert [t["name"] for t in resident_client.get(f"{base(community)}/teams").json] == ["平安巡逻"]
    assert resident_client.post(f"{base(community)}/skills", json={"name": "x"}).status_code == 403
    outsider = client_of(make_client, factories.create_user(other_community, role="staff"))
    assert outsider.put(f"{base(community)}/skills/{sid}", json={"name": "x"}).status_code == 403
    assert staff_client.delete(f"{base(community)}/teams/{team['id']}").status_code == 204
    assert staff_client.delete(f"{base(community)}/skills/{sid}").status_code == 204
    assert resident_client.get(f"{base(community)}/skills").json == []


# Activities ----------------------------------------------------------------------------------------------

def _activity_body(**fields):
    starts = utcnow().replace(microsecond=0) + timedelta(days=3)
    return {"title": "敬老院探访", "address": "幸福里敬老院", "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=2)).isoformat(), "places": 2, **fields}


def test_staff_create_publish_and_edit_activities(community, staff_client, make_client):
    vclient, _ = volunteer_client(make_client, community)
    r = staff_client.post(f"{base(community)}/activities", json=_activity_body(points_mode="fixed", points=20))
    assert r.status_code == 201 and r.json["status"] == "draft", r.json
    aid = r.json["id"]
    assert vclient.get(f"{base(community)}/activities").json == []
    assert vclient.get(f"{base(community)}/activities/{aid}").status_code == 404
    assert staff_client.post(f"{base(community)}/activities/{aid}/publish").json["status"] == "open"
    assert staff_client.post(f"{base(community)}/activities/{aid}/publish").json["code"] == "not_draft"
    listed = vclient.get(f"{base(community)}/activities?scope=upcoming").json
    assert [(a["id"], a["taken"], a["my_signup"]) for a in listed] == [(aid, 0, None)]
    assert vclient.get(f"{base(community)}/activities?scope=past").json == []
    sign_up(vclient, community, db.session.get(type(create_activity(community)), aid))
    assert [a["id"] for a in vclient.get(f"{base(community)}/activities?scope=mine").json] == [aid]
    r = staff_client.put(f"{base(community)}/activities/{aid}", json=_activity_body(places=1, title="改期"))
    assert r.json["title"] == "改期" and r.json["places"] == 1
    assert vclient.put(f"{base(community)}/activities/{aid}", json=_activity_body()).status_code == 403


@pytest.mark.parametrize("fields, field", [
    ({"places": 0}, "places"), ({"address": "", "facility_id": None}, "address"),
    ({"facility_id": 999}, "facility_id"), ({"skill_ids": [999]}, "skill_ids"), ({"team_id": 999}, "team_id"),
    ({"points_mode": "daily"}, "points_mode"), ({"starts_at": "2026-13-01T00:00:00+08:00"}, "starts_at"),
    ({"ends_at": "2020-01-01T00:00:00+08:00"}, "ends_at"), ({"starts_at": "2026-12-01T09:00:00"}, "starts_at"),
])
def test_activity_input_is_checked(community, staff_client, fields, field):
    r = staff_client.post(f"{base(community)}/activities", json=_activity_body(**fields))
    assert r.status_code == 422 and field in r.json["errors"], r.json


def test_a_deadline_after_the_start_is_refused(community, staff_client):
    body = _activity_body()
    body["signup_deadline"] = body["ends_at"]
    r = staff_client.post(f"{base(community)}/activities", json=body)
    assert r.status_code == 422 and "signup_deadline" in r.json["errors"]


# Sign-ups ------------------------------------------------------------------------------------------------

def test_sign_up_then_waitlist_then_promotion_in_order(community, make_client, staff_client):
    activity = create_activity(community, places=1)
    people = [volunteer_client(make_client, community) for _ in range(4)]
    for _, volunteer in people:
        add_device(volunteer.user)
    answers = [sign_up(c, community, activity) for c, _ in people]
    assert [(r.status_code, r.json["status"], r.json["position"]) for r in answers] == [
        (201, "confirmed", None), (201, "waitlisted", 1), (201, "waitlisted", 2), (201, "waitlisted", 3)]
    again = sign_up(people[0][0], community, activity)
    assert again.status_code == 409 and again.json["code"] == "already_signed_up"
    # The second on the waitlist leaves: the third is now second.
    people[2][0].post(f"{base(community)}/activities/{activity.id}/signup/cancel")
    got = people[3][0].get(f"{base(community)}/activities/{activity.id}").json
    assert got["my_signup"] == {"status": "waitlisted", "position": 2} and got["waitlist"] == 2
    # The confirmed one cancels: the first waiting moves up and is told so.
    r = people[0][0].post(f"{base(community)}/activities/{activity.id}/signup/cancel")
    assert r.status_code == 200 and r.json["status"] == "cancelled"
    db.session.expire_all()
    statuses = {s.volunteer_id: s.status for s in db.session.scalars(select(Signup))}
    assert [statuses[v.id] for _, v in people] == ["cancelled", "confirmed", "cancelled", "waitlisted"]
    assert pushed(people[1][1].user) == ["候补转正"] and pushed(people[3][1].user) == []
    # More places promote the waitlist; fewer than the confirmed are refused.
    sheet = staff_client.get(f"{base(community)}/activities/{activity.id}/signups").json
    assert [row["signup_status"] for row in sheet] == ["cancelled", "confirmed", "cancelled", "waitlisted"]
    body = {**_activity_body(places=2), "starts_at": activity.starts_at.isoformat(),
            "ends_at": activity.ends_at.isoformat()}
    assert staff_client.put(f"{base(community)}/activities/{activity.id}", json=body).json["taken"] == 2
    low = staff_client.put(f"{base(community)}/activities/{activity.id}", json={**body, "places": 1})
    assert low.status_code == 409 and low.json["code"] == "places_below_signups"
    # A cancelled sign-up may sign up again, at the end of the line.
    assert sign_up(people[0][0], community, activity).json["status"] == "waitlisted"


def test_sign_up_errors(community, make_client, resident_client):
    skill = create_skill(community)
    vclient, volunteer = volunteer_client(make_client, community)
    open_one = create_activity(community)
    r = sign_up(resident_client, community, open_one)
    assert r.status_code == 403 and r.json["code"] == "not_volunteer"
    pending_client, _ = volunteer_client(make_client, community, status="pending")
    assert sign_up(pending_client, community, open_one).json["code"] == "not_volunteer"
    closed = create_activity(community, signup_deadline=utcnow() - timedelta(minutes=1))
    assert sign_up(vclient, community, closed).json["code"] == "signup_closed"
    draft = create_activity(community, status="draft")
    assert sign_up(vclient, community, draft).status_code == 404
    cancelled = create_activity(community, status="cancelled")
    assert sign_up(vclient, community, cancelled).json["code"] == "signup_closed"
    skilled = create_activity(community, skills=[skill])
    assert sign_up(vclient, community, skilled).json["code"] == "missing_skills"
    assert sign_up(vclient, community, open_one).status_code == 201
    overlapping = create_activity(community, starts_in=timedelta(days=2, hours=1))
    r = sign_up(vclient, community, overlapping)
    assert r.status_code == 409 and r.json["code"] == "time_clash"
    later = create_activity(community, starts_in=timedelta(days=2, hours=2))
    assert sign_up(vclient, community, later).status_code == 201
    assert sign_up(vclient, community, type(open_one)(id=10**6)).status_code == 404


def test_cancelling_after_the_cutoff_is_refused(community, make_client):
    vclient, _ = volunteer_client(make_client, community)
    activity = create_activity(community, cancel_cutoff=utcnow() + timedelta(seconds=2))
    assert sign_up(vclient, community, activity).status_code == 201
    db.session.get(type(activity), activity.id).cancel_cutoff = utcnow() - timedelta(seconds=1)
    db.session.commit()
    r = vclient.post(f"{base(community)}/activities/{activity.id}/signup/cancel")
    assert r.status_code == 409 and r.json["code"] == "too_late_to_cancel"
    other = create_activity(community, starts_in=timedelta(days=5))
    assert vclient.post(f"{base(community)}/activities/{other.id}/signup/cancel").json["code"] == "not_signed_up"


def test_cancelling_an_activity_pushes_everyone_signed_up(community, make_client, staff_client):
    activity = create_activity(community, places=1)
    people = [volunteer_client(make_client, community) for _ in range(3)]
    for vclient, volunteer in people:
        add_device(volunteer.user)
        sign_up(vclient, community, activity)
    people[2][0].post(f"{base(community)}/activities/{activity.id}/signup/cancel")
    r = staff_client.post(f"{base(community)}/activities/{activity.id}/cancel", json={"reason": "暴雨"})
    assert (r.json["status"], r.json["cancel_reason"]) == ("cancelled", "暴雨")
    assert [pushed(v.user) for _, v in people] == [["活动取消"], ["活动取消"], []]
    assert staff_client.post(f"{base(community)}/activities/{activity.id}/cancel").json["code"] == \
        "activity_cancelled"


def test_other_communities_see_nothing(community, other_community, make_client):
    activity = create_activity(community)
    outsider_client, _ = volunteer_client(make_client, other_community)
    path = f"{base(other_community)}/activities/{activity.id}"
    assert outsider_client.get(path).status_code == 404
    assert outsider_client.post(f"{path}/signup").status_code == 404
    staff = client_of(make_client, factories.create_user(other_community, role="staff"))
    assert staff.get(f"{base(community)}/activities/{activity.id}/signups").status_code == 403
    assert staff.get(f"{base(other_community)}/activities/{activity.id}/signups").status_code == 404
    volunteer = create_volunteer(community, status="pending")
    assert staff.post(f"{base(other_community)}/registrations/{volunteer.id}/approve").status_code == 404
    assert db.session.get(Volunteer, volunteer.id).status == "pending"


def test_anonymous_is_refused(client, community):
    assert client.get(f"{base(community)}/activities").status_code == 401


def test_demo_volunteering(app):
    from backend import demo
    from backend.points import ledger
    from backend.volunteering.demo import seed_volunteering
    demo.seed()
    resident = db.session.scalar(select(factories.User).filter_by(phone=demo.RESIDENT[0]))
    volunteer = db.session.scalar(select(Volunteer).filter_by(user_id=resident.id))
    assert volunteer.status == "approved"
    statuses = [v.status for v in db.session.scalars(select(Volunteer))]
    assert (statuses.count("approved"), statuses.count("pending")) == (20, 3)
    assert ledger.balance(volunteer.community_id, resident.id) > 0 and ledger.check() == []
    community = db.session.get(factories.Community, volunteer.community_id)
    assert seed_volunteering(community, resident) is False


def test_the_staff_volunteer_list_costs_the_same_at_any_length(community, staff_client):
    from backend.points import ledger

    def listed() -> tuple[int, list]:
        with count_queries() as statements:
            r = staff_client.get(f"{base(community)}/volunteers")
        assert r.status_code == 200
        return len(statements), r.json["items"]

    first = create_volunteer(community)
    ledger.award(community.id, first.user_id, 40, kind="manual", key="test:first", memo="", by_user_id=None)
    db.session.commit()
    few, items = listed()
    for _ in range(5):
        create_volunteer(community)
    many, more = listed()
    assert len(more) == 6 and few == many
    assert {i["points"] for i in more} == {40, 0}
