"""The whole InterSpiN journey in a real browser, as the roles that drive it: the cluster
management drafts and submits; the officer reviews and selects; the cluster management enters
the concept budget and the officer starts the concept phase; the cluster management plans three
R&D projects, is stopped at the implementation cap with the figures shown (in English and in
German), and proposes the implementation; the officer approves; the auditor reads the round.

Expected figures are computed here from the rules (small companies get 70 %), in integer cents.
"""

from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook
from playwright.sync_api import Locator, Page, expect

from applications.models import Application
from applications.states import State
from budgets.models import BudgetLine, Phase
from programmes.models import Organisation
from reports.round_workbook import round_workbook_filename

from ..budgets.support import euros, funding_cents
from ..competition.support import reviews_for_selection
from ..factories import CompanyFactory, PartnerAbroadFactory, position
from .conftest import ARTEFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SMALL_COMPANY = Decimal("70.00")
IMPLEMENTATION_CAP_CENTS = 3_000_000_00
PROJECTS = ("Photonic sensors", "Battery cells", "Medical imaging")
PARTNERS_ABROAD = (("CEA-Leti", "FR"), ("AIST", "JP"), ("MIT Lincoln Laboratory", "US"))


def eur(amount_cents: int) -> str:
    sign = "-" if amount_cents < 0 else ""
    return f"€{sign}{euros(abs(amount_cents)):,.2f}"


def eur_de(amount_cents: int) -> str:
    english = f"{euros(abs(amount_cents)):,.2f}"
    german = english.replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{'-' if amount_cents < 0 else ''}{german}\N{NO-BREAK SPACE}€"


def step(page: Page, name: str, comment: str = "") -> None:
    """Press a step's button on the application page (with its comment, if any)."""
    form = page.locator(f'form[action$="/steps/{name}/"]')
    if comment:
        form.locator("textarea").fill(comment)
    with page.expect_navigation():
        form.locator("button").click()


def confirmed_step(page: Page, name: str) -> None:
    """Follow a step's link from the application page to its confirmation, and confirm."""
    with page.expect_navigation():
        page.locator(f'main a[href$="/steps/{name}/"]').first.click()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def state_of(application: Application) -> str:
    application.refresh_from_db()
    return application.state


def cell(page: Page, grantee: Organisation, basis: str, code: str, year: int) -> Locator:
    """The grid's input for a grantee, a budget position and a year."""
    return page.locator(f'input[name="amount-{grantee.pk}-{position(basis, code).pk}-{year}"]')


