"""Importing an application's budget from the template (``budgets.workbooks.template``).

Preview first: every row with what it will create, change or leave as it is, every line the
file leaves out (deleted), and every problem located by sheet, row and column, in the user's
language. The preview asks ``budgets.plan.check_plan`` what the write would give, the check the
write itself makes, so a broken cap shows before anything is confirmed and nothing is written to
find out. Then confirm: the same file and the preview's token; the whole import is ONE call of
``budgets.services.budget_lines_write``, which locks the application and checks every rule on
the result before it writes: all rows or none.

Why django-import-export only parses and diffs here, and never writes: its write path commits
the valid rows of a file that has invalid ones unless told otherwise, saves row by row without
our lock and without checking the caps on the whole result, and its bulk mode skips
``save()`` and with it the history of every line. ``rollback_on_validation_errors`` would fix
the first, not the others. So the resource turns cells into lines and reports each cell's
problem; the budget service, the one place budget lines are written, writes them.
"""

import hashlib
from collections.abc import Mapping, Sequence
from copy import copy
from dataclasses import dataclass, field
from typing import Any

import tablib
from django.conf import settings
from django.core import signing
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from kernel.collector import collector_paused
from kernel.money import format_eur
from programmes.access import organisations_visible_to
from programmes.models import Organisation

from .. import access
from ..models import BudgetLine, BudgetPosition, GranteeTerms, Phase
from ..plan import Plan, check_plan
from ..protocols import BudgetedApplication, applications_like, lock_application
from ..selectors import budget_plan
from ..services import NOT_YOURS, LineInput, budget_lines_write
from ..services import describe_line as describe
from ..summary import BudgetSummary
from ..violations import BudgetRuleError, Violation
from ..workbooks.layout import (
    COLUMN_INDEX,
    DATA_SHEET,
    FLAT_COLUMNS,
    IMPORT_KEYS,
    LINE_KEYS,
    heading_keys,
    in_every_language,
    phase_words,
)
from .problems import (
    BUDGET_CLOSED,
    CHANGED_MEANWHILE,
    LINE_NOT_IN_FILE,
    TOKEN_INVALID,
    Action,
    Code,
    FieldChange,
    ImportRefused,
    ImportResult,
    Preview,
    Problem,
    RowChange,
    problem,
    say,
)
from .readonly import read_only_problems
from .resources import BudgetContext, BudgetLineResource, LineKey, line_key
from .sheet import Table, read_table
from .upload import Limits, Upload, check_package, open_workbook, read_upload

TOKEN_SALT = "budgets.imports.budget"
# Columns an import needs; the justification may be left out (lines keep theirs).
REQUIRED_KEYS = tuple(key for key in IMPORT_KEYS if key not in {"justification", "country"})


@dataclass(frozen=True)
class Parsed:
    """A checked, parsed file and what it would do to the application's budget."""

    digest: str
    table: Table
    rows: Sequence[RowChange]
    writes: Sequence[LineInput]
    deletes: Sequence[BudgetLine]
    problems: Sequence[Problem]
    lines: Sequence[tuple[int, BudgetLine]]  # (sheet row, parsed line) of every valid row
    plan: Plan  # the budget as the file was read against


def _ensure_may_write(application: BudgetedApplication, by: Any) -> None:
    if not access.can_write_budget(by, application):
        raise PermissionDenied(_(NOT_YOURS))


def _context(application: BudgetedApplication, plan: Plan, table: Table, by: Any) -> BudgetContext:
    """Everything the rows are looked up in: the plan, and in a fixed number of queries the
    organisations (those ``by`` may see), positions and applications the file names."""
    names = {
        str(row["grantee"]).strip().lower()
        for _number, row in table.rows
        if row.get("grantee") not in (None, "")
    }
    organisations: dict[str, list[Organisation]] = {}
    visible = organisations_visible_to(by)
    for organisation in visible.annotate(lowered=Lower("name")).filter(lowered__in=names):
        organisations.setdefault(organisation.name.casefold(), []).append(organisation)
    numbers = set()
    for _number, row in table.rows:
        value = row.get("application")
        if isinstance(value, int | float) and not isinstance(value, bool) and value == int(value):
            numbers.add(int(value))
        elif isinstance(value, str) and value.strip().isdigit():
            numbers.add(int(value.strip()))
    clusters = dict(
        applications_like(application).filter(pk__in=numbers).values_list("pk", "cluster_id")
    )
    return BudgetContext(
        application=application,
        phases=phase_words(),
        projects={project.title.strip().casefold(): project for project in plan.projects},
        organisations=organisations,
        positions={(p.basis, p.code): p for p in BudgetPosition.objects.all()},
        terms=plan.terms,
        application_clusters=clusters,
        # Copies: the resource reads the file's cells into them, the plan's lines stay as read.
        existing={line_key(line): copy(line) for line in plan.lines},
    )


