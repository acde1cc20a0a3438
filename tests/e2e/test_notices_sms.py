"""Texts for urgent notices in the browser: the publish confirm says how many go out, the stats count them
and explain them, and staff see and set the community's SMS budget (zh-CN and care mode, 390 px)."""
import re

from playwright.sync_api import expect

from tests.e2e.conftest import (
    DESK_PASSWORD,
    api_call,
    check_a11y,
    login_ui,
    new_staff,
    register_api,
    settle,
    shot,
    wait_sent,
)


def no_violations_at_all(page) -> list:
    """axe's violations of any impact, minor ones too (check_a11y has already loaded axe)."""
    found = page.evaluate("() => axe.run(document, { resultTypes: ['violations'] })")["violations"]
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]]) for v in found]


def test_an_urgent_notice_says_and_counts_its_texts_and_staff_set_the_budget(new_context):
    register_api(new_context(), "钱桂芳")  # a resident with no push device: the app is opened in WeChat
    staff = new_context()
    page = staff.new_page()
    login_ui(page, new_staff(staff, name="冯丽华"), DESK_PASSWORD)

    page.goto("/staff/1/notices/new")
    page.get_by_test_id("title").locator("input").fill("今晚22点停电抢修")
    page.get_by_test_id("body").locator("textarea").fill("今晚22:00至次日2:00全小区停电，请提前准备照明。")
    page.get_by_test_id("category-urgent").click()
    page.get_by_test_id("publish").click()
    message = page.locator(".van-dialog__message")
    expect(message).to_contain_text(re.compile(r"\d+ 位没有开启手机通知的居民会收到短信"))
    settle(page)
    shot(page, "notices-sms-confirm")
    page.locator(".van-dialog__confirm").click()
    page.wait_for_url(re.compile(r"/staff/1/notices/\d+$"))
    stats_url = page.url
    wait_sent(staff, int(stats_url.rsplit("/", 1)[1]))
    page.reload()

    sms = page.get_by_test_id("sms-stats")
    expect(sms).to_be_visible()
    expect(page.get_by_test_id("count-sms_pending")).to_contain_text(re.compile(r"[1-9]"))  # the worker sends them
    page.get_by_test_id("stats-help").locator("summary").click()
    expect(page.get_by_test_id("stats-help")).to_contain_text("没有开启手机通知的居民")
    shot(page, "notices-sms-stats")
    check_a11y(page, "notice stats with texts")

    page.get_by_test_id("sms-budget-link").click()
    page.wait_for_url("**/staff/1/notices/sms-budget")
    expect(page.get_by_test_id("sms-budget-used")).to_contain_text("本月已用")
    page.get_by_test_id("sms-per-notice").locator("input").fill("999999")
    page.get_by_test_id("sms-save").click()
    expect(page.get_by_test_id("sms-per-notice")).to_contain_text("不能超过每月额度")
    page.get_by_test_id("sms-monthly").locator("input").fill("800")
    page.get_by_test_id("sms-per-notice").locator("input").fill("200")
    page.get_by_test_id("sms-save").click()
    expect(page.get_by_test_id("sms-budget-used")).to_contain_text("/ 800 条")
    expect(page.get_by_test_id("sms-defaults")).to_be_hidden()
    assert api_call(staff, "GET", "/communities/1/notices/manage/sms-budget")["per_notice"] == 200
    settle(page)
    shot(page, "notices-sms-budget")
    check_a11y(page, "SMS budget")
    assert no_violations_at_all(page) == []

    api_call(staff, "PATCH", "/auth/me", {"care_mode": True})
    page.reload()
    expect(page.get_by_test_id("sms-budget-used")).to_contain_text("/ 800 条")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    shot(page, "notices-sms-budget-care")
    check_a11y(page, "SMS budget, care mode")
    page.goto(stats_url)
    expect(page.get_by_test_id("sms-stats")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    shot(page, "notices-sms-stats-care")
    check_a11y(page, "notice stats with texts, care mode")
    assert no_violations_at_all(page) == []
