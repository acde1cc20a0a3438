"""The staff directory in the browser: an elderly resident in care mode finds who is on duty and calls them;
staff add a Saturday duty day in the roster editor and the resident's card shows it."""
import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from PIL import Image
from playwright.sync_api import expect

from tests.e2e.conftest import (
    DESK_PASSWORD,
    api_call,
    check_a11y,
    login_ui,
    new_staff,
    register_api,
    shot,
)

CONTACTS = "/communities/1/contacts"


def on_call_contact(staff) -> dict:
    """A profile on duty around the clock, so what the resident sees does not depend on the hour."""
    made = api_call(staff, "POST", f"{CONTACTS}/manage", {
        "name": "赵春梅", "position": "member", "title": "社区值班委员", "handles": "夜间值守、紧急求助、独居老人关怀",
        "tags": ["夜间值守", "紧急求助"], "work_phone": "0755-26601099"})
    api_call(staff, "PUT", f"{CONTACTS}/manage/{made['id']}/roster",
             {"week": [{"weekday": d, "start": "00:00", "end": "24:00"} for d in range(7)], "exceptions": []})
    return made


def off_duty_contact(staff, name: str, position: str, phone: str) -> dict:
    """A profile with an empty week, never on duty: its position's group shows whatever the hour
    (at 10:00 on a weekday every demo grid worker and the secretary are on duty, under 正在值班)."""
    made = api_call(staff, "POST", f"{CONTACTS}/manage", {
        "name": name, "position": position, "title": "社区工作人员", "work_phone": phone})
    api_call(staff, "PUT", f"{CONTACTS}/manage/{made['id']}/roster", {"week": [], "exceptions": []})
    return made


def next_saturday() -> str:
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    return (today + timedelta(days=(5 - today.weekday()) % 7 or 7)).isoformat()


def portrait() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (600, 800), "lightsteelblue").save(out, "JPEG")
    return out.getvalue()


def test_resident_in_care_mode_finds_who_is_on_duty_and_calls(new_context):
    staff = new_context()
    login_ui(staff.new_page(), new_staff(staff), DESK_PASSWORD)
    contact = on_call_contact(staff)
    resting = off_duty_contact(staff, "钱立新", "grid_worker", "0755-26601098")
    resident = new_context()
    register_api(resident, "冯桂兰", care=True)
    page = resident.new_page()

    page.goto("/")
    expect(page.locator("html")).to_have_class("care")
    workers = page.get_by_test_id("my-grid-workers")
    mine = api_call(resident, "GET", f"{CONTACTS}/my-grid-workers")["items"]
    assert mine, "the demo invite's home is in a grid with a grid worker"
    expect(workers.get_by_test_id("contact-link")).to_have_count(len(mine))
    expect(workers).to_contain_text(mine[0]["name"])
    expect(workers.get_by_test_id("call").first).to_have_attribute("href", re.compile(r"^tel:\d+$"))
    workers.scroll_into_view_if_needed()
    shot(page, "contacts-home-care")
    check_a11y(page, "home with my grid worker, care mode")
    page.get_by_test_id("tile-contacts").click()
    page.wait_for_url("**/contacts")

    on_duty = page.get_by_test_id("group-on_duty")
    expect(on_duty).to_contain_text("正在值班")
    row = on_duty.get_by_test_id(f"contact-{contact['id']}")
    expect(row).to_contain_text("值班中")
    expect(row).to_contain_text("今天：00:00–24:00")
    expect(row.get_by_test_id("call")).to_have_attribute("href", "tel:075526601099")
    resting_row = page.get_by_test_id("group-grid_worker").get_by_test_id(f"contact-{resting['id']}")
    expect(resting_row).to_contain_text("今天：休息")
    shot(page, "contacts-list-care")
    check_a11y(page, "contacts list, care mode")

    page.get_by_test_id("chip-party").click()
    expect(page.get_by_test_id(f"contact-{contact['id']}")).to_have_count(0)
    expect(page.get_by_test_id("group-lawyer")).to_be_visible()  # the demo's party member who consults
    page.get_by_test_id("chip-all").click()

    page.get_by_test_id(f"contact-{contact['id']}").get_by_test_id("contact-link").click()
    page.wait_for_url(f"**/contacts/{contact['id']}")
    expect(page.get_by_test_id("contact-name")).to_have_text("赵春梅")
    expect(page.get_by_test_id("contact-now")).to_contain_text("值班中")
    expect(page.get_by_test_id("call-work")).to_have_attribute("href", "tel:075526601099")
    expect(page.get_by_test_id("call-mobile")).to_have_count(0)
    shot(page, "contacts-card-care")
    check_a11y(page, "contact card, care mode")
    page.get_by_test_id("contact-week").scroll_into_view_if_needed()
    shot(page, "contacts-card-week-care")


