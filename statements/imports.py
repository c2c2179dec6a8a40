"""A statement's actuals from Excel, through the budget import's engine: the same upload checks
(size, macros, zip and XML bombs), the same table reader and problems located by sheet, row
and column, the same preview-then-confirm with a signed token (the user, the file's digest and
the statement as previewed). Confirming writes all lines or none, through the service."""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook

from budgets.imports.problems import (
    CHANGED_MEANWHILE,
    NOT_A_NUMBER,
    NOT_A_YEAR,
    REQUIRED,
    TOKEN_INVALID,
    Code,
    ImportRefused,
    Problem,
    problem,
    say,
)
from budgets.imports.sheet import Table, read_table
from budgets.imports.upload import Limits, Upload, check_package, open_workbook, read_upload
from budgets.models import BudgetPosition
from budgets.workbooks.cells import fit_columns, header_row, put_number, put_text
from budgets.workbooks.layout import in_every_language
from kernel.money import CENT, NEGATIVE_AMOUNT, TOO_MANY_DECIMALS

from . import access
from .models import Statement
from .selectors import figures_of, statement_years
from .services import (
    LINE_YEAR_OUTSIDE,
    NOT_ENTERABLE,
    POSITION_NOT_IN_PLAN,
    LineInput,
    statement_lines_save,
)

TOKEN_SALT = "statements.imports"
SHEET = gettext_noop("Actuals")
HEADINGS = {
    "year": gettext_noop("Year"),
    "position": gettext_noop("Position"),
    "name": gettext_noop("Name"),
    "plan": gettext_noop("Plan"),
    "actual": gettext_noop("Actual"),
}


@dataclass(frozen=True)
class ActualsPreview:
    """The lines an import would write, and every reason it cannot; ``token`` (empty while
    there are problems) confirms exactly this preview."""

    lines: Sequence[LineInput] = ()
    problems: Sequence[Problem] = ()
    token: str = field(default="")

    @property
    def is_valid(self) -> bool:
        return not self.problems


def actuals_template(statement: Statement) -> bytes:
    """Every position of the grantee's plan for each year of the statement, with its plan and
    the actual entered so far; only the actual column is read back."""
    view = figures_of(statement)
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None  # a new workbook has its sheet
    ws.title = _(SHEET)
    header_row(ws, 1, [_(heading) for heading in HEADINGS.values()])
    row = 2
    for year in view.figures.years if view.figures else ():
        for position in year.positions:
            put_number(ws, row, 1, year.year, number_format="0")
            put_text(ws, row, 2, position.position.code)
            put_text(ws, row, 3, str(position.position.name))
            put_number(ws, row, 4, position.plan_amount)
            put_number(ws, row, 5, position.actual_amount)
            row += 1
    fit_columns(ws)
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def _heading_keys() -> dict[str, str]:
    keys = {}
    for key, heading in HEADINGS.items():
        for words in (key, *in_every_language(_(heading))):
            keys[words.casefold()] = key
    return keys


def _year(table: Table, number: int, value: Any, problems: list[Problem]) -> int | None:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        message = say(NOT_A_YEAR, {"value": value})
        problems.append(table.locate("year", number, Code.NOT_A_YEAR, message))
        return None
    return year


def _amount(table: Table, number: int, value: Any, problems: list[Problem]) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        problems.append(table.locate("actual", number, Code.REQUIRED, say(REQUIRED)))
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        message = say(NOT_A_NUMBER, {"value": value})
        problems.append(table.locate("actual", number, Code.NOT_A_NUMBER, message))
        return None
    if amount < 0:
        message = say(NEGATIVE_AMOUNT, {"value": value})
        problems.append(table.locate("actual", number, Code.NEGATIVE_AMOUNT, message))
        return None
    if amount != amount.quantize(CENT):
        message = say(TOO_MANY_DECIMALS, {"value": value})
        problems.append(table.locate("actual", number, Code.TOO_MANY_DECIMALS, message))
        return None
    return amount


