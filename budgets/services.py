"""Writes to budgets, used alike by pages, API, admin and importers.

Every write takes the application's row lock, reads the budget plan under it, and checks the
change it proposes with ``budgets.plan.check_plan`` before it writes anything; it writes only a
change that keeps every budget rule. A refused write raises ``BudgetRuleError`` naming each rule
with its numbers (``PlanRefused`` also carries the figures the write would have given) and has
written nothing: two concurrent writes can never together break a cap.
"""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Generic

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kernel.changes import ensure_changeable
from kernel.history import (
    CHANGED,
    CREATED,
    delete_with_history,
    record_history,
    save_with_history,
)
from kernel.money import format_percent
from programmes import access as programmes_access
from programmes.models import FundingRateDefault, Organisation

from . import access
from .figures import figures_store
from .models import BudgetLine, GranteeTerms, Phase, ProjectPartner, RDProject
from .plan import LineInput as LineInput  # writers describe lines with it, so offer it here
from .plan import Plan, PlanCheck, PlanRefused, check_plan, default_terms, line_key
from .protocols import Budgeted, BudgetedApplication, lock_application
from .selectors import budget_plan
from .summary import Periods
from .violations import BudgetRuleError, Rule, Violation

NOT_YOURS = gettext_noop("You may not change this application's budget.")
PROJECT_OF_ANOTHER_APPLICATION = gettext_noop(
    "This R&D project does not belong to the application."
)
LINE_OF_ANOTHER_APPLICATION = gettext_noop("This budget line does not belong to the application.")
LINE_GONE = gettext_noop(
    "This budget line no longer exists; it was changed meanwhile. Reload and try again."
)
PROJECT_ONLY_IN_IMPLEMENTATION = gettext_noop(
    "Implementation lines belong to an R&D project; concept lines to none."
)
PROJECT_GONE = gettext_noop(
    "This R&D project no longer exists; it was changed meanwhile. Reload and try again."
)
# An organisation the writer may not see is absent for them; an officer sees another cluster's
# proposal but confirms it before any other cluster's plan uses it.
ORGANISATION_UNKNOWN = gettext_noop("There is no such organisation.")
ORGANISATION_NOT_CONFIRMED = gettext_noop(
    "%(organisation)s is another cluster's proposal and not confirmed yet; confirm it before "
    "it is used in this application."
)
RATE_REASON_REQUIRED = gettext_noop(
    "A funding rate of %(rate)s for %(grantee)s is above the programme's default of "
    "%(default)s for its legal form and size class: give the reason."
)
LINE_EXISTS = gettext_noop(
    "The application already has this budget line (%(line)s); change that line instead."
)

# What a writer may change; the application a line or project belongs to is never among it.
LINE_FIELDS = frozenset(
    {"phase", "rd_project", "grantee", "year", "position", "eligible_amount", "justification"}
)
PROJECT_FIELDS = frozenset({"title", "description", "start_month", "end_month"})


def budget_closed(application: BudgetedApplication, phases: Iterable[str]) -> list[Violation]:
    """The refusal of a change to ``phases`` when one of them is closed: the first closed one
    (in order), or nothing."""
    for phase in sorted(set(phases)):
        if not application.is_budget_open(phase):
            return [
                Violation(
                    Rule.BUDGET_CLOSED,
                    str(phase),
                    params={
                        "phase": Phase(phase).label,
                        "state": application.get_state_display(),
                    },
                )
            ]
    return []


class LineExists(ValidationError):
    """A write that would give a line the key of another stored line (phase, R&D project,
    grantee, year, position); ``line`` is that stored line. Nothing was written."""

    def __init__(self, line: BudgetLine) -> None:
        self.line = line
        super().__init__(_(LINE_EXISTS) % {"line": describe_line(line)}, code="duplicate_line")


def describe_line(line: BudgetLine | LineInput) -> str:
    """A line in words: phase, project, grantee, year, position."""
    parts = [str(Phase(line.phase).label)]
    if line.rd_project is not None:
        parts.append(line.rd_project.title)
    parts += [line.grantee.name, str(line.year), f"{line.position.basis} {line.position.code}"]
    return " · ".join(parts)


def _ensure_open(application: BudgetedApplication, phases: Iterable[str]) -> None:
    if closed := budget_closed(application, phases):
        raise BudgetRuleError(closed)


