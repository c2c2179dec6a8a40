"""The threshold rule on its own: no shown figure rests on fewer than k answers, also not after
subtracting the shown groups from the total."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from monitoring.disclosure import Tally, share, table, whole_beside, withheld


def tally(answers: int, yes: int = 0) -> Tally:
    return Tally(answers=answers, knows_measure=yes, knows_strategy=yes)


def test_share_rounds_half_up_to_whole_percent():
    assert share(57, 100) == Decimal(57)
    assert share(1, 8) == Decimal(13)  # 12.5 → 13
    assert share(0, 0) is None


def test_a_group_below_k_is_withheld_with_its_count():
    shown = table({"a": tally(5, 3), "b": tally(4, 4)}, 5)
    assert shown.rows["a"].shown is False  # b alone is below 5: a is hidden too
    assert shown.rows["b"].shown is False
    assert shown.rows["b"].answers is None
    assert shown.total.shown is True
    assert shown.total.knows_measure == Decimal(78)  # 7 of 9


def test_the_smallest_other_group_is_withheld_so_the_total_cannot_be_subtracted():
    shown = table({"a": tally(10), "b": tally(6), "c": tally(2)}, 5)
    assert [key for key, row in shown.rows.items() if row.shown] == ["a"]


def test_groups_at_the_threshold_are_shown():
    shown = table({"a": tally(5, 5), "b": tally(5, 0)}, 5)
    assert shown.rows["a"].knows_measure == Decimal(100)
    assert shown.rows["b"].knows_measure == Decimal(0)


def test_a_whole_beside_a_part_is_withheld_when_the_rest_is_small():
    assert whole_beside(tally(12), tally(9), 5).shown is False  # 3 others
    assert whole_beside(tally(14), tally(9), 5).shown is True
    assert whole_beside(tally(9), tally(9), 5).shown is True  # nobody else


@given(st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=8), st.integers(2, 6))
def test_what_is_hidden_is_never_between_one_and_k_minus_one(sizes, k):
    groups = dict(enumerate(sizes))
    hidden = withheld(groups, k)
    assert all(groups[key] >= k for key in groups if key not in hidden)
    assert (
        sum(groups[key] for key in hidden) == 0
        or sum(groups[key] for key in hidden) >= k
        or (len(hidden) == len(groups))
    )
