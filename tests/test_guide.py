"""The service guide: categories, items, publishing, ordering, feedback, import and export."""
import pytest

from backend.guide.models import GuideCategory, GuideFeedback, GuideItem
from tests import factories
from tests import guide_factories as gf


def url(community, path=""):
    return f"/api/v1/communities/{community.id}/guide/{path}"


ITEM = {
    "title": "居住证办理", "summary": "来深居住半年以上可申领", "audience": "在深居住满 6 个月",
    "materials": [{"name": "居民身份证", "form": "original", "copies": 1, "note": ""},
                  {"name": "租赁合同", "form": "copy", "copies": 2, "note": "出租屋登记"}],
    "steps": ["取号", "提交材料", "领取回执"], "office": "党群服务中心一楼 2 号窗口", "office_hours": "9:00–18:00",
    "fee": "免费", "time_limit_days": 10, "legal_basis": "《深圳经济特区居住证条例》", "mode": "both",
    "online_url": "https://www.gdzwfw.gov.cn/", "phone": "0755-2666 1234", "tags": ["居住证"],
    "aliases": ["暂住证"], "no_longer_issued": False, "instead": "", "published": True,
}


@pytest.fixture
def other_staff_client(make_client, other_community):
    return factories.logged_in(make_client(), factories.create_user(other_community, "staff"))


@pytest.fixture
def clients(client, resident_client, other_staff_client):
    return {"anonymous": client, "resident": resident_client, "other_staff": other_staff_client}


DENIED = [("anonymous", 401), ("resident", 403), ("other_staff", 403)]


# Reading: public

def test_anyone_reads_categories_with_published_counts(client, community):
    category = gf.create_category(community, "社会救助")
    gf.create_item(community, "低保申请", category)
    gf.create_item(community, "草稿", category, published=False)
    response = client.get(url(community, "categories"))
    assert response.status_code == 200
    assert response.json == [{"id": category.id, "name": "社会救助", "icon": "description", "position": 1,
                              "item_count": 1}]


def test_staff_count_drafts_too(staff_client, community):
    category = gf.create_category(community)
    gf.create_item(community, "草稿", category, published=False)
    assert staff_client.get(url(community, "categories")).json[0]["item_count"] == 1


def test_anyone_lists_published_items_of_a_category(client, community):
    one, two = gf.create_category(community), gf.create_category(community)
    first = gf.create_item(community, "甲", one)
    gf.create_item(community, "乙", two)
    gf.create_item(community, "丙", one, published=False)
    response = client.get(url(community, "items"), query_string={"category_id": one.id, "status": "all"})
    assert [i["id"] for i in response.json] == [first.id]


def test_staff_list_drafts(staff_client, community):
    draft = gf.create_item(community, "草稿", published=False)
    gf.create_item(community, "已发布")
    response = staff_client.get(url(community, "items"), query_string={"status": "draft"})
    assert [i["id"] for i in response.json] == [draft.id]


@pytest.mark.parametrize("params", [{"status": "secret"}, {"category_id": "x"}])
def test_bad_item_list_parameters_are_invalid(client, community, params):
    assert client.get(url(community, "items"), query_string=params).status_code == 422


def test_anyone_reads_a_published_item_in_full(client, community, staff):
    facility = gf.create_facility(community, "党群服务中心")
    item = gf.create_item(community, **{**ITEM, "facility_id": facility.id, "contact_user_id": staff.id})
    body = client.get(url(community, f"items/{item.id}")).json
    assert body["materials"][1] == {"name": "租赁合同", "form": "copy", "copies": 2, "note": "出租屋登记"}
    assert body["facility"]["name"] == "党群服务中心" and body["contact"] == {"id": staff.id, "name": staff.name}
    assert body["category"]["id"] == item.category_id and body["helpful_yes"] == 0


def test_a_draft_is_404_except_to_staff(client, resident_client, staff_client, community):
    item = gf.create_item(community, published=False)
    assert client.get(url(community, f"items/{item.id}")).status_code == 404
    assert resident_client.get(url(community, f"items/{item.id}")).status_code == 404
    assert staff_client.get(url(community, f"items/{item.id}")).status_code == 200


def test_another_communitys_item_is_404(client, community, other_community):
    item = gf.create_item(other_community)
    assert client.get(url(community, f"items/{item.id}")).status_code == 404


def test_unknown_community_is_404(client):
    assert client.get("/api/v1/communities/999/guide/categories").status_code == 404


# Categories: staff write

