"""Staff keep the service guide in the browser: write, publish, categories, feedback, export and import."""
import json
import re

from playwright.sync_api import expect

from tests.e2e.conftest import STAFF_PHONE, api_call, check_a11y, login_ui, register_api, shot

GUIDE = "/communities/1/guide"
# Buttons, links and selects on the page (not the app's bars) shorter than care mode's 48 px.
SMALL_TARGETS = """() => [...document.querySelectorAll('.app__main :is(button, a, select)')]
    .filter(el => el.offsetParent && el.getBoundingClientRect().height < 47.5).map(el => el.outerHTML.slice(0, 120))"""


def staff_page(new_context, care: bool = False):
    staff = new_context()
    page = staff.new_page()
    login_ui(page, STAFF_PHONE)
    if care:
        # Care mode is a profile setting: the next page load applies it.
        api_call(staff, "PATCH", "/auth/me", {"care_mode": True})
    return staff, page


def resident_search(page, words: str):
    page.goto("/guide")
    page.locator("input[name=q]").fill(words)
    page.get_by_test_id("guide-search-go").click()
    return page.get_by_test_id("guide-results")


def publish_api(context, title: str) -> dict:
    category = api_call(context, "GET", f"{GUIDE}/categories")[0]
    return api_call(context, "POST", f"{GUIDE}/items", {"title": title, "category_id": category["id"],
                                                        "published": True})


def test_staff_draft_is_hidden_until_published(new_context):
    _, page = staff_page(new_context)
    page.goto("/staff")
    page.get_by_test_id("staff-guide").first.click()
    page.wait_for_url("**/staff/1/guide")
    expect(page.get_by_test_id("staff-guide-item").first).to_be_visible()
    shot(page, "guide-staff-list")
    check_a11y(page, "staff guide list")

    page.get_by_test_id("new-item").click()
    page.get_by_test_id("title").locator("input").fill("楼道加装电梯补贴申请")
    page.get_by_test_id("add-material").click()
    page.get_by_test_id("material-0").get_by_test_id("material-name").locator("input").fill("业主大会表决结果")
    page.get_by_test_id("add-step").click()
    page.get_by_test_id("add-step").click()
    page.get_by_test_id("step-0").locator("textarea").fill("提交申请表")
    page.get_by_test_id("step-1").locator("textarea").fill("等待审核")
    page.get_by_role("button", name="第 2 步上移").click()
    expect(page.get_by_test_id("step-0").locator("textarea")).to_have_value("等待审核")
    page.get_by_test_id("mode-both").click()
    page.get_by_test_id("online-url").locator("input").fill("https://www.gdzwfw.gov.cn/")
    page.get_by_test_id("phone").locator("input").fill("0755-2666 1234")
    page.get_by_test_id("materials").scroll_into_view_if_needed()
    shot(page, "guide-staff-editor")
    check_a11y(page, "guide item editor")
    page.get_by_test_id("save-draft").click()
    page.wait_for_url("**/staff/1/guide")
    card = page.get_by_test_id("staff-guide-item").filter(has_text="楼道加装电梯补贴申请")
    expect(card.get_by_test_id("item-status")).to_have_text("草稿")

    resident = new_context()
    register_api(resident, "韩秀英")
    reader = resident.new_page()
    results = resident_search(reader, "加装电梯补贴")
    expect(results).to_contain_text(re.compile("共找到|没有找到"))
    expect(results).not_to_contain_text("楼道加装电梯补贴申请")

    card.click()
    page.wait_for_url(re.compile(r"/staff/1/guide/\d+/edit$"))
    expect(page.get_by_test_id("item-status")).to_contain_text("草稿")
    page.get_by_test_id("publish").click()
    page.locator(".van-dialog:visible .van-dialog__confirm").click()
    page.wait_for_url("**/staff/1/guide")
    expect(card.get_by_test_id("item-status")).to_have_text("已发布")

    results = resident_search(reader, "加装电梯补贴")
    results.locator(".van-cell", has_text="楼道加装电梯补贴申请").first.click()
    expect(reader.get_by_test_id("item-title")).to_have_text("楼道加装电梯补贴申请")
    expect(reader.get_by_test_id("checklist")).to_contain_text("业主大会表决结果")

    card.click()
    page.get_by_test_id("unpublish").click()
    page.locator(".van-dialog:visible .van-dialog__confirm").click()
    page.wait_for_url("**/staff/1/guide")
    expect(card.get_by_test_id("item-status")).to_have_text("草稿")