def _read(file: Upload, filename: str | None) -> tuple[bytes, Table]:
    limits = Limits.from_settings()
    data = read_upload(file, limits)
    check_package(data, limits, filename=filename or getattr(file, "name", None))
    workbook = open_workbook(data)
    try:
        table = read_table(
            workbook,
            sheet_names=in_every_language(DATA_SHEET),
            heading_keys=heading_keys(),
            required=REQUIRED_KEYS,
            expected_headings={c.key: c.label for c in FLAT_COLUMNS},
            content_keys=LINE_KEYS,
            max_rows=limits.max_rows,
        )
    finally:
        workbook.close()
    return data, table


def _cell_problems(table: Table, result: Any, context: BudgetContext) -> list[Problem]:
    found: list[Problem] = []
    for invalid in result.invalid_rows:
        row = context.row_numbers[invalid.number - 1]
        for key, errors in invalid.error.error_dict.items():
            column = None if key == NON_FIELD_ERRORS else key
            for error in errors:
                message = error.message % error.params if error.params else error.message
                found.append(table.locate(column, row, error.code or Code.INVALID, str(message)))
    for error_row in result.error_rows:
        row = context.row_numbers[error_row.number - 1]
        for error in error_row.errors:
            found.append(table.unreadable(row, error.error))
    for error in result.base_errors:
        found.append(table.unreadable(None, error.error))
    return found


def _changes(old: BudgetLine | None, new: BudgetLine) -> list[FieldChange]:
    amount_heading = FLAT_COLUMNS[COLUMN_INDEX["eligible_amount"]].label
    justification_heading = FLAT_COLUMNS[COLUMN_INDEX["justification"]].label
    changes = []
    if old is None or old.eligible_amount != new.eligible_amount:
        before = "" if old is None else format_eur(old.eligible_amount)
        changes.append(FieldChange(amount_heading, before, format_eur(new.eligible_amount)))
    if (old is None and new.justification) or (
        old is not None and old.justification != new.justification
    ):
        old_justification = "" if old is None else old.justification
        changes.append(FieldChange(justification_heading, old_justification, new.justification))
    return changes


def _changed_column(old: BudgetLine | None, line: BudgetLine) -> str:
    """Where a row's change is: its amount, else its justification; a new line is new in every
    cell, and is pointed at by its phase."""
    if old is None:
        return "phase"
    return "eligible_amount" if old.eligible_amount != line.eligible_amount else "justification"


def _parse_rows(table: Table, context: BudgetContext) -> tuple[BudgetLineResource, list[Problem]]:
    """Every row read into a line by the resource (which writes nothing), and every cell's
    problem."""
    headers = [key for key in IMPORT_KEYS if key in table.columns]
    dataset = tablib.Dataset(headers=headers)
    for number, row in table.rows:
        dataset.append([row.get(key) for key in headers])
        context.row_numbers.append(number)
    resource = BudgetLineResource(context)
    result = resource.import_data(dataset, use_transactions=False)
    return resource, _cell_problems(table, result, context)


@dataclass
class _Diff:
    """What the file does to the stored lines, row by row, and where it touches a closed phase."""

    rows: list[RowChange] = field(default_factory=list)
    writes: list[LineInput] = field(default_factory=list)
    deletes: list[BudgetLine] = field(default_factory=list)
    closed: list[Problem] = field(default_factory=list)


def _closed_problem(
    application: BudgetedApplication,
    table: Table,
    line: BudgetLine,
    row: int | None,
    column: str | None,
    prefix: str = "",
) -> Problem:
    state = application.get_state_display()
    message = say(BUDGET_CLOSED, {"phase": Phase(line.phase).label, "state": state})
    return table.locate(column, row, Code.BUDGET_CLOSED, prefix + message)


def _diff_rows(
    application: BudgetedApplication,
    table: Table,
    stored: Mapping[LineKey, BudgetLine],
    parsed: Sequence[tuple[int, BudgetLine, bool]],
) -> _Diff:
    """Each row created, changed or left as it is; the created and changed are written."""
    diff = _Diff()
    for number, line, _is_new in parsed:
        old = stored.get(line_key(line))
        changes = _changes(old, line)
        action = Action.CREATE if old is None else (Action.CHANGE if changes else Action.UNCHANGED)
        diff.rows.append(RowChange(action, describe(line), table.sheet, number, changes))
        if action == Action.UNCHANGED:
            continue
        if not application.is_budget_open(line.phase):
            column = _changed_column(old, line)
            diff.closed.append(_closed_problem(application, table, line, number, column))
        diff.writes.append(
            LineInput(
                phase=line.phase,
                grantee=line.grantee,
                year=line.year,
                position=line.position,
                eligible_amount=line.eligible_amount,
                rd_project=line.rd_project,
                justification=line.justification,
            )
        )
    return diff


