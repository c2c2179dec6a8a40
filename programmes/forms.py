"""Forms of the reference data, shape only: duplicates and who may add what are the services'."""

from typing import Any

from django import forms
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_countries.fields import LazyTypedChoiceField  # type: ignore[attr-defined]

from .models import Organisation


class CountryChoiceField(LazyTypedChoiceField):  # type: ignore[misc]  # not in its stubs
    """A country of ISO 3166, chosen by its name in the user's language; a code sent in any
    case ("jp") is taken as the country."""

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).strip().upper()


def country_field(model: type[models.Model], **kwargs: Any) -> forms.Field:
    """The form field of ``model.country`` (a django-countries ``CountryField``)."""
    field = model._meta.get_field("country").formfield(  # type: ignore[union-attr]
        choices_form_class=CountryChoiceField, **kwargs
    )
    assert field is not None  # a concrete, editable model field has one
    return field


class OrganisationProposalForm(forms.ModelForm):  # type: ignore[type-arg]
    """A new organisation, proposed by a cluster management (an officer's is confirmed at
    once); ``programmes.services.organisation_propose`` checks and saves it."""

    country = country_field(Organisation)
    city = forms.CharField(label=capfirst(_("city")), max_length=100)

    class Meta:
        model = Organisation
        fields = [
            "name",
            "legal_form",
            "size_class",
            "country",
            "city",
            "register_number",
            "vat_number",
        ]

    def _post_clean(self) -> None:
        """The service validates and saves the organisation (duplicates with a pointer)."""