def choose(page, field: str, name: str):
    """Open a picker field and tap one of its choices."""
    page.get_by_test_id(field).click()
    sheet = page.locator(".van-action-sheet:visible")
    sheet.get_by_role("button", name=re.compile(f"^{name}")).click()
    expect(sheet).to_be_hidden()


def test_contact_and_facility_are_kept_and_shown_to_residents(new_context):
    staff, page = staff_page(new_context)
    item = publish_api(staff, "社区养老服务补贴申请")
    type_id = api_call(staff, "GET", "/communities/1/facility-types")[0]["id"]
    facility = api_call(staff, "POST", "/communities/1/facilities", {
        "type_id": type_id, "name": "幸福里社会保障服务站", "latitude": 22.541, "longitude": 113.942})
    page.goto(f"/staff/1/guide/{item['id']}/edit")
    expect(page.get_by_test_id("contact").locator("input")).to_have_value("")
    page.get_by_test_id("contact").click()
    sheet = page.locator(".van-action-sheet:visible")
    expect(sheet.get_by_role("button", name=re.compile("^李秀英"))).to_contain_text("居委会主任")
    shot(page, "guide-staff-contact-picker")
    check_a11y(page, "guide editor contact picker")
    sheet.get_by_role("button", name=re.compile("^李秀英")).click()
    choose(page, "facility", "幸福里社会保障服务站")
    page.get_by_test_id("facility").scroll_into_view_if_needed()
    shot(page, "guide-staff-where")
    page.get_by_test_id("save").click()
    page.wait_for_url("**/staff/1/guide")

    page.goto(f"/staff/1/guide/{item['id']}/edit")
    expect(page.get_by_test_id("contact").locator("input")).to_have_value("李秀英")
    expect(page.get_by_test_id("facility").locator("input")).to_have_value("幸福里社会保障服务站")

    resident = new_context()
    register_api(resident, "周玉珍")
    reader = resident.new_page()
    reader.goto(f"/guide/items/{item['id']}")
    expect(reader.get_by_text("联系人：李秀英")).to_be_visible()
    reader.get_by_test_id("item-facility").scroll_into_view_if_needed()
    shot(reader, "guide-item-contact-facility")
    reader.get_by_test_id("item-facility").click()
    reader.wait_for_url(f"**/facilities/{facility['id']}")
    expect(reader.get_by_text("幸福里社会保障服务站").first).to_be_visible()

    choose(page, "facility", "无")  # and back to none
    page.get_by_test_id("save").click()
    page.wait_for_url("**/staff/1/guide")
    assert api_call(staff, "GET", f"{GUIDE}/items/{item['id']}")["facility"] is None


def test_bad_fields_show_their_errors_on_the_fields(new_context):
    _, page = staff_page(new_context)
    page.goto("/staff/1/guide/new")
    page.get_by_test_id("add-material").click()
    page.get_by_test_id("save-draft").click()
    expect(page.get_by_test_id("title")).to_contain_text("必填")
    expect(page.get_by_test_id("material-0")).to_contain_text("必填")
    page.get_by_test_id("title").locator("input").fill("错误电话示例")
    page.get_by_test_id("material-0").get_by_role("button", name="删除材料 1").click()
    page.get_by_test_id("phone").locator("input").fill("请拨打总机")
    page.get_by_test_id("save-draft").click()  # the server says what is wrong with the phone
    expect(page.get_by_test_id("phone")).to_contain_text("只能填写数字、空格、短横线、括号和 +")
    expect(page.get_by_test_id("title")).not_to_contain_text("必填")
    expect(page.locator(".van-toast")).to_be_hidden()
    shot(page, "guide-staff-editor-errors")
    check_a11y(page, "guide item editor with errors")


