"""Writes to budgets, used alike by pages, API, admin and importers.

Every write takes the application's row lock, changes what it must, and then re-checks every
budget rule on the result. If any rule breaks, the whole write is rolled back and the caller gets a
``BudgetRuleError`` naming each rule with its numbers: two concurrent writes can never together
break a cap, and a refused write leaves nothing behind.
"""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from funding.changes import ensure_changeable
from funding.history import (
    CHANGED,
    CREATED,
    delete_with_history,
    record_history,
    save_with_history,
)
from programmes import access
from programmes.models import Basis, FundingRateDefault, LegalForm, Organisation

from .models import BudgetLine, BudgetPosition, GranteeTerms, Phase, ProjectPartner, RDProject
from .selectors import budget_summary
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

# What a writer may change; the application a line or project belongs to is never among it.
LINE_FIELDS = frozenset(
    {"phase", "rd_project", "grantee", "year", "position", "eligible_amount", "justification"}
)
PROJECT_FIELDS = frozenset({"title", "description", "start_month", "end_month"})


@dataclass(frozen=True)
class LineInput:
    """A budget line as a writer describes it; the key is (phase, project, grantee, year,
    position)."""

    phase: str
    grantee: Organisation
    year: int
    position: BudgetPosition
    eligible_amount: Decimal
    rd_project: RDProject | None = None
    justification: str = ""


def _lock(application: Any) -> Any:
    return (
        type(application)
        ._default_manager.select_for_update(of=("self",))
        .select_related("round__programme", "cluster__management_organisation")
        .get(pk=application.pk)
    )


def _ensure_open(application: Any, phases: Iterable[str]) -> None:
    for phase in sorted(set(phases)):
        if not application.is_budget_open(phase):
            raise BudgetRuleError(
                [
                    Violation(
                        Rule.BUDGET_CLOSED,
                        str(phase),
                        params={
                            "phase": Phase(phase).label,
                            "state": application.get_state_display(),
                        },
                    )
                ]
            )


@contextmanager
def budget_change(application: Any, *, by: Any, phases: Iterable[str]) -> Iterator[Any]:
    """Lock the application, check who writes and that the phases are open, run the body, then
    re-check every budget rule on the result; all in one transaction that a breach rolls back."""
    with transaction.atomic():
        locked = _lock(application)
        if not access.can_write_cluster(by, locked.cluster_id):
            raise PermissionDenied(_(NOT_YOURS))
        _ensure_open(locked, phases)
        yield locked
        violations = budget_summary(locked).violations
        if violations:
            raise BudgetRuleError(violations)


def grantee_terms_ensure(application: Any, organisation: Organisation, *, by: Any) -> GranteeTerms:
    """The organisation's terms in this application; created (by ``by``, in their history) from
    the programme's defaults for its legal form and size the first time. Partners abroad always
    get rate 0."""
    existing = GranteeTerms.objects.filter(
        application_id=application.pk, organisation=organisation
    ).first()
    if existing is not None:
        return existing
    programme = application.round.programme
    default = FundingRateDefault.objects.filter(
        programme=programme, legal_form=organisation.legal_form, size_class=organisation.size_class
    ).first()
    basis = (
        default.basis
        if default
        else (Basis.AZA if organisation.legal_form == LegalForm.UNIVERSITY else Basis.AZK)
    )
    rate = min(default.funding_rate, programme.max_funding_rate) if default else Decimal(0)
    terms = GranteeTerms(
        application_id=application.pk,
        organisation=organisation,
        basis=basis,
        funding_rate=rate if organisation.is_german else Decimal(0),
        has_projektpauschale=bool(default and default.has_projektpauschale),
    )
    terms.full_clean()
    save_with_history(terms, by=by)
    return terms


