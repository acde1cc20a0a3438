"""What a query asks about, as concepts, and how well a row covers them: a scored OR, never "every word".

A concept is one part of the query's meaning with the words that may stand for it: a word the resident
typed (and the staff synonyms of it), a lexicon phrase found in the query (and its service terms), or an
audience (the words items use for it). Each concept weighs by its rarity (BM25's idf over the community's
documents), so an item matching the core term outranks one matching a common word; question and filler
words never become concepts (text.STOPWORDS). A row's score is the larger of

- the whole query found in one field (as written, pinyin, initials: the keyword search), and
- the weighted sum of the concepts it covers, over the weight of the words typed,

where a concept's cover on a row is its best field (title 3 > tags 2 > body 1, times the match quality)
plus a tenth of its other fields.
"""
import math
from dataclasses import dataclass, field

from backend.search import matcher
from backend.search.lexicon import audiences_of, lexicon_hits
from backend.search.matcher import Doc, Match
from backend.search.models import TAGS
from backend.search.text import Query, fold, grams, parse

SYNONYM, LEXICON, AUDIENCE = 0.95, 0.9, 0.5  # what a word standing for the typed one counts
OTHER_FIELDS = 0.1
SINGLE = 0.25  # share of documents assumed to hold a single character (the index holds pairs)


@dataclass
class Concept:
    alts: list[tuple[Query, float]]
    source: str  # the text whose rarity gives the weight ("" for an audience)
    typed: bool  # words the resident typed: they make the denominator
    weight: float = 1.0


@dataclass
class Scored:
    score: float
    field: str
    matches: dict[str, Match] = field(default_factory=dict)


def _alts(words, factor: float, step: float = 0.0) -> list[tuple[Query, float]]:
    return [(parse(w), round(factor - step * i, 4)) for i, w in enumerate(words)]


def concepts(q: Query, groups: list[list[str]]) -> list[Concept]:
    """The query's concepts: typed words, staff synonym groups and lexicon lines it uses, audiences."""
    compact = q.compact
    out = []
    for term in q.terms:
        others = [o for g in groups if term in g for o in g if o != term]
        out.append(Concept([(parse(term), 1.0), *_alts(others, SYNONYM)], term, True))
    for group in groups:
        for term in (t for t in group if t in compact and t not in q.terms):
            out.append(Concept([(parse(term), 1.0), *_alts([o for o in group if o != term], SYNONYM)], term, False))
    for phrase, entry in lexicon_hits(compact):
        # The first service term is the main one: a little ahead of the rest.
        out.append(Concept([(parse(phrase), 1.0), *_alts(entry.terms, LEXICON, 0.02)], phrase, False))
    for audience in audiences_of(compact):
        out.append(Concept(_alts(audience.described, 1.0), "", False))
    return out


def texts_to_find(cs: list[Concept]) -> set[str]:
    return {alt.compact for c in cs for alt, _ in c.alts if len(alt.compact) > 1 or not alt.has_cjk}


def idf(df: float, total: int) -> float:
    return math.log(1 + (total - df + 0.5) / (df + 0.5))


def text_df(text: str, gram_df: dict[str, int], total: int) -> float:
    """How many documents may hold a text: its rarest gram's count (a single character: a fixed share)."""
    gs = grams(text)
    return min((gram_df.get(g, 0) for g in gs), default=total * SINGLE)


def weigh(cs: list[Concept], gram_df: dict[str, int], total: int) -> None:
    """Each concept weighs by its source's rarity; an audience by half the mean of the others."""
    for c in cs:
        if c.source:
            c.weight = idf(text_df(c.source, gram_df, total), total)
    named = [c.weight for c in cs if c.source]
    for c in cs:
        if not c.source:
            c.weight = AUDIENCE * (sum(named) / len(named) if named else 1.0)


def _cover(c: Concept, rows: list, docs: list[Doc], matches: dict[str, list]) -> float:
    best = 0.0
    for alt, factor in c.alts:
        values = []
        for row, doc in zip(rows, docs):
            # Words in Chinese count as written; typed pinyin is read in titles and tags.
            if alt.has_cjk and alt.compact not in row.norm:
                continue
            if m := matcher.whole(alt, doc, exact_only=alt.has_cjk or row.weight < TAGS):
                values.append(row.weight * m.quality)
                matches.setdefault(row.field, []).append((row.weight * m.quality, m))
        if values:
            top = max(values)
            best = max(best, factor * (top + OTHER_FIELDS * (sum(values) - top)))
    return best


def score_row(rows: list, cs: list[Concept], whole_best) -> Scored | None:
    """One row (its candidate fields) against the query; None when nothing matches."""
    matches: dict[str, list] = {}
    docs = [Doc(row.norm, row.syllables) for row in rows]
    typed = sum(c.weight for c in cs if c.typed) or sum(c.weight for c in cs) or 1.0
    covered = sum(c.weight * _cover(c, rows, docs, matches) for c in cs) / typed
    best = 0.0
    for row, doc in zip(rows, docs):
        if found := whole_best(doc, row.weight):
            matches.setdefault(row.field, []).append((row.weight * found[0], found[1]))
            best = max(best, row.weight * found[0])
    if not matches:
        return None
    top = {f: max(v for v, _ in ms) for f, ms in matches.items()}
    return Scored(round(max(best, covered), 4), max(top, key=lambda f: (top[f], f)), matches)


def merged(matches: dict[str, list]) -> dict[str, Match]:
    """Per field, every word found in it as one match: what the hit highlights."""
    return {f: Match(max(m.quality for _, m in ms), _union(s for _, m in ms for s in m.spans))
            for f, ms in matches.items()}


def _union(spans) -> list[tuple[int, int]]:
    """Spans that touch or overlap made one: 代为 and 申请 highlight as 代为申请."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def fold_groups(groups) -> list[list[str]]:
    return [[t for t in (fold(x).replace(" ", "") for x in g) if t] for g in groups]