def test_categories_reorder_add_rename_delete(new_context):
    _, page = staff_page(new_context)
    page.goto("/staff/1/guide/categories")
    rows = page.get_by_test_id("staff-category")
    expect(rows.first).to_be_visible()
    first, second = (rows.nth(n).locator("strong").inner_text().split(". ", 1)[1] for n in (0, 1))
    rows.first.get_by_test_id("move-down").click()
    expect(rows.first).to_contain_text(second)
    rows.nth(1).get_by_test_id("move-up").click()  # put it back for the other tests
    expect(rows.first).to_contain_text(first)

    page.get_by_test_id("new-category").locator("input").fill("临时分类")
    page.get_by_test_id("add-category").click()
    added = rows.filter(has_text="临时分类")
    expect(added).to_contain_text("0 个事项")
    added.get_by_test_id("rename").click()
    page.get_by_test_id("rename-input").locator("input").fill("临时分类甲")
    shot(page, "guide-staff-category-rename")
    page.locator(".van-dialog:visible .van-dialog__confirm").click()
    expect(rows.filter(has_text="临时分类甲")).to_have_count(1)
    shot(page, "guide-staff-categories")
    check_a11y(page, "guide categories")
    page.get_by_role("button", name="删除“临时分类甲”").click()
    page.locator(".van-dialog:visible .van-dialog__confirm").click()
    expect(rows.filter(has_text="临时分类")).to_have_count(0)


def test_feedback_counts_and_comments(new_context):
    staff, page = staff_page(new_context)
    item = publish_api(staff, "社区图书角借书证办理")
    resident = new_context()
    register_api(resident, "邓桂兰")
    api_call(resident, "POST", f"{GUIDE}/items/{item['id']}/feedback",
             {"helpful": False, "comment": "没写要不要带户口本"})
    page.goto("/staff/1/guide")
    card = page.get_by_test_id("staff-guide-item").filter(has_text="社区图书角借书证办理")
    expect(card).to_contain_text("有帮助 0 · 没帮助 1")
    card.click()
    page.get_by_test_id("open-feedback").click()
    expect(page.get_by_test_id("count-no")).to_have_text("1")
    expect(page.get_by_test_id("feedback-comment")).to_contain_text("没写要不要带户口本")
    shot(page, "guide-staff-feedback")
    check_a11y(page, "guide feedback")


def test_export_downloads_json_and_import_reports_errors(new_context):
    _, page = staff_page(new_context)
    page.goto("/staff/1/guide/transfer")
    with page.expect_download() as info:
        page.get_by_test_id("export").click()
    download = info.value
    assert re.fullmatch(r"guide-1-\d{4}-\d{2}-\d{2}\.json", download.suggested_filename)
    exported = json.loads(download.path().read_text(encoding="utf-8"))
    assert exported["version"] == 1 and exported["categories"][0]["items"]
    check_a11y(page, "guide export and import")

    bad = {"categories": [{"name": "户籍", "items": [{"title": "居住证办理"}, {"title": "", "copies": 3}]}]}
    page.get_by_test_id("json-input").set_input_files(
        files=[{"name": "bad.json", "mimeType": "application/json", "buffer": json.dumps(bad).encode()}])
    page.get_by_test_id("import").click()
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("第 1 个分类“户籍” · 第 2 个事项 · 事项名称")
    shot(page, "guide-staff-import-errors")
    check_a11y(page, "guide import errors")

    page.get_by_test_id("json-input").set_input_files(
        files=[{"name": "notes.json", "mimeType": "application/json", "buffer": "居住证,身份证".encode()}])
    page.get_by_test_id("import").click()
    expect(errors).to_contain_text("不是有效的 JSON 文件")

    # The file just exported goes back in unchanged: every item matched by title.
    page.get_by_test_id("json-input").set_input_files(download.path())
    page.get_by_test_id("import").click()
    total = sum(len(c["items"]) for c in exported["categories"])
    result = page.get_by_test_id("import-result")
    expect(result.locator(".van-cell", has_text="新增事项")).to_contain_text("0")
    expect(result.locator(".van-cell", has_text="更新事项")).to_contain_text(str(total))


def test_staff_guide_screens_in_care_mode(new_context):
    staff, page = staff_page(new_context, care=True)
    item = publish_api(staff, "门前三包责任书签订")
    screens = [("/staff/1/guide", "guide-staff-list-care"),
               (f"/staff/1/guide/{item['id']}/edit", "guide-staff-editor-care"),
               ("/staff/1/guide/categories", "guide-staff-categories-care"),
               ("/staff/1/guide/transfer", "guide-staff-transfer-care"),
               (f"/staff/1/guide/{item['id']}/feedback", "guide-staff-feedback-care")]
    try:
        for path, name in screens:
            page.goto(path)
            expect(page.locator("html.care")).to_have_count(1)
            expect(page.locator(".van-skeleton")).to_have_count(0)
            shot(page, name)
            check_a11y(page, name)
            assert not page.evaluate(SMALL_TARGETS), name
    finally:
        api_call(staff, "PATCH", "/auth/me", {"care_mode": False})
