"""The flat budget-line layout, shared by the export, the import template and the importer, so
the three cannot drift apart. Its line columns follow ``budgets.exports.ROW_FIELDS``; the export
adds the figure columns (``FIGURE_FIELDS``), which the template leaves out (a typed amount
would leave them stale) and the importer ignores."""

from dataclasses import dataclass
from enum import StrEnum

from django.utils import translation
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from ..exports import FIGURE_FIELDS, ROW_FIELDS
from ..models import Phase


class Kind(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    EUR = "eur"
    PERCENT = "percent"
    BOOLEAN = "boolean"
    DATETIME = "datetime"


@dataclass(frozen=True)
class Column:
    key: str
    heading: Promise
    width: float
    kind: Kind

    @property
    def label(self) -> str:
        """The heading in the active language."""
        return str(self.heading)


LINE_COLUMNS = (
    Column("programme", _("Programme"), 13, Kind.TEXT),
    Column("round", _("Round"), 8, Kind.INTEGER),
    Column("cluster", _("Cluster"), 26, Kind.TEXT),
    Column("application", _("Application no."), 13, Kind.INTEGER),
    Column("application_title", _("Application title"), 34, Kind.TEXT),
    Column("state", _("State"), 18, Kind.TEXT),
    Column("phase", _("Phase"), 20, Kind.TEXT),
    Column("rd_project", _("R&D project"), 30, Kind.TEXT),
    Column("grantee", _("Grantee"), 34, Kind.TEXT),
    Column("country", _("Country"), 9, Kind.TEXT),
    Column("basis", _("Basis"), 8, Kind.TEXT),
    Column("position", _("Position"), 10, Kind.TEXT),
    Column("position_name", _("Position name"), 36, Kind.TEXT),
    Column("year", _("Year"), 8, Kind.INTEGER),
    Column("eligible_amount", _("Eligible amount (EUR)"), 17, Kind.EUR),
    Column("funding_rate", _("Funding rate"), 12, Kind.PERCENT),
    Column("projektpauschale", _("With Projektpauschale"), 14, Kind.BOOLEAN),
    Column("justification", _("Justification"), 48, Kind.TEXT),
    Column("updated_at", _("Last changed"), 17, Kind.DATETIME),
)
assert len(LINE_COLUMNS) == len(ROW_FIELDS), "LINE_COLUMNS must follow ROW_FIELDS"

# Each line's share of its grantee's figures for the year (docs/glossary.md).
FIGURE_COLUMNS = (
    Column("grant_amount", _("Grant (EUR)"), 15, Kind.EUR),
    Column("projektpauschale_amount", _("Projektpauschale (EUR)"), 17, Kind.EUR),
    Column("funding_amount", _("Funding (EUR)"), 15, Kind.EUR),
)
assert tuple(c.key for c in FIGURE_COLUMNS) == FIGURE_FIELDS, "FIGURE_COLUMNS must follow them"

# The export's columns; the template's are the first ``len(LINE_COLUMNS)`` of them.
FLAT_COLUMNS = LINE_COLUMNS + FIGURE_COLUMNS

COLUMN_INDEX = {column.key: index for index, column in enumerate(FLAT_COLUMNS)}

# What the importer reads; the other columns are there to read and are ignored on import.
IMPORT_KEYS = (
    "application",
    "phase",
    "rd_project",
    "grantee",
    "country",
    "basis",
    "position",
    "year",
    "eligible_amount",
    "justification",
)
# A row whose line columns are all empty is a blank row (the template pre-fills the
# application's keys in rows the user has not used yet). They are what a user fills in: the
# template leaves only these cells unlocked.
LINE_KEYS = tuple(key for key in IMPORT_KEYS if key != "application")
# Shown for reading only: the importer checks that they still say what the system says.
READ_ONLY_KEYS = tuple(column.key for column in LINE_COLUMNS if column.key not in IMPORT_KEYS)

LANGUAGES = ("de", "en")


def in_every_language(text: Promise | str) -> set[str]:
    """The text as each supported language words it."""
    found = set()
    for language in LANGUAGES:
        with translation.override(language):
            found.add(str(text))
    return found


def heading_keys() -> dict[str, str]:
    """Every accepted heading (either language, any case, or the key itself) → column key."""
    mapping: dict[str, str] = {}
    for column in FLAT_COLUMNS:
        mapping[column.key.casefold()] = column.key
        for heading in in_every_language(column.heading):
            mapping[heading.strip().casefold()] = column.key
    return mapping


def phase_words() -> dict[str, Phase]:
    """A phase as the export writes it (its label in either language) or as its code."""
    words: dict[str, Phase] = {}
    for phase in Phase:
        words[str(phase.value).casefold()] = phase
        for label in in_every_language(phase.label):
            words[label.casefold()] = phase
    return words


def phase_labels() -> dict[str, str]:
    return {str(phase.value): capfirst(str(phase.label)) for phase in Phase}


DATA_SHEET = _("Budget lines")
POSITIONS_SHEET = _("Positions")
GRANTEES_SHEET = _("Grantees")
PROJECTS_SHEET = _("R&D projects")
ABOUT_SHEET = _("About this export")
