"""The service guide and facility search in the real app: search, checklist, near me, offline, care mode."""
import re

from playwright.sync_api import expect

from tests.e2e.conftest import api_call, check_a11y, facility_count, register_api, shot, wait_for_sw_control

CENTRE = {"latitude": 22.5405, "longitude": 113.9412}  # the demo party-and-masses service centre


def search_guide(page, typed: str, title: str):
    page.goto("/guide")
    page.locator("input[name=q]").fill(typed)
    page.get_by_test_id("guide-search-go").click()
    results = page.get_by_test_id("guide-results")
    expect(results).to_contain_text(title)
    return results


def open_item_by_search(page, typed: str, title: str) -> None:
    search_guide(page, typed, title).locator(".van-cell", has_text=title).first.click()
    expect(page.get_by_test_id("item-title")).to_have_text(title)


def test_guide_home_shows_categories_and_suggestions(page):
    register_api(page.context, "何淑珍")
    page.goto("/")
    page.get_by_test_id("tile-guide").click()
    # The demo's eight, and 常见问题 once a test has turned an answer into a FAQ.
    categories = api_call(page.context, "GET", "/communities/1/guide/categories")
    assert len(categories) >= 8
    expect(page.locator(".guide-home__grid .van-grid-item")).to_have_count(len(categories))
    page.locator("input[name=q]").fill("jzz")
    suggestions = page.get_by_test_id("guide-suggestions")
    expect(suggestions).to_contain_text("居住证办理")
    expect(suggestions.locator("mark").first).to_have_text("居住证")
    shot(page, "guide-home-suggestions")
    check_a11y(page, "guide home")


def test_search_item_and_materials_checklist_kept_on_device(page):
    register_api(page.context, "郭德明")
    open_item_by_search(page, "juzhuzheng", "居住证办理")
    checklist, progress = page.get_by_test_id("checklist"), page.get_by_text(re.compile(r"已备齐 \d/4"))
    expect(progress).to_have_text("所需材料（已备齐 0/4）")
    checklist.get_by_text("居民身份证", exact=True).click()
    checklist.get_by_text("近期免冠彩色照片（白底 1 寸）").click()
    expect(progress).to_have_text("所需材料（已备齐 2/4）")
    expect(page.get_by_test_id("call")).to_have_attribute("href", "tel:075526661234")
    expect(page.get_by_role("list").filter(has=page.get_by_text("到社区综合服务窗口取号")).get_by_role("listitem")).to_have_count(5)
    shot(page, "guide-item")
    check_a11y(page, "guide item")
    page.reload()
    expect(progress).to_have_text("所需材料（已备齐 2/4）")


def test_search_understands_initials_and_synonyms(page):
    register_api(page.context, "曾国庆")
    open_item_by_search(page, "低保", "最低生活保障申请")
    page.get_by_test_id("helpful-yes").click()
    expect(page.get_by_test_id("helpful-yes")).to_contain_text("有帮助（1）")
    results = search_guide(page, "ylbx", "城乡居民医疗保险参保")
    expect(results.locator("mark").first).to_have_text("医疗保险")
    shot(page, "guide-results-initials")
    check_a11y(page, "guide search results")


def test_certificate_no_longer_issued_says_where_to_go(page):
    register_api(page.context, "潘春花")
    open_item_by_search(page, "良民证", "无犯罪记录证明")
    expect(page.get_by_test_id("no-longer-issued")).to_contain_text("公安机关")


def test_near_me_granted_lists_nearest_first_with_distances(new_context):
    page = new_context(geolocation=CENTRE, permissions=["geolocation"]).new_page()
    register_api(page.context, "罗建军")
    page.goto("/facilities")
    page.get_by_test_id("near-me").click()
    expect(page.get_by_test_id("near-hint")).to_be_visible()
    distances = page.get_by_test_id("distance")
    expect(distances.first).to_contain_text("0 米")
    texts = [re.sub(r"\D", "", t) if "米" in t else str(int(float(re.sub(r"[^\d.]", "", t)) * 1000))
             for t in distances.all_inner_texts()]
    assert [int(t) for t in texts] == sorted(int(t) for t in texts)
    expect(page.locator(".open-badge").first).to_have_attribute("data-status", re.compile("open|closed"))
    shot(page, "facilities-near-me")
    check_a11y(page, "facilities near me")


def test_near_me_refused_falls_back_to_the_full_list(new_context):
    page = new_context().new_page()  # no geolocation permission granted: the browser refuses
    register_api(page.context, "梁桂英")
    page.goto("/facilities")
    listed = facility_count(page.context)
    expect(page.locator(".facilities__card")).to_have_count(listed)
    page.get_by_test_id("near-me").click()
    expect(page.get_by_test_id("geo-fallback")).to_contain_text("定位权限被拒绝")
    expect(page.locator(".facilities__card")).to_have_count(listed)
    expect(page.get_by_test_id("distance")).to_have_count(0)
    shot(page, "facilities-geo-refused")
    check_a11y(page, "facilities, location refused")


def test_type_chip_and_facility_page(page):
    register_api(page.context, "谢永刚")
    page.goto("/facilities")
    page.get_by_role("button", name="AED 急救设备").click()
    expect(page.locator(".facilities__card")).to_have_count(4)
    page.locator(".facilities__card", has_text="西门岗亭").click()
    expect(page.get_by_test_id("facility-name")).to_have_text("AED（幸福里西门岗亭）")
    expect(page.get_by_test_id("facility-state")).to_contain_text("全天开放")
    expect(page.get_by_test_id("navigate")).to_have_attribute("href", re.compile("coordinate=wgs84"))
    shot(page, "facility")
    check_a11y(page, "facility page")


def test_a_viewed_item_can_be_read_offline(page):
    register_api(page.context, "董淑珍")
    open_item_by_search(page, "残疾人证", "残疾人证办理")
    wait_for_sw_control(page)
    page.context.set_offline(True)
    page.goto("/guide")
    recent = page.get_by_test_id("guide-recent")
    expect(recent).to_contain_text("残疾人证办理")
    recent.get_by_text("残疾人证办理").click()
    expect(page.get_by_test_id("offline-copy")).to_be_visible()
    expect(page.get_by_test_id("item-title")).to_have_text("残疾人证办理")
    expect(page.get_by_test_id("checklist")).to_contain_text("居民身份证")
    shot(page, "guide-item-offline")
    page.context.set_offline(False)


def test_care_mode_on_the_new_screens(page):
    register_api(page.context, "赵秀兰", care=True)
    page.goto("/guide")
    expect(page.locator("html.care")).to_have_count(1)
    expect(page.locator(".guide-home__grid .van-grid-item").first).to_be_visible()
    shot(page, "guide-home-care")
    check_a11y(page, "guide home, care mode")
    open_item_by_search(page, "高龄", "高龄老人津贴申领")
    shot(page, "guide-item-care")
    check_a11y(page, "guide item, care mode")
    page.goto("/facilities")
    expect(page.locator(".facilities__card").first).to_be_visible()
    shot(page, "facilities-care")
    check_a11y(page, "facilities, care mode")
