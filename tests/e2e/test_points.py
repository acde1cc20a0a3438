"""Points and the love supermarket (爱心超市) in the browser: staff put a new item on the shelf with a photo and
award a resident points by hand; the resident (in care mode) redeems two, seeing the balance after in the
confirm, and shows the pickup code; staff look the code up at the desk and hand the goods over; the resident
sees them collected and the balance reduced."""
import io
import os
import re

from PIL import Image
from playwright.sync_api import expect

from tests.e2e.conftest import DESK_PASSWORD, api_call, check_a11y, login_ui, new_staff, register_api, shot

POINTS = "/communities/1/points"


def rice_photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), "khaki").save(out, "JPEG")
    return out.getvalue()


def confirm_dialog(page, *texts: str) -> None:
    dialog = page.locator(".van-dialog").last
    expect(dialog).to_be_visible()
    for text in texts:
        expect(dialog).to_contain_text(text)


def test_staff_stock_and_award_resident_redeems_and_collects(new_context):
    title = f"东北大米 5kg（{os.getpid() % 1000}）"
    desk = new_context().new_page()
    login_ui(desk, new_staff(desk.context, name="钱丽华"), DESK_PASSWORD)
    desk.goto("/staff")
    desk.get_by_test_id("staff-market").click()
    desk.wait_for_url("**/staff/1/market")
    desk.get_by_test_id("new-item").click()
    desk.wait_for_url("**/staff/1/market/new")
    desk.get_by_test_id("save").click()  # nothing filled in: said on the fields
    expect(desk.get_by_test_id("title")).to_contain_text("请填写名称")
    expect(desk.get_by_test_id("stock")).to_contain_text("请填写库存")
    desk.get_by_test_id("title").locator("input").fill(title)
    desk.get_by_test_id("cost").locator("input").fill("30")
    desk.get_by_test_id("stock").locator("input").fill("2")
    desk.get_by_test_id("monthly-limit").locator("input").fill("3")
    desk.get_by_test_id("photo").locator("input[type=file]").set_input_files(
        files=[{"name": "rice.jpg", "mimeType": "image/jpeg", "buffer": rice_photo()}])
    expect(desk.get_by_test_id("photo").locator(".van-uploader__mask")).to_have_count(0)
    shot(desk, "points-staff-item")
    check_a11y(desk, "staff catalogue editor")
    desk.get_by_test_id("save").click()
    desk.wait_for_url(re.compile(r".*/staff/1/market/\d+$"))
    item_id = int(desk.url.rsplit("/", 1)[1])
    expect(desk.get_by_test_id("stock-form")).to_contain_text("库存 2")
    item = api_call(desk.context, "GET", f"{POINTS}/catalog/{item_id}")
    assert item["stock"] == 2 and item["photo"] and item["points_cost"] == 30

    resident = new_context()
    me = register_api(resident, "孙秀兰", care=True)
    desk.goto("/staff/1/points")
    award = desk.get_by_test_id("award-form")
    award.get_by_test_id("resident").click()
    desk.get_by_test_id("resident-search").locator("input").fill("孙秀兰")
    desk.get_by_test_id(f"resident-{me['id']}").first.click()
    award.get_by_test_id("award-amount").locator("input").fill("100")
    award.get_by_test_id("award-reason").locator("input").fill("垃圾分类做得好")
    shot(desk, "points-staff-award")
    check_a11y(desk, "staff ledger with the award form")
    award.get_by_test_id("award-submit").click()
    confirm_dialog(desk, "孙秀兰", "100")
    desk.locator(".van-dialog__confirm").click()
    expect(desk.locator("[data-test^=ledger-]").first).to_contain_text("垃圾分类做得好")
    assert api_call(resident, "GET", f"{POINTS}/me")["balance"] == 100

    page = resident.new_page()
    page.goto("/")
    expect(page.locator("html")).to_have_class("care")
    page.get_by_test_id("tile-market").click()
    page.wait_for_url("**/market")
    card = page.get_by_test_id(f"item-{item_id}")
    expect(card).to_contain_text("30 积分")
    expect(card).to_contain_text("剩 2 件")
    expect(card).to_contain_text("每月限 3 件，本月已兑 0 件")
    expect(card.locator("img")).to_have_attribute("alt", re.compile(title))
    shot(page, "points-market-care")
    check_a11y(page, "love supermarket, care mode")
    card.click()
    page.wait_for_url(f"**/market/{item_id}")
    page.get_by_test_id("qty-plus").click()
    expect(page.get_by_test_id("total")).to_contain_text("60 积分")
    expect(page.get_by_test_id("after")).to_contain_text("40")
    shot(page, "points-redeem-care")
    check_a11y(page, "redeem, care mode")
    page.get_by_test_id("redeem").click()
    confirm_dialog(page, "需要 60 积分", "兑换后剩余 40 积分")
    shot(page, "points-redeem-confirm-care")
    page.locator(".van-dialog__confirm").click()
    page.wait_for_url(re.compile(r".*/market/mine\?r=\d+$"))
    redemption_id = int(page.url.rsplit("=", 1)[1])
    row = page.get_by_test_id(f"redemption-{redemption_id}")
    expect(row).to_contain_text("待领取")
    expect(row.get_by_test_id("pickup-code").locator("svg")).to_be_visible()
    code = re.sub(r"\D", "", row.get_by_test_id("pickup-digits").inner_text())
    assert len(code) == 8
    expect(page.locator(".van-toast")).to_be_hidden()
    shot(page, "points-pickup-code-care")
    check_a11y(page, "my rewards with the pickup code, care mode")

    desk.goto("/staff")
    desk.get_by_test_id("staff-redemptions").click()
    desk.wait_for_url("**/staff/1/market/redemptions")
    expect(desk.get_by_test_id(f"row-{redemption_id}")).to_be_visible()
    desk.get_by_test_id("scanner-input").locator("input").fill(code[:4] + " " + code[4:])  # as read out
    desk.get_by_test_id("scanner-submit").click()
    found = desk.get_by_test_id("found")
    expect(found).to_contain_text(title)
    expect(found).to_contain_text("孙秀兰")
    shot(desk, "points-staff-desk")
    check_a11y(desk, "staff pickup desk")
    found.get_by_test_id("hand-over").click()
    confirm_dialog(desk, title, "孙秀兰")
    desk.locator(".van-dialog__confirm").click()
    expect(found).to_contain_text("已领取")

    page.reload()
    expect(page.get_by_test_id(f"redemption-{redemption_id}")).to_contain_text("已领取")
    expect(page.get_by_test_id("pickup-code")).to_have_count(0)
    page.goto("/points")
    expect(page.get_by_test_id("balance")).to_have_text("40")
    expect(page.get_by_test_id("history")).to_contain_text("垃圾分类做得好")
    shot(page, "points-balance-care")
    check_a11y(page, "my points, care mode")
    assert api_call(resident, "GET", f"{POINTS}/catalog/{item_id}")["stock"] == 0


