"""Deadlines as data: the workflow writes the due dates of the grant conditions from the
programme's offsets; officers set and move them with a reason; reminders 14 and 3 days ahead and
an overdue notice go out once, however often the daily run runs; the digest gathers a day."""

import io
from datetime import date, datetime, time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from applications.services import application_transition
from applications.states import State
from kernel import clock
from notifications.models import (
    Deadline,
    DeadlineKind,
    Mode,
    Notification,
    NotificationKind,
    ReminderSent,
)
from notifications.services import deadline_set, digests_collect, preference_set

from ..applications.conftest import satisfy_guards

pytestmark = pytest.mark.django_db


def on(day: date) -> datetime:
    """Nine o'clock local time on ``day``: the daily run's moment."""
    return timezone.make_aware(datetime.combine(day, time(9)))


def kinds(application) -> dict[tuple[str, int | None], date]:
    return {(d.kind, d.year): d.due_on for d in application.deadlines.all()}


def test_the_concept_phase_makes_the_proposal_and_interim_statements_due(concept):
    start, end = concept.concept_start_on, concept.concept_end_on
    expected = {(DeadlineKind.IMPLEMENTATION_PROPOSAL, None): date(end.year, 9, 30)}
    for year in range(start.year, end.year + 1):
        expected[(DeadlineKind.INTERIM_STATEMENT, year)] = date(year + 1, 4, 30)
    assert end == date(end.year, 12, 31)  # three months before: 30 September
    assert kinds(concept) == expected
    assert set(concept.deadlines.values_list("actor", flat=True)) == {"cluster_management"}


def test_offsets_come_from_the_programme(application_a, to_state):
    programme = application_a.round.programme
    programme.interim_statement_due_month = 6
    programme.interim_statement_due_day = 31  # clamped to 30 June
    programme.implementation_proposal_due_months = 6
    programme.save()
    concept = to_state(application_a, State.CONCEPT_PHASE)
    due = kinds(concept)
    first = concept.concept_start_on.year
    assert due[(DeadlineKind.INTERIM_STATEMENT, first)] == date(first + 1, 6, 30)
    end = concept.concept_end_on
    assert due[(DeadlineKind.IMPLEMENTATION_PROPOSAL, None)] == date(end.year, 6, 30)


def fire(application, name, *, manager, officer, comment=""):
    """Fire one transition with its guards satisfied."""
    satisfy_guards(application, name, manager, officer)
    by = officer if name in OFFICER_STEPS else manager
    return application_transition(application=application, name=name, by=by, comment=comment)


OFFICER_STEPS = {"return_implementation", "approve_implementation"}


def test_proposing_settles_the_proposal_returning_reopens_it_and_approval_adds_the_rest(
    concept, officer, manager_a
):
    people = {"manager": manager_a, "officer": officer}
    proposed = fire(concept, "propose_implementation", **people)
    proposal = proposed.deadlines.get(kind=DeadlineKind.IMPLEMENTATION_PROPOSAL)
    assert proposal.done_at is not None
    returned = fire(proposed, "return_implementation", comment="Two partners.", **people)
    proposal.refresh_from_db()
    assert proposal.done_at is None
    proposed = application_transition(
        application=returned, name="propose_implementation", by=manager_a
    )
    approved = fire(proposed, "approve_implementation", **people)
    due = kinds(approved)
    end = max(approved.concept_end_on, approved.implementation_end_on)
    assert due[(DeadlineKind.FINAL_STATEMENT, None)] == date(end.year + 1, 6, 30)
    for year in range(approved.implementation_start_on.year, end.year + 1):
        assert due[(DeadlineKind.INTERIM_STATEMENT, year)] == date(year + 1, 4, 30)


def test_an_officer_moves_a_deadline_with_a_reason_and_the_workflow_keeps_it(
    concept, officer, manager_a
):
    proposal = concept.deadlines.get(kind=DeadlineKind.IMPLEMENTATION_PROPOSAL)
    later = proposal.due_on + timedelta(days=45)
    deadline_set(
        application=concept, deadline=proposal, due_on=later, reason="Elections.", by=officer
    )
    told = Notification.objects.get(kind=NotificationKind.DEADLINE_SET)
    assert told.recipient == manager_a
    assert told.params["reason"] == "Elections."
    # Proposed and returned: the moved date stays.
    people = {"manager": manager_a, "officer": officer}
    proposed = fire(concept, "propose_implementation", **people)
    fire(proposed, "return_implementation", comment="Redo.", **people)
    proposal.refresh_from_db()
    assert proposal.due_on == later
    assert proposal.set_by == officer
    assert proposal.done_at is None


