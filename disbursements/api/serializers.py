"""The shapes of drawdowns, their transitions and history, the grantees' years and payment
runs. Input serializers check shape only; every rule is the service's."""

from rest_framework import serializers

from applications.api.serializers import RefusalSerializer
from budgets.models import Phase
from kernel.api.fields import StrictInput, money, object_id
from kernel.money import CENT

from ..guards import today
from ..models import DrawdownPosition, DrawdownRequest, DrawdownTransition, PaymentRun
from ..selectors import is_spending_overdue
from ..states import DrawdownState


class DrawdownPositionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    code = serializers.CharField(source="position.code", read_only=True)
    amount = money()

    class Meta:
        model = DrawdownPosition
        fields = ["position", "code", "amount"]


class DrawdownSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    cluster = serializers.IntegerField(source="application.cluster_id", read_only=True)
    grantee_name = serializers.CharField(source="grantee.name", read_only=True)
    grant_reference = serializers.CharField(read_only=True)
    state = serializers.ChoiceField(choices=DrawdownState.choices, read_only=True)
    amount = money(source="total_amount", read_only=True)
    positions = DrawdownPositionSerializer(many=True, read_only=True)
    checked_by = serializers.CharField(
        source="checked_by.get_username", read_only=True, allow_null=True, default=None
    )
    released_by = serializers.CharField(
        source="released_by.get_username", read_only=True, allow_null=True, default=None
    )
    spending_overdue = serializers.SerializerMethodField(
        help_text="Paid on the AZA basis and not reported spent within the programme's days."
    )

    class Meta:
        model = DrawdownRequest
        fields = [
            "id",
            "application",
            "cluster",
            "phase",
            "rd_project",
            "grantee",
            "grantee_name",
            "grant_reference",
            "year",
            "period_start_on",
            "period_end_on",
            "spend_by_on",
            "purpose",
            "state",
            "amount",
            "positions",
            "checked_by",
            "released_by",
            "payment_run",
            "paid_on",
            "payment_reference",
            "spent_reported_on",
            "spending_overdue",
            "created_at",
        ]
        read_only_fields = fields

    def get_spending_overdue(self, drawdown: DrawdownRequest) -> bool:
        spend_days = drawdown.application.round.programme.aza_spend_days
        return is_spending_overdue(drawdown, spend_days, today())


class DrawdownPositionInput(StrictInput):
    position = object_id()
    amount = money(min_value=CENT)


class DrawdownChange(StrictInput):
    """What the cluster management may change while it has the request."""

    output = DrawdownSerializer

    year = serializers.IntegerField(min_value=2000, max_value=2100)
    period_start_on = serializers.DateField()
    period_end_on = serializers.DateField()
    spend_by_on = serializers.DateField(
        allow_null=True, required=False, help_text="Expenditure basis (AZA) only."
    )
    purpose = serializers.CharField(allow_blank=True, required=False, max_length=300)
    positions = DrawdownPositionInput(many=True, help_text="Replace the request's positions.")


class DrawdownCreateInput(DrawdownChange):
    phase = serializers.ChoiceField(choices=Phase.choices)
    rd_project = object_id(allow_null=True, required=False, help_text="Implementation phase only.")
    grantee = object_id()


class DrawdownTransitionOptionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField()
    target = serializers.ChoiceField(choices=DrawdownState.choices)
    comment_required = serializers.BooleanField()
    allowed = serializers.BooleanField(help_text="Whether you may fire it now.")
    code = serializers.CharField(
        help_text="Empty when allowed; else wrong_state, not_permitted, four_eyes or the rule."
    )
    refusals = RefusalSerializer(many=True)

    def get_fields(self) -> dict[str, serializers.Field]:  # type: ignore[type-arg]
        # ``label`` is an attribute of every Field, so this one is added by name.
        fields = super().get_fields()
        return {"name": fields.pop("name"), "label": serializers.CharField(), **fields}


class DrawdownTransitionInput(StrictInput):
    comment = serializers.CharField(allow_blank=True, default="", max_length=5000)
    expected_state = serializers.ChoiceField(
        choices=DrawdownState.choices,
        required=False,
        help_text="The state you saw; if the request has moved on since, the answer is 409.",
    )


class DrawdownTransitionRecordSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    by = serializers.CharField(source="by.get_username", read_only=True)
    source_state = serializers.ChoiceField(choices=DrawdownState.choices)
    target_state = serializers.ChoiceField(choices=DrawdownState.choices)

    class Meta:
        model = DrawdownTransition
        fields = ["id", "transition", "source_state", "target_state", "by", "at", "comment"]


class SpentInput(StrictInput):
    spent_reported_on = serializers.DateField()


class GranteeYearSerializer(serializers.Serializer):  # type: ignore[type-arg]
    phase = serializers.ChoiceField(choices=Phase.choices)
    rd_project = serializers.IntegerField(source="rd_project_id", allow_null=True)
    grantee = serializers.IntegerField(source="grantee_id")
    grantee_name = serializers.CharField()
    basis = serializers.CharField()
    year = serializers.IntegerField()
    approved_amount = money(help_text="Grant plus Projektpauschale of the approved budget.")
    drawn_amount = money(help_text="Requested: submitted and later, not refused.")
    paid_amount = money()
    remaining_amount = money()


class PaymentRunSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    created_by = serializers.CharField(source="created_by.get_username", read_only=True)
    total_amount = money(read_only=True)
    requests = serializers.PrimaryKeyRelatedField(many=True, read_only=True)  # type: ignore[var-annotated]

    class Meta:
        model = PaymentRun
        fields = [
            "id",
            "created_by",
            "created_at",
            "paid_on",
            "payment_reference",
            "total_amount",
            "requests",
        ]
        read_only_fields = fields


class PaymentRunCreateInput(StrictInput):
    output = PaymentRunSerializer

    drawdowns = serializers.ListField(
        child=object_id(),
        allow_empty=False,
        max_length=1000,
        help_text="Released requests, none in a run yet.",
    )


class PaymentRunPayInput(StrictInput):
    paid_on = serializers.DateField()
    payment_reference = serializers.CharField(max_length=100)
