"""The guide categories closest to a query that found nothing, to offer under the empty result.

A category is described by its name and its published items' titles, tags and aliases. Each character
of the query's meaningful words (question and filler words left out) counts when the category has it,
double in its name; typed pinyin counts half for each syllable the category's characters sound; a character
that many categories share counts less (an inverse document frequency), so 证 alone does not decide.
"""
import math
from dataclasses import dataclass, field

from sqlalchemy import select

from backend.extensions import db
from backend.guide.models import GuideCategory, GuideItem
from backend.search.text import CJK, parse, split_syllables, syllables

LIMIT = 3


@dataclass
class _Described:
    category: GuideCategory
    name: set[str]
    chars: set[str] = field(default_factory=set)
    sounds: set[str] = field(default_factory=set)


def _units(text: str) -> list[tuple[str, str]]:
    """(character, "") for the query's meaningful words; typed pinyin gives ("", syllable)s.

    One character's sound alone is too loose a match (鞠 is not 居), so Chinese input matches by character.
    """
    q = parse(text)
    if not q.has_cjk:
        return [("", s) for s in split_syllables(q.compact) if len(s) > 1]
    return [(c, "") for c in dict.fromkeys("".join(q.terms)) if CJK.match(c)]


def _described(community_id: int) -> list[_Described]:
    categories = {c.id: _Described(c, set(c.name)) for c in db.session.scalars(
        select(GuideCategory).filter_by(community_id=community_id))}
    for item in db.session.scalars(select(GuideItem).filter_by(community_id=community_id, published=True)):
        described = categories[item.category_id]
        described.chars.update("".join([item.title, *item.tags, *item.aliases]))
    out = [d for d in categories.values() if d.chars]
    for d in out:
        d.chars |= d.name
        d.sounds = set(syllables("".join(sorted(c for c in d.chars if CJK.match(c)))))
    return out


def closest_categories(community_id: int, text: str) -> list[GuideCategory]:
    """Up to three categories with published items, closest first; none when nothing is shared."""
    units = _units(text)
    described = _described(community_id) if units else []

    def idf(char: str, sound: str) -> float:
        df = sum(1 for d in described if (char in d.chars if char else sound in d.sounds))
        return math.log(1 + len(described) / df) if df else 0.0

    weights = [(c, s, idf(c, s)) for c, s in units]
    scored = []
    for d in described:
        score = sum((w * (2 if c in d.name else 1) if c in d.chars else 0) if c else
                    (w / 2 if s in d.sounds else 0) for c, s, w in weights)
        if score > 0:
            scored.append((-score, d.category.position, d.category.id, d.category))
    return [row[-1] for row in sorted(scored, key=lambda r: r[:3])[:LIMIT]]
