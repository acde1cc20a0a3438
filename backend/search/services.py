"""Index a row's fields; answer a query with ranked, highlighted hits. Shared by every searchable domain.

The database narrows the candidates with LIKE on folded text, pinyin and initials (the same on SQLite
and PostgreSQL); Python scores them, so ranking does not depend on the engine.
"""
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import delete, func, or_, select

from backend.extensions import db
from backend.search import matcher
from backend.search.matcher import Doc, Match
from backend.search.models import BODY, TAGS, TITLE, SearchDocument, SynonymGroup
from backend.search.text import Query, fold, index_text, parse

MAX_CANDIDATES = 800
SHORT_CANDIDATES = 150
BODY_CEILING = BODY * matcher.BEST  # the best a match in body text alone can score
SNIPPET = 60
D = SearchDocument


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
    for name, weight, text in texts:
        if text.strip():
            doc = index_text(text)
            db.session.add(D(community_id=community_id, kind=kind, ref_id=ref_id, field=name, weight=weight,
                             visible=visible, text=text, norm=doc.norm, pinyin=doc.pinyin,
                             initials=doc.initials, syllables="|".join(doc.syllables)))


def remove(community_id: int, kind: str, ref_id: int) -> None:
    db.session.execute(delete(D).filter_by(community_id=community_id, kind=kind, ref_id=ref_id))


def _needles(q: Query, in_body: bool, prefix: bool) -> set[tuple[str, str, str]]:
    """(column, "prefix" or "contains", text): a document is a candidate when one of them holds.

    Pinyin and initials are looked for in titles and tags only: that is what people spell out.
    """
    if prefix:  # still typing: what titles and tags start with
        return {("norm", "prefix", q.compact), ("pinyin", "prefix", q.latin)} | (
            set() if q.has_cjk else {("initials", "prefix", q.compact)})
    out = {("norm", "contains", n) for n in (q.compact, q.norm)}
    # A word shorter than half the query cannot make a match alone (see matcher.by_terms).
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
    stmt = select(D.kind, D.ref_id, D.field, D.weight, D.norm, D.syllables).where(
        D.community_id == community_id, D.kind.in_(list(kinds)), *conditions)
    if not include_hidden:
        stmt = stmt.where(D.visible.is_(True))
    if prefix:  # a few letters match much; the shortest titles are the likeliest completions
        stmt = stmt.order_by(D.weight.desc(), func.length(D.norm), D.kind, D.ref_id, D.id).limit(SHORT_CANDIDATES)
    else:
        stmt = stmt.order_by(D.weight.desc(), D.kind, D.ref_id, D.id).limit(MAX_CANDIDATES)
    return list(db.session.execute(stmt))


def _expansions(community_id: int, q: Query) -> list[tuple[Query, float]]:
    """The query and its rewrites through staff's synonyms, each with how much its matches count."""
    out = [(q, 1.0)]
    for group in db.session.scalars(select(SynonymGroup).filter_by(community_id=community_id)):
        terms = [fold(t) for t in group.terms]
        for term in (t for t in terms if t and t in q.norm):
            out += [(parse(q.norm.replace(term, other)), 0.95) for other in terms if other != term]
    return out[:6]


def _best(alternatives: list[tuple[Query, float]], doc: Doc) -> tuple[float, Match] | None:
    """The best of the query's rewrites on one field: (quality after the rewrite's discount, match)."""
    best = None
    for alt, factor in alternatives:
        if best is not None and best[0] >= factor * matcher.BEST:
            break  # rewrites come in falling order of factor: none of the rest can do better
        if (m := matcher.match(alt, doc)) and (best is None or m.quality * factor > best[0]):
            best = (m.quality * factor, m)
    return best


def _score(docs: list, match, hits: dict[tuple[str, int], Hit]) -> None:
    """Score each candidate field; a row's score is that of its best field."""
    for row in docs:
        known = hits.get((row.kind, row.ref_id))
        if known is not None and known.score >= row.weight * matcher.BEST:
            continue  # this field cannot beat the row's best (titles come first): skip the work
        if found := match(Doc(row.norm, row.syllables)):
            score, m = round(row.weight * found[0], 4), found[1]
            hit = hits.setdefault((row.kind, row.ref_id), Hit(row.kind, row.ref_id, score, row.field, [], []))
            hit.matches[row.field] = m
            if score > hit.score:
                hit.score, hit.field = score, row.field


def _rank(community_id: int, q: Query, kinds: Iterable[str], include_hidden: bool, want: int | None,
          titles_only: bool = False) -> list[Hit]:
    """Hits best first. Bodies are searched only when titles and tags leave room for a body match."""
    alternatives = _expansions(community_id, q)
    # A letter or two, or three letters typed into the suggestion box, complete the start of a title.
    prefix = q.short or (titles_only and not q.has_cjk and len(q.compact) <= 3)
    scope = (community_id, kinds, include_hidden, prefix)

    def where(in_body: bool):
        needles = sorted(set().union(*(_needles(alt, in_body, prefix) for alt, _ in alternatives)))
        return or_(*(_condition(*n) for n in needles))

    hits: dict[tuple[str, int], Hit] = {}
    _score(_candidates(*scope, D.weight >= TAGS, where(False)), lambda d: _best(alternatives, d), hits)
    strong = sum(h.score >= BODY_CEILING for h in hits.values())
    if not (titles_only or q.short) and (want is None or strong < want):
        _score(_candidates(*scope, D.weight == BODY, where(True)), lambda d: _best(alternatives, d), hits)
    if not hits and (patterns := matcher.fuzzy_patterns(q)):
        conditions = or_(*(D.norm.like(f"%{p}%") for p in patterns))  # only CJK and `_`: nothing to escape

        def near(d: Doc):
            return (m.quality, m) if (m := matcher.fuzzy(patterns, d)) else None
        # A slip of the pen is nearly always in the name of a thing; bodies only when no title or tag is near.
        _score(_candidates(*scope, D.weight >= TAGS, conditions), near, hits)
        if not (hits or titles_only):
            _score(_candidates(*scope, D.weight == BODY, conditions), near, hits)
    return sorted(hits.values(), key=lambda h: (-h.score, h.kind, h.id))


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
    rows = db.session.execute(select(D.kind, D.ref_id, D.field, D.text, D.norm, D.syllables)
                              .where(D.community_id == community_id, D.kind.in_({k for k, _ in keys}),
                                     D.ref_id.in_({i for _, i in keys})))
    docs = {(r.kind, r.ref_id, r.field): r for r in rows if (r.kind, r.ref_id) in keys}
    for hit in hits:
        title = docs.get((hit.kind, hit.id, "title"))
        hit.title = segments(title.text if title else "", hit.matches["title"].spans if "title" in hit.matches else [])
        body = docs.get((hit.kind, hit.id, "body"))
        if body and "body" not in hit.matches and (m := matcher.match(q, Doc(body.norm, body.syllables))):
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
