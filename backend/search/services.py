"""Index a row's fields; answer a query with ranked, highlighted hits. Shared by every searchable domain.

The database narrows the candidates, Python scores them (ranking.py), so ranking does not depend on the
engine. Narrowing has two parts:

- words in Chinese (and runs of letters or digits) are looked up in search_gram, an inverted index of
  character pairs: btree lookups that count how many documents hold each pair (the idf of the scoring)
  and fetch the documents holding the rarest pair of each word. One table and plain SQL behave the same
  on SQLite and PostgreSQL; SQLite FTS5 and PostgreSQL pg_trgm would each split, rank and count
  differently (FTS5 has no Chinese tokenizer, trigrams miss two-character words like 低保), and an
  equivalence test holds the two databases to the same ranked results;
- pinyin, initials and sounds-alike are matched with LIKE on titles and tags only (short texts).
"""
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import String, case, delete, func, insert, literal, or_, select, tuple_, union_all

from backend.extensions import db
from backend.search import matcher, ranking
from backend.search.matcher import Doc, Match
from backend.search.models import BODY, TAGS, TITLE, SearchDocument, SearchGram, SynonymGroup
from backend.search.text import Query, grams, index_text, parse

MAX_CANDIDATES = 800
SHORT_CANDIDATES = 150
SNIPPET = 60
COMMON = 0.3  # a word in more than this share of documents finds candidates only when no rarer one does
SOUNDS_ALIKE = 8  # the longest text in Chinese read for sounds-alike names (居住正 for 居住证)
TOP_ROWS = 2  # rows scored in full per row wanted: the index's count of weighted pairs picks them
ALL_ROWS = 500  # what ranked_ids gives domains that filter further
D, G = SearchDocument, SearchGram


@dataclass
class Hit:
    kind: str
    id: int
    score: float
    field: str
    title: list[dict]
    snippet: list[dict]
    matches: dict = field(default_factory=dict, repr=False)


def index(community_id: int, kind: str, ref_id: int, *, title: str, tags: Iterable[str] = (),
          body: Iterable[str] = (), visible: bool = True) -> None:
    """(Re)index a row; call inside the transaction that changes it."""
    remove(community_id, kind, ref_id)
    texts = [("title", TITLE, title), ("tags", TAGS, " · ".join(t for t in tags if t)),
             ("body", BODY, "\n".join(b for b in body if b))]
    rows = []
    for name, weight, text in texts:
        if text.strip():
            doc = index_text(text)
            rows.append(D(community_id=community_id, kind=kind, ref_id=ref_id, field=name, weight=weight,
                          visible=visible, text=text, norm=doc.norm, pinyin=doc.pinyin, initials=doc.initials,
                          syllables="|".join(doc.syllables)))
    db.session.add_all(rows)
    db.session.flush()
    postings = [dict(doc_id=r.id, gram=g, community_id=community_id, kind=kind)
                for r in rows for g in sorted(grams(r.norm))]
    if postings:
        db.session.execute(insert(G), postings)


def remove(community_id: int, kind: str, ref_id: int) -> None:
    ids = select(D.id).filter_by(community_id=community_id, kind=kind, ref_id=ref_id).scalar_subquery()
    db.session.execute(delete(G).where(G.doc_id.in_(ids)))
    db.session.execute(delete(D).filter_by(community_id=community_id, kind=kind, ref_id=ref_id))


def _needles(q: Query, in_body: bool, prefix: bool) -> set[tuple[str, str, str]]:
    """(column, "prefix" or "contains", text): a document is a candidate when one of them holds.

    Pinyin and initials are looked for in titles and tags only: that is what people spell out.
    """
    if prefix:  # still typing: what titles and tags start with
        return {("norm", "prefix", q.compact), ("pinyin", "prefix", q.latin)} | (
            set() if q.has_cjk else {("initials", "prefix", q.compact)})
    out = {("norm", "contains", n) for n in (q.compact, q.norm)}
    # A word shorter than half the query is left to the index of pairs (see _gram_candidates).
    terms = [t for t in q.term_queries if 2 * len(t.compact) >= sum(len(x.compact) for x in q.term_queries)]
    out |= {("norm", "contains", t.compact) for t in terms}
    if in_body:
        return out
    out |= {("pinyin", "contains", x.latin) for x in (q, *terms) if len(x.latin) >= 2 or not x.has_cjk}
    if not q.has_cjk:
        out |= {("initials", "contains", n) for n in (q.compact, q.typed_initials) if n}
    return out


