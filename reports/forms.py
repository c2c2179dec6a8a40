"""Forms of the round pages: shape only; ``programmes.services.round_create`` decides."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from applications.forms import DateInput
from kernel.forms import AmountField
from programmes.models import Programme


class DateTimeInput(forms.DateTimeInput):
    """The browser's date and time picker; it sends ISO values whatever the language."""

    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


class RoundForm(forms.Form):
    programme = forms.ModelChoiceField(
        Programme.objects.order_by("name"), label=_("Programme"), empty_label=None
    )
    number = forms.IntegerField(label=_("Round number"))
    call_published_on = forms.DateField(label=capfirst(_("call published on")), widget=DateInput())
    outline_deadline_at = forms.DateTimeField(
        label=_("Outline deadline"), widget=DateTimeInput(), help_text=_("Date and time.")
    )
    funding_starts_on = forms.DateField(
        label=capfirst(_("funding starts on")),
        widget=DateInput(),
        help_text=_("When the selected clusters' concept phases begin."),
    )
    selection_quota = forms.IntegerField(label=capfirst(_("clusters to select")))
    envelope_amount = AmountField(label=_("Envelope (EUR)"), required=True)
    min_submitted_reviews = forms.IntegerField(
        label=capfirst(_("submitted reviews required before selection")), initial=2, min_value=0
    )
