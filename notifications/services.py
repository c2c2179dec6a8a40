"""Writes: deadlines, notifications, preferences, reminders and digests. Each is one atomic action;
notifications are written in the transaction of the change they report, and their e-mails are
queued only once it commits (a rolled-back change notifies and mails nobody)."""

import calendar
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from applications.models import Application, ApplicationTransition
from change_requests.models import ChangeRequestTransition
from kernel import clock
from kernel.dates import format_day
from programmes.access import Role, is_cluster_manager
from statements.models import Settlement, Statement, StatementTransition
from statements.selectors import statements_outstanding

from . import access
from .models import (
    REQUIRED_KINDS,
    Actor,
    Deadline,
    DeadlineKind,
    Delivery,
    MailSettings,
    Mode,
    Notification,
    NotificationKind,
    Preference,
    ReminderKind,
    ReminderSent,
)
from .tasks import deliver

MAY_NOT_SET = gettext_noop("Only ministry officers set or move deadlines.")
REASON_REQUIRED = gettext_noop("Say why the deadline is set or moved.")
TITLE_REQUIRED = gettext_noop("Say what is due.")
DUE_IN_THE_PAST = gettext_noop("The due date %(due)s is before today (%(today)s).")
CANNOT_TURN_OFF = gettext_noop(
    "“%(kind)s” is required by the grant conditions: it can be mailed at once or in the daily "
    "digest, not turned off."
)

User = get_user_model()


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier); the 31st becomes the month's last day."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def today() -> date:
    return timezone.localdate(clock.now())


# Who is concerned.


def cluster_managers(cluster_id: int) -> QuerySet[Any]:
    return User.objects.filter(
        is_active=True,
        groups__name=Role.CLUSTER_MANAGEMENT,
        cluster_membership__cluster_id=cluster_id,
    )


def officers() -> QuerySet[Any]:
    return User.objects.filter(is_active=True, groups__name=Role.OFFICER)


def actors_of(deadline: Deadline) -> QuerySet[Any]:
    if deadline.actor == Actor.OFFICERS:
        return officers()
    return cluster_managers(deadline.application.cluster_id)


def application_link(application: Application) -> str:
    return reverse("applications:detail", args=[application.pk])


def application_name(application: Application) -> str:
    return application.title or f"{application.cluster.name} ({application.round})"


# Notifications.


def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    application: Application | None,
    params: dict[str, Any],
    link: str,
) -> list[Notification]:
    """Write a notification for each recipient, in the caller's transaction; mail it at once,
    keep it for the digest, or (where the user turned the kind off, or has no address) only
    show it in the inbox, as each recipient chose. The e-mails are queued on commit."""
    users = {user.pk: user for user in recipients}
    modes = dict(
        Preference.objects.filter(user__in=list(users), kind=kind).values_list("user_id", "mode")
    )
    with transaction.atomic():
        now = clock.now()
        # Users without an address see it in the inbox only.
        mailed = {pk for pk, user in users.items() if user.email}
        at_once = [pk for pk in mailed if modes.get(pk, Mode.AT_ONCE) == Mode.AT_ONCE]
        deliveries = {
            delivery.recipient_id: delivery
            for delivery in Delivery.objects.bulk_create(
                Delivery(recipient_id=pk, created_at=now, next_attempt_at=now) for pk in at_once
            )
        }
        notifications = Notification.objects.bulk_create(
            Notification(
                recipient_id=pk,
                kind=kind,
                application=application,
                params=params,
                link=link,
                created_at=now,
                delivery=deliveries.get(pk),
                awaits_digest=pk in mailed and modes.get(pk) == Mode.DIGEST,
            )
            for pk in users
        )
        ids = [delivery.pk for delivery in deliveries.values()]
        transaction.on_commit(lambda: [deliver.enqueue(pk) for pk in ids])
    return notifications


def notify_transition(*, transition: ApplicationTransition) -> list[Notification]:
    """An officer's step tells the cluster management; the cluster management's step tells the
    officers and its colleagues, and a submission confirms itself to the submitter (with the
    receipt attached to the e-mail)."""
    application = transition.application
    by = transition.by
    if is_cluster_manager(by):
        recipients = [*officers(), *cluster_managers(application.cluster_id).exclude(pk=by.pk)]
        if transition.transition == "submit":
            recipients.append(by)
    else:
        recipients = list(cluster_managers(application.cluster_id))
    return notify(
        recipients=recipients,
        kind=NotificationKind.TRANSITION,
        application=application,
        params={
            "application": application_name(application),
            "transition": transition.transition,
            "state": transition.target_state,
            "by": by.get_full_name() or by.get_username(),
            "comment": transition.comment,
        },
        link=application_link(application),
    )


