"""Staff in care mode find a resident in the roster and remove the home they left: its notices go with it."""
from playwright.sync_api import expect

from tests.e2e.conftest import api_call, check_a11y, login_ui, new_staff, register_api, shot


def test_staff_remove_a_resident_who_moved_and_their_notices_go(new_context):
    resident = new_context()
    me = register_api(resident, "欧阳秀珍")
    assert api_call(resident, "GET", "/communities/1/notices")["items"]

    page = new_context().new_page()
    phone = new_staff(page.context, "周文静", "Roster-desk-2026", "网格员")
    page.goto("/login")
    page.get_by_test_id("care-toggle").click()
    expect(page.locator("html")).to_have_class("care")
    login_ui(page, phone, "Roster-desk-2026")
    page.goto("/staff")
    page.get_by_test_id("staff-residents").click()
    page.get_by_test_id("roster-search").locator("input").fill("欧阳秀珍")
    page.get_by_test_id("roster-search").locator("input").press("Enter")
    card = page.get_by_test_id(f"resident-{me['residencies'][0]['id']}")
    expect(card).to_be_visible()
    expect(page.locator("article.card")).to_have_count(1)
    shot(page, "care-staff-roster")
    check_a11y(page, "staff roster (care)")
    card.get_by_role("button", name="移出").click()
    expect(page.get_by_test_id("remove-reason").locator("input")).to_have_value("已搬离")
    page.locator(".van-dialog__confirm").click()
    expect(card).to_have_count(0)

    assert api_call(resident, "GET", "/communities/1/notices")["items"] == []
    home = api_call(resident, "GET", "/auth/me")["residencies"][0]
    assert (home["status"], home["reject_reason"]) == ("rejected", "已搬离")
