"""A cluster's monitoring world: members (with contact addresses), an activity with participants,
a contact and an outcome, and a survey with its single-use links."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core import mail

from monitoring.links import survey_token
from monitoring.models import Activity, Member, Survey, SurveyInvitation
from monitoring.services import (
    ActivityInput,
    ContactInput,
    MemberInput,
    OutcomeInput,
    activity_record,
    member_create,
    survey_answer,
    survey_send,
)
from programmes.models import Cluster, LegalForm, Programme, SizeClass


@dataclass(frozen=True)
class MonitoringWorld:
    cluster: Cluster
    members: list[Member]
    activity: Activity
    survey: Survey
    tokens: list[str]


def company(name: str, email: str = "") -> MemberInput:
    return MemberInput(
        name=name,
        legal_form=LegalForm.COMPANY,
        size_class=SizeClass.SMALL,
        sector="Sensors",
        city="Dresden",
        contact_email=email,
    )


def members_add(cluster: Cluster, count: int, by: Any, prefix: str = "Member") -> list[Member]:
    return [
        member_create(
            cluster=cluster,
            given=company(f"{prefix} {n} GmbH", f"{prefix.lower()}{n}@example.org"),
            by=by,
        )
        for n in range(1, count + 1)
    ]


def delegation(members: list[Member], **changes: Any) -> ActivityInput:
    values: dict[str, Any] = {
        "kind": "delegation",
        "title": "Virtual delegation to New York and Boston",
        "held_on": date(2024, 3, 11),
        "country": "US",
        "region": "New York and Boston",
        "format": "virtual",
        "participants": members,
        "contacts": [
            ContactInput("MIT Media Lab", "US", is_known_partner=False, member=members[0]),
            ContactInput("NYU Tandon", "US", is_known_partner=True),
        ],
        "outcomes": [OutcomeInput("memorandum", date(2024, 6, 1), "MoU with MIT")],
    }
    return ActivityInput(**{**values, **changes})


def answer(token: str, *, measure: bool = True, strategy: bool = True) -> None:
    survey_answer(
        token=token,
        knows_measure=measure,
        knows_strategy=strategy,
        took_part=True,
        contacts_abroad="new",
    )


def tokens_of(survey: Survey) -> list[str]:
    """The links as the e-mails carry them (signed anew here, as the e-mail task does)."""
    ids = SurveyInvitation.objects.filter(survey=survey).order_by("pk").values_list("pk", flat=True)
    return [survey_token(pk) for pk in ids]


def monitoring_world(
    cluster: Cluster, programme: Programme, manager: Any, *, members: int = 6
) -> MonitoringWorld:
    added = members_add(cluster, members, manager)
    activity = activity_record(cluster=cluster, given=delegation(added[:3]), by=manager)
    survey = survey_send(programme=programme, cluster=cluster, by=manager)
    mail.outbox.clear()
    return MonitoringWorld(cluster, added, activity, survey, tokens_of(survey))
