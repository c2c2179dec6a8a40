"""Versions of an approved budget plan: reading any of them, and writing an approved change.

The live ``BudgetLine`` rows always are the current version, so everything that reads the plan
(the summary, drawdown ceilings, statements) follows the latest approved change with no change
of its own. ``PlanVersion`` keeps each approved version's lines (of the phases approved then)
and the phases' dates. Version 1, the plan as approved, is stored with the first approved
change; until then the live plan is version 1.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _

from programmes.models import Organisation

from . import access
from .figures import figures_store
from .models import BudgetLine, BudgetPosition, PlanVersion, PlanVersionLine, RDProject
from .plan import LineInput, Plan, line_order
from .protocols import Budgeted, BudgetedApplication, lock_application
from .selectors import budget_plan
from .services import NOT_YOURS, BudgetChange, _write_lines
from .summary import Periods

PERIOD_FIELDS = (
    "concept_start_on",
    "concept_end_on",
    "implementation_start_on",
    "implementation_end_on",
)


@dataclass(frozen=True)
class VersionRecord:
    """Who proposed a version and who approved it, when, and why."""

    reason: str = ""
    proposed_by: Any = None
    proposed_at: datetime | None = None
    approved_by: Any = None
    approved_at: datetime | None = None


def version_periods(version: PlanVersion) -> Periods:
    """When the phases ran in ``version``."""
    return Periods(**{name: getattr(version, name) for name in PERIOD_FIELDS})


def _snapshot(
    application_id: int, plan: Plan, *, number: int, phases: Sequence[str], record: VersionRecord
) -> PlanVersion:
    """Store ``plan``'s lines of ``phases`` and its dates as version ``number``."""
    version = PlanVersion.objects.create(
        application_id=application_id,
        number=number,
        phases=sorted(phases),
        reason=record.reason,
        proposed_by=record.proposed_by,
        proposed_at=record.proposed_at,
        approved_by=record.approved_by,
        approved_at=record.approved_at,
        **{name: getattr(plan.periods, name) for name in PERIOD_FIELDS},
    )
    PlanVersionLine.objects.bulk_create(
        PlanVersionLine(
            version=version,
            phase=line.phase,
            rd_project=line.rd_project,
            grantee=line.grantee,
            year=line.year,
            position=line.position,
            eligible_amount=line.eligible_amount,
            justification=line.justification,
        )
        for line in plan.lines
        if line.phase in phases
    )
    return version


def plan_versions(application: BudgetedApplication) -> list[PlanVersion]:
    """The stored versions of the application's plan, oldest first (none before the first
    approved change), with who proposed and approved them."""
    return list(
        PlanVersion.objects.filter(application_id=application.pk)
        .select_related("proposed_by", "approved_by")
        .order_by("number")
    )


def version_plan(application: BudgetedApplication, version: PlanVersion | None) -> Plan:
    """The plan as it was in ``version`` (None: the live plan, the current version): its lines
    of the version's phases and its dates; the other phases, the grantee terms and the R&D
    projects (which a change request does not change) as they are."""
    live = budget_plan(application)
    if version is None:
        return live
    stored = list(PlanVersionLine.objects.filter(version=version).order_by("pk"))
    positions = BudgetPosition.objects.in_bulk({line.position_id for line in stored})
    grantees = Organisation.objects.in_bulk({line.grantee_id for line in stored})
    projects = {project.pk: project for project in live.projects}
    missing = {line.rd_project_id for line in stored} - set(projects) - {None}
    projects |= RDProject.objects.in_bulk(missing)
    lines = [line for line in live.lines if line.phase not in version.phases]
    for row in stored:
        lines.append(
            BudgetLine(
                application_id=application.pk,
                phase=row.phase,
                rd_project=projects.get(row.rd_project_id) if row.rd_project_id else None,
                grantee=grantees[row.grantee_id],
                year=row.year,
                position=positions[row.position_id],
                eligible_amount=row.eligible_amount,
                justification=row.justification,
            )
        )
    return replace(
        live,
        lines=sorted(lines, key=lambda line: line_order(line, projects)),
        periods=version_periods(version),
    )


def plan_change_apply(
    *,
    application: Budgeted,
    writes: Sequence[LineInput],
    periods: Periods,
    phases: Sequence[str],
    record: VersionRecord,
    first: VersionRecord,
    by: Any,
) -> PlanVersion:
    """Write an approved change into the live plan and keep it as the next version.

    One transaction under the application's row lock: the plan is read under the lock, the
    change is checked with the same plan check as every budget write (``PlanRefused`` names
    each broken rule with its numbers, and nothing is written), the lines are written with
    their history, the phases' dates set, the figures stored. The first change also stores
    version 1, the plan as approved (``first`` says who approved it and when). A line whose
    money moves away keeps its key at zero, so its history shows the change."""
    with transaction.atomic():
        locked = lock_application(application)
        if not access.can_write_budget(by, locked):
            raise PermissionDenied(_(NOT_YOURS))
        before = budget_plan(locked)
        last = PlanVersion.objects.filter(application_id=locked.pk).order_by("-number").first()
        if last is None:
            _snapshot(locked.pk, before, number=1, phases=phases, record=first)
        _write_lines(
            BudgetChange(locked, before), writes=writes, deletes=(), by=by, periods=periods
        )
        for name in PERIOD_FIELDS:
            setattr(locked, name, getattr(periods, name))
        cast(models.Model, locked).save(update_fields=[*PERIOD_FIELDS, "updated_at"])
        figures_store([locked])
        return _snapshot(
            locked.pk,
            budget_plan(locked),
            number=(last.number if last else 1) + 1,
            phases=phases,
            record=record,
        )


def version_asked(application: BudgetedApplication, asked: str | None) -> PlanVersion | None:
    """The stored version a download asks for by number (``?version=N``); None for the
    current plan: nothing asked, or version 1 while no change has been approved. Raises
    ``PlanVersion.DoesNotExist`` for any other number."""
    if asked is None or asked == "":
        return None
    if not asked.isdigit():
        raise PlanVersion.DoesNotExist(asked)
    version = PlanVersion.objects.filter(application_id=application.pk, number=int(asked)).first()
    if version is not None:
        return version
    if int(asked) == 1 and not PlanVersion.objects.filter(application_id=application.pk).exists():
        return None
    raise PlanVersion.DoesNotExist(asked)


def plan_version_record(
    *, application: BudgetedApplication, phases: Sequence[str], record: VersionRecord
) -> PlanVersion | None:
    """Keep the live plan as the next version once a further phase is approved, so that the
    latest version is the current plan again; nothing while no change made versions (the live
    plan is version 1 then). Call it inside the approval's transaction."""
    last = PlanVersion.objects.filter(application_id=application.pk).order_by("-number").first()
    if last is None:
        return None
    return _snapshot(
        application.pk,
        budget_plan(application),
        number=last.number + 1,
        phases=phases,
        record=record,
    )
