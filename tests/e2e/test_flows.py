"""The resident and staff journeys through the real app."""
from playwright.sync_api import expect

from tests.e2e.conftest import (
    DEMO_PASSWORD,
    DESK_PASSWORD,
    INVITE_CODE,
    NEW_PASSWORD,
    STAFF_PHONE,
    api_call,
    check_a11y,
    login_ui,
    new_phone,
    new_staff,
    register_api,
)


def fill_account(page, phone: str, name: str) -> None:
    page.goto("/register")
    page.locator("input[name=phone]").fill(phone)
    page.locator("input[name=password]").fill(NEW_PASSWORD)
    page.locator("input[name=name]").fill(name)
    expect(page.locator("input[name=community]")).to_have_value("幸福里社区")
    page.get_by_role("button", name="下一步").click()


def test_register_with_invite_code_lands_verified(page):
    fill_account(page, new_phone(), "孙桂英")
    page.locator("input[name=invite_code]").fill(INVITE_CODE.lower())
    page.get_by_role("button", name="注册", exact=True).click()
    page.wait_for_url("**/")
    expect(page.get_by_text("您好，孙桂英")).to_be_visible()
    expect(page.locator(".status-tag[data-status=verified]")).to_contain_text("已认证")
    expect(page.get_by_test_id("pending-banner")).to_have_count(0)
    check_a11y(page, "home (verified)")


def test_register_checks_fields_before_sending(page):
    page.goto("/register")
    page.locator("input[name=phone]").fill("12345")
    page.locator("input[name=password]").fill("short")
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_text("请输入正确的11位手机号")).to_be_visible()
    expect(page.get_by_text("密码至少8位")).to_be_visible()
    expect(page.get_by_text("请填写姓名")).to_be_visible()


def test_register_with_bad_invite_code_shows_field_error(page):
    fill_account(page, new_phone(), "钱多多")
    page.locator("input[name=invite_code]").fill("NOPE1234")
    page.get_by_role("button", name="注册", exact=True).click()
    expect(page.locator(".van-field__error-message")).to_contain_text("邀请码无效或已过期")
    expect(page.get_by_text("邀请码无效或已过期")).to_have_count(1)  # beside the field, not again below


def test_dwelling_claim_verified_by_staff(new_context):
    resident = new_context().new_page()
    fill_account(resident, new_phone(), "周建华")
    resident.get_by_text("选择我的房屋").click()
    resident.locator("input[name=dwelling]").click()
    cascader = resident.locator(".van-cascader")
    cascader.get_by_text("10栋", exact=True).click()
    cascader.get_by_text("2单元", exact=True).click()
    cascader.get_by_text("502", exact=True).click()
    expect(resident.locator("input[name=dwelling]")).to_have_value("10栋 / 2单元 / 502")
    resident.get_by_role("radio", name="租户").click()
    resident.get_by_role("button", name="注册", exact=True).click()
    resident.wait_for_url("**/")
    expect(resident.get_by_test_id("pending-banner")).to_be_visible()
    expect(resident.locator(".status-tag[data-status=pending]")).to_contain_text("待审核")

    staff = new_context().new_page()
    login_ui(staff, STAFF_PHONE)
    staff.goto("/staff")
    staff.get_by_test_id("staff-pending").click()
    card = staff.locator("article.card", has_text="周建华")
    expect(card).to_contain_text("10栋2单元502")
    card.get_by_role("button", name="通过").click()
    expect(card).to_have_count(0)

    resident.reload()
    expect(resident.locator(".status-tag[data-status=verified]")).to_contain_text("已认证")
    expect(resident.get_by_test_id("pending-banner")).to_have_count(0)


def test_staff_rejects_with_reason_and_resident_sees_it(new_context):
    ctx = new_context()
    resident = ctx.new_page()
    fill_account(resident, new_phone(), "吴海燕")
    resident.get_by_text("选择我的房屋").click()
    resident.locator("input[name=dwelling]").click()
    cascader = resident.locator(".van-cascader")
    cascader.get_by_text("9栋", exact=True).click()
    cascader.get_by_text("1单元", exact=True).click()
    cascader.get_by_text("101", exact=True).click()
    resident.get_by_role("button", name="注册", exact=True).click()
    resident.wait_for_url("**/")

    staff = new_context().new_page()
    login_ui(staff, STAFF_PHONE)
    staff.goto("/staff")
    staff.get_by_test_id("staff-pending").click()
    staff.locator("article.card", has_text="吴海燕").get_by_role("button", name="驳回").click()
    staff.get_by_test_id("reject-reason").locator("textarea").fill("房号与登记信息不符")
    staff.locator(".van-dialog").get_by_role("button", name="驳回").click()
    expect(staff.locator("article.card", has_text="吴海燕")).to_have_count(0)

    resident.reload()
    expect(resident.get_by_test_id("rejected-banner")).to_contain_text("房号与登记信息不符")
    expect(resident.locator(".status-tag[data-status=rejected]")).to_contain_text("未通过")