def _condition(column: str, how: str, text: str):
    column = getattr(D, column)
    return column.startswith(text, autoescape=True) if how == "prefix" else column.contains(text, autoescape=True)


def _candidates(community_id: int, kinds: Iterable[str], include_hidden: bool, prefix: bool, *conditions) -> list:
    stmt = select(D.id, D.kind, D.ref_id, D.field, D.weight, D.norm, D.syllables).where(
        D.community_id == community_id, D.kind.in_(list(kinds)), *conditions)
    if not include_hidden:
        stmt = stmt.where(D.visible.is_(True))
    if prefix:  # a few letters match much; the shortest titles are the likeliest completions
        stmt = stmt.order_by(D.weight.desc(), func.length(D.norm), D.kind, D.ref_id, D.id).limit(SHORT_CANDIDATES)
    else:
        stmt = stmt.order_by(D.weight.desc(), D.kind, D.ref_id, D.id).limit(MAX_CANDIDATES)
    return list(db.session.execute(stmt))


def _synonym_groups(community_id: int) -> list[list[str]]:
    return ranking.fold_groups(db.session.scalars(select(SynonymGroup.terms).filter_by(community_id=community_id)))


def _expansions(q: Query, groups: list[list[str]]) -> list[tuple[Query, float]]:
    """The query and its rewrites through staff's synonyms, each with how much its matches count."""
    out = [(q, 1.0)]
    for terms in groups:
        for term in (t for t in terms if t in q.norm):
            out += [(parse(q.norm.replace(term, other)), 0.95) for other in terms if other != term]
    return out[:6]


def _best(alternatives: list[tuple[Query, float]], doc: Doc, weight: int) -> tuple[float, Match] | None:
    """The best of the query's rewrites on one field: (quality after the rewrite's discount, match)."""
    best = None
    for alt, factor in alternatives:
        if best is not None and best[0] >= factor * matcher.BEST:
            break  # rewrites come in falling order of factor: none of the rest can do better
        if (m := matcher.whole(alt, doc, exact_only=weight < TAGS)) and (best is None or m.quality * factor > best[0]):
            best = (m.quality * factor, m)
    return best


def _gram_df(community_id: int, kinds: Iterable[str], texts: set[str]) -> tuple[dict[str, int], int]:
    """How many documents hold each gram of the texts, and how many documents there are: one statement."""
    wanted = sorted(set().union(*(grams(t) for t in texts))) if texts else []
    stmt = select(literal("", String), func.count()).select_from(D).where(D.community_id == community_id,
                                                                          D.kind.in_(list(kinds)))
    if wanted:
        stmt = union_all(select(G.gram, func.count()).where(G.community_id == community_id, G.kind.in_(list(kinds)),
                                                            G.gram.in_(wanted)).group_by(G.gram), stmt)
    counts = dict(db.session.execute(stmt).all())
    return counts, counts.pop("", 0)  # no gram is empty


def _gram_weights(cs: list[ranking.Concept], alternatives, gram_df: dict[str, int], total: int) -> dict[str, int]:
    """For each text to find, its rarest gram (common ones only when there is nothing rarer), weighing what
    the text counts for: whole integers, so both databases add them up to the same sums."""
    whole = sum(c.weight for c in cs if c.typed) or 1.0
    wanted = [(alt.compact, whole * f) for alt, f in alternatives]
    wanted += [(alt.compact, c.weight * f) for c in cs for alt, f in c.alts]
    chosen: dict[str, tuple[int, int]] = {}
    for text, weight in wanted:
        counts = sorted((gram_df.get(g, 0), g) for g in grams(text))
        if counts and counts[0][0] > 0:
            n, gram = counts[0]
            chosen[gram] = (n, max(chosen.get(gram, (0, 0))[1], max(1, round(100 * weight))))
    rare = {g: w for g, (n, w) in chosen.items() if n <= COMMON * total}
    return rare or {g: w for g, (_, w) in chosen.items()}