def test_staff_add_rename_and_remove_a_category(staff_client, community):
    created = staff_client.post(url(community, "categories"), json={"name": "养老服务", "icon": "friends-o"})
    assert created.status_code == 201 and created.json["position"] == 1
    path = url(community, f"categories/{created.json['id']}")
    assert staff_client.put(path, json={"name": "养老", "icon": "like-o"}).json["name"] == "养老"
    assert staff_client.delete(path).status_code == 204
    assert gf.count(GuideCategory) == 0


@pytest.mark.parametrize("body", [{}, {"name": ""}, {"name": "长" * 51}, {"name": "x", "icon": "<svg>"},
                                  {"name": 5}])
def test_bad_category_is_invalid_and_saves_nothing(staff_client, community, body):
    response = staff_client.post(url(community, "categories"), json=body)
    assert response.status_code == 422 and response.json["errors"]
    assert gf.count(GuideCategory) == 0


def test_duplicate_category_name_conflicts(staff_client, community):
    gf.create_category(community, "社保")
    assert staff_client.post(url(community, "categories"), json={"name": "社保"}).status_code == 409


def test_a_category_with_items_cannot_be_removed(staff_client, community):
    item = gf.create_item(community)
    response = staff_client.delete(url(community, f"categories/{item.category_id}"))
    assert response.status_code == 409 and response.json["code"] == "category_not_empty"


def test_staff_reorder_categories(staff_client, community):
    a, b, c = (gf.create_category(community) for _ in range(3))
    response = staff_client.put(url(community, "categories/order"), json={"ids": [c.id, a.id, b.id]})
    assert [x["id"] for x in response.json] == [c.id, a.id, b.id]


@pytest.mark.parametrize("ids", [lambda a, b: [a], lambda a, b: [a, a, b], lambda a, b: [a, b, 999], lambda a, b: []])
def test_reorder_needs_every_id_once(staff_client, community, ids):
    a, b = gf.create_category(community), gf.create_category(community)
    response = staff_client.put(url(community, "categories/order"), json={"ids": ids(a.id, b.id)})
    assert response.status_code == 422
    assert [x["id"] for x in staff_client.get(url(community, "categories")).json] == [a.id, b.id]


def test_staff_reorder_items_in_a_category(staff_client, community):
    category = gf.create_category(community)
    a, b = gf.create_item(community, "甲", category), gf.create_item(community, "乙", category)
    response = staff_client.put(url(community, f"categories/{category.id}/order"), json={"ids": [b.id, a.id]})
    assert [x["id"] for x in response.json] == [b.id, a.id]


@pytest.mark.parametrize("who, status", DENIED)
def test_only_the_communitys_staff_change_categories(clients, community, who, status):
    category = gf.create_category(community, "原名")
    c = clients[who]
    assert c.post(url(community, "categories"), json={"name": "新"}).status_code == status
    assert c.put(url(community, f"categories/{category.id}"), json={"name": "改"}).status_code == status
    assert c.put(url(community, "categories/order"), json={"ids": [category.id]}).status_code == status
    assert c.put(url(community, f"categories/{category.id}/order"), json={"ids": [1]}).status_code == status
    assert c.delete(url(community, f"categories/{category.id}")).status_code == status
    assert [x.name for x in gf.rows(GuideCategory)] == ["原名"]


def test_another_communitys_category_is_404_to_staff(staff_client, community, other_community):
    category = gf.create_category(other_community)
    assert staff_client.put(url(community, f"categories/{category.id}"), json={"name": "x"}).status_code == 404
    assert staff_client.delete(url(community, f"categories/{category.id}")).status_code == 404


# Items: staff write

def test_staff_write_an_item(staff_client, community):
    category = gf.create_category(community)
    response = staff_client.post(url(community, "items"), json={**ITEM, "category_id": category.id})
    assert response.status_code == 201
    assert response.json["title"] == "居住证办理" and response.json["published"] is True
    assert response.json["steps"] == ITEM["steps"]


def test_a_new_item_is_a_draft_by_default(staff_client, client, community):
    category = gf.create_category(community)
    created = staff_client.post(url(community, "items"), json={"title": "新事项", "category_id": category.id})
    assert created.json["published"] is False
    assert client.get(url(community, f"items/{created.json['id']}")).status_code == 404


