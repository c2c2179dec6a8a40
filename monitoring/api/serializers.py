"""The shapes of members, activities, surveys and indicators in the API (output), and of their
input. Shape only: the rules are the services'."""

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers

from kernel.api.fields import object_id
from programmes.api.serializers import country_field

from .. import access
from ..models import Activity, Contact, Member, Outcome, Survey


class VisibleMemberField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """A member by id, among those the user may see: another cluster's is "does not exist"."""

    def get_queryset(self) -> QuerySet[Member]:
        request = self.context.get("request")
        return access.members_visible_to(getattr(request, "user", None))


class MemberSerializer(serializers.ModelSerializer[Member]):
    class Meta:
        model = Member
        fields = ["id", "name", "legal_form", "size_class", "sector", "city", "contact_email"]
        read_only_fields = ["id"]
        # The uniqueness within the cluster is the service's rule (with its message).
        validators: list[Any] = []


class ContactSerializer(serializers.ModelSerializer[Contact]):
    country = country_field(help_text="ISO 3166, e.g. US.")
    member = VisibleMemberField(required=False, allow_null=True)

    class Meta:
        model = Contact
        fields = ["id", "partner_name", "country", "is_known_partner", "member"]
        read_only_fields = ["id"]
        extra_kwargs = {
            # Known or new is what the contact is recorded for: always said.
            "is_known_partner": {"required": True},
        }


class OutcomeSerializer(serializers.ModelSerializer[Outcome]):
    class Meta:
        model = Outcome
        fields = ["id", "kind", "concluded_on", "description"]
        read_only_fields = ["id"]


class ActivitySerializer(serializers.ModelSerializer[Activity]):
    country = country_field(help_text="ISO 3166, e.g. US.")
    participants = VisibleMemberField(many=True, required=False)
    contacts = ContactSerializer(many=True, required=False)
    outcomes = OutcomeSerializer(many=True, required=False)

    class Meta:
        model = Activity
        fields = [
            "id",
            "cluster",
            "kind",
            "title",
            "held_on",
            "country",
            "region",
            "format",
            "participants",
            "contacts",
            "outcomes",
        ]
        read_only_fields = ["id", "cluster"]


class SurveySerializer(serializers.ModelSerializer[Survey]):
    invited = serializers.IntegerField(read_only=True)
    answered = serializers.IntegerField(read_only=True)

    class Meta:
        model = Survey
        fields = ["id", "programme", "sent_at", "closes_on", "invited", "answered"]
        read_only_fields = fields


class SurveySendInput(serializers.Serializer[Any]):
    programme = object_id(
        required=False, help_text="The programme the survey is for; the cluster's by default."
    )


class SharesSerializer(serializers.Serializer[Any]):
    """Survey shares in whole percent (rounded half up); all null when withheld."""

    shown = serializers.BooleanField()
    answers = serializers.IntegerField(allow_null=True)
    knows_measure = serializers.IntegerField(allow_null=True)
    knows_strategy = serializers.IntegerField(allow_null=True)
    took_part = serializers.IntegerField(allow_null=True)
    contacts_known = serializers.IntegerField(allow_null=True)
    contacts_new = serializers.IntegerField(allow_null=True)


class ReachSerializer(serializers.Serializer[Any]):
    members = serializers.IntegerField()
    reached = serializers.IntegerField()
    reached_share = serializers.IntegerField(allow_null=True)
    activities = serializers.IntegerField()
    contacts_known = serializers.IntegerField()
    contacts_new = serializers.IntegerField()
    outcomes = serializers.IntegerField()


class ClusterRowSerializer(serializers.Serializer[Any]):
    cluster = serializers.IntegerField(source="cluster.pk")
    name = serializers.CharField(source="cluster.name")
    reach = ReachSerializer()
    survey = SharesSerializer()


class PeriodRowSerializer(serializers.Serializer[Any]):
    key = serializers.IntegerField(help_text="The round's id, or the year.")
    name = serializers.CharField(source="label")
    reach = ReachSerializer()
    survey = SharesSerializer()


class MedianSerializer(serializers.Serializer[Any]):
    reached_share = serializers.IntegerField(allow_null=True)
    knows_measure = serializers.IntegerField(allow_null=True)
    knows_strategy = serializers.IntegerField(allow_null=True)


class IndicatorsSerializer(serializers.Serializer[Any]):
    programme = serializers.IntegerField(source="programme.pk")
    min_answers = serializers.IntegerField()
    total = ReachSerializer()
    survey = SharesSerializer()
    median = MedianSerializer()
    clusters = ClusterRowSerializer(many=True)
    rounds = PeriodRowSerializer(many=True)
    years = PeriodRowSerializer(many=True)
    outcomes = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField()),
        help_text="Per activity type, the outcomes of each type.",
    )


class ClusterIndicatorsSerializer(serializers.Serializer[Any]):
    cluster = serializers.IntegerField(source="cluster.pk")
    programme = serializers.IntegerField(source="programme.programme.pk")
    min_answers = serializers.IntegerField(source="programme.min_answers")
    reach = ReachSerializer()
    survey = SharesSerializer()
    median = MedianSerializer(source="programme.median")
    programme_reach = ReachSerializer(source="programme.total")
    programme_survey = SharesSerializer()
