"""Search logs: what is logged (and what not), opened hits, staff's list of misses and their one-tap fixes,
the closest categories under an empty result, retention, tenancy, and searches logged at the same moment."""
import queue
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import select

from backend.common.models import utcnow
from backend.extensions import db
from backend.search import logs as search_logs
from backend.search.logs import HEADER, SearchLog, flush, prune, prune_search_logs
from backend.search.models import SynonymGroup
from tests import factories
from tests import guide_factories as gf


def url(community, path=""):
    return f"/api/v1/communities/{community.id}/search{path}"


def search(client, community, q, **params):
    r = client.get(url(community), query_string={"q": q, **params})
    assert r.status_code == 200, r.json
    return r


def titles(response):
    return ["".join(s["text"] for s in hit["title"]) for hit in response.json]


def logs() -> list[SearchLog]:
    flush()  # rows are written after the response, by a thread of their own
    db.session.commit()  # and read in a fresh transaction
    return list(db.session.scalars(select(SearchLog).order_by(SearchLog.id)))


def misses(client, community, days=30):
    flush()
    r = client.get(url(community, "/misses"), query_string={"days": days})
    assert r.status_code == 200, r.json
    return {m["query"]: m for m in r.json}


@pytest.fixture
def guide(community):
    household = gf.create_category(community, "户籍")
    pets = gf.create_category(community, "宠物犬只")
    gf.create_category(community, "空分类")
    items = {"resident": gf.create_item(community, "居住证办理", household, tags=["居住证"]),
             "dog": gf.create_item(community, "犬只登记", pets, tags=["养犬"]),
             "draft": gf.create_item(community, "犬只年检", pets, published=False)}
    return {"household": household, "pets": pets, **items}


def test_a_search_is_logged_folded_without_who_searched(resident_client, guide, community):
    r = search(resident_client, community, "ＪＵＺＨＵ  居住证")
    (row,) = logs()
    assert (row.query, row.result_count, row.community_id, row.opened_id) == ("juzhu 居住证", 1, community.id, None)
    assert r.headers[HEADER] and not {"user_id", "ip"} & set(SearchLog.__table__.columns.keys())


def test_phone_and_id_numbers_are_masked(client, guide, community):
    search(client, community, "13812345678的低保")
    search(client, community, "11010519491231002X")
    assert [row.query for row in logs()] == ["*的低保", "*"]


def test_suggestions_later_pages_and_blank_queries_are_not_logged(client, guide, community):
    assert client.get(url(community, "/suggest"), query_string={"q": "居住"}).status_code == 200
    r = search(client, community, "居住证", offset=20)
    search(client, community, " ？？ ")
    assert logs() == [] and HEADER not in r.headers


def test_opening_a_hit_is_remembered_once(client, guide, community):
    token = search(client, community, "居住证").headers[HEADER]
    for ref in (guide["resident"].id, guide["dog"].id):
        r = client.post(url(community, "/opened"), json={"log": token, "kind": "guide", "id": ref})
        assert r.status_code == 204
    (row,) = logs()
    assert (row.opened_kind, row.opened_id) == ("guide", guide["resident"].id) and row.opened_at


def test_a_hit_opened_before_its_search_is_written_writes_the_row(client, guide, community, monkeypatch):
    held = queue.Queue()
    monkeypatch.setattr(search_logs, "_pending", held)  # the writer thread has not got to the row yet
    monkeypatch.setattr(search_logs, "_start_writer", lambda: None)
    token = search(client, community, "居住证").headers[HEADER]
    r = client.post(url(community, "/opened"), json={"log": token, "kind": "guide", "id": guide["resident"].id})
    assert r.status_code == 204
    app, row = held.get()
    held.task_done()
    search_logs._insert(app, [row])  # written late: the row the opening wrote stays
    (logged,) = logs()
    assert (logged.query, logged.result_count, logged.opened_id) == ("居住证", 1, guide["resident"].id)


def test_the_longest_query_still_gives_a_token_that_opens(client, guide, community):
    words = "".join(chr(0x4e00 + (n * 7919) % 20000) for n in range(100))  # no two alike: compresses badly
    token = search(client, community, words).headers[HEADER]
    r = client.post(url(community, "/opened"), json={"log": token, "kind": "guide", "id": guide["dog"].id})
    assert r.status_code == 204 and logs()[0].opened_id == guide["dog"].id


@pytest.mark.parametrize("token", ["1", "1.forged", "", "x" * 200])
def test_a_forged_token_is_a_404(client, guide, community, token):
    search(client, community, "居住证")
    r = client.post(url(community, "/opened"), json={"log": token, "kind": "guide", "id": 1})
    assert r.status_code == 404 and r.json["code"] == "not_found"
    assert logs()[0].opened_id is None