@dataclass(frozen=True)
class BudgetChange(Generic[Budgeted]):
    """A budget write under way: the application, locked, and its plan, read under the lock."""

    application: Budgeted
    plan: Plan


@contextmanager
def budget_change(
    application: Budgeted, *, by: Any, phases: Iterable[str]
) -> Iterator[BudgetChange[Budgeted]]:
    """Lock the application, check who writes and that the phases are open, and read the plan
    under the lock, all in one transaction. The body checks what it would change with
    ``ensure_keeps_rules`` before it writes."""
    with transaction.atomic():
        locked = lock_application(application)
        if not access.can_write_budget(by, locked):
            raise PermissionDenied(_(NOT_YOURS))
        _ensure_open(locked, phases)
        yield BudgetChange(locked, budget_plan(locked))
        figures_store([locked])  # what pages of many applications sum (budgets.figures)


def ensure_keeps_rules(check: PlanCheck) -> PlanCheck:
    """Refuse a change whose result would break a budget rule (even one it did not cause: a
    budget that breaks rules takes no change until it is put right)."""
    if check.violations:
        raise PlanRefused(check)
    return check


def ensure_usable(application: Any, organisation: Organisation, *, by: Any, field: str) -> None:
    """Refuse an organisation ``by`` may not use in this application's plan (``field``: the
    input it came in)."""
    if access.can_use_organisation(by, organisation, application):
        return
    if not programmes_access.can_see_organisation(by, organisation):
        raise ValidationError(
            {field: ValidationError(_(ORGANISATION_UNKNOWN), code="unknown_organisation")}
        )
    raise ValidationError(
        {
            field: ValidationError(
                _(ORGANISATION_NOT_CONFIRMED) % {"organisation": organisation.name},
                code="organisation_not_confirmed",
            )
        }
    )


def _save_terms(terms: GranteeTerms, *, by: Any) -> GranteeTerms:
    terms.full_clean()
    save_with_history(terms, by=by)
    return terms


def grantee_terms_ensure(
    application: BudgetedApplication, organisation: Organisation, *, by: Any
) -> GranteeTerms:
    """The organisation's terms in this application; created (by ``by``, in their history) from
    the programme's defaults for its legal form and size the first time
    (``budgets.plan.default_terms``)."""
    existing = GranteeTerms.objects.filter(
        application_id=application.pk, organisation=organisation
    ).first()
    if existing is not None:
        return existing
    programme = application.round.programme
    default = FundingRateDefault.objects.filter(
        programme=programme, legal_form=organisation.legal_form, size_class=organisation.size_class
    ).first()
    return _save_terms(
        default_terms(
            organisation,
            application_id=application.pk,
            default=default,
            max_funding_rate=programme.max_funding_rate,
        ),
        by=by,
    )


def _save_terms_added(before: Plan, after: Plan, *, by: Any) -> None:
    """Write the terms a checked change gives organisations that had none."""
    for organisation_id, terms in after.terms.items():
        if organisation_id not in before.terms:
            _save_terms(terms, by=by)


def grantee_terms_set(
    *,
    application: BudgetedApplication,
    organisation: Organisation,
    basis: str,
    funding_rate: Decimal,
    has_projektpauschale: bool,
    rate_reason: str = "",
    by: Any,
) -> GranteeTerms:
    """Set how an organisation is funded. Allowed while every phase it has lines in is open.
    A funding rate above the programme's default for the organisation's legal form and size
    class needs a reason, which officers see beside the terms. Each change is kept in the
    terms' history with its writer; setting the terms they have already writes nothing."""
    rate_reason = rate_reason.strip()
    with budget_change(application, by=by, phases=()) as change:
        locked, plan = change.application, change.plan
        ensure_usable(locked, organisation, by=by, field="organisation")
        lines = [line for line in plan.lines if line.grantee_id == organisation.pk]
        _ensure_open(locked, {line.phase for line in lines})
        if not any(locked.is_budget_open(phase) for phase in Phase):
            _ensure_open(locked, Phase)
        terms = plan.terms_of(organisation)
        wanted = (basis, funding_rate, has_projektpauschale, rate_reason)
        if terms.pk is not None and (
            (terms.basis, terms.funding_rate, terms.has_projektpauschale, terms.rate_reason)
            == wanted
        ):
            return terms  # nothing changes, so nothing is written (and no history row)
        terms.basis = basis
        terms.funding_rate = funding_rate
        terms.has_projektpauschale = has_projektpauschale
        terms.rate_reason = rate_reason
        terms.full_clean()
        ensure_keeps_rules(check_plan(plan, terms=[terms]))  # the maximum rate first
        _ensure_rate_reason(plan, terms)
        save_with_history(terms, by=by)
    return terms