def notify_review_assigned(*, application: Application, reviewer: Any) -> list[Notification]:
    return notify(
        recipients=[reviewer],
        kind=NotificationKind.REVIEW_ASSIGNED,
        application=application,
        params={"application": application_name(application)},
        link=application_link(application),
    )


def notify_message_posted(*, application: Application, author: Any) -> list[Notification]:
    """A message from the cluster management tells the officers; an officer's tells the cluster
    management."""
    if is_cluster_manager(author):
        recipients = [*officers(), *cluster_managers(application.cluster_id).exclude(pk=author.pk)]
    else:
        recipients = list(cluster_managers(application.cluster_id))
    return notify(
        recipients=recipients,
        kind=NotificationKind.MESSAGE_POSTED,
        application=application,
        params={
            "application": application_name(application),
            "by": author.get_full_name() or author.get_username(),
        },
        link=reverse("correspondence:thread", args=[application.pk]),
    )


def _workflow_recipients(by: Any, application: Application) -> list[Any]:
    """A cluster management's step tells the officers and its colleagues; an officer's step
    tells the cluster management."""
    if is_cluster_manager(by):
        return [*officers(), *cluster_managers(application.cluster_id).exclude(pk=by.pk)]
    return list(cluster_managers(application.cluster_id))


def notify_change_request(*, transition: ChangeRequestTransition) -> list[Notification]:
    """A change request submitted tells the officers and the cluster's other managers; a
    decision or questions tell the cluster management."""
    change_request = transition.change_request
    application = change_request.application
    by = transition.by
    return notify(
        recipients=_workflow_recipients(by, application),
        kind=NotificationKind.CHANGE_REQUEST,
        application=application,
        params={
            "application": application_name(application),
            "number": change_request.pk,
            "change_state": transition.target_state,
            "by": by.get_full_name() or by.get_username(),
            "comment": transition.comment,
        },
        link=reverse("change_requests:detail", args=[change_request.pk]),
    )


def _statement_params(statement: Statement) -> dict[str, Any]:
    return {
        "application": application_name(statement.application),
        "grantee": statement.grantee.name,
        "year": statement.year,
    }


def notify_statement_transition(*, transition: StatementTransition) -> list[Notification]:
    """A statement received tells the officers (and the management's colleagues); returned
    with questions or accepted, it tells the cluster management."""
    statement = transition.statement
    application = statement.application
    by = transition.by
    return notify(
        recipients=_workflow_recipients(by, application),
        kind=NotificationKind.STATEMENT,
        application=application,
        params={
            **_statement_params(statement),
            "event": transition.transition,
            "by": by.get_full_name() or by.get_username(),
            "comment": transition.comment,
        },
        link=reverse("statements:detail", args=[statement.pk]),
    )


def statement_deadlines_follow(*, transition: StatementTransition) -> None:
    """A statement received closes the application's deadline of its year (or the final
    statement's) once every grantee of the plan has sent theirs; returning one with
    questions leaves the deadline closed: the statement was received."""
    if transition.transition != "submit":
        return
    statement = transition.statement
    if statements_outstanding(statement.application, statement.year):
        return
    kind = DeadlineKind.INTERIM_STATEMENT if statement.year else DeadlineKind.FINAL_STATEMENT
    Deadline.objects.filter(
        application=statement.application, kind=kind, year=statement.year, done_at__isnull=True
    ).update(done_at=transition.at)


def notify_settlement_decided(*, settlement: Settlement) -> list[Notification]:
    """A decided settlement tells the cluster management the final payment or the repayment
    claim, and the officers."""
    statement = settlement.statement
    application = statement.application
    return notify(
        recipients=[*cluster_managers(application.cluster_id), *officers()],
        kind=NotificationKind.STATEMENT,
        application=application,
        params={
            **_statement_params(statement),
            "event": "decide",
            "outcome": settlement.outcome,
            "amount": str(abs(settlement.balance_amount)),
        },
        link=reverse("statements:detail", args=[statement.pk]),
    )


def _deadline_params(deadline: Deadline) -> dict[str, Any]:
    return {
        "application": application_name(deadline.application),
        "deadline_kind": deadline.kind,
        "deadline_year": deadline.year,
        "deadline_title": deadline.title,
        "due": deadline.due_on.isoformat(),
    }


