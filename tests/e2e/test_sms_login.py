"""Logging in and setting a new password with a code texted to the phone, on a small phone in care mode. The
embedded run's console provider writes each text to the server's log, where the test reads the code."""
import re
import time

from playwright.sync_api import expect

from tests.e2e.conftest import api_call, check_a11y, register_api, shot

SMALL_PHONE = {"width": 375, "height": 812}


def texted_code(server_log, phone: str, after: int = 0, timeout: float = 10) -> str:
    """The newest code texted to this phone (one of more than `after` texts to it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        codes = re.findall(rf"SMS to {phone} \(\w+\): \D*(\d{{6}})", server_log.read_text(encoding="utf-8"))
        if len(codes) > after:
            return codes[-1]
        time.sleep(0.2)
    raise AssertionError(f"no code texted to {phone} in the server log")


def resident_logged_out(new_context, name: str) -> str:
    context = new_context()
    me = register_api(context, name)
    api_call(context, "POST", "/auth/logout")
    return me["phone"]


def assert_targets_44px(page, *locators) -> None:
    for locator in locators:
        box = locator.bounding_box()
        assert box and box["height"] >= 44 and box["width"] >= 44, box


def test_log_in_with_a_texted_code(new_context, server_log):
    phone = resident_logged_out(new_context, "钱淑珍")
    page = new_context().new_page()
    page.set_viewport_size(SMALL_PHONE)
    page.goto("/login")
    page.get_by_test_id("care-toggle").click()
    expect(page.locator("html")).to_have_class("care")
    page.get_by_role("button", name="验证码登录").click()
    page.locator("input[name=phone]").fill(phone)
    code_input = page.locator("input[name=code]")
    expect(code_input).to_have_attribute("autocomplete", "one-time-code")
    expect(code_input).to_have_attribute("inputmode", "numeric")
    send = page.get_by_test_id("sms-send")
    expect(send).to_have_text("获取验证码")
    send.click()
    expect(send).to_contain_text("秒后重发")
    expect(send).to_be_disabled()
    expect(page.get_by_test_id("sms-sent")).to_contain_text("验证码已发送")
    assert_targets_44px(page, send, page.get_by_role("button", name="密码登录"),
                        page.get_by_role("button", name="登录", exact=True))
    assert page.evaluate("() => document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
    code_input.fill(texted_code(server_log, phone))
    # All six digits are in sight beside the button, in care mode on a 375 px phone.
    assert code_input.evaluate("el => el.scrollWidth <= el.clientWidth")
    check_a11y(page, "sms login")
    shot(page, "sms-login-care-375")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_text("您好，钱淑珍")).to_be_visible()
    expect(page.locator("html")).to_have_class("care")  # chosen on this phone before logging in: kept


def test_a_wrong_code_says_so(new_context, server_log):
    phone = resident_logged_out(new_context, "孔繁荣")
    page = new_context().new_page()
    page.set_viewport_size(SMALL_PHONE)
    page.goto("/login")
    page.get_by_role("button", name="验证码登录").click()
    page.locator("input[name=phone]").fill(phone)
    page.get_by_test_id("sms-send").click()
    code = texted_code(server_log, phone)
    page.locator("input[name=code]").fill(f"{(int(code) + 1) % 10**6:06d}")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_test_id("form-error")).to_contain_text("验证码不正确或已过期")


def test_reset_the_password_with_a_texted_code(new_context, server_log):
    phone = resident_logged_out(new_context, "褚玉兰")
    page = new_context().new_page()
    page.set_viewport_size(SMALL_PHONE)
    page.goto("/login")
    page.get_by_test_id("care-toggle").click()
    page.locator("input[name=phone]").fill(phone)
    page.get_by_test_id("forgot").click()
    page.get_by_role("button", name="用短信验证码重置").click()
    expect(page.get_by_test_id("reset-how")).to_contain_text("手机号")
    expect(page.locator("input[name=phone]")).to_have_value(phone)
    page.get_by_test_id("sms-send").click()
    expect(page.get_by_test_id("sms-send")).to_contain_text("秒后重发")
    page.locator("input[name=code]").fill(texted_code(server_log, phone))
    page.locator("input[name=new_password]").fill("Garden-gate-2027")
    check_a11y(page, "sms reset")
    shot(page, "sms-reset-care-375")
    page.get_by_role("button", name="设置新密码并登录").click()
    expect(page.get_by_text("您好，褚玉兰")).to_be_visible()
    expect(page.locator("html")).to_have_class("care")
    other = new_context().new_page()
    other.goto("/login")
    other.locator("input[name=phone]").fill(phone)
    other.locator("input[name=password]").fill("Garden-gate-2027")
    other.locator("button[type=submit]").click()
    expect(other.get_by_text("您好，褚玉兰")).to_be_visible()
