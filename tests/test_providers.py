"""Convenience services: providers saved and checked by staff, found by residents, rated once a month per home."""
import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from backend.accounts.models import Residency
from backend.extensions import db
from backend.places.models import Dwelling
from backend.providers import ratings
from backend.providers.demo import seed_providers
from backend.providers.models import Provider, ProviderRating, ProviderService
from tests import factories
from tests.providers_factories import (
    ALL_DAY,
    base,
    create_provider,
    create_rating,
    create_resource,
    provider_body,
    upload,
)
from tests.querycount import count_queries

STAFF_ONLY = {"status", "status_reason", "licence_file_id", "verified_by", "verified_at"}


def test_staff_add_a_provider_that_residents_see_once_verified(staff_client, resident_client, community):
    r = staff_client.post(f"{base(community)}/", json=provider_body())
    assert r.status_code == 201, r.json
    pid = r.json["id"]
    assert r.json["status"] == "pending" and r.json["phone"] == "0755-26601234"
    assert r.json["services"][0] | {"id": 0} == {"id": 0, "name": "换水龙头", "description": "", "price_from": "30.00",
                                                "price_to": "80.00", "unit": "次"}
    assert resident_client.get(f"{base(community)}/").json == []
    assert resident_client.get(f"{base(community)}/{pid}").status_code == 404

    r = staff_client.post(f"{base(community)}/{pid}/verify")
    assert r.status_code == 409 and r.json["code"] == "licence_needed"
    licence = upload(staff_client, community, "provider_licence")
    assert staff_client.put(f"{base(community)}/{pid}", json=provider_body(licence_file_id=licence)).status_code == 200
    r = staff_client.post(f"{base(community)}/{pid}/verify")
    assert r.status_code == 200 and r.json["status"] == "verified" and r.json["verified_by"]["name"] == "测试用户"

    shown = resident_client.get(f"{base(community)}/{pid}").json
    assert shown["name"] == "老李水电维修" and not STAFF_ONLY & shown.keys()
    assert [p["id"] for p in resident_client.get(f"{base(community)}/").json] == [pid]


def test_the_licence_is_for_staff_only_and_photos_for_every_member(staff_client, resident_client, make_client,
                                                                   community, other_community):
    licence = upload(staff_client, community, "provider_licence")
    photo = upload(staff_client, community, "provider_photo")
    r = staff_client.post(f"{base(community)}/", json=provider_body(licence_file_id=licence, photos=[photo]))
    assert r.status_code == 201, r.json
    files = f"/api/v1/communities/{community.id}/files"
    assert resident_client.get(f"{files}/{licence}").status_code == 403
    assert resident_client.get(f"{files}/{licence}/thumb").status_code == 403
    assert resident_client.get(f"{files}/{photo}").status_code == 200
    other_staff = factories.create_user(community, role="staff")
    assert factories.logged_in(make_client(), other_staff).get(f"{files}/{licence}").status_code == 200
    outsider = factories.logged_in(make_client(), factories.create_user(other_community, role="staff"))
    assert outsider.get(f"{files}/{licence}").status_code == 403


def test_another_staff_member_edits_keeping_the_files(staff_client, make_client, community):
    licence = upload(staff_client, community, "provider_licence")
    photo = upload(staff_client, community, "provider_photo")
    body = provider_body(licence_file_id=licence, photos=[photo])
    pid = staff_client.post(f"{base(community)}/", json=body).json["id"]
    colleague = factories.logged_in(make_client(), factories.create_user(community, role="staff"))
    r = colleague.put(f"{base(community)}/{pid}", json=provider_body(licence_file_id=licence, photos=[photo],
                                                                     name="老李水电"))
    assert r.status_code == 200 and r.json["photos"] == [photo] and r.json["licence_file_id"] == licence
    # A file is used once: another provider cannot take it over.
    r = colleague.post(f"{base(community)}/", json=provider_body(photos=[photo]))
    assert r.status_code == 422 and "photos" in r.json["errors"]


def test_residents_may_not_upload_provider_files(resident_client, community):
    for purpose in ("provider_licence", "provider_photo"):
        r = resident_client.post(f"/api/v1/communities/{community.id}/files",
                                 data={"purpose": purpose, "file": (io.BytesIO(b"x"), "a.jpg")})
        assert r.status_code == 403


