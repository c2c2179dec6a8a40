"""The drawdown form of the portal: shape only (dates, amounts in the user's notation through
``kernel.forms.AmountField``); every rule is the service's."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from budgets.grantees import GranteeGrant
from budgets.models import BudgetPosition
from kernel.forms import AmountField

POSITION_ROWS = 3
NO_POSITION = _("Give at least one position with an amount.")


def grantee_choice(grant: GranteeGrant) -> str:
    return f"{grant.phase}:{grant.rd_project_id or ''}:{grant.organisation.pk}"


class DateInput(forms.DateInput):
    input_type = "date"


class DrawdownForm(forms.Form):
    grantee = forms.ChoiceField(label=_("Grantee"))
    year = forms.IntegerField(label=_("Calendar year"), min_value=2000, max_value=2100)
    period_start_on = forms.DateField(label=_("Period from"), widget=DateInput)
    period_end_on = forms.DateField(label=_("Period to"), widget=DateInput)
    spend_by_on = forms.DateField(
        label=_("Spent by (expenditure basis only)"), required=False, widget=DateInput
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=300, required=False)

    def __init__(self, *args: Any, grants: list[GranteeGrant], editing: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.grants = {grantee_choice(grant): grant for grant in grants}
        grantee = self.fields["grantee"]
        assert isinstance(grantee, forms.ChoiceField)
        grantee.choices = [
            (key, f"{g.organisation.name} ({g.project_title or g.phase}, {g.basis})")
            for key, g in self.grants.items()
        ]
        if editing:
            del self.fields["grantee"]
        positions = BudgetPosition.objects.order_by("basis", "code")
        for row in range(1, POSITION_ROWS + 1):
            self.fields[f"position_{row}"] = forms.ModelChoiceField(
                positions, label=_("Position"), required=False
            )
            self.fields[f"amount_{row}"] = AmountField(label=_("Amount"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if not self.positions():
            raise forms.ValidationError(NO_POSITION)
        return cleaned

    def positions(self) -> list[tuple[BudgetPosition, Decimal]]:
        rows = []
        for row in range(1, POSITION_ROWS + 1):
            position = self.cleaned_data.get(f"position_{row}")
            amount = self.cleaned_data.get(f"amount_{row}")
            if position is not None and amount is not None:
                rows.append((position, amount))
        return rows

    def grant(self) -> GranteeGrant:
        return self.grants[self.cleaned_data["grantee"]]


class TransitionForm(forms.Form):
    comment = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class SpentForm(forms.Form):
    spent_reported_on = forms.DateField(label=_("Spent on"), widget=DateInput)


class PaymentRunPayForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput)
    payment_reference = forms.CharField(label=_("Payment reference"), max_length=100)