def _ensure_rate_reason(plan: Plan, terms: GranteeTerms) -> None:
    """A rate above the programme's default for the legal form and size class needs a reason."""
    default = plan.default_rate_of(terms.organisation)
    if default is None or terms.funding_rate <= default or terms.rate_reason:
        return
    raise ValidationError(
        {
            "rate_reason": ValidationError(
                _(RATE_REASON_REQUIRED)
                % {
                    "rate": format_percent(terms.funding_rate),
                    "grantee": terms.organisation.name,
                    "default": format_percent(default),
                },
                code="rate_reason_required",
            )
        }
    )


def _validated_line(application: BudgetedApplication, line: BudgetLine) -> BudgetLine:
    """Field rules in Python (digits, decimals, not negative) and the project's ownership; the
    unique keys need no query here, as lines are matched to the stored ones by key."""
    if line.rd_project is not None and line.rd_project.application_id != application.pk:
        raise ValidationError({"rd_project": _(PROJECT_OF_ANOTHER_APPLICATION)})
    if (line.phase == Phase.IMPLEMENTATION) != (line.rd_project is not None):
        raise ValidationError({"rd_project": _(PROJECT_ONLY_IN_IMPLEMENTATION)})
    line.clean_fields(exclude=["application", "rd_project", "grantee", "position"])
    return line


def _doomed(locked: Any, plan: Plan, deletes: Sequence[BudgetLine]) -> list[BudgetLine]:
    """The stored lines to delete, as read under the lock (the caller's copies may be stale)."""
    if any(line.application_id != locked.pk for line in deletes):
        raise ValidationError(_(LINE_OF_ANOTHER_APPLICATION))
    wanted = {line.pk for line in deletes}
    doomed = [line for line in plan.lines if line.pk in wanted]
    if len(doomed) != len(wanted):
        raise ValidationError(_(LINE_GONE))
    return doomed


@dataclass(frozen=True)
class _LineWrites:
    """The lines a checked batch writes: the proposed plan's lines for the written keys."""

    created: Sequence[BudgetLine]
    changed: Sequence[BudgetLine]
    saved: Sequence[BudgetLine]  # one per write, in order


def _line_writes(current: Plan, proposed: Plan, writes: Sequence[LineInput]) -> _LineWrites:
    """New lines for new keys, the stored line's replacement otherwise; a line whose amount and
    justification stay as they are is not changed."""
    stored = {line.pk: line for line in current.lines}
    written = {line_key(item) for item in writes}
    by_key = {line_key(line): line for line in proposed.lines if line_key(line) in written}
    created, changed = [], []
    for line in by_key.values():
        old = stored.get(line.pk)
        if old is None:
            created.append(line)
        elif (old.eligible_amount, old.justification) != (line.eligible_amount, line.justification):
            changed.append(line)
    return _LineWrites(created, changed, [by_key[line_key(item)] for item in writes])


def budget_lines_write(
    *,
    application: BudgetedApplication,
    writes: Sequence[LineInput] = (),
    deletes: Sequence[BudgetLine] = (),
    by: Any,
) -> list[BudgetLine]:
    """Create or change lines by their key and delete others, all or nothing.

    Built for whole budgets (the grid, imports): the plan is read once, the result is checked
    before anything is written and what was checked is what is written, terms are created once
    per new grantee, and new and changed lines are written in bulk with their history; lines
    whose amount and justification stay the same are not written at all."""
    with budget_change(application, by=by, phases={item.phase for item in writes}) as change:
        return _write_lines(change, writes=writes, deletes=deletes, by=by)