@pytest.mark.parametrize("change", [
    {"title": ""}, {"title": "长" * 101}, {"title": "😀" * 101}, {"mode": "fax"}, {"mode": "online", "online_url": ""},
    {"online_url": "javascript:alert(1)"}, {"time_limit_days": -1}, {"time_limit_days": "ten"},
    {"materials": [{"name": ""}]}, {"materials": [{"name": "x", "copies": 0}]}, {"materials": "身份证"},
    {"steps": [""]}, {"tags": ["长" * 21]}, {"published": "yes"}, {"phone": "call me"}, {"category_id": 99999},
    {"facility_id": 99999}, {"contact_user_id": 99999}, {"summary": "x" * 1000},
])
def test_bad_item_is_invalid_and_saves_nothing(staff_client, community, change):
    category = gf.create_category(community)
    response = staff_client.post(url(community, "items"), json={**ITEM, "category_id": category.id, **change})
    assert response.status_code == 422, response.json
    assert response.json["errors"]
    assert gf.count(GuideItem) == 0


def test_an_item_cannot_point_at_another_communitys_category(staff_client, community, other_community):
    theirs = gf.create_category(other_community)
    response = staff_client.post(url(community, "items"), json={**ITEM, "category_id": theirs.id})
    assert response.status_code == 422 and "category_id" in response.json["errors"]


def test_the_contact_must_be_staff_of_the_community(staff_client, community, resident):
    category = gf.create_category(community)
    response = staff_client.post(url(community, "items"),
                                 json={**ITEM, "category_id": category.id, "contact_user_id": resident.id})
    assert response.status_code == 422 and "contact_user_id" in response.json["errors"]


def test_sql_and_emoji_are_kept_as_text(staff_client, community):
    category = gf.create_category(community)
    title = "'); DROP TABLE guide_item; -- 😀"
    response = staff_client.post(url(community, "items"), json={**ITEM, "category_id": category.id, "title": title})
    assert response.status_code == 201 and response.json["title"] == title


def test_staff_rewrite_an_item(staff_client, community):
    item = gf.create_item(community, "旧标题")
    response = staff_client.put(url(community, f"items/{item.id}"), json={**ITEM, "category_id": item.category_id})
    assert response.status_code == 200 and response.json["title"] == "居住证办理"


def test_moving_an_item_puts_it_last_in_its_new_category(staff_client, community):
    old, new = gf.create_category(community), gf.create_category(community)
    gf.create_item(community, "已在新分类", new)
    item = gf.create_item(community, "要移动", old)
    response = staff_client.put(url(community, f"items/{item.id}"), json={**ITEM, "category_id": new.id})
    assert response.json["position"] == 2


def test_staff_publish_and_unpublish(staff_client, client, community):
    item = gf.create_item(community, published=False)
    assert staff_client.post(url(community, f"items/{item.id}/publish")).json["published"] is True
    assert client.get(url(community, f"items/{item.id}")).status_code == 200
    assert staff_client.post(url(community, f"items/{item.id}/unpublish")).json["published"] is False
    assert client.get(url(community, f"items/{item.id}")).status_code == 404


def test_staff_remove_an_item(staff_client, community):
    item = gf.create_item(community)
    assert staff_client.delete(url(community, f"items/{item.id}")).status_code == 204
    assert gf.count(GuideItem) == 0


@pytest.mark.parametrize("who, status", DENIED)
def test_only_the_communitys_staff_change_items(clients, community, who, status):
    item = gf.create_item(community, "原标题")
    c, body = clients[who], {**ITEM, "category_id": item.category_id}
    assert c.post(url(community, "items"), json=body).status_code == status
    assert c.put(url(community, f"items/{item.id}"), json=body).status_code == status
    assert c.post(url(community, f"items/{item.id}/unpublish")).status_code == status
    assert c.post(url(community, f"items/{item.id}/publish")).status_code == status
    assert c.delete(url(community, f"items/{item.id}")).status_code == status
    assert c.get(url(community, f"items/{item.id}/feedback")).status_code == status
    assert [(i.title, i.published) for i in gf.rows(GuideItem)] == [("原标题", True)]


def test_another_communitys_item_is_404_to_staff(staff_client, community, other_community):
    item = gf.create_item(other_community)
    body = {**ITEM, "category_id": item.category_id}
    assert staff_client.put(url(community, f"items/{item.id}"), json=body).status_code == 404
    assert staff_client.post(url(community, f"items/{item.id}/publish")).status_code == 404
    assert staff_client.delete(url(community, f"items/{item.id}")).status_code == 404
    assert staff_client.get(url(community, f"items/{item.id}/feedback")).status_code == 404


