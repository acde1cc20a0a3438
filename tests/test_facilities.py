"""Facilities: types, saving, finding by text and type, open now, near me."""
from datetime import UTC, datetime

import pytest

from backend.facilities.models import Facility, FacilityType
from tests import factories
from tests import guide_factories as gf

HERE = (22.5400, 113.9400)
FACILITY = {
    "name": "幸福里社康中心", "address": "科苑路 21 号", "latitude": 22.5412, "longitude": 113.9398,
    "phone": "0755-2666 5678", "description": "全科门诊、预防接种", "accessibility": ["wheelchair"],
    "photos": ["https://example.org/a.jpg"],
    "hours": {"mon": [["08:00", "12:00"], ["14:00", "21:00"]], "sat": [["22:00", "02:00"]]},
    "exceptions": [{"start": "2026-10-01", "end": "2026-10-03", "kind": "closed", "note": "国庆"}],
}


def url(community, path="facilities"):
    return f"/api/v1/communities/{community.id}/{path}"


@pytest.fixture
def other_staff_client(make_client, other_community):
    return factories.logged_in(make_client(), factories.create_user(other_community, "staff"))


@pytest.fixture
def clients(client, resident_client, other_staff_client):
    return {"anonymous": client, "resident": resident_client, "other_staff": other_staff_client}


DENIED = [("anonymous", 401), ("resident", 403), ("other_staff", 403)]


# Types

def test_anyone_lists_types_in_order(client, community):
    second, first = gf.create_type(community, "图书馆", 2), gf.create_type(community, "社康中心", 1)
    assert [t["id"] for t in client.get(url(community, "facility-types")).json] == [first.id, second.id]


def test_staff_add_rename_and_remove_a_type(staff_client, community):
    created = staff_client.post(url(community, "facility-types"), json={"name": "AED", "icon": "like-o"})
    assert created.status_code == 201
    path = url(community, f"facility-types/{created.json['id']}")
    assert staff_client.put(path, json={"name": "AED 急救设备"}).json["name"] == "AED 急救设备"
    assert staff_client.delete(path).status_code == 204
    assert gf.count(FacilityType) == 0


def test_renaming_a_type_updates_search(staff_client, client, community):
    ftype = gf.create_type(community, "急救")
    gf.create_facility(community, "西门岗亭", ftype)
    staff_client.put(url(community, f"facility-types/{ftype.id}"), json={"name": "除颤仪"})
    assert [f["name"] for f in client.get(url(community), query_string={"q": "除颤仪"}).json] == ["西门岗亭"]


@pytest.mark.parametrize("body", [{}, {"name": ""}, {"name": "长" * 51}, {"name": "x", "icon": "Bad Icon"},
                                  {"name": "x", "position": -1}])
def test_bad_type_is_invalid_and_saves_nothing(staff_client, community, body):
    assert staff_client.post(url(community, "facility-types"), json=body).status_code == 422
    assert gf.count(FacilityType) == 0


def test_a_type_in_use_cannot_be_removed(staff_client, community):
    facility = gf.create_facility(community)
    response = staff_client.delete(url(community, f"facility-types/{facility.type_id}"))
    assert response.status_code == 409 and response.json["code"] == "type_in_use"


@pytest.mark.parametrize("who, status", DENIED)
def test_only_the_communitys_staff_change_types(clients, community, who, status):
    ftype = gf.create_type(community, "原名")
    c = clients[who]
    assert c.post(url(community, "facility-types"), json={"name": "新"}).status_code == status
    assert c.put(url(community, f"facility-types/{ftype.id}"), json={"name": "改"}).status_code == status
    assert c.delete(url(community, f"facility-types/{ftype.id}")).status_code == status
    assert [t.name for t in gf.rows(FacilityType)] == ["原名"]


def test_another_communitys_type_is_404(staff_client, community, other_community):
    ftype = gf.create_type(other_community)
    assert staff_client.put(url(community, f"facility-types/{ftype.id}"), json={"name": "x"}).status_code == 404
    assert staff_client.delete(url(community, f"facility-types/{ftype.id}")).status_code == 404


# Facilities: writing

