"""Registration, login, sessions, profile and password."""
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from backend.accounts.models import InviteCode, Membership, Residency, User
from backend.common.models import utcnow
from backend.extensions import db
from backend.places.models import DwellingOwner
from tests import factories


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def create_invite(community, dwelling=None, **extra) -> InviteCode:
    staff = factories.create_user(community, role="staff")
    invite = InviteCode(community_id=community.id, code=extra.pop("code", "ABCD2345"),
                        dwelling=dwelling or factories.create_dwelling(community), relation="family",
                        expires_at=extra.pop("expires_at", utcnow() + timedelta(days=7)),
                        max_uses=extra.pop("max_uses", 3), created_by_id=staff.id, **extra)
    db.session.add(invite)
    db.session.commit()
    return invite


def register_body(community, **extra):
    return {"phone": "138 0013 8000", "password": "long-enough-1", "name": "周阿姨",
            "community_id": community.id, **extra}


def test_register_with_invite_code_is_verified_at_once(client, community):
    invite = create_invite(community)
    r = client.post("/api/v1/auth/register", json=register_body(community, invite_code="abcd2345"))
    assert r.status_code == 201, r.json
    assert r.json["phone"] == "13800138000"
    [residency] = r.json["residencies"]
    assert residency["status"] == "verified" and residency["dwelling"]["id"] == invite.dwelling_id
    assert client.get("/api/v1/auth/me").json["name"] == "周阿姨"
    assert db.session.get(InviteCode, invite.id).uses == 1


def test_register_with_dwelling_claim_waits_for_staff(client, community):
    dwelling = factories.create_dwelling(community)
    body = register_body(community, dwelling_id=dwelling.id, relation="tenant")
    r = client.post("/api/v1/auth/register", json=body)
    assert r.status_code == 201
    assert r.json["residencies"][0]["status"] == "pending"
    assert r.json["memberships"] == [{"community": {"id": community.id, "name": community.name,
                                                    "timezone": "Asia/Shanghai"}, "role": "resident", "title": ""}]


def test_registered_owner_claiming_their_dwelling_is_verified(client, community):
    dwelling = factories.create_dwelling(community)
    dwelling.owners.append(DwellingOwner(community_id=community.id, phone="13800138000"))
    db.session.commit()
    body = register_body(community, dwelling_id=dwelling.id, relation="owner")
    assert client.post("/api/v1/auth/register", json=body).json["residencies"][0]["status"] == "verified"


@pytest.mark.parametrize("change, field", [
    ({"phone": "12345"}, "phone"),
    ({"phone": "+1 415 555 0100"}, "phone"),
    ({"password": "short"}, "password"),
    ({"name": "   "}, "name"),
    ({"community_id": "1"}, "community_id"),
    ({"relation": "landlord"}, "relation"),
    ({"dwelling_id": None}, "dwelling_id"),
    ({"surprise": 1}, "surprise"),
])
def test_register_bad_input_is_422_and_creates_nothing(client, community, change, field):
    dwelling = factories.create_dwelling(community)
    body = {**register_body(community, dwelling_id=dwelling.id, relation="owner"), **change}
    r = client.post("/api/v1/auth/register", json=body)
    assert r.status_code == 422
    assert r.json["code"] == "validation_failed" and field in r.json["errors"]
    assert count(User) == 0 and count(Residency) == 0


def test_register_needs_a_code_or_a_dwelling(client, community):
    r = client.post("/api/v1/auth/register", json=register_body(community))
    assert r.status_code == 422 and "invite_code" in r.json["errors"]


def test_register_with_dwelling_of_another_community_is_refused(client, community, other_community):
    dwelling = factories.create_dwelling(other_community)
    r = client.post("/api/v1/auth/register", json=register_body(community, dwelling_id=dwelling.id, relation="owner"))
    assert r.status_code == 422 and "dwelling_id" in r.json["errors"]
    assert count(User) == 0


def test_register_unknown_community_is_404(client, community):
    r = client.post("/api/v1/auth/register", json={**register_body(community, invite_code="ABCD2345"),
                                                   "community_id": 999})
    assert r.status_code == 404 and r.json["code"] == "not_found"


def test_register_taken_phone_is_409(client, community):
    factories.create_user(community, phone="13800138000")
    r = client.post("/api/v1/auth/register", json=register_body(community, invite_code="ABCD2345"))
    assert r.status_code == 409 and r.json["code"] == "phone_taken"


@pytest.mark.parametrize("invite_change", [
    {"expires_at": utcnow() - timedelta(minutes=1)},
    {"revoked_at": utcnow()},
    {"max_uses": 1, "uses": 1},
])
def test_register_with_spent_invite_is_refused(client, community, invite_change):
    create_invite(community, **invite_change)
    r = client.post("/api/v1/auth/register", json=register_body(community, invite_code="ABCD2345"))
    assert r.status_code == 422 and r.json["code"] == "invite_invalid"
    assert count(User) == 1 and count(Membership) == 1  # only the staff member who made the code


