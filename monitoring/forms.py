"""The pages' forms: shape only (types, required, choices); the rules are the services'."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from programmes.models import Cluster

from .models import ActivityFormat, ActivityKind, ContactsAbroad, Member, OutcomeKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _countries() -> list[tuple[str, str]]:
    """The countries by name in the active language, after an empty choice (so that a blank
    contact row stays unchanged, and a country is chosen, not defaulted)."""
    return [("", "---------"), *((str(code), str(name)) for code, name in countries)]


KNOWN_OR_NEW = [("new", _("new partner")), ("known", _("known partner"))]


class MemberForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Member
        fields = ["name", "legal_form", "size_class", "sector", "city", "contact_email"]


class MembersUploadForm(forms.Form):
    file = forms.FileField(label=_("Members workbook (.xlsx)"))


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    country = forms.ChoiceField(label=_("Partner country"), choices=_countries)
    region = forms.CharField(label=_("Partner region"), max_length=200)
    format = forms.ChoiceField(
        label=_("Format"), choices=ActivityFormat.choices, widget=forms.RadioSelect
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("Participating members"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, cluster: Cluster, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = Member.objects.filter(cluster=cluster).order_by("name")
        self.fields["participants"].queryset = members  # type: ignore[attr-defined]


class ContactForm(forms.Form):
    partner_name = forms.CharField(label=_("Partner organisation abroad"), max_length=200)
    country = forms.ChoiceField(label=_("Country"), choices=_countries)
    known = forms.ChoiceField(label=_("Partner"), choices=KNOWN_OR_NEW, widget=forms.RadioSelect)
    member = forms.ModelChoiceField(
        label=_("Member who made it"), queryset=Member.objects.none(), required=False
    )

    def __init__(self, *args: Any, cluster: Cluster, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = Member.objects.filter(cluster=cluster).order_by("name")
        self.fields["member"].queryset = members  # type: ignore[attr-defined]


ContactFormSet = forms.formset_factory(ContactForm, extra=3)


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Outcome"), choices=OutcomeKind.choices)
    concluded_on = forms.DateField(label=_("Concluded on"), widget=DATE)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)


YES_NO = [("yes", _("yes")), ("no", _("no"))]


class SurveyAnswerForm(forms.Form):
    knows_measure = forms.ChoiceField(
        label=_("Do you know the federal funding measure InterSpiN?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    knows_strategy = forms.ChoiceField(
        label=_("Do you know your cluster's internationalisation strategy?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    took_part = forms.ChoiceField(
        label=_("Did you take part in one of the cluster's international activities?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    contacts_abroad = forms.ChoiceField(
        label=_("Did you make contacts abroad through the cluster?"),
        choices=ContactsAbroad.choices,
        widget=forms.RadioSelect,
    )
