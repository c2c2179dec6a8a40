"""Statements of an application in its concept phase at whatever day the tests run: written
with the clock a year after the phase's end (so the year has ended and the phase too), against
the one-year concept plan of the management organisation."""

from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications.models import Application
from budgets.models import Phase
from kernel import clock
from statements.models import Settlement, Statement, StatementDocument
from statements.services import (
    settlement_prepare,
    statement_create,
    statement_document_attach,
    statement_lines_save,
    statement_transition,
)

from ..factories import position


@dataclass(frozen=True)
class StatementWorld:
    """A draft interim statement, and an accepted final statement with a prepared settlement
    (prepared by the officer, so another officer decides it)."""

    draft: Statement
    final: Statement
    settlement: Settlement
    document: StatementDocument  # attached to the draft


def a_year_after_the_phase(application: Application) -> datetime:
    day = application.concept_end_on.replace(year=application.concept_end_on.year + 1)
    return timezone.make_aware(datetime.combine(day, time(12)))


def statement_world(application: Application, *, manager: Any, officer: Any) -> StatementWorld:
    year = application.concept_start_on.year
    grantee = application.cluster.management_organisation
    with clock.frozen_at(a_year_after_the_phase(application)):
        draft = statement_create(
            application=application,
            kind="interim",
            phase=Phase.CONCEPT,
            grantee=grantee,
            year=year,
            narrative="Two delegations.",
            by=manager,
        )
        final = statement_create(
            application=application,
            kind="final",
            phase=Phase.CONCEPT,
            grantee=grantee,
            narrative="What the concept phase achieved.",
            by=manager,
        )
    statement_lines_save(
        statement=final, lines=[(position("AZA", "0812"), year, Decimal("900.00"))], by=manager
    )
    for name, by in (("submit", manager), ("accept", officer)):
        final = statement_transition(statement=final, name=name, by=by)
    document = statement_document_attach(
        statement=draft,
        file=SimpleUploadedFile("receipts.pdf", b"%PDF-1.4\n%%EOF\n"),
        by=manager,
    )
    return StatementWorld(
        draft=draft,
        final=final,
        settlement=settlement_prepare(statement=final, by=officer),
        document=document,
    )
