"""Input hygiene: look-alike digits, invisible and broken characters, hostile JSON and oversized bodies."""
import csv
import io

import pytest
from sqlalchemy import func, select

from backend.accounts.models import User
from backend.common.csv import safe_cell, safe_row
from backend.extensions import db
from backend.guide.models import GuideCategory
from backend.notices.models import Notice
from backend.places.models import Dwelling, DwellingOwner
from tests import factories
from tests.notice_factories import create_notice, notice_body
from tests.test_auth import create_invite, register_body

REAL_PHONE = "13800138000"
FULL_WIDTH = "１３８００１３８０００"


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def base(community) -> str:
    return f"/api/v1/communities/{community.id}"


def post_raw(client, url: str, raw: str, method: str = "POST"):
    """A body as written, so JSON escapes such as \\ud800 reach the server's parser untouched."""
    return client.open(url, method=method, data=raw, content_type="application/json")


def upload(client, community, text: str):
    data = {"file": (io.BytesIO(text.encode()), "dwellings.csv")}
    return client.post(f"{base(community)}/dwellings/import", data=data, content_type="multipart/form-data")


def tenant_body(community, **extra) -> dict:
    return register_body(community, dwelling_id=factories.create_dwelling(community).id, relation="tenant", **extra)


# 4. Phone numbers and codes: compatibility forms become ASCII, other digits are refused.

def test_register_with_full_width_digits_stores_the_ascii_number(client, community):
    r = client.post("/api/v1/auth/register", json=tenant_body(community, phone=FULL_WIDTH))
    assert r.status_code == 201, r.json
    assert r.json["phone"] == REAL_PHONE


def test_register_with_partly_full_width_digits_is_the_taken_phone(client, community):
    factories.create_user(phone=REAL_PHONE)
    r = client.post("/api/v1/auth/register", json=tenant_body(community, phone="138００１３８０００"))
    assert r.status_code == 409, r.json
    assert count(User) == 1


@pytest.mark.parametrize("phone", ["138٠٠١٣٨٠٠٠", "138۰۰۱۳۸۰۰۰", "138००१३८०००", "1380013800٩"])
def test_register_refuses_digits_of_other_scripts(client, community, phone):
    r = client.post("/api/v1/auth/register", json=tenant_body(community, phone=phone))
    assert r.status_code == 422 and "phone" in r.json["errors"], r.json
    assert count(User) == 0


def test_login_with_full_width_digits_logs_into_the_real_account(client):
    user = factories.create_user(phone=REAL_PHONE)
    r = client.post("/api/v1/auth/login", json={"phone": FULL_WIDTH, "password": factories.PASSWORD})
    assert r.status_code == 200, r.json
    assert r.json["id"] == user.id


def test_login_with_other_digits_never_matches_a_look_alike_account(client):
    factories.create_user(phone=REAL_PHONE)
    factories.create_user(phone="138٠٠١٣٨٠٠٠")  # stored before the rule existed
    r = client.post("/api/v1/auth/login", json={"phone": "138٠٠١٣٨٠٠٠", "password": factories.PASSWORD})
    assert r.status_code == 401


def test_register_with_full_width_invite_code_joins(client, community):
    create_invite(community, code="ABCD2345")
    r = client.post("/api/v1/auth/register", json=register_body(community, invite_code="ＡＢＣＤ２３４５"))
    assert r.status_code == 201, r.json
    assert r.json["residencies"][0]["status"] == "verified"


@pytest.mark.parametrize("code", ["АВСD2345", "ABCD234٩"])  # Cyrillic А В С; an Arabic-Indic 9
def test_register_refuses_invite_codes_beyond_ascii_letters_and_digits(client, community, code):
    create_invite(community, code="ABCD2345")
    r = client.post("/api/v1/auth/register", json=register_body(community, invite_code=code))
    assert r.status_code == 422 and r.json["code"] == "validation_failed", r.json
    assert r.json["errors"] == {"invite_code": ["Letters and digits only."]}


@pytest.mark.parametrize("value, status", [("１", 200), ("١", 422), ("1\n", 422)])
def test_query_ids_read_ascii_digits_only(staff_client, community, value, status):
    r = staff_client.get(f"{base(community)}/dwellings", query_string={"building_id": value})
    assert r.status_code == status, r.json


def test_csv_import_reads_full_width_owner_phones_as_ascii(staff_client, community):
    r = upload(staff_client, community, f"building,room,floor_area,owner_phone\n1栋,101,80,{FULL_WIDTH}\n")
    assert r.status_code == 200, r.json
    assert [o.phone for o in db.session.scalars(select(DwellingOwner))] == [REAL_PHONE]


