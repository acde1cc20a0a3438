"""Notices in the browser: staff publish, residents read and acknowledge, a push shows and opens the notice."""
import json
import re

from playwright.sync_api import expect

from tests.e2e.conftest import (
    STAFF_PHONE,
    api_call,
    check_a11y,
    login_ui,
    register_api,
    shot,
    wait_for_sw_control,
    wait_sent,
)

NOTICES = "/communities/1/notices"


def publish_api(context, title: str, **extra) -> dict:
    body = {"title": title, "body": "<p>请提前储水。</p>", "category": "service",
            "audience": {"everyone": True}, "push": False, **extra}
    draft = api_call(context, "POST", f"{NOTICES}/manage", body)
    published = api_call(context, "POST", f"{NOTICES}/manage/{draft['id']}/publish", {})
    wait_sent(context, draft["id"])
    return published


def staff_context(new_context):
    staff = new_context()
    page = staff.new_page()
    login_ui(page, STAFF_PHONE)
    return staff, page


def test_staff_publish_and_the_residents_list_updates(new_context):
    resident = new_context()
    register_api(resident, "周桂英")
    reader = resident.new_page()
    reader.goto("/notices")
    expect(reader.get_by_test_id("notice-card").first).to_be_visible()
    shot(reader, "notices-list")
    check_a11y(reader, "notices list")

    staff, page = staff_context(new_context)
    page.goto("/staff/1/notices/new")
    page.get_by_test_id("publish").click()  # nothing written yet: said on the fields, nothing asked
    expect(page.get_by_test_id("title")).to_contain_text("请填写标题")
    expect(page.get_by_test_id("body")).to_contain_text("请填写正文")
    expect(page.locator(".van-dialog")).to_be_hidden()
    page.get_by_test_id("title").locator("input").fill("明天上午电梯维修")
    page.get_by_test_id("body").locator("textarea").fill("1栋电梯9:00–11:00维修。\n\n请走楼梯，注意安全。")
    page.get_by_test_id("category-urgent").click()
    page.get_by_test_id("ack-required").click()
    page.get_by_test_id("preview").click()
    expect(page.locator(".compose__notification")).to_contain_text("【紧急】明天上午电梯维修")
    shot(page, "notices-compose-preview")
    page.keyboard.press("Escape")
    page.locator(".van-popup__close-icon").click()
    expect(page.locator(".compose__preview")).to_be_hidden()  # axe the screen, not the closing popup
    check_a11y(page, "notice compose")
    page.get_by_test_id("publish").click()
    expect(page.locator(".van-dialog__message")).to_contain_text(re.compile(r"将发给 \d+ 位居民"))
    shot(page, "notices-compose-confirm")
    page.locator(".van-dialog__confirm").click()
    page.wait_for_url(re.compile(r"/staff/1/notices/\d+$"))
    expect(page.get_by_test_id("stats-title")).to_have_text("明天上午电梯维修")
    wait_sent(staff, int(page.url.rsplit("/", 1)[1]))

    # Coming back to the app (or a push arriving) refreshes the resident's badge and list.
    reader.evaluate("() => document.dispatchEvent(new Event('visibilitychange'))")
    card = reader.get_by_test_id("notice-card").filter(has_text="明天上午电梯维修")
    expect(card).to_be_visible()
    expect(reader.get_by_test_id("tab-notices").locator(".van-badge")).to_be_visible()
    card.click()
    expect(reader.get_by_test_id("notice-body")).to_contain_text("请走楼梯")
    shot(reader, "notice-page")
    check_a11y(reader, "notice page")

    page.reload()
    expect(page.get_by_test_id("count-read")).to_contain_text("1")
    shot(page, "notice-stats")
    check_a11y(page, "notice stats")


def test_first_acknowledgement_offers_push_once(new_context):
    staff, _ = staff_context(new_context)
    first = publish_api(staff, "请确认：周六消防演练", ack_required=True)
    second = publish_api(staff, "请确认：垃圾分类新规", ack_required=True)
    resident = new_context()
    register_api(resident, "吴建华")
    page = resident.new_page()
    page.goto("/notices")
    expect(page.get_by_test_id("notice-card").first).to_be_visible()
    expect(page.locator(".van-dialog")).to_be_hidden()  # never on the first visit
    page.goto(f"/notices/{first['id']}")
    page.get_by_test_id("ack").click()
    expect(page.locator(".van-dialog")).to_contain_text("开启消息提醒")
    shot(page, "notice-push-offer")
    page.locator(".van-dialog__cancel").click()
    expect(page.get_by_test_id("acked")).to_be_visible()
    page.goto(f"/notices/{second['id']}")
    page.get_by_test_id("ack").click()
    expect(page.get_by_test_id("acked")).to_be_visible()
    expect(page.locator(".van-dialog")).to_be_hidden()


