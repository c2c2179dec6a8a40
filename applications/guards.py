"""Transition conditions that can say why they refuse.

Each guard is a django-fsm condition (true when the transition may go ahead) and also lists its
refusals, with the rule and the numbers, for the service, the pages and the API.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from budgets.models import Phase
from budgets.selectors import budget_problems, phase_plan_problems
from budgets.violations import Violation
from kernel import clock
from kernel.dates import format_day, format_moment

from .states import SELECTED_STATES

if TYPE_CHECKING:
    from .models import Application

ROUND_NOT_OPEN = gettext_noop(
    "Round %(round)s is not open yet: its call is published on %(published)s."
)
DEADLINE_PASSED = gettext_noop(
    "The outline deadline of round %(round)s was %(deadline)s (Europe/Berlin); it is now %(now)s."
)
TITLE_MISSING = gettext_noop("The application needs a title.")
STRATEGY_MISSING = gettext_noop(
    "The application needs a summary of its internationalisation strategy."
)
PARTNER_REGIONS_MISSING = gettext_noop("The application needs at least one target partner region.")
QUOTA_REACHED = gettext_noop(
    "Round %(round)s has already selected %(selected)s of its %(quota)s clusters."
)
TOO_FEW_REVIEWS = gettext_noop(
    "%(submitted)s of the %(required)s required reviews submitted: round %(round)s selects an "
    "application only once %(required)s reviews of it are submitted."
)


@dataclass(frozen=True)
class Refusal:
    """Why a transition cannot go ahead: a stable code, the words, and any budget violations."""

    code: str
    detail: str
    violations: tuple[Violation, ...] = field(default_factory=tuple)

    @classmethod
    def of_violation(cls, violation: Violation) -> "Refusal":
        return cls(code=str(violation.rule), detail=violation.message, violations=(violation,))


class Guard:
    def __init__(self, refusals: Callable[["Application"], list[Refusal]]) -> None:
        self.refusals = refusals
        self.__name__ = refusals.__name__
        self.__doc__ = refusals.__doc__

    def __call__(self, application: Any) -> bool:  # django-fsm passes any model
        return not self.refusals(application)


@Guard
def round_accepts_outlines(application: "Application") -> list[Refusal]:
    """Outlines are accepted from the day the call is published until the deadline."""
    round_ = application.round
    now = clock.now()
    if timezone.localdate(now) < round_.call_published_on:
        return [
            Refusal(
                "round_not_open",
                _(ROUND_NOT_OPEN)
                % {
                    "round": round_.number,
                    "published": format_day(round_.call_published_on),
                },
            )
        ]
    if now > round_.outline_deadline_at:
        return [
            Refusal(
                "deadline_passed",
                _(DEADLINE_PASSED)
                % {
                    "round": round_.number,
                    "deadline": format_moment(round_.outline_deadline_at),
                    "now": format_moment(now),
                },
            )
        ]
    return []


@Guard
def outline_is_complete(application: "Application") -> list[Refusal]:
    """An outline has a title, a strategy summary and at least one target partner region."""
    refusals = []
    if not application.title.strip():
        refusals.append(Refusal("title_missing", _(TITLE_MISSING)))
    if not application.strategy_summary.strip():
        refusals.append(Refusal("strategy_missing", _(STRATEGY_MISSING)))
    if not application.partner_regions.exists():
        refusals.append(Refusal("partner_regions_missing", _(PARTNER_REGIONS_MISSING)))
    return refusals


@Guard
def selection_quota_not_reached(application: "Application") -> list[Refusal]:
    """A round selects at most its quota of clusters."""
    round_ = application.round
    selected = round_.applications.filter(state__in=SELECTED_STATES).count()
    if selected < round_.selection_quota:
        return []
    return [
        Refusal(
            "quota_reached",
            _(QUOTA_REACHED)
            % {"round": round_.number, "selected": selected, "quota": round_.selection_quota},
        )
    ]


@Guard
def enough_reviews_submitted(application: "Application") -> list[Refusal]:
    """The panel selects an application only once the round's minimum number of reviews of it
    has been submitted (drafts do not count)."""
    round_ = application.round
    required = round_.min_submitted_reviews
    submitted = application.reviewer_assignments.filter(review__submitted_at__isnull=False).count()
    if submitted >= required:
        return []
    return [
        Refusal(
            "too_few_reviews",
            _(TOO_FEW_REVIEWS)
            % {"submitted": submitted, "required": required, "round": round_.number},
        )
    ]


@Guard
def concept_budget_is_valid(application: "Application") -> list[Refusal]:
    """The concept-phase budget is not empty and keeps every cap of the programme."""
    return [Refusal.of_violation(v) for v in phase_plan_problems(application, Phase.CONCEPT)]


@Guard
def implementation_plan_is_valid(application: "Application") -> list[Refusal]:
    """1 to the maximum R&D projects, each with a funded German partner and a partner abroad,
    and an implementation budget that keeps every cap."""
    return [Refusal.of_violation(v) for v in phase_plan_problems(application, Phase.IMPLEMENTATION)]


@Guard
def all_caps_hold(application: "Application") -> list[Refusal]:
    """Both phases' budgets are complete and keep every cap, the per-cluster cap included."""
    return [Refusal.of_violation(v) for v in budget_problems(application)]
