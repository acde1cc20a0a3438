"""Who belongs to a community is the person's own doing, and a home taken away takes its access with it."""
import io

from sqlalchemy import func, select

from backend.accounts.models import Membership, Residency
from backend.extensions import db
from backend.places.models import Dwelling
from backend.push.models import PushDelivery, PushSubscription
from tests import factories
from tests.notice_factories import create_notice
from tests.querycount import count_queries


def base(community) -> str:
    return f"/api/v1/communities/{community.id}"


def upload(client, community, text: str):
    data = {"file": (io.BytesIO(text.encode()), "dwellings.csv")}
    return client.post(f"{base(community)}/dwellings/import", data=data, content_type="multipart/form-data")


def all_residencies(client, community) -> list[dict]:
    return [r for status in ("pending", "verified", "rejected")
            for r in client.get(f"{base(community)}/residencies?status={status}").json["items"]]


# Item 1: the housing register never enrols anyone


def test_importing_a_register_does_not_enrol_people_of_another_community(make_client, community, other_community):
    neighbour = factories.create_resident(community, name="甲社区居民")
    colleague = factories.create_user(community, role="staff", name="甲社区干部")
    other = factories.create_user(other_community, role="staff")
    other_staff = factories.logged_in(make_client(), other)
    csv_text = f"building,room,floor_area,owner_phone\n1栋,101,80,{neighbour.phone}\n1栋,102,90,{colleague.phone}\n"
    r = upload(other_staff, other_community, csv_text)
    assert r.status_code == 200 and r.json["owners_linked"] == 2 and r.json["claims_confirmed"] == 0
    assert all_residencies(other_staff, other_community) == []
    members = db.session.scalars(select(Membership.user_id).filter_by(community_id=other_community.id))
    assert set(members) == {other.id}
    reader = factories.logged_in(make_client(), neighbour)
    assert reader.get(f"{base(other_community)}/notices").status_code == 403


def test_a_registered_owner_is_linked_when_they_claim_the_home(make_client, community, other_community):
    person = factories.create_resident(community)
    staff = factories.logged_in(make_client(), factories.create_user(other_community, role="staff"))
    upload(staff, other_community, f"building,room,floor_area,owner_phone\n1栋,101,80,{person.phone}\n")
    dwelling_id = db.session.scalar(select(Dwelling.id).filter_by(community_id=other_community.id))
    me = factories.logged_in(make_client(), person)
    r = me.post("/api/v1/auth/residencies", json={"community_id": other_community.id, "dwelling_id": dwelling_id,
                                                  "relation": "owner"})
    assert r.status_code == 201
    assert {(x["community_id"], x["status"]) for x in r.json["residencies"]} == {
        (community.id, "verified"), (other_community.id, "verified")}


def test_an_import_confirms_an_owners_own_pending_claim(make_client, staff_client, community):
    dwelling = factories.create_dwelling(community)
    claimant = factories.create_resident(community, dwelling=dwelling, status="pending")
    building = dwelling.building.name
    csv_text = f"building,unit,room,floor_area,owner_phone\n{building},1,{dwelling.room},80,{claimant.phone}\n"
    r = upload(staff_client, community, csv_text)
    assert r.status_code == 200 and r.json["claims_confirmed"] == 1
    db.session.expire_all()
    assert db.session.get(Residency, claimant.residencies[0].id).status == "verified"


# Item 5: taking a home away ends the access it gave, at once


def test_rejecting_a_verified_home_ends_access_to_its_notices(make_client, staff_client, community, staff):
    resident = factories.create_resident(community)
    db.session.add(PushSubscription(user_id=resident.id, endpoint="https://fcm.googleapis.com/fcm/send/x",
                                    p256dh="k", auth="a"))
    notice = create_notice(community, staff, push=True)
    reader = factories.logged_in(make_client(), resident)
    assert [n["id"] for n in reader.get(f"{base(community)}/notices").json["items"]] == [notice.id]
    r = staff_client.post(f"{base(community)}/residencies/{resident.residencies[0].id}/reject",
                          json={"reason": "已搬离"})
    assert r.status_code == 200 and r.json["status"] == "rejected"
    assert reader.get(f"{base(community)}/notices").json["items"] == []
    assert reader.get(f"{base(community)}/notices/{notice.id}").status_code == 404
    assert reader.get(f"{base(community)}/notices/unread-count").json == {"unread": 0}
    assert set(db.session.scalars(select(PushDelivery.status).filter_by(user_id=resident.id))) == {"cancelled"}


def test_a_second_home_keeps_what_it_was_addressed_for(make_client, staff_client, community, staff):
    first, second = factories.create_dwelling(community), factories.create_dwelling(community)
    resident = factories.create_resident(community, dwelling=first)
    db.session.add(Residency(user=resident, community_id=community.id, dwelling=second, relation="owner",
                             status="verified"))
    db.session.commit()
    for_first = create_notice(community, staff, title="一号楼", audience={"building_ids": [first.building_id]})
    for_all = create_notice(community, staff, title="全体")
    lost = next(r for r in resident.residencies if r.dwelling_id == first.id)
    staff_client.post(f"{base(community)}/residencies/{lost.id}/reject", json={"reason": "已出售"})
    reader = factories.logged_in(make_client(), resident)
    assert [n["id"] for n in reader.get(f"{base(community)}/notices").json["items"]] == [for_all.id]
    assert reader.get(f"{base(community)}/notices/{for_first.id}").status_code == 404


