"""Voting units and the Art. 278 tally: hand-computed cases, exact to the square centimetre."""
from decimal import Decimal as D
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.voting import tally
from backend.voting.tally import Unit


def ballots(meaning, *areas):
    """One ballot per unit area, all with the same meaning."""
    return [(meaning, D(a)) for a in areas]


# --- voting units ---------------------------------------------------------------------------------

def test_owner_of_several_dwellings_is_one_unit_with_summed_area():
    units = tally.build_units([(1, D("80.50")), (2, D("60.25")), (3, D("90"))],
                              [(1, "13800000001"), (2, "13800000001"), (3, "13800000002")])
    assert units == [Unit((1, 2), ("13800000001",), D("140.75")), Unit((3,), ("13800000002",), D("90"))]


def test_co_owners_share_one_ballot_for_the_whole_area():
    units = tally.build_units([(1, D("100.00"))], [(1, "13800000002"), (1, "13800000001")])
    assert units == [Unit((1,), ("13800000001", "13800000002"), D("100.00"))]


def test_co_owner_with_another_home_chains_the_dwellings():
    # Wife co-owns 1 with her husband and owns 2 alone; her brother co-owns 2 with her and owns 3.
    units = tally.build_units(
        [(1, D("70")), (2, D("80")), (3, D("90")), (4, D("100"))],
        [(1, "husband"), (1, "wife"), (2, "wife"), (2, "brother"), (3, "brother"), (4, "neighbour")])
    assert units == [Unit((1, 2, 3), ("brother", "husband", "wife"), D("240")),
                     Unit((4,), ("neighbour",), D("100"))]


def test_developer_unsold_dwellings_are_one_unit():
    units = tally.build_units([(1, D("90")), (2, D("95")), (3, D("100")), (4, D("105"))],
                              [(1, "developer"), (2, "13800000001"), (3, "developer"), (4, "developer")])
    assert units == [Unit((1, 3, 4), ("developer",), D("295")), Unit((2,), ("13800000001",), D("95"))]


def test_dwellings_with_no_owner_on_record_are_each_their_own_unit():
    units = tally.build_units([(5, D("60")), (2, D("70")), (9, D("80"))], [(9, "13800000001")])
    assert units == [Unit((2,), (), D("70")), Unit((5,), (), D("60")), Unit((9,), ("13800000001",), D("80"))]


def test_homes_outside_the_scope_neither_count_nor_chain():
    # Both owners also own dwelling 99 in another building; that must not merge 1 and 2.
    units = tally.build_units([(1, D("80")), (2, D("90"))],
                              [(1, "a"), (99, "a"), (2, "b"), (99, "b"), (98, "c")])
    assert units == [Unit((1,), ("a",), D("80")), Unit((2,), ("b",), D("90"))]


def test_a_dwelling_listed_twice_is_refused():
    with pytest.raises(ValueError):
        tally.build_units([(1, D("80")), (1, D("81"))], [])


def _components(dwelling_ids, pairs):
    """Reference answer: connected dwellings by breadth-first search over the bipartite graph."""
    homes, owners_of = {}, {}
    for d, o in pairs:
        if d in dwelling_ids:
            homes.setdefault(o, set()).add(d)
            owners_of.setdefault(d, set()).add(o)
    label = {}
    for start in dwelling_ids:
        if start in label:
            continue
        label[start], queue = start, [start]
        while queue:
            for o in owners_of.get(queue.pop(), ()):
                for d in homes[o] - label.keys():
                    label[d] = start
                    queue.append(d)
    return label


areas_st = st.decimals(min_value=D("10.00"), max_value=D("300.00"), places=2)


@given(st.dictionaries(st.integers(0, 30), areas_st, max_size=25),
       st.lists(st.tuples(st.integers(0, 40), st.sampled_from("abcdefghij")), max_size=40))
def test_units_partition_the_dwellings_along_ownership(areas, pairs):
    units = tally.build_units(areas.items(), pairs)
    placed = [d for u in units for d in u.dwelling_ids]
    assert sorted(placed) == sorted(areas)
    assert sum((u.area for u in units), D(0)) == sum(areas.values(), D(0))
    unit_of = {d: i for i, u in enumerate(units) for d in u.dwelling_ids}
    label = _components(set(areas), pairs)
    for a in areas:
        for b in areas:
            assert (unit_of[a] == unit_of[b]) == (label[a] == label[b])
    assert [u.dwelling_ids[0] for u in units] == sorted(u.dwelling_ids[0] for u in units)


