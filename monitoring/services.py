"""Writes: members (one at a time, or a workbook's rows all or none), activities with their
participants, contacts and outcomes, sending the survey and taking one answer.

Each write is one transaction under the cluster's row lock; a refusal says which rule and with
which value, and writes nothing.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kernel import clock
from programmes.access import is_officer
from programmes.models import Cluster, LegalForm, Programme

from . import access
from .links import invitation_id
from .models import (
    Activity,
    Contact,
    ContactsAbroad,
    Member,
    Outcome,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
)
from .tasks import send_survey_invitation

MAY_NOT_WRITE = gettext_noop("Only officers and the cluster's own management change this.")
SIZE_CLASS_NEEDED = gettext_noop("A company needs a size class.")
SIZE_CLASS_ONLY_COMPANIES = gettext_noop("Only companies have a size class.")
DUPLICATE_MEMBER = gettext_noop("“%(name)s” is a member of this cluster already.")
DUPLICATE_IN_FILE = gettext_noop("“%(name)s” is in the file twice (row %(row)s).")
NOT_A_MEMBER = gettext_noop("%(name)s is not a member of this cluster.")
NO_ADDRESSES = gettext_noop(
    "None of the cluster's %(members)s members has a contact address: nobody to ask."
)
OFFICERS_SEND_TO_ALL = gettext_noop("Only ministry officers send the survey to every cluster.")
OUTCOME_BEFORE_ACTIVITY = gettext_noop(
    "An outcome follows the activity: %(concluded)s is before the activity's date %(held)s."
)


@dataclass(frozen=True)
class MemberInput:
    name: str
    legal_form: str
    size_class: str = ""
    sector: str = ""
    city: str = ""
    contact_email: str = ""


@dataclass(frozen=True)
class Problem:
    """What is wrong with one value of an import: its row (as in the workbook) and column."""

    row: int
    column: str
    message: str


class ImportRefused(Exception):
    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = list(problems)


@dataclass(frozen=True)
class ContactInput:
    partner_name: str
    country: str
    is_known_partner: bool
    member: Member | None = None


@dataclass(frozen=True)
class OutcomeInput:
    kind: str
    concluded_on: date
    description: str = ""


@dataclass(frozen=True)
class ActivityInput:
    kind: str
    title: str
    held_on: date
    country: str
    region: str
    format: str
    participants: Sequence[Member] = ()
    contacts: Sequence[ContactInput] = ()
    outcomes: Sequence[OutcomeInput] = ()


def _locked(cluster: Cluster, by: Any) -> Cluster:
    if not access.can_write(by, cluster):
        raise PermissionDenied(_(MAY_NOT_WRITE))
    locked: Cluster = Cluster.objects.select_for_update().get(pk=cluster.pk)
    return locked


def member_problems(cluster: Cluster, given: MemberInput) -> dict[str, str]:
    """The member's own rules, by field: choices, lengths, the address, the size class."""
    member = Member(cluster=cluster, **given.__dict__)
    problems: dict[str, str] = {}
    try:
        member.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        problems = {name: " ".join(messages) for name, messages in error.message_dict.items()}
    if "legal_form" not in problems and "size_class" not in problems:
        if given.legal_form == LegalForm.COMPANY and not given.size_class:
            problems["size_class"] = _(SIZE_CLASS_NEEDED)
        elif given.legal_form != LegalForm.COMPANY and given.size_class:
            problems["size_class"] = _(SIZE_CLASS_ONLY_COMPANIES)
    return problems


@transaction.atomic
def member_create(*, cluster: Cluster, given: MemberInput, by: Any) -> Member:
    """Add one member; its name is unique within the cluster."""
    cluster = _locked(cluster, by)
    problems = member_problems(cluster, given)
    if Member.objects.filter(cluster=cluster, name__iexact=given.name.strip()).exists():
        problems["name"] = _(DUPLICATE_MEMBER) % {"name": given.name}
    if problems:
        raise ValidationError(problems)
    return Member.objects.create(cluster=cluster, **given.__dict__)


