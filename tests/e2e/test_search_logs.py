"""Searches that found nothing: the resident is offered the closest categories and "ask the community";
staff see the failed searches and make one an item's alias, after which the same search finds the item."""
import re
from urllib.parse import quote

from playwright.sync_api import expect

from tests.e2e.conftest import STAFF_PHONE, api_call, check_a11y, login_ui, register_api, shot

SEARCH = "/communities/1/search"
# Buttons, links and selects on the page (not the app's bars) shorter than care mode's 48 px.
SMALL_TARGETS = """() => [...document.querySelectorAll('.app__main :is(button, a, select)')]
    .filter(el => el.offsetParent && el.getBoundingClientRect().height < 47.5).map(el => el.outerHTML.slice(0, 120))"""


def search_ui(page, words: str):
    page.goto("/guide")
    page.locator("input[name=q]").fill(words)
    page.get_by_test_id("guide-search-go").click()
    results = page.get_by_test_id("guide-results")
    expect(results).not_to_contain_text("加载中")
    return results


def misses(context) -> dict:
    return {m["query"]: m for m in api_call(context, "GET", f"{SEARCH}/misses?days=30")}


def test_an_empty_result_offers_close_categories_and_asking(new_context):
    context = new_context()
    register_api(context, "冯桂兰")
    page = context.new_page()
    results = search_ui(page, "疾残飞碟")
    expect(results.get_by_test_id("closest-categories")).to_contain_text("残疾人服务")
    shot(page, "search-empty-closest")
    check_a11y(page, "search empty")
    results.get_by_test_id("ask-community").click()
    expect(page).to_have_url(re.compile(r"/questions/new\?text="))
    expect(page.locator("textarea").first).to_have_value("疾残飞碟")


def test_an_empty_result_in_care_mode(new_context):
    context = new_context()
    register_api(context, "冯秀英", care=True)
    page = context.new_page()
    results = search_ui(page, "疾残飞碟维修")
    expect(page.locator("html.care")).to_have_count(1)
    expect(results.get_by_test_id("ask-community")).to_be_visible()
    shot(page, "search-empty-care")
    check_a11y(page, "search empty, care mode")


def test_staff_make_a_failed_search_an_alias_and_it_then_finds_the_item(new_context):
    resident = new_context()
    register_api(resident, "贾春梅")
    for _ in range(2):
        assert api_call(resident, "GET", f"{SEARCH}?q={quote('啾啾喵喵')}") == []

    staff = new_context()
    page = staff.new_page()
    login_ui(page, STAFF_PHONE)
    page.goto("/staff/1/guide")
    page.get_by_test_id("open-searches").click()
    row = page.get_by_test_id("search-miss").filter(has_text="啾啾喵喵")
    expect(row).to_contain_text("搜了 2 次")
    expect(row).to_contain_text("没有结果")
    shot(page, "search-misses")
    check_a11y(page, "search misses")
    row.get_by_test_id("as-alias").click()
    sheet = page.get_by_role("dialog", name="“啾啾喵喵”是哪个事项？")
    sheet.get_by_role("searchbox").fill("居住证")
    sheet.locator(".van-cell", has_text="居住证办理").click()
    expect(page.get_by_text("已加为“居住证办理”的别名")).to_be_visible()
    expect(page.get_by_test_id("search-miss").filter(has_text="啾啾喵喵")).to_have_count(0)

    resident_page = resident.new_page()
    results = search_ui(resident_page, "啾啾喵喵")
    with resident_page.expect_response(lambda r: r.url.endswith("/search/opened")) as opened:
        results.locator(".van-cell", has_text="居住证办理").first.click()
    assert opened.value.status == 204
    expect(resident_page.get_by_test_id("item-title")).to_have_text("居住证办理")
    # Found and opened: it is no longer a failed search.
    assert "啾啾喵喵" not in misses(staff)


def test_staff_make_a_failed_search_a_synonym(new_context):
    resident = new_context()
    register_api(resident, "石玉兰")
    assert api_call(resident, "GET", f"{SEARCH}?q={quote('嘟嘟嘀嘀')}") == []
    staff = new_context()
    page = staff.new_page()
    login_ui(page, STAFF_PHONE)
    page.goto("/staff/1/guide/searches")
    page.get_by_test_id("search-miss").filter(has_text="嘟嘟嘀嘀").get_by_test_id("as-synonym").click()
    page.get_by_test_id("synonym-term").locator("input").fill("最低生活保障")
    shot(page, "search-misses-synonym")
    check_a11y(page, "search misses, synonym")
    page.get_by_test_id("save-synonym").click()
    expect(page.get_by_text("已设为“最低生活保障”的同义词")).to_be_visible()
    hits = api_call(resident, "GET", f"{SEARCH}?q={quote('嘟嘟嘀嘀')}")
    assert "最低生活保障申请" in ["".join(s["text"] for s in h["title"]) for h in hits][:3]


def test_the_failed_searches_screen_in_care_mode(new_context):
    staff = new_context()
    page = staff.new_page()
    login_ui(page, STAFF_PHONE)
    api_call(staff, "GET", f"{SEARCH}?q={quote('叽叽喳喳')}")
    api_call(staff, "PATCH", "/auth/me", {"care_mode": True})
    try:
        page.goto("/staff/1/guide/searches")
        expect(page.locator("html.care")).to_have_count(1)
        expect(page.get_by_test_id("search-miss").first).to_be_visible()
        shot(page, "search-misses-care")
        check_a11y(page, "search misses, care mode")
        assert not page.evaluate(SMALL_TARGETS)
    finally:
        api_call(staff, "PATCH", "/auth/me", {"care_mode": False})