def test_staff_add_a_saturday_duty_and_the_resident_card_shows_it(new_context):
    desk = new_context().new_page()
    desk.goto("/login")
    desk.get_by_test_id("care-toggle").click()
    login_ui(desk, new_staff(desk.context), DESK_PASSWORD)
    desk.goto("/staff")
    desk.get_by_test_id("staff-contacts").click()
    desk.wait_for_url("**/staff/1/contacts")
    expect(desk.locator("[data-test^=staff-contact-]").first).to_be_visible()
    shot(desk, "contacts-staff-list-care")
    check_a11y(desk, "staff directory, care mode")

    desk.get_by_test_id("new-contact").click()
    desk.wait_for_url("**/staff/1/contacts/new")
    desk.get_by_test_id("save").click()
    expect(desk.get_by_test_id("error-summary")).to_be_visible()
    desk.get_by_test_id("name").locator("input").fill("韩志刚")
    desk.get_by_test_id("position").select_option("police")
    desk.get_by_test_id("title").locator("input").fill("粤海派出所社区民警")
    desk.get_by_test_id("work-phone").locator("input").fill("0755-26602111")
    desk.get_by_test_id("photo").locator("input[type=file]").set_input_files(
        files=[{"name": "portrait.jpg", "mimeType": "image/jpeg", "buffer": portrait()}])
    expect(desk.get_by_test_id("photo").locator(".van-uploader__preview-image")).to_be_visible()
    expect(desk.get_by_test_id("save")).to_be_enabled()
    expect(desk.get_by_test_id("error-summary")).to_have_count(0)  # each error went as its field was filled
    shot(desk, "contacts-staff-new-care")
    check_a11y(desk, "new contact form, care mode")
    desk.get_by_test_id("save").click()
    desk.wait_for_url(re.compile(r".*/staff/1/contacts/\d+$"))
    contact_id = int(desk.url.rsplit("/", 1)[1])

    roster = desk.get_by_test_id("roster")
    expect(roster).to_be_visible()
    expect(desk.locator(".van-toast")).to_be_hidden()
    desk.get_by_test_id("party").click()  # shows the areas; not saved
    desk.get_by_test_id("party").scroll_into_view_if_needed()
    shot(desk, "contacts-staff-party-care")
    check_a11y(desk, "contact profile with party consultation, care mode")
    roster.get_by_test_id("add-exception").click()
    saturday = next_saturday()
    exception = roster.get_by_test_id("exception-0")
    exception.get_by_test_id("exc-date").fill(saturday)
    exception.get_by_test_id("span-end").fill("08:00")  # before the start: said on the row, not sent
    exception.get_by_test_id("exc-note").fill("周六值班")
    roster.get_by_test_id("save-roster").click()
    expect(roster.get_by_test_id("roster-errors")).to_be_visible()
    expect(exception.get_by_test_id("span-error")).to_have_text("结束时间要晚于开始时间")
    exception.scroll_into_view_if_needed()
    shot(desk, "contacts-roster-error-care")
    check_a11y(desk, "roster editor with an error, care mode")
    exception.get_by_test_id("span-end").fill("12:00")
    roster.get_by_test_id("save-roster").click()
    expect(desk.locator(".van-toast")).to_contain_text("值班表已保存")
    expect(roster.get_by_test_id("roster-errors")).to_have_count(0)
    saved = api_call(desk.context, "GET", f"{CONTACTS}/manage/{contact_id}/roster")
    duty = {"date": saturday, "off": False, "start": "09:00", "end": "12:00", "note": "周六值班"}
    assert saved["exceptions"] == [duty]

    resident = new_context()
    register_api(resident, "褚玉珍", care=True)
    page = resident.new_page()
    page.goto(f"/contacts/{contact_id}")
    expect(page.get_by_test_id("contact-name")).to_have_text("韩志刚")
    expect(page.locator(".contact__photo")).to_have_attribute("alt", "韩志刚的照片")
    upcoming = page.get_by_test_id("contact-upcoming")
    expect(upcoming).to_contain_text(f"{saturday[5:]}（星期六） 值班 09:00–12:00")
    expect(upcoming).to_contain_text("周六值班")
    expect(page.get_by_test_id("call-work")).to_have_attribute("href", "tel:075526602111")
    upcoming.scroll_into_view_if_needed()
    shot(page, "contacts-card-saturday-care")
    check_a11y(page, "contact card with a Saturday duty, care mode")


def test_screens_at_phone_size_in_chinese(new_context):
    """The same screens without care mode: a screenshot of each to look at, and axe."""
    staff = new_context()
    page = staff.new_page()
    login_ui(page, new_staff(staff), DESK_PASSWORD)
    contact = on_call_contact(staff)
    api_call(staff, "PUT", f"{CONTACTS}/manage/{contact['id']}/roster", {
        "week": [{"weekday": d, "start": "08:30", "end": "12:00"} for d in range(5)]
        + [{"weekday": d, "start": "13:30", "end": "24:00"} for d in range(7)],
        "exceptions": [{"date": next_saturday(), "off": True, "note": "年假"}]})
    resting = off_duty_contact(staff, "孔德明", "secretary", "0755-26601097")
    page.goto(f"/staff/1/contacts/{contact['id']}")
    expect(page.get_by_test_id("roster-day-0").get_by_test_id("span-start")).to_have_count(2)
    expect(page.get_by_test_id("exception-0").get_by_test_id("exc-off")).to_have_attribute("aria-checked", "true")
    shot(page, "contacts-staff-profile")
    check_a11y(page, "staff contact profile")
    page.get_by_test_id("roster").scroll_into_view_if_needed()
    shot(page, "contacts-staff-roster")
    check_a11y(page, "staff roster editor")

    resident = new_context()
    register_api(resident, "蒋淑芬")
    page = resident.new_page()
    page.goto("/")
    expect(page.get_by_test_id("tile-contacts")).to_be_visible()
    shot(page, "contacts-home")
    page.goto("/contacts")
    expect(page.get_by_test_id("group-secretary").get_by_test_id(f"contact-{resting['id']}")).to_be_visible()
    shot(page, "contacts-list")
    check_a11y(page, "contacts list")
    page.goto(f"/contacts/{contact['id']}")
    expect(page.get_by_test_id("contact-upcoming")).to_contain_text("请假")
    shot(page, "contacts-card")
    check_a11y(page, "contact card")