def members_check(cluster: Cluster, rows: Sequence[tuple[int, MemberInput]]) -> list[Problem]:
    """Every problem of an import's rows, by row and field; none means all may be written."""
    names = Member.objects.filter(cluster=cluster).values_list("name", flat=True)
    existing = {name.casefold() for name in names}
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for row, given in rows:
        for column, message in member_problems(cluster, given).items():
            problems.append(Problem(row, column, message))
        key = given.name.strip().casefold()
        if key in existing:
            problems.append(Problem(row, "name", _(DUPLICATE_MEMBER) % {"name": given.name}))
        elif key and key in seen:
            message = _(DUPLICATE_IN_FILE) % {"name": given.name, "row": seen[key]}
            problems.append(Problem(row, "name", message))
        seen.setdefault(key, row)
    return problems


@transaction.atomic
def members_import(
    *, cluster: Cluster, rows: Sequence[tuple[int, MemberInput]], by: Any
) -> list[Member]:
    """Add every row as a member, or none: any problem refuses the whole file."""
    cluster = _locked(cluster, by)
    problems = members_check(cluster, rows)
    if problems:
        raise ImportRefused(problems)
    return Member.objects.bulk_create(
        [Member(cluster=cluster, **given.__dict__) for _row, given in rows]
    )


def _check_activity(cluster: Cluster, given: ActivityInput) -> dict[str, str]:
    activity = Activity(
        cluster=cluster,
        kind=given.kind,
        title=given.title,
        held_on=given.held_on,
        country=given.country,
        region=given.region,
        format=given.format,
    )
    problems: dict[str, str] = {}
    try:
        activity.full_clean(exclude=["recorded_by"])
    except ValidationError as error:
        problems = {name: " ".join(messages) for name, messages in error.message_dict.items()}
    strangers = [m.name for m in given.participants if m.cluster_id != cluster.pk]
    strangers += [
        c.member.name for c in given.contacts if c.member and c.member.cluster_id != cluster.pk
    ]
    if strangers:
        problems["participants"] = _(NOT_A_MEMBER) % {"name": ", ".join(sorted(set(strangers)))}
    for outcome in given.outcomes:
        problems.update(_outcome_problems(given.held_on, outcome))
    return problems


def _outcome_problems(held_on: date, outcome: OutcomeInput) -> dict[str, str]:
    if outcome.concluded_on < held_on:
        return {
            "outcomes": _(OUTCOME_BEFORE_ACTIVITY)
            % {"concluded": outcome.concluded_on.isoformat(), "held": held_on.isoformat()}
        }
    return {}


@transaction.atomic
def activity_record(*, cluster: Cluster, given: ActivityInput, by: Any) -> Activity:
    """Record an activity with the members taking part, the contacts made and what followed."""
    cluster = _locked(cluster, by)
    problems = _check_activity(cluster, given)
    if problems:
        raise ValidationError(problems)
    activity = Activity.objects.create(
        cluster=cluster,
        kind=given.kind,
        title=given.title,
        held_on=given.held_on,
        country=given.country,
        region=given.region,
        format=given.format,
        recorded_by=by,
    )
    activity.participants.set(given.participants)
    for contact in given.contacts:
        contact_add(activity=activity, given=contact, by=by)
    for outcome in given.outcomes:
        Outcome.objects.create(activity=activity, **outcome.__dict__)
    return activity


@transaction.atomic
def contact_add(*, activity: Activity, given: ContactInput, by: Any) -> Contact:
    """A contact made at the activity; the member who made it must be the cluster's."""
    _locked(activity.cluster, by)
    contact = Contact(activity=activity, **given.__dict__)
    if given.member is not None and given.member.cluster_id != activity.cluster_id:
        raise ValidationError({"member": _(NOT_A_MEMBER) % {"name": given.member.name}})
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def outcome_add(*, activity: Activity, given: OutcomeInput, by: Any) -> Outcome:
    """An agreement that followed the activity, on or after its date."""
    _locked(activity.cluster, by)
    outcome = Outcome(activity=activity, **given.__dict__)
    outcome.full_clean()
    problems = _outcome_problems(activity.held_on, given)
    if problems:
        raise ValidationError({"concluded_on": problems["outcomes"]})
    outcome.save()
    return outcome


