"""Reads of change requests: the transitions a user may fire, the history, the lists the pages
and the API show, the plan versions of an application, and the officers' queue."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from applications.guards import Refusal
from applications.models import Application, ApplicationTransition
from applications.selectors import TransitionOption, declared_transitions
from budgets.models import BudgetLine, PlanVersion
from budgets.plan import summarise
from budgets.summary import BudgetSummary
from budgets.versions import VersionRecord, plan_versions, version_plan
from programmes.access import is_officer_for

from .guards import Guard
from .models import ChangeRequest, ChangeRequestTransition
from .proposal import approved_phases
from .states import ChangeState

WRONG_STATE = gettext_noop("“%(transition)s” is not possible while the request is %(state)s.")
ONLY_OFFICERS = gettext_noop("“%(transition)s” is for ministry officers only.")
ONLY_OWN_CLUSTER = gettext_noop("“%(transition)s” is for the cluster's own management only.")
COMMENT_REQUIRED = gettext_noop("“%(transition)s” needs a comment that says why.")
# The workflow's transitions that approve a phase's plan.
APPROVALS = ("start_concept_phase", "approve_implementation")


TRANSITION_NAMES = tuple(declared_transitions(ChangeRequest))


def transition_option(change_request: ChangeRequest, name: str, user: Any) -> TransitionOption:
    """Whether ``user`` may fire transition ``name`` on ``change_request`` now, and why not."""
    transition = getattr(change_request, name)._django_fsm.get_transition(change_request.state)
    declared = transition or declared_transitions(ChangeRequest)[name]
    label = str(declared.custom.get("label", name))
    context = {"transition": label, "state": change_request.get_state_display()}

    def option(*refusals: Refusal) -> TransitionOption:
        return TransitionOption(
            name=name,
            label=label,
            target=str(declared.target),
            comment_required=bool(declared.custom.get("comment_required")),
            refusals=refusals,
        )

    if transition is None:
        return option(Refusal("wrong_state", _(WRONG_STATE) % context))
    if not transition.has_perm(change_request, user):
        message = ONLY_OFFICERS if transition.permission is is_officer_for else ONLY_OWN_CLUSTER
        return option(Refusal("not_permitted", _(message) % context))
    refusals: list[Refusal] = []
    for condition in transition.conditions:
        if isinstance(condition, Guard):
            refusals += condition.refusals(change_request)
    return option(*refusals)


def offered_transitions(change_request: ChangeRequest, user: Any) -> list[TransitionOption]:
    """The transitions a page offers this user as buttons: those that leave the request's
    state and that the user's role may fire (the guards then say whether they may now)."""
    offered = []
    for name in TRANSITION_NAMES:
        transition = getattr(change_request, name)._django_fsm.get_transition(change_request.state)
        if transition is not None and transition.has_perm(change_request, user):
            offered.append(transition_option(change_request, name, user))
    return offered


def change_request_history(change_request: ChangeRequest) -> QuerySet[ChangeRequestTransition]:
    return change_request.transitions.select_related("by").order_by("at", "pk")


def with_relations(change_requests: QuerySet[ChangeRequest]) -> QuerySet[ChangeRequest]:
    """What every list shows, in one query however many rows."""
    return change_requests.select_related(
        "application__cluster",
        "application__round__programme",
        "created_by",
        "decided_by",
        "version",
    )


def waiting_for_officers() -> QuerySet[ChangeRequest]:
    """Submitted change requests, longest waiting first: the officers' queue."""
    return with_relations(ChangeRequest.objects.filter(state=ChangeState.SUBMITTED)).order_by(
        "submitted_at", "pk"
    )


@dataclass(frozen=True)
class VersionView:
    """One version of an application's plan as the pages and the API show it. ``stored`` is
    None for version 1 while no change was approved: the live plan is that version."""

    number: int
    is_current: bool
    stored: PlanVersion | None
    phases: Sequence[str]
    concept_start_on: date
    concept_end_on: date
    implementation_start_on: date
    implementation_end_on: date
    reason: str
    proposed_by: str | None
    proposed_at: datetime | None
    approved_by: str | None
    approved_at: datetime | None


def _username(user: Any) -> str | None:
    return None if user is None else str(user.get_username())


def version_views(application: Application) -> list[VersionView]:
    """Every version of the plan, oldest first, the last one current: three queries however
    many versions there are."""
    stored = plan_versions(application)
    if not stored:
        record = approval_record(application)
        return [
            VersionView(
                number=1,
                is_current=True,
                stored=None,
                phases=approved_phases(application),
                concept_start_on=application.concept_start_on,
                concept_end_on=application.concept_end_on,
                implementation_start_on=application.implementation_start_on,
                implementation_end_on=application.implementation_end_on,
                reason=record.reason,
                proposed_by=None,
                proposed_at=None,
                approved_by=_username(record.approved_by),
                approved_at=record.approved_at,
            )
        ]
    return [
        VersionView(
            number=version.number,
            is_current=version is stored[-1],
            stored=version,
            phases=list(version.phases),
            concept_start_on=version.concept_start_on,
            concept_end_on=version.concept_end_on,
            implementation_start_on=version.implementation_start_on,
            implementation_end_on=version.implementation_end_on,
            reason=version.reason,
            proposed_by=_username(version.proposed_by),
            proposed_at=version.proposed_at,
            approved_by=_username(version.approved_by),
            approved_at=version.approved_at,
        )
        for version in stored
    ]


@dataclass(frozen=True)
class VersionDetail:
    """A version with its plan's lines (of the version's phases) and its summary."""

    version: VersionView
    lines: Sequence[BudgetLine]
    summary: BudgetSummary

    @property
    def funding_amount(self) -> Decimal:
        return self.summary.total.figures.funding_amount


def version_detail(application: Application, number: int) -> VersionDetail | None:
    """Version ``number`` of the plan, or None if there is no such version."""
    view = next((v for v in version_views(application) if v.number == number), None)
    if view is None:
        return None
    plan = version_plan(application, view.stored)
    return VersionDetail(
        version=view,
        lines=[line for line in plan.lines if line.phase in view.phases],
        summary=summarise(plan),
    )


def approval_record(application: Application) -> VersionRecord:
    """Who approved the plan as it stands before any change: the last approval of a phase
    (none for data entered without the workflow)."""
    approval = (
        ApplicationTransition.objects.filter(application=application, transition__in=APPROVALS)
        .select_related("by")
        .order_by("-at", "-pk")
        .first()
    )
    if approval is None:
        return VersionRecord()
    return VersionRecord(reason=approval.comment, approved_by=approval.by, approved_at=approval.at)
