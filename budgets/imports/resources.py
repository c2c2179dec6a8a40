"""django-import-export resources: how a row of an uploaded sheet becomes a model instance.

The budget-line resource is used for parsing and diffing only: its widgets read each cell
(numbers in the user's locale, amounts to the cent, positions by basis and code, grantees by
name and country), its instance loader finds the line a row describes, and every problem is
reported per cell. It never writes: ``save_instance`` only collects the parsed lines, and the
import service writes them through ``budgets.services.budget_lines_write`` in one call.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import translation
from import_export import resources
from import_export.fields import Field
from import_export.instance_loaders import BaseInstanceLoader
from import_export.widgets import Widget

from kernel.money import AmountError, Notation
from kernel.money import parse_amount as kernel_parse_amount
from programmes.models import Organisation

from ..models import BudgetLine, BudgetPosition, GranteeTerms, Phase, RDProject
from ..protocols import BudgetedApplication
from .problems import (
    AMBIGUOUS_GRANTEE,
    BASIS_MISMATCH,
    DUPLICATE_LINE,
    NOT_A_NUMBER,
    NOT_A_YEAR,
    NOT_AN_APPLICATION_NUMBER,
    OTHER_APPLICATION,
    OTHER_CLUSTER,
    PROJECT_IN_CONCEPT_PHASE,
    PROJECT_REQUIRED,
    REQUIRED,
    TEXT_TOO_LONG,
    UNKNOWN_APPLICATION,
    UNKNOWN_BASIS,
    UNKNOWN_GRANTEE,
    UNKNOWN_PHASE,
    UNKNOWN_POSITION,
    UNKNOWN_PROJECT,
    Code,
    say,
)

MAX_JUSTIFICATION = BudgetLine._meta.get_field("justification").max_length or 500
LineKey = tuple[str, int | None, int, int, int]


class CellError(ValueError):
    """A cell that cannot be read. ``column`` names the column when it is not the field's own
    (the basis of a position, the country of a grantee)."""

    def __init__(self, code: Code, message: str, *, column: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.column = column


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _shown(value: Any) -> str:
    return str(value).strip()


# What the amount parser's refusals are called among the import's problems.
AMOUNT_PROBLEMS = {
    "invalid": Code.NOT_A_NUMBER,
    "wrong_notation": Code.NOT_A_NUMBER,
    "too_many_decimals": Code.TOO_MANY_DECIMALS,
    "negative": Code.NEGATIVE_AMOUNT,
    "too_large": Code.AMOUNT_TOO_LARGE,
}


def parse_amount(value: Any) -> Decimal:
    """An amount in EUR: a number cell, or text in the user's notation ("1.234,56" in German,
    "1,234.56" in English), read by the one amount parser (``kernel.money.parse_amount``).
    A number cell holds a binary float; its shortest decimal form is what the user typed
    (amounts have at most 15 significant digits), read as the API's notation."""
    if isinstance(value, bool):
        raise CellError(Code.NOT_A_NUMBER, say(NOT_A_NUMBER, {"value": value}))
    if isinstance(value, int | float | Decimal):
        text, notation = _number_text(value), Notation.API
    else:
        text = "" if value is None else str(value)
        notation = Notation.of_language(translation.get_language())
    try:
        return kernel_parse_amount(text, notation=notation)
    except AmountError as error:
        if error.code == "required":
            raise CellError(Code.REQUIRED, say(REQUIRED)) from None
        raise CellError(AMOUNT_PROBLEMS[error.code], str(error)) from None


def _number_text(value: float | Decimal) -> str:
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        return str(value)  # refused as no amount
    return format(number, "f")


def parse_integer(value: Any, code: Code, message: str) -> int:
    """A whole number from a number cell or text; ``message`` when it is none."""
    if isinstance(value, bool):
        raise CellError(code, say(message, {"value": value}))
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    raise CellError(code, say(message, {"value": _shown(value)}))


@dataclass
class BudgetContext:
    """What the widgets look values up in, loaded once per import (a fixed number of queries,
    however many rows)."""

    application: BudgetedApplication
    phases: Mapping[str, Phase]
    projects: Mapping[str, RDProject]
    organisations: Mapping[str, list[Organisation]]  # casefolded name → organisations
    positions: Mapping[tuple[str, str], BudgetPosition]
    terms: Mapping[int, GranteeTerms]
    application_clusters: Mapping[int, int]  # application number → its cluster
    existing: Mapping[LineKey, BudgetLine]
    row_numbers: list[int] = field(default_factory=list)  # dataset row → sheet row


class ContextWidget(Widget):
    """A widget that reads from the import's ``BudgetContext`` (bound by the resource)."""

    context: BudgetContext

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value)