def test_a_licence_uploaded_by_someone_else_or_for_another_purpose_is_refused(staff_client, community):
    photo = upload(staff_client, community, "provider_photo")
    r = staff_client.post(f"{base(community)}/", json=provider_body(licence_file_id=photo))
    assert r.status_code == 422 and "licence_file_id" in r.json["errors"]
    assert db.session.scalar(select(Provider.id)) is None


@pytest.mark.parametrize("change, field", [
    ({"phone": "call me"}, "phone"),
    ({"phone": ""}, "phone"),
    ({"category": "plumbing"}, "category"),
    ({"latitude": 91}, "latitude"),
    ({"longitude": -181}, "longitude"),
    ({"latitude": 22.5, "longitude": None}, "latitude"),
    ({"hours": {"mon": [["08:00"]]}}, "hours"),
    ({"hours": {"mon": [["25:00", "26:00"]]}}, "hours"),
    ({"hours": {"someday": []}}, "hours"),
    ({"services": [{"name": "换锁", "price_from": -1}]}, "services"),
    ({"services": [{"name": "换锁", "price_from": 80, "price_to": 30}]}, "services"),
    ({"services": [{"name": "换锁", "price_from": "NaN"}]}, "services"),
    ({"services": [{"name": " "}]}, "services"),
    ({"photos": ["not-an-id"]}, "photos"),
    ({"name": ""}, "name"),
])
def test_bad_provider_input_is_refused_with_its_field(staff_client, community, change, field):
    r = staff_client.post(f"{base(community)}/", json=provider_body(**change))
    assert r.status_code == 422 and field in r.json["errors"], r.json
    assert db.session.scalar(select(Provider.id)) is None


def test_services_are_replaced_keeping_the_ids_given(staff_client, community):
    provider = create_provider(community, services=(("日常保洁", "30", "50", "小时"), ("擦玻璃", "5", "8", "平方米")))
    keep, drop = [s.id for s in provider.services]
    body = provider_body(services=[{"name": "新服务", "price_from": None, "price_to": None},
                                   {"id": keep, "name": "日常保洁（2 小时起）", "price_from": 35, "price_to": 60}])
    r = staff_client.put(f"{base(community)}/{provider.id}", json=body)
    assert r.status_code == 200, r.json
    assert [(s["name"], s["price_from"]) for s in r.json["services"]] == [("新服务", None),
                                                                          ("日常保洁（2 小时起）", "35.00")]
    assert r.json["services"][1]["id"] == keep
    assert db.session.get(ProviderService, drop) is None


def test_a_service_of_another_provider_cannot_be_claimed(staff_client, community):
    mine, theirs = create_provider(community), create_provider(community, name="别家")
    body = provider_body(services=[{"id": theirs.services[0].id, "name": "偷来的"}])
    r = staff_client.put(f"{base(community)}/{mine.id}", json=body)
    assert r.status_code == 422 and "services" in r.json["errors"]
    db.session.expire_all()
    assert db.session.get(ProviderService, theirs.services[0].id).name == "日常保洁"


def test_a_service_booked_through_a_resource_is_not_removed(staff_client, community):
    provider = create_provider(community)
    create_resource(provider.services[0])
    r = staff_client.put(f"{base(community)}/{provider.id}", json=provider_body(services=[]))
    assert r.status_code == 409 and r.json["code"] == "service_in_use"


def test_the_list_shows_the_bookable_resource_of_a_provider(resident_client, community):
    open_one, closed = create_provider(community, name="甲"), create_provider(community, name="丙")
    create_provider(community, name="乙")
    resource = create_resource(open_one.services[0])
    create_resource(closed.services[0], status="closed")
    got = {p["name"]: p["bookable_resource_id"] for p in resident_client.get(f"{base(community)}/").json}
    assert got == {"甲": resource.id, "乙": None, "丙": None}


@pytest.mark.parametrize("status, shown", [("pending", False), ("suspended", False), ("verified", True)])
def test_a_service_shows_its_provider_to_residents_only_once_verified(resident_client, staff_client, community,
                                                                     status, shown):
    provider = create_provider(community, status=status)
    resource = create_resource(provider.services[0])
    path = f"/api/v1/communities/{community.id}/bookings/resources"
    listed, one = resident_client.get(path).json, resident_client.get(f"{path}/{resource.id}").json
    expected = {"id": provider.id, "name": "阿姨帮家政服务", "phone": "0755-26601234"} if shown else None
    assert ([r["provider"] for r in listed], one["provider"]) == ([expected], expected)
    assert resident_client.get(f"{base(community)}/{provider.id}").status_code == (200 if shown else 404)
    assert staff_client.get(f"{path}/{resource.id}").json["provider"]["phone"] == "0755-26601234"
    assert staff_client.get(path).json[0]["provider"]["name"] == "阿姨帮家政服务"


