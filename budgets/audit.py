"""The recorded changes that decide an application's grants besides its budget lines: its
grantee terms (basis, funding rate, Projektpauschale), its R&D projects and their partners, and
the organisations taking part. Who changed what when, from which value to which, in the active
language. Read in a fixed number of queries, however many rows.

Each change is a history row (django-simple-history) compared with the row before it of the
same object. The API and the round workbook show these; nothing here writes.
"""

from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import TextChoices
from django.utils import formats
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from kernel.history import BASELINE, CREATED, DELETED
from kernel.money import format_percent
from programmes.models import Basis, LegalForm, Organisation, SizeClass

from .models import GranteeTerms, ProjectPartner, RDProject

TERMS_OF = gettext_noop("Grantee terms of %(organisation)s")
PROJECT_NAMED = gettext_noop("R&D project “%(title)s”")
PARTNER_IN = gettext_noop("Partner %(organisation)s in “%(project)s”")
ORGANISATION_NAMED = gettext_noop("Organisation %(name)s")
NO_VALUE = "—"
# Long texts (a project's description) are cut here: the trail says that they changed, the
# history in the back office keeps them whole.
TEXT_LIMIT = 120


class Record(TextChoices):
    """What kind of row changed."""

    GRANTEE_TERMS = "grantee_terms", gettext_lazy("grantee terms")
    RD_PROJECT = "rd_project", gettext_lazy("R&D project")
    PROJECT_PARTNER = "project_partner", gettext_lazy("project partner")
    ORGANISATION = "organisation", gettext_lazy("organisation")


class Action(TextChoices):
    CREATED = "created", gettext_lazy("created")
    CHANGED = "changed", gettext_lazy("changed")
    DELETED = "deleted", gettext_lazy("deleted")


def _text(value: str) -> str:
    return Truncator(value).chars(TEXT_LIMIT) if value else NO_VALUE


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _month(value: date) -> str:
    return formats.date_format(value, "YEAR_MONTH_FORMAT")


def _choice(choices: type[TextChoices]) -> Callable[[str], str]:
    def show(value: str) -> str:
        return str(choices(value).label) if value in choices.values else _text(value)

    return show


@dataclass(frozen=True)
class Tracked:
    """A field whose changes are shown: its words and how its values read."""

    label: Any  # a lazy translation
    show: Callable[[Any], str]


TRACKED: dict[Record, dict[str, Tracked]] = {
    Record.GRANTEE_TERMS: {
        "basis": Tracked(gettext_lazy("basis"), _choice(Basis)),
        "funding_rate": Tracked(gettext_lazy("funding rate"), format_percent),
        "has_projektpauschale": Tracked(gettext_lazy("Projektpauschale"), _yes_no),
    },
    Record.RD_PROJECT: {
        "title": Tracked(gettext_lazy("title"), _text),
        "description": Tracked(gettext_lazy("description"), _text),
        "start_month": Tracked(gettext_lazy("start month"), _month),
        "end_month": Tracked(gettext_lazy("end month"), _month),
    },
    Record.PROJECT_PARTNER: {
        "is_lead": Tracked(gettext_lazy("lead partner"), _yes_no),
    },
    Record.ORGANISATION: {
        "name": Tracked(gettext_lazy("name"), _text),
        "legal_form": Tracked(gettext_lazy("legal form"), _choice(LegalForm)),
        "size_class": Tracked(gettext_lazy("size class"), _choice(SizeClass)),
        "country": Tracked(gettext_lazy("country"), _text),
        "city": Tracked(gettext_lazy("city"), _text),
    },
}


@dataclass(frozen=True)
class FieldChange:
    """One field of one change: its value before (``None`` when the row was created) and
    after."""

    record: Record
    field: str
    old: Any
    new: Any
    is_initial: bool = False

    @property
    def label(self) -> str:
        return str(TRACKED[self.record][self.field].label)

    @property
    def old_text(self) -> str | None:
        return None if self.is_initial else self._show(self.old)

    @property
    def new_text(self) -> str:
        return self._show(self.new)

    @property
    def text(self) -> str:
        """``funding rate 50.00 % → 60.00 %``; the value alone for a new row. (The same
        arrangement in every language: only the words are translated.)"""
        if self.is_initial:
            return f"{self.label} {self.new_text}"
        return f"{self.label} {self.old_text} → {self.new_text}"

    def _show(self, value: Any) -> str:
        return NO_VALUE if value is None else TRACKED[self.record][self.field].show(value)


@dataclass(frozen=True)
class RecordedChange:
    """A row created, changed or deleted: when, by whom (``None``: an operator's command), and
    the fields that changed. Texts read in the active language when they are read."""

    application_id: int
    record: Record
    record_id: int
    action: Action
    at: datetime
    by: Any
    changes: tuple[FieldChange, ...]
    subject_message: str
    subject_params: dict[str, str]
    history_id: int

    @property
    def subject(self) -> str:
        """Which row: ``Grantee terms of TU Dresden``."""
        return _(self.subject_message) % self.subject_params

    @property
    def summary(self) -> str:
        """What changed: ``funding rate 50.00 % → 60.00 %; Projektpauschale no → yes``."""
        return "; ".join(change.text for change in self.changes)

    @property
    def by_username(self) -> str | None:
        return None if self.by is None else str(self.by.get_username())


