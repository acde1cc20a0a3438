"""Communities, grids, buildings, dwellings and the CSV import."""
import io
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from backend.extensions import db
from backend.places.models import Building, Dwelling, Grid
from tests import factories


def base(community) -> str:
    return f"/api/v1/communities/{community.id}"


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def upload(client, community, text: str, encoding: str = "utf-8"):
    data = {"file": (io.BytesIO(text.encode(encoding)), "dwellings.csv")}
    return client.post(f"{base(community)}/dwellings/import", data=data, content_type="multipart/form-data")


def test_anyone_lists_communities_buildings_and_dwellings_for_registering(client, community):
    dwelling = factories.create_dwelling(community)
    assert [c["name"] for c in client.get("/api/v1/communities").json] == [community.name]
    buildings = client.get(f"{base(community)}/buildings").json
    assert [b["id"] for b in buildings] == [dwelling.building_id]
    dwellings = client.get(f"{base(community)}/buildings/{dwelling.building_id}/dwellings").json
    assert dwellings == [{"id": dwelling.id, "label": dwelling.label, "unit": "1", "room": dwelling.room}]


def test_public_dwelling_list_checks_the_building_belongs(client, community, other_community):
    building = factories.create_building(other_community)
    assert client.get(f"{base(community)}/buildings/{building.id}/dwellings").status_code == 404


def test_staff_manage_grids_and_workers(staff_client, staff, community):
    r = staff_client.post(f"{base(community)}/grids", json={"name": "第一网格"})
    assert r.status_code == 201
    grid_id = r.json["id"]
    assert staff_client.put(f"{base(community)}/grids/{grid_id}", json={"name": "一网格"}).json["name"] == "一网格"
    r = staff_client.put(f"{base(community)}/grids/{grid_id}/workers", json={"user_ids": [staff.id]})
    assert r.status_code == 200 and r.json["workers"][0]["user"]["id"] == staff.id
    assert staff_client.get(f"{base(community)}/grids").json[0]["workers"][0]["user"]["name"] == staff.name


def test_staff_list(staff_client, staff, community, other_community):
    factories.create_user(other_community, role="staff")
    r = staff_client.get(f"{base(community)}/staff")
    assert r.json == [{"user": {"id": staff.id, "name": staff.name, "phone": staff.phone}, "title": "居委会主任"}]


def test_grid_workers_must_be_staff_of_the_community(staff_client, community, resident):
    grid = factories.create_grid(community)
    r = staff_client.put(f"{base(community)}/grids/{grid.id}/workers", json={"user_ids": [resident.id]})
    assert r.status_code == 422 and "user_ids" in r.json["errors"]
    db.session.refresh(grid)
    assert grid.workers == []


def test_duplicate_grid_name_is_409(staff_client, community):
    factories.create_grid(community, "第一网格")
    r = staff_client.post(f"{base(community)}/grids", json={"name": "第一网格"})
    assert r.status_code == 409 and r.json["code"] == "conflict"


def test_staff_manage_buildings_and_dwellings(staff_client, community):
    grid = factories.create_grid(community)
    building = staff_client.post(f"{base(community)}/buildings", json={"name": "9栋", "grid_id": grid.id}).json
    r = staff_client.post(f"{base(community)}/dwellings", json={"building_id": building["id"], "unit": "2",
                                                                "room": "301", "floor_area": "89.5"})
    assert r.status_code == 201 and r.json["label"] == "9栋2单元301" and r.json["floor_area"] == "89.50"
    r = staff_client.put(f"{base(community)}/dwellings/{r.json['id']}",
                         json={"building_id": building["id"], "unit": "2", "room": "302", "floor_area": 90})
    assert r.json["label"] == "9栋2单元302"
    assert len(staff_client.get(f"{base(community)}/dwellings?building_id={building['id']}").json["items"]) == 1


def test_building_with_dwellings_cannot_be_deleted(staff_client, community):
    dwelling = factories.create_dwelling(community)
    r = staff_client.delete(f"{base(community)}/buildings/{dwelling.building_id}")
    assert r.status_code == 409
    assert count(Building) == 1


@pytest.mark.parametrize("body, field", [
    ({"floor_area": 0}, "floor_area"), ({"floor_area": "many"}, "floor_area"), ({"room": ""}, "room"),
    ({"building_id": 99999}, "building_id"), ({"unit": "x" * 21}, "unit"),
])
def test_dwelling_bad_input(staff_client, community, body, field):
    building = factories.create_building(community)
    r = staff_client.post(f"{base(community)}/dwellings", json={"building_id": building.id, "room": "101",
                                                                "floor_area": "80", **body})
    assert r.status_code == 422 and field in r.json["errors"]
    assert count(Dwelling) == 0


def test_csv_import_creates_grids_buildings_dwellings_and_links_owners(staff_client, community):
    owner = factories.create_user(phone="13812345678")
    csv_text = ("grid,building,unit,room,floor_area,owner_phone\n"
                "第一网格,1栋,1,101,88.5,13812345678\n"
                "第一网格,1栋,1,102,120,13812340000/13812340001\n"
                "第二网格,2栋,,201,60.25,\n")
    r = upload(staff_client, community, csv_text)
    assert r.status_code == 200, r.json
    assert r.json == {"created": 3, "updated": 0, "buildings_created": 2, "grids_created": 2, "owners_linked": 3,
                      "claims_confirmed": 0}
    labels = {d.label: d.floor_area for d in db.session.scalars(select(Dwelling))}
    assert labels == {"1栋1单元101": Decimal("88.50"), "1栋1单元102": Decimal("120.00"), "2栋201": Decimal("60.25")}
    db.session.refresh(owner)
    assert owner.residencies == []  # the register records the phone; the owner joins by claiming the home


