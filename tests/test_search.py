"""Search: Chinese, pinyin, initials, mixed input, synonyms, typos, ranking, highlighting, bad input."""
import pytest

from backend.search.models import SearchDocument, SynonymGroup
from tests import guide_factories as gf


def url(community, path="search"):
    return f"/api/v1/communities/{community.id}/{path}"


def titles(response):
    assert response.status_code == 200, response.json
    return ["".join(s["text"] for s in hit["title"]) for hit in response.json]


@pytest.fixture
def guide(community):
    category = gf.create_category(community, "户籍")
    for title, tags, aliases in [("居住证办理", ["居住证"], ["暂住证"]),
                                 ("城乡居民医疗保险参保", ["医保"], ["居民医保"]),
                                 ("最低生活保障申请", ["救助"], ["吃低保"]),
                                 ("居民身份证换领", ["身份证"], [])]:
        gf.create_item(community, title, category, tags=tags, aliases=aliases, summary=f"关于{title}的说明")
    return category


@pytest.mark.parametrize("query, expected", [
    ("居住证", "居住证办理"),            # Chinese without spaces
    ("juzhuzheng", "居住证办理"),       # full pinyin
    ("ylbx", "城乡居民医疗保险参保"),    # initials
    ("yiliaobx", "城乡居民医疗保险参保"),  # full pinyin and initials mixed
    ("居住zheng", "居住证办理"),         # Chinese and pinyin mixed
    ("JUZHUZHENG", "居住证办理"),       # capitals
    ("ｊｕｚｈｕｚｈｅｎｇ", "居住证办理"),  # full-width letters
    ("暂住证", "居住证办理"),            # an alias staff wrote on the item
    ("居住正", "居住证办理"),            # a wrong character that sounds the same
    ("居主证办理", "居住证办理"),         # a wrong character that does not
    ("医疗险", "城乡居民医疗保险参保"),    # a missing character
    ("怎么办理居住证", "居住证办理"),      # a question around the words
    ("身份证 换领", "居民身份证换领"),     # words separated by a space
])
def test_search_finds(client, guide, community, query, expected):
    assert titles(client.get(url(community), query_string={"q": query}))[0] == expected


def test_synonyms_staff_maintain_work_both_ways(client, guide, community):
    gf.create_synonyms(community, "低保", "最低生活保障")
    gf.create_item(community, "低保边缘家庭认定", guide)
    assert "最低生活保障申请" in titles(client.get(url(community), query_string={"q": "低保"}))
    assert "低保边缘家庭认定" in titles(client.get(url(community), query_string={"q": "最低生活保障"}))


def test_title_outranks_tags_outrank_body(client, community):
    category = gf.create_category(community)
    gf.create_item(community, "正文里提到", category, summary="这里写着长者饭堂")
    gf.create_item(community, "标签里提到", category, tags=["长者饭堂"])
    gf.create_item(community, "长者饭堂登记", category)
    response = client.get(url(community), query_string={"q": "长者饭堂"})
    assert titles(response) == ["长者饭堂登记", "标签里提到", "正文里提到"]
    assert [h["field"] for h in response.json] == ["title", "tags", "body"]


def test_hits_highlight_matched_words(client, guide, community):
    hit = client.get(url(community), query_string={"q": "jzz"}).json[0]
    assert hit["title"] == [{"text": "居住证", "hit": True}, {"text": "办理", "hit": False}]


def test_body_hit_snippet_highlights_the_match(client, community):
    gf.create_item(community, "高龄津贴", summary="年满八十周岁的老人每月可领取高龄津贴，由社区代为申请。")
    hit = client.get(url(community), query_string={"q": "代为申请"}).json[0]
    assert {"text": "代为申请", "hit": True} in hit["snippet"]


def test_a_slip_of_the_pen_looks_in_bodies_only_when_no_title_is_near(client, community):
    category = gf.create_category(community)
    gf.create_item(community, "随迁子女入学", category, summary="家长需先办理居住证，再申请学位。")
    only_in_body = titles(client.get(url(community), query_string={"q": "居生证"}))
    gf.create_item(community, "居住证办理", category)
    near_a_title = titles(client.get(url(community), query_string={"q": "居生证"}))
    assert only_in_body == ["随迁子女入学"]
    assert near_a_title == ["居住证办理"]


def test_search_finds_facilities_and_filters_by_kind(client, guide, community):
    gf.create_facility(community, "幸福里社康中心", description="全科门诊和预防接种")
    both = client.get(url(community), query_string={"q": "社康"}).json
    assert [h["kind"] for h in both] == ["facility"]
    assert client.get(url(community), query_string={"q": "社康", "kind": "guide"}).json == []


def test_drafts_are_found_by_staff_only(client, staff_client, resident_client, community):
    gf.create_item(community, "草稿中的残疾人证办理", published=False)
    for who, found in [(client, 0), (resident_client, 0), (staff_client, 1)]:
        assert len(who.get(url(community), query_string={"q": "残疾人证"}).json) == found


def test_search_sees_only_its_own_community(client, community, other_community):
    gf.create_item(other_community, "对面社区的居住证办理")
    assert client.get(url(community), query_string={"q": "居住证"}).json == []