def test_wrong_password_shows_the_error(page):
    page.goto("/login")
    page.locator("input[name=phone]").fill(STAFF_PHONE)
    page.locator("input[name=password]").fill("wrong-password")
    toggle = page.get_by_role("button", name="显示密码")
    toggle.click()  # a mistyped password can be seen before sending it again
    expect(page.locator("input[name=password]")).to_have_attribute("type", "text")
    expect(page.get_by_role("button", name="隐藏密码")).to_have_attribute("aria-pressed", "true")
    page.locator("button[type=submit]").click()
    expect(page.get_by_test_id("form-error")).to_contain_text("手机号或密码不正确")
    assert "/login" in page.url


def test_a_toast_is_announced_as_a_status_and_passes_axe(page):
    register_api(page.context, "冯国平")
    page.goto("/me/password")
    page.locator("input[name=current_password]").fill(NEW_PASSWORD)
    page.locator("input[name=new_password]").fill("new-password-2026")
    page.locator("input[name=repeat]").fill("new-password-2026")
    page.locator("button[type=submit]").click()
    toast = page.locator(".van-toast")
    expect(toast).to_be_visible()
    expect(toast).to_have_attribute("role", "status")
    expect(toast).to_have_attribute("aria-live", "polite")
    check_a11y(page, "password changed, toast on screen")


def test_login_returns_to_the_page_asked_for(page):
    page.goto("/me/password")
    page.wait_for_url("**/login?redirect=**")
    page.locator("input[name=phone]").fill(STAFF_PHONE)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url("**/me/password")


def font_size(page, selector: str) -> float:
    return page.locator(selector).first.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")


def test_care_mode_enlarges_text_and_targets(page):
    register_api(page.context, "郑淑珍")
    page.goto("/me")
    title = ".van-cell__title"
    normal = font_size(page, title)
    assert normal < 20
    page.get_by_test_id("care-switch").click()
    expect(page.locator("html")).to_have_class("care")
    assert font_size(page, title) >= 20
    assert font_size(page, "body") >= 20
    # Stored in the profile and applied before the app's own code runs on the next load.
    page.reload(wait_until="commit")
    page.wait_for_selector("html.care", state="attached")
    page.wait_for_selector(title)
    assert font_size(page, title) >= 20
    for selector in ("[data-test=logout]", ".van-tabbar-item", ".van-nav-bar"):
        box = page.locator(selector).first.bounding_box()
        assert box and box["height"] >= 48, selector
    page.goto("/")
    assert page.locator(".van-grid-item").first.bounding_box()["width"] > 150  # two tiles a row


def test_language_switch(page):
    register_api(page.context, "冯晓东")
    page.goto("/me")
    page.get_by_test_id("language-cell").click()
    page.locator(".van-action-sheet").get_by_text("English").click()
    expect(page.locator(".van-tabbar")).to_contain_text("Home")
    expect(page.locator(".van-tabbar")).to_contain_text("Me")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.reload()
    expect(page.get_by_text("Care mode", exact=True)).to_be_visible()
    page.goto("/")
    expect(page.get_by_text("Hello, 冯晓东")).to_be_visible()


def test_language_and_care_mode_chosen_before_login_are_kept(page, new_context):
    phone = new_staff(new_context(), "卫建华")  # this test changes the profile: one of its own
    page.goto("/login")
    page.get_by_test_id("locale-toggle").click()
    page.get_by_test_id("care-toggle").click()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    login_ui(page, phone, DESK_PASSWORD)
    expect(page.get_by_text("Hello, 卫建华")).to_be_visible()
    expect(page.locator("html")).to_have_class("care")


def test_care_mode_of_the_profile_comes_to_a_new_phone(page, new_context):
    phone = new_staff(new_context(), "卫秀英")
    first = new_context().new_page()
    first.goto("/login")
    first.get_by_test_id("care-toggle").click()
    login_ui(first, phone, DESK_PASSWORD)
    expect(first.locator("html")).to_have_class("care")
    login_ui(page, phone, DESK_PASSWORD)  # another phone, nothing chosen on it
    expect(page.get_by_text("您好，卫秀英")).to_be_visible()
    expect(page.locator("html")).to_have_class("care")