def test_staff_add_a_facility(staff_client, community, staff):
    ftype = gf.create_type(community)
    response = staff_client.post(url(community), json={**FACILITY, "type_id": ftype.id, "staff_user_id": staff.id})
    assert response.status_code == 201
    body = response.json
    assert body["hours"]["mon"] == FACILITY["hours"]["mon"] and body["hours"]["sun"] == []
    assert body["exceptions"] == [{"start": "2026-10-01", "end": "2026-10-03", "kind": "closed", "ranges": [],
                                   "note": "国庆"}]
    assert body["staff"] == {"id": staff.id, "name": staff.name} and body["state"]["status"] in ("open", "closed")


@pytest.mark.parametrize("change", [
    {"name": ""}, {"latitude": 91}, {"longitude": "east"}, {"latitude": None}, {"phone": "call 110"},
    {"accessibility": ["teleport"]}, {"photos": ["javascript:alert(1)"]}, {"hours": {"mon": [["9:00", "12:00"]]}},
    {"hours": {"mon": [["24:00", "02:00"]]}}, {"hours": {"mon": [["08:00", "08:00"]]}},
    {"hours": {"mon": [["08:00"]]}}, {"hours": {"funday": []}}, {"hours": "always"},
    {"exceptions": [{"start": "2026-10-07", "end": "2026-10-01", "kind": "closed"}]},
    {"exceptions": [{"start": "2026-10-01", "kind": "hours"}]},
    {"exceptions": [{"start": "tomorrow", "kind": "closed"}]},
    {"exceptions": [{"start": "2026-10-01", "kind": "party"}]}, {"type_id": 99999}, {"staff_user_id": 99999},
    {"description": "长" * 2001}, {"name": "😀" * 101},
])
def test_bad_facility_is_invalid_and_saves_nothing(staff_client, community, change):
    ftype = gf.create_type(community)
    response = staff_client.post(url(community), json={**FACILITY, "type_id": ftype.id, **change})
    assert response.status_code == 422, response.json
    assert response.json["errors"]
    assert gf.count(Facility) == 0


def test_a_day_can_be_open_round_the_clock(staff_client, community):
    ftype = gf.create_type(community)
    hours = {"mon": [["00:00", "24:00"]], "tue": [["22:00", "24:00"]]}
    response = staff_client.post(url(community), json={**FACILITY, "type_id": ftype.id, "hours": hours})
    assert response.status_code == 201, response.json
    assert response.json["hours"]["mon"] == [["00:00", "24:00"]]


def test_the_linked_staff_must_be_this_communitys(staff_client, community, resident):
    ftype = gf.create_type(community)
    response = staff_client.post(url(community), json={**FACILITY, "type_id": ftype.id, "staff_user_id": resident.id})
    assert response.status_code == 422 and "staff_user_id" in response.json["errors"]


def test_a_facility_cannot_use_another_communitys_type(staff_client, community, other_community):
    theirs = gf.create_type(other_community)
    assert staff_client.post(url(community), json={**FACILITY, "type_id": theirs.id}).status_code == 422


def test_staff_change_and_remove_a_facility(staff_client, community):
    facility = gf.create_facility(community, "旧名")
    path = url(community, f"facilities/{facility.id}")
    response = staff_client.put(path, json={**FACILITY, "type_id": facility.type_id})
    assert response.status_code == 200 and response.json["name"] == FACILITY["name"]
    assert staff_client.delete(path).status_code == 204
    assert gf.count(Facility) == 0


@pytest.mark.parametrize("who, status", DENIED)
def test_only_the_communitys_staff_change_facilities(clients, community, who, status):
    facility = gf.create_facility(community, "原名")
    c, body = clients[who], {**FACILITY, "type_id": facility.type_id}
    assert c.post(url(community), json=body).status_code == status
    assert c.put(url(community, f"facilities/{facility.id}"), json=body).status_code == status
    assert c.delete(url(community, f"facilities/{facility.id}")).status_code == status
    assert [f.name for f in gf.rows(Facility)] == ["原名"]


def test_another_communitys_facility_is_404(client, staff_client, community, other_community):
    facility = gf.create_facility(other_community)
    path = url(community, f"facilities/{facility.id}")
    assert client.get(path).status_code == 404
    assert staff_client.put(path, json={**FACILITY, "type_id": facility.type_id}).status_code == 404
    assert staff_client.delete(path).status_code == 404


# Facilities: finding

def test_anyone_reads_a_facility_with_its_state(client, community):
    facility = gf.create_facility(community, "书屋", hours={"mon": [["09:00", "21:00"]]})
    body = client.get(url(community, f"facilities/{facility.id}")).json
    assert body["name"] == "书屋" and set(body["state"]) >= {"open_now", "next_open_at", "today_hours"}