def test_unpublishing_and_deleting_take_items_out_of_search(staff_client, client, community):
    item_id = gf.create_item(community, "居住证办理").id
    staff_client.post(url(community, f"guide/items/{item_id}/unpublish"))
    assert client.get(url(community), query_string={"q": "居住证"}).json == []
    staff_client.delete(url(community, f"guide/items/{item_id}"))
    assert gf.count(SearchDocument, ref_id=item_id, kind="guide") == 0


@pytest.mark.parametrize("query", ["😀", "'; DROP TABLE search_document; --", "%", "_", "\\", "<script>", "　"])
def test_odd_input_gets_an_empty_answer(client, guide, community, query):
    response = client.get(url(community), query_string={"q": query})
    assert response.status_code in (200, 422)
    if response.status_code == 200:
        assert response.json == []


@pytest.mark.parametrize("query", ["", "   ", "居" * 1000])
def test_empty_or_huge_query_is_invalid(client, guide, community, query):
    response = client.get(url(community), query_string={"q": query})
    assert response.status_code == 422
    assert response.json["code"] == "validation_failed" and "q" in response.json["errors"]


def test_missing_query_is_invalid(client, community):
    assert client.get(url(community)).status_code == 422


@pytest.mark.parametrize("params", [{"q": "x", "limit": 0}, {"q": "x", "limit": "many"}, {"q": "x", "kind": "vote"}])
def test_bad_search_parameters_are_invalid(client, community, params):
    assert client.get(url(community), query_string=params).status_code == 422


def test_search_in_unknown_community_is_404(client):
    assert client.get("/api/v1/communities/9999/search", query_string={"q": "x"}).status_code == 404


def test_suggestions_complete_as_you_type(client, guide, community):
    response = client.get(url(community, "search/suggest"), query_string={"q": "ju"})
    assert response.status_code == 200
    texts = [s["text"] for s in response.json]
    assert "居住证办理" in texts and len(texts) <= 8


def test_suggestions_use_titles_and_tags_not_body(client, community):
    gf.create_item(community, "高龄津贴", summary="长者饭堂")
    assert client.get(url(community, "search/suggest"), query_string={"q": "长者饭堂"}).json == []


@pytest.mark.parametrize("query", ["", "居" * 51])
def test_bad_suggestion_input_is_invalid(client, community, query):
    assert client.get(url(community, "search/suggest"), query_string={"q": query}).status_code == 422


def test_staff_add_a_synonym_group(staff_client, community):
    response = staff_client.post(url(community, "search/synonyms"), json={"terms": ["老年卡", "敬老优待证"]})
    assert response.status_code == 201
    assert staff_client.get(url(community, "search/synonyms")).json == [response.json]


@pytest.mark.parametrize("body", [{}, {"terms": ["只有一个"]}, {"terms": ["", "x"]}, {"terms": "低保"},
                                  {"terms": ["长" * 31, "x"]}])
def test_bad_synonym_group_is_invalid_and_saves_nothing(staff_client, community, body):
    assert staff_client.post(url(community, "search/synonyms"), json=body).status_code == 422
    assert gf.count(SynonymGroup) == 0


def test_staff_change_and_remove_a_synonym_group(staff_client, community):
    group = gf.create_synonyms(community, "低保", "最低生活保障")
    path = url(community, f"search/synonyms/{group.id}")
    assert staff_client.put(path, json={"terms": ["低保", "低保金"]}).json["terms"] == ["低保", "低保金"]
    assert staff_client.delete(path).status_code == 204
    assert gf.count(SynonymGroup) == 0


@pytest.mark.parametrize("who, status", [("anonymous", 401), ("resident", 403), ("other_staff", 403)])
def test_only_the_communitys_staff_manage_synonyms(who, status, client, resident_client, make_client,
                                                    other_community, community):
    from tests import factories
    clients = {"anonymous": client, "resident": resident_client,
               "other_staff": factories.logged_in(make_client(), factories.create_user(other_community, "staff"))}
    group = gf.create_synonyms(community, "低保", "最低生活保障")
    who = clients[who]
    assert who.get(url(community, "search/synonyms")).status_code == status
    assert who.post(url(community, "search/synonyms"), json={"terms": ["a", "b"]}).status_code == status
    assert who.put(url(community, f"search/synonyms/{group.id}"), json={"terms": ["a", "b"]}).status_code == status
    assert who.delete(url(community, f"search/synonyms/{group.id}")).status_code == status
    assert staff_terms(community) == [["低保", "最低生活保障"]]


def staff_terms(community):
    from backend.search.synonyms import list_synonyms
    return [g.terms for g in list_synonyms(community.id)]


def test_another_communitys_synonym_group_is_404(staff_client, community, other_community):
    group = gf.create_synonyms(other_community, "低保", "最低生活保障")
    assert staff_client.put(url(community, f"search/synonyms/{group.id}"),
                            json={"terms": ["a", "b"]}).status_code == 404
    assert staff_client.delete(url(community, f"search/synonyms/{group.id}")).status_code == 404


def test_initials_do_not_run_across_separate_tags(client, community):
    gf.create_item(community, "低保申请", tags=["救助", "最低"])  # 救助 · 最低 reads j-z-z-d only across the gap
    assert client.get(url(community), query_string={"q": "jzzd"}).json == []