@transaction.atomic
def survey_send(
    *, programme: Programme, cluster: Cluster, by: Any, mail_links: bool = True
) -> Survey:
    """Send the survey to every member's contact address (each address once): a single-use
    link each, open for the programme's ``survey_open_days``. The e-mails go out once the
    survey is committed (the demo, whose addresses are invented, mails none)."""
    cluster = _locked(cluster, by)
    addresses = sorted(
        {
            email.strip().lower()
            for email in Member.objects.filter(cluster=cluster).values_list(
                "contact_email", flat=True
            )
            if email.strip()
        }
    )
    if not addresses:
        members = Member.objects.filter(cluster=cluster).count()
        raise ValidationError(_(NO_ADDRESSES) % {"members": members})
    today = timezone.localdate(clock.now())
    survey = Survey.objects.create(
        programme=programme,
        cluster=cluster,
        closes_on=today + timedelta(days=programme.survey_open_days),
        sent_by=by,
    )
    invitations = SurveyInvitation.objects.bulk_create(
        [SurveyInvitation(survey=survey, email=email) for email in addresses]
    )
    ids = [invitation.pk for invitation in invitations]
    if mail_links:
        transaction.on_commit(lambda: [send_survey_invitation.enqueue(pk) for pk in ids])
    return survey


def surveys_send_to_all(*, programme: Programme, clusters: Sequence[Cluster], by: Any) -> int:
    """An officer sends the survey to every cluster's members at once: each cluster with
    contact addresses gets its own survey (one transaction each); the others are left out.
    Returns how many clusters were asked."""
    if not is_officer(by):
        raise PermissionDenied(_(OFFICERS_SEND_TO_ALL))
    sent = 0
    for cluster in clusters:
        try:
            survey_send(programme=programme, cluster=cluster, by=by)
        except ValidationError:
            continue  # no member with an address: nobody to ask there
        sent += 1
    return sent


class SurveyLinkInvalid(Exception):
    """A link that was used, has expired or never existed: the page says so, nothing else."""


def survey_invitation_for(token: str) -> SurveyInvitation:
    """The open invitation of ``token``, or ``SurveyLinkInvalid``."""
    pk = invitation_id(token)
    if pk is None:
        raise SurveyLinkInvalid
    open_invitations = SurveyInvitation.objects.filter(is_used=False)
    invitation = open_invitations.select_related("survey__cluster").filter(pk=pk).first()
    today = timezone.localdate(clock.now())
    if invitation is None or invitation.survey.closes_on < today:
        raise SurveyLinkInvalid
    return invitation


@transaction.atomic
def survey_answer(
    *,
    token: str,
    knows_measure: bool,
    knows_strategy: bool,
    took_part: bool,
    contacts_abroad: str,
) -> None:
    """Take one answer through an open link and close the link. The answer keeps only its
    survey: not the invitation, not the address, not the time."""
    invitation = survey_invitation_for(token)
    if contacts_abroad not in ContactsAbroad.values:
        raise ValidationError({"contacts_abroad": _("Choose one of the answers.")})
    # The conditional update is the single use: of two submissions at once only one matches.
    if not SurveyInvitation.objects.filter(pk=invitation.pk, is_used=False).update(is_used=True):
        raise SurveyLinkInvalid
    SurveyAnswer.objects.create(
        survey_id=invitation.survey_id,
        knows_measure=knows_measure,
        knows_strategy=knows_strategy,
        took_part=took_part,
        contacts_abroad=contacts_abroad,
    )