def _top_rows(community_id: int, kinds: Iterable[str], include_hidden: bool, titles_only: bool,
              weights: dict[str, int], limit: int) -> list:
    """Every field (titles and tags only for suggestions) of the rows whose documents hold the most of
    the weighted grams: a grouped index lookup, and the rows it picks, in one statement."""
    points = func.sum(case(weights, value=G.gram, else_=0) * D.weight)
    top = (select(D.kind, D.ref_id).select_from(G).join(D, D.id == G.doc_id)
           .where(G.community_id == community_id, G.kind.in_(list(kinds)), G.gram.in_(sorted(weights)))
           .group_by(D.kind, D.ref_id).order_by(points.desc(), D.kind, D.ref_id).limit(limit))
    if not include_hidden:
        top = top.where(D.visible.is_(True))
    if titles_only:
        top = top.where(D.weight >= TAGS)
    stmt = select(D.id, D.kind, D.ref_id, D.field, D.weight, D.norm, D.syllables).where(
        D.community_id == community_id, tuple_(D.kind, D.ref_id).in_(top))
    if titles_only:
        stmt = stmt.where(D.weight >= TAGS)
    return list(db.session.execute(stmt))


def _rank(community_id: int, q: Query, kinds: Iterable[str], include_hidden: bool, want: int | None,
          titles_only: bool = False) -> list[Hit]:
    """Hits best first: candidates from the index of pairs and from LIKE on titles and tags, then scored."""
    groups = _synonym_groups(community_id)
    alternatives = _expansions(q, groups)
    # A letter or two, or three letters typed into the suggestion box, complete the start of a title.
    prefix = q.short or (titles_only and not q.has_cjk and len(q.compact) <= 3)
    scope = (community_id, kinds, include_hidden, prefix)
    rows = {}
    cs = [] if prefix else ranking.concepts(q, groups)
    if not prefix:
        texts = ranking.texts_to_find(cs) | {alt.compact for alt, _ in alternatives}
        gram_df, total = _gram_df(community_id, kinds, texts)
        ranking.weigh(cs, gram_df, total)
        if weights := _gram_weights(cs, alternatives, gram_df, total):
            limit = TOP_ROWS * want if want else ALL_ROWS
            rows = {r.id: r for r in _top_rows(community_id, kinds, include_hidden, titles_only, weights, limit)}
        # The words that carry the meaning ("居住证" of "怎么办理居住证"), as the index would hold them.
        meant = "".join(q.terms) or q.compact
        found_as_typed = bool(gram_df) and all(gram_df.get(g, 0) for g in grams(meant))
    # Pinyin, initials, or a name written with a character that sounds the same (not a whole question).
    # A sentence of several words the index knows is a question, not a misspelt name: no sounds-alike for it.
    one_word = sum(len(t) > 1 for t in q.terms) <= 1
    if prefix or q.has_latin or (not found_as_typed and one_word and len(q.compact) <= SOUNDS_ALIKE):
        needles = sorted(set().union(*(_needles(alt, False, prefix) for alt, _ in alternatives)))
        rows |= {r.id: r for r in _candidates(*scope, D.weight >= TAGS, or_(*(_condition(*n) for n in needles)))}
    hits = _score(rows.values(), cs, lambda d, w: _best(alternatives, d, w))
    if not hits and (patterns := matcher.fuzzy_patterns(q)):
        conditions = or_(*(D.norm.like(f"%{p}%") for p in patterns))  # only CJK and `_`: nothing to escape

        def near(d: Doc, _weight: int):
            return (m.quality, m) if (m := matcher.fuzzy(patterns, d)) else None
        # A slip of the pen is nearly always in the name of a thing; bodies only when no title or tag is near.
        hits = _score(_candidates(*scope, D.weight >= TAGS, conditions), [], near)
        if not (hits or titles_only):
            hits = _score(_candidates(*scope, D.weight == BODY, conditions), [], near)
    return sorted(hits.values(), key=lambda h: (-h.score, h.kind, h.id))


