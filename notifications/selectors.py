"""Reads: each role's task list, the inbox and its unread count, the failed deliveries. Each in a
fixed number of queries, whatever the number of rows."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.access import applications_visible_to
from applications.models import Application
from applications.states import State
from change_requests.models import ChangeRequest
from change_requests.states import ChangeState
from competition.models import ReviewerAssignment
from kernel import clock
from programmes.access import can_read_all, cluster_id_of, is_officer, is_reviewer
from statements.models import Settlement, Statement
from statements.selectors import due_on as statement_due_on
from statements.states import EDITABLE_STATES as STATEMENT_EDITABLE_STATES
from statements.states import SettlementState, StatementState

from . import access
from .models import Actor, Delivery, MailSettings, Mode, Notification, NotificationKind, Preference

# What the officers must do next in each state that waits for them.
OFFICER_STEPS = {
    State.SUBMITTED: ("start_review", _("start the review")),
    State.IN_REVIEW: ("decide", _("select or reject")),
    State.IMPLEMENTATION_PROPOSED: ("decide_implementation", _("decide on the implementation")),
}
OUTLINE = _("outline")
REVIEW = _("your review")
DECIDE_CHANGE = _("decide on the change request")
ANSWER_CHANGE = _("answer the questions on the change request")


@dataclass(frozen=True)
class Task:
    kind: str
    what: str
    application: Application
    due_on: date | None
    actor: str
    link: str
    is_overdue: bool
    deadline_id: int | None = None

    @property
    def actor_label(self) -> str:
        return str(Actor(self.actor).label)


def _sort_key(task: Task) -> tuple[bool, bool, date]:
    """Overdue first, then by date; what has no date last."""
    return (not task.is_overdue, task.due_on is None, task.due_on or date.max)


# The task list shows the first tasks only: overdue first and then by date is the order of the
# due dates, so each source's earliest rows are enough, and the work stays the same at any size.
TASK_LIST_LIMIT = 100


def _change_request_tasks(user: Any, cluster_id: int | None, limit: int) -> list[Task]:
    """Submitted change requests wait for the officers (longest waiting first); one returned
    with questions waits for its cluster management."""
    if can_read_all(user):
        waiting = ChangeRequest.objects.filter(state=ChangeState.SUBMITTED)
        kind, what, actor = "decide_change_request", DECIDE_CHANGE, Actor.OFFICERS
    elif cluster_id is not None:
        waiting = ChangeRequest.objects.filter(
            state=ChangeState.RETURNED, application__cluster_id=cluster_id
        )
        kind, what, actor = "answer_change_request", ANSWER_CHANGE, Actor.CLUSTER_MANAGEMENT
    else:
        return []
    rows = waiting.select_related("application__cluster", "application__round__programme")
    return [
        Task(
            kind=kind,
            what=str(what),
            application=change_request.application,
            due_on=None,
            actor=actor,
            link=reverse("change_requests:detail", args=[change_request.pk]),
            is_overdue=False,
        )
        for change_request in rows.order_by("updated_at", "pk")[:limit]
    ]


def tasks_for(user: Any, limit: int = TASK_LIST_LIMIT) -> list[Task]:
    """What is due, by when, for which application (the first ``limit``): the open deadlines
    the user may see (officers and auditors: all; a cluster management: its own, whoever must
    act), the outlines a cluster management has yet to submit (the round's deadline), the
    applications and change requests waiting for the officers (for officers and auditors,
    longest waiting first), a cluster management's change requests returned with questions,
    and a reviewer's unsubmitted reviews."""
    today = timezone.localdate(clock.now())
    tasks: list[Task] = []
    deadlines = (
        access.deadlines_visible_to(user)
        .filter(done_at__isnull=True)
        .select_related("application__cluster", "application__round__programme")
        .order_by("due_on", "pk")
    )
    for deadline in deadlines[:limit]:
        tasks.append(
            Task(
                kind=deadline.kind,
                what=deadline.label,
                application=deadline.application,
                due_on=deadline.due_on,
                actor=deadline.actor,
                link=reverse("notifications:deadlines", args=[deadline.application_id]),
                is_overdue=deadline.due_on < today,
                deadline_id=deadline.pk,
            )
        )
    cluster_id = cluster_id_of(user)
    if cluster_id is not None:
        drafts = Application.objects.filter(
            cluster_id=cluster_id, state=State.DRAFT
        ).select_related("cluster", "round__programme")
        for draft in drafts.order_by("round__outline_deadline_at", "pk")[:limit]:
            due_on = timezone.localdate(draft.round.outline_deadline_at)
            tasks.append(
                Task(
                    kind="outline",
                    what=str(OUTLINE),
                    application=draft,
                    due_on=due_on,
                    actor=Actor.CLUSTER_MANAGEMENT,
                    link=reverse("applications:detail", args=[draft.pk]),
                    is_overdue=draft.round.outline_deadline_at < clock.now(),
                )
            )
    if can_read_all(user):
        waiting = Application.objects.filter(state__in=list(OFFICER_STEPS)).select_related(
            "cluster", "round__programme"
        )
        for application in waiting.order_by("updated_at", "pk")[:limit]:
            kind, what = OFFICER_STEPS[State(application.state)]
            tasks.append(
                Task(
                    kind=kind,
                    what=str(what),
                    application=application,
                    due_on=None,
                    actor=Actor.OFFICERS,
                    link=reverse("applications:detail", args=[application.pk]),
                    is_overdue=False,
                )
            )
    tasks += _change_request_tasks(user, cluster_id, limit)
    tasks += _statement_tasks(user, cluster_id, today, limit)
    if is_reviewer(user) and not is_officer(user):
        assignments = ReviewerAssignment.objects.filter(
            reviewer=user,
            application__in=applications_visible_to(user),
            review__submitted_at__isnull=True,
        ).select_related("application__cluster", "application__round__programme")
        for assignment in assignments.order_by("assigned_at", "pk")[:limit]:
            tasks.append(
                Task(
                    kind="review",
                    what=str(REVIEW),
                    application=assignment.application,
                    due_on=None,
                    actor=Actor.REVIEWER,
                    link=reverse("applications:detail", args=[assignment.application_id]),
                    is_overdue=False,
                )
            )
    return sorted(tasks, key=_sort_key)[:limit]


def _statement_tasks(user: Any, cluster_id: int | None, today: date, limit: int) -> list[Task]:
    """Statements (issue 16): those a cluster management has yet to finish or answer, by their
    due day; for officers and auditors the statements to review and the settlements waiting
    for their second officer."""
    tasks = []
    related = ("application__cluster", "application__round__programme", "grantee")
    if cluster_id is not None:
        open_ones = Statement.objects.filter(
            application__cluster_id=cluster_id, state__in=STATEMENT_EDITABLE_STATES
        ).select_related(*related)
        for statement in open_ones.order_by("created_at", "pk")[:limit]:
            due = statement_due_on(statement)
            tasks.append(
                Task(
                    kind="statement",
                    what=str(statement),
                    application=statement.application,
                    due_on=due,
                    actor=Actor.CLUSTER_MANAGEMENT,
                    link=reverse("statements:detail", args=[statement.pk]),
                    is_overdue=due < today,
                )
            )
    if can_read_all(user):
        submitted = Statement.objects.filter(state=StatementState.SUBMITTED).select_related(
            *related
        )
        for statement in submitted.order_by("submitted_at", "pk")[:limit]:
            tasks.append(
                Task(
                    kind="statement_review",
                    what=_("review: %(statement)s") % {"statement": statement},
                    application=statement.application,
                    due_on=None,
                    actor=Actor.OFFICERS,
                    link=reverse("statements:detail", args=[statement.pk]),
                    is_overdue=False,
                )
            )
        prepared = Settlement.objects.filter(state=SettlementState.PREPARED).select_related(
            *(f"statement__{name}" for name in related)
        )
        for settlement in prepared.order_by("prepared_at", "pk")[:limit]:
            tasks.append(
                Task(
                    kind="settlement",
                    what=_("decide: %(settlement)s") % {"settlement": settlement},
                    application=settlement.statement.application,
                    due_on=None,
                    actor=Actor.OFFICERS,
                    link=reverse("statements:detail", args=[settlement.statement_id]),
                    is_overdue=False,
                )
            )
    return tasks


def inbox(user: Any) -> QuerySet[Notification]:
    """The user's notifications, newest first."""
    return access.notifications_of(user).order_by("-created_at", "-pk")


def unread_count(user: Any) -> int:
    return access.notifications_of(user).filter(read_at__isnull=True).count()


def failed_deliveries() -> QuerySet[Delivery]:
    """Deliveries given up on, and those waiting to be retried after an error."""
    return (
        Delivery.objects.exclude(state=Delivery.State.SENT)
        .exclude(last_error="")
        .select_related("recipient")
        .order_by("-created_at", "-pk")
    )


def preferences_of(user: Any) -> dict[str, str]:
    """The user's mode per kind (at once where not chosen) and their e-mail language."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "mode"))
    modes = {kind.value: chosen.get(kind.value, Mode.AT_ONCE.value) for kind in NotificationKind}
    language = MailSettings.objects.filter(user=user).values_list("language", flat=True).first()
    return {**modes, "language": language or settings.LANGUAGE_CODE}