# A history row, what it did, and the fields it changed.
Version = tuple[Any, Action, tuple[FieldChange, ...]]


def _versions(rows: Iterable[Any], record: Record) -> Iterator[Version]:
    """Each history row with what it changed against the row before it of the same object
    (``rows`` are ordered by object, then time). Baseline rows (the values an object had when
    its history began) only serve as "before"; a row that changed no shown field is left out."""
    tracked = TRACKED[record]
    before: dict[int, Any] = {}
    for row in rows:
        previous = before.get(row.id)
        before[row.id] = row
        if row.history_change_reason == BASELINE:
            continue
        if row.history_type == DELETED:
            yield row, Action.DELETED, ()
        elif row.history_type == CREATED or previous is None:
            initial = tuple(
                FieldChange(record, name, None, getattr(row, name), is_initial=True)
                for name in tracked
            )
            action = Action.CREATED if row.history_type == CREATED else Action.CHANGED
            yield row, action, initial
        elif changes := tuple(
            FieldChange(record, name, getattr(previous, name), getattr(row, name))
            for name in tracked
            if getattr(previous, name) != getattr(row, name)
        ):
            yield row, Action.CHANGED, changes


def _ordered(queryset: Any) -> list[Any]:
    """The history rows, each with its author, by object and then time."""
    return list(
        queryset.select_related("history_user").order_by("id", "history_date", "history_id")
    )


def _latest(rows: Iterable[Any]) -> dict[int, Any]:
    """The newest of ordered history rows per object."""
    return {row.id: row for row in rows}


def _recorded(
    application_id: int, record: Record, version: Version, message: str, params: dict[str, str]
) -> RecordedChange:
    row, action, changes = version
    return RecordedChange(
        application_id=application_id,
        record=record,
        record_id=row.id,
        action=action,
        at=row.history_date,
        by=row.history_user,
        changes=changes,
        subject_message=message,
        subject_params=params,
        history_id=row.history_id,
    )


RECORD_ORDER = {record: index for index, record in enumerate(Record)}


def recorded_changes(application_ids: Collection[int]) -> dict[int, list[RecordedChange]]:
    """For each of these applications, oldest first: the changes of its grantee terms, of its
    R&D projects (deleted ones too) and their partners, and of the organisations taking part in
    it now, as grantees or partners (their changes, not their entry into the directory). Four
    queries, however many rows. Callers pass only applications the user may read."""
    found: dict[int, list[RecordedChange]] = {pk: [] for pk in application_ids}
    ids = list(found)
    if not ids:
        return found
    terms = _ordered(
        GranteeTerms.history.filter(application_id__in=ids).select_related("organisation")
    )
    projects = _ordered(RDProject.history.filter(application_id__in=ids))
    ever_projects = RDProject.history.filter(application_id__in=ids).values("id")
    partners = _ordered(
        ProjectPartner.history.filter(project_id__in=ever_projects).select_related("organisation")
    )
    project_now = _latest(projects)  # a deleted project's last title and its application

    for version in _versions(terms, Record.GRANTEE_TERMS):
        row = version[0]
        params = {"organisation": str(row.organisation)}
        found[row.application_id].append(
            _recorded(row.application_id, Record.GRANTEE_TERMS, version, TERMS_OF, params)
        )
    for version in _versions(projects, Record.RD_PROJECT):
        row = version[0]
        found[row.application_id].append(
            _recorded(
                row.application_id, Record.RD_PROJECT, version, PROJECT_NAMED, {"title": row.title}
            )
        )
    for version in _versions(partners, Record.PROJECT_PARTNER):
        row = version[0]
        project = project_now[row.project_id]
        params = {"organisation": str(row.organisation), "project": project.title}
        found[project.application_id].append(
            _recorded(project.application_id, Record.PROJECT_PARTNER, version, PARTNER_IN, params)
        )

    taking_part: dict[int, set[int]] = {}  # organisation → the applications it takes part in
    for row in _latest(terms).values():
        if row.history_type != DELETED:
            taking_part.setdefault(row.organisation_id, set()).add(row.application_id)
    for row in _latest(partners).values():
        if row.history_type != DELETED:
            application_id = project_now[row.project_id].application_id
            taking_part.setdefault(row.organisation_id, set()).add(application_id)
    organisations = _ordered(Organisation.history.filter(id__in=list(taking_part)))
    for version in _versions(organisations, Record.ORGANISATION):
        row, action, _changes = version
        if action != Action.CHANGED:
            continue
        params = {"name": str(row.instance)}
        for application_id in sorted(taking_part[row.id]):
            found[application_id].append(
                _recorded(application_id, Record.ORGANISATION, version, ORGANISATION_NAMED, params)
            )

    for changes in found.values():
        changes.sort(key=lambda change: (change.at, RECORD_ORDER[change.record], change.history_id))
    return found
