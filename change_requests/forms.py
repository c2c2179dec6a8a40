"""The change request's forms: reason and end dates, the proposal as budget grids (the budget
pages' grid form, one per approved phase or R&D project), and a transition's reason. Shape
only; the rules are the services'."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from budgets.forms import BudgetGridForm
from budgets.grid import GridSpec, cell_name, grid_spec
from budgets.models import BudgetPosition, Phase
from budgets.plan import LineInput, Plan
from programmes.models import Organisation

ZERO = Decimal("0.00")


class ChangeRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    concept_end_on = forms.DateField(
        label=_("Concept phase ends on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    implementation_end_on = forms.DateField(
        label=_("Implementation phase ends on"), widget=forms.DateInput(attrs={"type": "date"})
    )


class TransitionForm(forms.Form):
    comment = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


@dataclass(frozen=True)
class GridRow:
    position: BudgetPosition
    cells: Sequence[Any]  # bound fields, one per year


@dataclass(frozen=True)
class GridGranteeRows:
    organisation: Organisation
    rows: Sequence[GridRow]


@dataclass(frozen=True)
class ProposalGrid:
    """One budget grid of the proposal: a phase, or one R&D project of the implementation."""

    title: str
    spec: GridSpec
    form: BudgetGridForm

    @property
    def grantees(self) -> list[GridGranteeRows]:
        return [
            GridGranteeRows(
                organisation=grantee.organisation,
                rows=[
                    GridRow(
                        position=position,
                        cells=[
                            self.form[cell_name(grantee.organisation.pk, position.pk, year)]
                            for year in self.spec.years
                        ],
                    )
                    for position in grantee.positions
                ],
            )
            for grantee in self.spec.grantees
        ]

    def lines(self) -> list[LineInput]:
        """Every cell as a proposed line (an empty cell proposes zero)."""
        cleaned = self.form.cleaned_data
        return [
            LineInput(
                phase=self.spec.phase,
                rd_project=self.spec.project,
                grantee=grantee.organisation,
                year=year,
                position=position,
                eligible_amount=cleaned.get(cell_name(grantee.organisation.pk, position.pk, year))
                or ZERO,
            )
            for grantee in self.spec.grantees
            for position in grantee.positions
            for year in self.spec.years
        ]


def proposal_grids(plan: Plan, phases: Sequence[str], data: Any = None) -> list[ProposalGrid]:
    """The grids of the approved phases, filled with ``plan`` (the proposal as it stands)."""
    grids = []
    if Phase.CONCEPT in phases:
        spec = grid_spec(plan, Phase.CONCEPT)
        grids.append(
            ProposalGrid(str(Phase.CONCEPT.label), spec, BudgetGridForm(spec, data, prefix="c"))
        )
    if Phase.IMPLEMENTATION in phases:
        for project in plan.projects:
            spec = grid_spec(plan, Phase.IMPLEMENTATION, project)
            form = BudgetGridForm(spec, data, prefix=f"p{project.pk}")
            grids.append(ProposalGrid(project.title, spec, form))
    return grids
