"""The staff "who has not read it" list: a page at a time by cursor, filtered by grid and building."""
import base64

import pytest
from sqlalchemy import select, update

from backend.accounts.models import User
from backend.extensions import db
from backend.notices.models import NoticeRecipient
from tests import factories
from tests.notice_factories import create_notice
from tests.querycount import count_queries


def unread_url(community, notice, query: str = "") -> str:
    return f"/api/v1/communities/{community.id}/notices/manage/{notice.id}/unread?{query}"


@pytest.fixture
def town(community):
    """Grid A (building A1: a home of three and a home of one; A2: a home of two), grid B (a home of two),
    a building in no grid (a home of two); one of A1's residents has since lost the home on record."""
    grid_a, grid_b = factories.create_grid(community, "A网格"), factories.create_grid(community, "B网格")
    a1, a2 = (factories.create_building(community, name, grid=grid_a) for name in ("A1栋", "A2栋"))
    b1 = factories.create_building(community, "B1栋", grid=grid_b)
    loose = factories.create_building(community, "无网格楼")
    homes = [(a1, 3), (a1, 1), (a2, 2), (b1, 2), (loose, 2)]
    people = {}
    for building, n in homes:
        home = factories.create_dwelling(community, building)
        people.setdefault(building.name, []).extend(
            factories.create_resident(community, dwelling=home) for _ in range(n))
    return {"grids": (grid_a, grid_b), "buildings": {"A1": a1, "A2": a2, "B1": b1, "loose": loose},
            "people": people}


@pytest.fixture
def notice(community, staff, town):
    notice = create_notice(community, staff)
    lost = town["people"]["A1栋"][0]
    db.session.execute(update(NoticeRecipient).where(NoticeRecipient.notice_id == notice.id,
                                                     NoticeRecipient.user_id == lost.id).values(dwelling_id=None))
    db.session.commit()
    return notice


def unread_ids(notice) -> set[int]:
    return set(db.session.scalars(select(NoticeRecipient.user_id).where(NoticeRecipient.notice_id == notice.id,
                                                                        NoticeRecipient.read_at.is_(None))))


def walk(client, community, notice, limit: int, query: str = "", cursor: str | None = None) -> list[int]:
    """Every page, following next_cursor to the end."""
    seen = []
    for _ in range(100):
        page = client.get(unread_url(community, notice, f"limit={limit}&{query}"
                                     + (f"&cursor={cursor}" if cursor else ""))).json
        assert len(page["items"]) <= limit
        seen += [u["user_id"] for u in page["items"]]
        if (cursor := page["next_cursor"]) is None:
            return seen
    raise AssertionError("the cursor never ended")


def test_one_page_holds_everyone_who_has_not_read(staff_client, make_client, community, notice, town):
    reader = town["people"]["B1栋"][0]
    factories.logged_in(make_client(), reader).get(f"/api/v1/communities/{community.id}/notices/{notice.id}")
    page = staff_client.get(unread_url(community, notice)).json
    assert page["next_cursor"] is None
    assert [u["user_id"] for u in page["items"]] and {u["user_id"] for u in page["items"]} == unread_ids(notice)
    assert reader.id not in {u["user_id"] for u in page["items"]} and len(page["items"]) == 9


@pytest.mark.parametrize("limit", [1, 2, 3, 4, 9])
def test_pages_have_no_duplicates_and_no_gaps(staff_client, community, notice, limit):
    """Homes of three and two tie on grid and dwelling; a NULL grid and a NULL dwelling sit in the order too."""
    whole = [u["user_id"] for u in staff_client.get(unread_url(community, notice, "limit=200")).json["items"]]
    paged = walk(staff_client, community, notice, limit)
    assert paged == whole and len(set(paged)) == len(paged) == 10
    assert set(paged) == unread_ids(notice)


