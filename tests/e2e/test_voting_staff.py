"""Staff in care mode on a phone run an owners' decision: write it, check the roll, publish, print paper
slips, close it and download the result sheet."""
import re

from playwright.sync_api import expect

from tests.e2e.conftest import check_a11y, login_ui, new_staff, shot

PASSWORD = "Ballot-desk-2026"


def test_staff_run_an_owners_decision_with_paper_slips(new_context):
    page = new_context().new_page()
    phone = new_staff(page.context, "梁志强", PASSWORD, "社区主任")
    page.goto("/login")
    page.get_by_test_id("care-toggle").click()
    expect(page.locator("html")).to_have_class("care")
    login_ui(page, phone, PASSWORD)

    page.goto("/staff")
    page.get_by_test_id("staff-polls").first.click()
    page.get_by_test_id("new-poll").click()
    page.wait_for_url(re.compile(r"/staff/1/polls/new$"))
    page.get_by_test_id("kind-owners").click()
    expect(page.get_by_text("筹集或使用维修资金")).to_be_visible()
    page.get_by_test_id("poll-title").locator("input").fill("是否使用维修资金更换3栋电梯")
    page.get_by_test_id("poll-body").locator("textarea").fill("3栋电梯已使用22年，拟使用维修资金更换。")
    page.get_by_test_id("matter-major").click()
    page.get_by_test_id("save-draft").click()
    page.wait_for_url(re.compile(r"/staff/1/polls/\d+/edit$"))
    roll = page.get_by_test_id("roll-line")
    expect(roll).to_contain_text(re.compile(r"共 \d+ 个表决单位、总面积 [\d.]+ ㎡"))
    units = int(re.search(r"共 (\d+) 个", roll.inner_text()).group(1))
    assert units > 0
    expect(page.locator(".van-toast")).to_be_hidden()
    roll.scroll_into_view_if_needed()
    shot(page, "care-poll-compose")
    check_a11y(page, "poll compose (care)")

    page.get_by_test_id("publish").click()
    expect(page.locator(".van-dialog__message")).to_contain_text(f"共 {units} 个表决单位可以投票")
    page.locator(".van-dialog__confirm").click()
    page.wait_for_url(re.compile(r"/staff/1/polls/\d+$"))
    expect(page.get_by_test_id("poll-status")).to_have_text("进行中")
    expect(page.get_by_test_id("turnout-total")).to_contain_text(f"已投 0 / {units}")
    expect(page.locator(".van-toast")).to_be_hidden()
    expect(page.locator(".van-dialog")).to_be_hidden()
    shot(page, "care-poll-manage")
    check_a11y(page, "poll manage (care)")

    page.get_by_test_id("paper-codes").click()
    expect(page.locator(".van-dialog__message")).to_contain_text("只显示这一次")
    page.locator(".van-dialog__confirm").click()
    page.wait_for_url(re.compile(r"/staff/1/polls/\d+/slips$"))
    expect(page.get_by_test_id("slips-warning")).to_contain_text("无法再次查看")
    expect(page.get_by_test_id("slip")).to_have_count(units)
    first = page.get_by_test_id("slip").first
    expect(first.get_by_test_id("slip-code")).to_have_text(re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$"))
    expect(first.locator(".slip__qr svg")).to_be_visible()
    code = first.get_by_test_id("slip-code").inner_text()
    second = page.get_by_test_id("slip").nth(1).get_by_test_id("slip-code").inner_text() if units > 1 else None
    poll_id = re.search(r"/polls/(\d+)/slips", page.url).group(1)
    shot(page, "care-poll-slips")

    # A slip comes back to the desk ticked 同意: staff enter it by its code.
    page.go_back()
    paper = page.get_by_test_id("paper-ballot")
    paper.get_by_test_id("paper-code").locator("input").fill(code.lower())
    paper.get_by_test_id("paper-option-yes").click()
    paper.get_by_test_id("paper-submit").click()
    expect(page.get_by_test_id("turnout-total")).to_contain_text(f"已投 1 / {units}")
    expect(page.get_by_test_id("turnout").locator("tbody tr")).to_have_count(1)
    expect(page.locator(".van-toast")).to_be_hidden()
    page.get_by_test_id("proxy-ballot").scroll_into_view_if_needed()
    shot(page, "care-poll-ballot-forms")

    if second:  # another slip's QR code, scanned on a neighbour's phone with no account
        phone_page = new_context().new_page()
        phone_page.goto(f"/polls/{poll_id}/code?cid=1&c={second}")
        expect(phone_page.get_by_text("是否使用维修资金更换3栋电梯")).to_be_visible()
        phone_page.get_by_test_id("ballot-option").filter(has_text="同意").click()
        phone_page.get_by_test_id("ballot-submit").click()
        phone_page.locator(".van-dialog__confirm").click()
        expect(phone_page.get_by_test_id("receipt-screen")).to_be_visible()
        expect(phone_page.locator(".van-dialog")).to_be_hidden()  # closed, not still fading out
        check_a11y(phone_page, "vote with a slip's code")
        page.reload()
        expect(page.get_by_test_id("turnout-total")).to_contain_text(f"已投 2 / {units}")
        units_voted = 2
    else:
        units_voted = 1

    page.get_by_test_id("close-poll").click()
    page.locator(".van-dialog__confirm").click()
    expect(page.get_by_test_id("poll-status")).to_have_text("已结束")
    expect(page.get_by_test_id("results")).to_contain_text(f"同意{units_voted} 票")
    pdf = page.get_by_test_id("export-pdf")
    res = page.request.get(pdf.get_attribute("href"))
    assert res.status == 200
    assert res.headers["content-type"].startswith("application/pdf")
    expect(page.locator(".van-toast")).to_be_hidden()
    page.get_by_test_id("results").scroll_into_view_if_needed()
    expect(page.locator(".van-dialog")).to_be_hidden()
    shot(page, "care-poll-closed")
    check_a11y(page, "poll results (care)")

    page.goto("/staff/1/polls")
    card = page.get_by_test_id("staff-poll").filter(has_text="是否使用维修资金更换3栋电梯")
    expect(card.locator("[data-status=closed]")).to_have_text("已结束")
    expect(card.get_by_test_id("poll-turnout")).to_have_text(f"已投 {units_voted} / {units}")
    shot(page, "care-polls-list")
    check_a11y(page, "staff polls (care)")
