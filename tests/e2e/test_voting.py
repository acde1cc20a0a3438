"""Voting in the browser, as an elderly resident in care mode: find the poll, vote, keep the receipt, read
the results; an owners' decision shows its four ratios against the statutory thresholds."""
import io
import re
from datetime import UTC, datetime, timedelta

from PIL import Image
from playwright.sync_api import expect

from tests.e2e.conftest import STAFF_PHONE, api_call, check_a11y, login_ui, register_api, shot

POLLS = "/communities/1/polls"


def open_poll(staff, title: str, **extra) -> dict:
    """A poll written and opened by staff through the API."""
    closes = (datetime.now(UTC) + timedelta(days=3, hours=2)).isoformat()
    body = {"title": title, "body": "小区东门外的空地，改成什么大家说了算。\n周末前投票。", "kind": "opinion",
            "scope": {"everyone": True}, "results": "live", "closes_at": closes,
            "options": [{"label": "健身角"}, {"label": "停车位"}, {"label": "花园"}], **extra}
    draft = api_call(staff, "POST", f"{POLLS}/manage", body)
    return api_call(staff, "POST", f"{POLLS}/manage/{draft['id']}/publish", {})


def consent_photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), "wheat").save(out, "JPEG")  # paper-coloured, to be seen in screenshots
    return out.getvalue()


def enter_proxy_ballot(desk, poll_id: int, name: str) -> None:
    """Staff at the desk enter a vote for a resident, uploading the photo of the signed form."""
    desk.goto(f"/staff/1/polls/{poll_id}")
    proxy = desk.get_by_test_id("proxy-ballot")
    search = proxy.get_by_test_id("proxy-search").locator("input")
    search.fill(name)
    search.press("Enter")
    proxy.get_by_test_id("proxy-hit").first.click()
    proxy.locator(".van-checkbox").first.click()
    proxy.get_by_test_id("proxy-witness").locator("input").fill("网格员王芳")
    proxy.get_by_test_id("proxy-form-ref").locator("input").fill("委托书-001")
    proxy.get_by_test_id("proxy-photo").locator("input[type=file]").set_input_files(
        files=[{"name": "consent.jpg", "mimeType": "image/jpeg", "buffer": consent_photo()}])
    expect(proxy.locator(".van-uploader__preview-image")).to_be_visible()
    expect(proxy.get_by_test_id("proxy-submit")).to_be_enabled()
    proxy.scroll_into_view_if_needed()
    shot(desk, "voting-proxy-photo")  # after the button's fade-in, which axe would read as low contrast
    check_a11y(desk, "proxy ballot form with a photo")
    proxy.get_by_test_id("proxy-submit").click()
    expect(desk.get_by_test_id("turnout-total")).to_contain_text("已投 1")


def staff_context(new_context):
    staff = new_context()
    login_ui(staff.new_page(), STAFF_PHONE)
    return staff


