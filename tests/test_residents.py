"""Staff: verifying residents, household invites, appointing staff."""
import pytest
from sqlalchemy import func, select

from backend.accounts.models import InviteCode, Residency
from backend.extensions import db
from tests import factories


def base(community) -> str:
    return f"/api/v1/communities/{community.id}"


def test_staff_lists_pending_residencies(staff_client, community):
    pending = factories.create_resident(community, status="pending", name="钱大爷")
    factories.create_resident(community)  # verified: not listed
    r = staff_client.get(f"{base(community)}/residencies")
    assert r.status_code == 200
    assert [(x["user"]["id"], x["user"]["name"]) for x in r.json["items"]] == [(pending.id, "钱大爷")]
    assert r.json["items"][0]["dwelling"]["label"] and r.json["total"] == 1


def test_staff_lists_by_status(staff_client, community):
    factories.create_resident(community)
    assert len(staff_client.get(f"{base(community)}/residencies?status=verified").json["items"]) == 1
    assert staff_client.get(f"{base(community)}/residencies?status=bogus").status_code == 422


def test_staff_verifies_a_residency(staff_client, staff, community, make_client):
    resident = factories.create_resident(community, status="pending")
    [residency] = resident.residencies
    r = staff_client.post(f"{base(community)}/residencies/{residency.id}/verify")
    assert r.status_code == 200 and r.json["status"] == "verified"
    db.session.refresh(residency)
    assert residency.verified_by_id == staff.id and residency.verified_at is not None
    me = factories.logged_in(make_client(), resident).get("/api/v1/auth/me").json
    assert me["residencies"][0]["status"] == "verified"


def test_staff_rejects_with_a_reason_the_resident_sees(staff_client, community, make_client):
    resident = factories.create_resident(community, status="pending")
    residency_id = resident.residencies[0].id
    r = staff_client.post(f"{base(community)}/residencies/{residency_id}/reject", json={"reason": "房号不符"})
    assert r.status_code == 200
    me = factories.logged_in(make_client(), resident).get("/api/v1/auth/me").json
    assert (me["residencies"][0]["status"], me["residencies"][0]["reject_reason"]) == ("rejected", "房号不符")


def test_reject_needs_a_reason(staff_client, community):
    resident = factories.create_resident(community, status="pending")
    r = staff_client.post(f"{base(community)}/residencies/{resident.residencies[0].id}/reject", json={"reason": " "})
    assert r.status_code == 422 and "reason" in r.json["errors"]
    assert db.session.get(Residency, resident.residencies[0].id).status == "pending"


def test_residency_of_another_community_is_not_found(staff_client, community, other_community):
    resident = factories.create_resident(other_community, status="pending")
    r = staff_client.post(f"{base(community)}/residencies/{resident.residencies[0].id}/verify")
    assert r.status_code == 404
    assert db.session.get(Residency, resident.residencies[0].id).status == "pending"


def test_staff_creates_lists_and_revokes_invites(staff_client, community, client):
    dwelling = factories.create_dwelling(community)
    r = staff_client.post(f"{base(community)}/invites", json={"dwelling_id": dwelling.id, "max_uses": 2})
    assert r.status_code == 201
    invite = r.json
    assert len(invite["code"]) == 8 and invite["active"] and invite["relation"] == "family"
    assert [i["id"] for i in staff_client.get(f"{base(community)}/invites").json["items"]] == [invite["id"]]
    assert staff_client.get(f"{base(community)}/invites/{invite['id']}").json["code"] == invite["code"]
    assert staff_client.delete(f"{base(community)}/invites/{invite['id']}").status_code == 204
    assert staff_client.get(f"{base(community)}/invites").json["items"][0]["active"] is False
    body = {"phone": "13600000001", "password": "long-enough-1", "name": "新住户",
            "community_id": community.id, "invite_code": invite["code"]}
    assert client.post("/api/v1/auth/register", json=body).json["code"] == "invite_invalid"


@pytest.mark.parametrize("body, field", [
    ({"max_uses": 0}, "max_uses"), ({"max_uses": 21}, "max_uses"), ({"expires_in_days": 91}, "expires_in_days"),
    ({"relation": "friend"}, "relation"), ({"dwelling_id": 99999}, "dwelling_id"), ({"extra": 1}, "extra"),
])
def test_invite_bad_input(staff_client, community, body, field):
    dwelling = factories.create_dwelling(community)
    r = staff_client.post(f"{base(community)}/invites", json={"dwelling_id": dwelling.id, **body})
    assert r.status_code == 422 and field in r.json["errors"]
    assert db.session.scalar(select(func.count()).select_from(InviteCode)) == 0


def test_invite_for_a_dwelling_of_another_community_is_refused(staff_client, community, other_community):
    dwelling = factories.create_dwelling(other_community)
    r = staff_client.post(f"{base(community)}/invites", json={"dwelling_id": dwelling.id})
    assert r.status_code == 422 and "dwelling_id" in r.json["errors"]


def test_admin_appoints_new_staff(make_client, community):
    admin = factories.logged_in(make_client(), factories.create_user(is_admin=True))
    body = {"phone": "13511112222", "name": "孙书记", "password": "first-pass-1", "title": "党委书记"}
    r = admin.post(f"/api/v1/admin/communities/{community.id}/staff", json=body)
    assert r.status_code == 201
    assert r.json["memberships"][0]["role"] == "staff" and r.json["memberships"][0]["title"] == "党委书记"
    staff_client = make_client()
    staff_client.post("/api/v1/auth/login", json={"phone": "13511112222", "password": "first-pass-1"})
    assert staff_client.get(f"{base(community)}/residencies").status_code == 200


def test_admin_appoints_existing_user_without_password(make_client, community, resident):
    admin = factories.logged_in(make_client(), factories.create_user(is_admin=True))
    r = admin.post(f"/api/v1/admin/communities/{community.id}/staff", json={"phone": resident.phone})
    assert r.status_code == 201
    assert {m["role"] for m in r.json["memberships"]} == {"resident", "staff"}


def test_appointing_a_new_phone_needs_name_and_password(make_client, community):
    admin = factories.logged_in(make_client(), factories.create_user(is_admin=True))
    r = admin.post(f"/api/v1/admin/communities/{community.id}/staff", json={"phone": "13511112222"})
    assert r.status_code == 422 and "name" in r.json["errors"]


def test_admin_creates_a_community(make_client):
    admin = factories.logged_in(make_client(), factories.create_user(is_admin=True))
    r = admin.post("/api/v1/communities", json={"name": "新城社区", "timezone": "Asia/Urumqi"})
    assert r.status_code == 201 and r.json["timezone"] == "Asia/Urumqi"
    assert admin.post("/api/v1/communities", json={"name": "x", "timezone": "Mars/Base"}).status_code == 422
    assert admin.post("/api/v1/communities", json={"name": "新城社区"}).status_code == 409
