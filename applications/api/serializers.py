"""Applications, their partner regions, workflow and history as JSON, and the input shapes."""

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from rest_framework import serializers

from budgets.api.serializers import (
    BudgetLineSerializer,
    CappedSerializer,
    FiguresSerializer,
    ViolationSerializer,
    VisibleOrganisationField,
)
from budgets.audit import Action, Record
from budgets.models import BudgetPosition, Phase, RDProject
from kernel.api.fields import StrictInput, money
from programmes.api.serializers import country_field
from programmes.models import Cluster, Organisation, Round

from .. import access
from ..guards import Refusal
from ..models import Application, ApplicationTransition, PartnerRegion
from ..states import State


class PartnerRegionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    country = country_field(read_only=True)

    class Meta:
        model = PartnerRegion
        fields = ["id", "country", "region", "partner_name", "is_known_partner"]


class PartnerRegionInput(StrictInput):
    output = PartnerRegionSerializer
    country = country_field(help_text="ISO 3166, e.g. FR.")
    region = serializers.CharField(max_length=200)
    partner_name = serializers.CharField(max_length=200)
    is_known_partner = serializers.BooleanField(default=False)


class ApplicationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """An application as every role sees it; ``state`` changes only through transitions."""

    programme = serializers.IntegerField(source="round.programme_id", read_only=True)
    cluster_name = serializers.CharField(source="cluster.name", read_only=True)
    sector = serializers.CharField(source="cluster.sector", read_only=True)
    state = serializers.ChoiceField(choices=State.choices, read_only=True)
    partner_regions = PartnerRegionSerializer(many=True, read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "programme",
            "round",
            "cluster",
            "cluster_name",
            "sector",
            "title",
            "strategy_summary",
            "state",
            "concept_start_on",
            "concept_end_on",
            "implementation_start_on",
            "implementation_end_on",
            "submitted_at",
            "created_at",
            "updated_at",
            "partner_regions",
        ]
        read_only_fields = fields


class ApplicationCreateInput(StrictInput):
    output = ApplicationSerializer
    round = serializers.PrimaryKeyRelatedField(queryset=Round.objects.all())
    cluster = serializers.PrimaryKeyRelatedField(queryset=Cluster.objects.all())
    title = serializers.CharField(max_length=300, allow_blank=True, default="")
    strategy_summary = serializers.CharField(allow_blank=True, default="", max_length=20000)


class ApplicationChange(StrictInput):
    """The outline (drafts only) and each phase's period (while its budget is open)."""

    output = ApplicationSerializer

    title = serializers.CharField(max_length=300, allow_blank=True, required=False)
    strategy_summary = serializers.CharField(allow_blank=True, required=False, max_length=20000)
    concept_start_on = serializers.DateField(required=False)
    concept_end_on = serializers.DateField(required=False)
    implementation_start_on = serializers.DateField(required=False)
    implementation_end_on = serializers.DateField(required=False)


class RefusalSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Why a transition cannot go ahead; budget guards add the violations with their numbers."""

    code = serializers.CharField()
    detail = serializers.CharField()
    violations = ViolationSerializer(many=True)

    def to_representation(self, instance: Refusal) -> dict[str, Any]:
        return {
            "code": instance.code,
            "detail": instance.detail,
            "violations": [violation.as_dict() for violation in instance.violations],
        }


class TransitionOptionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField()
    target = serializers.ChoiceField(choices=State.choices)
    comment_required = serializers.BooleanField()
    allowed = serializers.BooleanField(help_text="Whether you may fire it now.")
    code = serializers.CharField(
        help_text="Empty when allowed; else wrong_state, not_permitted or the guard's rule."
    )
    refusals = RefusalSerializer(many=True)

    def get_fields(self) -> dict[str, serializers.Field]:  # type: ignore[type-arg]
        # ``label`` is an attribute of every Field, so this one is added by name.
        fields = super().get_fields()
        return {"name": fields.pop("name"), "label": serializers.CharField(), **fields}


class TransitionInput(StrictInput):
    comment = serializers.CharField(allow_blank=True, default="", max_length=5000)
    expected_state = serializers.ChoiceField(
        choices=State.choices,
        required=False,
        help_text="The state you saw; if the application has moved on since, the answer is 409.",
    )


class TransitionRecordSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    by = serializers.CharField(source="by.get_username", read_only=True)
    source_state = serializers.ChoiceField(choices=State.choices)
    target_state = serializers.ChoiceField(choices=State.choices)

    class Meta:
        model = ApplicationTransition
        fields = ["id", "transition", "source_state", "target_state", "by", "at", "comment"]


class FieldChangeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    field = serializers.CharField()
    old = serializers.CharField(
        source="old_text", allow_null=True, help_text="null when the row was created."
    )
    new = serializers.CharField(source="new_text")

    def get_fields(self) -> dict[str, serializers.Field]:  # type: ignore[type-arg]
        # ``label`` is an attribute of every Field, so this one is added by name.
        fields = super().get_fields()
        label = serializers.CharField(help_text="The field in the language asked for.")
        return {"field": fields.pop("field"), "label": label, **fields}


class RecordedChangeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A change of the grantee terms, an R&D project, a partner or an organisation taking part:
    when, by whom (null: an operator's command), and what changed from what to what."""

    at = serializers.DateTimeField()
    by = serializers.CharField(source="by_username", allow_null=True)
    record = serializers.ChoiceField(choices=Record.choices)
    record_id = serializers.IntegerField()
    action = serializers.ChoiceField(choices=Action.choices)
    subject = serializers.CharField(help_text="Which row, e.g. “Grantee terms of TU Dresden”.")
    summary = serializers.CharField(help_text="e.g. “funding rate 50.00 % → 60.00 %”.")
    changes = FieldChangeSerializer(many=True)


