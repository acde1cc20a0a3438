"""Forgotten passwords: staff issue a one-time code at the desk; the code sets a new password once."""
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from backend.accounts.models import PasswordReset, Residency
from backend.common.models import utcnow
from backend.extensions import db
from tests import factories

NEW_PASSWORD = "river-stone-2026"


def issue(staff_client, community, user) -> dict:
    r = staff_client.post(f"/api/v1/communities/{community.id}/residents/{user.id}/password-reset")
    assert r.status_code == 201, r.json
    return r.json


def redeem(client, user, code: str, password: str = NEW_PASSWORD):
    return client.post("/api/v1/auth/password-reset",
                       json={"phone": user.phone, "code": code, "new_password": password})


def test_the_code_sets_a_new_password_logs_in_and_ends_every_other_session(
        staff_client, resident_client, make_client, community, resident, staff):
    issued = issue(staff_client, community, resident)
    assert len(issued["code"]) == 8 and issued["code"].isdigit() and issued["user"]["id"] == resident.id
    phone = make_client()
    r = redeem(phone, resident, issued["code"])
    assert r.status_code == 200 and r.json["id"] == resident.id
    assert phone.get("/api/v1/auth/me").status_code == 200
    assert resident_client.get("/api/v1/auth/me").status_code == 401  # the old phone is logged out
    assert make_client().post("/api/v1/auth/login", json={"phone": resident.phone, "password": factories.PASSWORD}
                              ).status_code == 401
    factories.logged_in(make_client(), resident, NEW_PASSWORD)
    reset = db.session.scalar(select(PasswordReset))
    assert reset.used_at is not None and reset.issued_by_id == staff.id and issued["code"] not in reset.code_hash
    again = redeem(make_client(), resident, issued["code"], "another-river-2027")
    assert again.status_code == 422 and again.json["code"] == "reset_code_invalid"


def test_wrong_tries_void_the_code(app, staff_client, make_client, community, resident):
    code = issue(staff_client, community, resident)["code"]
    wrong = f"{(int(code) + 1) % 10**8:08d}"
    for _ in range(app.config["PASSWORD_RESET_TRIES"]):
        assert redeem(make_client(), resident, wrong).json["code"] == "reset_code_invalid"
    assert redeem(make_client(), resident, code).status_code == 422


def test_an_expired_or_replaced_code_does_not_work(staff_client, make_client, community, resident):
    first = issue(staff_client, community, resident)["code"]
    second = issue(staff_client, community, resident)["code"]
    assert redeem(make_client(), resident, first).status_code == 422
    db.session.execute(update(PasswordReset).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert redeem(make_client(), resident, second).status_code == 422


def test_a_weak_password_is_refused_and_the_code_kept(staff_client, make_client, community, resident):
    code = issue(staff_client, community, resident)["code"]
    r = redeem(make_client(), resident, code, "12345678")
    assert r.status_code == 422 and "new_password" in r.json["errors"]
    assert redeem(make_client(), resident, code).status_code == 200


@pytest.mark.parametrize("body", [{}, {"phone": "13700000000", "code": "1234", "new_password": NEW_PASSWORD},
                                  {"phone": "13700000000", "code": "abcdefgh!", "new_password": NEW_PASSWORD}])
def test_bad_input_is_a_clear_422(client, body):
    r = client.post("/api/v1/auth/password-reset", json=body)
    assert r.status_code == 422 and r.json["errors"]


def test_an_unknown_phone_gets_the_same_answer_as_a_wrong_code(client):
    r = client.post("/api/v1/auth/password-reset",
                    json={"phone": "13711112222", "code": "12345678", "new_password": NEW_PASSWORD})
    assert r.status_code == 422 and r.json["code"] == "reset_code_invalid"


def test_who_may_issue_a_code(make_client, community, other_community, resident, staff_client):
    path = f"/api/v1/communities/{community.id}/residents/{resident.id}/password-reset"
    assert make_client().post(path).status_code == 401
    neighbour = factories.create_resident(community)
    assert factories.logged_in(make_client(), neighbour).post(path).status_code == 403
    other_staff = factories.logged_in(make_client(), factories.create_user(other_community, role="staff"))
    assert other_staff.post(path).status_code == 403
    theirs = f"/api/v1/communities/{other_community.id}/residents/{resident.id}/password-reset"
    assert other_staff.post(theirs).status_code == 404  # not a resident of their community
    colleague = factories.create_user(community, role="staff")
    colleague_path = f"/api/v1/communities/{community.id}/residents/{colleague.id}/password-reset"
    assert staff_client.post(colleague_path).status_code == 404  # staff passwords are not reset at a desk
    assert db.session.scalar(select(PasswordReset)) is None


def test_a_claim_their_staff_have_not_checked_gives_no_reset(make_client, community, other_community, resident):
    """A resident of one community with a pending claim in another: that community's staff cannot take
    over the account."""
    factories.create_resident(other_community)  # someone verified there, so the community is real
    db.session.add(Residency(user_id=resident.id, community_id=other_community.id, relation="tenant",
                             dwelling=factories.create_dwelling(other_community), status="pending"))
    db.session.commit()
    other_staff = factories.logged_in(make_client(), factories.create_user(other_community, role="staff"))
    path = f"/api/v1/communities/{other_community.id}/residents/{resident.id}/password-reset"
    assert other_staff.post(path).status_code == 404


def test_two_phones_racing_with_one_code_set_one_password(staff_client, make_client, community, resident):
    code, phone = issue(staff_client, community, resident)["code"], resident.phone
    db.session.commit()  # the test holds no transaction while the threads write
    clients = [make_client() for _ in range(4)]
    barrier, codes = threading.Barrier(len(clients)), []

    def go(n, client):
        barrier.wait()
        codes.append(client.post("/api/v1/auth/password-reset", json={
            "phone": phone, "code": code, "new_password": f"river-stone-{n}-2026"}).status_code)

    threads = [threading.Thread(target=go, args=(n, c)) for n, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [200, 422, 422, 422]


def test_guesses_sent_at_once_get_no_more_tries_than_allowed(app, staff_client, make_client, community, resident):
    code, phone = issue(staff_client, community, resident)["code"], resident.phone
    db.session.commit()
    wrong = [f"{(int(code) + n) % 10**8:08d}" for n in range(1, 13)]
    barrier = threading.Barrier(len(wrong))

    def guess(attempt):
        barrier.wait()
        make_client().post("/api/v1/auth/password-reset",
                           json={"phone": phone, "code": attempt, "new_password": NEW_PASSWORD})

    threads = [threading.Thread(target=guess, args=(w,)) for w in wrong]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    db.session.expire_all()
    assert db.session.scalar(select(PasswordReset.attempts)) == app.config["PASSWORD_RESET_TRIES"]
    assert redeem(make_client(), resident, code).status_code == 422  # the code is used up
