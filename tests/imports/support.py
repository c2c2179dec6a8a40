"""Files to import: the real template, edited the way users (or attackers) edit it."""

import zipfile
from collections.abc import Callable
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.db.models import Sum
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from budgets.models import BudgetLine, GranteeTerms, RDProject
from budgets.workbooks import budget_template_data, write_budget_template
from budgets.workbooks.layout import FLAT_COLUMNS
from programmes.models import Cluster, Organisation

KEYS = [column.key for column in FLAT_COLUMNS]


def letter(key: str) -> str:
    return get_column_letter(KEYS.index(key) + 1)


def template_bytes(application: Any, by: Any) -> bytes:
    buffer = BytesIO()
    write_budget_template(budget_template_data(application, by=by), buffer)
    return buffer.getvalue()


def edited(data: bytes, edit: Callable[[Any], None]) -> bytes:
    """The workbook with ``edit`` applied to its first (data) sheet, saved again."""
    workbook = load_workbook(BytesIO(data))
    edit(workbook.worksheets[0])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def set_cell(key: str, row: int, value: Any) -> Callable[[Any], None]:
    def edit(ws: Any) -> None:
        ws[f"{letter(key)}{row}"].value = value

    return edit


def rezipped(
    data: bytes, *, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None
) -> bytes:
    """The same zip with some members replaced or added."""
    replace = replace or {}
    buffer = BytesIO()
    with (
        zipfile.ZipFile(BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            target.writestr(member.filename, replace.get(member.filename, source.read(member)))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return buffer.getvalue()


def with_zeros(data: bytes, name: str, megabytes: int) -> bytes:
    """The zip with a member of ``megabytes`` MB of zeros (it compresses about 1000:1)."""
    buffer = BytesIO(data)
    with (
        zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open(name, "w") as stream,
    ):
        chunk = bytes(1 << 20)
        for _ in range(megabytes):
            stream.write(chunk)
    return buffer.getvalue()


def database_state() -> dict[str, Any]:
    """Counts and sums that any write would change."""
    return {
        "lines": BudgetLine.objects.count(),
        "eligible": BudgetLine.objects.aggregate(total=Sum("eligible_amount"))["total"]
        or Decimal(0),
        "line_keys": sorted(
            BudgetLine.objects.values_list(
                "application_id",
                "phase",
                "rd_project_id",
                "grantee_id",
                "year",
                "position_id",
                "eligible_amount",
                "justification",
            )
        ),
        "history": BudgetLine.history.count(),
        "terms": GranteeTerms.objects.count(),
        "projects": RDProject.objects.count(),
        "organisations": Organisation.objects.count(),
        "clusters": Cluster.objects.count(),
    }
