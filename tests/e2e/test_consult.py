"""Questions (咨询) in the browser: an elderly resident in care mode asks their grid worker a question with a
photo from the contact card; staff answer it from the inbox and make a public FAQ of it; the resident reads
the answer and says it helped."""
import io
import re

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

QUESTIONS = "/communities/1/questions"
TEXT = "我妈八十岁了，一个人住，腿脚不方便。社区能不能给她送饭上门？怎么申请？"
ANSWER = "可以申请送餐上门。请带老人身份证到社区服务中心一楼登记，每餐补贴8元，第二天就能开始送。"


def meal_photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (2400, 1800), "wheat").save(out, "JPEG")
    return out.getvalue()


def test_resident_asks_their_grid_worker_staff_answer_and_it_helped(new_context):
    resident = new_context()
    register_api(resident, "冯桂兰", care=True)
    page = resident.new_page()

    page.goto("/")
    expect(page.locator("html")).to_have_class("care")
    workers = page.get_by_test_id("my-grid-workers")
    worker = api_call(resident, "GET", "/communities/1/contacts/my-grid-workers")["items"][0]
    expect(workers.get_by_test_id("ask").first).to_be_visible()
    workers.scroll_into_view_if_needed()
    shot(page, "consult-home-care")
    check_a11y(page, "home with ask buttons, care mode")
    workers.get_by_test_id("contact-link").first.click()
    page.wait_for_url(f"**/contacts/{worker['id']}")
    page.get_by_test_id("ask").click()
    page.wait_for_url(f"**/questions/new?to={worker['id']}")
    expect(page.get_by_test_id("ask-to")).to_contain_text(worker["name"])
    shot(page, "consult-ask-care")
    check_a11y(page, "ask a question, care mode")

    page.get_by_test_id("ask-submit").click()  # nothing chosen or written yet: said on the fields
    expect(page.get_by_test_id("ask-topics")).to_contain_text("请选择问题类别")
    expect(page.get_by_test_id("ask-text")).to_contain_text("请至少写 5 个字")
    shot(page, "consult-ask-errors-care")
    check_a11y(page, "ask with errors, care mode")

    page.get_by_test_id("topic-elderly").click()
    expect(page.get_by_test_id("topic-elderly")).to_have_attribute("aria-pressed", "true")
    page.get_by_test_id("ask-text").locator("textarea").fill(TEXT)
    expect(page.get_by_test_id("ask-text")).not_to_contain_text("请至少写")  # each error goes as its field is put right
    expect(page.get_by_test_id("ask-topics")).not_to_contain_text("请选择问题类别")
    page.get_by_test_id("ask-photos").locator("input[type=file]").set_input_files(
        files=[{"name": "meal.jpg", "mimeType": "image/jpeg", "buffer": meal_photo()}])
    expect(page.get_by_test_id("ask-photos").locator(".van-uploader__preview-image")).to_be_visible()
    expect(page.get_by_test_id("ask-submit")).to_be_enabled()
    expect(page.get_by_test_id("ask-photos").locator(".van-uploader__mask")).to_have_count(0)
    page.get_by_test_id("ask-consent").click()
    page.get_by_test_id("ask-submit").scroll_into_view_if_needed()
    shot(page, "consult-ask-filled-care")
    check_a11y(page, "ask filled in, care mode")
    page.get_by_test_id("ask-submit").click()
    page.wait_for_url(re.compile(r".*/questions/\d+$"))
    question_id = int(page.url.rsplit("/", 1)[1])

    expect(page.get_by_test_id("question-text")).to_have_text(TEXT)
    expect(page.get_by_test_id("question")).to_contain_text("待回复")
    expect(page.get_by_test_id("waiting-line")).to_contain_text("前回复")
    expect(page.get_by_test_id("photo-0").locator("img")).to_have_attribute("alt", re.compile("问题照片 1"))
    expect(page.get_by_test_id("assignee")).to_contain_text(worker["name"])
    expect(page.locator(".van-toast")).to_be_hidden()
    shot(page, "consult-question-care")
    check_a11y(page, "my question, care mode")
    asked = api_call(resident, "GET", f"{QUESTIONS}/{question_id}")
    assert asked["addressed_to"]["id"] == worker["id"] and len(asked["photos"]) == 1 and asked["faq_consent"]

    desk = new_context().new_page()
    login_ui(desk, new_staff(desk.context), DESK_PASSWORD)
    desk.goto("/staff")
    desk.get_by_test_id("staff-questions").click()
    desk.wait_for_url("**/staff/1/questions")
    row = desk.get_by_test_id(f"question-{question_id}")
    expect(row).to_contain_text("养老助老")
    expect(row).to_contain_text("冯桂兰")
    expect(desk.locator("[data-test='consultStaff.overdue']").first).to_be_visible()  # the demo's late one
    shot(desk, "consult-inbox")
    check_a11y(desk, "staff inbox")
    row.click()
    desk.wait_for_url(f"**/questions/{question_id}?cid=1")
    expect(desk.get_by_test_id("asker")).to_contain_text("冯桂兰")
    desk.get_by_test_id("answer-text").locator("textarea").fill(ANSWER)
    desk.get_by_test_id("answer-form").scroll_into_view_if_needed()
    shot(desk, "consult-staff-answer")
    check_a11y(desk, "staff answering")
    desk.get_by_test_id("answer-send").click()
    expect(desk.get_by_test_id("answer")).to_contain_text(ANSWER)
    expect(desk.get_by_test_id("question")).to_contain_text("已回复")
    expect(desk.locator(".van-toast")).to_be_hidden()

    desk.get_by_test_id("faq-start").click()
    faq = desk.get_by_test_id("faq-form")
    expect(faq.get_by_test_id("faq-answer").locator("textarea")).to_have_value(ANSWER)
    faq.get_by_test_id("faq-title").locator("input").fill("独居老人怎么申请送餐上门？")
    faq.scroll_into_view_if_needed()
    shot(desk, "consult-staff-faq")
    check_a11y(desk, "staff making an FAQ")
    faq.get_by_test_id("faq-submit").click()
    done = desk.get_by_test_id("faq-done")
    expect(done.locator("a, .van-cell")).to_have_count(1)
    faq_id = api_call(desk.context, "GET", f"{QUESTIONS}/{question_id}")["faq_item_id"]
    assert faq_id
    done.locator(".van-cell").click()
    desk.wait_for_url(f"**/guide/items/{faq_id}")

    page.reload()
    expect(page.get_by_test_id("answer")).to_contain_text(ANSWER)
    feedback = page.get_by_test_id("feedback")
    expect(feedback).to_contain_text("这个回答有帮助吗？")
    feedback.scroll_into_view_if_needed()
    shot(page, "consult-answered-care")
    check_a11y(page, "answered question, care mode")
    feedback.get_by_test_id("helpful-yes").click()
    expect(page.get_by_test_id("helpful-said")).to_contain_text("有帮助")
    assert api_call(resident, "GET", f"{QUESTIONS}/{question_id}")["helpful"] is True

    page.goto("/questions")
    expect(page.get_by_test_id(f"question-{question_id}")).to_contain_text("已回复")
    shot(page, "consult-mine-care")
    check_a11y(page, "my questions, care mode")
