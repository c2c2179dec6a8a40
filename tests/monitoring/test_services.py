"""Members, activities, the survey's single-use links and the anonymity of its answers."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from kernel import clock
from monitoring.models import Activity, Member, SurveyAnswer, SurveyInvitation
from monitoring.services import (
    DUPLICATE_MEMBER,
    MemberInput,
    OutcomeInput,
    SurveyLinkInvalid,
    activity_record,
    member_create,
    members_import,
    outcome_add,
    survey_send,
)
from monitoring.services import ImportRefused as RowsRefused

from .support import answer, company, delegation, members_add, monitoring_world, tokens_of

pytestmark = pytest.mark.django_db


def test_member_names_are_unique_within_the_cluster(cluster_a, manager_a):
    member_create(cluster=cluster_a, given=company("Sensorik GmbH"), by=manager_a)
    with pytest.raises(ValidationError) as refused:
        member_create(cluster=cluster_a, given=company("sensorik gmbh"), by=manager_a)
    assert DUPLICATE_MEMBER % {"name": "sensorik gmbh"} in str(refused.value)
    assert Member.objects.count() == 1


def test_a_company_needs_a_size_class_and_nobody_else_has_one(cluster_a, manager_a):
    with pytest.raises(ValidationError) as refused:
        member_create(
            cluster=cluster_a,
            given=MemberInput(name="TU Dresden", legal_form="university", size_class="small"),
            by=manager_a,
        )
    assert "size_class" in refused.value.message_dict


def test_auditors_and_other_clusters_may_not_add_members(cluster_a, auditor, manager_b):
    for someone in (auditor, manager_b):
        with pytest.raises(PermissionDenied):
            member_create(cluster=cluster_a, given=company("X GmbH"), by=someone)


def test_an_import_with_one_bad_row_writes_nothing(cluster_a, manager_a):
    rows = [
        (2, company("Alpha GmbH")),
        (3, MemberInput(name="Beta", legal_form="guild")),
        (4, company("alpha gmbh")),
    ]
    with pytest.raises(RowsRefused) as refused:
        members_import(cluster=cluster_a, rows=rows, by=manager_a)
    located = {(problem.row, problem.column) for problem in refused.value.problems}
    assert located == {(3, "legal_form"), (4, "name")}
    assert Member.objects.count() == 0


def test_an_activity_takes_only_the_clusters_own_members(cluster_a, cluster_b, manager_a, officer):
    own = members_add(cluster_a, 2, manager_a)
    other = members_add(cluster_b, 1, officer, prefix="Other")
    with pytest.raises(ValidationError) as refused:
        activity_record(cluster=cluster_a, given=delegation([*own, *other]), by=manager_a)
    assert "Other 1 GmbH" in str(refused.value)
    assert Activity.objects.count() == 0


def test_an_outcome_cannot_come_before_its_activity(cluster_a, manager_a):
    activity = activity_record(
        cluster=cluster_a, given=delegation(members_add(cluster_a, 1, manager_a)), by=manager_a
    )
    with pytest.raises(ValidationError) as refused:
        outcome_add(
            activity=activity, given=OutcomeInput("contract", date(2024, 1, 1)), by=manager_a
        )
    assert "2024-01-01" in str(refused.value)
    assert "2024-03-11" in str(refused.value)
    assert activity.outcomes.count() == 1  # the one recorded with it


def test_sending_mails_each_address_one_single_use_link(
    cluster_a, programme, manager_a, django_capture_on_commit_callbacks
):
    members_add(cluster_a, 3, manager_a)
    with django_capture_on_commit_callbacks(execute=True):
        survey = survey_send(programme=programme, cluster=cluster_a, by=manager_a)
    assert sorted(message.to[0] for message in mail.outbox) == [
        "member1@example.org",
        "member2@example.org",
        "member3@example.org",
    ]
    assert survey.invitations.count() == 3
    link = mail.outbox[0].body.split("/survey/")[1].split("/")[0]
    answer(link)
    with pytest.raises(SurveyLinkInvalid):
        answer(link)
    assert SurveyAnswer.objects.count() == 1


def test_without_addresses_nothing_is_sent(cluster_a, programme, manager_a):
    member_create(cluster=cluster_a, given=company("Quiet GmbH"), by=manager_a)
    with pytest.raises(ValidationError) as refused:
        survey_send(programme=programme, cluster=cluster_a, by=manager_a)
    assert "1 members" in str(refused.value)


def test_an_expired_or_guessed_link_is_refused(cluster_a, programme, manager_a):
    world = monitoring_world(cluster_a, programme, manager_a)
    with pytest.raises(SurveyLinkInvalid):
        answer(world.tokens[0][:-2] + "xx")
    with pytest.raises(SurveyLinkInvalid):
        answer("1")
    later = clock.now() + timedelta(days=programme.survey_open_days + 1)
    with clock.frozen_at(later), pytest.raises(SurveyLinkInvalid):
        answer(world.tokens[0])
    assert SurveyAnswer.objects.count() == 0


def test_an_answer_keeps_nothing_that_leads_back_to_its_link(cluster_a, programme, manager_a):
    world = monitoring_world(cluster_a, programme, manager_a)
    answer(world.tokens[2])
    stored = SurveyAnswer.objects.get()
    fields = {field.name for field in SurveyAnswer._meta.get_fields()}
    assert fields == {
        "id",
        "survey",
        "knows_measure",
        "knows_strategy",
        "took_part",
        "contacts_abroad",
    }
    assert stored.survey_id == world.survey.pk
    # The invitation keeps only that it was used: no time to match the answer against.
    used = SurveyInvitation.objects.get(is_used=True)
    assert {field.name for field in SurveyInvitation._meta.get_fields()} == {
        "id",
        "survey",
        "email",
        "is_used",
    }
    assert len(tokens_of(world.survey)) == 6
    assert used.survey_id == world.survey.pk
