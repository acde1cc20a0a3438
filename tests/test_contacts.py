"""The staff directory: what members see, who is on duty (roster, exceptions, time zones), my grid worker,
private mobiles, hiding, tenancy, roster rules, photos and search."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from backend.accounts.services import ensure_membership
from backend.common.models import utcnow
from backend.contacts import roster, services
from backend.contacts.models import Contact, RosterException, RosterSpan
from backend.demo import PASSWORD, RESIDENT
from backend.extensions import db
from tests import factories
from tests.contacts_factories import at, create_contact, set_roster, upload_photo

CONTACT_KEYS = {"id", "name", "position", "title", "handles", "tags", "work_phone", "mobile", "photo_url",
                "photo_thumb_url", "grids", "on_duty", "today", "party"}
MANAGED_KEYS = CONTACT_KEYS | {"visible", "user_id", "private_mobile", "show_mobile", "photo"}
ALL_DAY = [(d, "00:00", "24:00") for d in range(7)]


def base(community) -> str:
    return f"/api/v1/communities/{community.id}/contacts"


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def profile(**extra) -> dict:
    return {"name": "王芳", "position": "grid_worker", "title": "第二网格网格员", "handles": "居住证明、独居老人走访",
            "tags": ["居住证明", "独居老人"], "work_phone": "021-55550123", "private_mobile": "13800001111",
            **extra}


def clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def names(response) -> list[str]:
    return [c["name"] for c in response.json["items"]]


# What members see


def test_a_member_sees_a_profile_in_the_contract_shape(staff_client, resident_client, community):
    grid = factories.create_grid(community, "第二网格")
    r = staff_client.post(f"{base(community)}/manage", json=profile(grid_ids=[grid.id]))
    assert r.status_code == 201 and set(r.json) == MANAGED_KEYS, r.json
    assert (r.json["private_mobile"], r.json["show_mobile"], r.json["visible"]) == ("13800001111", False, True)
    r = resident_client.get(base(community))
    assert r.json["total"] == 1 and set(r.json) == {"items", "total"}
    contact = r.json["items"][0]
    assert set(contact) == CONTACT_KEYS
    assert contact["grids"] == [{"id": grid.id, "name": "第二网格"}]
    assert (contact["work_phone"], contact["mobile"], contact["photo_url"], contact["party"]) == (
        "021-55550123", "", None, None)
    assert (contact["on_duty"], contact["today"]) == (False, [])


def test_a_profile_page_has_the_week_and_the_next_30_days(staff_client, resident_client, community):
    contact_id = staff_client.post(f"{base(community)}/manage", json=profile()).json["id"]
    today = roster.local_now(community.timezone).date()
    saturday = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
    body = {"week": [_span(0, "08:30", "12:00"), _span(0, "13:30", "17:30")],
            "exceptions": [{"date": saturday.isoformat(), "start": "09:00", "end": "12:00", "note": "周六值班"},
                           {"date": (saturday + timedelta(days=2)).isoformat(), "off": True, "note": "年假"},
                           {"date": (today + timedelta(days=40)).isoformat(), "off": True}]}
    r = staff_client.put(f"{base(community)}/manage/{contact_id}/roster", json=body)
    assert r.status_code == 200, r.json
    page = resident_client.get(f"{base(community)}/{contact_id}").json
    assert set(page) == CONTACT_KEYS | {"week", "upcoming"}
    assert [d["weekday"] for d in page["week"]] == list(range(7))
    assert page["week"][0]["spans"] == [{"start": "08:30", "end": "12:00"}, {"start": "13:30", "end": "17:30"}]
    assert page["upcoming"] == [
        {"date": saturday.isoformat(), "off": False, "spans": [{"start": "09:00", "end": "12:00"}], "note": "周六值班"},
        {"date": (saturday + timedelta(days=2)).isoformat(), "off": True, "spans": [], "note": "年假"}]


def test_a_party_member_shows_areas_and_hours_and_the_party_filter_finds_them(staff_client, resident_client,
                                                                             community):
    party = {"areas": ["law", "elderly"], "hours": "周六上午"}
    staff_client.post(f"{base(community)}/manage", json=profile(name="吴律师", position="lawyer", party=party))
    staff_client.post(f"{base(community)}/manage", json=profile(name="张伟"))
    assert resident_client.get(base(community), query_string={"party": "true"}).json["items"][0]["party"] == party
    assert names(resident_client.get(base(community), query_string={"party": "true"})) == ["吴律师"]
    assert names(resident_client.get(base(community), query_string={"position": "grid_worker"})) == ["张伟"]


def test_the_directory_lists_on_duty_first_then_by_position_then_name(community):
    create_contact(community, "王建国", "secretary")
    doctor = create_contact(community, "孙丽华", "doctor")
    set_roster(doctor, community, [(0, "09:00", "12:00")])
    for name in ("张伟", "刘芳"):
        create_contact(community, name, "grid_worker")
    create_contact(community, "李秀英", "director")
    items = services.list_contacts(community.id, now=at("2026-11-30 10:00"))["items"]
    assert [c.name for c in items] == ["孙丽华", "王建国", "李秀英", "刘芳", "张伟"]
    assert [c.on_duty for c in items] == [True, False, False, False, False]


# On duty and today, in the community's time


@pytest.fixture
def clerk(community):
    """Mon–Fri 08:30–12:00 and 13:30–17:30; Saturday 2026-12-05 on duty 09:00–12:00; Tuesday 2026-12-01 off."""
    contact = create_contact(community, "李秀英", "director")
    week = [(d, "08:30", "12:00") for d in range(5)] + [(d, "13:30", "17:30") for d in range(5)]
    set_roster(contact, community, week, [("2026-12-05", "09:00", "12:00", "周六值班"), ("2026-12-01", None)])
    return contact


@pytest.mark.parametrize("moment, on_duty, today", [
    ("2026-11-30 10:00", True, [("08:30", "12:00"), ("13:30", "17:30")]),   # a Monday
    ("2026-11-30 08:30", True, [("08:30", "12:00"), ("13:30", "17:30")]),   # a span's start is in it
    ("2026-11-30 12:00", False, [("08:30", "12:00"), ("13:30", "17:30")]),  # its end is not
    ("2026-11-30 11:59", True, [("08:30", "12:00"), ("13:30", "17:30")]),
    ("2026-11-30 13:00", False, [("08:30", "12:00"), ("13:30", "17:30")]),  # lunch
    ("2026-12-01 10:00", False, []),                                        # on leave that Tuesday
    ("2026-12-05 10:00", True, [("09:00", "12:00")]),                       # Saturday duty
    ("2026-12-05 14:00", False, [("09:00", "12:00")]),
    ("2026-12-06 10:00", False, []),                                        # an ordinary Sunday
])
def test_on_duty_and_today_follow_the_week_and_its_exceptions(community, clerk, moment, on_duty, today):
    contact = services.list_contacts(community.id, now=at(moment))["items"][0]
    assert contact.on_duty is on_duty
    assert [(clock(s.start), clock(s.end)) for s in contact.today] == today


def test_duty_is_reckoned_in_the_communitys_own_time_zone(app):
    urumqi = factories.create_community(name="乌鲁木齐某社区", timezone="Asia/Urumqi")  # UTC+6
    contact = create_contact(urumqi, "阿依古丽", "director")
    set_roster(contact, urumqi, [(0, "09:00", "12:00")])
    # Monday 09:30 in Urumqi is 11:30 in Beijing: on duty; Monday 11:00 in Beijing is 09:00 in Urumqi.
    assert services.list_contacts(urumqi.id, now=at("2026-11-30 11:30", "Asia/Shanghai"))["items"][0].on_duty
    assert services.list_contacts(urumqi.id, now=at("2026-11-30 11:00", "Asia/Shanghai"))["items"][0].on_duty
    assert not services.list_contacts(urumqi.id, now=at("2026-11-30 14:30", "Asia/Shanghai"))["items"][0].on_duty
    # Monday 09:30 in Beijing is only 07:30 in Urumqi: not yet.
    assert not services.list_contacts(urumqi.id, now=at("2026-11-30 09:30", "Asia/Shanghai"))["items"][0].on_duty
    # Sunday 23:30 UTC is already Monday 05:30 in Urumqi: today is Monday's hours, not Sunday's none.
    monday = services.list_contacts(urumqi.id, now=at("2026-11-29 23:30", "UTC"))["items"][0]
    assert [(s.start, s.end) for s in monday.today] == [(540, 720)] and not monday.on_duty


# My grid workers


@pytest.fixture
def grid_home(community):
    grid = factories.create_grid(community, "第一网格")
    home = factories.create_dwelling(community, factories.create_building(community, grid=grid))
    worker = create_contact(community, "张伟", "grid_worker", grids=[grid])
    create_contact(community, "刘芳", "grid_worker", grids=[factories.create_grid(community, "第二网格")])
    return grid, home, worker


def test_my_grid_workers_serve_the_grid_of_my_verified_home(make_client, community, grid_home):
    _, home, _ = grid_home
    me = factories.logged_in(make_client(), factories.create_resident(community, dwelling=home))
    r = me.get(f"{base(community)}/my-grid-workers")
    assert r.status_code == 200 and set(r.json) == {"items"} and names(r) == ["张伟"]


@pytest.mark.parametrize("status", ["pending", "rejected"])
def test_a_home_not_yet_verified_has_no_grid_worker(make_client, community, grid_home, status):
    _, home, _ = grid_home
    me = factories.logged_in(make_client(), factories.create_resident(community, dwelling=home, status=status))
    assert me.get(f"{base(community)}/my-grid-workers").json == {"items": []}


def test_another_communitys_grid_gives_no_grid_worker_here(make_client, community, other_community, grid_home):
    there = factories.create_grid(other_community, "第一网格")
    create_contact(other_community, "陈磊", "grid_worker", grids=[there])
    home = factories.create_dwelling(other_community, factories.create_building(other_community, grid=there))
    user = factories.create_resident(other_community, dwelling=home)
    ensure_membership(user, community.id, "resident")
    db.session.commit()
    me = factories.logged_in(make_client(), user)
    assert me.get(f"{base(community)}/my-grid-workers").json == {"items": []}
    assert names(me.get(f"{base(other_community)}/my-grid-workers")) == ["陈磊"]


def test_a_home_in_a_building_without_a_grid_has_no_grid_worker(make_client, community, grid_home):
    me = factories.logged_in(make_client(), factories.create_resident(community))
    assert me.get(f"{base(community)}/my-grid-workers").json == {"items": []}


def test_a_hidden_grid_worker_is_no_longer_my_grid_worker(make_client, community, grid_home, staff_client):
    _, home, worker = grid_home
    me = factories.logged_in(make_client(), factories.create_resident(community, dwelling=home))
    assert names(me.get(f"{base(community)}/my-grid-workers")) == ["张伟"]
    staff_client.patch(f"{base(community)}/manage/{worker.id}", json={"visible": False})
    assert me.get(f"{base(community)}/my-grid-workers").json == {"items": []}


# The personal mobile


def test_a_personal_mobile_is_never_shown_to_members_unless_its_owner_opted_in(
        staff_client, resident_client, make_client, community, grid_home):
    _, home, worker = grid_home
    r = staff_client.patch(f"{base(community)}/manage/{worker.id}", json={"private_mobile": "13800001111"})
    assert r.json["private_mobile"] == "13800001111" and r.json["mobile"] == ""
    neighbour = factories.logged_in(make_client(), factories.create_resident(community, dwelling=home))
    for client, url in ((resident_client, base(community)), (resident_client, f"{base(community)}/{worker.id}"),
                        (neighbour, f"{base(community)}/my-grid-workers"),
                        (resident_client, base(community) + "?q=张伟")):
        body = client.get(url).get_data(as_text=True)
        assert "13800001111" not in body and "private_mobile" not in body, url
    staff_client.patch(f"{base(community)}/manage/{worker.id}", json={"show_mobile": True})
    assert resident_client.get(f"{base(community)}/{worker.id}").json["mobile"] == "13800001111"
    assert "private_mobile" not in resident_client.get(base(community)).json["items"][0]


# Hiding, and other communities


def test_a_hidden_profile_is_404_and_absent_from_the_list_and_search(staff_client, resident_client, community):
    r = staff_client.post(f"{base(community)}/manage", json=profile(name="周警官", position="police"))
    contact_id = r.json["id"]
    assert names(resident_client.get(base(community), query_string={"q": "民警"})) == ["周警官"]
    r = staff_client.patch(f"{base(community)}/manage/{contact_id}", json={"visible": False})
    assert r.status_code == 200 and r.json["visible"] is False
    assert resident_client.get(f"{base(community)}/{contact_id}").status_code == 404
    assert resident_client.get(base(community)).json == {"items": [], "total": 0}
    assert resident_client.get(base(community), query_string={"q": "民警"}).json["items"] == []
    assert staff_client.get(f"{base(community)}/manage").json["total"] == 1  # kept, for staff to show again
    staff_client.patch(f"{base(community)}/manage/{contact_id}", json={"visible": True})
    assert names(resident_client.get(base(community), query_string={"q": "民警"})) == ["周警官"]
    assert count(Contact) == 1


def test_staff_of_another_community_can_neither_manage_nor_read_its_profiles(
        make_client, staff_client, community, other_community):
    contact_id = staff_client.post(f"{base(community)}/manage", json=profile()).json["id"]
    outsider = factories.logged_in(make_client(), factories.create_user(other_community, role="staff"))
    for method, url, body in (("get", "/manage", None), ("post", "/manage", profile()),
                              ("patch", f"/manage/{contact_id}", {"name": "改"}),
                              ("get", f"/manage/{contact_id}/roster", None),
                              ("put", f"/manage/{contact_id}/roster", {"week": []})):
        r = outsider.open(base(community) + url, method=method.upper(), json=body)
        assert r.status_code == 403, (method, url)
    for method, url, body in (("get", f"/{contact_id}", None), ("patch", f"/manage/{contact_id}", {"name": "改"}),
                              ("get", f"/manage/{contact_id}/roster", None),
                              ("put", f"/manage/{contact_id}/roster", {"week": []})):
        r = outsider.open(base(other_community) + url, method=method.upper(), json=body)
        assert r.status_code == 404, (method, url)
    assert db.session.get(Contact, contact_id).name == "王芳"


def test_a_resident_cannot_manage(resident_client, community):
    assert resident_client.post(f"{base(community)}/manage", json=profile()).status_code == 403
    assert resident_client.get(f"{base(community)}/manage").status_code == 403


# Staff keep the directory


def test_staff_list_pages_hidden_ones_too(staff_client, community):
    for n in range(3):
        staff_client.post(f"{base(community)}/manage", json=profile(name=f"网格员{n}", visible=n != 1))
    r = staff_client.get(f"{base(community)}/manage", query_string={"per_page": 2})
    assert r.json["total"] == 3 and len(r.json["items"]) == 2 and set(r.json) == {"items", "total"}
    assert set(r.json["items"][0]) == MANAGED_KEYS
    assert [c["visible"] for c in staff_client.get(f"{base(community)}/manage").json["items"]] == [True, True, False]


def test_staff_change_a_profile_field_by_field(staff_client, community, resident):
    grid = factories.create_grid(community)
    contact_id = staff_client.post(f"{base(community)}/manage", json=profile()).json["id"]
    change = {"title": "第一网格网格员", "grid_ids": [grid.id], "user_id": resident.id, "tags": ["垃圾分类"],
              "party": {"areas": ["housing"]}, "work_phone": "０７５５-２６６０１００１"}
    r = staff_client.patch(f"{base(community)}/manage/{contact_id}", json=change)
    assert r.status_code == 200, r.json
    assert (r.json["title"], r.json["user_id"], r.json["tags"], r.json["work_phone"]) == (
        "第一网格网格员", resident.id, ["垃圾分类"], "0755-26601001")
    assert r.json["grids"] == [{"id": grid.id, "name": grid.name}]
    assert r.json["party"] == {"areas": ["housing"], "hours": ""} and r.json["name"] == "王芳"
    r = staff_client.patch(f"{base(community)}/manage/{contact_id}", json={"party": None, "grid_ids": []})
    assert (r.json["party"], r.json["grids"]) == (None, [])


def test_nothing_to_change_is_a_422(staff_client, community):
    contact_id = staff_client.post(f"{base(community)}/manage", json=profile()).json["id"]
    r = staff_client.patch(f"{base(community)}/manage/{contact_id}", json={})
    assert r.status_code == 422 and r.json["code"] == "nothing_to_change"


@pytest.mark.parametrize("change, field", [
    ({"name": ""}, "name"), ({"name": "王\u200b芳"}, "name"), ({"position": "mayor"}, "position"),
    ({"work_phone": "021 5555 0123 ext 9"}, "work_phone"), ({"work_phone": "0" * 21}, "work_phone"),
    ({"private_mobile": "12345"}, "private_mobile"), ({"tags": ["x" * 21]}, "tags"),
    ({"party": {"areas": ["astrology"]}}, "party"), ({"party": {"areas": []}}, "party"),
    ({"party": {"hours": "周六"}}, "party"),
    ({"grid_ids": [99999]}, "grid_ids"), ({"user_id": 99999}, "user_id"), ({"show_mobile": "yes"}, "show_mobile"),
    ({"photo": "0" * 32}, "photo"), ({"handles": "x" * 501}, "handles"),
])
def test_bad_profiles_are_refused_naming_the_field(staff_client, community, change, field):
    r = staff_client.post(f"{base(community)}/manage", json=profile(**change))
    assert r.status_code == 422 and field in r.json["errors"], r.json
    assert count(Contact) == 0


def test_a_grid_or_a_user_of_another_community_is_refused(staff_client, community, other_community):
    there = factories.create_grid(other_community)
    stranger = factories.create_user(other_community)
    for change, field in (({"grid_ids": [there.id]}, "grid_ids"), ({"user_id": stranger.id}, "user_id")):
        r = staff_client.post(f"{base(community)}/manage", json=profile(**change))
        assert r.status_code == 422 and field in r.json["errors"], r.json
    assert count(Contact) == 0


# The roster


def roster_url(community, contact_id) -> str:
    return f"{base(community)}/manage/{contact_id}/roster"


def test_the_roster_comes_back_as_it_was_put(staff_client, community):
    contact_id = staff_client.post(f"{base(community)}/manage", json=profile()).json["id"]
    day = (roster.local_now(community.timezone).date() + timedelta(days=5)).isoformat()
    week = [_span(5, "09:00", "12:00"), _span(0, "10:00", "19:00"), _span(0, "19:00", "24:00")]
    body = {"week": week, "exceptions": [{"date": day, "off": True, "start": None, "end": None, "note": "调休"}]}
    r = staff_client.put(roster_url(community, contact_id), json=body)
    assert r.status_code == 200, r.json
    assert r.json["week"] == sorted(week, key=lambda s: (s["weekday"], s["start"]))
    assert r.json["exceptions"] == body["exceptions"]
    assert staff_client.get(roster_url(community, contact_id)).json == r.json


def test_putting_a_roster_replaces_the_old_one_but_keeps_past_exceptions(community):
    contact = create_contact(community)
    set_roster(contact, community, [(0, "08:30", "12:00")], [("2026-12-01", None), ("2026-12-20", None)],
               now=at("2026-11-30 09:00"))
    set_roster(contact, community, [(1, "08:30", "12:00")], [("2026-12-21", "09:00", "12:00")],
               now=at("2026-12-10 09:00"))
    assert [(s.weekday, s.start) for s in db.session.scalars(select(RosterSpan))] == [(1, 510)]
    kept = db.session.scalars(select(RosterException).order_by(RosterException.date))
    assert [(e.date.isoformat(), e.off) for e in kept] == [("2026-12-01", True), ("2026-12-21", False)]


def _span(weekday, start, end):
    return {"weekday": weekday, "start": start, "end": end}


def _day(days: int) -> str:
    return (utcnow() + timedelta(days=days)).date().isoformat()


@pytest.mark.parametrize("body, field", [
    ({"week": [_span(0, "09:00", "12:00"), _span(0, "11:00", "13:00")]}, "week"),       # overlap
    ({"week": [_span(0, "12:00", "12:00")]}, "week"),                                    # start = end
    ({"week": [_span(0, "14:00", "09:00")]}, "week"),                                    # start > end
    ({"week": [_span(2, f"{h:02d}:00", f"{h:02d}:30") for h in range(8, 13)]}, "week"),  # five spans a day
    ({"week": [_span(7, "09:00", "12:00")]}, "week"),                                    # no eighth day
    ({"week": [_span(-1, "09:00", "12:00")]}, "week"),
    ({"week": [_span("0", "09:00", "12:00")]}, "week"),
    ({"week": [_span(0, "9:00", "12:00")]}, "week"),
    ({"week": [_span(0, "24:00", "24:00")]}, "week"),
    ({"week": [_span(0, "09:00", "25:00")]}, "week"),
    ({}, "week"),
    ({"week": [], "exceptions": [{"date": _day(400), "off": True}]}, "exceptions"),     # too far ahead
    ({"week": [], "exceptions": [{"date": _day(-3), "off": True}]}, "exceptions"),      # in the past
    ({"week": [], "exceptions": [{"date": _day(3)}]}, "exceptions"),                    # neither off nor hours
    ({"week": [], "exceptions": [{"date": _day(3), "start": "09:00", "end": "12:00"},
                                 {"date": _day(3), "start": "11:00", "end": "14:00"}]}, "exceptions"),
    ({"week": [], "exceptions": [{"date": _day(3), "off": True},
                                 {"date": _day(3), "start": "09:00", "end": "12:00"}]}, "exceptions"),
    ({"week": [], "exceptions": [{"date": "2026-02-30", "off": True}]}, "exceptions"),
])
def test_bad_rosters_are_refused_naming_the_field_and_nothing_changes(staff_client, community, body, field):
    contact = create_contact(community)
    set_roster(contact, community, [(0, "08:30", "12:00")], now=utcnow())
    r = staff_client.put(roster_url(community, contact.id), json=body)
    assert r.status_code == 422 and field in r.json["errors"], r.json
    assert [(s.weekday, s.start, s.end) for s in db.session.scalars(select(RosterSpan))] == [(0, 510, 720)]
    assert count(RosterException) == 0


# Photos


def test_a_contact_photo_is_read_by_members_while_the_profile_is_visible(staff_client, resident_client,
                                                                        make_client, community, other_community):
    assert upload_photo(resident_client, community).status_code == 403  # only staff upload them
    photo = upload_photo(staff_client, community).json["id"]
    r = staff_client.post(f"{base(community)}/manage", json=profile(photo=photo))
    assert r.status_code == 201 and r.json["photo"] == photo
    contact = resident_client.get(base(community)).json["items"][0]
    assert contact["photo_url"].endswith(photo) and contact["photo_thumb_url"].endswith("/thumb")
    assert resident_client.get(contact["photo_thumb_url"]).status_code == 200
    outsider = factories.logged_in(make_client(), factories.create_user(other_community, role="staff"))
    assert outsider.get(contact["photo_url"]).status_code == 403
    staff_client.patch(f"{base(community)}/manage/{r.json['id']}", json={"visible": False})
    assert resident_client.get(contact["photo_url"]).status_code == 403
    assert staff_client.get(contact["photo_url"]).status_code == 200


def test_a_photo_is_claimed_once_and_only_as_a_contact_photo(staff_client, community):
    photo = upload_photo(staff_client, community).json["id"]
    assert staff_client.post(f"{base(community)}/manage", json=profile(photo=photo)).status_code == 201
    r = staff_client.post(f"{base(community)}/manage", json=profile(photo=photo))
    assert r.status_code == 422 and "photo" in r.json["errors"]
    consent = upload_photo(staff_client, community, purpose="proxy_consent").json["id"]
    r = staff_client.post(f"{base(community)}/manage", json=profile(photo=consent))
    assert r.status_code == 422 and "photo" in r.json["errors"]
    contact_id = staff_client.get(f"{base(community)}/manage").json["items"][0]["id"]
    r = staff_client.patch(f"{base(community)}/manage/{contact_id}", json={"photo": photo, "title": "组长"})
    assert r.status_code == 200 and r.json["photo"] == photo  # the same photo again is no new claim
    assert staff_client.patch(f"{base(community)}/manage/{contact_id}", json={"photo": None}).json["photo_url"] is None


# Search


@pytest.mark.parametrize("q", ["民警", "jingcha", "mj", "户籍", "周建"])
def test_search_finds_the_police_officer_by_chinese_pinyin_and_initials(staff_client, resident_client, community, q):
    for body in (profile(name="周建军", position="police", title="粤海派出所", handles="户籍办理、治安防范", tags=[]),
                 profile(name="孙丽华", position="doctor", title="家庭医生", handles="慢病随访", tags=["签约"]),
                 profile(name="刘芳", handles="出租屋登记")):
        assert staff_client.post(f"{base(community)}/manage", json=body).status_code == 201
    assert names(resident_client.get(base(community), query_string={"q": q})) == ["周建军"]


def test_a_party_change_without_areas_is_refused(staff_client, community):
    contact_id = staff_client.post(f"{base(community)}/manage", json=profile()).json["id"]
    r = staff_client.patch(f"{base(community)}/manage/{contact_id}", json={"party": {"hours": "周六上午"}})
    assert r.status_code == 422 and "party" in r.json["errors"], r.json


def test_the_demo_directory_has_cadres_grid_workers_and_saturday_duty(app, make_client):
    app.test_cli_runner().invoke(args=["seed-demo"])
    community = db.session.scalar(select(Contact)).community_id
    me = make_client()
    assert me.post("/api/v1/auth/login", json={"phone": RESIDENT[0], "password": PASSWORD}).status_code == 200
    directory = me.get(f"/api/v1/communities/{community}/contacts").json
    assert 6 <= directory["total"] <= 8
    assert {c["position"] for c in directory["items"]} >= {"secretary", "director", "grid_worker", "police", "doctor",
                                                          "lawyer"}
    workers = me.get(f"/api/v1/communities/{community}/contacts/my-grid-workers").json["items"]
    assert [c["position"] for c in workers] == ["grid_worker"]
    weekdays = {e.date.weekday() for e in db.session.scalars(select(RosterException))}
    assert count(RosterException) >= 4 and weekdays == {5}  # Saturday duty


def test_directory_lists_cost_the_same_however_many_profiles(staff_client, resident_client, community):
    from tests.querycount import count_queries

    def add(n: int) -> None:
        for _ in range(n):
            grid = factories.create_grid(community, f"网格{count(Contact)}")
            contact = create_contact(community, f"干部{count(Contact)}", "member", grids=[grid], photo=None)
            set_roster(contact, community, week=[(0, "08:30", "12:00"), (1, "13:30", "17:30")],
                       exceptions=[((utcnow() + timedelta(days=1)).date().isoformat(), None)], now=utcnow())
        db.session.commit()
    add(2)
    with count_queries() as few_staff:
        assert len(staff_client.get(f"{base(community)}/manage").json["items"]) == 2
    with count_queries() as few_members:
        assert len(resident_client.get(base(community)).json["items"]) == 2
    add(10)
    with count_queries() as many_staff:
        assert len(staff_client.get(f"{base(community)}/manage").json["items"]) == 12
    with count_queries() as many_members:
        assert len(resident_client.get(base(community)).json["items"]) == 12
    assert len(many_staff) == len(few_staff) and len(many_members) == len(few_members)