# Feedback

def test_a_resident_says_an_item_helped_and_can_change_their_mind(resident_client, community):
    item = gf.create_item(community)
    path = url(community, f"items/{item.id}/feedback")
    assert resident_client.post(path, json={"helpful": True}).json["helpful_yes"] == 1
    body = resident_client.post(path, json={"helpful": False, "comment": "材料写得不清楚"}).json
    assert (body["helpful_yes"], body["helpful_no"]) == (0, 1)


def test_staff_see_counts_and_comments(resident_client, staff_client, community, resident):
    item = gf.create_item(community)
    resident_client.post(url(community, f"items/{item.id}/feedback"), json={"helpful": False, "comment": "窗口在哪"})
    body = staff_client.get(url(community, f"items/{item.id}/feedback")).json
    assert body["helpful_no"] == 1
    assert [(c["comment"], c["user"]["id"]) for c in body["comments"]] == [("窗口在哪", resident.id)]


def test_the_item_list_carries_helpful_counts(resident_client, staff_client, community):
    item, quiet = gf.create_item(community, "甲"), gf.create_item(community, "乙", published=False)
    resident_client.post(url(community, f"items/{item.id}/feedback"), json={"helpful": False})
    listed = staff_client.get(url(community, "items"), query_string={"status": "all"}).json
    assert {i["id"]: (i["helpful_yes"], i["helpful_no"]) for i in listed} == {item.id: (0, 1), quiet.id: (0, 0)}


@pytest.mark.parametrize("body", [{}, {"helpful": "yes"}, {"helpful": True, "comment": "长" * 501}])
def test_bad_feedback_is_invalid_and_saves_nothing(resident_client, community, body):
    item = gf.create_item(community)
    assert resident_client.post(url(community, f"items/{item.id}/feedback"), json=body).status_code == 422
    assert gf.count(GuideFeedback) == 0


@pytest.mark.parametrize("who, status", [("anonymous", 401), ("other_staff", 403)])
def test_feedback_is_from_members(clients, community, who, status):
    item = gf.create_item(community)
    assert clients[who].post(url(community, f"items/{item.id}/feedback"), json={"helpful": True}).status_code == status


def test_no_feedback_on_drafts_or_other_communities(resident_client, community, other_community):
    draft, theirs = gf.create_item(community, published=False), gf.create_item(other_community)
    for item in (draft, theirs):
        assert resident_client.post(url(community, f"items/{item.id}/feedback"),
                                    json={"helpful": True}).status_code == 404


# Import and export

def test_export_then_import_into_another_community(staff_client, community, make_client, other_community):
    category = gf.create_category(community, "户籍")
    gf.create_item(community, **{**ITEM, "published": False}, category=category)
    exported = staff_client.get(url(community, "export")).json
    assert exported["categories"][0]["items"][0]["materials"] == ITEM["materials"]
    theirs = factories.logged_in(make_client(), factories.create_user(other_community, "staff"))
    result = theirs.post(url(other_community, "import"), json=exported)
    assert result.json == {"categories_created": 1, "items_created": 1, "items_updated": 0}
    assert theirs.get(url(other_community, "export")).json == exported


def test_import_updates_items_by_title(staff_client, community):
    gf.create_item(community, "居住证办理", summary="旧")
    file = {"categories": [{"name": "户籍", "items": [{"title": "居住证办理", "summary": "新"}]}]}
    assert staff_client.post(url(community, "import"), json=file).json["items_updated"] == 1
    assert gf.rows(GuideItem)[0].summary == "新"


@pytest.mark.parametrize("file", [
    {}, {"categories": []}, {"version": 2, "categories": [{"name": "x"}]},
    {"categories": [{"name": "户籍", "items": [{"title": "好的"}, {"title": ""}]}]},
    {"categories": [{"name": "", "items": []}]},
])
def test_a_bad_import_changes_nothing(staff_client, community, file):
    response = staff_client.post(url(community, "import"), json=file)
    assert response.status_code == 422 and response.json["errors"]
    assert gf.count(GuideItem) == 0 and gf.count(GuideCategory) == 0


@pytest.mark.parametrize("who, status", DENIED)
def test_only_the_communitys_staff_import_and_export(clients, community, who, status):
    c = clients[who]
    assert c.get(url(community, "export")).status_code == status
    assert c.post(url(community, "import"), json={"categories": [{"name": "x"}]}).status_code == status
    assert gf.count(GuideCategory) == 0