# Deadlines.


def _interim_due(programme: Any, year: int) -> date:
    month = programme.interim_statement_due_month
    last = calendar.monthrange(year + 1, month)[1]
    return date(year + 1, month, min(programme.interim_statement_due_day, last))


def _keep(application: Application, kind: str, due_on: date, year: int | None = None) -> None:
    """The workflow's deadline, open; one an officer moved keeps its date."""
    deadline = Deadline.objects.filter(application=application, kind=kind, year=year).first()
    if deadline is None:
        Deadline.objects.create(
            application=application,
            kind=kind,
            year=year,
            due_on=due_on,
            actor=Actor.CLUSTER_MANAGEMENT,
        )
        return
    if deadline.set_by_id is None:
        deadline.due_on = due_on
    deadline.done_at = None
    deadline.save()


def _close(application: Application, kind: str, at: Any) -> None:
    Deadline.objects.filter(application=application, kind=kind, done_at__isnull=True).update(
        done_at=at
    )


def _interim_statements(application: Application, start: date, end: date) -> None:
    for year in range(start.year, end.year + 1):
        _keep(
            application,
            DeadlineKind.INTERIM_STATEMENT,
            _interim_due(application.round.programme, year),
            year,
        )


def deadlines_follow(*, transition: ApplicationTransition) -> None:
    """Write the deadlines a transition makes due (in its transaction), from the programme's
    offsets: the start of the concept phase makes the implementation proposal due some months
    before the phase ends and an interim statement for each of its years (30 April of the next
    year in InterSpiN); proposing settles the proposal, returning it reopens it; approving the
    implementation adds the interim statements of its years and the final statement some
    months after the end; declining it makes the final statement of the concept phase due."""
    application = Application.objects.select_related("round__programme").get(
        pk=transition.application_id
    )
    programme = application.round.programme
    name = transition.transition
    if name == "start_concept_phase":
        _keep(
            application,
            DeadlineKind.IMPLEMENTATION_PROPOSAL,
            add_months(application.concept_end_on, -programme.implementation_proposal_due_months),
        )
        _interim_statements(application, application.concept_start_on, application.concept_end_on)
    elif name == "propose_implementation":
        _close(application, DeadlineKind.IMPLEMENTATION_PROPOSAL, transition.at)
    elif name == "return_implementation":
        Deadline.objects.filter(
            application=application, kind=DeadlineKind.IMPLEMENTATION_PROPOSAL
        ).update(done_at=None)
    elif name == "approve_implementation":
        _interim_statements(
            application, application.implementation_start_on, application.implementation_end_on
        )
        end = max(application.concept_end_on, application.implementation_end_on)
        _keep(
            application,
            DeadlineKind.FINAL_STATEMENT,
            add_months(end, programme.final_statement_due_months),
        )
    elif name == "decline_implementation":
        _keep(
            application,
            DeadlineKind.FINAL_STATEMENT,
            add_months(application.concept_end_on, programme.final_statement_due_months),
        )


def deadline_set(
    *,
    application: Application,
    due_on: date,
    reason: str,
    by: Any,
    deadline: Deadline | None = None,
    title: str = "",
    actor: str = Actor.CLUSTER_MANAGEMENT,
) -> Deadline:
    """An officer sets a deadline on one application (what is due, by whom, why), or moves
    ``deadline`` to ``due_on`` with a reason. Those who must act are told in the same
    transaction."""
    if not access.can_set_deadline(by, application):
        raise PermissionDenied(_(MAY_NOT_SET))
    reason, title = reason.strip(), title.strip()
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _(REASON_REQUIRED)
    if deadline is None and not title:
        errors["title"] = _(TITLE_REQUIRED)
    if due_on < today():
        errors["due_on"] = _(DUE_IN_THE_PAST) % {
            "due": format_day(due_on),
            "today": format_day(today()),
        }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update()
            .select_related("cluster", "round")
            .get(pk=application.pk)
        )
        if deadline is None:
            deadline = Deadline(
                application=locked, kind=DeadlineKind.OFFICER_SET, title=title, actor=actor
            )
        else:
            deadline = Deadline.objects.select_for_update().get(pk=deadline.pk, application=locked)
            deadline.application = locked
        deadline.due_on = due_on
        deadline.reason = reason
        deadline.set_by = by
        deadline.set_at = clock.now()
        deadline.full_clean()
        deadline.save()
        notify(
            recipients=actors_of(deadline).exclude(pk=by.pk),
            kind=NotificationKind.DEADLINE_SET,
            application=locked,
            params={**_deadline_params(deadline), "reason": reason},
            link=reverse("notifications:deadlines", args=[locked.pk]),
        )
    return deadline


