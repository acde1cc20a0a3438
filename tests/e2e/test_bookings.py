"""Bookings (预约) and convenience services (便民服务) in the browser, on a 375 px phone in care mode: a resident
books a room's slot, finds it in 我的预约 and cancels it; a slot another household took shows 已满; the resident
opens 便民服务, a provider, calls it with one tap and rates it once this month."""
import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from PIL import Image
from playwright.sync_api import expect

from tests.e2e.conftest import DEMO_PASSWORD, DESK_PASSWORD, api_call, check_a11y, new_staff, register_api, shot

BOOK = "/communities/1/bookings"
PROV = "/communities/1/providers"
TZ = ZoneInfo("Asia/Shanghai")
NEIGHBOUR_PHONE = "13900000103"
SMALL_PHONE = {"width": 375, "height": 812}
EVERY_DAY = {day: [["09:00", "12:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def licence_photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), "lightblue").save(out, "JPEG")
    return out.getvalue()


def staff_context(new_context):
    desk = new_context()
    phone = new_staff(desk, name="温丽娟")
    api_call(desk, "POST", "/auth/login", {"phone": phone, "password": DESK_PASSWORD})
    return desk


def open_room(desk) -> dict:
    """A one-seat room bookable every morning, no waitlist: a taken slot is simply full."""
    room = api_call(desk, "POST", f"{BOOK}/resources", {
        "kind": "room", "name": "二楼活动室（预约测试）", "description": "可容纳 20 人，有投影",
        "facility_id": None, "at_home": False, "provider_service_id": None, "schedule": EVERY_DAY,
        "slot_minutes": 60, "buffer_minutes": 0, "seats": 1, "max_seats_per_booking": 1, "blackouts": [],
        "advance_days": 7, "min_notice_minutes": 60, "cancel_cutoff_minutes": 120, "week_quota": None,
        "month_quota": None, "needs_approval": False, "eligibility": "residents", "waitlist": False,
        "checkin_early_minutes": 15, "no_show_minutes": 15, "photos": []})
    return api_call(desk, "POST", f"{BOOK}/resources/{room['id']}/publish")


def verified_provider(desk) -> dict:
    request = desk.request
    token = next(c["value"] for c in desk.cookies() if c["name"] == "csrf_token")
    res = request.post("/api/v1/communities/1/files", headers={"X-CSRF-Token": token}, multipart={
        "purpose": "provider_licence",
        "file": {"name": "licence.jpg", "mimeType": "image/jpeg", "buffer": licence_photo()}})
    assert res.ok, res.text()
    provider = api_call(desk, "POST", f"{PROV}/", {
        "name": "邻里家政服务部（测试）", "category": "housekeeping", "description": "日常保洁、擦玻璃、做饭",
        "phone": "0755-2660 1234", "address": "幸福路 18 号", "service_area": "本社区及周边 3 公里",
        "hours": {day: [["08:00", "20:00"]] for day in EVERY_DAY}, "licence_file_id": res.json()["id"],
        "services": [{"name": "日常保洁", "price_from": 40, "price_to": 60, "unit": "小时"},
                     {"name": "擦玻璃", "price_from": 80, "price_to": None, "unit": "次"}]})
    return api_call(desk, "POST", f"{PROV}/{provider['id']}/verify")


def look(page, name: str, screen: str) -> None:
    shot(page, name)
    check_a11y(page, screen)


def test_resident_books_sees_full_slot_cancels_and_rates_a_service(new_context):
    desk = staff_context(new_context)
    room = open_room(desk)
    provider = verified_provider(desk)
    tomorrow = (datetime.now(TZ) + timedelta(days=1)).date()
    ten = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 10, tzinfo=TZ)

    neighbour = new_context()  # a seeded resident of another household
    api_call(neighbour, "POST", "/auth/login", {"phone": NEIGHBOUR_PHONE, "password": DEMO_PASSWORD})
    api_call(neighbour, "POST", f"{BOOK}/resources/{room['id']}/book", {"starts_at": ten.isoformat()})

    resident = new_context()
    register_api(resident, "沈玉珍", care=True)
    page = resident.new_page()
    page.set_viewport_size(SMALL_PHONE)
    page.goto("/")
    page.get_by_test_id("tile-bookings").click()
    page.wait_for_url("**/bookings")
    card = page.get_by_test_id(f"resource-{room['id']}")
    expect(card).to_contain_text("二楼活动室")
    expect(card.get_by_test_id("next-free")).to_contain_text("最近可约")
    look(page, "bookings-home-care", "bookings home, care mode")

    card.click()
    page.wait_for_url(f"**/bookings/r/{room['id']}")
    page.get_by_test_id(f"day-{tomorrow.isoformat()}").click()
    full = page.get_by_test_id("slot-1000")
    expect(full).to_have_attribute("data-state", "full")
    expect(full).to_contain_text("已满")
    expect(full).to_be_disabled()
    free = page.get_by_test_id("slot-1100")
    expect(free).to_have_attribute("data-state", "free")
    expect(free).to_contain_text("余 1 位")
    look(page, "bookings-resource-care", "resource day and slots, care mode")

    free.click()
    sheet = page.get_by_test_id("book-sheet")
    expect(sheet.get_by_test_id("sheet-when")).to_contain_text("11:00–12:00")
    sheet.get_by_test_id("sheet-note").locator("input").fill("老年合唱队排练")
    look(page, "bookings-confirm-care", "confirm sheet, care mode")
    sheet.get_by_test_id("book-submit").click()
    page.wait_for_url("**/bookings/mine")
    booking = page.locator("[data-test^=booking-]", has_text="二楼活动室")
    expect(booking).to_have_attribute("data-status", "confirmed")
    expect(booking.get_by_test_id("booking-status")).to_contain_text("已预约")
    expect(booking).to_contain_text("11:00–12:00")
    expect(booking.get_by_test_id("cancel-until")).to_be_visible()
    expect(page.locator(".van-toast")).to_be_hidden()
    look(page, "bookings-mine-care", "my bookings, care mode")

    # Back on the grid, the slot is ours.
    page.goto(f"/bookings/r/{room['id']}")
    page.get_by_test_id(f"day-{tomorrow.isoformat()}").click()
    expect(page.get_by_test_id("slot-1100")).to_have_attribute("data-state", "mine")

    page.goto("/bookings/mine")
    booking.get_by_test_id("cancel-booking").click()
    page.locator(".van-dialog__confirm").click()
    expect(booking).to_have_attribute("data-status", "cancelled")
    expect(booking.get_by_test_id("booking-status")).to_contain_text("已取消")
    expect(booking.get_by_test_id("cancel-booking")).to_have_count(0)
    expect(page.locator(".van-toast")).to_be_hidden()
    look(page, "bookings-cancelled-care", "a cancelled booking, care mode")
    page.get_by_test_id("chip-past").click()
    expect(page.get_by_test_id("chip-past")).to_have_attribute("aria-pressed", "true")
    look(page, "bookings-past-care", "past bookings, care mode")

    page.goto("/bookings/scan")
    expect(page.get_by_test_id("scanner-input")).to_be_visible()
    look(page, "bookings-scan-care", "booking check-in scanner, care mode")

    page.goto("/")
    page.get_by_test_id("tile-services").click()
    page.wait_for_url("**/services")
    item = page.get_by_test_id(f"provider-{provider['id']}")
    expect(item).to_contain_text("邻里家政服务部")
    expect(item).to_contain_text("40 元起")
    expect(item.get_by_test_id("call")).to_have_attribute("href", "tel:075526601234")
    expect(page.get_by_test_id("cat-housekeeping")).to_contain_text(re.compile(r"家政 \d+"))
    look(page, "services-list-care", "services list, care mode")

    item.locator("a").first.click()
    page.wait_for_url(f"**/services/{provider['id']}")
    expect(page.get_by_test_id("services-list")).to_contain_text("40–60 元/小时")
    expect(page.get_by_test_id("phone")).to_contain_text("0755-26601234")
    expect(page.get_by_test_id("rating")).to_contain_text("暂无评价")
    look(page, "services-provider-care", "provider, care mode")
    form = page.get_by_test_id("rate-form")
    form.get_by_test_id("star-5").click()
    form.get_by_test_id("rating-text").locator("textarea").fill("阿姨很细心，准时上门")
    form.get_by_test_id("rating-submit").click()
    expect(form.get_by_test_id("rated-this-month")).to_contain_text("本月已评价")
    expect(page.get_by_test_id("rating")).to_contain_text("5 分 · 1 条评价")
    expect(page.get_by_test_id("ratings")).to_contain_text("阿姨很细心")
    expect(page.locator(".van-toast")).to_be_hidden()
    look(page, "services-rated-care", "provider rated, care mode")

    form.get_by_test_id("edit-rating").click()
    form.get_by_test_id("star-4").click()
    form.get_by_test_id("rating-submit").click()
    expect(page.get_by_test_id("rating")).to_contain_text("4 分 · 1 条评价")
