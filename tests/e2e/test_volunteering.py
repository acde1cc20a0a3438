"""Volunteering (志愿服务) in the browser: a resident in care mode registers as a volunteer; staff approve them,
write and publish an activity; the volunteer signs up, checks in by opening the rotating QR code's URL (as the
phone's own camera does) and checks out by typing what the code holds; staff approve the hours with an
adjustment and a reason; the volunteer sees the hours and points, issues a certificate, and anyone checks it."""
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.e2e.conftest import DESK_PASSWORD, api_call, check_a11y, login_ui, new_staff, register_api, shot

VOL = "/communities/1/volunteering"
TZ = ZoneInfo("Asia/Shanghai")


def local_input(moment: datetime) -> str:
    return moment.astimezone(TZ).strftime("%Y-%m-%dT%H:%M")


def current_token(desk, mode: str) -> str:
    """The token the full-screen code shows now (what the QR code's URL carries)."""
    code = desk.get_by_test_id("rotating-code")
    expect(code).to_have_attribute("data-mode", mode)
    expect(code).to_have_attribute("data-token", re.compile(r"\.\w\.\d+\."))
    expect(code.locator("svg")).to_be_visible()
    return code.get_attribute("data-token")


def test_volunteer_registers_signs_up_checks_in_and_out_and_earns_points(new_context):
    resident = new_context()
    register_api(resident, "韩素梅", care=True)
    page = resident.new_page()
    page.goto("/")
    page.get_by_test_id("tile-volunteer").click()
    page.wait_for_url("**/volunteer")
    expect(page.get_by_test_id("volunteer-status")).to_have_attribute("data-status", "none")
    shot(page, "volunteer-home-new-care")
    check_a11y(page, "volunteer home before registering, care mode")
    page.get_by_test_id("register").click()
    page.wait_for_url("**/volunteer/register")
    page.get_by_test_id("skill-1").click()
    page.get_by_test_id("slot-weekend_morning").click()
    page.locator("input[name=emergency_name]").fill("韩小军")
    page.locator("input[name=emergency_phone]").fill("13912345678")
    shot(page, "volunteer-register-care")
    check_a11y(page, "volunteer registration, care mode")
    page.get_by_test_id("volunteer-submit").click()
    page.wait_for_url(re.compile(r".*/volunteer$"))
    expect(page.get_by_test_id("volunteer-status")).to_have_attribute("data-status", "pending")
    me = api_call(resident, "GET", f"{VOL}/me")["volunteer"]

    desk = new_context().new_page()
    login_ui(desk, new_staff(desk.context, name="许志强"), DESK_PASSWORD)
    desk.goto("/staff")
    desk.get_by_test_id("staff-volunteers").click()
    desk.wait_for_url("**/staff/1/volunteers")
    card = desk.get_by_test_id(f"registration-{me['id']}")
    expect(card).to_contain_text("韩素梅")
    expect(card).to_contain_text("周末上午")
    shot(desk, "volunteer-staff-registrations")
    check_a11y(desk, "staff registrations")
    card.get_by_test_id("approve").click()
    expect(card).to_be_hidden()

    starts = datetime.now(TZ) + timedelta(minutes=30)
    desk.goto("/staff/1/activities")
    desk.get_by_test_id("new-activity").click()
    desk.wait_for_url("**/staff/1/activities/new")
    desk.get_by_test_id("activity-title").locator("input").fill("楼道清洁日（测试）")
    desk.get_by_test_id("activity-address").locator("input").fill("3号楼1单元")
    desk.get_by_test_id("starts-at").fill(local_input(starts))
    desk.get_by_test_id("ends-at").fill(local_input(starts + timedelta(hours=2)))
    shot(desk, "volunteer-staff-activity-edit")
    check_a11y(desk, "staff activity editor")
    desk.get_by_test_id("save-publish").click()
    desk.locator(".van-dialog__confirm").click()
    desk.wait_for_url(re.compile(r".*/staff/1/activities/\d+$"))
    activity_id = int(desk.url.rsplit("/", 1)[1])
    expect(desk.get_by_test_id("sheet-head")).to_have_attribute("data-status", "open")

    page.goto(f"/volunteer/activities/{activity_id}")
    expect(page.get_by_test_id("places")).to_contain_text("剩 10 个名额")
    shot(page, "volunteer-activity-care")
    check_a11y(page, "activity, care mode")
    page.get_by_test_id("signup").click()
    expect(page.get_by_test_id("signup-tag")).to_contain_text("已报名")
    expect(page.get_by_test_id("cancel-signup")).to_be_visible()

    desk.reload()
    expect(desk.get_by_test_id(f"sheet-{me['id']}")).to_contain_text("韩素梅")
    desk.get_by_test_id("show-checkin").click()
    token = current_token(desk, "in")
    shot(desk, "volunteer-staff-checkin-code")
    check_a11y(desk, "check-in code")
    page.goto(f"/volunteer/scan?t={token}&c=1")  # what the phone's camera opens
    expect(page.get_by_test_id("scan-result")).to_have_attribute("data-mode", "in")
    expect(page).to_have_url(re.compile(r".*/volunteer/scan$"))
    shot(page, "volunteer-scan-in-care")
    check_a11y(page, "checked in, care mode")

    desk.get_by_test_id("mode-out").click()
    token = current_token(desk, "out")
    page.get_by_test_id("scan-again").click()
    page.get_by_test_id("scanner-input").locator("input").fill(f"http://scanned.example/volunteer/scan?t={token}")
    shot(page, "volunteer-scan-manual-care")
    check_a11y(page, "scanner with manual entry, care mode")
    page.get_by_test_id("scanner-submit").click()
    expect(page.get_by_test_id("scan-result")).to_have_attribute("data-mode", "out")
    desk.get_by_test_id("code-close").click()

    desk.goto("/staff/1/volunteers/approvals")
    approval = desk.locator("[data-test^=approval-]", has_text="楼道清洁日（测试）")
    expect(approval).to_contain_text("韩素梅")
    approval.get_by_test_id("adjust").click()
    approval.get_by_test_id("adjust-minutes").locator("input").fill("120")
    approval.get_by_test_id("adjust-submit").click()  # other minutes without a reason: refused on the field
    expect(approval.get_by_test_id("adjust-reason")).to_contain_text("请写明原因")
    approval.get_by_test_id("adjust-reason").locator("textarea").fill("现场签到人手不够，按实际两小时计")
    expect(approval.get_by_test_id("adjust-reason")).not_to_contain_text("请写明原因")
    shot(desk, "volunteer-staff-approvals")
    check_a11y(desk, "staff approvals with an adjustment")
    approval.get_by_test_id("adjust-submit").click()
    expect(approval).to_be_hidden()

    page.goto("/volunteer/mine")
    row = page.get_by_test_id("history").locator(".van-cell", has_text="楼道清洁日（测试）")
    expect(row).to_contain_text("2 小时")
    expect(row).to_contain_text("+20 积分")
    shot(page, "volunteer-mine-care")
    check_a11y(page, "my sign-ups and history, care mode")
    page.goto("/volunteer")
    expect(page.get_by_test_id("points")).to_contain_text("20 分")
    # From 23:30 on New Year's Eve the activity (half an hour ahead) falls in the next year.
    this_year = "2 小时" if starts.year == datetime.now(TZ).year else "0 小时"
    expect(page.get_by_test_id("hours-this-year")).to_contain_text(this_year)
    shot(page, "volunteer-home-approved-care")
    check_a11y(page, "volunteer home with hours, care mode")

    page.get_by_test_id("vlink-certificate").click()
    page.wait_for_url("**/volunteer/certificate")
    if starts.date() != datetime.now(TZ).date():  # from 23:30 the activity is tomorrow, after "this year" ends today
        page.get_by_test_id("chip-custom").click()
        page.get_by_test_id("cert-from").fill(f"{starts.year}-01-01")
        page.get_by_test_id("cert-to").fill(starts.date().isoformat())
    page.get_by_test_id("cert-issue").click()
    expect(page.get_by_test_id("cert-hours")).to_contain_text("2 小时")
    code = page.get_by_test_id("cert-code").inner_text().strip()
    expect(page.locator(".van-toast")).to_be_hidden()
    shot(page, "volunteer-certificate-care")
    check_a11y(page, "certificate issued, care mode")
    pdf = resident.request.get(page.get_by_test_id("cert-pdf").get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    stranger = new_context().new_page()  # no account: an employer checking the certificate
    stranger.goto(f"/verify/{code}")
    valid = stranger.get_by_test_id("verify-valid")
    expect(valid).to_contain_text("韩*梅")
    expect(valid.get_by_test_id("verify-hours")).to_contain_text("2 小时")
    shot(stranger, "volunteer-verify")
    check_a11y(stranger, "public certificate check")
