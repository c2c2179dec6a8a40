"""Changes to grantee terms, R&D projects and their partners are kept with who, when, and the
old and new values; a write that changes nothing leaves no history row. ``recorded_changes``
reads them back as the API and the round workbook show them, in German and English."""

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import translation

from budgets.audit import Action, Record, recorded_changes
from budgets.models import GranteeTerms, ProjectPartner, RDProject
from budgets.services import (
    grantee_terms_set,
    project_partner_add,
    project_partner_remove,
    rd_project_delete,
    rd_project_update,
)
from kernel import clock
from kernel.history import save_with_history

from ..applications.conftest import berlin
from ..factories import ApplicationFactory
from .support import concept_line

pytestmark = pytest.mark.django_db

MOMENT = berlin(2027, 3, 2, 9, 30, 0)


def history_of(model: type, pk: int) -> list:
    return list(model.history.filter(id=pk).order_by("history_date", "history_id"))


def set_rate(application, organisation, rate: str, by, *, basis: str = "AZK") -> GranteeTerms:
    return grantee_terms_set(
        application=application,
        organisation=organisation,
        basis=basis,
        funding_rate=Decimal(rate),
        has_projektpauschale=False,
        by=by,
    )


def changes_of(application) -> list:
    return recorded_changes([application.pk])[application.pk]


def test_terms_created_by_a_first_budget_line_name_its_writer(application_a, manager_a):
    concept_line(
        application_a,
        by=manager_a,
        year=application_a.concept_start_on.year,
        eligible_amount=Decimal("10.00"),
    )
    terms = GranteeTerms.objects.get(application=application_a)
    (created,) = history_of(GranteeTerms, terms.pk)
    assert (created.history_type, created.history_user) == ("+", manager_a)
    assert created.funding_rate == Decimal("100.00")


def test_funding_rate_change_keeps_who_when_and_old_and_new_rate(project, company, officer):
    application = project.application
    terms = GranteeTerms.objects.get(application=application, organisation=company)

    with clock.frozen_at(MOMENT):
        set_rate(application, company, "60.00", officer)

    *_earlier, before, changed = history_of(GranteeTerms, terms.pk)
    assert (changed.history_type, changed.history_user, changed.history_date) == (
        "~",
        officer,
        MOMENT,
    )
    (change,) = changed.diff_against(before).changes
    assert (change.field, change.old, change.new) == (
        "funding_rate",
        Decimal("70.00"),
        Decimal("60.00"),
    )


def test_setting_the_terms_they_have_writes_no_history_row(project, company, officer):
    terms = GranteeTerms.objects.get(application=project.application, organisation=company)
    before = len(history_of(GranteeTerms, terms.pk))

    set_rate(project.application, company, "70", officer)

    assert len(history_of(GranteeTerms, terms.pk)) == before


def test_funding_rate_change_is_recorded_with_old_and_new_rate_in_both_languages(
    project, company, officer
):
    with clock.frozen_at(MOMENT):
        set_rate(project.application, company, "60.00", officer)

    last = changes_of(project.application)[-1]
    assert (last.record, last.record_id, last.action) == (
        Record.GRANTEE_TERMS,
        GranteeTerms.objects.get(application=project.application, organisation=company).pk,
        Action.CHANGED,
    )
    assert (last.at, last.by) == (MOMENT, officer)
    assert [(c.field, c.old, c.new) for c in last.changes] == [
        ("funding_rate", Decimal("70.00"), Decimal("60.00"))
    ]
    assert last.subject == "Grantee terms of Sensorik Dresden GmbH"
    assert last.summary == "funding rate 70.00\N{NO-BREAK SPACE}% → 60.00\N{NO-BREAK SPACE}%"
    with translation.override("de"):
        assert last.subject == "Förderkonditionen von Sensorik Dresden GmbH"
        assert last.summary == "Förderquote 70,00\N{NO-BREAK SPACE}% → 60,00\N{NO-BREAK SPACE}%"
        assert str(last.action.label) == "geändert"


def test_new_terms_are_recorded_with_their_values(project, university):
    created = next(
        change
        for change in changes_of(project.application)
        if change.record == Record.GRANTEE_TERMS and change.subject.endswith("TU Dresden")
    )
    assert created.action == Action.CREATED
    assert [change.text for change in created.changes] == [
        "basis expenditure basis (AZA)",
        "funding rate 100.00\N{NO-BREAK SPACE}%",
        "Projektpauschale yes",
    ]
    assert created.changes[0].old_text is None


def test_project_change_keeps_who_and_old_and_new_values(project, officer):
    with clock.frozen_at(MOMENT):
        rd_project_update(project=project, title="Printed sensors II", by=officer)

    *_earlier, changed = history_of(RDProject, project.pk)
    assert (changed.history_type, changed.history_user, changed.title) == (
        "~",
        officer,
        "Printed sensors II",
    )
    last = changes_of(project.application)[-1]
    assert (last.record, last.by, last.at) == (Record.RD_PROJECT, officer, MOMENT)
    assert last.summary == "title Printed sensors → Printed sensors II"
    with translation.override("de"):
        assert last.subject == "FuE-Projekt „Printed sensors II“"
        assert last.summary == "Titel Printed sensors → Printed sensors II"


def test_project_months_are_shown_as_months(project, officer):
    end = project.end_month
    earlier = date(end.year - 1, end.month, 1)
    rd_project_update(project=project, end_month=earlier, by=officer)

    last = changes_of(project.application)[-1]
    (change,) = last.changes
    assert change.field == "end_month"
    assert change.text == f"end month {end:%B %Y} → {earlier:%B %Y}"