def test_a_token_from_another_community_is_a_404(client, guide, community, other_community):
    token = search(client, community, "居住证").headers[HEADER]
    r = client.post(url(other_community, "/opened"), json={"log": token, "kind": "guide", "id": 1})
    assert r.status_code == 404 and logs()[0].opened_id is None


@pytest.mark.parametrize("body", [{}, {"log": "a", "kind": "notice", "id": 1}, {"log": "a", "kind": "guide", "id": "1"},
                                  {"log": "a", "kind": "guide", "id": 0}, {"log": 5, "kind": "guide", "id": 1},
                                  {"log": "\ud800.x", "kind": "guide", "id": 1}])
def test_bad_opened_input_is_a_422(client, community, body):
    r = client.post(url(community, "/opened"), json=body)
    assert r.status_code == 422 and r.json["code"] == "validation_failed"


def test_staff_see_the_most_frequent_misses_first(client, staff_client, guide, community):
    for q in ["飞碟维修", "飞碟维修", "飞碟维修", "月球护照", "居住证"]:
        search(client, community, q)
    token = search(client, community, "居住证").headers[HEADER]  # found, and opened: not a miss
    client.post(url(community, "/opened"), json={"log": token, "kind": "guide", "id": guide["resident"].id})
    search(client, community, "犬只")  # found, never opened
    found = misses(staff_client, community)
    assert list(found) == ["飞碟维修", "犬只", "月球护照"]
    ufo = found["飞碟维修"]
    assert (ufo["searches"], ufo["empty"], ufo["found_nothing"]) == (3, 3, True)
    assert (found["犬只"]["empty"], found["犬只"]["found_nothing"]) == (0, False)


def test_the_period_limits_the_list(client, staff_client, guide, community):
    search(client, community, "老早的问题")
    search(client, community, "上个月的问题")
    rows = logs()
    rows[0].created_at = utcnow() - timedelta(days=60)
    rows[1].created_at = utcnow() - timedelta(days=20)
    db.session.commit()
    assert list(misses(staff_client, community, 30)) == ["上个月的问题"]
    assert set(misses(staff_client, community, 90)) == {"老早的问题", "上个月的问题"}


def test_add_as_alias_of_an_item_makes_the_next_search_find_it(client, staff_client, guide, community):
    assert titles(search(client, community, "小蓝本")) == []
    r = staff_client.post(url(community, "/misses/alias"), json={"query": "小蓝本", "item_id": guide["resident"].id})
    assert r.status_code == 200 and "小蓝本" in r.json["aliases"]
    assert titles(search(client, community, "小蓝本"))[0] == "居住证办理"
    after = misses(staff_client, community)["小蓝本"]  # the search since: found, not (yet) opened
    assert (after["searches"], after["found_nothing"]) == (1, False)


def test_add_as_synonym_of_a_term_makes_the_next_search_find_it(client, staff_client, guide, community):
    assert titles(search(client, community, "旺财卡")) == []
    r = staff_client.post(url(community, "/misses/synonym"), json={"query": "旺财卡", "term": "犬只登记"})
    assert r.status_code == 200 and r.json["terms"] == ["犬只登记", "旺财卡"]
    assert titles(search(client, community, "旺财卡"))[0] == "犬只登记"
    assert misses(staff_client, community)["旺财卡"]["empty"] == 0


def test_a_synonym_joins_the_group_its_term_is_in(staff_client, community):
    group = gf.create_synonyms(community, "低保", "最低生活保障")
    r = staff_client.post(url(community, "/misses/synonym"), json={"query": "吃低保钱", "term": "最低生活保障"})
    assert r.json["id"] == group.id and r.json["terms"] == ["低保", "最低生活保障", "吃低保钱"]
    assert len(list(db.session.scalars(select(SynonymGroup)))) == 1


def test_a_full_synonym_group_or_alias_list_is_a_409(staff_client, guide, community):
    gf.create_synonyms(community, *[f"词{n}" for n in range(10)])
    r = staff_client.post(url(community, "/misses/synonym"), json={"query": "新词", "term": "词1"})
    assert r.status_code == 409 and r.json["code"] == "synonyms_full"
    item = gf.create_item(community, "满了", guide["pets"], aliases=[f"别名{n}" for n in range(10)])
    r = staff_client.post(url(community, "/misses/alias"), json={"query": "新词", "item_id": item.id})
    assert r.status_code == 409 and r.json["code"] == "aliases_full"


