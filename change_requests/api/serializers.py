"""The shapes of change requests, their differences, transitions and history, and of plan
versions. Input serializers check shape only; every rule is the service's."""

from rest_framework import serializers

from applications.api.serializers import RefusalSerializer
from budgets.api.serializers import ViolationSerializer
from budgets.models import Phase
from kernel.api.fields import StrictInput, money, object_id

from ..models import ChangeRequest, ChangeRequestLine, ChangeRequestTransition
from ..states import ChangeState


class ChangeRequestProposedLineSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    eligible_amount = money()

    class Meta:
        model = ChangeRequestLine
        fields = ["phase", "rd_project", "grantee", "year", "position", "eligible_amount"]


class ChangeRequestSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    cluster = serializers.IntegerField(source="application.cluster_id", read_only=True)
    state = serializers.ChoiceField(choices=ChangeState.choices, read_only=True)
    created_by = serializers.CharField(source="created_by.get_username", read_only=True)
    decided_by = serializers.CharField(
        source="decided_by.get_username", read_only=True, allow_null=True, default=None
    )
    version = serializers.IntegerField(
        source="version.number",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="The plan version an approved request made.",
    )
    lines = ChangeRequestProposedLineSerializer(
        many=True, read_only=True, help_text="The proposed amount of each line it changes."
    )

    class Meta:
        model = ChangeRequest
        fields = [
            "id",
            "application",
            "cluster",
            "state",
            "reason",
            "concept_end_on",
            "implementation_end_on",
            "lines",
            "created_by",
            "created_at",
            "submitted_at",
            "decided_by",
            "decided_at",
            "version",
        ]
        read_only_fields = fields


class ChangeRequestLineDifferenceSerializer(serializers.Serializer):  # type: ignore[type-arg]
    phase = serializers.ChoiceField(choices=Phase.choices)
    project_title = serializers.CharField()
    grantee = serializers.CharField()
    position_code = serializers.CharField()
    position_name = serializers.CharField()
    year = serializers.IntegerField()
    current_amount = money()
    proposed_amount = money()
    difference_amount = money()


class ChangeRequestDateDifferenceSerializer(serializers.Serializer):  # type: ignore[type-arg]
    phase = serializers.ChoiceField(choices=Phase.choices)
    current_on = serializers.DateField(help_text="The phase's end now.")
    proposed_on = serializers.DateField(help_text="The phase's end as proposed.")


class ChangeRequestDifferenceSerializer(serializers.Serializer):  # type: ignore[type-arg]
    lines = ChangeRequestLineDifferenceSerializer(many=True)
    dates = ChangeRequestDateDifferenceSerializer(many=True)
    current_funding_amount = money()
    proposed_funding_amount = money()
    violations = ViolationSerializer(
        many=True, source="check.violations", help_text="Budget rules the proposal would break."
    )


class ChangeRequestTransitionOptionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField()
    target = serializers.ChoiceField(choices=ChangeState.choices)
    comment_required = serializers.BooleanField()
    allowed = serializers.BooleanField(help_text="Whether you may fire it now.")
    code = serializers.CharField(
        help_text="Empty when allowed; else wrong_state, not_permitted or the rule."
    )
    refusals = RefusalSerializer(many=True)

    def get_fields(self) -> dict[str, serializers.Field]:  # type: ignore[type-arg]
        # ``label`` is an attribute of every Field, so this one is added by name.
        fields = super().get_fields()
        return {"name": fields.pop("name"), "label": serializers.CharField(), **fields}


class ChangeRequestTransitionRecordSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    by = serializers.CharField(source="by.get_username", read_only=True)
    source_state = serializers.ChoiceField(choices=ChangeState.choices)
    target_state = serializers.ChoiceField(choices=ChangeState.choices)

    class Meta:
        model = ChangeRequestTransition
        fields = ["id", "transition", "source_state", "target_state", "by", "at", "comment"]


class ChangeRequestDetailSerializer(ChangeRequestSerializer):
    difference = ChangeRequestDifferenceSerializer(
        read_only=True, help_text="Plan against proposal."
    )
    transitions = ChangeRequestTransitionOptionSerializer(
        many=True, read_only=True, source="transition_options"
    )
    history = ChangeRequestTransitionRecordSerializer(
        many=True, read_only=True, source="history_rows"
    )

    class Meta(ChangeRequestSerializer.Meta):
        fields = [*ChangeRequestSerializer.Meta.fields, "difference", "transitions", "history"]
        read_only_fields = fields


class ChangeRequestProposedLineInput(StrictInput):
    phase = serializers.ChoiceField(choices=Phase.choices)
    rd_project = object_id(allow_null=True, required=False, help_text="Implementation phase only.")
    grantee = object_id()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    position = object_id()
    eligible_amount = money(min_value=0, help_text="The proposed amount; 0 moves all of it away.")


class ChangeRequestChange(StrictInput):
    """What the cluster management may change while it has the request."""

    output = ChangeRequestDetailSerializer

    reason = serializers.CharField(allow_blank=True, required=False, max_length=5000)
    concept_end_on = serializers.DateField(required=False, help_text="A new end of the phase.")
    implementation_end_on = serializers.DateField(
        required=False, help_text="A new end of the phase."
    )
    lines = ChangeRequestProposedLineInput(  # type: ignore[call-arg]  # ListSerializer takes max_length
        many=True,
        required=False,
        max_length=2000,
        help_text="The proposed amounts; they replace the earlier ones, other lines keep theirs.",
    )


class ChangeRequestTransitionInput(StrictInput):
    comment = serializers.CharField(allow_blank=True, default="", max_length=5000)
    expected_state = serializers.ChoiceField(
        choices=ChangeState.choices,
        required=False,
        help_text="The state you saw; if the request has moved on since, the answer is 409.",
    )


class PlanVersionLineSerializer(serializers.Serializer):  # type: ignore[type-arg]
    phase = serializers.ChoiceField(choices=Phase.choices)
    rd_project = serializers.IntegerField(source="rd_project_id", allow_null=True)
    grantee = serializers.IntegerField(source="grantee_id")
    year = serializers.IntegerField()
    position = serializers.IntegerField(source="position_id")
    eligible_amount = money()


class PlanVersionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    number = serializers.IntegerField()
    is_current = serializers.BooleanField()
    phases = serializers.ListField(child=serializers.ChoiceField(choices=Phase.choices))
    concept_start_on = serializers.DateField()
    concept_end_on = serializers.DateField()
    implementation_start_on = serializers.DateField()
    implementation_end_on = serializers.DateField()
    reason = serializers.CharField()
    proposed_by = serializers.CharField(allow_null=True)
    proposed_at = serializers.DateTimeField(allow_null=True)
    approved_by = serializers.CharField(allow_null=True)
    approved_at = serializers.DateTimeField(allow_null=True)


class PlanVersionDetailSerializer(serializers.Serializer):  # type: ignore[type-arg]
    version = PlanVersionSerializer()
    funding_amount = money(help_text="Grant plus Projektpauschale of this version.")
    lines = PlanVersionLineSerializer(many=True, help_text="The lines of the version's phases.")
