"""Programmes, rounds, clusters and organisations: output shapes, and the input shape of the
reference data officers may create and edit."""

from typing import Any

from django_countries.serializer_fields import CountryField
from rest_framework import serializers

from kernel.api.fields import StrictInput, money, percent

from ..models import (
    Cluster,
    FundingRateDefault,
    LegalForm,
    Organisation,
    Programme,
    Round,
    SizeClass,
)


def country_field(**kwargs: Any) -> serializers.ChoiceField:
    """A country of ISO 3166 by its code ("FR"); another answers 400 naming the field."""
    field: serializers.ChoiceField = CountryField(**kwargs)  # type: ignore[no-untyped-call]
    return field


class FundingRateDefaultSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    funding_rate = percent()

    class Meta:
        model = FundingRateDefault
        fields = ["legal_form", "size_class", "basis", "funding_rate", "has_projektpauschale"]


class ProgrammeSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A programme with its caps and durations, which are data, not code."""

    concept_annual_cap_amount = money()
    implementation_cap_amount = money()
    cluster_cap_amount = money()
    max_funding_rate = percent()
    projektpauschale_rate = percent()
    funding_rate_defaults = FundingRateDefaultSerializer(many=True, read_only=True)

    class Meta:
        model = Programme
        fields = [
            "id",
            "name",
            "short_name",
            "description",
            "concept_annual_cap_amount",
            "concept_max_years",
            "max_rd_projects",
            "implementation_cap_amount",
            "implementation_max_years",
            "cluster_cap_amount",
            "max_funding_rate",
            "projektpauschale_rate",
            "funding_rate_defaults",
        ]


class RoundSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    envelope_amount = money()

    class Meta:
        model = Round
        fields = [
            "id",
            "programme",
            "number",
            "call_published_on",
            "outline_deadline_at",
            "funding_starts_on",
            "selection_quota",
            "min_submitted_reviews",
            "envelope_amount",
        ]


class RoundInput(StrictInput):
    """A new round: shape only; its rules (unique number, deadline after the call, positive
    envelope and quota) are ``programmes.services.round_create``'s."""

    output = RoundSerializer

    programme = serializers.PrimaryKeyRelatedField(queryset=Programme.objects.all())
    number = serializers.IntegerField()
    call_published_on = serializers.DateField()
    outline_deadline_at = serializers.DateTimeField()
    funding_starts_on = serializers.DateField()
    selection_quota = serializers.IntegerField(help_text="How many clusters it selects.")
    envelope_amount = money(help_text="EUR, a string with two decimals.")
    min_submitted_reviews = serializers.IntegerField(
        min_value=0, max_value=32767, default=2, help_text="Before an application is selected."
    )


class OrganisationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """An organisation; ``proposed_by_cluster`` names the cluster that proposed it, and until an
    officer confirms it (``is_confirmed``) only that cluster and officers and auditors see it."""

    country = country_field(read_only=True)
    is_german = serializers.BooleanField(read_only=True)
    is_confirmed = serializers.BooleanField(read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "legal_form",
            "size_class",
            "country",
            "city",
            "register_number",
            "vat_number",
            "is_german",
            "proposed_by_cluster",
            "is_confirmed",
            "confirmed_at",
        ]


class OrganisationProposal(StrictInput):
    """A new organisation (``programmes.services.organisation_propose``): shape only; the size
    class rule and duplicates are the service's."""

    output = OrganisationSerializer
    name = serializers.CharField(max_length=200)
    legal_form = serializers.ChoiceField(choices=LegalForm.choices)
    size_class = serializers.ChoiceField(
        choices=SizeClass.choices, allow_blank=True, default="", help_text="Companies only."
    )
    country = country_field(help_text="ISO 3166, e.g. DE, FR, JP.")
    city = serializers.CharField(max_length=100)
    register_number = serializers.CharField(max_length=60, allow_blank=True, default="")
    vat_number = serializers.CharField(max_length=20, allow_blank=True, default="")


class OrganisationInput(StrictInput, serializers.ModelSerializer):  # type: ignore[type-arg]
    """An officer's change: shape only; the size class rule and uniqueness are the model's
    (checked on save)."""

    output = OrganisationSerializer
    country = country_field(help_text="ISO 3166, e.g. DE, FR, JP.")

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
        # Uniqueness and constraints are checked by full_clean when saving, like the admin.
        validators: list[object] = []


class ClusterSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    management_organisation_name = serializers.CharField(
        source="management_organisation.name", read_only=True
    )

    class Meta:
        model = Cluster
        fields = [
            "id",
            "name",
            "sector",
            "location",
            "management_organisation",
            "management_organisation_name",
        ]


class ClusterInput(StrictInput, serializers.ModelSerializer):  # type: ignore[type-arg]
    output = ClusterSerializer

    class Meta:
        model = Cluster
        fields = ["name", "sector", "location", "management_organisation"]
        validators: list[object] = []
        extra_kwargs: dict[str, dict[str, list[object]]] = {"name": {"validators": []}}
