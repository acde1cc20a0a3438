"""The home screen in the browser: a resident sees unread urgent or pinned notices as a banner until read,
and their grid worker; staff see their workbench first, with what waits and how many read recent notices."""
from playwright.sync_api import expect

from tests.e2e.conftest import DESK_PASSWORD, api_call, check_a11y, login_ui, new_staff, register_api, shot, wait_sent

NOTICES = "/communities/1/notices"


def publish_urgent(staff, title: str) -> dict:
    notice = api_call(staff, "POST", f"{NOTICES}/manage", {
        "title": title, "body": "<p>请提前储水。</p>", "category": "urgent", "audience": {"everyone": True},
        "push": False})
    published = api_call(staff, "POST", f"{NOTICES}/manage/{notice['id']}/publish", {})
    wait_sent(staff, notice["id"])
    return published


def home(page) -> None:
    """Open the home screen and wait for the notices the banner is chosen from."""
    with page.expect_response(lambda r: "/notices?limit=" in r.url):
        page.goto("/")
    page.wait_for_timeout(100)  # Vue renders the banner after the response


def test_resident_reads_the_banners_away_and_sees_their_grid_worker(new_context):
    staff = new_context()
    login_ui(staff.new_page(), new_staff(staff), DESK_PASSWORD)
    publish_urgent(staff, "明天上午燃气管道检修的紧急通知")
    resident = new_context()
    register_api(resident, "黄玉兰", care=True)
    page = resident.new_page()
    home(page)
    banner = page.get_by_test_id("notice-banner")
    expect(banner).to_be_visible()
    expect(page.get_by_test_id("my-grid-workers")).to_be_visible()
    shot(page, "home-banner-care")
    check_a11y(page, "home with a notice banner (care mode)")
    seen = []
    for _ in range(10):  # the demo's pinned notices come first, then ours; each disappears once read
        if not banner.is_visible():
            break
        title = banner.inner_text()
        assert title not in seen
        seen.append(title)
        banner.click()
        page.wait_for_url("**/notices/*")
        notice_title = title.split(None, 1)[-1]  # after the "紧急通知" / "置顶通知" label
        expect(page.locator("h1, h2").filter(has_text=notice_title[:8]).first).to_be_visible()
        home(page)
    expect(banner).to_be_hidden()
    assert any("燃气管道检修" in t for t in seen)


def test_staff_see_their_workbench_first(new_context):
    staff = new_context()
    page = staff.new_page()
    login_ui(page, new_staff(staff, name="孙丽华"), DESK_PASSWORD)
    notice = publish_urgent(staff, "本周六消防演练的紧急通知")
    reader = new_context()
    register_api(reader, "周桂芳")
    api_call(reader, "GET", f"{NOTICES}/{notice['id']}")
    page.goto("/")
    bench = page.get_by_test_id("workbench")
    expect(bench).to_be_visible()
    # First: above the household and the feature grid.
    assert bench.bounding_box()["y"] < page.get_by_test_id("tile-notices").bounding_box()["y"]
    expect(bench.get_by_test_id("todo-residents")).to_be_visible()
    row = bench.get_by_test_id("todo-notice").filter(has_text="消防演练")
    expect(row).to_contain_text("已读 1/")
    shot(page, "home-workbench")
    check_a11y(page, "staff workbench")
    bench.get_by_test_id("todo-residents").click()
    page.wait_for_url("**/staff/1/pending")
    page.goto("/")
    row.click()
    page.wait_for_url(f"**/staff/1/notices/{notice['id']}")


def test_workbench_in_care_mode_and_english(new_context):
    staff = new_context()
    page = staff.new_page()
    login_ui(page, new_staff(staff, name="钱美玲"), DESK_PASSWORD)
    api_call(staff, "PATCH", "/auth/me", {"care_mode": True})
    page.goto("/")
    page.reload()
    expect(page.get_by_test_id("workbench")).to_be_visible()
    expect(page.get_by_test_id("workbench").get_by_test_id("workbench-all")).to_be_visible()
    shot(page, "home-workbench-care")
    check_a11y(page, "staff workbench (care mode)")
    api_call(staff, "PATCH", "/auth/me", {"care_mode": False, "locale": "en"})
    page.reload()
    expect(page.get_by_test_id("workbench")).to_contain_text("to do")
    expect(page.get_by_test_id("todo-residents")).to_contain_text("Residents to verify")
    shot(page, "home-workbench-en")
