"""The administrator's screens in the browser: a new community, its first staff member appointed, that
account found and disabled (it can no longer log in), then removed from the staff, in Chinese, in care mode and in
English."""
import itertools

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (
    ADMIN_PHONE,
    DEMO_PASSWORD,
    NEW_PASSWORD,
    api_call,
    check_a11y,
    login_ui,
    new_phone,
    serve_app,
    shot,
)

_n = itertools.count(1)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    """A server of its own: the other browser tests expect the demo community to be the only one."""
    with serve_app(tmp_path_factory.mktemp("e2e-admin")) as url:
        yield url


def test_admin_creates_a_community_appoints_staff_and_disables_an_account(new_context):
    ctx = new_context()
    page = ctx.new_page()
    login_ui(page, ADMIN_PHONE)
    entry = page.get_by_test_id("admin-entry")
    expect(entry).to_be_visible()
    entry.get_by_text("社区管理").click()
    page.wait_for_url("**/admin")
    expect(page.get_by_test_id("admin-community").first).to_be_visible()
    check_a11y(page, "admin communities")
    shot(page, "admin-communities")

    name = f"新城社区{next(_n)}{new_phone()[-4:]}"
    page.get_by_test_id("admin-new-community").click()
    page.wait_for_url("**/admin/communities/new")
    page.get_by_test_id("community-save").click()
    expect(page.get_by_text("请填写社区名称")).to_be_visible()
    page.locator("input[name=name]").fill(name)
    page.locator("input[name=district]").fill("南山区")
    page.locator("input[name=street]").fill("桃源街道")
    page.get_by_test_id("community-save").click()
    page.wait_for_url("**/admin/communities/*/staff")
    cid = page.url.rstrip("/").split("/")[-2]

    phone = new_phone()
    page.get_by_test_id("appoint-phone").locator("input").fill(phone)
    page.locator("input[name=title]").fill("网格员")
    page.get_by_test_id("appoint-submit").click()
    expect(page.locator(".van-field__error-message").first).to_be_visible()  # a new phone needs a name
    page.locator("input[name=name]").fill("吴晓梅")
    page.locator("input[name=password]").fill(NEW_PASSWORD)
    page.get_by_test_id("appoint-submit").click()
    expect(page.get_by_test_id("staff-member")).to_contain_text("吴晓梅")
    check_a11y(page, "admin community staff")
    shot(page, "admin-staff")

    page.goto(f"/admin/communities/{cid}")
    expect(page.locator("input[name=name]")).to_have_value(name)
    page.locator("input[name=street]").fill("粤海街道")
    page.get_by_test_id("community-save").click()
    page.wait_for_url("**/admin")
    expect(page.get_by_test_id("admin-community").filter(has_text=name)).to_contain_text("粤海街道")

    page.goto("/admin/users")
    search = page.get_by_test_id("user-search").locator("input")
    search.fill(phone)
    search.press("Enter")
    row = page.get_by_test_id("admin-user").filter(has_text=phone)
    expect(page.get_by_test_id("admin-user")).to_have_count(1)
    expect(row).to_contain_text(f"{name}·工作人员")
    row.get_by_test_id("user-active").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("吴晓梅")
    check_a11y(page, "disable confirm")
    shot(page, "admin-disable-confirm")
    dialog.get_by_role("button", name="停用").click()
    expect(row).to_contain_text("已停用")
    check_a11y(page, "admin users")
    shot(page, "admin-users")

    other = new_context()
    res = other.request.post("/api/v1/auth/login", data={"phone": phone, "password": NEW_PASSWORD},
                             headers={"X-CSRF-Token": "x"})
    assert res.status >= 400

    page.goto(f"/admin/communities/{cid}/staff")  # she leaves the job: the role goes, the account stays
    page.get_by_test_id("staff-member").filter(has_text="吴晓梅").get_by_test_id("staff-remove").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("吴晓梅")
    shot(page, "admin-staff-remove-confirm")
    dialog.get_by_role("button", name="移除").click()
    expect(page.get_by_text("还没有工作人员")).to_be_visible()


def test_admin_screens_in_care_mode_and_english(new_context):
    ctx = new_context()
    page = ctx.new_page()
    login_ui(page, ADMIN_PHONE)
    api_call(ctx, "PATCH", "/auth/me", {"care_mode": True})
    try:
        page.goto("/admin/users")
        expect(page.get_by_test_id("admin-user").first).to_be_visible()
        check_a11y(page, "admin users (care mode)")
        shot(page, "admin-users-care")
        page.goto("/admin/communities/1/staff")
        expect(page.get_by_test_id("staff-member").first).to_be_visible()
        check_a11y(page, "admin staff (care mode)")
        shot(page, "admin-staff-care")
        api_call(ctx, "PATCH", "/auth/me", {"care_mode": False, "locale": "en"})
        page.goto("/admin")
        expect(page.get_by_test_id("admin-new-community")).to_contain_text("New community")
        shot(page, "admin-communities-en")
    finally:
        api_call(ctx, "PATCH", "/auth/me", {"care_mode": False, "locale": "zh-CN"})


def test_staff_who_are_not_administrators_are_sent_home(new_context):
    ctx = new_context()
    page = ctx.new_page()
    login_ui(page, "13800000001", DEMO_PASSWORD)  # staff, not an administrator
    page.goto("/admin/users")
    page.wait_for_url(lambda url: "/admin" not in url)
    expect(page.get_by_test_id("admin-entry")).to_have_count(0)
