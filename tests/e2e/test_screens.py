"""Every screen at 390×844 in Chinese, English and care mode: a screenshot to look at, and axe-core."""
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (
    DESK_PASSWORD,
    NEW_PASSWORD,
    api_call,
    check_a11y,
    login_ui,
    new_phone,
    new_staff,
    register_api,
    shot,
)

MODES = {"zh": ("zh-CN", False), "en": ("en", False), "care": ("zh-CN", True)}


def set_device_prefs(page, mode: str) -> None:
    locale, care = MODES[mode]
    page.goto("/login")
    # As if chosen on the login page's bar: a choice made on the device goes to the profile at login.
    page.evaluate("p => localStorage.setItem('cc:prefs', JSON.stringify(p))",
                  {"locale": locale, "care": care, "chosen": ["care", "locale"]})
    page.reload()


def look(page, mode: str, screen: str) -> None:
    page.wait_for_load_state("networkidle")
    expect(page.locator(".van-skeleton")).to_have_count(0)
    shot(page, f"{mode}-{screen}")
    check_a11y(page, f"{screen} ({mode})")


def claim_dwelling(context, name: str) -> dict:
    building = api_call(context, "GET", "/communities/1/buildings")[0]
    dwelling = api_call(context, "GET", f"/communities/1/buildings/{building['id']}/dwellings")[0]
    return api_call(context, "POST", "/auth/register", {
        "phone": new_phone(), "password": NEW_PASSWORD, "name": name, "community_id": 1,
        "dwelling_id": dwelling["id"], "relation": "owner"})


@pytest.mark.parametrize("mode", MODES)
def test_guest_screens(page, mode):
    set_device_prefs(page, mode)
    look(page, mode, "login")
    page.goto("/register")
    look(page, mode, "register-account")
    page.locator("input[name=phone]").fill(new_phone())
    page.locator("input[name=password]").fill(NEW_PASSWORD)
    page.locator("input[name=name]").fill("孙桂英")
    page.locator(".register button[type=submit]").first.click()
    look(page, mode, "register-home")
    page.get_by_test_id("method-dwelling").click()
    page.locator("input[name=dwelling]").click()
    page.locator(".van-cascader .van-cascader__option").first.click()
    page.wait_for_timeout(300)
    look(page, mode, "register-dwelling-picker")


@pytest.mark.parametrize("mode", MODES)
def test_resident_screens(new_context, mode):
    locale, care = MODES[mode]
    page = new_context().new_page()
    set_device_prefs(page, mode)
    register_api(page.context, "林秀兰", care=care, locale=locale)
    page.goto("/")
    look(page, mode, "home")
    page.goto("/me")
    look(page, mode, "me")
    page.goto("/me/password")
    look(page, mode, "password")

    pending = new_context().new_page()
    set_device_prefs(pending, mode)
    claim_dwelling(pending.context, "马志强")
    api_call(pending.context, "PATCH", "/auth/me", {"care_mode": care, "locale": locale})
    pending.goto("/")
    expect(pending.get_by_test_id("pending-banner")).to_be_visible()
    look(pending, mode, "home-pending")


@pytest.mark.parametrize("mode", MODES)
def test_staff_screens(page, mode, tmp_path):
    set_device_prefs(page, mode)
    login_ui(page, new_staff(page.context), DESK_PASSWORD)  # the mode chosen here goes to this staff's profile
    page.goto("/")
    look(page, mode, "staff-home")
    page.goto("/staff")
    look(page, mode, "staff")
    page.get_by_test_id("staff-pending").click()
    look(page, mode, "staff-pending")
    page.goto("/staff/1/invites")
    look(page, mode, "staff-invites")
    page.get_by_test_id("new-invite").click()
    look(page, mode, "staff-invite-new")
    page.goto("/staff/1/invites")
    page.locator("a.invite-code").first.click()
    expect(page.locator(".invite-sheet__qr svg")).to_be_visible()
    look(page, mode, "staff-invite-sheet")
    page.goto("/staff/1/import")
    bad = tmp_path / "dwellings.csv"
    bad.write_text("grid,building,unit,room,floor_area,owner_phone\n"
                   "第一网格,12栋,1,101,abc,\n第一网格,,1,102,90,12345\n", encoding="utf-8")
    page.get_by_test_id("csv-input").set_input_files(str(bad))
    page.locator(".page-actions button").click()
    expect(page.get_by_test_id("import-errors")).to_be_visible()
    look(page, mode, "staff-import-errors")
