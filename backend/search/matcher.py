"""Scoring one field against a query, in Python, so both databases rank the same."""
import re
from dataclasses import dataclass
from functools import lru_cache

from backend.search.text import CJK, Query

EXACT, PINYIN_FULL, PINYIN_PREFIX, INITIALS, MIXED, HOMOPHONE, FUZZY = 1.0, 0.9, 0.85, 0.8, 0.75, 0.7, 0.4
BEST = EXACT + 0.1  # the highest quality a match can have, bonuses included
MAX_SPANS = 5
MAX_LATIN = 40  # letters of typed pinyin matched syllable by syllable; longer input is cut


@dataclass
class Match:
    quality: float
    spans: list[tuple[int, int]]


class Doc:
    """A field as stored: folded text, and its syllables joined by "|" (one per character, maybe empty)."""

    def __init__(self, norm: str, syllables: str):
        self.norm, self.syllables = norm, syllables

    def chars(self, start: int, end: int) -> tuple[int, int]:
        """A span of the syllables string as a span of characters."""
        return self.syllables.count("|", 0, start), self.syllables.count("|", 0, end) + 1


@lru_cache(maxsize=4096)
def _pinyin_patterns(latin: str) -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """Typed letters against "ju|zhu|zheng", each match starting on a syllable:
    full pinyin (letters run on across syllables), initials (each letter starts a syllable),
    and mixed (each syllable takes a prefix of what is left: `yiliaobx`, `juzzh`)."""
    letters = [re.escape(c) for c in latin[:MAX_LATIN]]
    start = r"(?:^|(?<=\|))"
    # One "|" between syllables: a match never runs across a space or a sign ("救助 · 最低" is not jzz).
    return (re.compile(start + r"\|?".join(letters)), re.compile(start + r"[^|]*\|".join(letters)),
            re.compile(start + r"(?:[^|]*\|)?".join(letters)))


def _find_all(haystack: str, needle: str):
    start = haystack.find(needle)
    while start >= 0:
        yield start
        start = haystack.find(needle, start + 1)


def exact(doc: Doc, needle: str) -> list[tuple[int, int]]:
    return [(i, i + len(needle)) for i, _ in zip(_find_all(doc.norm, needle), range(MAX_SPANS))]


def pinyin(doc: Doc, latin: str) -> tuple[list[tuple[int, int]], bool]:
    """Typed pinyin that starts on a syllable; full when it also ends on one."""
    spans, full = [], False
    for m, _ in zip(_pinyin_patterns(latin)[0].finditer(doc.syllables), range(MAX_SPANS)):
        spans.append(doc.chars(*m.span()))
        full = full or m.end() == len(doc.syllables) or doc.syllables[m.end()] == "|"
    return spans, full


def initials(doc: Doc, letters: str) -> list[tuple[int, int]]:
    return [doc.chars(*m.span()) for m, _ in zip(_pinyin_patterns(letters)[1].finditer(doc.syllables),
                                                 range(MAX_SPANS))]


def mixed(doc: Doc, latin: str) -> list[tuple[int, int]]:
    m = _pinyin_patterns(latin)[2].search(doc.syllables)
    return [doc.chars(*m.span())] if m else []


def whole(q: Query, doc: Doc, exact_only: bool = False) -> Match | None:
    """The query as one piece: as written, as pinyin, as initials, or mixed (only as written in body text:
    pinyin is what people spell out for names, and reading every body as pinyin costs the most)."""
    for needle in dict.fromkeys((q.compact, q.norm)):
        if spans := exact(doc, needle):
            # Of two titles that both contain the query, the one starting with it and nearer its length wins.
            bonus = (0.05 if spans[0][0] == 0 else 0) + 0.05 * len(needle) / max(len(doc.norm), 1)
            return Match(EXACT + bonus, spans)
    if exact_only:
        return None
    if len(q.latin) >= 2 or not q.has_cjk:
        spans, full = pinyin(doc, q.latin)
        if spans:
            quality = HOMOPHONE if not q.has_latin else (PINYIN_FULL if full else PINYIN_PREFIX)
            return Match(quality, spans)
    if not q.has_cjk and (spans := initials(doc, q.compact)):
        return Match(INITIALS, spans)
    if not q.has_cjk and len(q.compact) >= 2 and (spans := mixed(doc, q.compact)):
        return Match(MIXED, spans)
    return None


def match(q: Query, doc: Doc) -> Match | None:
    return whole(q, doc)


def fuzzy_patterns(q: Query) -> list[str]:
    """LIKE patterns one edit away from a Chinese query of 3–12 characters (`_` is one character)."""
    text = q.compact
    if not (3 <= len(text) <= 12) or not all(CJK.match(c) for c in text):
        return []
    wrong = [text[:i] + "_" + text[i + 1:] for i in range(len(text))]
    missing = [text[:i] + "_" + text[i:] for i in range(1, len(text))]
    extra = [text[:i] + text[i + 1:] for i in range(len(text))]
    return list(dict.fromkeys(wrong + missing + extra))


def fuzzy(patterns: list[str], doc: Doc) -> Match | None:
    for pattern in patterns:
        regex = re.compile(re.escape(pattern).replace("_", "."))
        if found := regex.search(doc.norm):
            return Match(FUZZY, [found.span()])
    return None