def test_staff_invite_code_shown_large_with_qr_then_revoked(page):
    login_ui(page, STAFF_PHONE)
    page.goto("/staff")
    page.get_by_test_id("staff-invites").click()
    page.get_by_test_id("new-invite").click()
    page.locator(".invite-form input[name=dwelling]").click()
    cascader = page.locator(".van-cascader")
    cascader.get_by_text("3栋", exact=True).click()
    cascader.get_by_text("1单元", exact=True).click()
    cascader.get_by_text("201", exact=True).click()
    page.locator(".invite-form").get_by_role("button", name="生成").click()
    page.wait_for_url("**/invites/*")
    code = page.get_by_test_id("invite-code")
    expect(code).to_be_visible()
    assert font_size(page, "[data-test=invite-code]") >= 40
    expect(page.locator(".invite-sheet__qr svg")).to_be_visible()
    value = code.inner_text()
    page.go_back()
    card = page.locator("article.card", has_text=value)
    card.get_by_role("button", name="作废").click()
    page.locator(".van-dialog").get_by_role("button", name="作废").click()
    expect(card).to_contain_text("已失效")


def test_staff_csv_import_reports_bad_rows(page, tmp_path):
    login_ui(page, STAFF_PHONE)
    page.goto("/staff/1/import")
    bad = tmp_path / "bad.csv"
    bad.write_text("grid,building,unit,room,floor_area,owner_phone\n"
                   "第一网格,11栋,1,101,88.5,\n"
                   "第一网格,,1,102,abc,\n", encoding="utf-8")
    page.get_by_test_id("csv-input").set_input_files(str(bad))
    page.get_by_role("button", name="开始导入").click()
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("第 3 行")
    expect(errors).not_to_contain_text("第 2 行")
    good = tmp_path / "good.csv"
    good.write_text("grid,building,unit,room,floor_area,owner_phone\n第一网格,11栋,1,101,88.5,\n", encoding="utf-8")
    page.get_by_test_id("csv-input").set_input_files(str(good))
    page.get_by_role("button", name="开始导入").click()
    expect(page.get_by_test_id("import-result")).to_contain_text("新增房屋")


def test_residents_do_not_see_the_staff_area(page):
    register_api(page.context, "何德明")
    page.goto("/")
    expect(page.get_by_test_id("tile-me")).to_be_visible()
    expect(page.get_by_test_id("tile-staff")).to_have_count(0)
    page.goto("/staff")
    page.wait_for_url(lambda url: url.endswith("/"))


def test_a_forgotten_password_comes_back_through_the_desk(new_context):
    """Staff check the person at the desk and read out a code; with it the resident sets a new password on
    their phone and is logged in, in the care mode of their profile."""
    resident = new_context()
    me = register_api(resident, "孙桂兰", care=True)
    api_call(resident, "POST", "/auth/logout")
    desk = new_context().new_page()
    login_ui(desk, new_staff(desk.context, "马建军"), DESK_PASSWORD)
    desk.goto("/staff/1/residents")
    desk.get_by_test_id("roster-search").locator("input").fill("孙桂兰")
    desk.keyboard.press("Enter")
    desk.locator(".card", has_text="孙桂兰").get_by_test_id("reset-password").click()
    desk.get_by_role("dialog").get_by_role("button", name="重置密码").click()
    code = desk.get_by_test_id("reset-code").inner_text().replace(" ", "")
    assert len(code) == 8 and code.isdigit()
    check_a11y(desk, "reset code shown to staff")

    phone = resident.new_page()
    phone.goto("/login")
    phone.locator("input[name=phone]").fill(me["phone"])
    phone.get_by_test_id("forgot").click()
    expect(phone.get_by_test_id("reset-how")).to_contain_text("身份证")
    expect(phone.locator("input[name=phone]")).to_have_value(me["phone"])
    phone.locator("input[name=code]").fill(code)
    phone.locator("input[name=new_password]").fill("Garden-gate-2027")
    check_a11y(phone, "reset password")
    phone.get_by_role("button", name="设置新密码并登录").click()
    expect(phone.get_by_text("您好，孙桂兰")).to_be_visible()
    expect(phone.locator("html")).to_have_class("care")
