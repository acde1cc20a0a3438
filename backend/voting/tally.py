"""Owners' decisions under PRC Civil Code Art. 278: voting units and the tally, pure and exact.

Everything here is database-free and uses Decimal/Fraction only: a float can put a ratio that is
exactly at a threshold on the wrong side of it.
"""
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

MATTERS = ("ordinary", "major")
MEANINGS = ("yes", "no", "abstain")

# Participation: at least 2/3 of the area and of the owners.
TURNOUT = Fraction(2, 3)
# Approval by matter: (threshold, strict). Ordinary needs *more than* half; major *at least* 3/4.
APPROVAL = {"ordinary": (Fraction(1, 2), True), "major": (Fraction(3, 4), False)}

_CENTS = Decimal("0.01")


@dataclass(frozen=True)
class Unit:
    """One vote: the dwellings tied together by shared owners, and those owners."""
    dwelling_ids: tuple[int, ...]
    owners: tuple[str, ...]
    area: Decimal


class _DisjointSet:
    """Union-find over dwelling ids; the root of a set is its smallest id."""

    def __init__(self, ids: Iterable[int]):
        self.parent = {i: i for i in ids}

    def find(self, i: int) -> int:
        """The root of i's set, halving the path on the way."""
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        """Merge the sets of a and b."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def build_units(dwellings: Iterable[tuple[int, Decimal]], owners: Iterable[tuple[int, str]]) -> list[Unit]:
    """Group the scope's dwellings into voting units, sorted by their smallest dwelling id."""
    areas = _areas_by_dwelling(dwellings)
    # Homes outside the poll's scope neither vote nor tie dwellings together.
    pairs = {(d, o) for d, o in owners if d in areas}
    sets = _DisjointSet(areas)
    first_home: dict[str, int] = {}
    for dwelling, owner in sorted(pairs):
        sets.union(first_home.setdefault(owner, dwelling), dwelling)
    return _collect_units(areas, pairs, sets)


def _areas_by_dwelling(dwellings: Iterable[tuple[int, Decimal]]) -> dict[int, Decimal]:
    """Floor area by dwelling id, refusing a dwelling listed twice."""
    areas: dict[int, Decimal] = {}
    for dwelling, area in dwellings:
        if dwelling in areas:
            # Two areas for one dwelling would make the unit's area a guess.
            raise ValueError(f"dwelling {dwelling} is listed twice")
        areas[dwelling] = Decimal(area)
    return areas


def _collect_units(areas: dict[int, Decimal], pairs: set[tuple[int, str]], sets: _DisjointSet) -> list[Unit]:
    """Turn the union-find sets into Unit values."""
    members: dict[int, list[int]] = {}
    for dwelling in sorted(areas):
        members.setdefault(sets.find(dwelling), []).append(dwelling)
    owners_of: dict[int, set[str]] = {root: set() for root in members}
    for dwelling, owner in pairs:
        owners_of[sets.find(dwelling)].add(owner)
    return [
        Unit(tuple(ids), tuple(sorted(owners_of[root])), sum((areas[i] for i in ids), Decimal(0)))
        for root, ids in sorted(members.items())
    ]


@dataclass(frozen=True)
class Ratio:
    """part/whole judged against a threshold, exactly."""
    part: Decimal | int
    whole: Decimal | int
    threshold: Fraction
    strict: bool

    @property
    def value(self) -> Fraction:
        """The exact ratio, 0 when there is nothing to divide by."""
        if not self.whole:
            return Fraction(0)
        return Fraction(self.part) / Fraction(self.whole)

    @property
    def met(self) -> bool:
        """Whether the ratio clears the threshold (above it if strict, else at least at it)."""
        if not self.whole:
            return False
        return self.value > self.threshold if self.strict else self.value >= self.threshold


@dataclass(frozen=True)
class OwnersDecision:
    """The tally of one owners' vote and whether it passed."""
    matter: str
    total_area: Decimal
    total_heads: int
    voted_area: Decimal
    voted_heads: int
    yes_area: Decimal
    no_area: Decimal
    abstain_area: Decimal
    yes_heads: int
    no_heads: int
    abstain_heads: int
    turnout_area: Ratio
    turnout_heads: Ratio
    approval_area: Ratio
    approval_heads: Ratio

    @property
    def quorum(self) -> bool:
        """Enough of the area and enough of the owners took part."""
        return self.turnout_area.met and self.turnout_heads.met

    @property
    def approved(self) -> bool:
        """Enough of the participating area and owners said yes."""
        return self.approval_area.met and self.approval_heads.met

    @property
    def passed(self) -> bool:
        """The matter is decided: quorum and approval both."""
        return self.quorum and self.approved


