"""Budget rule violations: structured (rule, scope, limit, actual, excess) and worded in the
user's language and number format when shown."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kernel.money import format_eur, format_percent


class Rule(models.TextChoices):
    CONCEPT_ANNUAL_CAP = "concept_annual_cap", _("concept-phase cap per year")
    CONCEPT_MAX_YEARS = "concept_max_years", _("concept-phase maximum years")
    CONCEPT_YEARS_CONSECUTIVE = "concept_years_consecutive", _("consecutive concept-phase years")
    CONCEPT_GRANTEE = "concept_grantee", _("concept-phase grantee")
    YEAR_OUTSIDE_PHASE = "year_outside_phase", _("year inside the phase")
    YEAR_OUTSIDE_PROJECT = "year_outside_project", _("year inside the R&D project")
    IMPLEMENTATION_MAX_PROJECTS = "implementation_max_projects", _("maximum R&D projects")
    IMPLEMENTATION_CAP = "implementation_cap", _("implementation-phase cap")
    CLUSTER_CAP = "cluster_cap", _("cap per cluster")
    PARTNER_ABROAD_FUNDED = "partner_abroad_funded", _("partners abroad are not funded")
    POSITION_BASIS = "position_basis", _("budget position of the grantee's basis")
    GRANTEE_NOT_PROJECT_PARTNER = "grantee_not_project_partner", _("grantee is a project partner")
    FUNDING_RATE_ABOVE_MAXIMUM = "funding_rate_above_maximum", _("maximum funding rate")
    PROJEKTPAUSCHALE_NOT_APPLICABLE = (
        "projektpauschale_not_applicable",
        _("Projektpauschale for universities (AZA) only"),
    )
    PROJECT_OUTSIDE_PHASE = "project_outside_phase", _("R&D project inside the phase")
    PHASE_TOO_LONG = "phase_too_long", _("maximum phase duration")
    BUDGET_EMPTY = "budget_empty", _("budget not empty")
    NO_RD_PROJECTS = "no_rd_projects", _("at least one R&D project")
    PROJECT_WITHOUT_FUNDED_GERMAN_PARTNER = (
        "project_without_funded_german_partner",
        _("a funded German partner per R&D project"),
    )
    PROJECT_WITHOUT_PARTNER_ABROAD = (
        "project_without_partner_abroad",
        _("a partner abroad per R&D project"),
    )
    BUDGET_CLOSED = "budget_closed", _("budget open for changes")
    PARTNER_HAS_BUDGET = "partner_has_budget", _("partner without budget lines")


def _messages() -> dict[str, str]:
    # Translated on each call, so the words follow the language active at that moment.
    return {
        Rule.CONCEPT_ANNUAL_CAP: gettext(
            "The concept-phase funding for %(scope)s is %(actual)s, "
            "%(excess)s over the %(limit)s cap."
        ),
        Rule.CONCEPT_MAX_YEARS: gettext(
            "The concept phase is budgeted over %(actual)s years (%(years)s); "
            "at most %(limit)s are allowed."
        ),
        Rule.CONCEPT_YEARS_CONSECUTIVE: gettext(
            "The concept-phase years %(years)s are not consecutive."
        ),
        Rule.CONCEPT_GRANTEE: gettext(
            "In the concept phase only the cluster management organisation (%(expected)s) "
            "is funded, not %(grantee)s."
        ),
        Rule.YEAR_OUTSIDE_PHASE: gettext(
            "%(scope)s lies outside the %(phase)s (%(start)s to %(end)s)."
        ),
        Rule.YEAR_OUTSIDE_PROJECT: gettext(
            "%(year)s lies outside the R&D project “%(project)s” (%(start)s to %(end)s)."
        ),
        Rule.IMPLEMENTATION_MAX_PROJECTS: gettext(
            "The application has %(actual)s R&D projects, %(excess)s more than the %(limit)s "
            "allowed."
        ),
        Rule.IMPLEMENTATION_CAP: gettext(
            "The implementation-phase funding is %(actual)s, %(excess)s over the %(limit)s cap."
        ),
        Rule.CLUSTER_CAP: gettext(
            "The funding for both phases is %(actual)s, %(excess)s over the %(limit)s cap "
            "per cluster."
        ),
        Rule.PARTNER_ABROAD_FUNDED: gettext(
            "%(grantee)s is a partner abroad (%(country)s); partners abroad take part "
            "without a grant."
        ),
        Rule.POSITION_BASIS: gettext(
            "Position %(code)s belongs to the %(position_basis)s basis, but %(grantee)s is "
            "funded on the %(basis)s basis."
        ),
        Rule.GRANTEE_NOT_PROJECT_PARTNER: gettext(
            "%(grantee)s is not a partner of the R&D project “%(project)s”."
        ),
        Rule.FUNDING_RATE_ABOVE_MAXIMUM: gettext(
            "A funding rate of %(actual)s for %(grantee)s is %(excess)s above the programme's "
            "maximum of %(limit)s."
        ),
        Rule.PROJEKTPAUSCHALE_NOT_APPLICABLE: gettext(
            "The Projektpauschale applies only to universities on the expenditure basis (AZA), "
            "not to %(grantee)s."
        ),
        Rule.PROJECT_OUTSIDE_PHASE: gettext(
            "The R&D project “%(project)s” (%(start)s to %(end)s) lies outside the "
            "implementation phase (%(phase_start)s to %(phase_end)s)."
        ),
        Rule.PHASE_TOO_LONG: gettext(
            "The %(phase)s (%(start)s to %(end)s) is longer than the %(limit)s years allowed."
        ),
        Rule.BUDGET_EMPTY: gettext("The %(phase)s budget has no amounts yet."),
        Rule.NO_RD_PROJECTS: gettext("The implementation phase needs at least one R&D project."),
        Rule.PROJECT_WITHOUT_FUNDED_GERMAN_PARTNER: gettext(
            "The R&D project “%(project)s” has no German partner with a grant."
        ),
        Rule.PROJECT_WITHOUT_PARTNER_ABROAD: gettext(
            "The R&D project “%(project)s” has no partner abroad."
        ),
        Rule.BUDGET_CLOSED: gettext(
            "The %(phase)s budget cannot be changed while the application is %(state)s."
        ),
        Rule.PARTNER_HAS_BUDGET: gettext(
            "%(grantee)s still has budget lines in the R&D project “%(project)s”; "
            "delete them first."
        ),
    }


class Unit(models.TextChoices):
    EUR = "EUR"
    COUNT = "count"
    PERCENT = "percent"
    YEARS = "years"


Number = Decimal | int


@dataclass(frozen=True)
class Violation:
    """One broken rule. ``scope`` names where (a year, a project, the application)."""

    rule: Rule
    scope: str
    limit: Number | None = None
    actual: Number | None = None
    unit: Unit | None = None
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def excess(self) -> Number | None:
        if self.limit is None or self.actual is None:
            return None
        return self.actual - self.limit

    def _format(self, value: Number) -> str:
        if self.unit == Unit.EUR:
            return format_eur(Decimal(value))
        if self.unit == Unit.PERCENT:
            return format_percent(Decimal(value))
        return str(value)

    @property
    def message(self) -> str:
        values: dict[str, Any] = {"scope": self.scope, **self.params}
        for name in ("limit", "actual", "excess"):
            value = getattr(self, name)
            if value is not None:
                values[name] = self._format(value)
        return _messages()[self.rule] % {k: str(v) for k, v in values.items()}

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape: money and rates as strings with two decimals, never floats."""

        def plain(value: Number | None) -> str | int | None:
            if value is None or isinstance(value, int):
                return value
            return f"{value:.2f}"

        return {
            "rule": str(self.rule),
            "scope": self.scope,
            "limit": plain(self.limit),
            "actual": plain(self.actual),
            "excess": plain(self.excess),
            "unit": str(self.unit) if self.unit else None,
            "message": self.message,
        }


class BudgetRuleError(ValidationError):
    """A write refused because its result would break budget rules; nothing was written."""

    def __init__(self, violations: Sequence[Violation]) -> None:
        self.violations = list(violations)
        super().__init__([ValidationError(v.message, code=str(v.rule)) for v in self.violations])