# --- quorum (at least 2/3 of area and of heads) -----------------------------------------------------

def test_exactly_two_thirds_turnout_meets_quorum():
    decision = tally.decide("ordinary", D("300.00"), 3, ballots("yes", "100.00", "100.00"))
    assert decision.turnout_area.value == Fraction(2, 3)
    assert decision.turnout_heads.value == Fraction(2, 3)
    assert decision.quorum and decision.passed


def test_just_under_two_thirds_area_fails_quorum():
    decision = tally.decide("ordinary", D("300.00"), 3, ballots("yes", "100.00", "99.99"))
    assert decision.turnout_area.value == Fraction(19999, 30000)
    assert not decision.turnout_area.met
    assert decision.turnout_heads.met
    assert not decision.quorum and not decision.passed


def test_just_under_two_thirds_heads_fails_quorum():
    # Two of four units hold 2/3 of the area but only half the owners.
    decision = tally.decide("ordinary", D("300.00"), 4, ballots("yes", "100.00", "100.00"))
    assert decision.turnout_area.met
    assert decision.turnout_heads.value == Fraction(1, 2)
    assert not decision.turnout_heads.met
    assert not decision.quorum and not decision.passed


# --- ordinary matters (more than 1/2) ---------------------------------------------------------------

def test_exactly_half_the_area_fails_an_ordinary_matter():
    decision = tally.decide("ordinary", D("200"), 3, ballots("yes", "60", "40") + ballots("no", "100"))
    assert decision.approval_area.value == Fraction(1, 2)
    assert not decision.approval_area.met
    assert decision.approval_heads.value == Fraction(2, 3)
    assert decision.approval_heads.met
    assert decision.quorum and not decision.passed


def test_one_square_metre_more_passes_an_ordinary_matter():
    decision = tally.decide("ordinary", D("201"), 3, ballots("yes", "61", "40") + ballots("no", "100"))
    assert decision.approval_area.value == Fraction(101, 201)
    assert decision.approval_area.met and decision.approval_heads.met
    assert decision.passed


def test_area_majority_without_head_majority_fails():
    decision = tally.decide("ordinary", D("250"), 3, ballots("yes", "150") + ballots("no", "50", "50"))
    assert decision.approval_area.value == Fraction(3, 5)
    assert decision.approval_area.met
    assert decision.approval_heads.value == Fraction(1, 3)
    assert not decision.approval_heads.met
    assert not decision.approved and not decision.passed


def test_head_majority_without_area_majority_fails():
    decision = tally.decide("ordinary", D("180"), 3, ballots("yes", "40", "40") + ballots("no", "100"))
    assert decision.approval_area.value == Fraction(4, 9)
    assert not decision.approval_area.met
    assert decision.approval_heads.value == Fraction(2, 3)
    assert decision.approval_heads.met
    assert not decision.approved and not decision.passed


# --- major matters (at least 3/4) -------------------------------------------------------------------

def test_exactly_three_quarters_passes_a_major_matter():
    decision = tally.decide("major", D("400"), 4, ballots("yes", "100", "100", "100") + ballots("no", "100"))
    assert decision.approval_area.value == Fraction(3, 4)
    assert decision.approval_heads.value == Fraction(3, 4)
    assert decision.passed


def test_just_under_three_quarters_area_fails_a_major_matter():
    decision = tally.decide("major", D("399.99"), 4,
                            ballots("yes", "100", "100", "99.99") + ballots("no", "100"))
    assert decision.approval_area.value == Fraction(29999, 39999)
    assert not decision.approval_area.met
    assert decision.approval_heads.met
    assert not decision.passed


def test_just_under_three_quarters_heads_fails_a_major_matter():
    yes, no = ballots("yes", *["100"] * 5), ballots("no", "50", "50")
    decision = tally.decide("major", D("600"), 7, yes + no)
    assert decision.approval_area.value == Fraction(5, 6)
    assert decision.approval_heads.value == Fraction(5, 7)
    assert not decision.approval_heads.met
    assert not decision.passed


def test_two_thirds_passes_ordinary_but_not_major():
    votes = ballots("yes", "100", "100") + ballots("no", "100")
    assert tally.decide("ordinary", D("300"), 3, votes).passed
    assert not tally.decide("major", D("300"), 3, votes).passed


# --- abstentions --------------------------------------------------------------------------------------

