"""Forms of the application pages: shape only. The services decide what may change."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from budgets.models import Phase
from programmes.forms import country_field
from programmes.models import Round

from .models import Application, PartnerRegion
from .services import OUTLINE_FIELDS, PERIOD_FIELDS
from .states import State


class DateInput(forms.DateInput):
    """The browser's date picker; it sends ISO dates whatever the language."""

    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class ApplicationForm(forms.ModelForm):  # type: ignore[type-arg]
    """The outline (title, strategy) and the periods of the phases whose budget is still open.
    ``editable`` names the fields this user may change now; the others are left out."""

    class Meta:
        model = Application
        fields = [
            "title",
            "strategy_summary",
            "concept_start_on",
            "concept_end_on",
            "implementation_start_on",
            "implementation_end_on",
        ]
        widgets = {
            "strategy_summary": forms.Textarea(attrs={"rows": 8}),
            "concept_start_on": DateInput(),
            "concept_end_on": DateInput(),
            "implementation_start_on": DateInput(),
            "implementation_end_on": DateInput(),
        }
        help_texts = {
            "title": _("Needed to submit."),
            "strategy_summary": _(
                "Which regions abroad, why, and what the cluster's members gain. Needed to submit."
            ),
        }

    def __init__(self, *args: Any, editable: frozenset[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in editable:
                del self.fields[name]

    def _post_clean(self) -> None:
        """The service checks and saves the application; the form does not touch it."""

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.changed_data}


def editable_fields(application: Application, *, outline: bool) -> frozenset[str]:
    """The outline while it may be edited, and each phase's period while its budget is open."""
    fields: set[str] = set(OUTLINE_FIELDS) if outline else set()
    for phase in Phase:
        if application.is_budget_open(phase):
            fields |= PERIOD_FIELDS[phase]
    return frozenset(fields)


class PartnerRegionForm(forms.ModelForm):  # type: ignore[type-arg]
    country = country_field(PartnerRegion)
    is_known_partner = forms.TypedChoiceField(
        label=capfirst(_("partner")),
        choices=[("False", _("new partner")), ("True", _("known partner, worked with before"))],
        coerce=lambda value: value == "True",
        widget=forms.RadioSelect,
        initial="False",
    )

    class Meta:
        model = PartnerRegion
        fields = ["country", "region", "partner_name", "is_known_partner"]

    def _post_clean(self) -> None:
        """The service validates and saves the region."""


class TransitionForm(forms.Form):
    """A comment, and the state the user saw: if it changed meanwhile, nothing is fired."""

    comment = forms.CharField(
        label=capfirst(_("comment")),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    seen_state = forms.ChoiceField(choices=State.choices, widget=forms.HiddenInput)


class QueueFilterForm(forms.Form):
    """The filters of the review queue; any combination, all optional."""

    q = forms.CharField(
        label=capfirst(_("search")),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("cluster or title")}),
    )
    state = forms.ChoiceField(label=capfirst(_("state")), required=False)
    sector = forms.ChoiceField(label=capfirst(_("sector")), required=False)
    round = forms.ModelChoiceField(
        label=capfirst(_("round")),
        required=False,
        queryset=Round.objects.none(),
        empty_label=capfirst(_("all")),
    )

    def __init__(self, *args: Any, sectors: list[str], rounds: QuerySet[Round], **kwargs: Any):
        super().__init__(*args, **kwargs)
        all_ = ("", capfirst(_("all")))
        self.fields["state"].choices = [all_, *State.choices]  # type: ignore[attr-defined]
        self.fields["sector"].choices = [all_, *[(s, s) for s in sectors]]  # type: ignore[attr-defined]
        self.fields["round"].queryset = rounds  # type: ignore[attr-defined]
