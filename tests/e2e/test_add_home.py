"""A resident with an account adds another home: by a dwelling claim (pending) or an invite code (verified)."""
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DEMO_PASSWORD, INVITE_CODE, STAFF_PHONE, api_call, check_a11y, register_api, shot

MODES = {"zh": ("zh-CN", False), "en": ("en", False), "care": ("zh-CN", True)}


def open_add_home(page) -> None:
    page.goto("/me")
    page.get_by_test_id("add-home").click()
    page.wait_for_url("**/me/homes/new")
    # The community of the first home is chosen already.
    expect(page.locator("input[name=community]")).to_have_value("幸福里社区")


def pick_dwelling(page, building: str, unit: str, room: str) -> None:
    page.get_by_test_id("method-dwelling").click()
    page.locator("input[name=dwelling]").click()
    cascader = page.locator(".van-cascader")
    cascader.get_by_text(building, exact=True).click()
    cascader.get_by_text(unit, exact=True).click()
    cascader.get_by_text(room, exact=True).click()
    expect(page.locator("input[name=dwelling]")).to_have_value(f"{building} / {unit} / {room}")


def new_invite_code(context, not_for: int) -> tuple[str, str]:
    """A fresh household invite made by the demo staff member for a dwelling other than `not_for`:
    (code, dwelling label)."""
    api_call(context, "POST", "/auth/login", {"phone": STAFF_PHONE, "password": DEMO_PASSWORD})
    building = api_call(context, "GET", "/communities/1/buildings")[0]
    dwellings = api_call(context, "GET", f"/communities/1/buildings/{building['id']}/dwellings")
    dwelling = next(d for d in dwellings if d["id"] != not_for)
    invite = api_call(context, "POST", "/communities/1/invites", {"dwelling_id": dwelling["id"], "relation": "owner"})
    return invite["code"], invite["dwelling"]["label"]


def residency(page, label: str):
    return page.locator(".residency-cell", has_text=label)


def test_add_home_by_dwelling_claim_is_pending(page):
    register_api(page.context, "陈秀梅")
    open_add_home(page)
    pick_dwelling(page, "3栋", "1单元", "201")
    page.get_by_role("radio", name="家庭成员").click()
    page.get_by_role("button", name="提交").click()
    page.wait_for_url("**/me")
    expect(page.locator(".residency-cell")).to_have_count(2)
    added = residency(page, "3栋1单元201")
    expect(added).to_contain_text("家庭成员")
    expect(added.locator(".status-tag[data-status=pending]")).to_contain_text("待审核")
    expect(page.get_by_test_id("home-added")).to_contain_text("等待社区工作人员审核")


def test_add_home_by_invite_code_is_verified(new_context):
    page = new_context().new_page()
    me = register_api(page.context, "陈国强")
    code, label = new_invite_code(new_context(), not_for=me["residencies"][0]["dwelling"]["id"])
    open_add_home(page)
    page.locator("input[name=invite_code]").fill(code.lower())
    page.get_by_role("button", name="提交").click()
    page.wait_for_url("**/me")
    expect(residency(page, label).locator(".status-tag[data-status=verified]")).to_contain_text("已认证")
    expect(page.get_by_test_id("home-added")).to_contain_text("已添加并完成认证")


def test_add_home_checks_the_code_before_sending(page):
    register_api(page.context, "陈小芳")
    open_add_home(page)
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".van-field__error-message")).to_contain_text("请填写邀请码")
    page.locator("input[name=invite_code]").fill("NOPE1234")
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".van-field__error-message")).to_contain_text("邀请码无效")
    assert page.url.endswith("/me/homes/new")


def test_add_home_twice_says_so(page):
    register_api(page.context, "陈大伟")  # already lives where the demo invite code points
    open_add_home(page)
    page.locator("input[name=invite_code]").fill(INVITE_CODE)
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("form-error")).to_contain_text("您已经登记过这个住址了")


@pytest.mark.parametrize("mode", MODES)
def test_add_home_screens(page, mode):
    locale, care = MODES[mode]
    register_api(page.context, "林秀兰", care=care, locale=locale)
    open_add_home(page)
    expect(page.locator("html")).to_have_attribute("lang", locale)
    shot(page, f"{mode}-add-home")
    check_a11y(page, f"add home ({mode})")
    pick_dwelling(page, "3栋", "Unit 1" if mode == "en" else "1单元", "201")
    shot(page, f"{mode}-add-home-dwelling")
    check_a11y(page, f"add home, dwelling ({mode})")
    page.get_by_test_id("add-home-submit").click()
    page.wait_for_url("**/me")
    expect(residency(page, "3栋1单元201").locator(".status-tag[data-status=pending]")).to_be_visible()
    shot(page, f"{mode}-add-home-done")
    check_a11y(page, f"me after adding a home ({mode})")
