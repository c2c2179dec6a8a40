"""Budgets to export and import, written through the real budget services, in applications
moved through the real workflow (the round workbook shows their history)."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

from openpyxl import load_workbook

from applications.models import Application
from budgets.models import BudgetLine, Phase, RDProject
from budgets.services import (
    LineInput,
    budget_lines_write,
    grantee_terms_set,
    project_partner_add,
    rd_project_create,
)
from programmes.models import Organisation

from ..budgets.support import cents, fire, funding_cents, select
from ..factories import CompanyFactory, OrganisationFactory, PartnerAbroadFactory, position


@dataclass(frozen=True)
class Budget:
    """An application with a budget in both phases, and who is in it."""

    application: Application
    management: Organisation
    university: Organisation
    company: Organisation
    partner_abroad: Organisation
    project: RDProject


def line(
    phase: str,
    grantee: Organisation,
    year: int,
    basis: str,
    code: str,
    amount: str,
    *,
    project: RDProject | None = None,
    justification: str = "",
) -> LineInput:
    return LineInput(
        phase=phase,
        grantee=grantee,
        year=year,
        position=position(basis, code),
        eligible_amount=Decimal(amount),
        rd_project=project,
        justification=justification,
    )


def concept_lines(application: Application, management: Organisation) -> list[LineInput]:
    """Two concept years; amounts with cents."""
    year = application.concept_start_on.year
    return [
        line(Phase.CONCEPT, management, year, "AZA", "0812", "180000.10", justification="Staff"),
        line(Phase.CONCEPT, management, year, "AZA", "0846", "12345.67"),
        line(Phase.CONCEPT, management, year + 1, "AZA", "0812", "190000.33"),
        line(Phase.CONCEPT, management, year + 1, "AZA", "0850", "0.05"),
    ]


def implementation_lines(
    application: Application,
    project: RDProject,
    university: Organisation,
    company: Organisation,
) -> list[LineInput]:
    """Amounts chosen so that the grant per grantee and year lands on half cents: at 70 % and
    87.5 % these only come out right when rounded half up once per grantee and year."""
    year = application.implementation_start_on.year
    return [
        # company (70 %): 12,345.65 + 0.20 = 12,345.85 → 8,642.095 → 8,642.10
        line(Phase.IMPLEMENTATION, company, year, "AZK", "0837", "12345.65", project=project),
        line(Phase.IMPLEMENTATION, company, year, "AZK", "0838", "0.20", project=project),
        # 0.05 × 70 % = 0.035 → 0.04
        line(Phase.IMPLEMENTATION, company, year + 1, "AZK", "0837", "0.05", project=project),
        line(Phase.IMPLEMENTATION, company, year + 2, "AZK", "0813", "99999.99", project=project),
        # university (87.5 % + 20 %): 1,000.02 → 875.0175 → 875.02; +175.00
        line(Phase.IMPLEMENTATION, university, year, "AZA", "0812", "1000.02", project=project),
        line(
            Phase.IMPLEMENTATION, university, year + 1, "AZA", "0812", "250000.04", project=project
        ),
        line(
            Phase.IMPLEMENTATION,
            university,
            year + 1,
            "AZA",
            "0846",
            "4321.09",
            project=project,
            justification="Trips to Grenoble",
        ),
    ]


def budget_in_both_phases(
    application: Application, *, manager: Any, officer: Any, title: str = "Printed sensors"
) -> Budget:
    """Cluster management's concept budget (written as a draft), then the concept phase (the
    panel selects the application and the officer starts the phase, through the workflow) with
    one R&D project: a small company (70 %), a university at 87.5 % with the Projektpauschale,
    and a French institute without a grant."""
    management = application.cluster.management_organisation
    budget_lines_write(
        application=application, writes=concept_lines(application, management), by=manager
    )
    application = select(application, manager=manager, officer=officer)
    application = fire(application, "start_concept_phase", officer)
    university = OrganisationFactory(name="TU Dresden", city="Dresden")
    company = CompanyFactory(name="Sensorik Dresden GmbH")
    partner_abroad = PartnerAbroadFactory(name="CEA-Leti")
    project = rd_project_create(
        application=application,
        title=title,
        start_month=application.implementation_start_on,
        end_month=application.implementation_end_on.replace(day=1),
        by=manager,
    )
    for organisation, is_lead in ((company, True), (university, False), (partner_abroad, False)):
        project_partner_add(project=project, organisation=organisation, is_lead=is_lead, by=manager)
    grantee_terms_set(
        application=application,
        organisation=university,
        basis="AZA",
        funding_rate=Decimal("87.50"),
        has_projektpauschale=True,
        by=officer,
    )
    budget_lines_write(
        application=application,
        writes=implementation_lines(application, project, university, company),
        by=manager,
    )
    return Budget(
        application=Application.objects.with_programme().get(pk=application.pk),
        management=management,
        university=university,
        company=company,
        partner_abroad=partner_abroad,
        project=project,
    )


def reopen(workbook_bytes: bytes, **options: Any) -> Any:
    return load_workbook(BytesIO(workbook_bytes), **options)


def line_snapshot() -> list[tuple[Any, ...]]:
    """Every budget line's keys and values, to show the database did not change."""
    return sorted(
        BudgetLine.objects.values_list(
            "application_id",
            "phase",
            "rd_project_id",
            "grantee_id",
            "year",
            "position_id",
            "eligible_amount",
            "justification",
        )
    )


def first_day(year: int) -> date:
    return date(year, 1, 1)


def as_cents(values: Sequence[Decimal]) -> list[int]:
    return [int(value * 100) for value in values]


def expected_funding_cents(budget: Budget) -> dict[str, int]:
    """Grant plus Projektpauschale of the fixture's budget per phase, computed in integer
    cents from the lines it wrote (independently of the engine and of the workbooks)."""
    terms = {
        budget.management.pk: (Decimal("100.00"), False),
        budget.company.pk: (Decimal("70.00"), False),
        budget.university.pk: (Decimal("87.50"), True),
    }
    application = budget.application
    eligible: dict[tuple[str, int | None, int, int], int] = defaultdict(int)
    for item in concept_lines(application, budget.management) + implementation_lines(
        application, budget.project, budget.university, budget.company
    ):
        project = item.rd_project.pk if item.rd_project else None
        eligible[(item.phase, project, item.grantee.pk, item.year)] += cents(item.eligible_amount)
    totals: dict[str, int] = defaultdict(int)
    for (phase, _project, grantee, _year), amount in eligible.items():
        rate, pauschale = terms[grantee]
        totals[phase] += funding_cents(amount, rate, has_projektpauschale=pauschale)
    totals["both"] = totals[Phase.CONCEPT] + totals[Phase.IMPLEMENTATION]
    return dict(totals)