def test_push_preferences_screen(new_context):
    resident = new_context()
    register_api(resident, "郑淑珍", care=True)
    page = resident.new_page()
    page.goto("/me/push")
    quiet = page.get_by_test_id("quiet-switch")
    expect(quiet).to_have_attribute("aria-checked", "true")
    shot(page, "push-settings-care")
    check_a11y(page, "push settings")
    quiet.click()
    expect(page.get_by_text("已保存")).to_be_visible()
    assert api_call(resident, "GET", "/push/preferences")["quiet_enabled"] is False


def test_a_push_shows_the_notification_and_a_click_opens_the_notice(new_context, base_url):
    staff, _ = staff_context(new_context)
    notice = publish_api(staff, "紧急：今晚停气", category="urgent")
    resident = new_context()
    resident.grant_permissions(["notifications"], origin=base_url)
    register_api(resident, "冯德明")
    page = resident.new_page()
    cdp = resident.new_cdp_session(page)
    registrations = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda e: registrations.extend(e["registrations"]))
    page.goto("/notices")
    wait_for_sw_control(page)
    cdp.send("ServiceWorker.enable")
    page.wait_for_timeout(300)
    registration = next(r for r in registrations if not r["isDeleted"])
    payload = {"title": "【紧急】紧急：今晚停气", "body": "请关闭燃气阀门", "url": f"/notices/{notice['id']}",
               "notice_id": notice["id"], "community_id": 1, "category": "urgent", "urgent": True,
               "tag": f"notice-{notice['id']}", "message_id": "5f0c2a9e4b7d4e1f8a3c6b2d9e0f1a2b"}
    cdp.send("ServiceWorker.deliverPushMessage", {"origin": base_url, "registrationId": registration["registrationId"],
                                                  "data": json.dumps(payload, ensure_ascii=False)})
    # The worker shows the notification a moment after the push: ask until it is there. (An async predicate
    # in wait_for_function would not do: its promise is truthy at once, whatever it resolves to.)
    shown = page.evaluate("""async () => {
        const registration = await navigator.serviceWorker.ready
        for (let i = 0; i < 100; i++) {
            const list = await registration.getNotifications()
            if (list.length) return list.map(n => ({title: n.title, body: n.body, tag: n.tag,
                                                    requireInteraction: n.requireInteraction, data: n.data}))
            await new Promise(resolve => setTimeout(resolve, 100))
        }
        return null
    }""")
    assert shown == [{"title": "【紧急】紧急：今晚停气", "body": "请关闭燃气阀门", "tag": f"notice-{notice['id']}",
                      "requireInteraction": True, "data": {"url": f"/notices/{notice['id']}",
                                                           "noticeId": notice["id"],
                                                           "messageId": payload["message_id"]}}]
    # Headless Chromium has no notification UI to click: dispatch the click event in the worker itself,
    # with the notification the push handler showed, and watch the page open the notice.
    worker = resident.service_workers[0]
    worker.evaluate("""async () => {
        const [notification] = await self.registration.getNotifications()
        self.dispatchEvent(new NotificationEvent('notificationclick', { notification }))
    }""")
    page.wait_for_url(f"**/notices/{notice['id']}")
    expect(page.get_by_test_id("notice-title")).to_have_text("紧急：今晚停气")


def test_staff_notice_list_and_care_mode_reader(new_context):
    staff, page = staff_context(new_context)
    page.goto("/staff/1/notices")
    expect(page.get_by_test_id("staff-notice").first).to_be_visible()
    shot(page, "notices-staff-list")
    check_a11y(page, "staff notice list")
    resident = new_context()
    register_api(resident, "潘春花", care=True)
    reader = resident.new_page()
    reader.goto("/notices")
    expect(reader.get_by_test_id("notice-card").first).to_be_visible()
    shot(reader, "notices-list-care")
    check_a11y(reader, "notices list, care mode")