def test_csv_import_refuses_owner_phones_in_other_digits(staff_client, community):
    r = upload(staff_client, community, "building,room,floor_area,owner_phone\n1栋,101,80,138٠٠١٣٨٠٠٠\n")
    assert r.status_code == 422 and r.json["code"] == "csv_invalid"
    assert r.json["errors"] == {"2": ["owner_phone: 138٠٠١٣٨٠٠٠ is not a mobile number"]}
    assert count(Dwelling) == 0


# 6 and 16c. Lone surrogates and NUL: one rule for every string, the field named.
# The test client writes JSON with escapes, so "\ud800" arrives as the six characters \ud800.

BROKEN = ["\ud800", "a\udfffb", "\udbff\u0041", "\x00", "x\x00y"]


@pytest.mark.parametrize("field", ["name", "password"])
@pytest.mark.parametrize("bad", BROKEN)
def test_register_refuses_broken_characters_naming_the_field(client, community, field, bad):
    r = client.post("/api/v1/auth/register", json=tenant_body(community, **{field: f"周阿姨-long-{bad}"}))
    assert r.status_code == 422, r.get_data(as_text=True)
    assert field in r.json["errors"]
    assert count(User) == 0


def test_a_surrogate_reaches_the_server_as_an_escape(client, community):
    r = post_raw(client, "/api/v1/auth/register", '{"name": "\\ud800"}')
    assert r.status_code == 422 and "name" in r.json["errors"], r.get_data(as_text=True)


@pytest.mark.parametrize("bad", BROKEN)
def test_profile_name_refuses_broken_characters(resident_client, resident, bad):
    r = resident_client.patch("/api/v1/auth/me", json={"name": f"阿{bad}姨"})
    assert r.status_code == 422 and "name" in r.json["errors"], r.get_data(as_text=True)
    db.session.refresh(resident)
    assert resident.name == "测试用户"


@pytest.mark.parametrize("field", ["title", "body"])
@pytest.mark.parametrize("bad", BROKEN)
def test_notice_refuses_broken_characters(staff_client, community, field, bad):
    r = staff_client.post(f"{base(community)}/notices/manage", json=notice_body(**{field: f"前{bad}后"}))
    assert r.status_code == 422 and field in r.json["errors"], r.get_data(as_text=True)
    assert count(Notice) == 0


@pytest.mark.parametrize("bad", BROKEN)
def test_guide_category_name_refuses_broken_characters(staff_client, community, bad):
    r = staff_client.post(f"{base(community)}/guide/categories", json={"name": f"户{bad}籍"})
    assert r.status_code == 422 and "name" in r.json["errors"], r.get_data(as_text=True)
    assert count(GuideCategory) == 0


@pytest.mark.parametrize("field", ["phone", "password"])
@pytest.mark.parametrize("bad", BROKEN)
def test_login_refuses_broken_characters_naming_the_field(client, field, bad):
    r = client.post("/api/v1/auth/login", json={"phone": REAL_PHONE, "password": "pw", field: f"1{bad}"})
    assert r.status_code == 422 and field in r.json["errors"], r.get_data(as_text=True)


def test_search_query_with_a_nul_names_the_field(client, community):
    r = client.get(f"{base(community)}/search", query_string={"q": "社\x00区"})
    assert r.status_code == 422 and "q" in r.json["errors"], r.get_data(as_text=True)


@pytest.mark.parametrize("cell", ["1\x0002", "1\u202e02", "\x07102"])
def test_csv_import_names_the_line_with_a_control_character(staff_client, community, cell):
    r = upload(staff_client, community, f"building,room,floor_area\n1栋,101,80\n1栋,{cell},80\n")
    assert r.status_code == 422 and r.json["code"] == "csv_invalid", r.get_data(as_text=True)
    assert r.json["errors"] == {"3": ["room: characters not allowed"]}
    assert count(Dwelling) == 0


def test_csv_import_names_the_line_with_a_cell_too_long_to_read(staff_client, community):
    text = "building,room,floor_area,note\n1栋,101,80,\n1栋,102,80," + "x" * 200_000 + "\n"
    r = upload(staff_client, community, text)
    assert r.status_code == 422 and r.json["code"] == "csv_invalid", r.get_data(as_text=True)[:300]
    assert r.json["errors"] == {"3": ["Not readable as CSV."]}
    assert count(Dwelling) == 0