def grantee_terms_set(
    *,
    application: Any,
    organisation: Organisation,
    basis: str,
    funding_rate: Decimal,
    has_projektpauschale: bool,
    by: Any,
) -> GranteeTerms:
    """Set how an organisation is funded. Allowed while every phase it has lines in is open.
    Each change is kept in the terms' history with its writer; setting the terms they have
    already writes nothing."""
    with budget_change(application, by=by, phases=()) as locked:
        phases_with_lines = set(
            BudgetLine.objects.filter(application_id=locked.pk, grantee=organisation).values_list(
                "phase", flat=True
            )
        )
        _ensure_open(locked, phases_with_lines)
        if not any(locked.is_budget_open(phase) for phase in Phase):
            _ensure_open(locked, Phase)
        terms = grantee_terms_ensure(locked, organisation, by=by)
        wanted = (basis, funding_rate, has_projektpauschale)
        if (terms.basis, terms.funding_rate, terms.has_projektpauschale) == wanted:
            return terms  # nothing changes, so nothing is written (and no history row)
        terms.basis = basis
        terms.funding_rate = funding_rate
        terms.has_projektpauschale = has_projektpauschale
        terms.full_clean()
        save_with_history(terms, by=by)
    return terms


def _save_line(application: Any, line: BudgetLine, by: Any) -> BudgetLine:
    if line.rd_project is not None and line.rd_project.application_id != application.pk:
        raise ValidationError({"rd_project": _(PROJECT_OF_ANOTHER_APPLICATION)})
    grantee_terms_ensure(application, line.grantee, by=by)
    line.full_clean()
    line._history_user = by  # type: ignore[attr-defined]  # read by django-simple-history
    line.save()
    return line


def _line_key(line: BudgetLine | LineInput) -> tuple[Any, ...]:
    project = line.rd_project.pk if line.rd_project is not None else None
    return (line.phase, project, line.grantee.pk, line.year, line.position.pk)


def _validated_line(application: Any, line: BudgetLine) -> BudgetLine:
    """Field rules in Python (digits, decimals, not negative) and the project's ownership; the
    unique keys need no query here, as lines are matched to the stored ones by key."""
    if line.rd_project is not None and line.rd_project.application_id != application.pk:
        raise ValidationError({"rd_project": _(PROJECT_OF_ANOTHER_APPLICATION)})
    if (line.phase == Phase.IMPLEMENTATION) != (line.rd_project is not None):
        raise ValidationError({"rd_project": _(PROJECT_ONLY_IN_IMPLEMENTATION)})
    line.clean_fields(exclude=["application", "rd_project", "grantee", "position"])
    return line


def budget_lines_write(
    *,
    application: Any,
    writes: Sequence[LineInput] = (),
    deletes: Sequence[BudgetLine] = (),
    by: Any,
) -> list[BudgetLine]:
    """Create or change lines by their key and delete others, all or nothing.

    Built for whole budgets (the grid, imports): the stored lines are read once, terms are
    ensured once per grantee, and new and changed lines are written in bulk with their history;
    lines whose amount and justification stay the same are not written at all."""
    with budget_change(application, by=by, phases={item.phase for item in writes}) as locked:
        if any(line.application_id != locked.pk for line in deletes):
            raise ValidationError(_(LINE_OF_ANOTHER_APPLICATION))
        # Read the lines again under the lock: the caller's copies may be stale.
        doomed = list(BudgetLine.objects.filter(pk__in=[line.pk for line in deletes]))
        if len(doomed) != len({line.pk for line in deletes}):
            raise ValidationError(_(LINE_GONE))
        _ensure_open(locked, {line.phase for line in doomed})
        for line in doomed:
            line._history_user = by  # type: ignore[attr-defined]
            line.delete()

        stored = {
            _line_key(line): line
            for line in BudgetLine.objects.filter(application_id=locked.pk).select_related(
                "rd_project", "grantee", "position"
            )
        }
        for grantee in {item.grantee.pk: item.grantee for item in writes}.values():
            grantee_terms_ensure(locked, grantee, by=by)
        now = timezone.now()
        created: dict[tuple[Any, ...], BudgetLine] = {}
        changed: dict[tuple[Any, ...], BudgetLine] = {}
        saved = []
        for item in writes:
            key = _line_key(item)
            line = stored.get(key) or created.get(key)
            if line is None:
                line = BudgetLine(
                    application_id=locked.pk,
                    phase=item.phase,
                    rd_project=item.rd_project,
                    grantee=item.grantee,
                    year=item.year,
                    position=item.position,
                )
                created[key] = line
            elif (line.eligible_amount, line.justification) != (
                item.eligible_amount,
                item.justification,
            ) and key not in created:
                changed[key] = line
            line.eligible_amount = item.eligible_amount
            line.justification = item.justification
            line.updated_at = now
            saved.append(_validated_line(locked, line))
        new_lines = BudgetLine.objects.bulk_create(created.values())
        record_history(
            BudgetLine, [line.pk for line in new_lines], history_type=CREATED, by=by, at=now
        )
        BudgetLine.objects.bulk_update(
            changed.values(), ["eligible_amount", "justification", "updated_at"], batch_size=500
        )
        record_history(
            BudgetLine, [line.pk for line in changed.values()], history_type=CHANGED, by=by, at=now
        )
    return saved