def test_invite_of_another_community_does_not_work(client, community, other_community):
    create_invite(other_community)
    r = client.post("/api/v1/auth/register", json=register_body(community, invite_code="ABCD2345"))
    assert r.status_code == 422 and r.json["code"] == "invite_invalid"


def test_login_and_me(client, resident):
    r = client.post("/api/v1/auth/login", json={"phone": "+86 " + resident.phone, "password": factories.PASSWORD})
    assert r.status_code == 200 and r.json["id"] == resident.id
    assert client.get("/api/v1/auth/me").json["residencies"][0]["status"] == "verified"


def test_wrong_phone_and_wrong_password_say_the_same(client, resident):
    wrong_password = client.post("/api/v1/auth/login", json={"phone": resident.phone, "password": "nope-nope"})
    wrong_phone = client.post("/api/v1/auth/login", json={"phone": "13999999999", "password": factories.PASSWORD})
    assert wrong_password.status_code == wrong_phone.status_code == 401
    assert wrong_password.json == wrong_phone.json
    assert wrong_phone.json["code"] == "invalid_credentials"


def test_login_bad_input_is_422(client):
    r = client.post("/api/v1/auth/login", json={"phone": "13800138000"})
    assert r.status_code == 422 and "password" in r.json["errors"]


def test_me_needs_login(client):
    r = client.get("/api/v1/auth/me")
    assert r.status_code == 401 and r.json["code"] == "unauthorized"


def test_login_starts_a_fresh_session(make_client, resident):
    client = make_client()
    client.get("/api/v1/auth/csrf")
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    factories.logged_in(client, resident)
    with client.session_transaction() as session:
        assert "planted" not in session


def test_the_session_cookie_is_re_signed_daily_not_on_every_request(resident_client, monkeypatch):
    assert resident_client.get("/api/v1/auth/me").headers.getlist("Set-Cookie") == []
    later = time.time() + 25 * 60 * 60
    monkeypatch.setattr("backend.security.time.time", lambda: later)
    cookies = resident_client.get("/api/v1/auth/me").headers.getlist("Set-Cookie")
    assert [c for c in cookies if c.startswith("session=")]
    assert resident_client.get("/api/v1/auth/me").status_code == 200


def test_a_session_cookie_checked_before_still_expires(resident_client, monkeypatch):
    assert resident_client.get("/api/v1/auth/me").status_code == 200  # checked once, and remembered
    later = time.time() + 31 * 24 * 60 * 60
    monkeypatch.setattr("backend.security.time.time", lambda: later)
    assert resident_client.get("/api/v1/auth/me").status_code == 401


def test_profile_update(resident_client, resident):
    r = resident_client.patch("/api/v1/auth/me", json={"name": "王奶奶", "locale": "en", "care_mode": True})
    assert r.status_code == 200
    assert (r.json["name"], r.json["locale"], r.json["care_mode"]) == ("王奶奶", "en", True)


@pytest.mark.parametrize("body", [{"locale": "fr"}, {"care_mode": "yes"}, {"care_mode": 1}, {"name": ""},
                                  {"phone": "13800138000"}])
def test_profile_bad_input_changes_nothing(resident_client, resident, body):
    r = resident_client.patch("/api/v1/auth/me", json=body)
    assert r.status_code == 422
    db.session.refresh(resident)
    assert (resident.locale, resident.care_mode, resident.name) == ("zh-CN", False, "测试用户")


def test_a_resident_sets_and_clears_the_year_of_birth(resident_client, resident):
    assert resident_client.get("/api/v1/auth/me").json["birth_year"] is None
    r = resident_client.patch("/api/v1/auth/me", json={"birth_year": 1956})
    assert (r.status_code, r.json["birth_year"]) == (200, 1956)
    assert resident_client.get("/api/v1/auth/me").json["birth_year"] == 1956
    assert resident_client.patch("/api/v1/auth/me", json={"birth_year": None}).json["birth_year"] is None
    db.session.refresh(resident)
    assert resident.birth_year is None


@pytest.mark.parametrize("year, ok", [(1899, False), (1900, True), (2027, True), (2028, False), ("1956", False),
                                      (1956.5, False), (True, False)])
def test_year_of_birth_from_1900_to_this_year_in_beijing(resident_client, resident, monkeypatch, year, ok):
    # 2026-12-31 17:00 UTC is already 2027 in Beijing
    monkeypatch.setattr("backend.common.fields.utcnow", lambda: datetime(2026, 12, 31, 17, 0, tzinfo=UTC))
    r = resident_client.patch("/api/v1/auth/me", json={"birth_year": year})
    assert r.status_code == (200 if ok else 422), r.json
    if not ok:
        assert list(r.json["errors"]) == ["birth_year"]
    db.session.refresh(resident)
    assert resident.birth_year == (year if ok else None)