def _diff_left_out(
    application: BudgetedApplication,
    table: Table,
    stored: Mapping[LineKey, BudgetLine],
    in_file: set[LineKey],
    diff: _Diff,
) -> None:
    """The stored lines the file leaves out are deleted."""
    amount_heading = FLAT_COLUMNS[COLUMN_INDEX["eligible_amount"]].label
    for key, line in stored.items():
        if key in in_file:
            continue
        diff.deletes.append(line)
        description = describe(line)
        diff.rows.append(
            RowChange(
                Action.DELETE,
                description,
                changes=[FieldChange(amount_heading, format_eur(line.eligible_amount), "")],
            )
        )
        if not application.is_budget_open(line.phase):
            prefix = say(LINE_NOT_IN_FILE, {"line": description}) + " "
            diff.closed.append(_closed_problem(application, table, line, None, None, prefix))


def _parse(application: BudgetedApplication, file: Upload, filename: str | None, by: Any) -> Parsed:
    """Check and read the file and work out what it changes; writes nothing. A file that
    cannot be read at all raises ``ImportRefused``; row problems are in ``problems``."""
    data, table = _read(file, filename)
    plan = budget_plan(application)
    resource, problems = _parse_rows(table, _context(application, plan, table, by))
    stored = {line_key(line): line for line in plan.lines}
    diff = _diff_rows(application, table, stored, resource.parsed)
    if not problems:  # with rows missing, the lines left out are not known
        in_file = {line_key(line) for _number, line, _new in resource.parsed}
        _diff_left_out(application, table, stored, in_file, diff)
    read_only = read_only_problems(application, table, resource.parsed, plan.terms_of)
    return Parsed(
        digest=hashlib.sha256(data).hexdigest(),
        table=table,
        rows=diff.rows,
        writes=diff.writes,
        deletes=diff.deletes,
        problems=[*problems, *read_only, *diff.closed],
        lines=[(number, line) for number, line, _new in resource.parsed],
        plan=plan,
    )


def _rows_of(violation: Violation, parsed: Parsed) -> list[int]:
    """The file's rows a broken rule concerns, as far as its scope tells; the rows this
    import changes first (they broke it)."""
    scope = violation.scope
    lines = parsed.lines
    changed = {row.row for row in parsed.rows if row.action in {Action.CREATE, Action.CHANGE}}

    def where(test: Any) -> list[int]:
        found = [number for number, line in lines if test(line)]
        return sorted(found, key=lambda number: (number not in changed, number))

    if scope.isdigit():
        return where(lambda line: line.year == int(scope))
    kind, _sep, rest = scope.partition(":")
    if kind == "project" and rest.isdigit():
        return where(lambda line: line.rd_project_id == int(rest))
    if kind == "organisation":
        organisation, _sep, code = rest.partition(":")
        if organisation.isdigit():
            return where(
                lambda line: (
                    line.grantee_id == int(organisation)
                    and (not code or line.position.code == code)
                )
            )
    if scope in {str(Phase.CONCEPT), str(Phase.IMPLEMENTATION)}:
        return where(lambda line: line.phase == scope)
    return where(lambda line: True)


def _violation_problems(violations: Sequence[Violation], parsed: Parsed) -> list[Problem]:
    found = []
    for violation in violations:
        rows = _rows_of(violation, parsed)
        located = parsed.table.locate(
            "eligible_amount" if rows else None,
            rows[0] if rows else None,
            Code.BUDGET_RULE,
            violation.message,
        )
        found.append(
            Problem(
                code=str(violation.rule),
                message=located.message,
                sheet=located.sheet,
                row=located.row,
                column=located.column,
                heading=located.heading,
                rows=tuple(rows),
            )
        )
    return found


def _validation_problems(error: ValidationError, parsed: Parsed) -> list[Problem]:
    return [parsed.table.locate(None, None, Code.INVALID, message) for message in error.messages]


def _write(application: BudgetedApplication, parsed: Parsed, by: Any) -> None:
    """The one write: every created, changed and deleted line in one call."""
    try:
        budget_lines_write(
            application=application, writes=parsed.writes, deletes=parsed.deletes, by=by
        )
    except BudgetRuleError as error:
        raise ImportRefused(_violation_problems(error.violations, parsed)) from error
    except ValidationError as error:
        raise ImportRefused(_validation_problems(error, parsed)) from error