def test_journey_from_draft_to_implementation(
    visitor, open_round, cluster_a, manager_a, officer, auditor
):
    for user, first, last in ((manager_a, "Martha", "Manager"), (officer, "Olga", "Officer")):
        user.first_name, user.last_name = first, last
        user.save()
    company = CompanyFactory(name="Photonics Dresden GmbH")
    for name, country in PARTNERS_ABROAD:
        PartnerAbroadFactory(name=name, country=country)

    # --- The cluster management drafts and submits --------------------------------------------
    martha = visitor(manager_a.username, f"pw-{manager_a.username}")
    page = martha.page
    martha.shot("01-manager-home-open-call")
    page.locator(f'form[action="/applications/new/{open_round.pk}/"] button').click()
    page.fill("#id_title", "Silicon Saxony goes to Grenoble")
    page.fill("#id_strategy_summary", "Microelectronics with Grenoble, Kyushu and Boston.")
    page.locator('form[action$="/edit/"] button[type=submit]').click()
    page.select_option("#id_region-country", "FR")
    page.fill("#id_region-region", "Auvergne-Rhône-Alpes")
    page.fill("#id_region-partner_name", "Minalogic")
    page.check('input[name="region-is_known_partner"][value="True"]')
    page.locator('form[action$="/regions/"] button').click()
    expect(page.locator("table")).to_contain_text("Minalogic")
    martha.shot("02-manager-outline")
    application = Application.objects.get(cluster=cluster_a, round=open_round)

    martha.go(f"/applications/{application.pk}/")
    page.locator(f'a[href="/applications/{application.pk}/steps/submit/"]').first.click()
    martha.shot("03-manager-confirm-submit")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()
    assert state_of(application) == State.SUBMITTED

    # --- The officer reviews and selects ------------------------------------------------------
    olga = visitor(officer.username, f"pw-{officer.username}")
    expect(olga.page.locator("main table")).to_contain_text("Silicon Saxony goes to Grenoble")
    olga.shot("04-officer-queue")
    olga.go(f"/applications/{application.pk}/")
    step(olga.page, "start_review")
    assert state_of(application) == State.IN_REVIEW
    reviews_for_selection(application, officer=officer)  # the jury's reviews come in
    olga.go(f"/applications/{application.pk}/")
    olga.shot("05-officer-application-in-review")
    step(olga.page, "select", "The panel recommends funding: a convincing strategy.")
    assert state_of(application) == State.SELECTED

    # --- The cluster management enters the concept budget, with live figures ------------------
    management = cluster_a.management_organisation
    first = application.concept_start_on.year
    martha.go(f"/applications/{application.pk}/budget/concept/")
    cell(page, management, "AZA", "0812", first).fill("480,000.00")
    cell(page, management, "AZA", "0846", first).fill("15,000.00")
    cell(page, management, "AZA", "0812", first + 1).fill("450,000.00")
    # The cluster management organisation is funded at 100 %: headroom = cap - amounts.
    expect(page.locator(f"#headroom-{first}")).to_have_text(eur(500_000_00 - 495_000_00))
    expect(page.locator(f"#headroom-{first + 1}")).to_have_text(eur(500_000_00 - 450_000_00))
    martha.shot("06-manager-concept-budget")
    page.locator("#budget-grid button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()
    assert BudgetLine.objects.filter(application=application, phase=Phase.CONCEPT).count() == 3

    # --- The officer starts the concept phase -------------------------------------------------
    olga.go(f"/applications/{application.pk}/")
    step(olga.page, "start_concept_phase")
    assert state_of(application) == State.CONCEPT_PHASE

    # --- The cluster management plans three R&D projects --------------------------------------
    start = application.implementation_start_on
    project_urls = []
    for title, (partner, country) in zip(PROJECTS, PARTNERS_ABROAD, strict=True):
        martha.go(f"/applications/{application.pk}/budget/projects/")
        page.fill("#id_title", title)
        page.fill("#id_start_month", f"{start.year}-{start.month:02}")
        page.fill("#id_end_month", f"{start.year + 2}-12")
        page.locator("main form button[type=submit]").click()
        page.wait_for_url("**/budget/projects/*/")
        project_urls.append(page.url)
        # The picker names each organisation with its city (none here) and country.
        for organisation, lead in (
            (f"{company.name} (DE)", True),
            (f"{partner} ({country})", False),
        ):
            page.select_option("#id_organisation", label=organisation)
            if lead:
                page.check("#id_is_lead")
            page.locator('form[action$="/partners/"] button').click()
    martha.shot("07-manager-project-partners")

    # --- ... is stopped at the implementation cap, with the figures -----------------------------
    year = start.year
    page.goto(project_urls[0] + "budget/")
    cell(page, company, "AZK", "0837", year).fill("4,300,000.00")
    over = funding_cents(430_000_000, SMALL_COMPANY, has_projektpauschale=False)
    excess = over - IMPLEMENTATION_CAP_CENTS
    expect(page.locator("#grid-headroom-implementation")).to_have_text(eur(-excess))
    expect(page.locator("#errors-grid")).to_contain_text(eur(excess))
    with page.expect_navigation():
        page.locator("#budget-grid button[type=submit]").click()
    errors = page.locator("#errors-grid")
    for figure in (over, excess, IMPLEMENTATION_CAP_CENTS):
        expect(errors).to_contain_text(eur(figure))
    expect(page.locator("#grid-headroom-implementation")).to_have_class("num over")
    martha.shot("08-manager-stopped-at-the-cap")
    assert not BudgetLine.objects.filter(application=application, phase=Phase.IMPLEMENTATION)

    # --- The same page in German: texts and "1.234,56" -----------------------------------------
    page.select_option("#language", "de")
    with page.expect_navigation():
        page.locator('form[action="/i18n/setlang/"] button').click()
    assert page.locator("html").get_attribute("lang") == "de"
    with translation.override("de"):
        heading = gettext("Budget of the R&D project “%(title)s”") % {"title": PROJECTS[0]}
        save = gettext("Save budget")
    assert heading != f"Budget of the R&D project “{PROJECTS[0]}”", "German is missing"
    expect(page.locator("main h2").first).to_have_text(heading)
    expect(page.locator("#budget-grid button[type=submit]")).to_have_text(save)
    cell(page, company, "AZK", "0837", year).fill("4.300.000,00")
    expect(page.locator("#grid-headroom-implementation")).to_have_text(eur_de(-excess))
    expect(page.locator("#errors-grid")).to_contain_text(eur_de(excess))
    martha.shot("09-manager-project-budget-german-over-cap")
    for url in project_urls:
        page.goto(url + "budget/")
        cell(page, company, "AZK", "0837", year).fill("1.000.000,00")
        funded = funding_cents(100_000_000, SMALL_COMPANY, has_projektpauschale=False)
        expect(page.locator(f"#funding-{company.pk}-{year}")).to_have_text(eur_de(funded))
        with page.expect_navigation():
            page.locator("#budget-grid button[type=submit]").click()
    martha.shot("10-manager-project-budget-german-saved")
    lines = BudgetLine.objects.filter(application=application, phase=Phase.IMPLEMENTATION)
    assert sorted(line.eligible_amount for line in lines) == [Decimal("1000000.00")] * 3

    # --- ... and proposes the implementation ----------------------------------------------------
    martha.go(f"/applications/{application.pk}/")
    step(page, "propose_implementation")
    assert state_of(application) == State.IMPLEMENTATION_PROPOSED
    martha.shot("11-manager-implementation-proposed-german")

    # --- The officer approves -------------------------------------------------------------------
    olga.go(f"/applications/{application.pk}/")
    olga.shot("12-officer-before-approval")
    confirmed_step(olga.page, "approve_implementation")
    assert state_of(application) == State.IMPLEMENTATION_PHASE

    # --- The auditor reads the round ------------------------------------------------------------
    anton = visitor(auditor.username, f"pw-{auditor.username}")
    anton.go("/rounds/")
    anton.page.locator(f'a[href="/rounds/{open_round.pk}/"]').click()
    committed = (
        495_000_00
        + 450_000_00
        + 3 * funding_cents(100_000_000, SMALL_COMPANY, has_projektpauschale=False)
    )
    expect(anton.page.locator("main")).to_contain_text(eur(committed))
    assert anton.page.locator("figure.chart svg").count() == 4
    anton.shot("13-auditor-round-overview")
    with anton.page.expect_download() as downloading:
        anton.page.locator(f'a[href="/rounds/{open_round.pk}/workbook/"]').click()
    download = downloading.value
    assert download.suggested_filename == round_workbook_filename(open_round)
    saved = ARTEFACTS / download.suggested_filename
    download.save_as(saved)
    assert load_workbook(saved).sheetnames
    anton.go(f"/applications/{application.pk}/")
    expect(anton.page.locator("#history")).to_be_visible()
    assert anton.page.locator('form[action*="/steps/"]').count() == 0
    anton.shot("14-auditor-application-read-only")
