"""What an import reports: every problem located by sheet, row and column, and every row with
what it will create, change or delete. Messages are worded in the active language when the
problem is found; the constants here are their English source texts (tests import them)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from http import HTTPStatus

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ..summary import BudgetSummary

# File-level refusals: nothing in the file is read.
NOT_XLSX = gettext_noop(
    "This is not an Excel workbook (.xlsx). Save it as “Excel workbook” and upload it again."
)
TOO_LARGE = gettext_noop("The file is %(size)s; at most %(limit)s can be imported.")
MACRO_ENABLED = gettext_noop(
    "The file contains macros (.xlsm or a VBA project); upload a workbook without macros."
)
ZIP_BOMB = gettext_noop(
    "The file would unpack to %(size)s (%(ratio)s times its size); it is refused as a "
    "possible zip bomb."
)
XML_BOMB = gettext_noop(
    "The file contains XML entity or document type declarations; it is refused."
)
# Plain words only: what went wrong inside the file (a zip checksum, an XML parser's position)
# helps nobody who uploads it, so it is logged for the operators instead.
DAMAGED = gettext_noop(
    "The workbook is damaged and cannot be read. Open it in Excel or LibreOffice, save it "
    "again as “Excel workbook” (.xlsx) and upload it again."
)

# Sheet-level problems.
NO_DATA_SHEET = gettext_noop("The workbook has no sheet.")
MISSING_COLUMN = gettext_noop("The column “%(heading)s” is missing from the header row.")
DUPLICATE_COLUMN = gettext_noop("The column “%(heading)s” appears twice in the header row.")
TOO_MANY_ROWS = gettext_noop("The sheet has more than %(limit)s rows; split it into several files.")
NO_ROWS = gettext_noop("The sheet has no rows to import.")

# Cell-level problems of budget lines.
REQUIRED = gettext_noop("A value is required.")
NOT_A_NUMBER = gettext_noop("“%(value)s” is not a number.")
NOT_A_YEAR = gettext_noop("“%(value)s” is not a calendar year.")
UNKNOWN_PHASE = gettext_noop("“%(value)s” is not a phase; use one of: %(choices)s.")
UNKNOWN_PROJECT = gettext_noop("The application has no R&D project “%(value)s”; create it first.")
PROJECT_IN_CONCEPT_PHASE = gettext_noop(
    "Concept-phase lines have no R&D project; leave this cell empty."
)
PROJECT_REQUIRED = gettext_noop("Implementation-phase lines need an R&D project.")
UNKNOWN_GRANTEE = gettext_noop("There is no organisation “%(value)s” (%(country)s).")
AMBIGUOUS_GRANTEE = gettext_noop("There are several organisations “%(value)s”; give the country.")
UNKNOWN_BASIS = gettext_noop("“%(value)s” is not a basis; use AZA or AZK.")
UNKNOWN_POSITION = gettext_noop("There is no budget position %(code)s on the %(basis)s basis.")
BASIS_MISMATCH = gettext_noop(
    "Position %(code)s is on the %(basis)s basis, but %(grantee)s is funded on the "
    "%(grantee_basis)s basis."
)
NOT_AN_APPLICATION_NUMBER = gettext_noop("“%(value)s” is not an application number.")
OTHER_CLUSTER = gettext_noop(
    "This line belongs to application no. %(value)s of another cluster; only lines of "
    "application no. %(expected)s can be imported here."
)
OTHER_APPLICATION = gettext_noop(
    "This line belongs to application no. %(value)s; only lines of application "
    "no. %(expected)s can be imported here."
)
UNKNOWN_APPLICATION = gettext_noop("There is no application no. %(value)s.")
ROW_UNREADABLE = gettext_noop(
    "This row cannot be read; compare its cells with a freshly downloaded template."
)
TEXT_TOO_LONG = gettext_noop("The text has %(length)s characters; at most %(limit)s are allowed.")
DUPLICATE_LINE = gettext_noop(
    "Row %(row)s already has this line (same phase, project, grantee, year and position)."
)
BUDGET_CLOSED = gettext_noop(
    "The %(phase)s budget cannot be changed while the application is %(state)s."
)
READ_ONLY_CHANGED = gettext_noop(
    "“%(heading)s” is shown for reading only and is not imported: the file has %(value)s, the "
    "system %(expected)s. Put the value back or clear the cell; the application's pages "
    "change it."
)
LINE_NOT_IN_FILE = gettext_noop("%(line)s is not in the file and would be deleted.")

# Refusals of a confirmation.
TOKEN_INVALID = gettext_noop(
    "This preview has expired or belongs to another file; preview the file again."
)
CHANGED_MEANWHILE = gettext_noop(
    "The budget was changed after the preview; preview the file again."
)

# Organisations and clusters.
UNKNOWN_CHOICE = gettext_noop("“%(value)s” is not one of: %(choices)s.")
UNKNOWN_ORGANISATION = gettext_noop("There is no German organisation “%(value)s”; import it first.")
ONLY_OFFICERS = gettext_noop("Only ministry officers may import organisations and clusters.")


class Code(StrEnum):
    NOT_XLSX = "not_xlsx"
    TOO_LARGE = "too_large"
    MACRO_ENABLED = "macro_enabled"
    ZIP_BOMB = "zip_bomb"
    XML_BOMB = "xml_bomb"
    DAMAGED = "damaged"
    NO_DATA_SHEET = "no_data_sheet"
    MISSING_COLUMN = "missing_column"
    DUPLICATE_COLUMN = "duplicate_column"
    TOO_MANY_ROWS = "too_many_rows"
    NO_ROWS = "no_rows"
    REQUIRED = "required"
    NOT_A_NUMBER = "not_a_number"
    TOO_MANY_DECIMALS = "too_many_decimals"
    NEGATIVE_AMOUNT = "negative_amount"
    AMOUNT_TOO_LARGE = "amount_too_large"
    NOT_A_YEAR = "not_a_year"
    UNKNOWN_PHASE = "unknown_phase"
    UNKNOWN_PROJECT = "unknown_project"
    PROJECT_IN_CONCEPT_PHASE = "project_in_concept_phase"
    PROJECT_REQUIRED = "project_required"
    UNKNOWN_GRANTEE = "unknown_grantee"
    AMBIGUOUS_GRANTEE = "ambiguous_grantee"
    UNKNOWN_BASIS = "unknown_basis"
    UNKNOWN_POSITION = "unknown_position"
    BASIS_MISMATCH = "basis_mismatch"
    NOT_AN_APPLICATION_NUMBER = "not_an_application_number"
    OTHER_CLUSTER = "other_cluster"
    OTHER_APPLICATION = "other_application"
    UNKNOWN_APPLICATION = "unknown_application"
    TEXT_TOO_LONG = "text_too_long"
    ROW_UNREADABLE = "row_unreadable"
    DUPLICATE_LINE = "duplicate_line"
    BUDGET_CLOSED = "budget_closed"
    READ_ONLY_CHANGED = "read_only_changed"
    BUDGET_RULE = "budget_rule"
    INVALID = "invalid"
    TOKEN_INVALID = "token_invalid"
    CHANGED_MEANWHILE = "changed_meanwhile"
    UNKNOWN_CHOICE = "unknown_choice"
    UNKNOWN_ORGANISATION = "unknown_organisation"


@dataclass(frozen=True)
class Problem:
    """Why (part of) a file cannot be imported, and where: sheet, row (1-based, as the
    spreadsheet program numbers it), column (letter) and its heading."""

    code: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    heading: str | None = None
    # Further rows the problem concerns (a cap broken by several lines).
    rows: Sequence[int] = ()

    @property
    def location(self) -> str:
        """E.g. ``Budget lines, row 7, column I (Grantee)``; empty for the whole file."""
        parts = []
        if self.sheet:
            parts.append(self.sheet)
        if self.row is not None:
            parts.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            column = _("column %(column)s") % {"column": self.column}
            parts.append(f"{column} ({self.heading})" if self.heading else column)
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class Action(StrEnum):
    CREATE = "create"
    CHANGE = "change"
    DELETE = "delete"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class RowChange:
    """What importing one row does (``row`` is None for a line that the file leaves out and
    that is therefore deleted)."""

    action: Action
    description: str
    sheet: str | None = None
    row: int | None = None
    changes: Sequence[FieldChange] = ()


@dataclass(frozen=True)
class Preview:
    """Everything an import would do, and every reason it cannot. ``token`` (empty while there
    are problems) confirms exactly this preview; ``summary`` (a ``BudgetSummary``, None while
    there are problems) has every figure of the budget as the import would leave it."""

    rows: Sequence[RowChange] = ()
    problems: Sequence[Problem] = ()
    token: str = ""
    summary: BudgetSummary | None = None

    @property
    def is_valid(self) -> bool:
        return not self.problems

    def count(self, action: Action) -> int:
        return sum(1 for row in self.rows if row.action == action)


@dataclass(frozen=True)
class ImportResult:
    created: int
    changed: int
    deleted: int
    unchanged: int
    rows: Sequence[RowChange] = field(default_factory=tuple)


class ImportRefused(Exception):
    """Nothing was written; ``problems`` says why, each located in the file."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(str(problem) for problem in self.problems))


# How an interface answers a refused import: the file as a whole (413, 415), the budget
# changed since the preview (409), or what it says (422).
UNSUPPORTED = frozenset(
    {Code.NOT_XLSX, Code.MACRO_ENABLED, Code.DAMAGED, Code.ZIP_BOMB, Code.XML_BOMB}
)


def refusal_status(problems: Iterable[Problem]) -> HTTPStatus:
    """The HTTP status of a refused upload, for the pages and the API alike."""
    codes = {problem.code for problem in problems}
    if Code.TOO_LARGE in codes:
        return HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    if codes & UNSUPPORTED:
        return HTTPStatus.UNSUPPORTED_MEDIA_TYPE
    if Code.CHANGED_MEANWHILE in codes:
        return HTTPStatus.CONFLICT
    return HTTPStatus.UNPROCESSABLE_ENTITY


def say(message: str, params: dict[str, object] | None = None) -> str:
    """``message`` (one of the constants) in the active language, with its parameters."""
    return _(message) % params if params else _(message)


def problem(code: Code, message: str, params: dict[str, object] | None = None) -> Problem:
    """A problem of the whole file, worded now."""
    return Problem(code=str(code), message=say(message, params))
