"""On a slow network the page is never blank: a placeholder before the app's code arrives, a skeleton
while a screen's code loads, both saying so in words."""
from playwright.sync_api import expect

from tests.e2e.conftest import check_a11y, register_api


def test_the_page_shows_a_placeholder_until_the_app_code_arrives(new_context):
    page = new_context(service_workers="block").new_page()  # held requests must reach the page's route
    page.goto("/login")
    page.evaluate("() => localStorage.setItem('cc:prefs', JSON.stringify({care: true}))")
    page.route("**/assets/*.js", lambda route: route.abort())  # as if it were still on its way
    page.reload()
    expect(page.get_by_role("heading", name="社区云")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("正在加载…")
    words = page.get_by_text("正在加载…", exact=True)
    expect(words).to_be_visible()
    expect(page.get_by_text("Loading…", exact=True)).to_be_hidden()  # the other language's words
    assert words.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 20  # care mode from the start
    check_a11y(page, "placeholder before the app's code, care mode")


def test_a_screen_slow_to_load_shows_a_skeleton_and_says_so(new_context):
    page = new_context(service_workers="block").new_page()
    register_api(page.context, "韩秀兰")
    page.goto("/")
    expect(page.get_by_text("您好，韩秀兰")).to_be_visible()
    held = []
    page.route("**/assets/screen-notices-*.js", lambda route: held.append(route))  # the notices screen's code
    page.locator(".van-tabbar-item", has_text="通知").click()
    expect(page.get_by_test_id("route-loading")).to_be_visible()
    expect(page.get_by_test_id("route-status")).to_have_text("正在加载…")
    expect(page.get_by_text("您好，韩秀兰")).to_be_hidden()  # the skeleton stands in for the page
    for route in held:
        route.continue_()
    page.wait_for_url("**/notices")
    expect(page.locator(".notice-card").first).to_be_visible()
    expect(page.get_by_test_id("route-loading")).to_have_count(0)
    expect(page.get_by_test_id("route-status")).to_have_text("")