def budget_line_save(*, application: Any, by: Any, **line: Any) -> BudgetLine:
    """Create the line with these keys, or change its amount and justification."""
    return budget_lines_write(application=application, writes=[LineInput(**line)], by=by)[0]


def budget_line_update(*, line: BudgetLine, by: Any, **changes: Any) -> BudgetLine:
    """Change a line's amount, justification or keys (not its application), keeping its
    history. The caller's object is left as it was; the saved line is returned."""
    ensure_changeable(changes, LINE_FIELDS)
    with budget_change(line.application, by=by, phases=()) as locked:
        current = BudgetLine.objects.filter(pk=line.pk, application_id=locked.pk).first()
        if current is None:
            raise ValidationError(_(LINE_GONE))
        _ensure_open(locked, {current.phase, changes.get("phase", current.phase)})
        if all(getattr(current, name) == value for name, value in changes.items()):
            return current  # nothing changes, so nothing is written (and no history row)
        for name, value in changes.items():
            setattr(current, name, value)
        _save_line(locked, current, by)
    return current


def budget_line_delete(*, line: BudgetLine, by: Any) -> None:
    budget_lines_write(application=line.application, deletes=[line], by=by)


def rd_project_create(
    *,
    application: Any,
    title: str,
    start_month: date,
    end_month: date,
    description: str = "",
    by: Any,
) -> RDProject:
    """Add an R&D project; refused beyond the programme's maximum number of projects."""
    with budget_change(application, by=by, phases=[Phase.IMPLEMENTATION]) as locked:
        project = RDProject(
            application_id=locked.pk,
            title=title,
            description=description,
            start_month=start_month,
            end_month=end_month,
        )
        project.full_clean()
        save_with_history(project, by=by)
    return project


def rd_project_update(*, project: RDProject, by: Any, **changes: Any) -> RDProject:
    """Change a project's title, description or months (not its application), kept in its
    history with the writer; a change to the values it has already writes nothing."""
    ensure_changeable(changes, PROJECT_FIELDS)
    with budget_change(project.application, by=by, phases=[Phase.IMPLEMENTATION]) as locked:
        current = RDProject.objects.filter(pk=project.pk, application_id=locked.pk).first()
        if current is None:
            raise ValidationError(_(PROJECT_GONE))
        stored = {name: getattr(current, name) for name in changes}
        for name, value in changes.items():
            setattr(current, name, value)
        current.full_clean()  # first, as it moves months to their first day
        if all(getattr(current, name) == value for name, value in stored.items()):
            return current  # nothing changes, so nothing is written (and no history row)
        save_with_history(current, by=by)
    return current


def rd_project_delete(*, project: RDProject, by: Any) -> None:
    """Delete a project with its budget lines and partners (each deletion kept in their
    history)."""
    with budget_change(project.application, by=by, phases=[Phase.IMPLEMENTATION]):
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
    lead); each change is kept in the partners' history with its writer."""
    with budget_change(project.application, by=by, phases=[Phase.IMPLEMENTATION]) as locked:
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
        grantee_terms_ensure(locked, organisation, by=by)
    return partner


def project_partner_remove(*, partner: ProjectPartner, by: Any) -> None:
    """Remove a partner that has no budget lines left in the project."""
    project = partner.project
    with budget_change(project.application, by=by, phases=[Phase.IMPLEMENTATION]):
        if project.budget_lines.filter(grantee_id=partner.organisation_id).exists():
            raise BudgetRuleError(
                [
                    Violation(
                        Rule.PARTNER_HAS_BUDGET,
                        f"project:{project.pk}",
                        params={"grantee": partner.organisation.name, "project": project.title},
                    )
                ]
            )
        delete_with_history(partner, by=by)