def delivery_retry(*, delivery: Delivery, by: Any) -> None:
    """An officer sends a failed or waiting e-mail again now (the mail server or the address
    fixed), with its attempts counted afresh."""
    if not access.can_see_deliveries(by):
        raise PermissionDenied
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).exclude(state=Delivery.State.SENT).update(
            state=Delivery.State.PENDING, attempts=0, next_attempt_at=clock.now()
        )
        transaction.on_commit(lambda: deliver.enqueue(delivery.pk))


def deadline_mark_done(*, deadline: Deadline, by: Any) -> Deadline:
    """An officer records that what was due has come in (a statement, say)."""
    if not access.can_set_deadline(by, deadline.application):
        raise PermissionDenied(_(MAY_NOT_SET))
    Deadline.objects.filter(pk=deadline.pk, done_at__isnull=True).update(done_at=clock.now())
    deadline.refresh_from_db()
    return deadline


# Choices of the user.


def preference_set(*, user: Any, kind: str, mode: str) -> Preference:
    """How ``user`` wants ``kind`` mailed; the kinds the grant conditions require stay on."""
    if mode == Mode.OFF and kind in REQUIRED_KINDS:
        raise ValidationError(
            _(CANNOT_TURN_OFF) % {"kind": NotificationKind(kind).label}, code="required_kind"
        )
    preference, _created = Preference.objects.update_or_create(
        user=user, kind=kind, defaults={"mode": Mode(mode)}
    )
    return preference


def mail_language_set(*, user: Any, language: str) -> MailSettings:
    mail_settings, _created = MailSettings.objects.update_or_create(
        user=user, defaults={"language": language}
    )
    mail_settings.full_clean()
    return mail_settings


def notifications_mark_read(*, user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications ``ids`` (all, if None) read; others' are left alone."""
    unread = access.notifications_of(user).filter(read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=clock.now())


# The daily runs.


def _reminder_kind(days_left: int) -> str:
    if days_left < 0:
        return ReminderKind.OVERDUE
    return ReminderKind.BEFORE_3 if days_left <= 3 else ReminderKind.BEFORE_14


def reminders_send(*, on: date | None = None) -> int:
    """Remind those who must act of each open deadline 14 and 3 days before it is due, and tell
    them once when it is overdue. A ``ReminderSent`` row per deadline, reminder and due date
    makes a second run on the same day send nothing again. Returns how many were sent."""
    on = on or today()
    due = (
        Deadline.objects.filter(done_at__isnull=True, due_on__lte=add_months(on, 1))
        .select_related("application__cluster", "application__round")
        .order_by("due_on", "pk")
    )
    sent = 0
    for deadline in due:
        days_left = (deadline.due_on - on).days
        if days_left > 14:
            continue
        kind = _reminder_kind(days_left)
        with transaction.atomic():
            _row, created = ReminderSent.objects.get_or_create(
                deadline=deadline, kind=kind, due_on=deadline.due_on, defaults={"sent_on": on}
            )
            if not created:
                continue
            notify(
                recipients=actors_of(deadline),
                kind=NotificationKind.OVERDUE
                if kind == ReminderKind.OVERDUE
                else NotificationKind.REMINDER,
                application=deadline.application,
                params={**_deadline_params(deadline), "days": days_left},
                link=reverse("notifications:deadlines", args=[deadline.application_id]),
            )
            sent += 1
    return sent


def digests_collect() -> list[int]:
    """Gather each user's notifications waiting for the digest into one e-mail each; returns
    the deliveries, queued once committed."""
    with transaction.atomic():
        waiting = Notification.objects.select_for_update().filter(awaits_digest=True)
        recipients = sorted(set(waiting.values_list("recipient_id", flat=True)))
        now = clock.now()
        ids = []
        for recipient_id in recipients:
            delivery = Delivery.objects.create(
                recipient_id=recipient_id, is_digest=True, created_at=now, next_attempt_at=now
            )
            Notification.objects.filter(recipient_id=recipient_id, awaits_digest=True).update(
                delivery=delivery, awaits_digest=False
            )
            ids.append(delivery.pk)
        transaction.on_commit(lambda: [deliver.enqueue(pk) for pk in ids])
    return ids