def test_logout_on_one_device_ends_the_session_on_another(make_client, resident):
    phone, tablet = factories.logged_in(make_client(), resident), factories.logged_in(make_client(), resident)
    assert phone.post("/api/v1/auth/logout").status_code == 204
    assert phone.get("/api/v1/auth/me").status_code == 401
    assert tablet.get("/api/v1/auth/me").status_code == 401


def test_disabling_a_user_ends_their_sessions(make_client, resident):
    admin = factories.create_user(is_admin=True)
    admin_client = factories.logged_in(make_client(), admin)
    phone = factories.logged_in(make_client(), resident)
    r = admin_client.patch(f"/api/v1/admin/users/{resident.id}", json={"active": False})
    assert r.status_code == 200
    assert phone.get("/api/v1/auth/me").status_code == 401
    r = make_client().post("/api/v1/auth/login", json={"phone": resident.phone, "password": factories.PASSWORD})
    assert r.status_code == 401


def test_password_change_keeps_this_device_and_logs_out_others(make_client, resident):
    here, there = factories.logged_in(make_client(), resident), factories.logged_in(make_client(), resident)
    r = here.post("/api/v1/auth/password", json={"current_password": factories.PASSWORD,
                                                 "new_password": "brand-new-pass"})
    assert r.status_code == 204
    assert here.get("/api/v1/auth/me").status_code == 200
    assert there.get("/api/v1/auth/me").status_code == 401
    factories.logged_in(make_client(), resident, "brand-new-pass")


def test_password_change_with_wrong_current_password(resident_client, resident):
    before = resident.password_hash
    r = resident_client.post("/api/v1/auth/password", json={"current_password": "wrong-one",
                                                            "new_password": "brand-new-pass"})
    assert r.status_code == 422 and "current_password" in r.json["errors"]
    db.session.refresh(resident)
    assert resident.password_hash == before


@pytest.mark.parametrize("method, url", [
    ("post", "/api/v1/auth/logout"), ("patch", "/api/v1/auth/me"), ("post", "/api/v1/auth/password")])
def test_account_writes_need_login(client, method, url):
    r = getattr(client, method)(url, json={})
    assert r.status_code == 401


def test_admin_re_enables_a_user(make_client, resident):
    admin_client = factories.logged_in(make_client(), factories.create_user(is_admin=True))
    admin_client.patch(f"/api/v1/admin/users/{resident.id}", json={"active": False})
    r = admin_client.patch(f"/api/v1/admin/users/{resident.id}", json={"active": True})
    assert r.status_code == 200
    factories.logged_in(make_client(), resident)


def test_admin_user_status_bad_input_and_unknown_user(make_client, resident):
    admin_client = factories.logged_in(make_client(), factories.create_user(is_admin=True))
    assert admin_client.patch(f"/api/v1/admin/users/{resident.id}", json={"active": "no"}).status_code == 422
    assert admin_client.patch("/api/v1/admin/users/99999", json={"active": False}).status_code == 404
    db.session.refresh(resident)
    assert resident.active


def test_resident_adds_a_second_home_by_claim(resident_client, resident, community):
    second = factories.create_dwelling(community)
    r = resident_client.post("/api/v1/auth/residencies", json={"community_id": community.id,
                                                               "dwelling_id": second.id, "relation": "owner"})
    assert r.status_code == 201
    assert sorted(x["status"] for x in r.json["residencies"]) == ["pending", "verified"]


def test_resident_adds_a_home_in_another_community_by_invite(resident_client, resident, other_community):
    invite = create_invite(other_community)
    r = resident_client.post("/api/v1/auth/residencies", json={"community_id": other_community.id,
                                                               "invite_code": invite.code})
    assert r.status_code == 201
    assert {m["community"]["id"] for m in r.json["memberships"]} == {resident.memberships[0].community_id,
                                                                     other_community.id}


def test_adding_the_same_home_twice_is_409(resident_client, resident, community):
    dwelling_id = resident.residencies[0].dwelling_id
    r = resident_client.post("/api/v1/auth/residencies", json={"community_id": community.id,
                                                               "dwelling_id": dwelling_id, "relation": "family"})
    assert r.status_code == 409 and r.json["code"] == "residency_exists"
    assert count(Residency) == 1


def test_adding_a_home_bad_input(resident_client, community):
    r = resident_client.post("/api/v1/auth/residencies", json={"community_id": community.id})
    assert r.status_code == 422 and count(Residency) == 1