def test_csv_import_again_updates(staff_client, community):
    upload(staff_client, community, "building,room,floor_area\n1栋,101,80\n")
    r = upload(staff_client, community, "楼栋,房号,面积\n1栋,101,81\n1栋,102,70\n")
    assert (r.json["created"], r.json["updated"]) == (1, 1)
    assert count(Dwelling) == 2


def test_csv_import_reads_gb18030_from_excel(staff_client, community):
    r = upload(staff_client, community, "网格,楼栋,单元,房号,面积\n一网格,3栋,1,101,75\n", "gb18030")
    assert r.status_code == 200 and count(Grid) == 1


def test_csv_import_reports_every_bad_row_and_imports_nothing(staff_client, community):
    csv_text = ("grid,building,unit,room,floor_area,owner_phone\n"
                "一,1栋,1,101,88.5,\n"
                "一,,1,102,abc,12345\n"
                "一,1栋,1,101,70,\n"
                "一,1栋,1,103,-5,\n")
    r = upload(staff_client, community, csv_text)
    assert r.status_code == 422 and r.json["code"] == "csv_invalid"
    assert set(r.json["errors"]) == {"3", "4", "5"}
    assert any("building" in e for e in r.json["errors"]["3"])
    assert any("owner_phone" in e for e in r.json["errors"]["3"])
    assert r.json["errors"]["4"] == ["duplicate of line 2"]
    assert count(Dwelling) == 0 and count(Grid) == 0 and count(Building) == 0


@pytest.mark.parametrize("text", ["", "name,age\nx,1\n", "building,room,floor_area\n"])
def test_csv_import_with_wrong_header_or_no_rows(staff_client, community, text):
    r = upload(staff_client, community, text)
    assert r.status_code == 422 and r.json["code"] == "csv_invalid"


def test_csv_import_needs_a_file(staff_client, community):
    r = staff_client.post(f"{base(community)}/dwellings/import", data={}, content_type="multipart/form-data")
    assert r.status_code == 422 and "file" in r.json["errors"]


def test_csv_import_refuses_binary(staff_client, community):
    data = {"file": (io.BytesIO(b"\xff\xfe\x00\x81" * 100), "x.csv")}
    r = staff_client.post(f"{base(community)}/dwellings/import", data=data, content_type="multipart/form-data")
    assert r.status_code == 422


def test_staff_rename_and_delete_buildings_and_grids(staff_client, community):
    grid = factories.create_grid(community)
    building = factories.create_building(community)
    r = staff_client.put(f"{base(community)}/buildings/{building.id}", json={"name": "十栋", "grid_id": grid.id})
    assert r.status_code == 200 and (r.json["name"], r.json["grid"]["id"]) == ("十栋", grid.id)
    assert staff_client.delete(f"{base(community)}/grids/{grid.id}").status_code == 204
    db.session.refresh(building)
    assert building.grid_id is None  # the building stands, without a grid
    assert staff_client.delete(f"{base(community)}/buildings/{building.id}").status_code == 204
    assert count(Building) == 0 and count(Grid) == 0


def test_building_cannot_join_a_grid_of_another_community(staff_client, community, other_community):
    building = factories.create_building(community)
    foreign = factories.create_grid(other_community)
    r = staff_client.put(f"{base(community)}/buildings/{building.id}", json={"name": "x", "grid_id": foreign.id})
    assert r.status_code == 422 and "grid_id" in r.json["errors"]
    db.session.refresh(building)
    assert building.grid_id is None and building.name != "x"


@pytest.mark.parametrize("method, path", [
    ("put", "grids/{other}"), ("delete", "grids/{other}"), ("put", "grids/{other}/workers"),
    ("put", "buildings/{building}"), ("delete", "buildings/{building}"), ("put", "dwellings/{dwelling}"),
])
def test_rows_of_another_community_are_404(staff_client, community, other_community, method, path):
    grid = factories.create_grid(other_community)
    dwelling = factories.create_dwelling(other_community)
    url = path.format(other=grid.id, building=dwelling.building_id, dwelling=dwelling.id)
    body = {"name": "改名", "user_ids": [], "building_id": dwelling.building_id, "room": "1", "floor_area": 50}
    r = getattr(staff_client, method)(f"{base(community)}/{url}", json=body)
    assert r.status_code in (404, 422)
    db.session.refresh(grid)
    db.session.refresh(dwelling)
    assert grid.name != "改名" and dwelling.room != "1"
    assert count(Grid) == 1 and count(Dwelling) == 1


def test_buildings_are_listed_as_people_number_them(client, community):
    for name in ("10栋", "2栋", "1栋", "A座", "1栋附楼"):
        factories.create_building(community, name)
    names = [b["name"] for b in client.get(f"{base(community)}/buildings").json]
    assert names == ["1栋", "1栋附楼", "2栋", "10栋", "A座"]