def test_abstentions_count_for_turnout_but_not_approval():
    decision = tally.decide("ordinary", D("300"), 3, ballots("yes", "100") + ballots("abstain", "100"))
    assert (decision.voted_area, decision.voted_heads) == (D("200"), 2)
    assert (decision.abstain_area, decision.abstain_heads) == (D("100"), 1)
    assert decision.quorum
    assert decision.approval_area.value == Fraction(1, 2)
    assert decision.approval_heads.value == Fraction(1, 2)
    assert not decision.approved and not decision.passed


# --- exactness ------------------------------------------------------------------------------------------

def test_exact_three_quarters_that_float_puts_below():
    yes, no = ["114.44", "146.50", "55.65"], ["105.53"]
    # Summed and divided in floats this is 0.7499999999999999: the matter would wrongly fail.
    assert (114.44 + 146.50 + 55.65) / (114.44 + 146.50 + 55.65 + 105.53) < 0.75
    decision = tally.decide("major", D("422.12"), 4, ballots("yes", *yes) + ballots("no", *no))
    assert decision.yes_area == D("316.59")
    assert decision.approval_area.value == Fraction(3, 4)
    assert decision.passed


def test_exact_half_that_float_puts_above():
    yes, no = ["61.54", "63.63"], ["50.68", "74.49"]
    # Summed and divided in floats this is 0.5000000000000001: it would clear "more than half".
    assert (61.54 + 63.63) / (61.54 + 63.63 + 50.68 + 74.49) > 0.5
    decision = tally.decide("ordinary", D("250.34"), 4, ballots("yes", *yes) + ballots("no", *no))
    assert decision.approval_area.value == Fraction(1, 2)
    assert not decision.approval_area.met
    assert not decision.passed


# --- edges ----------------------------------------------------------------------------------------------

def test_zero_totals_give_zero_ratios_and_no_decision():
    decision = tally.decide("major", D("0"), 0, [])
    for ratio in (decision.turnout_area, decision.turnout_heads, decision.approval_area, decision.approval_heads):
        assert ratio.value == 0
        assert not ratio.met
    assert not decision.quorum and not decision.approved and not decision.passed


def test_no_participants_give_zero_approval():
    decision = tally.decide("ordinary", D("300"), 3, [])
    assert decision.turnout_area.value == 0 and decision.approval_area.value == 0
    assert not decision.approval_area.met and not decision.approval_heads.met


@pytest.mark.parametrize("matter, votes", [
    ("urgent", ballots("yes", "100")),
    ("ordinary", ballots("maybe", "100")),
])
def test_unknown_matter_or_meaning_is_refused(matter, votes):
    with pytest.raises(ValueError):
        tally.decide(matter, D("100"), 1, votes)


def test_ballots_beyond_the_totals_are_refused():
    with pytest.raises(ValueError):
        tally.decide("ordinary", D("100"), 1, ballots("yes", "60", "60"))


def test_as_dict_is_json_ready_and_exact():
    # A half-centimetre shows as 100.01 but the decision, and "fraction", use 100.005 exactly;
    # 20001/40001 displays as 0.5000 yet is more than half.
    decision = tally.decide("ordinary", D("300"), 3, ballots("yes", "100.005") + ballots("abstain", "100"))
    ratio = {"threshold": "2/3", "strict": False, "met": True}
    assert tally.as_dict(decision) == {
        "matter": "ordinary",
        "total_area": "300.00", "total_heads": 3, "voted_area": "200.01", "voted_heads": 2,
        "yes_area": "100.01", "no_area": "0.00", "abstain_area": "100.00",
        "yes_heads": 1, "no_heads": 0, "abstain_heads": 1,
        "turnout_area": {"part": "200.01", "whole": "300.00", "value": "0.6667",
                         "fraction": "40001/60000", **ratio},
        "turnout_heads": {"part": "2", "whole": "3", "value": "0.6667", "fraction": "2/3", **ratio},
        "approval_area": {"part": "100.01", "whole": "200.01", "value": "0.5000", "fraction": "20001/40001",
                          "threshold": "1/2", "strict": True, "met": True},
        "approval_heads": {"part": "1", "whole": "2", "value": "0.5000", "fraction": "1/2",
                           "threshold": "1/2", "strict": True, "met": False},
        "quorum": True, "approved": False, "passed": False,
    }


def test_as_dict_rounds_the_display_value_half_up():
    decision = tally.decide("ordinary", D("32"), 32, ballots("yes", "1"))
    shown = tally.as_dict(decision)["turnout_area"]
    # 1/32 = 0.03125 exactly; half-even would show 0.0312.
    assert (shown["value"], shown["fraction"]) == ("0.0313", "1/32")
