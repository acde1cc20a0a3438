"""Search as residents ask: a scored OR over the words that matter, the lexicon, audiences and ages,
and the index of character pairs that narrows the candidates in the database."""
import pytest

from backend.extensions import db
from backend.search import lexicon, services
from backend.search.lexicon import ages, audiences_of, chinese_number, lexicon_hits, load_audiences, load_lexicon
from backend.search.models import SearchDocument, SearchGram
from backend.search.text import grams, parse
from tests import guide_factories as gf

LEXICON = """\
# 宠物 (a heading)
养狗, 狗证 => 犬只登记
房子过户 => 不动产登记, 房屋
only a left side
=> 没有左边
"""
AUDIENCES = """\
elderly <= 老人, 我爸, 我妈
elderly => 老年人, 高龄, 60周岁
elderly age 60-150
infants <= 宝宝, 婴儿
infants => 婴幼儿, 0-3岁
infants age 0-3
"""


@pytest.fixture
def data_files(tmp_path, monkeypatch):
    """A small lexicon and audience list of the tests' own, so the shipped files can grow freely."""
    (tmp_path / "lexicon.txt").write_text(LEXICON, encoding="utf-8")
    (tmp_path / "audiences.txt").write_text(AUDIENCES, encoding="utf-8")
    monkeypatch.setattr(lexicon, "LEXICON", tmp_path / "lexicon.txt")
    monkeypatch.setattr(lexicon, "AUDIENCES", tmp_path / "audiences.txt")


def url(community):
    return f"/api/v1/communities/{community.id}/search"


def titles(client, community, q):
    response = client.get(url(community), query_string={"q": q})
    assert response.status_code == 200, response.json
    return ["".join(s["text"] for s in hit["title"]) for hit in response.json]


def test_lexicon_file_lines_read_as_phrases_and_terms(data_files):
    entries = load_lexicon(lexicon.LEXICON)
    assert [(e.phrases, e.terms) for e in entries] == [(("养狗", "狗证"), ("犬只登记",)),
                                                       (("房子过户",), ("不动产登记", "房屋"))]


def test_audience_file_reads_words_both_ways_and_ages(data_files):
    elderly, infants = load_audiences(lexicon.AUDIENCES)
    assert elderly.asked == ("老人", "我爸", "我妈") and elderly.described == ("老年人", "高龄", "60周岁")
    assert (elderly.ages, infants.ages) == ((60, 150), (0, 3))


def test_missing_data_files_mean_no_expansion(tmp_path, monkeypatch):
    monkeypatch.setattr(lexicon, "LEXICON", tmp_path / "none.txt")
    monkeypatch.setattr(lexicon, "AUDIENCES", tmp_path / "none.txt")
    assert lexicon_hits("养狗要办什么") == [] and audiences_of("我爸75岁") == []


@pytest.mark.parametrize("text, number", [("75", 75), ("七十五", 75), ("八十", 80), ("十五", 15), ("两", 2),
                                          ("一百零二", 102), ("九十九", 99), ("七x", None)])
def test_chinese_numbers(text, number):
    assert chinese_number(text) == number


@pytest.mark.parametrize("query, said", [("我爸七十五了有什么补贴", [75]), ("我妈八十多岁", [80]), ("75岁", [75]),
                                         ("3个月大的宝宝", [0]), ("五个多月的宝宝", [0]), ("孩子两岁", [2]),
                                         ("失业三个月了", []), ("居住证", [])])
def test_ages_said_in_a_query(query, said):
    assert ages(query) == said


@pytest.mark.parametrize("query, who", [("我爸七十五了有什么补贴", ["elderly"]), ("老人坐车", ["elderly"]),
                                        ("我今年三十岁", []), ("3个月大", ["infants"]), ("宝宝打针", ["infants"]),
                                        ("办居住证", [])])
def test_audiences_by_word_or_age(data_files, query, who):
    assert [a.name for a in audiences_of(query)] == who


def test_question_and_filler_words_are_not_terms():
    assert parse("请问我家里明年要去哪里办居住证需要带什么材料").terms == ("居住证",)
    assert parse("养狗要登记吗").terms == ("养狗", "登记")
    assert parse("我爸七十五了有什么补贴").terms == ("我爸", "补贴")


def test_a_question_around_the_term_finds_the_item(client, community):
    gf.create_item(community, "居住证办理")
    gf.create_item(community, "社区活动报名", summary="需要什么都可以来问")
    assert titles(client, community, "请问明年居住证需要去哪里办")[0] == "居住证办理"


def test_not_every_word_is_required(client, community):
    gf.create_item(community, "居住证办理")
    assert titles(client, community, "居住证 火星") == ["居住证办理"]


def test_the_rare_core_word_outranks_a_common_one(client, community):
    for n in range(6):
        gf.create_item(community, f"补贴申请{n}")
    gf.create_item(community, "轮椅借用", summary="可以申请")
    assert titles(client, community, "轮椅申请")[0] == "轮椅借用"