def test_a_new_search_after_a_fix_counts_afresh(client, staff_client, guide, community):
    search(client, community, "打错字了")
    assert staff_client.post(url(community, "/misses/dismiss"), json={"query": "打错字了"}).status_code == 204
    assert misses(staff_client, community) == {}
    search(client, community, "打错字了")
    assert misses(staff_client, community)["打错字了"]["searches"] == 1


@pytest.mark.parametrize("path, body", [
    ("/misses/alias", {"query": "x" * 31, "item_id": 1}),
    ("/misses/alias", {"query": "？？", "item_id": 1}),
    ("/misses/synonym", {"query": "飞碟维修", "term": ""}),
    ("/misses/dismiss", {"query": ""}),
])
def test_bad_fix_input_is_a_422(staff_client, guide, community, path, body):
    if "item_id" in body:
        body = {**body, "item_id": guide["dog"].id}
    r = staff_client.post(url(community, path), json=body)
    assert r.status_code == 422 and r.json["code"] == "validation_failed"


def test_an_item_of_another_community_cannot_get_the_alias(staff_client, community, other_community):
    theirs = gf.create_item(other_community, "别人的事项")
    r = staff_client.post(url(community, "/misses/alias"), json={"query": "飞碟维修", "item_id": theirs.id})
    assert r.status_code == 422 and "item_id" in r.json["errors"]
    db.session.refresh(theirs)
    assert theirs.aliases == []


def test_staff_see_only_their_own_communitys_misses(client, make_client, guide, community, other_community):
    search(client, community, "我们的问题")
    search(client, other_community, "他们的问题")
    theirs = factories.logged_in(make_client(), factories.create_user(other_community, role="staff"))
    assert list(misses(theirs, other_community)) == ["他们的问题"]
    assert theirs.get(url(community, "/misses")).status_code == 403
    r = theirs.post(url(community, "/misses/dismiss"), json={"query": "我们的问题"})
    assert r.status_code == 403 and not logs()[0].handled


@pytest.mark.parametrize("who", ["client", "resident_client"])
def test_residents_and_guests_cannot_see_the_misses(request, guide, community, who):
    r = request.getfixturevalue(who).get(url(community, "/misses"))
    assert r.status_code in {401, 403}


@pytest.mark.parametrize("query, expected", [
    ("我家养犬了要去哪登记", "宠物犬只"),  # filler left out; 犬 and 登记 are the pets' items
    ("请问暂住的证怎么弄", "户籍"),       # 住 and 证 of 居住证
    ("juzhu", "户籍"),                # pinyin typed: the sounds of 居住
    ("鞠躬", None),                    # shares nothing
])
def test_closest_categories(client, guide, community, query, expected):
    r = client.get(url(community, "/closest"), query_string={"q": query})
    assert r.status_code == 200
    names = [c["name"] for c in r.json]
    assert (names[0] if names else None) == expected and "空分类" not in names


def test_closest_categories_ignore_drafts_and_other_communities(client, guide, community, other_community):
    gf.create_item(other_community, "年检别处", gf.create_category(other_community, "年检"))
    r = client.get(url(community, "/closest"), query_string={"q": "年检"})
    assert r.json == []


def test_retention_prunes_old_logs_only(app, client, guide, community):
    for q in ("旧的", "新的"):
        search(client, community, q)
    old = logs()[0]
    old.created_at = utcnow() - timedelta(days=181)
    db.session.commit()
    assert prune() == 1
    assert [row.query for row in logs()] == ["新的"]
    app.config["SEARCH_LOG_DAYS"] = 1
    assert prune(now=utcnow() + timedelta(days=2), batch=1) == 1 and logs() == []


def test_the_worker_job_prunes(app, client, guide, community):
    search(client, community, "旧的")
    logs()[0].created_at = utcnow() - timedelta(days=400)
    db.session.commit()
    assert prune_search_logs() == 1 and logs() == []


def test_concurrent_searches_of_the_same_query_are_all_counted(make_client, staff_client, guide, community):
    threads = 8
    clients = [make_client() for _ in range(threads)]
    path = url(community)
    db.session.commit()  # the test holds no transaction while the threads write
    barrier = threading.Barrier(threads)

    def go(c):
        barrier.wait()
        return c.get(path, query_string={"q": "飞碟维修"}).status_code

    with ThreadPoolExecutor(threads) as pool:
        assert list(pool.map(go, clients)) == [200] * threads
    assert misses(staff_client, community)["飞碟维修"]["searches"] == threads
