"""Which survey results may be shown: never a figure resting on fewer answers than the
programme's ``survey_min_answers`` (k), also not by subtraction.

Every view shows tables: groups (clusters, years) and their total. A group below k is hidden
(primary suppression). A total minus the shown groups gives the hidden ones together, so while
the hidden groups hold between 1 and k-1 answers together, the smallest shown group is hidden as
well (secondary suppression). A total is shown only from k answers on. Pure, no database.
"""

from collections.abc import Collection, Hashable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Tally:
    """The answers of one group: how many, and how many said yes to each question."""

    answers: int = 0
    knows_measure: int = 0
    knows_strategy: int = 0
    took_part: int = 0
    contacts_known: int = 0
    contacts_new: int = 0

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(
            *(getattr(self, name) + getattr(other, name) for name in self.__dataclass_fields__)
        )


def share(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in percent, rounded half up to a whole percent (57.5 → 58)."""
    if whole <= 0:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal(1), ROUND_HALF_UP)


@dataclass(frozen=True)
class Shares:
    """A group's survey results as shown: shares in percent, or ``None`` when withheld."""

    answers: int | None  # None when withheld: not even the count of a small group
    shown: bool
    knows_measure: Decimal | None = None
    knows_strategy: Decimal | None = None
    took_part: Decimal | None = None
    contacts_known: Decimal | None = None
    contacts_new: Decimal | None = None

    @classmethod
    def of(cls, tally: Tally, *, shown: bool) -> "Shares":
        if not shown:
            return cls(answers=None, shown=False)
        n = tally.answers
        return cls(
            answers=n,
            shown=True,
            knows_measure=share(tally.knows_measure, n),
            knows_strategy=share(tally.knows_strategy, n),
            took_part=share(tally.took_part, n),
            contacts_known=share(tally.contacts_known, n),
            contacts_new=share(tally.contacts_new, n),
        )


@dataclass(frozen=True)
class Table(Generic[K]):
    rows: dict[K, Shares] = field(default_factory=dict)
    total: Shares = field(default_factory=lambda: Shares(answers=None, shown=False))


def withheld(groups: Mapping[K, int], k: int, unshown: Collection[K] = ()) -> set[K]:
    """The groups to hide: those below ``k`` (and the ``unshown``, counted but never listed),
    and then the smallest others until the hidden ones together hold none or ``k`` answers."""
    hidden = {key for key, n in groups.items() if n < k or key in unshown}
    shown = sorted((n, str(key), key) for key, n in groups.items() if key not in hidden)
    while shown and 0 < sum(groups[key] for key in hidden) < k:
        hidden.add(shown.pop(0)[2])
    return hidden


def table(groups: Mapping[K, Tally], k: int, unshown: Collection[K] = ()) -> Table[K]:
    """The groups' shares and their total's, each shown only as the rule above allows."""
    hidden = withheld({key: tally.answers for key, tally in groups.items()}, k, unshown)
    total = sum(groups.values(), Tally())
    return Table(
        rows={key: Shares.of(tally, shown=key not in hidden) for key, tally in groups.items()},
        total=Shares.of(total, shown=total.answers >= k),
    )


def whole_beside(whole: Tally, part: Tally, k: int) -> Shares:
    """The whole (the programme) shown beside a part its reader sees on its own (their
    cluster): only if it has ``k`` answers and the whole without the part none or ``k``."""
    rest = whole.answers - part.answers
    return Shares.of(whole, shown=whole.answers >= k and (rest == 0 or rest >= k))