def test_the_lexicon_turns_residents_words_into_service_terms(client, community, data_files):
    gf.create_item(community, "犬只登记")
    gf.create_item(community, "就业登记")
    assert titles(client, community, "养狗要登记吗")[0] == "犬只登记"
    assert titles(client, community, "房子过户去哪儿办") == []  # no such item: nothing made up
    gf.create_item(community, "不动产登记")
    assert titles(client, community, "房子过户去哪儿办")[0] == "不动产登记"


def test_without_the_lexicon_line_the_phrase_finds_nothing(client, community, tmp_path, monkeypatch):
    gf.create_item(community, "犬只登记")
    monkeypatch.setattr(lexicon, "LEXICON", tmp_path / "none.txt")
    assert titles(client, community, "养狗") == []


def test_staff_synonyms_join_the_lexicon_inside_a_question(client, community, data_files):
    gf.create_item(community, "最低生活保障申请")
    gf.create_synonyms(community, "吃低保", "最低生活保障")
    assert titles(client, community, "家里困难想吃低保怎么弄") == ["最低生活保障申请"]


def test_an_age_brings_the_items_for_that_audience_first(client, community, data_files):
    gf.create_item(community, "津贴申领（学生）", audience="在校学生")
    gf.create_item(community, "津贴申领（长者）", audience="年满60周岁的老年人")
    assert titles(client, community, "我爸七十五了能领什么津贴")[0] == "津贴申领（长者）"
    assert titles(client, community, "我二十岁了能领什么津贴")[0] == "津贴申领（学生）"


def test_a_babys_months_make_it_an_infant(client, community, data_files):
    gf.create_item(community, "儿童疫苗接种", audience="0-3岁婴幼儿")
    gf.create_item(community, "成人疫苗接种", audience="18岁以上")
    assert titles(client, community, "3个月大的宝宝打疫苗")[0] == "儿童疫苗接种"


def test_words_of_the_question_are_highlighted(client, community):
    gf.create_item(community, "轮椅借用")
    hit = client.get(url(community), query_string={"q": "哪里能借用轮椅"}).json[0]
    assert [s for s in hit["title"] if s["hit"]] == [{"text": "轮椅借用", "hit": True}]


def test_grams_are_pairs_of_chinese_characters_and_runs_of_letters():
    assert grams("居住证 aed 60周岁") == {"居住", "住证", "aed", "60", "周岁"}


def test_the_index_of_pairs_follows_the_document(client, community, staff_client):
    item = gf.create_item(community, "居住证办理")
    doc_ids = db.session.scalars(db.select(SearchDocument.id).filter_by(kind="guide", ref_id=item.id)).all()
    assert gf.count(SearchGram, gram="住证") == 1
    assert {g.doc_id for g in db.session.scalars(db.select(SearchGram))} <= set(doc_ids)
    staff_client.delete(f"/api/v1/communities/{community.id}/guide/items/{item.id}")
    assert gf.count(SearchGram) == 0


def test_a_common_word_alone_still_finds_its_rows(client, community):
    for n in range(5):
        gf.create_item(community, f"事项{n}", summary="申请")
    assert len(titles(client, community, "申请")) == 5


# The demo guide and facilities, a fixed lexicon, fixed expected rankings: the same on SQLite and PostgreSQL
# (CI runs this file on both), scores included, so neither database ranks by its own rules.
EXPECTED = {
    "居住证": ["居住证办理", "居住证签注（续期）", "居住证明（子女入学）"],
    "jzz": ["居住证办理", "居住证签注（续期）", "居住证明（子女入学）"],
    "我爸七十五了有什么补贴": ["高龄老人津贴申领", "残疾人两项补贴", "居家养老服务补贴"],
    "身份证丢了怎么补": ["居民身份证换领、补领", "粤海学校运动场（错时开放）", "粤海派出所"],
    "家里有个残疾的能领什么钱": ["残疾人证办理", "残疾人就业登记", "残疾人两项补贴"],
    "失业了能领钱吗": ["失业登记", "失业保险金申领"],
    "老人吃饭的地方": ["长者饭堂助餐服务", "高龄老人津贴申领", "老年人优待证办理"],
    "孩子打疫苗去哪里": ["儿童预防接种", "新生儿出生入户"],
}


@pytest.fixture
def demo(community, data_files):
    from backend.facilities.demo_data import seed_facilities
    from backend.guide.demo_data import seed_guide
    seed_guide(community.id, seed_facilities(community.id))
    db.session.commit()
    return community


@pytest.mark.parametrize("query", EXPECTED)
def test_the_same_ranking_on_both_databases(demo, query):
    hits = services.search(demo.id, query, ("guide", "facility"), limit=3)
    assert ["".join(s["text"] for s in h.title) for h in hits] == EXPECTED[query], [
        "".join(s["text"] for s in h.title) for h in hits]