def test_list_is_by_type_then_name(client, community):
    later, first = gf.create_type(community, "乙", 2), gf.create_type(community, "甲", 1)
    b, a = gf.create_facility(community, "B", later), gf.create_facility(community, "A", first)
    assert [f["id"] for f in client.get(url(community)).json] == [a.id, b.id]


def test_filter_by_type(client, community):
    wanted = gf.create_type(community)
    kept = gf.create_facility(community, ftype=wanted)
    gf.create_facility(community)
    assert [f["id"] for f in client.get(url(community), query_string={"type_id": wanted.id}).json] == [kept.id]


def test_search_by_text_in_pinyin(client, community):
    gf.create_facility(community, "幸福里社区书屋")
    gf.create_facility(community, "灯光篮球场")
    assert [f["name"] for f in client.get(url(community), query_string={"q": "shuwu"}).json] == ["幸福里社区书屋"]


def test_near_me_is_nearest_first_with_distances(client, community):
    far = gf.create_facility(community, "远", lat=22.5500, lng=113.9400)    # ~1.1 km north
    near = gf.create_facility(community, "近", lat=22.5403, lng=113.9400)   # ~33 m north
    mid = gf.create_facility(community, "中", lat=22.5400, lng=113.9450)    # ~510 m east
    gf.create_facility(community, "太远", lat=22.6400, lng=113.9400)        # ~11 km
    body = client.get(url(community), query_string={"lat": HERE[0], "lng": HERE[1], "radius": 3000}).json
    assert [f["id"] for f in body] == [near.id, mid.id, far.id]
    assert [f["distance_m"] for f in body] == [33, 514, 1112]


def test_near_me_leaves_out_the_corners_of_the_box(client, community):
    gf.create_facility(community, "角落", lat=22.5400 + 0.0085, lng=113.9400 + 0.0092)  # inside the box, ~1.3 km
    assert client.get(url(community), query_string={"lat": HERE[0], "lng": HERE[1], "radius": 1000}).json == []


def test_open_now_filter(client, community, monkeypatch):
    from backend.facilities import services
    monkeypatch.setattr(services, "utcnow", lambda: datetime(2026, 11, 23, 2, 0, tzinfo=UTC))  # Mon 10:00 Shanghai
    gf.create_facility(community, "开着", hours={"mon": [["09:00", "12:00"]]})
    gf.create_facility(community, "关着", hours={"mon": [["14:00", "18:00"]]})
    opened = client.get(url(community), query_string={"open_now": "true"}).json
    assert [(f["name"], f["state"]["open_now"]) for f in opened] == [("开着", True)]
    closed = client.get(url(community), query_string={"open_now": "false"}).json
    assert [(f["name"], f["state"]["next_open_at"]) for f in closed] == [("关着", "2026-11-23T14:00:00+08:00")]


def test_open_now_uses_the_communitys_time_zone(client, monkeypatch):
    from backend.facilities import services
    london = factories.create_community("伦敦华人社区", timezone="Europe/London")
    monkeypatch.setattr(services, "utcnow", lambda: datetime(2026, 11, 23, 2, 0, tzinfo=UTC))  # 02:00 in London
    gf.create_facility(london, "图书馆", hours={"mon": [["09:00", "12:00"]]})
    assert client.get(url(london), query_string={"open_now": "true"}).json == []


@pytest.mark.parametrize("params", [
    {"lat": 22.54}, {"lng": 113.94}, {"lat": 95, "lng": 113.94}, {"lat": "north", "lng": 1},
    {"lat": "nan", "lng": 1}, {"lat": 22.54, "lng": 113.94, "radius": 10}, {"radius": 10 ** 9},
    {"open_now": "perhaps"}, {"type_id": "clinic"}, {"q": "x" * 1000}, {"limit": 0},
])
def test_bad_find_parameters_are_invalid(client, community, params):
    response = client.get(url(community), query_string=params)
    assert response.status_code == 422 and response.json["errors"]


@pytest.mark.parametrize("q", ["😀", "'; DROP TABLE facility; --", "%_%"])
def test_odd_text_finds_nothing(client, community, q):
    gf.create_facility(community, "书屋")
    assert client.get(url(community), query_string={"q": q}).json == []


def test_unknown_community_is_404(client):
    assert client.get("/api/v1/communities/999/facilities").status_code == 404
    assert client.get("/api/v1/communities/999/facility-types").status_code == 404
