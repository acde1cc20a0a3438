"""Administrators: finding accounts, a community's staff, correcting a community, not disabling themselves."""
import pytest

from backend.accounts.models import Residency
from backend.common.models import utcnow
from tests import factories


@pytest.fixture
def admin(app):
    return factories.create_user(is_admin=True, name="管理员")


@pytest.fixture
def admin_client(make_client, admin):
    return factories.logged_in(make_client(), admin)


def test_admin_finds_accounts_by_part_of_phone_or_name(admin_client, community):
    wang = factories.create_resident(community, name="王秀英", phone="13912345678")
    factories.create_resident(community, name="李强", phone="13800001111")
    by_phone = admin_client.get("/api/v1/admin/users", query_string={"q": "2345"}).json
    assert [u["id"] for u in by_phone["items"]] == [wang.id] and by_phone["total"] == 1
    by_name = admin_client.get("/api/v1/admin/users", query_string={"q": "秀英"}).json["items"]
    assert by_name[0]["active"] is True and by_name[0]["memberships"][0]["community"]["id"] == community.id


def test_wildcards_in_the_search_are_plain_characters(admin_client, community):
    factories.create_resident(community, name="张三")
    assert admin_client.get("/api/v1/admin/users", query_string={"q": "%"}).json["total"] == 0
    assert admin_client.get("/api/v1/admin/users", query_string={"q": "x" * 51}).status_code == 422


def test_admin_lists_a_communitys_staff(admin_client, community, staff, other_community):
    factories.create_user(other_community, role="staff", name="别人")
    r = admin_client.get(f"/api/v1/admin/communities/{community.id}/staff")
    assert [(m["user"]["id"], m["title"]) for m in r.json] == [(staff.id, "居委会主任")]
    assert admin_client.get("/api/v1/admin/communities/99999/staff").status_code == 404


def test_admin_corrects_a_community(admin_client, community):
    body = {"name": "幸福里社区", "district": "福田区", "street": "华强北街道", "timezone": "Asia/Urumqi"}
    r = admin_client.put(f"/api/v1/communities/{community.id}", json=body)
    assert r.status_code == 200 and {k: r.json[k] for k in body} == body
    assert admin_client.put(f"/api/v1/communities/{community.id}", json={**body, "timezone": "Mars"}).status_code == 422
    assert admin_client.put("/api/v1/communities/99999", json=body).status_code == 404


def test_an_admin_cannot_disable_their_own_account(admin_client, admin):
    r = admin_client.patch(f"/api/v1/admin/users/{admin.id}", json={"active": False})
    assert r.status_code == 409 and r.json["code"] == "own_account"
    assert admin_client.get("/api/v1/auth/me").status_code == 200


def test_staff_cannot_correct_their_community(staff_client, community):
    r = staff_client.put(f"/api/v1/communities/{community.id}", json={"name": "改名"})
    assert r.status_code == 403


def test_a_staff_member_who_leaves_keeps_their_account_homes_and_other_communities(
        admin_client, make_client, community, other_community, staff):
    from backend.accounts.services import ensure_membership
    from backend.extensions import db
    from backend.facilities.models import Facility
    from backend.guide.models import GuideItem
    from backend.places.models import GridWorker
    from backend.places.services import set_grid_workers
    from tests import guide_factories as gf

    db.session.add(Residency(user=staff, community_id=community.id, dwelling=factories.create_dwelling(community),
                             relation="owner", status="verified", verified_at=utcnow()))
    ensure_membership(staff, community.id, "resident")
    ensure_membership(staff, other_community.id, "staff", "网格员")
    db.session.commit()
    grid, elsewhere = factories.create_grid(community), factories.create_grid(other_community)
    set_grid_workers(grid, [staff.id])
    set_grid_workers(elsewhere, [staff.id])
    facility = gf.create_facility(community, staff_user_id=staff.id)
    item = gf.create_item(community, contact_user_id=staff.id)
    client = factories.logged_in(make_client(), staff)
    workbench = f"/api/v1/communities/{community.id}/workbench"
    assert client.get(workbench).status_code == 200

    url = f"/api/v1/admin/communities/{community.id}/staff/{staff.id}"
    assert admin_client.delete(url).status_code == 204
    assert client.get(workbench).status_code == 403  # the very next request, on the session they had
    assert client.get(f"/api/v1/communities/{community.id}/notices").status_code == 200  # still lives there
    assert client.get(f"/api/v1/communities/{other_community.id}/workbench").status_code == 200
    assert admin_client.get(f"/api/v1/admin/communities/{community.id}/staff").json == []
    db.session.expire_all()
    assert [w.community_id for w in db.session.scalars(db.select(GridWorker))] == [other_community.id]
    assert db.session.get(Facility, facility.id).staff_user_id is None
    assert db.session.get(GuideItem, item.id).contact_user_id is None

    assert admin_client.delete(url).status_code == 404  # not staff there any more
    resident = factories.create_resident(community)
    assert admin_client.delete(f"/api/v1/admin/communities/{community.id}/staff/{resident.id}").status_code == 404
    assert admin_client.delete(f"/api/v1/admin/communities/99999/staff/{staff.id}").status_code == 404