def _parse(statement: Statement, data: bytes) -> tuple[list[LineInput], list[Problem]]:
    limits = Limits.from_settings()
    check_package(data, limits)
    table = read_table(
        open_workbook(data),
        sheet_names=in_every_language(_(SHEET)) | {SHEET},
        heading_keys=_heading_keys(),
        required=("year", "position", "actual"),
        expected_headings={key: _(heading) for key, heading in HEADINGS.items()},
        content_keys=("year", "position", "actual"),
        max_rows=limits.max_rows,
    )
    view = figures_of(statement)
    planned: dict[str, BudgetPosition] = (
        {row.position.code: row.position for row in view.block.positions} if view.block else {}
    )
    years = statement_years(statement)
    lines: list[LineInput] = []
    problems: list[Problem] = []
    for number, row in table.rows:
        year = _year(table, number, row.get("year"), problems)
        amount = _amount(table, number, row.get("actual"), problems)
        code = str(row.get("position") or "").strip()
        position = planned.get(code)
        if position is None:
            context = {"position": code, "grantee": statement.grantee.name}
            message = _(POSITION_NOT_IN_PLAN) % context
            problems.append(table.locate("position", number, Code.UNKNOWN_POSITION, message))
        elif year is not None and year not in years:
            listed = ", ".join(str(y) for y in years)
            message = _(LINE_YEAR_OUTSIDE) % {"year": year, "years": listed}
            problems.append(table.locate("year", number, Code.NOT_A_YEAR, message))
        elif year is not None and amount is not None:
            lines.append((position, year, amount))
    return lines, problems


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _fingerprint(statement: Statement) -> str:
    """The statement's lines as the preview found them."""
    lines = statement.lines.order_by("pk").values_list("position_id", "year", "actual_amount")
    return hashlib.sha256(repr((statement.state, list(lines))).encode()).hexdigest()


def _ensure_may_write(statement: Statement, by: Any) -> None:
    if not access.can_edit_statement(by, statement):
        raise PermissionDenied(_(NOT_ENTERABLE))


def actuals_import_preview(*, statement: Statement, file: Upload, by: Any) -> ActualsPreview:
    """What importing ``file`` would write, and every reason it cannot; writes nothing."""
    _ensure_may_write(statement, by)
    try:
        data = read_upload(file, Limits.from_settings())
        lines, problems = _parse(statement, data)
    except ImportRefused as refused:
        return ActualsPreview(problems=refused.problems)
    if problems:
        return ActualsPreview(lines=lines, problems=problems)
    token = signing.dumps(
        {"s": statement.pk, "f": _digest(data), "b": _fingerprint(statement), "u": by.pk},
        salt=TOKEN_SALT,
    )
    return ActualsPreview(lines=lines, token=token)


def actuals_import_confirm(
    *, statement: Statement, file: Upload, token: str, by: Any
) -> list[LineInput]:
    """Write the lines of ``file`` as previewed with ``token``: all or none. Refused
    (``ImportRefused``) when the file has problems, is not the previewed one, or the statement
    changed since the preview; the service's rules then apply as on the grid."""
    _ensure_may_write(statement, by)
    data = read_upload(file, Limits.from_settings())
    lines, problems = _parse(statement, data)
    max_age = getattr(settings, "BUDGET_IMPORT_TOKEN_MAX_AGE", 3600)
    try:
        payload: dict[str, Any] = signing.loads(token, salt=TOKEN_SALT, max_age=max_age)
    except signing.BadSignature:
        payload = {}
    previewed = (payload.get("s"), payload.get("f"), payload.get("u"))
    if previewed != (statement.pk, _digest(data), by.pk):
        raise ImportRefused(problems or [problem(Code.TOKEN_INVALID, TOKEN_INVALID)])
    if payload.get("b") != _fingerprint(statement):
        raise ImportRefused([problem(Code.CHANGED_MEANWHILE, CHANGED_MEANWHILE)])
    if problems:
        raise ImportRefused(problems)
    try:
        statement_lines_save(statement=statement, lines=lines, by=by)
    except ValidationError as error:
        raise ImportRefused(
            [Problem(code=str(Code.INVALID), message=message) for message in error.messages]
        ) from error
    return lines
