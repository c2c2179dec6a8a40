"""The application as the budget engine sees it. The engine sits below the workflow and never
imports it: the application's foreign keys name it by string, and code that reads one is typed
against this Protocol, which ``applications.models.Application`` satisfies (checked by mypy
where the workflow calls the engine)."""

from datetime import date, datetime
from typing import Protocol, TypeVar, cast

from django.db import models

from programmes.models import Cluster, Round


class BudgetedApplication(Protocol):
    """An application with a budget: its round (and through it the programme's caps), its
    cluster, its phases' periods and whether a phase's budget may still change."""

    pk: int
    cluster_id: int
    title: str
    state: str
    concept_start_on: date
    concept_end_on: date
    implementation_start_on: date
    implementation_end_on: date
    updated_at: datetime

    @property
    def round(self) -> Round: ...

    @property
    def cluster(self) -> Cluster: ...

    def is_budget_open(self, phase: str) -> bool: ...

    def get_state_display(self) -> str: ...


Budgeted = TypeVar("Budgeted", bound=BudgetedApplication)


def applications_like(application: BudgetedApplication) -> "models.QuerySet[models.Model]":
    """Every application, through the model of the one given: the engine names no model above
    it, yet can read other applications (the numbers an import file refers to)."""
    return cast(type[models.Model], type(application))._default_manager.all()


def lock_application(application: Budgeted) -> Budgeted:
    """The application read again under a row lock, with what the budget rules read of it (its
    programme's caps, its cluster's management), through its own model's manager."""
    locked = (
        applications_like(application)
        .select_for_update(of=("self",))
        .select_related("round__programme", "cluster__management_organisation")
        .get(pk=application.pk)
    )
    return cast(Budgeted, locked)
