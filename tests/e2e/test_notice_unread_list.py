"""The staff's list of who has not read a notice: a page at a time, and filtered by grid and building."""
from playwright.sync_api import expect

from tests.e2e.conftest import STAFF_PHONE, api_call, check_a11y, login_ui, shot, wait_sent

NOTICES = "/communities/1/notices"


def test_unread_list_pages_and_filters(new_context):
    staff = new_context()
    page = staff.new_page()
    login_ui(page, STAFF_PHONE)
    draft = api_call(staff, "POST", f"{NOTICES}/manage", {
        "title": "楼道杂物清理", "body": "<p>本周六前请清理楼道杂物。</p>", "category": "service",
        "audience": {"everyone": True}, "push": False})
    api_call(staff, "POST", f"{NOTICES}/manage/{draft['id']}/publish", {})
    wait_sent(staff, draft["id"])
    stats = api_call(staff, "GET", f"{NOTICES}/manage/{draft['id']}/stats")
    unread = stats["addressed"] - stats["read"]
    page.goto(f"/staff/1/notices/{draft['id']}")
    rows = page.get_by_test_id("unread-resident")
    expect(rows.first).to_be_visible()
    expect(rows).to_have_count(min(unread, 50))
    if unread > 50:  # the rest come a page at a time
        page.get_by_test_id("unread-more").click()
        expect(rows).to_have_count(min(unread, 100))
    else:
        expect(page.get_by_test_id("unread-more")).to_have_count(0)

    grid = next(g for g in stats["grids"] if g["grid_id"] is not None and g["addressed"] > g["read"])
    page.get_by_test_id("unread-grid").select_option(str(grid["grid_id"]))
    in_grid = unread_labels(staff, draft["id"], f"grid_id={grid['grid_id']}")
    assert in_grid and all(label.startswith(grid["grid_name"]) for label in in_grid)
    expect(rows.locator(".van-cell__label")).to_have_text(in_grid)
    shot(page, "notice-unread-by-grid")
    check_a11y(page, "notice unread list")

    building = page.get_by_test_id("unread-building").locator("option").nth(1)
    name, value = building.inner_text(), building.get_attribute("value")
    page.get_by_test_id("unread-building").select_option(value)
    in_building = unread_labels(staff, draft["id"], f"grid_id={grid['grid_id']}&building_id={value}")
    assert all(name in label for label in in_building)
    if in_building:
        expect(rows.locator(".van-cell__label")).to_have_text(in_building)
    else:
        expect(page.get_by_text("这里的居民都已阅读")).to_be_visible()


def unread_labels(context, notice_id: int, query: str) -> list[str]:
    """What the screen should show for these filters, as the API pages it (the first page)."""
    items = api_call(context, "GET", f"{NOTICES}/manage/{notice_id}/unread?{query}")["items"]
    return [" · ".join(filter(None, (u["grid"], u["dwelling"]))) for u in items]