def test_residents_find_providers_by_category_text_and_distance(resident_client, community):
    near = create_provider(community, name="平安开锁", category="locksmith", latitude=22.5406, longitude=113.9413,
                           services=(("开门锁", "50", "150", "次"),))
    far = create_provider(community, name="远方开锁", category="locksmith", latitude=22.56, longitude=113.96)
    nowhere = create_provider(community, name="无址开锁", category="locksmith")
    create_provider(community, name="便民理发室", category="haircut", latitude=22.5405, longitude=113.9412)
    create_provider(community, name="暂停的开锁", category="locksmith", status="suspended")
    r = resident_client.get(f"{base(community)}/?category=locksmith&lat=22.5405&lng=113.9412")
    assert [p["id"] for p in r.json] == [near.id, far.id, nowhere.id]
    assert r.json[0]["distance_m"] < 20 and r.json[1]["distance_m"] > 2000 and r.json[2]["distance_m"] is None
    assert [p["name"] for p in resident_client.get(f"{base(community)}/?q=理发").json] == ["便民理发室"]
    assert [p["name"] for p in resident_client.get(f"{base(community)}/?q=开门锁").json] == ["平安开锁"]
    assert resident_client.get(f"{base(community)}/?q=暂停").json == []
    assert resident_client.get(f"{base(community)}/?lat=22.5").status_code == 422
    assert resident_client.get(f"{base(community)}/?category=spa").status_code == 422


def test_open_now_follows_the_hours(resident_client, community):
    create_provider(community, name="全天", hours=ALL_DAY)
    create_provider(community, name="从不", hours={"mon": [], "tue": []})
    got = {p["name"]: p["open_now"] for p in resident_client.get(f"{base(community)}/").json}
    assert got == {"全天": True, "从不": None}


def test_staff_list_all_or_by_status(staff_client, community):
    create_provider(community, name="甲", status="pending")
    create_provider(community, name="乙")
    assert {p["name"] for p in staff_client.get(f"{base(community)}/").json} == {"甲", "乙"}
    r = staff_client.get(f"{base(community)}/?status=pending")
    assert [p["name"] for p in r.json] == ["甲"] and r.json[0]["status"] == "pending"


def test_residents_cannot_choose_to_see_pending_ones(resident_client, community):
    create_provider(community, name="甲", status="pending")
    assert resident_client.get(f"{base(community)}/?status=pending").json == []


def test_categories_count_the_verified_providers(resident_client, community):
    create_provider(community, category="repair")
    create_provider(community, category="repair")
    create_provider(community, category="meals", status="pending")
    counts = {c["key"]: c["count"] for c in resident_client.get(f"{base(community)}/categories").json}
    assert counts["repair"] == 2 and counts["meals"] == 0 and len(counts) == 9


def test_suspending_hides_a_provider_from_residents(staff_client, resident_client, community):
    provider = create_provider(community)
    r = staff_client.post(f"{base(community)}/{provider.id}/suspend", json={"reason": "投诉较多"})
    assert r.status_code == 200 and r.json["status"] == "suspended" and r.json["status_reason"] == "投诉较多"
    assert resident_client.get(f"{base(community)}/{provider.id}").status_code == 404
    assert staff_client.post(f"{base(community)}/{provider.id}/suspend", json={}).status_code == 422


def test_staff_of_another_community_reach_nothing_of_this_one(make_client, community, other_community):
    provider = create_provider(community)
    outsider = factories.logged_in(make_client(), factories.create_user(other_community, role="staff"))
    other = base(other_community)
    assert outsider.get(f"{other}/{provider.id}").status_code == 404
    assert outsider.put(f"{other}/{provider.id}", json=provider_body()).status_code == 404
    assert outsider.post(f"{other}/{provider.id}/suspend", json={"reason": "x"}).status_code == 404
    assert outsider.get(f"{other}/").json == []
    rating = create_rating(provider, factories.create_resident(community), factories.create_dwelling(community))
    assert outsider.post(f"{other}/ratings/{rating.id}/hide", json={"reason": "x"}).status_code == 404


