"""Staff deciding one claim at the same moment, against the real database: the answers never contradict."""
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

from backend.accounts.models import Residency
from backend.extensions import db
from backend.notices.models import NoticeRecipient
from tests import factories
from tests.notice_factories import create_notice

CALLS = 10


def test_concurrent_verify_and_reject_agree_with_the_final_state(app, community, make_client):
    resident = factories.create_resident(community, status="pending")
    residency_id = resident.residencies[0].id
    staff = [factories.create_user(community, role="staff") for _ in range(CALLS)]
    clients = [factories.logged_in(make_client(), s) for s in staff]
    url = f"/api/v1/communities/{community.id}/residencies/{residency_id}"
    db.session.commit()
    start = Barrier(CALLS)

    def decide(n):
        client = clients[n]
        start.wait()
        if n % 2:
            return "reject", client.post(f"{url}/reject", json={"reason": f"理由{n}"})
        return "verify", client.post(f"{url}/verify")
    with ThreadPoolExecutor(CALLS) as pool:
        answers = [(action, r.status_code, r.json) for action, r in pool.map(decide, range(CALLS))]
    db.session.expire_all()
    final = db.session.get(Residency, residency_id)
    # A rejection always stands (it may end a verification made a moment before); a verification
    # either happened before every rejection or is refused.
    assert final.status == "rejected"
    assert {(code, body["status"]) for action, code, body in answers if action == "reject"} == {(200, "rejected")}
    assert {body["reject_reason"] for action, _, body in answers if action == "reject"} == {final.reject_reason}
    for action, code, body in answers:
        if action == "verify":
            outcome = (code, body["status"] if code == 200 else body["code"])
            assert outcome in {(200, "verified"), (409, "residency_decided")}


def test_a_verification_racing_a_rejection_leaves_no_access_behind(app, community, make_client, staff):
    """Whatever order they land in, a rejected resident is addressed by no notice."""
    create_notice(community, staff)
    for _ in range(3):
        resident = factories.create_resident(community, status="pending")
        residency_id = resident.residencies[0].id
        clients = [factories.logged_in(make_client(), factories.create_user(community, role="staff"))
                   for _ in range(2)]
        url = f"/api/v1/communities/{community.id}/residencies/{residency_id}"
        db.session.commit()
        start = Barrier(2)

        def decide(n, clients=clients, url=url, start=start):
            start.wait()
            return clients[n].post(f"{url}/verify") if n else clients[n].post(f"{url}/reject", json={"reason": "否"})
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(decide, range(2)))
        reader = factories.logged_in(make_client(), resident)
        assert reader.get(f"/api/v1/communities/{community.id}/notices").json["items"] == []
        db.session.expire_all()
        assert db.session.get(Residency, residency_id).status == "rejected"
        assert db.session.query(NoticeRecipient).filter_by(user_id=resident.id).count() == 0
