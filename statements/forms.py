"""The statement forms of the portal: shape only (amounts in the user's notation through
``kernel.forms.AmountField``); every rule is the service's."""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from budgets.models import BudgetPosition
from budgets.summary import GranteeBlock
from kernel.forms import AmountField

from .states import StatementKind

GranteeChoice = tuple[str, int | None, GranteeBlock]


def grantee_key(phase: str, rd_project_id: int | None, organisation_id: int) -> str:
    return f"{phase}:{rd_project_id or ''}:{organisation_id}"


class StatementStartForm(forms.Form):
    grantee = forms.ChoiceField(label=_("Grantee"))
    kind = forms.ChoiceField(label=_("Statement"), choices=StatementKind.choices)
    year = forms.IntegerField(
        label=_("Calendar year (interim statements)"),
        min_value=2000,
        max_value=2100,
        required=False,
    )
    narrative = forms.CharField(
        label=_("Narrative report"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, grantees: Sequence[GranteeChoice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.grantees = {
            grantee_key(phase, project_id, block.organisation.pk): (phase, project_id, block)
            for phase, project_id, block in grantees
        }
        field = self.fields["grantee"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (key, f"{block.organisation.name} ({phase}, {block.basis})")
            for key, (phase, _project, block) in self.grantees.items()
        ]

    def chosen(self) -> GranteeChoice:
        return self.grantees[self.cleaned_data["grantee"]]


def actual_field(position: BudgetPosition, year: int) -> str:
    return f"actual_{position.pk}_{year}"


class ActualsForm(forms.Form):
    """The grid: the narrative report and one actual per position of the plan and year."""

    narrative = forms.CharField(
        label=_("Narrative report"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(
        self,
        *args: Any,
        positions: Sequence[BudgetPosition],
        years: Sequence[int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.cells = [(position, year) for year in years for position in positions]
        for position, year in self.cells:
            self.fields[actual_field(position, year)] = AmountField(
                label=f"{year} {position.code} {position.name}", required=False
            )

    def lines(self) -> list[tuple[BudgetPosition, int, Decimal]]:
        found = []
        for position, year in self.cells:
            amount = self.cleaned_data.get(actual_field(position, year))
            if amount is not None:
                found.append((position, year, amount))
        return found


class TransitionForm(forms.Form):
    comment = forms.CharField(
        label=_("Questions or reason"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class SettlementForm(forms.Form):
    settled_amount = AmountField(
        label=_("Settled funding (empty: what the eligible actuals carry)"), required=False
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