def _write_lines(
    change: BudgetChange[Budgeted],
    *,
    writes: Sequence[LineInput],
    deletes: Sequence[BudgetLine],
    by: Any,
    periods: Periods | None = None,
) -> list[BudgetLine]:
    """``budget_lines_write`` inside its ``budget_change`` (``periods``: the phases' new dates,
    which an approved change request writes with its lines, ``budgets.versions``)."""
    locked, plan = change.application, change.plan
    doomed = _doomed(locked, plan, deletes)
    _ensure_open(locked, {line.phase for line in doomed})
    for grantee in {item.grantee.pk: item.grantee for item in writes}.values():
        ensure_usable(locked, grantee, by=by, field="grantee")
    check = check_plan(plan, writes=writes, deletes=doomed, periods=periods)
    lines = _line_writes(plan, check.plan, writes)
    for line in {id(line): line for line in lines.saved}.values():
        _validated_line(locked, line)  # field errors come before broken rules
    ensure_keeps_rules(check)

    for line in doomed:
        line._history_user = by  # type: ignore[attr-defined]  # read by django-simple-history
        line.delete()
    _save_terms_added(plan, check.plan, by=by)
    now = timezone.now()
    for line in lines.saved:
        line.updated_at = now
    new_lines = BudgetLine.objects.bulk_create(lines.created)
    record_history(BudgetLine, [line.pk for line in new_lines], history_type=CREATED, by=by, at=now)
    BudgetLine.objects.bulk_update(
        lines.changed, ["eligible_amount", "justification", "updated_at"], batch_size=500
    )
    record_history(
        BudgetLine, [line.pk for line in lines.changed], history_type=CHANGED, by=by, at=now
    )
    return list(lines.saved)


def _stored_with_key(plan: Plan, line: BudgetLine | LineInput, *, other_than: Any = None) -> Any:
    key = line_key(line)
    return next(
        (
            stored
            for stored in plan.lines
            if line_key(stored) == key and (other_than is None or stored.pk != other_than)
        ),
        None,
    )


def budget_line_create(*, application: BudgetedApplication, by: Any, **line: Any) -> BudgetLine:
    """Add a line. A line with the same key (phase, R&D project, grantee, year, position)
    is never changed by it: the create is refused with ``LineExists``, naming that line."""
    item = LineInput(**line)
    with budget_change(application, by=by, phases={item.phase}) as change:
        if (stored := _stored_with_key(change.plan, item)) is not None:
            raise LineExists(stored)
        return _write_lines(change, writes=[item], deletes=(), by=by)[0]


def budget_line_save(*, application: BudgetedApplication, by: Any, **line: Any) -> BudgetLine:
    """Create the line with these keys, or change its amount and justification (to the
    justification given, empty if none is: for writers that send whole lines)."""
    return budget_lines_write(application=application, writes=[LineInput(**line)], by=by)[0]


def budget_line_update(*, line: BudgetLine, by: Any, **changes: Any) -> BudgetLine:
    """Change a line's amount, justification or keys (not its application), keeping its
    history; fields not in ``changes`` keep their values. Moving a line onto the key of
    another line is refused with ``LineExists``. The caller's object is left as it was; the
    saved line is returned."""
    ensure_changeable(changes, LINE_FIELDS)
    with budget_change(line.application, by=by, phases=()) as change:
        locked, plan = change.application, change.plan
        current = next((stored for stored in plan.lines if stored.pk == line.pk), None)
        if current is None:
            raise ValidationError(_(LINE_GONE))
        _ensure_open(locked, {current.phase, changes.get("phase", current.phase)})
        if all(getattr(current, name) == value for name, value in changes.items()):
            ensure_keeps_rules(check_plan(plan))
            return current  # nothing changes, so nothing is written (and no history row)
        if "grantee" in changes:
            ensure_usable(locked, changes["grantee"], by=by, field="grantee")
        changed = LineInput(**{name: getattr(current, name) for name in LINE_FIELDS} | changes)
        for name, value in changes.items():
            setattr(current, name, value)
        if current.rd_project is not None and current.rd_project.application_id != locked.pk:
            raise ValidationError({"rd_project": _(PROJECT_OF_ANOTHER_APPLICATION)})
        if (other := _stored_with_key(plan, current, other_than=current.pk)) is not None:
            raise LineExists(other)
        current.full_clean()
        check = ensure_keeps_rules(check_plan(plan, deletes=[current], writes=[changed]))
        _save_terms_added(plan, check.plan, by=by)
        current._history_user = by  # type: ignore[attr-defined]  # read by django-simple-history
        current.save()
    return current


def budget_line_delete(*, line: BudgetLine, by: Any) -> None:
    budget_lines_write(application=line.application, deletes=[line], by=by)


def rd_project_create(
    *,
    application: BudgetedApplication,
    title: str,
    start_month: date,
    end_month: date,
    description: str = "",
    by: Any,
) -> RDProject:
    """Add an R&D project; refused beyond the programme's maximum number of projects."""
    with budget_change(application, by=by, phases=[Phase.IMPLEMENTATION]) as change:
        project = RDProject(
            application_id=change.application.pk,
            title=title,
            description=description,
            start_month=start_month,
            end_month=end_month,
        )
        project.full_clean()
        ensure_keeps_rules(check_plan(change.plan, projects=[project]))
        save_with_history(project, by=by)
    return project


