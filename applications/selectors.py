"""Reads that span relations: what pages, API and exports show of applications."""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from budgets import figures
from budgets.arithmetic import Figures, sum_figures
from budgets.models import Phase
from budgets.selectors import budget_summaries
from budgets.summary import BudgetSummary, Capped
from programmes.access import can_read_all, is_officer_for, is_own_cluster_management
from programmes.models import Cluster, Round

from . import access, round_figures
from .guards import Guard, Refusal, round_accepts_outlines
from .models import Application, ApplicationTransition, RoundFigures
from .querysets import ApplicationQuerySet
from .states import IMPLEMENTATION_APPROVED_STATES, IMPLEMENTATION_PLANNED_STATES, SELECTED_STATES

WRONG_STATE = gettext_noop("“%(transition)s” is not possible while the application is %(state)s.")
ONLY_OFFICERS = gettext_noop("“%(transition)s” is for ministry officers only.")
ONLY_OWN_CLUSTER = gettext_noop("“%(transition)s” is for the cluster's own management only.")
COMMENT_REQUIRED = gettext_noop("“%(transition)s” needs a comment that says why.")

_PERMISSION_REFUSALS = {
    is_officer_for: ONLY_OFFICERS,
    is_own_cluster_management: ONLY_OWN_CLUSTER,
}


@dataclass(frozen=True)
class TransitionOption:
    """One transition as this user sees it now: may they fire it, and if not, why not."""

    name: str
    label: str
    target: str
    comment_required: bool
    refusals: Sequence[Refusal] = field(default_factory=tuple)

    @property
    def allowed(self) -> bool:
        return not self.refusals

    @property
    def code(self) -> str:
        """The code of the first reason: wrong_state, not_permitted, or the guard's rule."""
        return self.refusals[0].code if self.refusals else ""


def declared_transitions(model: Any) -> dict[str, Any]:
    """Every transition of a django-fsm workflow (the model's ``state`` field) by name, in the
    order they are declared; the workflows after approval use it too."""
    methods = model._meta.get_field("state").get_all_transitions(model)
    found: dict[str, Any] = {}
    for transition in sorted(methods, key=lambda t: t.method.__code__.co_firstlineno):
        found.setdefault(transition.name, transition)
    return found


TRANSITION_NAMES = tuple(declared_transitions(Application))


def transition_option(application: Application, name: str, user: Any) -> TransitionOption:
    """Whether ``user`` may fire transition ``name`` on ``application`` now, and why not."""
    method = getattr(application, name)
    meta = method._django_fsm
    transition = meta.get_transition(application.state)
    declared = transition or declared_transitions(Application)[name]
    label = str(declared.custom.get("label", name))
    context = {"transition": label, "state": application.get_state_display()}

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
    if not transition.has_perm(application, user):
        message = _PERMISSION_REFUSALS.get(transition.permission, ONLY_OFFICERS)
        return option(Refusal("not_permitted", _(message) % context))
    refusals: list[Refusal] = []
    for condition in transition.conditions:
        if isinstance(condition, Guard):
            refusals += condition.refusals(application)
        elif not condition(application):
            refusals.append(Refusal(condition.__name__, condition.__doc__ or condition.__name__))
    return option(*refusals)


def transition_offered(application: Application, name: str, user: Any) -> bool:
    """Whether transition ``name`` leaves the application's state and ``user`` may fire it,
    before its guards are asked (so without a query): what a list of many applications offers.
    The confirmation page then asks :func:`transition_option`, guards included."""
    transition = getattr(application, name)._django_fsm.get_transition(application.state)
    return transition is not None and bool(transition.has_perm(application, user))


def transition_options(application: Application, user: Any) -> list[TransitionOption]:
    """Every transition of the workflow, each with whether this user may fire it now."""
    return [transition_option(application, name, user) for name in TRANSITION_NAMES]


def application_history(application: Application) -> QuerySet[ApplicationTransition]:
    return application.transitions.select_related("by").order_by("at", "pk")


def committed_of(state: str, concept: Figures, implementation: Figures) -> Figures:
    """What a round has committed of an application in ``state``: the concept budget once
    selected, the implementation budget once approved. Withdrawn, rejected and declined work
    commits nothing more."""
    phases = []
    if state in SELECTED_STATES:
        phases.append(concept)
    if state in IMPLEMENTATION_APPROVED_STATES:
        phases.append(implementation)
    return sum_figures(phases)


def planned_of(state: str, implementation: Figures) -> Figures:
    """The implementation budget of a selected application not yet approved."""
    return implementation if state in IMPLEMENTATION_PLANNED_STATES else Figures()


