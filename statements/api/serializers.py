"""The shapes of statements, their lines and figures, their transitions and history, and
settlements. Input serializers check shape only; every rule is the service's."""

from typing import Any

from rest_framework import serializers

from applications.api.serializers import RefusalSerializer
from budgets.models import Phase
from kernel.api.fields import StrictInput, money, object_id, percent

from ..models import (
    Settlement,
    Statement,
    StatementDocument,
    StatementLine,
    StatementTransition,
)
from ..states import SettlementOutcome, SettlementState, StatementKind, StatementState


class StatementSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    cluster = serializers.IntegerField(source="application.cluster_id", read_only=True)
    grantee_name = serializers.CharField(source="grantee.name", read_only=True)
    kind = serializers.ChoiceField(choices=StatementKind.choices, read_only=True)
    state = serializers.ChoiceField(choices=StatementState.choices, read_only=True)
    actual_amount = money(read_only=True, help_text="The actuals of every line, summed.")
    accepted_by = serializers.CharField(
        source="accepted_by.get_username", read_only=True, allow_null=True, default=None
    )
    settlement = serializers.SerializerMethodField(help_text="Its settlement's id, if any.")

    class Meta:
        model = Statement
        fields = [
            "id",
            "application",
            "cluster",
            "kind",
            "phase",
            "rd_project",
            "grantee",
            "grantee_name",
            "year",
            "narrative",
            "state",
            "actual_amount",
            "submitted_at",
            "accepted_by",
            "settlement",
            "created_at",
        ]
        read_only_fields = fields

    def get_settlement(self, statement: Statement) -> int | None:
        settlement: Settlement | None = getattr(statement, "settlement", None)
        return None if settlement is None else settlement.pk


class StatementChange(StrictInput):
    output = StatementSerializer

    narrative = serializers.CharField(allow_blank=True, max_length=20000)


class StatementCreateInput(StrictInput):
    output = StatementSerializer

    kind = serializers.ChoiceField(choices=StatementKind.choices)
    phase = serializers.ChoiceField(choices=Phase.choices)
    rd_project = object_id(allow_null=True, required=False, help_text="Implementation phase only.")
    grantee = object_id()
    year = serializers.IntegerField(
        min_value=2000,
        max_value=2100,
        allow_null=True,
        required=False,
        help_text="The calendar year of an interim statement; none for the final one.",
    )
    narrative = serializers.CharField(allow_blank=True, required=False, max_length=20000)


class StatementLineSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    code = serializers.CharField(source="position.code", read_only=True)
    actual_amount = money()

    class Meta:
        model = StatementLine
        fields = ["position", "code", "year", "actual_amount"]
        read_only_fields = fields


class StatementLineInput(StrictInput):
    position = object_id()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    actual_amount = money(
        help_text="Actual expenses (AZA) or costs (AZK); negative amounts are refused."
    )


class StatementLinesInput(StrictInput):
    lines = StatementLineInput(many=True, help_text="Replace every line of the statement.")