class RoundLineSerializer(serializers.Serializer):  # type: ignore[type-arg]
    application = serializers.IntegerField(source="application.pk")
    cluster = serializers.IntegerField(source="application.cluster_id")
    cluster_name = serializers.CharField(source="application.cluster.name")
    state = serializers.ChoiceField(source="application.state", choices=State.choices)
    is_committed = serializers.BooleanField(
        help_text="Selected or later: counts against the round's quota."
    )
    total = CappedSerializer()
    committed = FiguresSerializer(
        help_text="Counted against the envelope: the concept budget once selected, the "
        "implementation budget once approved."
    )
    planned = FiguresSerializer(
        help_text="The implementation budget of a selected application not yet approved."
    )


class RoundOverviewSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """What a round has committed against its envelope, and selected against its quota."""

    round = serializers.IntegerField(source="round.pk")
    envelope_amount = money(source="round.envelope_amount")
    committed = FiguresSerializer()
    planned = FiguresSerializer(help_text="Implementation budgets not yet approved.")
    envelope_headroom_amount = money()
    selection_quota = serializers.IntegerField(source="round.selection_quota")
    selected_count = serializers.IntegerField()
    state_counts = serializers.DictField(child=serializers.IntegerField())
    applications_url = serializers.SerializerMethodField(
        help_text="The round's applications with their figures, a page at a time."
    )

    def get_applications_url(self, totals: Any) -> str:
        url = reverse("api:round-applications", args=[totals.round.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class VisibleApplicationField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """Another cluster's application does not exist, exactly as an unknown id does not."""

    def get_queryset(self) -> QuerySet[Application]:
        return access.applications_visible_to(self.context["request"].user)


class VisibleProjectField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    def get_queryset(self) -> QuerySet[RDProject]:
        return access.projects_visible_to(self.context["request"].user)


class BudgetLineChange(StrictInput):
    """PATCH: the fields of a line to change; a field left out keeps its value. Rules across
    lines are the service's."""

    output = BudgetLineSerializer

    phase = serializers.ChoiceField(choices=Phase.choices)
    rd_project = VisibleProjectField(
        queryset=RDProject.objects.all(),
        allow_null=True,
        required=False,
        help_text="Implementation phase only: the R&D project of the line.",
    )
    grantee = VisibleOrganisationField(queryset=Organisation.objects.all())
    year = serializers.IntegerField(min_value=1900, max_value=2999)
    position = serializers.PrimaryKeyRelatedField(queryset=BudgetPosition.objects.all())
    eligible_amount = money(min_value=0)
    justification = serializers.CharField(max_length=500, allow_blank=True, required=False)


class BudgetLineReplace(BudgetLineChange):
    """PUT: every writable field of the line, as it is to be (``rd_project`` null for a
    concept-phase line, ``justification`` "" for none); a field left out is an error, never
    cleared."""

    rd_project = VisibleProjectField(
        queryset=RDProject.objects.all(),
        allow_null=True,
        help_text="Implementation phase only: the R&D project of the line; null otherwise.",
    )
    justification = serializers.CharField(max_length=500, allow_blank=True)


class BudgetLineInput(BudgetLineChange):
    """A new line. A line with the same key (phase, R&D project, grantee, year, position) is
    not changed: the answer is 409 with its URL."""

    application = VisibleApplicationField(queryset=Application.objects.all())