# 16d. Invisible controls: none in names; in free text no direction overrides or C0 controls.

INVISIBLE = ["\u202e", "\u202a", "\u2066", "\u2069", "\u200b", "\u200d", "\u200e", "\u200f", "\ufeff", "\u00ad",
             "\x07", "\n", "\x7f", "\x85"]


@pytest.mark.parametrize("char", INVISIBLE)
def test_register_refuses_invisible_characters_in_names(client, community, char):
    r = client.post("/api/v1/auth/register", json=tenant_body(community, name=f"周{char}阿姨"))
    assert r.status_code == 422 and "name" in r.json["errors"], r.json
    assert count(User) == 0


@pytest.mark.parametrize("char", ["\u202e", "\u200b", "\u200d"])
def test_profile_name_refuses_invisible_characters(resident_client, char):
    r = resident_client.patch("/api/v1/auth/me", json={"name": f"阿{char}姨"})
    assert r.status_code == 422 and "name" in r.json["errors"], r.json


@pytest.mark.parametrize("char", ["\u202e", "\u2067", "\ufeff"])
def test_appointed_staff_name_refuses_invisible_characters(make_client, community, char):
    admin = factories.logged_in(make_client(), factories.create_user(is_admin=True))
    r = admin.post(f"/api/v1/admin/communities/{community.id}/staff",
                   json={"phone": "13900001111", "name": f"李{char}主任", "password": "long-enough-1"})
    assert r.status_code == 422 and "name" in r.json["errors"], r.json


@pytest.mark.parametrize("char", ["\u202e", "\u202d", "\u2066", "\u2069", "\x07", "\x1b", "\x0b", "\x7f"])
def test_free_text_refuses_direction_overrides_and_controls(staff_client, community, char):
    r = staff_client.post(f"{base(community)}/notices/manage", json=notice_body(title=f"停水{char}通知"))
    assert r.status_code == 422 and "title" in r.json["errors"], r.json
    assert count(Notice) == 0


def test_free_text_keeps_emoji_joiners_line_breaks_and_tabs(staff_client, community):
    body = notice_body(title="家庭活动 👨\u200d👩\u200d👧", body="<p>第一行\n\t第二行</p>\r\n<p>第三段</p>")
    r = staff_client.post(f"{base(community)}/notices/manage", json=body)
    assert r.status_code == 201, r.json
    assert r.json["title"] == "家庭活动 👨\u200d👩\u200d👧"


# 7. Hostile JSON: a 400 that says the body is not JSON, never a 500.

@pytest.mark.parametrize("raw", ["[" * 5000 + "]" * 5000, '{"a":' * 5000 + "1" + "}" * 5000,
                                 '{"phone": [' + "[" * 100_000 + "]" * 100_000 + "]}"])
def test_deeply_nested_json_is_bad_json(client, raw):
    r = post_raw(client, "/api/v1/auth/login", raw)
    assert r.status_code == 400, r.get_data(as_text=True)[:300]
    assert r.json["code"] == "bad_json" and r.json["status"] == 400


@pytest.mark.parametrize("raw", ['{"phone": ', "{'phone': '1'}", "[1,]", "\x00"])
def test_malformed_json_is_bad_json_in_the_error_shape(client, raw):
    r = post_raw(client, "/api/v1/auth/login", raw)
    assert r.status_code == 400
    assert set(r.json) == {"code", "status", "message", "errors"} and r.json["code"] == "bad_json", r.json


def test_deep_json_in_a_write_writes_nothing(staff_client, community):
    raw = '{"title": "t", "body": "b", "category": "service", "audience": ' + '{"a":' * 3000 + "1" + "}" * 3000 + "}"
    r = post_raw(staff_client, f"{base(community)}/notices/manage", raw)
    assert r.status_code == 400 and r.json["code"] == "bad_json"
    assert count(Notice) == 0


# 15. Request size: JSON bodies are refused by their declared size, before anything reads them.

