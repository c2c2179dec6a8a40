"""Budget objects and the budget summary as JSON; money as strings with two decimals."""

from dataclasses import dataclass
from typing import Any, cast

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kernel.api.fields import StrictInput, money, percent
from programmes.access import organisations_visible_to
from programmes.models import Basis, Organisation

from ..arithmetic import Figures
from ..models import BudgetLine, BudgetPosition, GranteeTerms, Phase, ProjectPartner, RDProject
from ..summary import Capped
from ..violations import Rule, Unit, Violation


class ViolationSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A broken budget rule: where (scope), the limit, the actual figure and the excess."""

    rule = serializers.ChoiceField(choices=Rule.choices)
    scope = serializers.CharField(help_text="Where: a year, 'project:<id>', 'application', ...")
    limit = serializers.JSONField(
        allow_null=True,
        help_text="EUR and percent: a string with two decimals; counts and years: an integer.",
    )
    actual = serializers.JSONField(allow_null=True)
    excess = serializers.JSONField(allow_null=True, help_text="actual − limit")
    unit = serializers.ChoiceField(choices=Unit.choices, allow_null=True)
    message = serializers.CharField(help_text="In the request's language and number format.")

    def to_representation(self, instance: Violation) -> dict[str, Any]:
        return instance.as_dict()


class BudgetPositionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = BudgetPosition
        fields = ["id", "basis", "code", "name_de", "name_en"]


class BudgetLineSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    eligible_amount = money()
    grantee_name = serializers.CharField(source="grantee.name", read_only=True)
    position_basis = serializers.CharField(source="position.basis", read_only=True)
    position_code = serializers.CharField(source="position.code", read_only=True)

    class Meta:
        model = BudgetLine
        fields = [
            "id",
            "application",
            "phase",
            "rd_project",
            "grantee",
            "grantee_name",
            "year",
            "position",
            "position_basis",
            "position_code",
            "eligible_amount",
            "justification",
            "updated_at",
        ]


class VisibleOrganisationField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """An organisation the requesting user may see; another is unknown (400), as it is absent
    for them. Needs the request in the serializer's context."""

    def get_queryset(self) -> QuerySet[Organisation]:
        return organisations_visible_to(self.context["request"].user)


class ProjectPartnerSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    country = serializers.CharField(source="organisation.country", read_only=True)

    class Meta:
        model = ProjectPartner
        fields = ["id", "organisation", "organisation_name", "country", "is_lead"]


class ProjectPartnerInput(StrictInput):
    output = ProjectPartnerSerializer
    organisation = VisibleOrganisationField(queryset=Organisation.objects.all())
    is_lead = serializers.BooleanField(default=False)


class RDProjectSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    partners = ProjectPartnerSerializer(many=True, read_only=True)

    class Meta:
        model = RDProject
        fields = [
            "id",
            "application",
            "title",
            "description",
            "start_month",
            "end_month",
            "partners",
        ]


class RDProjectInput(StrictInput):
    output = RDProjectSerializer
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(allow_blank=True, required=False, max_length=10000)
    start_month = serializers.DateField(help_text="Any day of the first month.")
    end_month = serializers.DateField(help_text="Any day of the last month.")


class GranteeTermsSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    funding_rate = percent()
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = GranteeTerms
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "basis",
            "funding_rate",
            "has_projektpauschale",
            "rate_reason",
        ]


RATE_REASON_HELP = "Needed for a funding rate above the programme's default."


class GranteeTermsInput(StrictInput):
    output = GranteeTermsSerializer
    organisation = VisibleOrganisationField(queryset=Organisation.objects.all())
    basis = serializers.ChoiceField(choices=Basis.choices)
    funding_rate = percent(min_value=0, max_value=100)
    has_projektpauschale = serializers.BooleanField()
    rate_reason = serializers.CharField(
        max_length=1000, allow_blank=True, default="", help_text=RATE_REASON_HELP
    )


class GranteeTermsChange(StrictInput):
    """A change of an organisation's terms; what it leaves out stays as it is."""

    output = GranteeTermsSerializer
    basis = serializers.ChoiceField(choices=Basis.choices, required=False)
    funding_rate = percent(min_value=0, max_value=100, required=False)
    has_projektpauschale = serializers.BooleanField(required=False)
    rate_reason = serializers.CharField(
        max_length=1000, allow_blank=True, required=False, help_text=RATE_REASON_HELP
    )


# The budget summary. Its mappings by year become lists of {"year": ..., figures}.


@dataclass(frozen=True)
class YearFigures:
    year: int
    figures: Figures


@dataclass(frozen=True)
class YearCapped:
    year: int
    capped: Capped


class FiguresSerializer(serializers.Serializer):  # type: ignore[type-arg]
    eligible_amount = money()
    grant_amount = money()
    projektpauschale_amount = money()
    funding_amount = money(help_text="Grant plus Projektpauschale: what the caps apply to.")


class YearFiguresSerializer(serializers.Serializer):  # type: ignore[type-arg]
    year = serializers.IntegerField()
    eligible_amount = money(source="figures.eligible_amount")
    grant_amount = money(source="figures.grant_amount")
    projektpauschale_amount = money(source="figures.projektpauschale_amount")
    funding_amount = money(source="figures.funding_amount")


class CappedSerializer(serializers.Serializer):  # type: ignore[type-arg]
    eligible_amount = money(source="figures.eligible_amount")
    grant_amount = money(source="figures.grant_amount")
    projektpauschale_amount = money(source="figures.projektpauschale_amount")
    funding_amount = money(source="figures.funding_amount")
    cap_amount = money(allow_null=True)
    headroom_amount = money(allow_null=True, help_text="Left under the cap; negative when over.")