def test_project_update_to_the_same_values_writes_no_history_row(project, officer):
    before = len(history_of(RDProject, project.pk))

    # The same month given with another day is the same month (the model keeps the first day).
    rd_project_update(
        project=project,
        title=project.title,
        start_month=project.start_month.replace(day=15),
        by=officer,
    )

    assert len(history_of(RDProject, project.pk)) == before


def test_new_lead_partner_steps_the_earlier_one_down_in_history(
    project, company, university, officer
):
    led_by_company = ProjectPartner.objects.get(project=project, organisation=company)
    joined = ProjectPartner.objects.get(project=project, organisation=university)

    project_partner_add(project=project, organisation=university, is_lead=True, by=officer)

    stepped_down = history_of(ProjectPartner, led_by_company.pk)[-1]
    leads = history_of(ProjectPartner, joined.pk)[-1]
    assert (stepped_down.history_type, stepped_down.is_lead, stepped_down.history_user) == (
        "~",
        False,
        officer,
    )
    assert (leads.history_type, leads.is_lead, leads.history_user) == ("~", True, officer)
    summaries = [(c.subject, c.summary) for c in changes_of(project.application)[-2:]]
    assert summaries == [
        ("Partner Sensorik Dresden GmbH in “Printed sensors”", "lead partner yes → no"),
        ("Partner TU Dresden in “Printed sensors”", "lead partner no → yes"),
    ]


def test_adding_a_partner_it_has_already_writes_no_history_row(project, company, manager_a):
    partner = ProjectPartner.objects.get(project=project, organisation=company)
    before = len(history_of(ProjectPartner, partner.pk))

    project_partner_add(project=project, organisation=company, is_lead=True, by=manager_a)

    assert len(history_of(ProjectPartner, partner.pk)) == before


def test_partner_removal_is_kept_with_its_writer(project, partner_abroad, officer):
    partner = ProjectPartner.objects.get(project=project, organisation=partner_abroad)
    pk = partner.pk

    project_partner_remove(partner=partner, by=officer)

    removed = history_of(ProjectPartner, pk)[-1]
    assert (removed.history_type, removed.history_user) == ("-", officer)
    last = changes_of(project.application)[-1]
    assert (last.action, last.subject, last.changes) == (
        Action.DELETED,
        "Partner CEA-Leti (FR) in “Printed sensors”",
        (),
    )


def test_project_deletion_keeps_the_project_and_its_partners_in_history(project, officer):
    partner_ids = list(project.partners.values_list("pk", flat=True))
    project_id = project.pk

    rd_project_delete(project=project, by=officer)

    deleted_project = history_of(RDProject, project_id)[-1]
    assert (deleted_project.history_type, deleted_project.history_user) == ("-", officer)
    assert len(partner_ids) == 3
    for pk in partner_ids:
        removed = history_of(ProjectPartner, pk)[-1]
        assert (removed.history_type, removed.history_user) == ("-", officer)
    deleted = [c for c in changes_of(project.application) if c.action == Action.DELETED]
    assert {c.record for c in deleted} == {Record.RD_PROJECT, Record.PROJECT_PARTNER}
    assert all(c.by == officer for c in deleted)


def test_organisation_change_shows_in_the_applications_it_takes_part_in_only(
    project, company, officer, cluster_b
):
    elsewhere = ApplicationFactory(round=project.application.round, cluster=cluster_b)
    stored = type(company).objects.get(pk=company.pk)
    stored.city = "Chemnitz"

    with clock.frozen_at(MOMENT):
        save_with_history(stored, by=officer)

    found = recorded_changes([project.application.pk, elsewhere.pk])
    last = found[project.application.pk][-1]
    assert (last.record, last.by, last.at, last.summary) == (
        Record.ORGANISATION,
        officer,
        MOMENT,
        "city — → Chemnitz",
    )
    assert last.subject == "Organisation Sensorik Dresden GmbH"
    assert found[elsewhere.pk] == []


def test_organisation_entering_the_directory_is_not_a_change_of_the_application(project):
    assert Record.ORGANISATION not in {c.record for c in changes_of(project.application)}


def test_another_applications_changes_do_not_show(project, company, officer, cluster_b):
    elsewhere = ApplicationFactory(round=project.application.round, cluster=cluster_b)
    set_rate(project.application, company, "60.00", officer)

    assert recorded_changes([elsewhere.pk]) == {elsewhere.pk: []}


def test_baseline_of_rows_older_than_their_history_gives_the_first_change_its_old_rate(
    project, company, officer
):
    """Rows that existed before their model had history get a baseline row from the
    migration: not shown as a change, but the first change after it shows old and new."""
    for model in (GranteeTerms, RDProject, ProjectPartner):
        model.history.all().delete()  # as before the migration
    migration = importlib.import_module("budgets.migrations.0004_history_baseline")
    migration.record_baseline(apps, None)

    assert changes_of(project.application) == []
    set_rate(project.application, company, "60.00", officer)

    (change,) = changes_of(project.application)
    assert change.summary == "funding rate 70.00\N{NO-BREAK SPACE}% → 60.00\N{NO-BREAK SPACE}%"


def test_history_of_the_new_models_is_readable_but_not_writable(auditor, officer):
    for name in ("historicalgranteeterms", "historicalrdproject", "historicalprojectpartner"):
        assert auditor.has_perm(f"budgets.view_{name}")
        assert officer.has_perm(f"budgets.view_{name}")
        for action in ("add", "change", "delete"):
            assert not officer.has_perm(f"budgets.{action}_{name}")
            assert not auditor.has_perm(f"budgets.{action}_{name}")
    assert auditor.has_perm("programmes.view_historicalorganisation")
    for action in ("add", "change", "delete"):
        assert not officer.has_perm(f"programmes.{action}_historicalorganisation")
