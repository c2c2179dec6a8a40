"""Officers import organisations and clusters from a workbook (django-import-export).

These rows map one to one onto model rows and no rule spans them, so import-export writes
them itself, made safe: every instance passes the model's ``full_clean()``
(``clean_model_instances``), the import runs in one transaction, and that transaction is
rolled back if any row is invalid or fails (``rollback_on_validation_errors``): all rows or
none. The preview (and the confirmation, before it writes) reads and checks every row the same
way with a resource that saves nothing. The same upload checks as for budgets apply first
(size, macros, zip and XML bombs).
"""

import hashlib
from collections.abc import Sequence
from copy import deepcopy
from typing import Any

import tablib
from django.core import signing
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _
from import_export import resources
from import_export.fields import Field
from import_export.widgets import CharWidget, ForeignKeyWidget

from kernel.history import name_author
from programmes.models import Cluster, LegalForm, Organisation, SizeClass

from .. import access
from ..workbooks.layout import in_every_language
from .problems import (
    ONLY_OFFICERS,
    TOKEN_INVALID,
    UNKNOWN_CHOICE,
    UNKNOWN_ORGANISATION,
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
from .sheet import Table, read_table
from .upload import Limits, Upload, check_package, open_workbook, read_upload

TOKEN_SALT = "budgets.imports.directory"


class ChoiceWidget(CharWidget):
    """A choice by its code or its label in either language."""

    def __init__(self, choices: type[models.TextChoices], *, blank: bool = False) -> None:
        super().__init__()
        self.choices = choices
        self.blank = blank

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        text = "" if value is None else str(value).strip()
        if not text and self.blank:
            return ""
        for choice in self.choices:
            words = {
                str(choice.value).casefold(),
                *(w.casefold() for w in in_every_language(choice.label)),
            }
            if text.casefold() in words:
                return str(choice.value)
        labels = ", ".join(str(label) for label in self.choices.labels)
        raise ValueError(say(UNKNOWN_CHOICE, {"value": text, "choices": labels}))


class CountryWidget(CharWidget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        return ("" if value is None else str(value)).strip().upper() or "DE"


class TextWidget(CharWidget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value).strip()


class ManagementWidget(ForeignKeyWidget):
    """The management organisation by name, among German organisations."""

    def __init__(self) -> None:
        super().__init__(Organisation, field="name")

    def get_queryset(self, value: Any, row: Any, *args: Any, **kwargs: Any) -> Any:
        return Organisation.objects.filter(country="DE")

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Organisation | None:
        try:
            found: Organisation | None = super().clean(
                str(value).strip() if value is not None else value, row, **kwargs
            )
        except Organisation.DoesNotExist as missing:
            raise ValueError(say(UNKNOWN_ORGANISATION, {"value": value})) from missing
        return found


class DirectoryResource(resources.ModelResource):
    """A resource that saves only when told to (``write``). Otherwise it reads and checks every
    row as the import would and keeps the objects in memory: a row finds an earlier row's
    object with its key as it would find the saved row."""

    def __init__(self, *, write: bool, by: Any = None) -> None:
        super().__init__()
        self.write = write
        self.by = by  # the author of the history rows the writes leave
        self.unsaved: dict[tuple[Any, ...], models.Model] = {}

    def get_instance(self, instance_loader: Any, row: Any) -> models.Model | None:
        if not self.write:
            key = tuple(self.fields[name].clean(row) for name in self.get_import_id_fields())
            if key in self.unsaved:
                return deepcopy(self.unsaved[key])  # a copy, as a read from the database
        found: models.Model | None = super().get_instance(instance_loader, row)
        return found

    def do_instance_save(self, instance: models.Model, is_create: bool) -> None:
        if self.write:
            super().do_instance_save(instance, is_create)
            return
        names = self.get_import_id_fields()
        key = tuple(getattr(instance, self.fields[name].attribute) for name in names)
        self.unsaved[key] = deepcopy(instance)

    def after_import(self, dataset: Any, result: Any, **kwargs: Any) -> None:
        if self.write:  # resets the id sequences after new rows; nothing to reset otherwise
            super().after_import(dataset, result, **kwargs)


class OrganisationResource(DirectoryResource):
    name = Field(attribute="name", column_name="name", widget=TextWidget())
    legal_form = Field(
        attribute="legal_form", column_name="legal_form", widget=ChoiceWidget(LegalForm)
    )
    size_class = Field(
        attribute="size_class", column_name="size_class", widget=ChoiceWidget(SizeClass, blank=True)
    )
    country = Field(attribute="country", column_name="country", widget=CountryWidget())
    city = Field(attribute="city", column_name="city", widget=TextWidget())

    class Meta:
        model = Organisation
        fields = ("name", "legal_form", "size_class", "country", "city")
        import_id_fields = ("name", "country")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        skip_html_diff = True
        use_transactions = True

    def before_save_instance(self, instance: Organisation, row: Any, **kwargs: Any) -> None:
        # The importing officer is the author of the organisation's history row.
        name_author(instance, by=self.by)


class ClusterResource(DirectoryResource):
    name = Field(attribute="name", column_name="name", widget=TextWidget())
    sector = Field(attribute="sector", column_name="sector", widget=TextWidget())
    location = Field(attribute="location", column_name="location", widget=TextWidget())
    management_organisation = Field(
        attribute="management_organisation",
        column_name="management_organisation",
        widget=ManagementWidget(),
    )

    class Meta:
        model = Cluster
        fields = ("name", "sector", "location", "management_organisation")
        import_id_fields = ("name",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        skip_html_diff = True
        use_transactions = True


def _headings(
    model: type[models.Model], keys: Sequence[str]
) -> tuple[dict[str, str], dict[str, str]]:
    """Accepted headings (the field's name in either language, or its key) → key; and the
    heading to name a missing column by."""
    accepted: dict[str, str] = {}
    expected: dict[str, str] = {}
    for key in keys:
        label = getattr(model._meta.get_field(key), "verbose_name", key)
        accepted[key.casefold()] = key
        for word in in_every_language(label):
            accepted[word.strip().casefold()] = key
        expected[key] = str(label)
    return accepted, expected


def _read(
    file: Upload, filename: str | None, resource_class: type[DirectoryResource]
) -> tuple[bytes, Table]:
    limits = Limits.from_settings()
    data = read_upload(file, limits)
    check_package(data, limits, filename=filename or getattr(file, "name", None))
    model = resource_class._meta.model
    keys = list(resource_class.fields)
    accepted, expected = _headings(model, keys)
    workbook = open_workbook(data)
    try:
        table = read_table(
            workbook,
            sheet_names=in_every_language(model._meta.verbose_name_plural),
            heading_keys=accepted,
            required=[key for key in keys if key not in {"city", "size_class"}],
            expected_headings=expected,
            content_keys=keys,
            max_rows=limits.max_rows,
        )
    finally:
        workbook.close()
    return data, table


def _import(resource: DirectoryResource, table: Table) -> tuple[list[RowChange], list[Problem]]:
    """Every row with what it does, and every problem; the rows are written only by a resource
    that writes (then in one transaction, rolled back if any row has a problem)."""
    headers = [key for key in resource.fields if key in table.columns]
    dataset = tablib.Dataset(headers=headers)
    numbers = []
    for number, row in table.rows:
        dataset.append([row.get(key) for key in headers])
        numbers.append(number)
    result = resource.import_data(
        dataset,
        use_transactions=resource.write,
        rollback_on_validation_errors=True,
        retain_instance_in_row_result=True,
    )
    problems: list[Problem] = []
    for invalid in result.invalid_rows:
        for key, messages in invalid.error_dict.items():
            column = None if key == NON_FIELD_ERRORS else key
            for message in messages:
                problems.append(
                    table.locate(column, numbers[invalid.number - 1], Code.INVALID, message)
                )
    for error_row in result.error_rows:
        for error in error_row.errors:
            problems.append(table.unreadable(numbers[error_row.number - 1], error.error))
    for error in result.base_errors:
        problems.append(table.unreadable(None, error.error))
    rows = [
        _row_change(resource, table, number, row_result)
        for number, row_result in zip(numbers, result.rows, strict=False)
        if row_result.import_type not in {"error", "invalid"}
    ]
    return rows, problems


def _row_change(
    resource: resources.ModelResource, table: Table, number: int, row_result: Any
) -> RowChange:
    actions = {"new": Action.CREATE, "update": Action.CHANGE, "skip": Action.UNCHANGED}
    action = actions.get(row_result.import_type, Action.UNCHANGED)
    instance = row_result.instance
    changes: list[FieldChange] = []
    if action == Action.CREATE and instance is not None:
        changes = [
            FieldChange(table.headings.get(key, key), "", field.export(instance))
            for key, field in resource.fields.items()
        ]
    return RowChange(
        action, str(instance) if instance is not None else "", table.sheet, number, changes
    )


def _ensure_officer(by: Any) -> None:
    if not access.can_import_directory(by):
        raise PermissionDenied(_(ONLY_OFFICERS))


def _preview(
    resource_class: type[DirectoryResource], file: Upload, by: Any, filename: str | None
) -> Preview:
    _ensure_officer(by)
    try:
        data, table = _read(file, filename, resource_class)
    except ImportRefused as refused:
        return Preview(problems=refused.problems)
    rows, problems = _import(resource_class(write=False), table)
    token = "" if problems else signing.dumps({"f": _digest(data), "u": by.pk}, salt=TOKEN_SALT)
    return Preview(rows=rows, problems=problems, token=token)


def _confirm(
    resource_class: type[DirectoryResource],
    file: Upload,
    token: str,
    by: Any,
    filename: str | None,
) -> ImportResult:
    """Import the file previewed with ``token``; refused (nothing written) if it has problems,
    which are checked as in the preview before anything is written."""
    _ensure_officer(by)
    data, table = _read(file, filename, resource_class)
    _rows, problems = _import(resource_class(write=False), table)
    if problems:
        raise ImportRefused(problems)
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=3600)
    except signing.BadSignature as error:
        raise ImportRefused([problem(Code.TOKEN_INVALID, TOKEN_INVALID)]) from error
    if payload != {"f": _digest(data), "u": by.pk}:
        raise ImportRefused([problem(Code.TOKEN_INVALID, TOKEN_INVALID)])
    with transaction.atomic():
        rows, problems = _import(resource_class(write=True, by=by), table)
        if problems:  # the data changed since the check: leaving by the error rolls back
            raise ImportRefused(problems)
    return ImportResult(
        created=sum(1 for row in rows if row.action == Action.CREATE),
        changed=sum(1 for row in rows if row.action == Action.CHANGE),
        deleted=0,
        unchanged=sum(1 for row in rows if row.action == Action.UNCHANGED),
        rows=rows,
    )


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def organisations_import_preview(*, file: Upload, by: Any, filename: str | None = None) -> Preview:
    """What importing organisations from ``file`` would do (officers only); writes nothing."""
    return _preview(OrganisationResource, file, by, filename)


def organisations_import_confirm(
    *, file: Upload, token: str, by: Any, filename: str | None = None
) -> ImportResult:
    """Import the previewed organisations: all rows or none."""
    return _confirm(OrganisationResource, file, token, by, filename)


def clusters_import_preview(*, file: Upload, by: Any, filename: str | None = None) -> Preview:
    """What importing clusters from ``file`` would do (officers only); writes nothing. Their
    management organisations must exist (import organisations first)."""
    return _preview(ClusterResource, file, by, filename)


def clusters_import_confirm(
    *, file: Upload, token: str, by: Any, filename: str | None = None
) -> ImportResult:
    """Import the previewed clusters: all rows or none."""
    return _confirm(ClusterResource, file, token, by, filename)