def test_a_turned_down_claim_can_be_asked_again_and_catches_up_when_verified(make_client, staff_client,
                                                                            community, staff):
    resident = factories.create_resident(community)
    residency_id, dwelling_id = resident.residencies[0].id, resident.residencies[0].dwelling_id
    notice = create_notice(community, staff)
    staff_client.post(f"{base(community)}/residencies/{residency_id}/reject", json={"reason": "房号不符"})
    me = factories.logged_in(make_client(), resident)
    r = me.post("/api/v1/auth/residencies", json={"community_id": community.id, "dwelling_id": dwelling_id,
                                                  "relation": "tenant"})
    assert r.status_code == 201
    assert [(x["id"], x["status"], x["relation"]) for x in r.json["residencies"]] == [
        (residency_id, "pending", "tenant")]
    assert staff_client.post(f"{base(community)}/residencies/{residency_id}/verify").status_code == 200
    assert [n["id"] for n in me.get(f"{base(community)}/notices").json["items"]] == [notice.id]


# Decisions: repeatable, never contradictory


def test_repeating_a_decision_is_harmless_and_contradicting_one_is_a_conflict(staff_client, community):
    resident = factories.create_resident(community, status="pending")
    url = f"{base(community)}/residencies/{resident.residencies[0].id}"
    assert staff_client.post(f"{url}/verify").json["status"] == "verified"
    assert staff_client.post(f"{url}/verify").status_code == 200
    first = staff_client.post(f"{url}/reject", json={"reason": "已搬离"})
    again = staff_client.post(f"{url}/reject", json={"reason": "别的理由"})
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json["reject_reason"] == "已搬离"
    r = staff_client.post(f"{url}/verify")
    assert r.status_code == 409 and r.json["code"] == "residency_decided"


# Item 8: staff lists come a page at a time, at a cost that does not grow with the community


def test_residency_list_is_paged_and_costs_the_same_at_any_length(staff_client, community):
    for _ in range(3):
        factories.create_resident(community)
    with count_queries() as few:
        assert staff_client.get(f"{base(community)}/residencies?status=verified").json["total"] == 3
    for _ in range(30):
        factories.create_resident(community)
    with count_queries() as many:
        page = staff_client.get(f"{base(community)}/residencies?status=verified&per_page=20").json
    assert (len(page["items"]), page["total"], page["page"], page["per_page"]) == (20, 33, 1, 20)
    assert len(many) == len(few) and page["items"][0]["user"]["name"]
    last = staff_client.get(f"{base(community)}/residencies?status=verified&per_page=20&page=2").json["items"]
    assert len(last) == 13 and not {r["id"] for r in last} & {r["id"] for r in page["items"]}


def test_residency_list_finds_by_name_phone_or_home(staff_client, community):
    wanted = factories.create_resident(community, name="钱大爷", status="pending")
    factories.create_resident(community, name="孙阿姨", status="pending")
    label = wanted.residencies[0].dwelling.label
    for q in ("钱", wanted.phone[-4:], label):
        items = staff_client.get(f"{base(community)}/residencies", query_string={"q": q}).json["items"]
        assert [i["user"]["id"] for i in items] == [wanted.id], q
    assert staff_client.get(f"{base(community)}/residencies?q=%25").json["total"] == 0


def test_pending_queue_is_oldest_first_and_continues_after_the_last_shown(staff_client, community):
    ids = [factories.create_resident(community, status="pending").residencies[0].id for _ in range(5)]
    first = staff_client.get(f"{base(community)}/residencies?per_page=2").json
    assert [r["id"] for r in first["items"]] == ids[:2]
    staff_client.post(f"{base(community)}/residencies/{ids[0]}/verify")  # the queue moves on meanwhile
    rest = staff_client.get(f"{base(community)}/residencies?per_page=2&after={ids[1]}").json
    assert [r["id"] for r in rest["items"]] == ids[2:4] and rest["total"] == 4
    assert db.session.scalar(select(func.count()).select_from(Residency)) == 5


def test_invites_and_dwellings_come_a_page_at_a_time(staff_client, staff, community):
    dwelling = factories.create_dwelling(community)
    for _ in range(3):
        factories.create_dwelling(community, building=dwelling.building)
        staff_client.post(f"{base(community)}/invites", json={"dwelling_id": dwelling.id})
    db.session.commit()
    with count_queries() as few:
        invites = staff_client.get(f"{base(community)}/invites?per_page=2").json
        dwellings = staff_client.get(f"{base(community)}/dwellings?per_page=2&page=2").json
    assert (len(invites["items"]), invites["total"]) == (2, 3)
    assert (len(dwellings["items"]), dwellings["total"]) == (2, 4)
    for _ in range(20):
        factories.create_dwelling(community)
    db.session.commit()
    with count_queries() as many:
        staff_client.get(f"{base(community)}/invites?per_page=2")
        staff_client.get(f"{base(community)}/dwellings?per_page=2&page=2")
    assert len(many) == len(few)