def test_the_list_costs_the_same_statements_at_any_length(staff_client, resident_client, community):
    def statements():
        with count_queries() as seen:
            for client in (staff_client, resident_client):
                assert client.get(f"{base(community)}/?lat=22.54&lng=113.94").status_code == 200
        return len(seen)

    staff = factories.create_user(community, role="staff")

    def add(n):
        for i in range(n):
            p = create_provider(community, name=f"店{i}", services=(("甲", "1", "2", "次"), ("乙", "1", "2", "次")),
                                latitude=22.54, longitude=113.94, verified_by_id=staff.id)
            create_resource(p.services[1])
            create_rating(p, staff, factories.create_dwelling(community))

    add(2)
    few = statements()
    add(8)
    assert statements() == few


# Ratings


def rate(client, community, provider, **body):
    return client.post(f"{base(community)}/{provider.id}/ratings", json={"stars": 4, "text": "很好", **body})


def test_a_household_rates_once_a_month_and_may_change_it(make_client, resident_client, resident, community):
    provider = create_provider(community)
    r = rate(resident_client, community, provider)
    assert r.status_code == 201 and r.json["mine"] is True and r.json["hidden"] is False
    home = db.session.scalar(select(ProviderRating.dwelling_id))
    partner = factories.logged_in(make_client(), factories.create_resident(
        community, dwelling=db.session.get(Dwelling, home)))
    r = rate(partner, community, provider, stars=1)
    assert r.status_code == 409 and r.json["code"] == "already_rated"
    r = partner.put(f"{base(community)}/{provider.id}/ratings/mine", json={"stars": 2, "text": "一般"})
    assert r.status_code == 200 and r.json["stars"] == 2
    db.session.expire_all()
    provider = db.session.get(Provider, provider.id)
    assert (provider.rating_sum, provider.rating_count) == (2, 1)
    shown = resident_client.get(f"{base(community)}/{provider.id}").json["rating"]
    assert shown == {"average": 2.0, "count": 1}


def test_editing_without_a_rating_this_month_is_404(resident_client, community):
    provider = create_provider(community)
    r = resident_client.put(f"{base(community)}/{provider.id}/ratings/mine", json={"stars": 2})
    assert r.status_code == 404 and r.json["code"] == "no_rating"


def test_next_month_the_household_may_rate_again(community, resident):
    provider = create_provider(community)
    ratings.rate(community.id, provider.id, resident, 5, now=datetime(2026, 11, 30, 15, 59, tzinfo=UTC))
    # 16:00 UTC is midnight in Shanghai: December there.
    ratings.rate(community.id, provider.id, resident, 3, now=datetime(2026, 11, 30, 16, 0, tzinfo=UTC))
    months = sorted(db.session.scalars(select(ProviderRating.month)))
    assert months == ["2026-11", "2026-12"]
    assert (provider.rating_sum, provider.rating_count) == (8, 2)


@pytest.mark.parametrize("body", [{"stars": 0}, {"stars": 6}, {"stars": "5"}, {"stars": 4, "text": "长" * 301}, {}])
def test_bad_ratings_are_refused(resident_client, community, body):
    provider = create_provider(community)
    r = resident_client.post(f"{base(community)}/{provider.id}/ratings", json=body)
    assert r.status_code == 422
    assert db.session.scalar(select(ProviderRating.id)) is None


def test_only_verified_residents_rate_verified_providers(make_client, staff_client, community):
    provider, pending = create_provider(community), create_provider(community, status="pending")
    unverified = factories.logged_in(make_client(), factories.create_resident(community, status="pending"))
    r = rate(unverified, community, provider)
    assert r.status_code == 403 and r.json["code"] == "not_verified"
    assert rate(staff_client, community, provider).status_code == 403
    verified = factories.logged_in(make_client(), factories.create_resident(community))
    assert rate(verified, community, pending).status_code == 404


