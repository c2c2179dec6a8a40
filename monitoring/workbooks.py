"""Workbooks: the members template and reading a filled-in one (the upload checked as safely as
the budget import's), and the programme's indicators for officers and auditors.

Withheld survey results are written as the words of the pages ("withheld"), never as a number.
"""

from collections.abc import Sequence
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from budgets.imports.problems import Code, ImportRefused, Problem
from budgets.imports.upload import Limits, Upload, check_package, open_workbook, read_upload
from programmes.models import LegalForm, SizeClass

from .disclosure import Shares
from .selectors import Indicators
from .services import MemberInput
from .services import Problem as RowProblem

COLUMNS: list[tuple[str, Any]] = [
    ("name", gettext_lazy("Name")),
    ("legal_form", gettext_lazy("Legal form")),
    ("size_class", gettext_lazy("Size class")),
    ("sector", gettext_lazy("Sector")),
    ("city", gettext_lazy("City")),
    ("contact_email", gettext_lazy("Contact address")),
]
SHEET = gettext_lazy("Members")
NO_ROWS = gettext_noop("The workbook has no member rows below its headings.")
TOO_MANY_ROWS = gettext_noop("The workbook has %(rows)s member rows; at most %(limit)s are read.")
MAX_MEMBER_ROWS = 5000


def _choices_by_word(choices: Any) -> dict[str, str]:
    """Each choice by its code and by its label in the active language."""
    words = {}
    for value, label in choices:
        words[str(value).casefold()] = str(value)
        words[str(label).casefold()] = str(value)
    return words


def members_template() -> bytes:
    """A workbook with the headings and lists to choose legal form and size class from."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = str(SHEET)
    sheet.append([str(heading) for _name, heading in COLUMNS])
    for column, width in zip("ABCDEF", (40, 24, 12, 24, 20, 32), strict=True):
        sheet.column_dimensions[column].width = width
    for column, choices in (("B", LegalForm.choices), ("C", SizeClass.choices)):
        labels = ",".join(str(label) for _value, label in choices)
        listed = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=True)
        listed.add(f"{column}2:{column}{MAX_MEMBER_ROWS + 1}")
        sheet.add_data_validation(listed)
    stream = BytesIO()
    book.save(stream)
    return stream.getvalue()


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def read_members(file: Upload, *, filename: str | None = None) -> list[tuple[int, MemberInput]]:
    """The rows of an uploaded members workbook (numbered as the spreadsheet does), read only;
    a file that is not a safe workbook, or has no rows, is refused as the budget import is."""
    limits = Limits.from_settings()
    data = read_upload(file, limits)
    check_package(data, limits, filename=filename)
    book = open_workbook(data)
    sheet = book.worksheets[0]
    legal_forms = _choices_by_word(LegalForm.choices)
    sizes = _choices_by_word(SizeClass.choices)
    rows: list[tuple[int, MemberInput]] = []
    for number, cells in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        values = [_text(value) for value in (list(cells) + [None] * len(COLUMNS))[: len(COLUMNS)]]
        if not any(values):
            continue
        if len(rows) >= MAX_MEMBER_ROWS:
            message = _(TOO_MANY_ROWS) % {"rows": sheet.max_row - 1, "limit": MAX_MEMBER_ROWS}
            raise ImportRefused([Problem(code=str(Code.INVALID), message=message)])
        given = dict(zip((name for name, _h in COLUMNS), values, strict=True))
        given["legal_form"] = legal_forms.get(given["legal_form"].casefold(), given["legal_form"])
        given["size_class"] = sizes.get(given["size_class"].casefold(), given["size_class"])
        rows.append((number, MemberInput(**given)))
    if not rows:
        raise ImportRefused([Problem(code=str(Code.INVALID), message=_(NO_ROWS))])
    return rows


def located(problems: Sequence[RowProblem]) -> list[str]:
    """Each problem as "Members, row 4, column B (Legal form): …"."""
    letters = {name: get_column_letter(i) for i, (name, _h) in enumerate(COLUMNS, start=1)}
    headings = dict(COLUMNS)
    return [
        str(
            Problem(
                code=str(Code.INVALID),
                message=problem.message,
                sheet=str(SHEET),
                row=problem.row,
                column=letters.get(problem.column),
                heading=str(headings[problem.column]) if problem.column in headings else None,
            )
        )
        for problem in problems
    ]


def _percent(value: Any) -> Any:
    return None if value is None else value / 100


def _survey_cells(shares: Shares) -> list[Any]:
    if not shares.shown:
        return [_("withheld")] * 4
    return [
        shares.answers,
        _percent(shares.knows_measure),
        _percent(shares.knows_strategy),
        _percent(shares.took_part),
    ]


def indicators_workbook(figures: Indicators) -> bytes:
    """The programme's indicators: clusters, rounds, years and outcomes, one sheet each."""
    book = Workbook()
    survey_headings = [
        _("Survey answers"),
        _("Know the measure"),
        _("Know the strategy"),
        _("Took part in an activity"),
    ]
    reach_headings = [
        _("Members"),
        _("Reached by an activity"),
        _("Share reached"),
        _("Activities"),
        _("Contacts with known partners"),
        _("Contacts with new partners"),
        _("Outcomes"),
    ]

    def reach_cells(reach: Any) -> list[Any]:
        return [
            reach.members,
            reach.reached,
            _percent(reach.reached_share),
            reach.activities,
            reach.contacts_known,
            reach.contacts_new,
            reach.outcomes,
        ]

    def percent_format(sheet: Any, columns: set[int]) -> None:
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if cell.column in columns and isinstance(cell.value, int | float | Decimal):
                    cell.number_format = "0%"

    clusters = book.active
    assert clusters is not None
    clusters.title = _("Clusters")
    clusters.append([_("Cluster"), *reach_headings, *survey_headings])
    for row in figures.clusters:
        clusters.append([row.cluster.name, *reach_cells(row.reach), *_survey_cells(row.survey)])
    clusters.append([_("Programme"), *reach_cells(figures.total), *_survey_cells(figures.survey)])
    percent_format(clusters, {4, 10, 11, 12})

    for title, rows in ((_("Rounds"), figures.rounds), (_("Years"), figures.years)):
        sheet = book.create_sheet(title)
        sheet.append([title, *reach_headings, *survey_headings])
        for period in rows:
            sheet.append([period.label, *reach_cells(period.reach), *_survey_cells(period.survey)])
        percent_format(sheet, {4, 10, 11, 12})

    outcomes = book.create_sheet(_("Outcomes"))
    outcomes.append([_("Activity type"), *(label for _code, label in figures.outcome_kinds)])
    for kind, label in figures.activity_kinds:
        counts = figures.outcomes[kind]
        outcomes.append([label, *(counts[code] for code, _label in figures.outcome_kinds)])

    notes = book.create_sheet(_("Notes"))
    notes.append(
        [
            _(
                "Survey results rest on at least %(k)s answers each; smaller groups, and groups "
                "whose figures could be worked out from the totals, are withheld. Shares are "
                "rounded half up to whole percent."
            )
            % {"k": figures.min_answers}
        ]
    )
    stream = BytesIO()
    book.save(stream)
    return stream.getvalue()


def indicators_filename(figures: Indicators) -> str:
    return f"{figures.programme.short_name}-cluster-indicators.xlsx".replace(" ", "-")
