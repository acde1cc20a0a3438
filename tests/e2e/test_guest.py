"""A visitor without an account reads the public service guide and facilities."""
from playwright.sync_api import expect

from tests.e2e.conftest import check_a11y, facility_count, shot
from tests.e2e.test_guide import open_item_by_search


def test_a_visitor_browses_the_guide_and_facilities_without_an_account(page):
    page.goto("/login")
    page.get_by_test_id("browse").click()
    page.wait_for_url("**/browse")
    expect(page.locator("input[name=community]")).to_have_value("幸福里社区")  # the only community
    shot(page, "guest-browse")
    check_a11y(page, "browse without an account")
    page.get_by_test_id("browse-guide").click()
    page.wait_for_url("**/guide")
    open_item_by_search(page, "juzhuzheng", "居住证办理")
    expect(page.get_by_test_id("checklist")).to_be_visible()
    expect(page.get_by_test_id("feedback")).to_have_count(0)  # saying whether it helped needs an account
    check_a11y(page, "guide item, visitor")
    page.goto("/facilities")
    expect(page.locator(".facilities__card")).to_have_count(facility_count(page.context))
    page.goto("/notices")  # not public: the login page, and back to notices afterwards
    page.wait_for_url("**/login?redirect=/notices")


def test_a_visitor_who_has_not_chosen_a_community_is_asked_first(page):
    page.goto("/guide/items/1")
    page.wait_for_url("**/browse")
    page.get_by_test_id("browse-facilities").click()
    page.wait_for_url("**/facilities")
    expect(page.locator(".facilities__card").first).to_be_visible()


def test_a_visitor_can_turn_on_care_mode_before_looking_around(page):
    page.goto("/login")
    page.get_by_test_id("care-toggle").click()
    expect(page.locator("html")).to_have_class("care")
    page.get_by_test_id("browse").click()
    guide = page.get_by_test_id("browse-guide")
    assert guide.bounding_box()["height"] >= 48
    assert guide.locator(".van-cell__title").evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 20
    shot(page, "guest-browse-care")
    check_a11y(page, "browse without an account, care mode")