def _score(rows: Iterable, cs: list[ranking.Concept], whole_best) -> dict[tuple[str, int], Hit]:
    """Score each row on its candidate fields."""
    by_row: dict[tuple[str, int], list] = {}
    for row in rows:
        by_row.setdefault((row.kind, row.ref_id), []).append(row)
    hits = {}
    for (kind, ref_id), fields in by_row.items():
        if found := ranking.score_row(fields, cs, whole_best):
            hits[(kind, ref_id)] = Hit(kind, ref_id, found.score, found.field, [], [], found.matches)
    return hits


def segments(text: str, spans: list[tuple[int, int]], start: int = 0, end: int | None = None) -> list[dict]:
    """Text cut into plain and highlighted pieces: [{"text": "办理", "hit": false}, ...]."""
    end = len(text) if end is None else end
    out, pos = [], start
    for s, e in sorted(spans):
        s, e = max(s, pos), min(e, end)
        if s >= e:
            continue
        if s > pos:
            out.append({"text": text[pos:s], "hit": False})
        out.append({"text": text[s:e], "hit": True})
        pos = e
    if pos < end:
        out.append({"text": text[pos:end], "hit": False})
    return out


def _snippet(text: str, spans: list[tuple[int, int]]) -> list[dict]:
    text = " ".join(text.split("\n"))
    start = max(0, spans[0][0] - 12) if spans else 0
    end = min(len(text), start + SNIPPET)
    out = segments(text, spans, start, end)
    if start > 0:
        out.insert(0, {"text": "…", "hit": False})
    if end < len(text):
        out.append({"text": "…", "hit": False})
    return out


def _present(community_id: int, hits: list[Hit], q: Query) -> None:
    """Fill in the highlighted title and snippet of the hits shown."""
    keys = {(h.kind, h.id) for h in hits}
    if not keys:
        return
    for hit in hits:
        hit.matches = ranking.merged(hit.matches)
    rows = db.session.execute(select(D.kind, D.ref_id, D.field, D.text, D.norm, D.syllables)
                              .where(D.community_id == community_id, D.kind.in_({k for k, _ in keys}),
                                     D.ref_id.in_({i for _, i in keys})))
    docs = {(r.kind, r.ref_id, r.field): r for r in rows if (r.kind, r.ref_id) in keys}
    for hit in hits:
        title = docs.get((hit.kind, hit.id, "title"))
        hit.title = segments(title.text if title else "", hit.matches["title"].spans if "title" in hit.matches else [])
        body = docs.get((hit.kind, hit.id, "body"))
        if body and "body" not in hit.matches and (m := matcher.whole(q, Doc(body.norm, body.syllables), True)):
            hit.matches["body"] = m
        other = next((f for f in ("body", "tags") if f in hit.matches), "body")
        row = docs.get((hit.kind, hit.id, other))
        hit.snippet = _snippet(row.text if row else "", hit.matches[other].spans if other in hit.matches else [])


def search(community_id: int, text: str, kinds: Iterable[str], include_hidden: bool = False,
           limit: int = 20, offset: int = 0) -> list[Hit]:
    """Ranked hits for what someone typed: best first, title and snippet highlighted."""
    q = parse(text)
    if q.empty:
        return []
    hits = _rank(community_id, q, kinds, include_hidden, offset + limit)[offset:offset + limit]
    _present(community_id, hits, q)
    return hits


def ranked_ids(community_id: int, text: str, kind: str, include_hidden: bool = False) -> list[int]:
    """Just the ids of matching rows of one kind, best first: for domains that filter further."""
    q = parse(text)
    return [] if q.empty else [h.id for h in _rank(community_id, q, [kind], include_hidden, None)]


def suggest(community_id: int, text: str, kinds: Iterable[str], include_hidden: bool = False,
            limit: int = 8) -> list[Hit]:
    """As-you-type: titles and tags only, and titles that start with the input first."""
    q = parse(text)
    if q.empty:
        return []
    hits = _rank(community_id, q, kinds, include_hidden, limit, titles_only=True)[:limit]
    _present(community_id, hits, q)
    return hits