def decide(matter: str, total_area: Decimal, total_heads: int,
           ballots: Iterable[tuple[str, Decimal]]) -> OwnersDecision:
    """Tally one ballot per participating unit, given as (meaning, unit area)."""
    if matter not in APPROVAL:
        raise ValueError(f"unknown matter {matter!r}; expected one of {MATTERS}")
    areas, heads = _sum_ballots(ballots)
    voted_area, voted_heads = sum(areas.values(), Decimal(0)), sum(heads.values())
    total_area = Decimal(total_area)
    if voted_area > total_area or voted_heads > total_heads:
        # More votes than owners means the ballots and the totals come from different scopes.
        raise ValueError("ballots exceed the totals")
    threshold, strict = APPROVAL[matter]
    return OwnersDecision(
        matter, total_area, total_heads, voted_area, voted_heads,
        areas["yes"], areas["no"], areas["abstain"], heads["yes"], heads["no"], heads["abstain"],
        turnout_area=Ratio(voted_area, total_area, TURNOUT, strict=False),
        turnout_heads=Ratio(voted_heads, total_heads, TURNOUT, strict=False),
        approval_area=Ratio(areas["yes"], voted_area, threshold, strict),
        approval_heads=Ratio(heads["yes"], voted_heads, threshold, strict),
    )


def _sum_ballots(ballots: Iterable[tuple[str, Decimal]]) -> tuple[dict[str, Decimal], Counter[str]]:
    """Area and headcount per meaning; every meaning is present, possibly zero."""
    areas = dict.fromkeys(MEANINGS, Decimal(0))
    heads: Counter[str] = Counter(dict.fromkeys(MEANINGS, 0))
    for meaning, area in ballots:
        if meaning not in areas:
            raise ValueError(f"unknown meaning {meaning!r}; expected one of {MEANINGS}")
        areas[meaning] += Decimal(area)
        heads[meaning] += 1
    return areas, heads


def as_dict(decision: OwnersDecision) -> dict:
    """The decision as JSON-ready values: areas as 2-decimal strings, ratios exact and rounded."""
    d = decision
    return {
        "matter": d.matter,
        "total_area": _money(d.total_area), "total_heads": d.total_heads,
        "voted_area": _money(d.voted_area), "voted_heads": d.voted_heads,
        "yes_area": _money(d.yes_area), "no_area": _money(d.no_area), "abstain_area": _money(d.abstain_area),
        "yes_heads": d.yes_heads, "no_heads": d.no_heads, "abstain_heads": d.abstain_heads,
        "turnout_area": _ratio_dict(d.turnout_area), "turnout_heads": _ratio_dict(d.turnout_heads),
        "approval_area": _ratio_dict(d.approval_area), "approval_heads": _ratio_dict(d.approval_heads),
        "quorum": d.quorum, "approved": d.approved, "passed": d.passed,
    }


def _ratio_dict(ratio: Ratio) -> dict:
    """One ratio for display; "fraction" is the exact value the decision was made on."""
    return {
        "part": _number(ratio.part), "whole": _number(ratio.whole),
        "value": format(_round_half_up(ratio.value, 4), "f"),
        "fraction": _fraction_text(ratio.value), "threshold": _fraction_text(ratio.threshold),
        "strict": ratio.strict, "met": ratio.met,
    }


def _number(x: Decimal | int) -> str:
    """Headcounts as plain integers, areas with 2 decimals."""
    return str(x) if isinstance(x, int) else _money(x)


def _money(x: Decimal) -> str:
    """A Decimal with exactly 2 decimals, never in exponent form."""
    return format(x.quantize(_CENTS, rounding=ROUND_HALF_UP), "f")


def _round_half_up(value: Fraction, places: int) -> Decimal:
    """value rounded half-up to `places` decimals, computed from the exact fraction."""
    scaled = abs(value) * 10**places
    whole, rest = divmod(scaled.numerator, scaled.denominator)
    if 2 * rest >= scaled.denominator:
        whole += 1
    return Decimal(whole if value >= 0 else -whole).scaleb(-places)


def _fraction_text(value: Fraction) -> str:
    """Always "n/d", so "1/1" and "0/1" read like every other ratio."""
    return f"{value.numerator}/{value.denominator}"
