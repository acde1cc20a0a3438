"""The curated search data files: backend/search/lexicon.txt and backend/search/audiences.txt.

They are data, edited by hand; these tests keep their format strict and their content useful: every line
parses, no phrase is listed twice, and every item of the demo guide can be reached from residents' words.
"""
import re
from pathlib import Path

import pytest

from backend.facilities.demo_data import FACILITIES, TYPES
from backend.guide.demo_data import CATEGORIES
from backend.search.lexicon import load_audiences, load_lexicon
from backend.search.text import fold

HERE = Path(__file__).resolve().parent.parent / "backend" / "search"
LEXICON, AUDIENCES = HERE / "lexicon.txt", HERE / "audiences.txt"
# A word is matched as written in the folded query with spaces taken out, and a term as one piece of text:
# letters, digits and Chinese only.
WORD = re.compile(r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff]+")
REQUIRED_AUDIENCES = {"elderly", "children", "infants", "expectant", "disabled"}


def _entries(path: Path):
    """(line number, heading, text) of each non-blank, non-comment line, with the heading above it."""
    heading = None
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if line.startswith("#"):
            heading = line.lstrip("# ").strip()
        elif line:
            yield n, heading, line


def _split(side: str) -> list[str]:
    return [w.strip() for w in side.split(",")]


def lexicon_lines() -> list[tuple[int, str, list[str], list[str]]]:
    out = []
    for n, heading, line in _entries(LEXICON):
        assert line.count(" => ") == 1, f"line {n}: one ' => ' expected: {line}"
        left, right = line.split(" => ")
        out.append((n, heading, _split(left), _split(right)))
    return out


def compact(text: str) -> str:
    return "".join(WORD.findall(fold(text)))


def demo_items() -> list[dict]:
    return [item for _, _, items in CATEGORIES for item in items]


def item_text(item: dict) -> str:
    """Where a lexicon term must land to lift an item: its title, aliases, tags and summary."""
    return "|".join(compact(t) for t in [item["title"], *item["aliases"], *item["tags"], item["summary"]])


def facility_text(row) -> str:
    name, type_index, description = row[0], row[1], row[6]
    return "|".join(compact(t) for t in (name, TYPES[type_index][0], description))


def test_lexicon_lines_are_well_formed():
    lines = lexicon_lines()
    assert len(lines) >= 300
    for n, heading, phrases, terms in lines:
        assert heading, f"line {n}: entries sit under a category heading comment"
        assert phrases and terms and all(phrases) and all(terms), f"line {n}: an empty phrase or term"
        for phrase in phrases:
            assert WORD.fullmatch(phrase) and fold(phrase) == phrase, f"line {n}: {phrase!r} is not folded text"
            assert len(phrase) >= 2, f"line {n}: a single character matches too much: {phrase!r}"
        for term in terms:
            assert WORD.fullmatch(fold(term)), f"line {n}: {term!r} has signs or spaces and cannot match"
        assert len(set(phrases)) == len(phrases) and len(set(terms)) == len(terms), f"line {n}: a repeat"


def test_no_phrase_is_listed_twice():
    seen: dict[str, int] = {}
    for n, _, phrases, _ in lexicon_lines():
        for phrase in phrases:
            assert phrase not in seen, f"{phrase!r} on lines {seen[phrase]} and {n}"
            seen[phrase] = n


def test_the_search_loader_reads_every_line():
    entries = load_lexicon(LEXICON)
    assert len(entries) == len(lexicon_lines())
    assert sum(len(e.phrases) for e in entries) == sum(len(p) for _, _, p, _ in lexicon_lines())


@pytest.mark.parametrize("phrase, term", [
    ("领退休金", "养老金资格认证"), ("养狗", "犬只登记"), ("房子过户", "不动产登记"), ("孩子没人带", "托育"),
    ("老人走了", "丧葬补助"), ("搬家了", "居住登记变更"), ("吃低保", "最低生活保障"), ("身份证丢了", "补领"),
])
def test_residents_words_lead_to_service_terms(phrase, term):
    assert any(phrase in phrases and term in terms for _, _, phrases, terms in lexicon_lines())


@pytest.mark.parametrize("item", demo_items(), ids=lambda item: item["title"])
def test_every_demo_guide_item_is_reached_from_residents_words(item):
    """At least two lines carry a term that is in the item's title, aliases, tags or summary."""
    text = item_text(item)
    reaching = [n for n, _, _, terms in lexicon_lines() if any(compact(t) in text for t in terms)]
    assert len(reaching) >= 2, f"{item['title']}: reached by lines {reaching}"


@pytest.mark.parametrize("type_index", range(len(TYPES)), ids=[name for name, _ in TYPES])
def test_every_demo_facility_type_is_reached(type_index):
    texts = [facility_text(row) for row in FACILITIES if row[1] == type_index]
    assert any(compact(t) in text for _, _, _, terms in lexicon_lines() for t in terms for text in texts)


def audience_lines() -> dict[str, dict]:
    found: dict[str, dict] = {}
    for n, _, line in _entries(AUDIENCES):
        m = re.fullmatch(r"([a-z_]+) (<=|=>|age) (.+)", line)
        assert m, f"line {n}: '<audience> <= words', '<audience> => words' or '<audience> age min-max': {line}"
        name, kind, rest = m.groups()
        entry = found.setdefault(name, {"<=": [], "=>": [], "age": None})
        if kind == "age":
            age = re.fullmatch(r"(\d+)-(\d+)", rest)
            assert age and int(age[1]) <= int(age[2]) <= 150, f"line {n}: age min-max expected: {rest}"
            assert entry["age"] is None, f"line {n}: a second age range for {name}"
            entry["age"] = (int(age[1]), int(age[2]))
        else:
            words = _split(rest)
            assert all(words), f"line {n}: an empty word"
            entry[kind] += words
    return found


def test_audiences_file_is_well_formed():
    found = audience_lines()
    assert set(found) >= REQUIRED_AUDIENCES
    for name, entry in found.items():
        assert entry["<="] and entry["=>"], f"{name}: needs both '<=' and '=>' lines"
        for word in entry["<="]:
            assert WORD.fullmatch(word) and fold(word) == word and len(word) >= 2, f"{name}: {word!r}"
        for word in entry["=>"]:
            assert WORD.fullmatch(fold(word)), f"{name}: {word!r} has signs or spaces and cannot match"
        for side in ("<=", "=>"):
            assert len(set(entry[side])) == len(entry[side]), f"{name} {side}: a repeat"
    assert found["elderly"]["age"] == (60, 150)
    assert found["infants"]["age"][0] == 0 and found["children"]["age"][0] == 0


def test_the_search_loader_reads_every_audience():
    found = audience_lines()
    loaded = {a.name: a for a in load_audiences(AUDIENCES)}
    assert set(loaded) == set(found)
    for name, entry in found.items():
        assert len(loaded[name].asked) == len(entry["<="]) and len(loaded[name].described) == len(entry["=>"])
        assert loaded[name].ages == entry["age"]


@pytest.mark.parametrize("name", sorted(REQUIRED_AUDIENCES))
def test_each_audience_describes_some_demo_item(name):
    """Words on the '=>' side must be words the demo guide really uses for that audience."""
    words = [compact(w) for w in audience_lines()[name]["=>"]]
    texts = [compact(item["audience"]) + item_text(item) for item in demo_items()]
    assert any(w in text for w in words for text in texts)