def test_a_home_stays_together_and_grids_in_order(staff_client, community, notice, town):
    rows = staff_client.get(unread_url(community, notice)).json["items"]
    home_of_three = [p.id for p in town["people"]["A1栋"][1:3]]
    at = [u["user_id"] for u in rows].index(home_of_three[0])
    assert [u["user_id"] for u in rows[at:at + 2]] == home_of_three
    grids = [u["grid"] for u in rows if u["grid"]]
    assert grids == sorted(grids)


def test_reading_between_pages_neither_repeats_nor_skips(staff_client, make_client, community, notice):
    first = staff_client.get(unread_url(community, notice, "limit=4")).json
    shown = [u["user_id"] for u in first["items"]]
    later = walk(staff_client, community, notice, 4, cursor=first["next_cursor"])
    reader = db.session.get(User, later[0])
    factories.logged_in(make_client(), reader).get(f"/api/v1/communities/{community.id}/notices/{notice.id}")
    rest = walk(staff_client, community, notice, 4, cursor=first["next_cursor"])
    assert rest == later[1:] and not set(rest) & set(shown)


def test_filter_by_grid(staff_client, community, notice, town):
    grid_a, grid_b = town["grids"]
    in_a = walk(staff_client, community, notice, 2, f"grid_id={grid_a.id}")
    assert set(in_a) == {p.id for b in ("A1栋", "A2栋") for p in town["people"][b]}
    assert set(walk(staff_client, community, notice, 2, f"grid_id={grid_b.id}")) == {
        p.id for p in town["people"]["B1栋"]}


def test_filter_by_building(staff_client, community, notice, town):
    a2, a1, grid_a = town["buildings"]["A2"], town["buildings"]["A1"], town["grids"][0]
    assert set(walk(staff_client, community, notice, 1, f"building_id={a2.id}")) == {
        p.id for p in town["people"]["A2栋"]}
    # The resident whose home is no longer on record is in no building.
    assert set(walk(staff_client, community, notice, 1, f"building_id={a1.id}&grid_id={grid_a.id}")) == {
        p.id for p in town["people"]["A1栋"][1:]}
    assert walk(staff_client, community, notice, 5, f"building_id={a2.id}&grid_id={town['grids'][1].id}") == []


def test_another_communitys_grid_filters_to_nothing(staff_client, community, other_community, notice):
    theirs = factories.create_grid(other_community)
    assert staff_client.get(unread_url(community, notice, f"grid_id={theirs.id}")).json == {
        "items": [], "next_cursor": None}


def test_staff_of_another_community_cannot_page_through(make_client, community, other_community, notice):
    outsider = factories.logged_in(make_client(), factories.create_user(other_community, role="staff"))
    response = outsider.get(unread_url(community, notice, "limit=1"))
    assert response.status_code == 403 and "items" not in response.json
    assert outsider.get(f"/api/v1/communities/{other_community.id}/notices/manage/{notice.id}/unread"
                        ).status_code == 404


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize("cursor", ["不是游标", "!!!", b64("1.2"), b64("1.2."), b64("a.b.c"), b64("1.2.3.4"),
                                    b64(f"1.2.{2**40}"), b64("1.-2.3"), b64("\xff")])
def test_a_bad_cursor_is_a_clear_422(staff_client, community, notice, cursor):
    response = staff_client.get(unread_url(community, notice, f"cursor={cursor}"))
    assert response.status_code == 422
    assert response.json["code"] == "validation_failed" and "cursor" in response.json["errors"]


def test_a_page_costs_the_same_statements_wherever_it_is(staff_client, community, notice):
    staff_client.get(unread_url(community, notice, "limit=2"))  # the session and user are loaded once warm
    with count_queries() as first:
        page = staff_client.get(unread_url(community, notice, "limit=2")).json
    with count_queries() as second:
        staff_client.get(unread_url(community, notice, f"limit=2&cursor={page['next_cursor']}"))
    with count_queries() as big:
        staff_client.get(unread_url(community, notice, "limit=9"))
    assert first and len(first) == len(second) == len(big)