def _checked(parsed: Parsed) -> tuple[list[Problem], BudgetSummary]:
    """The budget rules the import would break, from the check its write makes first
    (``check_plan``; a file that changes nothing breaks none), and every figure of the budget
    as the import would leave it."""
    check = check_plan(parsed.plan, writes=parsed.writes, deletes=parsed.deletes)
    if not parsed.writes and not parsed.deletes:
        return [], check.summary
    return _violation_problems(check.violations, parsed), check.summary


def budget_fingerprint(application: BudgetedApplication) -> str:
    """A digest of the application's lines and grantee terms: a confirmation must find them
    as the preview saw them."""
    lines = BudgetLine.objects.filter(application_id=application.pk).order_by("pk")
    terms = GranteeTerms.objects.filter(application_id=application.pk).order_by("pk")
    state = (
        list(
            lines.values_list(
                "pk",
                "phase",
                "rd_project_id",
                "grantee_id",
                "year",
                "position_id",
                "eligible_amount",
                "justification",
            )
        ),
        list(terms.values_list("organisation_id", "basis", "funding_rate", "has_projektpauschale")),
    )
    return hashlib.sha256(repr(state).encode()).hexdigest()


def _token(application: BudgetedApplication, parsed: Parsed, by: Any) -> str:
    return signing.dumps(
        {"a": application.pk, "f": parsed.digest, "b": budget_fingerprint(application), "u": by.pk},
        salt=TOKEN_SALT,
    )


def budget_import_preview(
    *, application: BudgetedApplication, file: Upload, by: Any, filename: str | None = None
) -> Preview:
    """What importing ``file`` into ``application``'s budget would do (each row, and the
    budget's figures after it), and every reason it cannot; writes nothing. ``filename`` (or
    ``file.name``) must end in .xlsx."""
    _ensure_may_write(application, by)
    with collector_paused():
        try:
            parsed = _parse(application, file, filename, by)
        except ImportRefused as refused:
            return Preview(problems=refused.problems)
        if parsed.problems:
            return Preview(rows=parsed.rows, problems=list(parsed.problems))
        problems, summary = _checked(parsed)
    if problems:
        return Preview(rows=parsed.rows, problems=problems)
    token = _token(application, parsed, by)
    return Preview(rows=parsed.rows, problems=problems, token=token, summary=summary)


def budget_import_confirm(
    *,
    application: BudgetedApplication,
    file: Upload,
    token: str,
    by: Any,
    filename: str | None = None,
) -> ImportResult:
    """Import ``file`` as previewed with ``token``: all rows or none. Refused (``ImportRefused``,
    nothing written) when the file has problems, is not the previewed file, the budget changed
    since the preview, or the result breaks a budget rule."""
    _ensure_may_write(application, by)
    with collector_paused():
        parsed = _parse(application, file, filename, by)
        _confirm(application, parsed, token, by)
    return ImportResult(
        created=sum(1 for row in parsed.rows if row.action == Action.CREATE),
        changed=sum(1 for row in parsed.rows if row.action == Action.CHANGE),
        deleted=sum(1 for row in parsed.rows if row.action == Action.DELETE),
        unchanged=sum(1 for row in parsed.rows if row.action == Action.UNCHANGED),
        rows=parsed.rows,
    )


def _previewed(
    application: BudgetedApplication, parsed: Parsed, token: str, by: Any
) -> dict[str, Any] | None:
    """What the preview's token signed, if it is this user's preview of this very file."""
    max_age = getattr(settings, "BUDGET_IMPORT_TOKEN_MAX_AGE", 3600)
    try:
        payload: dict[str, Any] = signing.loads(token, salt=TOKEN_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    previewed = (payload.get("a"), payload.get("f"), payload.get("u"))
    return payload if previewed == (application.pk, parsed.digest, by.pk) else None


def _confirm(application: BudgetedApplication, parsed: Parsed, token: str, by: Any) -> None:
    """Write the parsed file if it is the one previewed with ``token`` and the budget is as the
    preview found it."""
    payload = _previewed(application, parsed, token, by)
    # A change since the preview comes before the file's problems: they may stem from it (a
    # read-only "last change" cell no longer matching the line it shows).
    if payload is not None and budget_fingerprint(application) != payload["b"]:
        raise ImportRefused([problem(Code.CHANGED_MEANWHILE, CHANGED_MEANWHILE)])
    if parsed.problems:
        raise ImportRefused(parsed.problems)
    if payload is None:
        raise ImportRefused([problem(Code.TOKEN_INVALID, TOKEN_INVALID)])
    with transaction.atomic():
        locked = lock_application(application)
        if budget_fingerprint(locked) != payload["b"]:
            raise ImportRefused([problem(Code.CHANGED_MEANWHILE, CHANGED_MEANWHILE)])
        if parsed.writes or parsed.deletes:
            _write(locked, parsed, by)