class StatementFindingSerializer(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField(help_text="beyond_tolerance or not_covered")
    detail = serializers.CharField()
    year = serializers.IntegerField()
    position_code = serializers.CharField(allow_blank=True)


class StatementPositionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    position = serializers.IntegerField(source="position.pk")
    code = serializers.CharField(source="position.code")
    year = serializers.IntegerField()
    plan_amount = money(help_text="The eligible amount of the current approved plan.")
    actual_amount = money()
    difference_amount = money(help_text="Actual minus plan.")
    excess_rate = percent(allow_null=True, help_text="The excess in % of the plan.")
    within_tolerance = serializers.BooleanField()
    eligible_amount = money(help_text="The actual, at most the plan plus the tolerance.")


class StatementYearSerializer(serializers.Serializer):  # type: ignore[type-arg]
    year = serializers.IntegerField()
    plan_amount = money()
    actual_amount = money()
    difference_amount = money()
    eligible_amount = money(help_text="At most the year's plan in total.")
    grant_amount = money(source="funding.grant_amount")
    projektpauschale_amount = money(source="funding.projektpauschale_amount")
    funding_amount = money(source="funding.funding_amount")
    approved_funding_amount = money()
    paid_amount = money()
    unspent_amount = money(help_text="Paid out but not accounted for by the actuals.")
    positions = StatementPositionSerializer(many=True)
    findings = StatementFindingSerializer(many=True)


class StatementFiguresSerializer(serializers.Serializer):  # type: ignore[type-arg]
    tolerance_rate = percent()
    plan_amount = money()
    actual_amount = money()
    eligible_amount = money()
    funding_amount = money()
    approved_funding_amount = money()
    paid_amount = money()
    unspent_amount = money()
    years = StatementYearSerializer(many=True)
    findings = StatementFindingSerializer(many=True)


class StatementTransitionOptionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField()
    target = serializers.CharField()
    comment_required = serializers.BooleanField()
    allowed = serializers.BooleanField(help_text="Whether you may fire it now.")
    code = serializers.CharField(
        help_text="Empty when allowed; else wrong_state, not_permitted or four_eyes."
    )
    refusals = RefusalSerializer(many=True)

    def get_fields(self) -> dict[str, serializers.Field]:  # type: ignore[type-arg]
        # ``label`` is an attribute of every Field, so this one is added by name.
        fields = super().get_fields()
        return {"name": fields.pop("name"), "label": serializers.CharField(), **fields}


class StatementTransitionInput(StrictInput):
    comment = serializers.CharField(allow_blank=True, default="", max_length=5000)
    expected_state = serializers.ChoiceField(
        choices=StatementState.choices,
        required=False,
        help_text="The state you saw; if the statement has moved on since, the answer is 409.",
    )


class StatementTransitionRecordSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    by = serializers.CharField(source="by.get_username", read_only=True)
    source_state = serializers.ChoiceField(choices=StatementState.choices)
    target_state = serializers.ChoiceField(choices=StatementState.choices)

    class Meta:
        model = StatementTransition
        fields = ["id", "transition", "source_state", "target_state", "by", "at", "comment"]


class SettlementSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    grantee_name = serializers.CharField(source="statement.grantee.name", read_only=True)
    application = serializers.IntegerField(source="statement.application_id", read_only=True)
    state = serializers.ChoiceField(choices=SettlementState.choices, read_only=True)
    eligible_amount = money(read_only=True)
    grant_amount = money(read_only=True)
    projektpauschale_amount = money(read_only=True)
    approved_amount = money(read_only=True)
    settled_amount = money(read_only=True, help_text="Never more than the approved grant.")
    paid_amount = money(read_only=True)
    balance_amount = money(
        read_only=True, help_text="Settled minus paid: above zero paid out, below reclaimed."
    )
    outcome = serializers.ChoiceField(choices=SettlementOutcome.choices, read_only=True)
    prepared_by = serializers.CharField(source="prepared_by.get_username", read_only=True)
    decided_by = serializers.CharField(
        source="decided_by.get_username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Settlement
        fields = [
            "id",
            "statement",
            "application",
            "grantee_name",
            "state",
            "eligible_amount",
            "grant_amount",
            "projektpauschale_amount",
            "approved_amount",
            "settled_amount",
            "paid_amount",
            "balance_amount",
            "outcome",
            "prepared_by",
            "prepared_at",
            "decided_by",
            "decided_at",
            "comment",
        ]
        read_only_fields = fields


class SettlementPrepareInput(StrictInput):
    output = SettlementSerializer

    settled_amount = money(
        required=False,
        allow_null=True,
        help_text="A lower figure than the eligible actuals carry (items found ineligible).",
    )
    comment = serializers.CharField(allow_blank=True, default="", max_length=5000)


class SettlementTransitionInput(StrictInput):
    expected_state = serializers.ChoiceField(choices=SettlementState.choices, required=False)


class ActualsPreviewSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A clean preview: the lines the import would write, and the token that confirms it."""

    token = serializers.CharField(help_text="Send it with the same file to confirm.")
    lines = StatementLineInput(many=True, help_text="Every line the import would write.")

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return {
            "token": instance.token,
            "lines": [
                {"position": p.pk, "year": year, "actual_amount": f"{amount:.2f}"}
                for p, year, amount in instance.lines
            ],
        }


class StatementDocumentSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    uploaded_by = serializers.CharField(source="uploaded_by.get_username", read_only=True)

    class Meta:
        model = StatementDocument
        fields = [
            "id",
            "statement",
            "original_name",
            "size",
            "file_type",
            "sha256",
            "uploaded_by",
            "created_at",
        ]
        read_only_fields = fields


class StatementDocumentInput(StrictInput):
    file = serializers.FileField(help_text="PDF, XLSX, DOCX or ODT, judged by its content.")
