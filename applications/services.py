"""Writes to applications. Each is one atomic action; transitions also write their history row."""

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from budgets.models import Phase
from budgets.plan import check_plan
from budgets.services import budget_change, ensure_keeps_rules
from budgets.summary import Periods
from kernel import clock
from kernel.changes import ensure_changeable
from kernel.dates import add_years
from programmes.models import Cluster, Round

from . import access
from .guards import Refusal, round_accepts_outlines
from .models import Application, ApplicationTransition, PartnerRegion
from .selectors import COMMENT_REQUIRED, TRANSITION_NAMES, transition_option

NOT_EDITABLE = gettext_noop("Only a draft can be changed, by its cluster management or an officer.")
CHANGED_MEANWHILE = gettext_noop(
    "The application was changed meanwhile (it is now %(state)s). Reload it and try again."
)
UNKNOWN_TRANSITION = gettext_noop("There is no transition “%(name)s”.")
ALREADY_APPLIED = gettext_noop("%(cluster)s already has an application in round %(round)s.")


class TransitionError(Exception):
    """A transition that did not happen; nothing was changed."""

    def __init__(self, code: str, detail: str, refusals: tuple[Refusal, ...] = ()) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.refusals = refusals


class TransitionNotPermitted(TransitionError):
    """The user's role may not fire this transition."""


class TransitionRefused(TransitionError):
    """A guard refused: wrong state, a broken rule, or a missing comment."""


class ApplicationChangedMeanwhile(TransitionError):
    """Someone else changed the application after the caller loaded it."""


def default_periods(round_: Round) -> dict[str, date]:
    """The concept phase starts with the round's funding and runs its maximum years; the
    implementation phase starts a year later (they may overlap) and runs its maximum years."""
    programme = round_.programme
    concept_start = round_.funding_starts_on
    implementation_start = add_years(concept_start, 1)
    return {
        "concept_start_on": concept_start,
        "concept_end_on": add_years(concept_start, programme.concept_max_years) - timedelta(days=1),
        "implementation_start_on": implementation_start,
        "implementation_end_on": add_years(implementation_start, programme.implementation_max_years)
        - timedelta(days=1),
    }


@transaction.atomic
def application_create(
    *, round: Round, cluster: Cluster, by: Any, title: str = "", strategy_summary: str = ""
) -> Application:
    """Start a draft for a cluster in a round that accepts outlines; one per cluster and round."""
    if not access.can_create_application(by, cluster.pk):
        raise PermissionDenied(_(NOT_EDITABLE))
    application = Application(
        round=round,
        cluster=cluster,
        title=title,
        strategy_summary=strategy_summary,
        **default_periods(round),
    )
    refusals = round_accepts_outlines.refusals(application)
    if refusals:
        raise ValidationError(refusals[0].detail, code=refusals[0].code)
    if Application.objects.filter(round=round, cluster=cluster).exists():
        raise ValidationError(
            _(ALREADY_APPLIED) % {"cluster": cluster.name, "round": round.number},
            code="already_applied",
        )
    application.full_clean(exclude=["state"])  # protected: changes only by transitions
    application.save()
    return application


OUTLINE_FIELDS = frozenset({"title", "strategy_summary"})
PERIOD_FIELDS = {
    Phase.CONCEPT: frozenset({"concept_start_on", "concept_end_on"}),
    Phase.IMPLEMENTATION: frozenset({"implementation_start_on", "implementation_end_on"}),
}


def application_update(*, application: Application, by: Any, **changes: Any) -> Application:
    """Change the outline (drafts only) or a phase's period (while its budget is open, and only
    if the budget still fits the new period)."""
    outline = set(changes) & OUTLINE_FIELDS
    phases = [phase for phase, fields in PERIOD_FIELDS.items() if set(changes) & fields]
    ensure_changeable(changes, OUTLINE_FIELDS.union(*PERIOD_FIELDS.values()))
    locked: Application
    with budget_change(application, by=by, phases=phases) as change:
        locked = change.application
        if outline and not access.can_edit_outline(by, locked):
            raise PermissionDenied(_(NOT_EDITABLE))
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.full_clean(exclude=["state"])
        ensure_keeps_rules(check_plan(change.plan, periods=Periods.of(locked)))
        locked.save()
    return locked


def _ensure_editable(application: Application, by: Any) -> None:
    if not access.can_edit_outline(by, application):
        raise PermissionDenied(_(NOT_EDITABLE))


@transaction.atomic
def partner_region_add(
    *,
    application: Application,
    country: str,
    region: str,
    partner_name: str,
    is_known_partner: bool,
    by: Any,
) -> PartnerRegion:
    """Add a region abroad; its country is a code of ISO 3166 (the model refuses others)."""
    _ensure_editable(application, by)
    partner_region = PartnerRegion(
        application=application,
        country=str(country).strip().upper(),
        region=region,
        partner_name=partner_name,
        is_known_partner=is_known_partner,
    )
    partner_region.full_clean()
    partner_region.save()
    return partner_region


@transaction.atomic
def partner_region_remove(*, partner_region: PartnerRegion, by: Any) -> None:
    _ensure_editable(partner_region.application, by)
    partner_region.delete()


def application_transition(
    *,
    application: Application,
    name: str,
    by: Any,
    comment: str = "",
    expected_state: str | None = None,
) -> Application:
    """Fire transition ``name`` as ``by``: lock the application (and its round, for the quota),
    check that nobody changed it since the user saw it in ``expected_state`` (default: the state
    of ``application`` as the caller loaded it), check role, comment and guards, apply it and
    record who, when, from, to and why. Refused: nothing changes, and the error says why."""
    if name not in TRANSITION_NAMES:
        raise TransitionRefused("unknown_transition", _(UNKNOWN_TRANSITION) % {"name": name})
    comment = comment.strip()
    with transaction.atomic():
        locked: Application = (
            Application.objects.select_for_update(of=("self",))
            .with_programme()
            .get(pk=application.pk)
        )
        # The quota counts the round's selections: serialise transitions within a round.
        Round.objects.select_for_update().get(pk=locked.round_id)
        if locked.state != (expected_state or application.state):
            raise ApplicationChangedMeanwhile(
                "changed_meanwhile",
                _(CHANGED_MEANWHILE) % {"state": locked.get_state_display()},
            )
        option = transition_option(locked, name, by)
        if option.code == "not_permitted":
            raise TransitionNotPermitted(
                option.code, option.refusals[0].detail, tuple(option.refusals)
            )
        if option.code == "wrong_state":
            raise TransitionRefused(option.code, option.refusals[0].detail, tuple(option.refusals))
        if option.comment_required and not comment:
            raise TransitionRefused(
                "comment_required", _(COMMENT_REQUIRED) % {"transition": option.label}
            )
        if not option.allowed:
            detail = " ".join(refusal.detail for refusal in option.refusals)
            raise TransitionRefused(option.code, detail, tuple(option.refusals))
        source = locked.state
        getattr(locked, name)()
        locked.save()
        ApplicationTransition.objects.create(
            application=locked,
            transition=name,
            source_state=source,
            target_state=locked.state,
            by=by,
            at=clock.now(),
            comment=comment,
        )
    return locked