def test_json_over_the_limit_is_refused_and_nothing_written(staff_client, community):
    body = notice_body(body="停" * (1024 * 1024 // 3 + 10))
    r = staff_client.post(f"{base(community)}/notices/manage", json=body)
    assert r.status_code == 413, r.get_data(as_text=True)[:300]
    assert r.json["code"] == "too_large" and set(r.json) == {"code", "status", "message", "errors"}
    assert count(Notice) == 0


def test_json_limit_is_configurable(app, staff_client, community):
    app.config["MAX_JSON_BYTES"] = 500
    r = staff_client.post(f"{base(community)}/notices/manage", json=notice_body(body="停" * 200))
    assert r.status_code == 413 and r.json["code"] == "too_large"


def test_any_body_over_the_overall_limit_is_refused(app, staff_client, community):
    app.config["MAX_CONTENT_LENGTH"] = 4096
    r = upload(staff_client, community, "building,room,floor_area,note\n1栋,101,80," + "x" * 5000 + "\n")
    assert r.status_code == 413 and r.json["code"] == "too_large", r.get_data(as_text=True)[:300]
    assert count(Dwelling) == 0


def test_csv_import_larger_than_the_json_limit_still_works(staff_client, community):
    text = "building,room,floor_area,note\n" + "".join(f"1栋,{100 + i},80,{'x' * 110_000}\n" for i in range(10))
    assert len(text) > 1024 * 1024
    r = upload(staff_client, community, text)
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    assert count(Dwelling) == 10


def test_size_settings_have_safe_defaults(app):
    assert app.config["MAX_CONTENT_LENGTH"] == 12 * 1024 * 1024
    assert app.config["MAX_JSON_BYTES"] == 1024 * 1024


# 16a. Methods the API does not have are a 405, whatever the CSRF header says.

@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_method_not_in_the_api_is_405_without_csrf(make_client, method):
    client = make_client()
    client.csrf = False
    r = client.open("/api/v1/auth/login", method=method, json={})
    assert r.status_code == 405, r.json
    assert r.json["code"] == "method_not_allowed"
    assert "POST" in r.headers["Allow"]


@pytest.mark.parametrize("url, allowed", [("/api/v1/auth/login", {"POST", "OPTIONS"}),
                                          ("/api/v1/auth/logout", {"POST", "OPTIONS"})])
def test_a_405_allows_only_the_routes_own_methods(client, url, allowed):
    r = client.get(url)
    assert r.status_code == 405 and r.json["code"] == "method_not_allowed"
    assert set(r.headers["Allow"].replace(" ", "").split(",")) == allowed


def test_api_paths_are_never_the_apps_pages(client):
    assert client.get("/api/v1/nothing-here").status_code == 404
    assert client.get("/api").status_code == 404


def test_known_method_without_csrf_is_still_refused(make_client):
    client = make_client()
    client.csrf = False
    r = client.post("/api/v1/auth/login", json={"phone": REAL_PHONE, "password": "x"})
    assert r.status_code == 403 and r.json["code"] == "csrf_failed"


# 16b. A PATCH must change something.

def test_profile_patch_with_nothing_is_refused(resident_client):
    r = resident_client.patch("/api/v1/auth/me", json={})
    assert r.status_code == 422, r.json
    assert r.json["code"] == "nothing_to_change" and r.json["message"] == "Nothing to change."


def test_notice_patch_with_nothing_is_refused(staff_client, community, staff):
    notice = create_notice(community, staff, publish=False)
    r = staff_client.patch(f"{base(community)}/notices/manage/{notice.id}", json={})
    assert r.status_code == 422 and r.json["code"] == "nothing_to_change", r.json


def test_user_status_patch_with_nothing_is_refused(make_client, resident):
    admin = factories.logged_in(make_client(), factories.create_user(is_admin=True))
    r = admin.patch(f"/api/v1/admin/users/{resident.id}", json={})
    assert r.status_code == 422 and r.json["code"] in ("nothing_to_change", "validation_failed"), r.json


def test_patch_with_one_field_still_changes_it(resident_client):
    r = resident_client.patch("/api/v1/auth/me", json={"care_mode": True})
    assert r.status_code == 200 and r.json["care_mode"] is True


# 16e. CSV cells that a spreadsheet would run as formulas are neutralised.

@pytest.mark.parametrize("value, cell", [
    ("=1+1", "'=1+1"), ("+86 138", "'+86 138"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("＝1+1", "'＝1+1"), ("周阿姨", "周阿姨"), ("", ""), (12, "12"),
    (-5, "-5"), (None, ""), ("a=b", "a=b"),
])
def test_safe_cell_neutralises_formulas(value, cell):
    assert safe_cell(value) == cell


def test_safe_rows_survive_a_round_trip_through_the_reader():
    out = io.StringIO()
    csv.writer(out).writerow(safe_row(["=HYPERLINK(\"http://x\")", "1栋", "-1", 88.5]))
    assert next(csv.reader(io.StringIO(out.getvalue()))) == ["'=HYPERLINK(\"http://x\")", "1栋", "'-1", "88.5"]