def test_resident_votes_in_care_mode_and_sees_receipt_and_results(new_context):
    staff = staff_context(new_context)
    poll = open_poll(staff, "东门空地改造意见征集")
    resident = new_context()
    register_api(resident, "钱秀兰", care=True)
    page = resident.new_page()

    page.goto("/")
    expect(page.get_by_test_id("tile-polls").locator(".van-badge")).to_be_visible()
    shot(page, "voting-home-tile-care")
    page.get_by_test_id("tile-polls").click()
    page.wait_for_url("**/polls")
    card = page.get_by_test_id("poll-card").filter(has_text="东门空地改造意见征集")
    expect(card.get_by_test_id("poll-badge")).to_have_text("未投票")
    expect(card.get_by_test_id("poll-deadline")).to_contain_text("还剩 3 天")
    expect(card).to_contain_text("意见征集")
    shot(page, "voting-list-care")
    check_a11y(page, "polls list, care mode")

    card.click()
    page.wait_for_url(f"**/polls/{poll['id']}")
    expect(page.get_by_test_id("poll-title")).to_have_text("东门空地改造意见征集")
    expect(page.get_by_test_id("poll-rules")).to_contain_text("每人一票")
    submit = page.get_by_test_id("ballot-submit")
    expect(submit).to_be_disabled()
    page.get_by_test_id("ballot-option").filter(has_text="花园").click()
    expect(page.get_by_role("radio", name="花园")).to_have_attribute("aria-checked", "true")
    shot(page, "voting-poll-care")
    check_a11y(page, "poll page, care mode")

    submit.click()
    dialog = page.locator(".van-dialog")
    expect(dialog).to_contain_text("您选了：花园")
    expect(dialog).to_contain_text("投出后不能更改")
    shot(page, "voting-confirm-care")
    dialog.locator(".van-dialog__confirm").click()

    code = page.get_by_test_id("receipt-code")
    expect(code).to_be_visible()
    receipt = code.get_attribute("data-receipt")
    assert re.fullmatch(r"[0-9a-f]{16}", receipt)
    expect(page.get_by_test_id("receipt-screen")).to_contain_text("只显示这一次")
    shot(page, "voting-receipt-care")
    expect(page.locator(".van-dialog")).to_be_hidden()  # closed, not still fading out
    check_a11y(page, "receipt, care mode")

    page.get_by_test_id("receipt-done").click()
    expect(page.get_by_test_id("my-vote-how")).to_contain_text("网上投票")
    expect(page.get_by_test_id("my-receipt")).to_contain_text(receipt[:4])
    results = page.get_by_test_id("poll-results")
    garden = results.get_by_test_id("result-option").filter(has_text="花园")
    expect(garden.get_by_role("img")).to_have_attribute("aria-label", re.compile(r"花园：1 票，占 100%"))
    expect(results.get_by_test_id("results-turnout")).to_contain_text("已投票 1")
    results.scroll_into_view_if_needed()
    shot(page, "voting-results-care")
    check_a11y(page, "poll page with results, care mode")

    page.goto("/polls")
    expect(page.get_by_test_id("poll-card").filter(has_text="东门空地改造意见征集").get_by_test_id("poll-voted")).to_contain_text("已投票")


def test_owners_decision_shows_the_four_ratios_to_a_resident_who_is_not_an_owner(new_context):
    staff = staff_context(new_context)
    poll = open_poll(staff, "续聘物业服务企业", kind="owners", matter="ordinary", options=[],
                     body="是否续聘现物业服务企业三年。")
    resident = new_context()
    me = register_api(resident, "孙长林", care=True)
    page = resident.new_page()
    page.goto(f"/polls/{poll['id']}")
    expect(page.get_by_test_id("poll-rules")).to_contain_text("双过半")
    expect(page.get_by_test_id("not-eligible")).to_contain_text("业主")
    ratios = page.get_by_test_id("result-ratio")
    expect(ratios).to_have_count(4)
    label = re.compile(r"参加表决的面积：.*需达到三分之二，(达到|未达到)")
    expect(ratios.first.get_by_role("img")).to_have_attribute("aria-label", label)
    expect(page.get_by_test_id("verdict")).to_contain_text("按目前票数")
    shot(page, "voting-owners-care")
    page.get_by_test_id("verdict").scroll_into_view_if_needed()
    shot(page, "voting-owners-ratios-care")
    check_a11y(page, "owners' decision, care mode")

    # Staff enter a vote for this resident in another poll, with a photo of the consent form they signed:
    # the resident sees the photo and can say it is not what they meant.
    other = open_poll(staff, "楼道加装扶手", results="after_close", choice="multiple", min_choices=1, max_choices=2)
    enter_proxy_ballot(staff.new_page(), other["id"], me["name"])
    page.goto(f"/polls/{other['id']}")
    expect(page.get_by_test_id("my-vote-how")).to_contain_text("工作人员代投")
    consent = page.get_by_test_id("proxy-consent")
    expect(consent).to_contain_text("委托书-001")
    assert consent.locator("img").evaluate("img => img.decode().then(() => img.naturalWidth)") > 0
    expect(page.get_by_test_id("results-later")).to_contain_text("截止后公布")
    page.get_by_test_id("dispute").click()
    page.get_by_test_id("dispute-reason").locator("textarea").fill("我没有签字同意")
    shot(page, "voting-dispute-care")
    page.locator(".van-dialog__confirm").click()
    expect(page.get_by_test_id("dispute")).to_be_hidden()
