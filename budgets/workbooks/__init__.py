"""Excel workbooks built from the budget summary (the one source of truth), and the import
template. Builders are pure functions of their data; the ``*_workbook`` and ``export_*``
functions fetch that data for a user and return or stream the file. Pages, API and the
``export_budget`` command call these; none of them builds a workbook on its own. The round
workbook reads the applications and the competition too, so it lives above them, in ``reports``."""

from .application import (
    ApplicationWorkbookData,
    application_workbook,
    application_workbook_filename,
    build_application_workbook,
)
from .built import BuiltWorkbook, Provenance
from .flat import (
    FlatExportInfo,
    FlatExportResult,
    export_budget_lines,
    export_budget_lines_filename,
    write_budget_lines,
)
from .template import (
    TemplateData,
    budget_template_data,
    budget_template_filename,
    write_budget_template,
)

__all__ = [
    "ApplicationWorkbookData",
    "BuiltWorkbook",
    "FlatExportInfo",
    "FlatExportResult",
    "Provenance",
    "TemplateData",
    "application_workbook",
    "application_workbook_filename",
    "budget_template_data",
    "budget_template_filename",
    "build_application_workbook",
    "export_budget_lines",
    "export_budget_lines_filename",
    "write_budget_lines",
    "write_budget_template",
]
