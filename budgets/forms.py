"""Forms of the budget pages. They check shape only (numbers, dates, required); every budget rule
is checked by the services, whose errors the forms show at the field they concern."""

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kernel.forms import AmountField
from programmes.models import Basis, Organisation

from .grid import GridSpec, cell_name
from .selectors import PartnerChoices
from .services import LineInput
from .violations import Rule, Violation

MONTH_INVALID = _("Enter a month, such as %(example)s.")


class BudgetGridForm(forms.Form):
    """One amount field per grantee, budget position and year of a phase (or R&D project).

    ``writes`` and ``deletes`` are what saving the grid changes: cells whose amount differs from
    the saved line, and saved lines whose cell was emptied (or set to zero).
    """

    def __init__(self, spec: GridSpec, *args: Any, disabled: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spec = spec
        for grantee in spec.grantees:
            for position in grantee.positions:
                for year in spec.years:
                    line = spec.existing.get((grantee.organisation.pk, position.pk, year))
                    label = _("%(position)s %(code)s, %(year)s, %(grantee)s") % {
                        "position": position.name,
                        "code": position.code,
                        "year": year,
                        "grantee": grantee.organisation.name,
                    }
                    name = cell_name(grantee.organisation.pk, position.pk, year)
                    field = AmountField(
                        required=False,  # an empty cell is no line
                        label=label,
                        initial=line.eligible_amount if line is not None else None,
                        disabled=disabled,
                    )
                    field.widget.attrs.update(
                        {"aria-describedby": f"errors-{name} errors-year-{year}", "data-amount": ""}
                    )
                    self.fields[name] = field
        self.writes: list[LineInput] = []
        self.deletes: list[Any] = []

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.writes, self.deletes = [], []
        for grantee in self.spec.grantees:
            for position in grantee.positions:
                for year in self.spec.years:
                    name = cell_name(grantee.organisation.pk, position.pk, year)
                    if name not in cleaned:  # this cell has its own error
                        continue
                    amount = cleaned[name]
                    line = self.spec.existing.get((grantee.organisation.pk, position.pk, year))
                    if not amount:
                        if line is not None:
                            self.deletes.append(line)
                        continue
                    if line is not None and line.eligible_amount == amount:
                        continue
                    self.writes.append(
                        LineInput(
                            phase=self.spec.phase,
                            rd_project=self.spec.project,
                            grantee=grantee.organisation,
                            year=year,
                            position=position,
                            eligible_amount=amount,
                            justification=line.justification if line is not None else "",
                        )
                    )
        return cleaned


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m")


class MonthField(forms.DateField):
    """A calendar month (``2028-01``), stored as its first day."""

    widget = MonthInput
    input_formats = ["%Y-%m", "%Y-%m-%d", "%m.%Y", "%m/%Y"]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.error_messages["invalid"] = MONTH_INVALID

    def to_python(self, value: Any) -> date | None:
        try:
            day = super().to_python(value)
        except ValidationError:
            raise ValidationError(
                MONTH_INVALID, code="invalid", params={"example": "2028-01"}
            ) from None
        return day.replace(day=1) if day else None


class RDProjectForm(forms.Form):
    title = forms.CharField(label=capfirst(_("title")), max_length=300)
    description = forms.CharField(
        label=capfirst(_("description")), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    start_month = MonthField(label=capfirst(_("start month")))
    end_month = MonthField(
        label=capfirst(_("end month")), help_text=_("The last month of the project.")
    )


def organisation_label(organisation: Organisation) -> str:
    """An organisation as a picker lists it: name, city and country, and whether it is a
    proposal no officer has confirmed yet."""
    where = ", ".join(part for part in (organisation.city, organisation.country.code) if part)
    label = f"{organisation.name} ({where})"
    if organisation.is_confirmed or organisation.proposed_by_cluster is None:
        return label
    return str(
        _("%(organisation)s – proposed by %(cluster)s, not confirmed yet")
        % {"organisation": label, "cluster": organisation.proposed_by_cluster.name}
    )


class ProjectPartnerForm(forms.Form):
    """``organisations``: those the user may choose, which a POST is checked against; the
    picker lists what :meth:`offer` gives it."""

    organisation = forms.ModelChoiceField(
        label=capfirst(_("organisation")),
        queryset=Organisation.objects.none(),
        help_text=_("Partners abroad take part without a grant."),
    )
    is_lead = forms.BooleanField(label=capfirst(_("lead partner")), required=False)

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation_field.queryset = organisations

    @property
    def organisation_field(self) -> forms.ModelChoiceField:  # type: ignore[type-arg]
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        return field

    def offer(self, choices: PartnerChoices) -> None:
        """List the cluster's own partners and proposals first, then the other organisations."""
        field = self.organisation_field
        groups = [
            (_("Partners and proposals of the cluster"), choices.own),
            (_("Other organisations"), choices.others),
        ]
        field.choices = [
            ("", field.empty_label),
            *(
                (str(group), [(o.pk, organisation_label(o)) for o in found])
                for group, found in groups
                if found
            ),
        ]


class GranteeTermsForm(forms.Form):
    basis = forms.ChoiceField(label=capfirst(_("basis")), choices=Basis.choices)
    funding_rate = forms.DecimalField(
        label=capfirst(_("funding rate (%)")),
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
        localize=True,
    )
    has_projektpauschale = forms.BooleanField(
        label=capfirst(_("Projektpauschale applies")), required=False
    )
    rate_reason = forms.CharField(
        label=capfirst(_("reason for a rate above the default")),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Needed when the funding rate is above the programme's default for the legal form "
            "and size class."
        ),
    )


# Which field of a form a budget rule concerns; rules not listed are shown above the form.
TERMS_FIELDS: Mapping[str, str] = {
    Rule.FUNDING_RATE_ABOVE_MAXIMUM: "funding_rate",
    Rule.PARTNER_ABROAD_FUNDED: "funding_rate",
    Rule.PROJEKTPAUSCHALE_NOT_APPLICABLE: "has_projektpauschale",
    Rule.POSITION_BASIS: "basis",
}
PROJECT_FIELDS: Mapping[str, str] = {
    Rule.PROJECT_OUTSIDE_PHASE: "start_month",
    Rule.YEAR_OUTSIDE_PROJECT: "end_month",
}


def add_service_error(
    form: forms.BaseForm,
    error: ValidationError,
    violations: Sequence[Violation] = (),
    fields: Mapping[str, str] | None = None,
) -> None:
    """Show a service's refusal on the form: budget rule violations at the field they concern
    (``fields`` maps rule to field), model errors at their field, the rest above the form."""
    if violations:
        for violation in violations:
            field = (fields or {}).get(violation.rule)
            form.add_error(field if field in form.fields else None, violation.message)
        return
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
        return
    form.add_error(None, error.messages)