@dataclass(frozen=True)
class RoundLine:
    """An application of a round with its budget summary (the round workbook's rows), and what
    of it the round has committed and plans (``committed_of``, ``planned_of``)."""

    application: Application
    summary: BudgetSummary

    @property
    def is_committed(self) -> bool:
        """Selected (or later): counts against the round's quota."""
        return self.application.state in SELECTED_STATES

    @property
    def committed(self) -> Figures:
        return committed_of(
            self.application.state,
            self.summary.concept.total.figures,
            self.summary.implementation.total.figures,
        )

    @property
    def planned(self) -> Figures:
        return planned_of(self.application.state, self.summary.implementation.total.figures)


@dataclass(frozen=True)
class RoundOverview:
    """A round's applications with their budgets, and what it has committed against its
    envelope and quota."""

    round: Round
    lines: Sequence[RoundLine]
    committed: Figures
    planned: Figures
    state_counts: dict[str, int]

    @property
    def selected_count(self) -> int:
        return sum(1 for line in self.lines if line.is_committed)

    @property
    def envelope_headroom_amount(self) -> Decimal:
        return Decimal(self.round.envelope_amount) - self.committed.funding_amount


def round_overview(round_: Round, applications: ApplicationQuerySet | None = None) -> RoundOverview:
    """A round's applications with their budgets, what it has committed and what is planned
    (``RoundLine``), in a fixed number of queries."""
    queryset = applications if applications is not None else Application.objects.all()
    members = list(queryset.filter(round=round_).with_programme().order_by("cluster__name"))
    summaries = budget_summaries(members)
    lines = [RoundLine(application, summaries[application.pk]) for application in members]
    return RoundOverview(
        round=round_,
        lines=lines,
        committed=sum_figures(line.committed for line in lines),
        planned=sum_figures(line.planned for line in lines),
        state_counts=dict(Counter(application.state for application in members)),
    )


@dataclass(frozen=True)
class RoundRow:
    """An application of a round with its stored budget figures (``budgets.figures``)."""

    application: Application
    concept: Figures
    implementation: Figures
    cluster_cap_amount: Decimal

    @property
    def is_committed(self) -> bool:
        """Selected (or later): counts against the round's quota."""
        return self.application.state in SELECTED_STATES

    @property
    def total(self) -> Capped:
        return Capped(self.concept + self.implementation, self.cluster_cap_amount)

    @property
    def committed(self) -> Figures:
        return committed_of(self.application.state, self.concept, self.implementation)

    @property
    def planned(self) -> Figures:
        return planned_of(self.application.state, self.implementation)


@dataclass(frozen=True)
class RoundTotals:
    """What a round has committed against its envelope and selected against its quota, summed
    in SQL from the stored budget figures; with its applications' rows when asked for."""

    round: Round
    state_counts: dict[str, int]
    committed: Figures
    planned: Figures
    committed_by_sector: dict[str, Figures] = field(default_factory=dict)  # largest first
    rows: Sequence[RoundRow] = ()

    @property
    def application_count(self) -> int:
        return sum(self.state_counts.values())

    @property
    def selected_count(self) -> int:
        return sum(n for state, n in self.state_counts.items() if state in SELECTED_STATES)

    @property
    def envelope_headroom_amount(self) -> Decimal:
        return Decimal(self.round.envelope_amount) - self.committed.funding_amount


def round_totals(rounds: Sequence[Round]) -> list[RoundTotals]:
    """The totals of these rounds from their stored per-state sums (``RoundFigures``), in one
    query however many applications they have; a round without its row yet is summed now."""
    ids = [round_.pk for round_ in rounds]
    by_round = {pk: row.by_sector for pk, row in RoundFigures.objects.in_bulk(ids).items()}
    missing = [pk for pk in ids if pk not in by_round]
    if missing:
        by_round.update(round_figures.grouped(missing))
    return [totals_of(round_, by_round[round_.pk]) for round_ in rounds]


# The states in which an application commits or plans money; the others only count.
MONEY_STATES = frozenset(
    (*SELECTED_STATES, *IMPLEMENTATION_APPROVED_STATES, *IMPLEMENTATION_PLANNED_STATES)
)


