"""The words of a notification, made from its kind and parameters in the language active when it
is shown or mailed (a notification is written once and read in either language)."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from applications.states import State
from change_requests.states import ChangeState
from kernel.dates import format_day
from kernel.money import format_eur
from statements.states import SettlementOutcome

from .models import DeadlineKind, NotificationKind, deadline_label

TEXTS = {
    NotificationKind.TRANSITION: gettext_noop("“%(application)s” is now %(state)s (%(by)s)."),
    NotificationKind.REVIEW_ASSIGNED: gettext_noop("You were asked to review “%(application)s”."),
    NotificationKind.DEADLINE_SET: gettext_noop(
        "“%(application)s”: %(deadline)s is now due on %(due)s. Reason: %(reason)s"
    ),
    NotificationKind.MESSAGE_POSTED: gettext_noop("“%(application)s”: a new message from %(by)s."),
    NotificationKind.REMINDER: gettext_noop(
        "“%(application)s”: %(deadline)s is due on %(due)s, in %(days)s days."
    ),
    NotificationKind.OVERDUE: gettext_noop(
        "“%(application)s”: %(deadline)s was due on %(due)s and is overdue."
    ),
    NotificationKind.CHANGE_REQUEST: gettext_noop(
        "“%(application)s”: change request %(number)s is now %(change_state)s (%(by)s)."
    ),
}
COMMENT = gettext_noop("Comment: %(comment)s")
# A statement's notification says what happened to it (its ``event``).
STATEMENT_TEXTS = {
    "submit": gettext_noop("“%(application)s”: %(statement)s was received (%(by)s)."),
    "return_with_questions": gettext_noop(
        "“%(application)s”: %(statement)s was returned with questions (%(by)s)."
    ),
    "accept": gettext_noop("“%(application)s”: %(statement)s was accepted (%(by)s)."),
    "decide": gettext_noop(
        "“%(application)s”: the settlement of %(statement)s was decided: %(outcome)s of %(amount)s."
    ),
}
INTERIM_STATEMENT = gettext_noop("the interim statement %(year)s of %(grantee)s")
FINAL_STATEMENT = gettext_noop("the final statement of %(grantee)s")


def notification_text(kind: str, params: dict[str, Any]) -> str:
    """The notification's sentence (and the transition's comment) in the active language."""
    values = dict(params)
    if "state" in values:
        values["state"] = str(State(values["state"]).label)
    if "change_state" in values:
        values["change_state"] = str(ChangeState(values["change_state"]).label)
    if "due" in values:
        values["due"] = format_day(date.fromisoformat(values["due"]))
    if "deadline_kind" in values:
        values["deadline"] = deadline_label(
            DeadlineKind(values["deadline_kind"]),
            values.get("deadline_year"),
            values.get("deadline_title", ""),
        )
    if kind == NotificationKind.STATEMENT:
        values["statement"] = (
            _(INTERIM_STATEMENT if values.get("year") else FINAL_STATEMENT) % values
        )
        if "outcome" in values:
            values["outcome"] = str(SettlementOutcome(values["outcome"]).label)
            values["amount"] = format_eur(Decimal(values["amount"]))
        text = _(STATEMENT_TEXTS[values["event"]]) % values
    else:
        text = _(TEXTS[NotificationKind(kind)]) % values
    if values.get("comment"):
        text += " " + _(COMMENT) % {"comment": values["comment"]}
    return text
