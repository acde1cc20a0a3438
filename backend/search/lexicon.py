"""Residents' words for official terms (lexicon.txt) and who a query is about (audiences.txt).

Both files are data kept in the repository and read once per process. A phrase of the lexicon found in
the folded query adds its service terms to the query; an audience word, or an age said in the query
("我爸七十五了", "3个月大"), adds the words that describe items for that audience.
"""
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from backend.search.text import fold

HERE = Path(__file__).resolve().parent
LEXICON, AUDIENCES = HERE / "lexicon.txt", HERE / "audiences.txt"
DIGITS = {c: n for n, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
UNITS = {"十": 10, "百": 100}
NUMBER = r"(\d{1,3}|[零〇一二两三四五六七八九十百]{1,6})"
# 75岁, 七十五周岁, 八十多岁, 我爸七十五了; 3个月大, 五个多月的宝宝 (months make the age 0).
AGE = re.compile(NUMBER + r"(?:多|来)?(?:周岁|岁|了)")
MONTHS = re.compile(NUMBER + r"个多?月(?:大|的)")


@dataclass(frozen=True)
class Entry:
    phrases: tuple[str, ...]
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Audience:
    name: str
    asked: tuple[str, ...] = ()     # words in a query that say it is about this audience
    described: tuple[str, ...] = ()  # words in items that say they are for it
    ages: tuple[int, int] | None = None


def _words(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(w for w in (fold(x).strip().replace(" ", "") for x in text.split(",")) if w))


def _lines(path: Path):
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if (line := line.strip()) and not line.startswith("#"):
                yield line


@lru_cache(maxsize=4)
def load_lexicon(path: Path) -> tuple[Entry, ...]:
    """Lines `phrase, phrase => term, term`; a line without both sides is skipped."""
    out = []
    for line in _lines(path):
        left, sep, right = line.partition("=>")
        if sep and (phrases := _words(left)) and (terms := _words(right)):
            out.append(Entry(phrases, terms))
    return tuple(out)


@lru_cache(maxsize=4)
def load_audiences(path: Path) -> tuple[Audience, ...]:
    """Lines `name <= words`, `name => words` and `name age min-max`, any number of each per audience."""
    found: dict[str, dict] = {}
    for line in _lines(path):
        name, _, rest = line.partition(" ")
        entry = found.setdefault(name, {"asked": (), "described": (), "ages": None})
        rest = rest.strip()
        if rest.startswith("<="):
            entry["asked"] += _words(rest[2:])
        elif rest.startswith("=>"):
            entry["described"] += _words(rest[2:])
        elif (m := re.fullmatch(r"age\s+(\d+)\s*-\s*(\d+)", rest)):
            entry["ages"] = (int(m[1]), int(m[2]))
    return tuple(Audience(name, **fields) for name, fields in found.items())


def chinese_number(text: str) -> int | None:
    """75 or 七十五, 一百零二, 两: the number, or None when it is not one."""
    if text.isdigit():
        return int(text)
    total, digit = 0, None
    for c in text:
        if c in DIGITS:
            digit = DIGITS[c]
        elif c in UNITS:
            total += (1 if digit is None else digit) * UNITS[c]
            digit = None
        else:
            return None
    return total + (digit or 0)


def ages(compact: str) -> list[int]:
    """Ages said in a folded query without spaces."""
    out = [n for m in AGE.finditer(compact) if (n := chinese_number(m[1])) is not None]
    return out + [0 for _ in MONTHS.finditer(compact)]


@lru_cache(maxsize=4)
def _phrases(entries: tuple[Entry, ...]) -> tuple[tuple[str, int], ...]:
    """Every phrase with the number of its entry, longest first: one pass over them per query."""
    return tuple(sorted(((p, n) for n, e in enumerate(entries) for p in e.phrases), key=lambda x: -len(x[0])))


def lexicon_hits(compact: str, entries: tuple[Entry, ...] | None = None) -> list[tuple[str, Entry]]:
    """(the phrase found, its entry) for each lexicon line with a phrase in the query: the longest phrase."""
    entries = load_lexicon(LEXICON) if entries is None else entries
    found: dict[int, str] = {}
    for phrase, n in _phrases(entries):
        if n not in found and phrase in compact:
            found[n] = phrase
    return [(found[n], entries[n]) for n in sorted(found)]


def audiences_of(compact: str, audiences: tuple[Audience, ...] | None = None) -> list[Audience]:
    """The audiences a query is about: by a word it uses or by an age it says."""
    said = ages(compact)
    return [a for a in (load_audiences(AUDIENCES) if audiences is None else audiences)
            if a.described and (any(w in compact for w in a.asked)
                                or (a.ages and any(a.ages[0] <= n <= a.ages[1] for n in said)))]