class ApplicationWidget(ContextWidget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        if _blank(value):
            raise CellError(Code.REQUIRED, say(REQUIRED))
        number = parse_integer(value, Code.NOT_AN_APPLICATION_NUMBER, NOT_AN_APPLICATION_NUMBER)
        application = self.context.application
        if number == application.pk:
            return application
        params: dict[str, object] = {"value": number, "expected": application.pk}
        cluster_id = self.context.application_clusters.get(number)
        if cluster_id is None:
            raise CellError(Code.UNKNOWN_APPLICATION, say(UNKNOWN_APPLICATION, params))
        if cluster_id != application.cluster_id:
            raise CellError(Code.OTHER_CLUSTER, say(OTHER_CLUSTER, params))
        raise CellError(Code.OTHER_APPLICATION, say(OTHER_APPLICATION, params))


class PhaseWidget(ContextWidget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Phase:
        if _blank(value):
            raise CellError(Code.REQUIRED, say(REQUIRED))
        phase = self.context.phases.get(_shown(value).casefold())
        if phase is None:
            choices = ", ".join(str(label) for label in Phase.labels)
            raise CellError(
                Code.UNKNOWN_PHASE, say(UNKNOWN_PHASE, {"value": _shown(value), "choices": choices})
            )
        return phase


class ProjectWidget(ContextWidget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> RDProject | None:
        if _blank(value):
            return None
        project = self.context.projects.get(_shown(value).casefold())
        if project is None:
            raise CellError(Code.UNKNOWN_PROJECT, say(UNKNOWN_PROJECT, {"value": _shown(value)}))
        return project


class GranteeWidget(ContextWidget):
    """An organisation by its name and the country column (either may be typed in any case);
    without a country, the name must be unambiguous."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Organisation:
        if _blank(value):
            raise CellError(Code.REQUIRED, say(REQUIRED))
        name = _shown(value)
        country = "" if row is None or _blank(row.get("country")) else _shown(row["country"])
        candidates = self.context.organisations.get(name.casefold(), [])
        if country:
            candidates = [o for o in candidates if o.country == country.upper()]
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            raise CellError(Code.AMBIGUOUS_GRANTEE, say(AMBIGUOUS_GRANTEE, {"value": name}))
        raise CellError(
            Code.UNKNOWN_GRANTEE, say(UNKNOWN_GRANTEE, {"value": name, "country": country or "–"})
        )


class YearWidget(ContextWidget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> int:
        if _blank(value):
            raise CellError(Code.REQUIRED, say(REQUIRED))
        year = parse_integer(value, Code.NOT_A_YEAR, NOT_A_YEAR)
        if not 1900 <= year <= 2200:
            raise CellError(Code.NOT_A_YEAR, say(NOT_A_YEAR, {"value": year}))
        return year


def position_code(value: Any) -> str:
    """``812``, ``812.0`` and ``"0812"`` are all position 0812 (spreadsheets drop the zero)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _shown(value)
    return text.zfill(4) if text.isdigit() else text


class PositionWidget(ContextWidget):
    """A budget position by the basis column and its code."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> BudgetPosition:
        if _blank(value):
            raise CellError(Code.REQUIRED, say(REQUIRED))
        basis_value = None if row is None else row.get("basis")
        if _blank(basis_value):
            raise CellError(Code.REQUIRED, say(REQUIRED), column="basis")
        basis = _shown(basis_value).upper()
        if basis not in {key[0] for key in self.context.positions}:
            raise CellError(
                Code.UNKNOWN_BASIS,
                say(UNKNOWN_BASIS, {"value": _shown(basis_value)}),
                column="basis",
            )
        code = position_code(value)
        found = self.context.positions.get((basis, code))
        if found is None:
            raise CellError(
                Code.UNKNOWN_POSITION, say(UNKNOWN_POSITION, {"code": code, "basis": basis})
            )
        return found


class AmountWidget(ContextWidget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Decimal:
        return parse_amount(value)


class JustificationWidget(ContextWidget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        if value is None:
            return ""
        text = value if isinstance(value, str) else _shown(value)
        if len(text) > MAX_JUSTIFICATION:
            raise CellError(
                Code.TEXT_TOO_LONG,
                say(TEXT_TOO_LONG, {"length": len(text), "limit": MAX_JUSTIFICATION}),
            )
        return text


KEY_FIELDS = ("phase", "rd_project", "grantee", "year", "position")


class LineLoader(BaseInstanceLoader):
    """The existing line a row describes, by its key; none when the key cells do not parse
    (``import_instance`` then reports each of them)."""

    def get_instance(self, row: Any) -> BudgetLine | None:
        resource: BudgetLineResource = self.resource
        try:
            key = resource.key_of(row)
        except ValueError:
            return None
        return resource.context.existing.get(key)


class BudgetLineResource(resources.Resource):
    """Rows of the flat layout (``budgets.workbooks.layout``) to budget lines of one
    application, cell by cell, without writing anything."""

    application = Field(
        attribute="application", column_name="application", widget=ApplicationWidget()
    )
    phase = Field(attribute="phase", column_name="phase", widget=PhaseWidget())
    rd_project = Field(attribute="rd_project", column_name="rd_project", widget=ProjectWidget())
    grantee = Field(attribute="grantee", column_name="grantee", widget=GranteeWidget())
    year = Field(attribute="year", column_name="year", widget=YearWidget())
    position = Field(attribute="position", column_name="position", widget=PositionWidget())
    eligible_amount = Field(
        attribute="eligible_amount", column_name="eligible_amount", widget=AmountWidget()
    )
    justification = Field(
        attribute="justification", column_name="justification", widget=JustificationWidget()
    )

    class Meta:
        model = BudgetLine
        import_id_fields = KEY_FIELDS
        instance_loader_class = LineLoader
        use_transactions = False
        skip_diff = True
        clean_model_instances = False  # the service's full_clean and rule checks decide

    def __init__(self, context: BudgetContext, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.context = context
        for resource_field in self.fields.values():
            resource_field.widget.context = context
        # (line key → sheet row) of the rows read so far, to refuse a line given twice
        self.seen: dict[LineKey, int] = {}
        # (sheet row, parsed line, whether it is new) of every valid row
        self.parsed: list[tuple[int, BudgetLine, bool]] = []
        self._row = 0

    def key_of(self, row: Any) -> LineKey:
        phase = self.fields["phase"].clean(row)
        project = self.fields["rd_project"].clean(row)
        grantee = self.fields["grantee"].clean(row)
        year = self.fields["year"].clean(row)
        position = self.fields["position"].clean(row)
        return (str(phase), project.pk if project else None, grantee.pk, year, position.pk)

    def init_instance(self, row: Any = None) -> BudgetLine:
        return BudgetLine(application_id=self.context.application.pk)

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        self._row = self.context.row_numbers[kwargs["row_number"] - 1]

    def import_instance(self, instance: BudgetLine, row: Any, **kwargs: Any) -> None:
        """Read every cell, collecting each cell's problem (not only the first)."""
        errors: dict[str, ValidationError] = {}
        for resource_field in self.get_import_fields():
            try:
                self.import_field(resource_field, instance, row, **kwargs)
            except CellError as error:
                column = error.column or resource_field.column_name
                errors.setdefault(column, ValidationError(error.message, code=str(error.code)))
        if errors:
            raise ValidationError(errors)

    def validate_instance(
        self,
        instance: BudgetLine,
        import_validation_errors: dict[str, Any] | None = None,
        validate_unique: bool = True,
    ) -> None:
        """The checks across cells of one row, and across rows (a line given twice)."""
        errors = dict(import_validation_errors or {})
        if not {"phase", "rd_project"} & errors.keys():
            if instance.phase == Phase.CONCEPT and instance.rd_project is not None:
                errors["rd_project"] = ValidationError(
                    say(PROJECT_IN_CONCEPT_PHASE), code=str(Code.PROJECT_IN_CONCEPT_PHASE)
                )
            elif instance.phase == Phase.IMPLEMENTATION and instance.rd_project is None:
                errors["rd_project"] = ValidationError(
                    say(PROJECT_REQUIRED), code=str(Code.PROJECT_REQUIRED)
                )
        if not {"grantee", "position", "basis"} & errors.keys():
            terms = self.context.terms.get(instance.grantee_id)
            if terms is not None and terms.basis != instance.position.basis:
                errors["position"] = ValidationError(
                    say(
                        BASIS_MISMATCH,
                        {
                            "code": instance.position.code,
                            "basis": instance.position.basis,
                            "grantee": instance.grantee.name,
                            "grantee_basis": terms.basis,
                        },
                    ),
                    code=str(Code.BASIS_MISMATCH),
                )
        if not errors:
            key = line_key(instance)
            first = self.seen.setdefault(key, self._row)
            if first != self._row:
                errors[NON_FIELD_ERRORS] = ValidationError(
                    say(DUPLICATE_LINE, {"row": first}), code=str(Code.DUPLICATE_LINE)
                )
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance: BudgetLine, is_create: bool, row: Any, **kwargs: Any) -> None:
        self.parsed.append((self._row, instance, is_create))

    def delete_instance(self, instance: BudgetLine, row: Any, **kwargs: Any) -> None:
        raise NotImplementedError("lines are deleted by leaving them out of the file")


def line_key(line: BudgetLine) -> LineKey:
    return (str(line.phase), line.rd_project_id, line.grantee_id, line.year, line.position_id)
