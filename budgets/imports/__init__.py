"""Imports from Excel: an application's budget from the template (preview, then confirm: all
rows or none), and organisations and clusters for officers. Every upload is checked before it
is opened (size, macros, zip and XML bombs, row limit)."""

from .directory import (
    clusters_import_confirm,
    clusters_import_preview,
    organisations_import_confirm,
    organisations_import_preview,
)
from .problems import (
    Action,
    Code,
    ImportRefused,
    ImportResult,
    Preview,
    Problem,
    RowChange,
    refusal_status,
)
from .services import budget_import_confirm, budget_import_preview

__all__ = [
    "Action",
    "Code",
    "ImportRefused",
    "ImportResult",
    "Preview",
    "Problem",
    "RowChange",
    "budget_import_confirm",
    "budget_import_preview",
    "clusters_import_confirm",
    "clusters_import_preview",
    "organisations_import_confirm",
    "organisations_import_preview",
    "refusal_status",
]
