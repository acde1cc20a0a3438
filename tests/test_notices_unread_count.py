"""The unread count: one indexed count behind a weak ETag; residents are caught up when verified, not on polls."""
from sqlalchemy import func, select

from backend.accounts.models import Residency
from backend.extensions import db
from backend.notices.models import NoticeRecipient
from tests import factories
from tests.notice_factories import create_notice
from tests.querycount import count_queries


def count_url(community) -> str:
    return f"/api/v1/communities/{community.id}/notices/unread-count"


def verify_url(community, residency_id: int) -> str:
    return f"/api/v1/communities/{community.id}/residencies/{residency_id}/verify"


def residency_of(user) -> Residency:
    return db.session.scalar(select(Residency).filter_by(user_id=user.id))


# Revalidation


def test_the_count_carries_a_weak_private_etag(resident_client, community, staff, resident):
    create_notice(community, staff)
    r = resident_client.get(count_url(community))
    assert (r.status_code, r.json) == (200, {"unread": 1})
    assert r.headers["ETag"].startswith('W/"') and r.headers["Cache-Control"] == "private, no-cache"


def test_an_unchanged_count_is_a_304_and_a_new_notice_a_new_tag(resident_client, community, staff, resident):
    create_notice(community, staff)
    first = resident_client.get(count_url(community))
    same = resident_client.get(count_url(community), headers={"If-None-Match": first.headers["ETag"]})
    assert (same.status_code, same.get_data()) == (304, b"")
    assert same.headers["ETag"] == first.headers["ETag"]
    create_notice(community, staff, title="新的通知")
    after = resident_client.get(count_url(community), headers={"If-None-Match": first.headers["ETag"]})
    assert (after.status_code, after.json) == (200, {"unread": 2})
    assert after.headers["ETag"] != first.headers["ETag"]


def test_reading_a_notice_changes_the_tag(resident_client, community, staff, resident):
    notice = create_notice(community, staff)
    tag = resident_client.get(count_url(community)).headers["ETag"]
    resident_client.get(f"/api/v1/communities/{community.id}/notices/{notice.id}")
    r = resident_client.get(count_url(community), headers={"If-None-Match": tag})
    assert (r.status_code, r.json) == (200, {"unread": 0})


def test_another_account_with_the_same_count_does_not_match_the_tag(make_client, community, staff):
    alice, bob = factories.create_resident(community), factories.create_resident(community)
    create_notice(community, staff)
    tag = factories.logged_in(make_client(), alice).get(count_url(community)).headers["ETag"]
    r = factories.logged_in(make_client(), bob).get(count_url(community), headers={"If-None-Match": tag})
    assert (r.status_code, r.json) == (200, {"unread": 1})


def test_a_stranger_gets_no_304(make_client, resident_client, community, other_community, staff, resident):
    create_notice(community, staff)
    tag = resident_client.get(count_url(community)).headers["ETag"]
    outsider = factories.logged_in(make_client(), factories.create_resident(other_community))
    assert outsider.get(count_url(community), headers={"If-None-Match": tag}).status_code == 403


# Cost


def _poll(client, community) -> list[str]:
    url = count_url(community)
    client.get(url)  # the session cookie settled; the poll below is a steady one
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    return [s for s in statements if s.strip().upper() != "BEGIN"]


def test_a_poll_is_the_principal_and_one_count_however_many_notices(make_client, community, staff):
    grid = factories.create_grid(community)
    few = factories.logged_in(make_client(), factories.create_resident(community))
    many = factories.logged_in(make_client(), factories.create_resident(community))
    create_notice(community, staff)
    few_statements = _poll(few, community)
    for n in range(6):
        create_notice(community, staff, title=f"全体 {n}")
        create_notice(community, staff, title=f"别的网格 {n}", audience={"grid_ids": [grid.id]})
    many_statements = _poll(many, community)
    assert len(few_statements) == len(many_statements) == 2, many_statements
    assert "count(" in many_statements[1].lower() and "notice_recipient" in many_statements[1]
    assert many.get(count_url(community)).json == {"unread": 7}


# Catching up happens when a home is verified


def test_staff_verifying_a_claim_addresses_the_current_notices_for_that_home(
        staff_client, make_client, community, staff):
    grid, other_grid = factories.create_grid(community), factories.create_grid(community)
    home = factories.create_dwelling(community, factories.create_building(community, grid=grid))
    everyone = create_notice(community, staff, title="全体通知")
    mine = create_notice(community, staff, title="本网格", audience={"grid_ids": [grid.id]})
    create_notice(community, staff, title="别的网格", audience={"grid_ids": [other_grid.id]})
    create_notice(community, staff, title="业主", audience={"roles": ["owner"]})
    newcomer = factories.create_resident(community, dwelling=home, relation="tenant", status="pending")
    client = factories.logged_in(make_client(), newcomer)
    assert client.get(count_url(community)).json == {"unread": 0}
    assert staff_client.post(verify_url(community, residency_of(newcomer).id)).status_code == 200
    addressed = set(db.session.scalars(select(NoticeRecipient.notice_id).filter_by(user_id=newcomer.id)))
    assert addressed == {everyone.id, mine.id}
    assert client.get(count_url(community)).json == {"unread": 2}


def test_registering_with_a_household_invite_addresses_the_current_notices(staff_client, client, community, staff):
    notice = create_notice(community, staff)
    dwelling = factories.create_dwelling(community)
    code = staff_client.post(f"/api/v1/communities/{community.id}/invites", json={"dwelling_id": dwelling.id}).json
    r = client.post("/api/v1/auth/register", json={"phone": "13912345678", "password": "zhang-family-88",
                                                   "name": "张三", "community_id": community.id,
                                                   "invite_code": code["code"]})
    assert r.status_code == 201, r.json
    assert client.get(count_url(community)).json == {"unread": 1}
    assert client.get(f"/api/v1/communities/{community.id}/notices/{notice.id}").status_code == 200


def test_a_second_home_verified_later_brings_the_notices_of_its_grid(staff_client, make_client, community, staff):
    grid = factories.create_grid(community)
    resident = factories.create_resident(community)
    for_grid = create_notice(community, staff, title="本网格", audience={"grid_ids": [grid.id]})
    second = factories.create_dwelling(community, factories.create_building(community, grid=grid))
    client = factories.logged_in(make_client(), resident)
    claim = client.post("/api/v1/auth/residencies", json={"community_id": community.id, "dwelling_id": second.id,
                                                          "relation": "tenant"})
    assert claim.status_code == 201, claim.json
    assert client.get(count_url(community)).json == {"unread": 0}
    pending = next(r for r in claim.json["residencies"] if r["status"] == "pending")
    assert staff_client.post(verify_url(community, pending["id"])).status_code == 200
    assert client.get(count_url(community)).json == {"unread": 1}
    assert db.session.get(NoticeRecipient, (for_grid.id, resident.id)).dwelling_id == second.id


def test_polling_never_writes(make_client, community, staff):
    """A resident the verification did not reach (made directly here) is not addressed by polling either."""
    create_notice(community, staff)
    client = factories.logged_in(make_client(), factories.create_resident(community))
    assert client.get(count_url(community)).json == {"unread": 0}
    assert db.session.scalar(select(func.count()).select_from(NoticeRecipient)) == 0