class YearCappedSerializer(CappedSerializer):
    year = serializers.IntegerField()
    eligible_amount = money(source="capped.figures.eligible_amount")
    grant_amount = money(source="capped.figures.grant_amount")
    projektpauschale_amount = money(source="capped.figures.projektpauschale_amount")
    funding_amount = money(source="capped.figures.funding_amount")
    cap_amount = money(source="capped.cap_amount", allow_null=True)
    headroom_amount = money(source="capped.headroom_amount", allow_null=True)


def _by_year(by_year: Any) -> list[dict[str, Any]]:
    rows = [YearFigures(year, figures) for year, figures in sorted(by_year.items())]
    return cast(list[dict[str, Any]], YearFiguresSerializer(rows, many=True).data)


class OrganisationBriefSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Organisation
        fields = ["id", "name", "legal_form", "country"]


class PositionRowSerializer(serializers.Serializer):  # type: ignore[type-arg]
    position = BudgetPositionSerializer()
    by_year = serializers.SerializerMethodField()
    total = FiguresSerializer()

    @extend_schema_field(YearFiguresSerializer(many=True))
    def get_by_year(self, row: Any) -> list[dict[str, Any]]:
        return _by_year(row.by_year)


class GranteeBlockSerializer(serializers.Serializer):  # type: ignore[type-arg]
    organisation = OrganisationBriefSerializer()
    basis = serializers.ChoiceField(choices=Basis.choices)
    funding_rate = percent()
    has_projektpauschale = serializers.BooleanField()
    positions = PositionRowSerializer(many=True)
    by_year = serializers.SerializerMethodField()
    total = FiguresSerializer()

    @extend_schema_field(YearFiguresSerializer(many=True))
    def get_by_year(self, block: Any) -> list[dict[str, Any]]:
        return _by_year(block.by_year)


class ProjectBriefSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = RDProject
        fields = ["id", "title", "start_month", "end_month"]


class ProjectBlockSerializer(serializers.Serializer):  # type: ignore[type-arg]
    project = ProjectBriefSerializer()
    partners = OrganisationBriefSerializer(many=True)
    lead_partner = OrganisationBriefSerializer(allow_null=True)
    grantees = GranteeBlockSerializer(many=True)
    by_year = serializers.SerializerMethodField()
    total = FiguresSerializer()

    @extend_schema_field(YearFiguresSerializer(many=True))
    def get_by_year(self, block: Any) -> list[dict[str, Any]]:
        return _by_year(block.by_year)


class PhaseSummarySerializer(serializers.Serializer):  # type: ignore[type-arg]
    phase = serializers.ChoiceField(choices=Phase.choices)
    start_on = serializers.DateField()
    end_on = serializers.DateField()
    years = serializers.ListField(child=serializers.IntegerField())
    is_empty = serializers.BooleanField()
    grantees = GranteeBlockSerializer(many=True, help_text="Concept phase: its grantees.")
    projects = ProjectBlockSerializer(many=True, help_text="Implementation phase: its projects.")
    by_year = serializers.SerializerMethodField()
    total = CappedSerializer()

    @extend_schema_field(YearCappedSerializer(many=True))
    def get_by_year(self, phase: Any) -> list[dict[str, Any]]:
        rows = [YearCapped(year, capped) for year, capped in sorted(phase.by_year.items())]
        return cast(list[dict[str, Any]], YearCappedSerializer(rows, many=True).data)


class CapsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    concept_annual_cap_amount = money()
    concept_max_years = serializers.IntegerField()
    max_rd_projects = serializers.IntegerField()
    implementation_cap_amount = money()
    implementation_max_years = serializers.IntegerField()
    cluster_cap_amount = money()
    max_funding_rate = percent()
    projektpauschale_rate = percent()


class BudgetSummarySerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Every figure of an application's budget, from the same selector the pages use."""

    application = serializers.IntegerField(source="application_id")
    caps = CapsSerializer()
    concept = PhaseSummarySerializer()
    implementation = PhaseSummarySerializer()
    total = CappedSerializer(help_text="Both phases against the per-cluster cap.")
    violations = ViolationSerializer(many=True)


# The shape of every error response (``funding.api.errors``), for the OpenAPI schema.


class ErrorItemSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A budget violation (with ``rule`` … ``message``) or a refusal (with ``violations``)."""

    code = serializers.CharField()
    detail = serializers.CharField()
    rule = serializers.ChoiceField(choices=Rule.choices, required=False)
    scope = serializers.CharField(required=False)
    limit = serializers.JSONField(required=False, allow_null=True)
    actual = serializers.JSONField(required=False, allow_null=True)
    excess = serializers.JSONField(required=False, allow_null=True)
    unit = serializers.ChoiceField(choices=Unit.choices, required=False, allow_null=True)
    message = serializers.CharField(required=False)
    violations = ViolationSerializer(many=True, required=False)


class ErrorSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Every error response."""

    code = serializers.CharField(
        help_text="Stable and machine-readable, e.g. 'concept_annual_cap'."
    )
    detail = serializers.CharField(help_text="In the request's language (Accept-Language).")
    existing = serializers.URLField(
        required=False,
        help_text="409 duplicate_line: the URL of the budget line that has the key already.",
    )

    def get_fields(self) -> dict[str, serializers.Field]:  # type: ignore[type-arg]
        # ``errors`` and ``fields`` are properties of Serializer, so these are added by name.
        fields = super().get_fields()
        fields["errors"] = ErrorItemSerializer(many=True, required=False)
        fields["fields"] = serializers.DictField(
            required=False, help_text="Invalid input: field name -> its messages."
        )
        return fields
