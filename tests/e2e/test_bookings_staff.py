"""Bookings and convenience services (预约管理, 便民服务) for staff in the browser, on a 375 px phone in care mode:
staff write a room's rules with a weekly schedule and open it for booking, book a slot at the desk for a
resident without a phone, see it in the day calendar, approve it and refuse a resident's own booking with a
reason; book a senior's haircut with the year of birth off her ID card; then staff add a provider with a private
licence photo and verify it."""
import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from PIL import Image
from playwright.sync_api import expect

from tests.e2e.conftest import DESK_PASSWORD, api_call, check_a11y, login_ui, new_staff, register_api, shot

BOOKINGS = "/communities/1/bookings"
TZ = ZoneInfo("Asia/Shanghai")
SMALL_PHONE = {"width": 375, "height": 812}


def licence_photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1000, 700), "lightsteelblue").save(out, "JPEG")
    return out.getvalue()


def next_slot(now: datetime) -> datetime:
    """The next slot of a schedule of 09:00–12:00 and 14:00–17:00 every day, in hours, a little ahead of now."""
    starts = [(now + timedelta(days=d)).replace(hour=h, minute=0, second=0, microsecond=0)
              for d in (0, 1) for h in (9, 10, 11, 14, 15, 16)]
    return next(t for t in starts if t > now + timedelta(minutes=2))


def care_desk(new_context, name: str):
    """A staff member of their own, logged in on a 375 px phone with care mode on."""
    page = new_context().new_page()
    page.set_viewport_size(SMALL_PHONE)
    login_ui(page, new_staff(page.context, name=name), DESK_PASSWORD)
    api_call(page.context, "PATCH", "/auth/me", {"care_mode": True})
    return page