def test_only_officers_set_deadlines_and_a_reason_is_required(concept, manager_a, officer):
    due = date.today() + timedelta(days=30)
    with pytest.raises(PermissionDenied):
        deadline_set(application=concept, title="X", due_on=due, reason="Y", by=manager_a)
    with pytest.raises(ValidationError) as refused:
        deadline_set(application=concept, title="X", due_on=due, reason="  ", by=officer)
    assert "reason" in refused.value.message_dict
    assert not concept.deadlines.filter(kind=DeadlineKind.OFFICER_SET).exists()
    assert not Notification.objects.filter(kind=NotificationKind.DEADLINE_SET).exists()


def run_reminders(day: date) -> str:
    out = io.StringIO()
    with clock.frozen_at(on(day)):
        call_command("send_reminders", stdout=out)
    return out.getvalue()


def test_reminders_go_out_14_and_3_days_ahead_and_once_overdue_each_only_once(
    mailed, concept, officer, django_capture_on_commit_callbacks
):
    due = date.today() + timedelta(days=20)
    deadline = deadline_set(
        application=concept, title="Partner letters", due_on=due, reason="Jury.", by=officer
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert run_reminders(due - timedelta(days=15)).startswith("0 ")  # not yet
        assert run_reminders(due - timedelta(days=14)).startswith("1 ")
        assert run_reminders(due - timedelta(days=14)).startswith("0 ")  # twice the same day
        assert run_reminders(due - timedelta(days=10)).startswith("0 ")
        assert run_reminders(due - timedelta(days=3)).startswith("1 ")
        assert run_reminders(due).startswith("0 ")
        assert run_reminders(due + timedelta(days=1)).startswith("1 ")
        assert run_reminders(due + timedelta(days=1)).startswith("0 ")
        assert run_reminders(due + timedelta(days=9)).startswith("0 ")
    sent = ReminderSent.objects.filter(deadline=deadline)
    assert sorted(sent.values_list("kind", flat=True)) == ["before_14", "before_3", "overdue"]
    # Cluster A's two managements, three times; in German.
    mine = [m for m in mail.outbox if m.to == [mailed["manager_a"].email]]
    assert len(mine) == 3
    assert "in 14 Tagen" in mine[0].subject
    assert "überfällig" in mine[2].subject
    assert len(mail.outbox) == 6


def test_a_moved_deadline_is_reminded_of_again(concept, officer):
    due = date.today() + timedelta(days=10)
    deadline = deadline_set(
        application=concept, title="Partner letters", due_on=due, reason="Jury.", by=officer
    )
    run_reminders(due - timedelta(days=3))
    deadline_set(
        application=concept,
        deadline=deadline,
        due_on=due + timedelta(days=7),
        reason="Ill.",
        by=officer,
    )
    # Nine days before the new date: its 14-day reminder; three days before: the next one.
    assert run_reminders(due - timedelta(days=2)).startswith("1 ")
    assert run_reminders(due - timedelta(days=2)).startswith("0 ")
    assert run_reminders(due + timedelta(days=4)).startswith("1 ")


def test_a_done_deadline_is_not_reminded_of(concept, officer):
    due = date.today() + timedelta(days=10)
    deadline = deadline_set(
        application=concept, title="Partner letters", due_on=due, reason="Jury.", by=officer
    )
    Deadline.objects.filter(pk=deadline.pk).update(done_at=clock.now())
    assert run_reminders(due + timedelta(days=1)).startswith("0 ")


def test_the_digest_gathers_the_day_into_one_mail(
    mailed, application_a, django_capture_on_commit_callbacks
):
    officer = mailed["officer"]
    preference_set(user=officer, kind=NotificationKind.TRANSITION, mode=Mode.DIGEST)
    preference_set(user=mailed["colleague_a"], kind=NotificationKind.MESSAGE_POSTED, mode=Mode.OFF)
    with pytest.raises(ValidationError):
        preference_set(user=officer, kind=NotificationKind.REMINDER, mode=Mode.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(application=application_a, name="submit", by=mailed["manager_a"])
    # The cluster management is mailed at once; the officer's waits for the digest (it is in
    # the inbox already).
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [mailed["manager_a"].email, mailed["colleague_a"].email]
    )
    assert Notification.objects.filter(recipient=officer, read_at__isnull=True).count() == 1
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert len(digests_collect()) == 1
    [digest] = mail.outbox
    assert digest.to == [officer.email]
    assert "daily digest: 1 notifications" in digest.subject
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_collect() == []