def rd_project_update(*, project: RDProject, by: Any, **changes: Any) -> RDProject:
    """Change a project's title, description or months (not its application), kept in its
    history with the writer; a change to the values it has already writes nothing."""
    ensure_changeable(changes, PROJECT_FIELDS)
    with budget_change(project.application, by=by, phases=[Phase.IMPLEMENTATION]) as change:
        current = next((p for p in change.plan.projects if p.pk == project.pk), None)
        if current is None:
            raise ValidationError(_(PROJECT_GONE))
        stored = {name: getattr(current, name) for name in changes}
        for name, value in changes.items():
            setattr(current, name, value)
        current.full_clean()  # first, as it moves months to their first day
        if all(getattr(current, name) == value for name, value in stored.items()):
            return current  # nothing changes, so nothing is written (and no history row)
        ensure_keeps_rules(check_plan(change.plan, projects=[current]))
        save_with_history(current, by=by)
    return current


def rd_project_delete(*, project: RDProject, by: Any) -> None:
    """Delete a project with its budget lines and partners (each deletion kept in their
    history)."""
    with budget_change(project.application, by=by, phases=[Phase.IMPLEMENTATION]) as change:
        ensure_keeps_rules(check_plan(change.plan, deleted_projects=[project]))
        for line in project.budget_lines.all():
            line._history_user = by  # type: ignore[attr-defined]
            line.delete()
        for partner in project.partners.all():
            delete_with_history(partner, by=by)
        delete_with_history(project, by=by)


def project_partner_add(
    *, project: RDProject, organisation: Organisation, is_lead: bool = False, by: Any
) -> ProjectPartner:
    """Add a partner to a project, or change whether it leads (the lead replaces any earlier
    lead); each change is kept in the partners' history with its writer. The organisation is
    one ``by`` may see, confirmed or proposed by the application's cluster."""
    with budget_change(project.application, by=by, phases=[Phase.IMPLEMENTATION]) as change:
        plan = change.plan
        ensure_usable(change.application, organisation, by=by, field="organisation")
        others = [
            ProjectPartner(
                pk=p.pk,
                project_id=p.project_id,
                organisation=p.organisation,
                is_lead=p.is_lead and not is_lead,
            )
            for p in plan.partners.get(project.pk, ())
            if p.organisation_id != organisation.pk
        ]
        added = ProjectPartner(project=project, organisation=organisation, is_lead=is_lead)
        ensure_keeps_rules(
            check_plan(
                plan,
                partners={project.pk: [*others, added]},
                terms=[plan.terms_of(organisation)],
            )
        )
        partner = ProjectPartner.objects.filter(project=project, organisation=organisation).first()
        if is_lead:
            # One lead per project: at most one to step down, saved first for the constraint.
            leads = project.partners.filter(is_lead=True)
            for earlier in leads.exclude(pk=partner.pk) if partner else leads:
                earlier.is_lead = False
                save_with_history(earlier, by=by)
        if partner is None:
            partner = ProjectPartner(project=project, organisation=organisation, is_lead=is_lead)
            save_with_history(partner, by=by)
        elif partner.is_lead != is_lead:
            partner.is_lead = is_lead
            save_with_history(partner, by=by)
        grantee_terms_ensure(change.application, organisation, by=by)
    return partner


def project_partner_remove(*, partner: ProjectPartner, by: Any) -> None:
    """Remove a partner that has no budget lines left in the project."""
    project = partner.project
    with budget_change(project.application, by=by, phases=[Phase.IMPLEMENTATION]) as change:
        plan = change.plan
        if any(
            line.rd_project_id == project.pk and line.grantee_id == partner.organisation_id
            for line in plan.lines
        ):
            raise BudgetRuleError(
                [
                    Violation(
                        Rule.PARTNER_HAS_BUDGET,
                        f"project:{project.pk}",
                        params={"grantee": partner.organisation.name, "project": project.title},
                    )
                ]
            )
        remaining = [p for p in plan.partners.get(project.pk, ()) if p.pk != partner.pk]
        ensure_keeps_rules(check_plan(plan, partners={project.pk: remaining}))
        delete_with_history(partner, by=by)