def keyed_call(context, path: str, data: dict, key: str):
    """A points-moving API call with its Idempotency-Key, as the app sends it."""
    context.request.get("/api/v1/auth/csrf")
    token = next(c["value"] for c in context.cookies() if c["name"] == "csrf_token")
    res = context.request.post(f"/api/v1{path}", data=data, headers={
        "X-CSRF-Token": token, "Content-Type": "application/json", "Idempotency-Key": key})
    assert res.ok, f"POST {path} -> {res.status} {res.text()}"
    return res.json()


def test_partner_desk_hands_over_a_service(new_context):
    """Staff set up a partner shop and link its owner's account; the owner (in English) finds the partner desk
    on the home screen and hands over a resident's service from the list of reserved ones."""
    shop = f"Zhou's Haircuts {os.getpid() % 1000}"
    owner_ctx = new_context()
    owner = register_api(owner_ctx, "周师傅", locale="en")
    desk = new_context().new_page()
    login_ui(desk, new_staff(desk.context, name="吴建华"), DESK_PASSWORD)
    desk.goto("/staff/1/partners")
    desk.get_by_test_id("new-partner").click()
    form = desk.get_by_test_id("partner-form")
    form.get_by_test_id("partner-name").locator("input").fill(shop)
    form.get_by_test_id("partner-save").click()
    card = desk.locator("section[data-test^=partner-]", has_text=shop)
    card.get_by_test_id("member-phone").locator("input").fill(owner["phone"])
    card.get_by_test_id("member-link").click()
    expect(card).to_contain_text("周师傅")
    shot(desk, "points-staff-partners")
    check_a11y(desk, "staff partners")
    partner_id = int(card.get_attribute("data-test").split("-")[1])

    item = api_call(desk.context, "POST", f"{POINTS}/catalog", {
        "kind": "service", "title": f"理发 {shop}", "points_cost": 50, "partner_id": partner_id})
    customer_ctx = new_context()
    customer = register_api(customer_ctx, "郑阿姨")
    keyed_call(desk.context, f"{POINTS}/awards", {"user_id": customer["id"], "amount": 50, "reason": "楼道清洁"},
               f"e2e-award-{os.getpid()}")
    redemption = keyed_call(customer_ctx, f"{POINTS}/redemptions", {"item_id": item["id"], "quantity": 1},
                            f"e2e-redeem-{os.getpid()}")

    page = owner_ctx.new_page()
    page.goto("/")
    page.get_by_test_id("partner-desk").click()
    page.wait_for_url("**/partner")
    row = page.get_by_test_id(f"row-{redemption['id']}")
    expect(row).to_contain_text("To collect")
    shot(page, "points-partner-desk-en")
    check_a11y(page, "partner desk, English")
    row.click()
    found = page.get_by_test_id("found")
    expect(found).to_contain_text("郑阿姨")
    found.get_by_test_id("hand-over").click()
    confirm_dialog(page, "郑阿姨")
    page.locator(".van-dialog__confirm").click()
    expect(found).to_contain_text("Collected")
    expect(page.get_by_test_id(f"row-{redemption['id']}")).to_have_count(0)
    mine = api_call(customer_ctx, "GET", f"{POINTS}/redemptions/mine")
    assert [r["status"] for r in mine if r["id"] == redemption["id"]] == ["handed_over"]