def test_staff_open_a_room_book_at_the_desk_and_decide_bookings(new_context):
    walk_in = register_api(new_context(), "姜桂芳")  # has no phone of her own to book with
    resident = new_context()
    asker = register_api(resident, "潘志明")
    desk = care_desk(new_context, "罗晓梅")

    desk.goto("/staff")
    desk.get_by_test_id("staff-bookings").click()
    desk.wait_for_url("**/staff/1/bookings")
    expect(desk.locator(".van-skeleton")).to_have_count(0)
    check_a11y(desk, "staff resources, care mode")
    desk.get_by_test_id("new-resource").click()
    desk.wait_for_url("**/staff/1/bookings/resources/new")
    desk.get_by_test_id("resource-name").locator("input").fill("多功能活动室（预约测试）")
    desk.get_by_test_id("resource-facility").click()
    desk.locator(".van-action-sheet:visible").get_by_role("button", name=re.compile("^幸福里社区多功能活动室")).click()
    for day in ("tue", "wed", "thu", "fri", "sat", "sun"):  # every day like Monday: there is always a slot soon
        desk.get_by_test_id(f"day-{day}").get_by_test_id("same-as-monday").click()
    expect(desk.get_by_test_id("slots-preview")).to_contain_text("每周共 42 个时段")
    desk.get_by_test_id("rule-seats").locator("input").fill("2")
    # Check-in opens a day ahead, so the desk can mark an arrival whatever the hour the test runs.
    desk.get_by_test_id("rule-checkin_early_minutes").locator("input").fill("1440")
    desk.get_by_test_id("needs-approval").click()
    shot(desk, "bookings-staff-resource-edit-care")
    check_a11y(desk, "resource editor, care mode")
    desk.get_by_test_id("save-publish").click()
    desk.locator(".van-dialog__confirm").click()
    desk.wait_for_url(re.compile(r".*/staff/1/bookings/resources/\d+(\?.*)?$"))
    resource_id = int(re.search(r"/resources/(\d+)", desk.url).group(1))
    expect(desk.get_by_test_id("calendar-head")).to_have_attribute("data-status", "open")
    resource = api_call(desk.context, "GET", f"{BOOKINGS}/resources/{resource_id}")
    assert resource["needs_approval"] and resource["seats"] == 2
    assert resource["schedule"]["sun"] == [["09:00", "12:00"], ["14:00", "17:00"]]

    asked_at = (datetime.now(TZ) + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    api_call(resident, "POST", f"{BOOKINGS}/resources/{resource_id}/book", {"starts_at": asked_at.isoformat()})

    now = datetime.now(TZ)
    walk_in_at = next_slot(now)
    if walk_in_at.date() != now.date():
        desk.get_by_test_id("next").click()
    expect(desk.get_by_test_id("calendar-title")).to_contain_text(f"{walk_in_at.month}月{walk_in_at.day}日")
    walk_in_slot = desk.get_by_test_id(f"slot-{walk_in_at:%H:%M}")
    expect(walk_in_slot).to_have_attribute("data-state", "free")
    walk_in_slot.get_by_test_id("book-for").click()
    form = desk.get_by_test_id("desk-book")
    form.get_by_test_id("desk-resident").click()
    desk.get_by_test_id("desk-resident-search").locator("input").fill("姜桂芳")
    desk.locator(".residency-picker__row", has_text="姜桂芳").first.click()
    expect(form.get_by_test_id("desk-resident").locator("input")).to_have_value(re.compile("^姜桂芳 · "))
    shot(desk, "bookings-staff-desk-booking-care")
    check_a11y(desk, "desk booking, care mode")
    form.get_by_test_id("desk-submit").click()
    booked = walk_in_slot.locator("[data-test^=booking-]")
    expect(booked).to_contain_text("姜桂芳")
    expect(booked).to_have_attribute("data-status", "pending")
    expect(booked).to_contain_text("由 罗晓梅 代约")
    expect(desk.locator(".van-toast")).to_be_hidden()
    shot(desk, "bookings-staff-day-care")
    check_a11y(desk, "day calendar, care mode")

    desk.get_by_test_id("show-desk-code").click()
    code = desk.get_by_test_id("rotating-code")
    expect(code).to_have_attribute("data-token", re.compile(r".{8,}"))
    expect(code.locator("svg")).to_be_visible()
    expect(code).to_contain_text("多功能活动室（预约测试）")
    shot(desk, "bookings-staff-desk-code-care")
    check_a11y(desk, "desk check-in code, care mode")
    code.get_by_test_id("code-close").click()
    expect(code).to_be_hidden()

    desk.get_by_test_id("chip-week").click()
    expect(desk.get_by_test_id("week-grid")).to_be_visible()
    shot(desk, "bookings-staff-week-care")
    check_a11y(desk, "week calendar, care mode")

    desk.goto("/staff/1/bookings/approvals")
    pending = api_call(desk.context, "GET", f"{BOOKINGS}/approvals")
    mine = {b["user"]["name"]: b["id"] for b in pending}
    expect(desk.get_by_test_id(f"approval-{mine['潘志明']}")).to_be_visible()
    shot(desk, "bookings-staff-approvals-care")
    check_a11y(desk, "booking approvals, care mode")
    desk.get_by_test_id(f"approval-{mine['姜桂芳']}").get_by_test_id("approve").click()
    expect(desk.get_by_test_id(f"approval-{mine['姜桂芳']}")).to_be_hidden()
    card = desk.get_by_test_id(f"approval-{mine['潘志明']}")
    card.get_by_test_id("refuse").click()
    desk.get_by_test_id("reason").locator("textarea").fill("当天上午已安排社区议事会")
    desk.locator(".van-dialog__confirm").click()
    expect(card).to_be_hidden()

    decided = {name: api_call(desk.context, "GET", f"{BOOKINGS}/bookings/{i}") for name, i in mine.items()}
    assert decided["姜桂芳"]["status"] == "confirmed" and decided["姜桂芳"]["booked_by"]["name"] == "罗晓梅"
    assert decided["姜桂芳"]["user"]["id"] == walk_in["id"]
    assert (decided["潘志明"]["status"], decided["潘志明"]["reason"]) == ("refused", "当天上午已安排社区议事会")
    assert decided["潘志明"]["user"]["id"] == asker["id"]

    desk.goto(f"/staff/1/bookings/resources/{resource_id}?view=day&day={walk_in_at.date().isoformat()}")
    arrived = desk.get_by_test_id(f"booking-{mine['姜桂芳']}")
    expect(arrived).to_have_attribute("data-status", "confirmed")
    arrived.get_by_test_id("check-in").click()
    expect(arrived).to_have_attribute("data-status", "checked_in")
    assert api_call(desk.context, "GET", f"{BOOKINGS}/bookings/{mine['姜桂芳']}")["checked_in_at"]

    desk.goto("/staff/1/bookings/settings")
    expect(desk.get_by_test_id("booking-settings")).to_be_visible()
    shot(desk, "bookings-staff-settings-care")
    check_a11y(desk, "booking settings, care mode")

    desk.goto("/staff/1/bookings")
    card = desk.get_by_test_id(f"resource-{resource_id}")
    expect(card).to_have_attribute("data-status", "open")
    expect(card).to_contain_text("幸福里社区多功能活动室")
    card.scroll_into_view_if_needed()
    shot(desk, "bookings-staff-resources-care")


def test_staff_book_a_senior_at_the_desk_with_the_year_off_her_id_card(new_context):
    elder = new_context()
    register_api(elder, "韩秀兰")  # no year of birth recorded, and no phone to add it with
    desk = care_desk(new_context, "孙静")
    resources = api_call(desk.context, "GET", f"{BOOKINGS}/resources")
    haircut = next(r for r in resources if r["name"] == "理发日")  # the demo's, for seniors, on Wednesdays
    today = datetime.now(TZ).date()
    wednesday = today + timedelta(days=(2 - today.weekday()) % 7 or 7)
    desk.goto(f"/staff/1/bookings/resources/{haircut['id']}?view=day&day={wednesday.isoformat()}")
    desk.get_by_test_id("slot-10:00").get_by_test_id("book-for").click()
    form = desk.get_by_test_id("desk-book")
    form.get_by_test_id("desk-resident").click()
    desk.get_by_test_id("desk-resident-search").locator("input").fill("韩秀兰")
    desk.locator(".residency-picker__row", has_text="韩秀兰").first.click()
    form.get_by_test_id("desk-submit").click()
    expect(form.get_by_test_id("desk-problem")).to_contain_text("核对身份证")
    form.get_by_test_id("desk-birth-year").locator("input").fill("1948")
    shot(desk, "bookings-staff-desk-birth-year-care")
    check_a11y(desk, "desk booking with a year of birth, care mode")
    form.get_by_test_id("desk-submit").click()
    expect(desk.get_by_test_id("slot-10:00").locator("[data-test^=booking-]", has_text="韩秀兰")).to_be_visible()
    assert api_call(elder, "GET", "/auth/me")["birth_year"] == 1948


def test_staff_add_and_verify_a_provider(new_context):
    desk = care_desk(new_context, "邓丽华")
    desk.goto("/staff")
    desk.get_by_test_id("staff-services").click()
    desk.wait_for_url("**/staff/1/services")
    desk.get_by_test_id("new-provider").click()
    desk.wait_for_url("**/staff/1/services/new")
    desk.get_by_test_id("provider-name").locator("input").fill("巧手家电维修（测试）")
    desk.get_by_test_id("provider-category").select_option("repair")
    desk.get_by_test_id("provider-phone").locator("input").fill("0755-2666 8899")
    service = desk.get_by_test_id("service-0")
    service.get_by_test_id("service-name").locator("input").fill("空调清洗")
    service.get_by_test_id("price-from").locator("input").fill("80")
    service.get_by_test_id("price-to").locator("input").fill("120")
    desk.get_by_test_id("provider-licence").locator("input[type=file]").set_input_files(
        files=[{"name": "licence.jpg", "mimeType": "image/jpeg", "buffer": licence_photo()}])
    expect(desk.get_by_test_id("provider-licence").locator(".van-uploader__mask")).to_have_count(0)
    shot(desk, "services-staff-provider-new-care")
    check_a11y(desk, "provider editor, care mode")
    desk.get_by_test_id("provider-save").click()
    desk.wait_for_url(re.compile(r".*/staff/1/services/\d+$"))
    head = desk.get_by_test_id("provider-head")
    expect(head).to_have_attribute("data-status", "pending")
    head.get_by_test_id("verify").click()
    desk.locator(".van-dialog__confirm").click()
    expect(head).to_have_attribute("data-status", "verified")
    expect(head).to_contain_text("邓丽华")
    expect(desk.locator(".van-toast")).to_be_hidden()
    shot(desk, "services-staff-provider-verified-care")
    check_a11y(desk, "verified provider, care mode")
    provider_id = int(desk.url.rsplit("/", 1)[1])
    rater = new_context()
    register_api(rater, "何建国")
    rating = api_call(rater, "POST", f"/communities/1/providers/{provider_id}/ratings",
                      {"stars": 1, "text": "骗子！！！"})
    desk.reload()
    row = desk.get_by_test_id(f"rating-{rating['id']}")
    expect(row).to_contain_text("骗子")
    row.get_by_test_id("hide").click()
    desk.get_by_test_id("reason").locator("textarea").fill("含有辱骂内容")
    desk.locator(".van-dialog__confirm").click()
    expect(row).to_have_attribute("data-hidden", "true")
    expect(row).to_contain_text("隐藏原因：含有辱骂内容")
    expect(desk.locator(".van-toast")).to_be_hidden()
    row.scroll_into_view_if_needed()
    shot(desk, "services-staff-ratings-care")
    check_a11y(desk, "rating moderation, care mode")
    provider = api_call(desk.context, "GET", f"/communities/1/providers/{provider_id}")
    assert provider["status"] == "verified" and provider["licence_file_id"]
    prices = [(s["name"], float(s["price_from"]), float(s["price_to"])) for s in provider["services"]]
    assert prices == [("空调清洗", 80, 120)]

    desk.goto("/staff/1/services")
    desk.get_by_test_id("chip-verified").click()
    expect(desk.get_by_test_id(f"provider-{provider_id}")).to_have_attribute("data-status", "verified")
    shot(desk, "services-staff-providers-care")
    check_a11y(desk, "providers, care mode")