def test_a_resident_with_two_homes_says_which_rates(make_client, community):
    user = factories.create_resident(community)
    second = factories.create_dwelling(community)
    db.session.add(Residency(
        user=user, community_id=community.id, dwelling=second, relation="tenant", status="verified"))
    client = factories.logged_in(make_client(), user)
    provider = create_provider(community)
    r = rate(client, community, provider)
    assert r.status_code == 422 and "dwelling_id" in r.json["errors"]
    other = factories.create_dwelling(community)
    assert rate(client, community, provider, dwelling_id=other.id).status_code == 422
    assert rate(client, community, provider, dwelling_id=second.id).status_code == 201


def test_staff_hide_a_rating_its_author_still_sees(make_client, staff_client, resident_client, resident, community):
    provider = create_provider(community)
    rating_id = rate(resident_client, community, provider, stars=1, text="骂人的话").json["id"]
    other = factories.logged_in(make_client(), factories.create_resident(community))
    rate(other, community, provider, stars=5)
    r = staff_client.post(f"{base(community)}/ratings/{rating_id}/hide", json={"reason": "辱骂"})
    assert r.status_code == 200 and r.json["hidden"] and r.json["hidden_reason"] == "辱骂"
    assert staff_client.post(f"{base(community)}/ratings/{rating_id}/hide", json={"reason": "再次"}).status_code == 200
    db.session.expire_all()
    assert (db.session.get(Provider, provider.id).rating_sum, db.session.get(Provider, provider.id).rating_count) \
        == (5, 1)

    mine = resident_client.get(f"{base(community)}/{provider.id}/ratings").json
    assert [(i["id"], i["hidden"], i["hidden_reason"]) for i in mine["items"] if i["mine"]] == \
        [(rating_id, True, "再次")]
    theirs = other.get(f"{base(community)}/{provider.id}/ratings").json
    assert theirs["total"] == 1 and theirs["items"][0]["stars"] == 5 and theirs["items"][0]["dwelling"] is None
    staffs = staff_client.get(f"{base(community)}/{provider.id}/ratings").json
    assert staffs["total"] == 2 and all(i["dwelling"]["label"] for i in staffs["items"])

    assert staff_client.post(f"{base(community)}/ratings/{rating_id}/unhide").json["hidden"] is False
    db.session.expire_all()
    assert db.session.get(Provider, provider.id).rating_count == 2
    assert db.session.get(Provider, provider.id).rating_sum == 6


def test_residents_see_other_names_masked(make_client, resident_client, community):
    provider = create_provider(community)
    author = factories.create_resident(community, name="张小明")
    rate(factories.logged_in(make_client(), author), community, provider)
    item = resident_client.get(f"{base(community)}/{provider.id}/ratings").json["items"][0]
    assert item["user"]["name"] == "张*明" and item["mine"] is False and item["hidden_reason"] == ""


def test_editing_a_hidden_rating_keeps_the_counts_of_visible_ones(staff_client, resident_client, community):
    provider = create_provider(community)
    rating_id = rate(resident_client, community, provider, stars=1).json["id"]
    staff_client.post(f"{base(community)}/ratings/{rating_id}/hide", json={"reason": "辱骂"})
    r = resident_client.put(f"{base(community)}/{provider.id}/ratings/mine", json={"stars": 5})
    assert r.status_code == 200 and r.json["hidden"] is True
    db.session.expire_all()
    assert (db.session.get(Provider, provider.id).rating_sum, db.session.get(Provider, provider.id).rating_count) \
        == (0, 0)
    staff_client.post(f"{base(community)}/ratings/{rating_id}/unhide")
    db.session.expire_all()
    assert db.session.get(Provider, provider.id).rating_sum == 5


def test_ratings_of_a_pending_provider_are_not_listed_for_residents(resident_client, community):
    provider = create_provider(community, status="pending")
    assert resident_client.get(f"{base(community)}/{provider.id}/ratings").status_code == 404


def test_demo_providers_are_seeded_once(community, staff):
    homes = [factories.create_dwelling(community) for _ in range(5)]
    for home in homes:
        factories.create_resident(community, dwelling=home)
    assert seed_providers(community, staff) is True
    assert db.session.scalar(select(func.count()).select_from(Provider).filter_by(status="verified")) == 6
    assert db.session.scalar(select(func.count()).select_from(ProviderRating)) == 5
    assert db.session.scalar(select(func.sum(Provider.rating_count))) == 5
    assert seed_providers(community, staff) is False
    assert db.session.scalar(select(func.count()).select_from(Provider)) == 6