def totals_of(round_: Round, by_sector: round_figures.BySector) -> RoundTotals:
    """A round's totals from its sums per sector and state (``RoundFigures.by_sector``), in one
    pass; the sums of states that neither commit nor plan money are not even read."""
    counts: Counter[str] = Counter()
    by_funding: dict[str, Figures] = {}
    committed, planned = [], []
    for sector, by_state in by_sector.items():
        sector_committed = []
        for state, (count, *sums) in by_state.items():
            counts[state] += count
            if state not in MONEY_STATES:
                continue
            row = dict(zip(figures.ALL_FIELDS, map(Decimal, sums), strict=True))
            implementation = figures.stored(row, Phase.IMPLEMENTATION)
            sector_committed.append(
                committed_of(state, figures.stored(row, Phase.CONCEPT), implementation)
            )
            planned.append(planned_of(state, implementation))
        by_funding[sector] = sum_figures(sector_committed)
        committed.append(by_funding[sector])
    largest_first = sorted(by_funding.items(), key=lambda item: (-item[1].funding_amount, item[0]))
    return RoundTotals(
        round_,
        dict(counts),
        sum_figures(committed),
        sum_figures(planned),
        committed_by_sector={s: f for s, f in largest_first if f.funding_amount},
    )


def round_applications(round_: Round) -> ApplicationQuerySet:
    """A round's applications in the order its table shows them, with what a row shows loaded:
    page through it and pass the page to :func:`round_rows`."""
    return (
        Application.objects.filter(round=round_)
        .select_related("cluster", "budget_figures")
        .order_by("cluster__name", "pk")
    )


def _stored_figures(application: Application) -> Any:
    try:
        return application.budget_figures
    except ObjectDoesNotExist:  # no budget lines yet: every figure is zero
        return None


def stored_total(application: Application) -> Figures:
    """Both phases' figures of an application loaded with ``budget_figures``."""
    stored = _stored_figures(application)
    return figures.stored(stored, Phase.CONCEPT) + figures.stored(stored, Phase.IMPLEMENTATION)


def round_rows(round_: Round, applications: Iterable[Application]) -> list[RoundRow]:
    cap = round_.programme.cluster_cap_amount
    rows = []
    for application in applications:
        stored = _stored_figures(application)
        rows.append(
            RoundRow(
                application,
                figures.stored(stored, Phase.CONCEPT),
                figures.stored(stored, Phase.IMPLEMENTATION),
                cap,
            )
        )
    return rows


def round_with_rows(round_: Round) -> RoundTotals:
    """A round's totals with every application's row (the API's round overview)."""
    totals = round_totals([round_])[0]
    return replace(totals, rows=round_rows(round_, round_applications(round_)))


def application_queue(
    user: Any, *, sector: str = "", round_id: int | None = None, search: str = ""
) -> ApplicationQuerySet:
    """The applications ``user`` may read, filtered for the review queue, with what a row
    shows loaded (round, programme, cluster): the query count does not grow with the rows."""
    queryset = access.applications_visible_to(user).with_programme()
    if round_id is not None:
        queryset = queryset.filter(round_id=round_id)
    if sector:
        queryset = queryset.filter(cluster__sector=sector)
    if search:
        queryset = queryset.filter(
            Q(title__icontains=search)
            | Q(cluster__name__icontains=search)
            | Q(cluster__location__icontains=search)
        )
    return queryset.order_by("-round__number", "cluster__name", "pk")


def queue_state_counts(
    user: Any, *, sector: str = "", round_id: int | None = None, search: str = ""
) -> dict[str, int]:
    """How many applications of the review queue (``application_queue``) are in each state:
    for officers and auditors narrowed by round at most, from the rounds' stored sums (a query
    per table, not a count of every application); otherwise counted."""
    if can_read_all(user) and not sector and not search:
        rounds = Round.objects.all() if round_id is None else Round.objects.filter(pk=round_id)
        counts: Counter[str] = Counter()
        for totals in round_totals(list(rounds.order_by("pk"))):
            counts.update(totals.state_counts)
        return dict(counts)
    queue = application_queue(user, sector=sector, round_id=round_id, search=search)
    return state_counts(queue)


def state_counts(queryset: QuerySet[Application]) -> dict[str, int]:
    """How many of these applications are in each state, in one query."""
    rows = queryset.order_by().values("state").annotate(count=Count("pk"))
    return {row["state"]: row["count"] for row in rows}


def cluster_sectors() -> list[str]:
    return list(Cluster.objects.order_by("sector").values_list("sector", flat=True).distinct())


def rounds_open_for_outlines(cluster_id: int) -> list[Round]:
    """Rounds that accept outlines now (the submit guard's rule) in which the cluster has no
    application yet."""
    applied = Application.objects.filter(cluster_id=cluster_id).values("round_id")
    rounds = Round.objects.select_related("programme").exclude(pk__in=applied)
    return [
        round_
        for round_ in rounds.order_by("programme__name", "number")
        if not round_accepts_outlines.refusals(Application(round=round_, cluster_id=cluster_id))
    ]
