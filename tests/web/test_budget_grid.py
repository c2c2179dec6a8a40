"""The budget grid: positions × years per grantee, amounts typed in the user's locale, saved in
one write (all or nothing), refused writes shown at the cells with the rule and the numbers, and
the live preview whose figures come from the check the write makes (nothing is written).

Expected figures are computed here in integer cents from the rules, not read from the engine.
"""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from applications.states import State
from budgets.models import BudgetLine, GranteeTerms, Phase
from budgets.services import budget_line_save
from kernel.money import TOO_MANY_DECIMALS

from ..applications.conftest import rd_project_add
from ..budgets.support import euros, funding_cents
from ..factories import position
from .conftest import browser

pytestmark = pytest.mark.django_db

CONCEPT_CAP_CENTS = 500_000_00  # InterSpiN, per calendar year
IMPLEMENTATION_CAP_CENTS = 3_000_000_00
MANAGEMENT_RATE = Decimal("100.00")  # cluster management organisations: AZA, 100 %, no Pauschale
SMALL_COMPANY_RATE = Decimal("70.00")


def cell(grantee, basis: str, code: str, year: int) -> str:
    return f"amount-{grantee.pk}-{position(basis, code).pk}-{year}"


def grid_url(application) -> str:
    return reverse("budgets:concept-grid", args=[application.pk])


def preview_url(application) -> str:
    return reverse("budgets:concept-preview", args=[application.pk])


def container(page: str, element_id: str) -> str:
    """The text inside the element with this id (an error list or a figure cell)."""
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</(ul|td)>', page, re.S)
    assert match, f"no element {element_id}"
    return re.sub(r"<[^>]+>", " ", match.group(1))


def eur_en(amount_cents: int) -> str:
    sign = "-" if amount_cents < 0 else ""
    return f"€{sign}{euros(abs(amount_cents)):,.2f}"


def eur_de(amount_cents: int) -> str:
    english = f"{euros(abs(amount_cents)):,.2f}"
    german = english.replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{'-' if amount_cents < 0 else ''}{german}\N{NO-BREAK SPACE}€"


@pytest.fixture
def selected(application_a, to_state):
    """Selected: its concept budget is open and still empty."""
    return to_state(application_a, State.SELECTED)


@pytest.fixture
def management(selected):
    return selected.cluster.management_organisation


@pytest.fixture
def first_year(selected) -> int:
    return selected.concept_start_on.year


def concept_lines(application):
    return BudgetLine.objects.filter(application=application, phase=Phase.CONCEPT)


def test_grid_has_the_grantees_positions_and_the_phases_years(manager_a, selected, management):
    response = browser(manager_a).get(grid_url(selected))
    spec = response.context["spec"]
    assert spec.years == [selected.concept_start_on.year, selected.concept_end_on.year]
    [grantee] = spec.grantees
    assert grantee.organisation == management
    assert {p.basis for p in grantee.positions} == {"AZA"}
    assert len(response.context["form"].fields) == len(grantee.positions) * 2


def test_showing_the_grid_writes_no_grantee_terms(manager_a, selected):
    browser(manager_a).get(grid_url(selected))
    assert not GranteeTerms.objects.filter(application=selected).exists()


def test_german_amount_is_saved_exactly(manager_a, selected, management, first_year):
    name = cell(management, "AZA", "0812", first_year)
    response = browser(manager_a, "de").post(grid_url(selected), {name: "1.234,56"})
    assert response.status_code == 302
    [line] = concept_lines(selected)
    assert line.eligible_amount == Decimal("1234.56")
    assert (line.grantee, line.year, line.position.code) == (management, first_year, "0812")


def test_german_grid_shows_amounts_in_german(manager_a, selected, management, first_year):
    name = cell(management, "AZA", "0812", first_year)
    client = browser(manager_a, "de")
    client.post(grid_url(selected), {name: "123.456,7"})
    page = client.get(grid_url(selected)).content.decode()
    assert f'name="{name}" value="123.456,70"' in page
    assert eur_de(123_456_70) in container(page, f"eligible-{management.pk}-{first_year}")


def test_english_amount_is_saved_exactly(manager_a, selected, management, first_year):
    name = cell(management, "AZA", "0812", first_year)
    browser(manager_a).post(grid_url(selected), {name: "1,234.56"})
    assert concept_lines(selected).get().eligible_amount == Decimal("1234.56")


@pytest.mark.parametrize("typed", ["1.5", "12.34,5", "1,2,3", "zwölf"])
def test_german_amount_that_is_not_a_number_is_refused(
    manager_a, selected, management, first_year, typed
):
    name = cell(management, "AZA", "0812", first_year)
    response = browser(manager_a, "de").post(grid_url(selected), {name: typed})
    assert name in response.context["form"].errors
    assert not concept_lines(selected).exists()


def test_three_decimals_are_refused_at_the_cell(manager_a, selected, management, first_year):
    name = cell(management, "AZA", "0812", first_year)
    other = cell(management, "AZA", "0846", first_year)
    response = browser(manager_a, "de").post(grid_url(selected), {name: "1.234,567", other: "10"})
    assert response.status_code == 200
    with translation.override("de"):
        message = gettext(TOO_MANY_DECIMALS) % {"value": "1.234,567"}
    assert response.context["form"].errors[name] == [message]
    assert "1.234,567" in container(response.content.decode(), f"errors-{name}")
    assert not concept_lines(selected).exists()  # nothing of the grid is saved


def test_cap_breach_is_shown_at_the_years_column_with_the_numbers(
    manager_a, selected, management, first_year
):
    staff = cell(management, "AZA", "0812", first_year)
    travel = cell(management, "AZA", "0846", first_year)
    response = browser(manager_a).post(
        grid_url(selected), {staff: "450,000.00", travel: "62,400.50"}
    )
    funding = funding_cents(45_000_000, MANAGEMENT_RATE, has_projektpauschale=False)
    funding += funding_cents(6_240_050, MANAGEMENT_RATE, has_projektpauschale=False)
    excess = funding - CONCEPT_CAP_CENTS
    errors = container(response.content.decode(), f"errors-year-{first_year}")
    for amount in (funding, excess, CONCEPT_CAP_CENTS):
        assert eur_en(amount) in errors
    assert not concept_lines(selected).exists()


def test_cap_breach_marks_the_cells_of_that_year(manager_a, selected, management, first_year):
    staff = cell(management, "AZA", "0812", first_year)
    response = browser(manager_a).post(grid_url(selected), {staff: "500,000.01"})
    page = response.content.decode()
    assert re.search(rf'name="{staff}"[^>]*aria-invalid="true"', page)
    assert f"errors-{staff} errors-year-{first_year}" in page  # aria-describedby


def test_cap_breach_is_worded_in_german(manager_a, selected, management, first_year):
    staff = cell(management, "AZA", "0812", first_year)
    response = browser(manager_a, "de").post(grid_url(selected), {staff: "512.400,00"})
    errors = container(response.content.decode(), f"errors-year-{first_year}")
    assert eur_de(51_240_000) in errors
    assert eur_de(1_240_000) in errors


def test_refused_grid_shows_the_figures_it_would_give(manager_a, selected, management, first_year):
    staff = cell(management, "AZA", "0812", first_year)
    response = browser(manager_a).post(grid_url(selected), {staff: "512,400.00"})
    page = response.content.decode()
    assert eur_en(CONCEPT_CAP_CENTS - 51_240_000) in container(page, f"headroom-{first_year}")
    assert 'class="num over"' in page


def test_exactly_the_cap_is_saved(manager_a, selected, management, first_year):
    staff = cell(management, "AZA", "0812", first_year)
    browser(manager_a).post(grid_url(selected), {staff: "500,000.00"})
    assert concept_lines(selected).get().eligible_amount == Decimal("500000.00")


def test_emptying_a_cell_deletes_its_line(manager_a, selected, management, first_year):
    line = budget_line_save(
        application=selected,
        phase=Phase.CONCEPT,
        grantee=management,
        year=first_year,
        position=position("AZA", "0812"),
        eligible_amount=Decimal("1000.00"),
        by=manager_a,
    )
    browser(manager_a).post(grid_url(selected), {cell(management, "AZA", "0812", first_year): ""})
    assert not BudgetLine.objects.filter(pk=line.pk).exists()
    assert line.history.filter(history_type="-").count() == 1


def test_unchanged_cells_are_not_written_again(manager_a, selected, management, first_year):
    line = budget_line_save(
        application=selected,
        phase=Phase.CONCEPT,
        grantee=management,
        year=first_year,
        position=position("AZA", "0812"),
        eligible_amount=Decimal("1000.00"),
        justification="Project manager, 50 %",
        by=manager_a,
    )
    browser(manager_a).post(
        grid_url(selected),
        {
            cell(management, "AZA", "0812", first_year): "1,000.00",
            cell(management, "AZA", "0846", first_year): "500.00",
        },
    )
    line.refresh_from_db()
    assert line.history.count() == 1
    assert line.justification == "Project manager, 50 %"
    assert concept_lines(selected).count() == 2


def test_preview_returns_the_summarys_figures_and_writes_nothing(
    manager_a, selected, management, first_year
):
    staff = cell(management, "AZA", "0812", first_year)
    travel = cell(management, "AZA", "0846", first_year + 1)
    response = browser(manager_a).post(
        preview_url(selected), {staff: "100,000.00", travel: "2,500.25"}
    )
    data = response.json()
    assert data["figures"][f"eligible-{management.pk}-{first_year}"] == eur_en(10_000_000)
    assert data["figures"][f"headroom-{first_year + 1}"] == eur_en(CONCEPT_CAP_CENTS - 250_025)
    assert data["figures"]["grid-funding"] == eur_en(10_000_000 + 250_025)
    assert data["errors"] == {}
    assert not concept_lines(selected).exists()
    assert not GranteeTerms.objects.filter(application=selected).exists()


def test_preview_over_the_cap_reports_the_rule_and_the_negative_headroom(
    manager_a, selected, management, first_year
):
    staff = cell(management, "AZA", "0812", first_year)
    data = browser(manager_a).post(preview_url(selected), {staff: "600,000.00"}).json()
    [message] = data["errors"][f"errors-year-{first_year}"]
    assert eur_en(60_000_000) in message
    assert eur_en(10_000_000) in message
    assert f"headroom-{first_year}" in data["over"]
    assert data["figures"][f"headroom-{first_year}"] == eur_en(-10_000_000)
    assert staff in data["invalid"]
    assert "€-100,000.00" in data["panel"]
    assert not concept_lines(selected).exists()


def test_preview_marks_a_cell_with_three_decimals(manager_a, selected, management, first_year):
    staff = cell(management, "AZA", "0812", first_year)
    travel = cell(management, "AZA", "0846", first_year)
    data = browser(manager_a).post(preview_url(selected), {staff: "1.234", travel: "10"}).json()
    assert data["errors"][f"errors-{staff}"] == [TOO_MANY_DECIMALS % {"value": "1.234"}]
    assert data["invalid"] == [staff]
    # The valid cell still counts.
    assert data["figures"][f"eligible-{management.pk}-{first_year}"] == eur_en(1000)


def test_preview_answers_in_german(manager_a, selected, management, first_year):
    staff = cell(management, "AZA", "0812", first_year)
    data = browser(manager_a, "de").post(preview_url(selected), {staff: "1.234,56"}).json()
    assert data["figures"][f"eligible-{management.pk}-{first_year}"] == eur_de(123_456)


def test_frozen_budget_cannot_be_changed_through_the_grid(manager_a, application_a, to_state):
    application = to_state(application_a, State.CONCEPT_PHASE)
    line = application.budget_lines.filter(phase=Phase.CONCEPT).first()
    name = f"amount-{line.grantee_id}-{line.position_id}-{line.year}"
    client = browser(manager_a)
    page = client.get(grid_url(application)).content.decode()
    assert re.search(rf'name="{name}"[^>]*disabled', page)
    response = client.post(grid_url(application), {name: "1.00"}, follow=True)
    assert "cannot be changed in the state “concept phase”" in response.content.decode()
    line.refresh_from_db()
    assert line.eligible_amount != Decimal("1.00")


@pytest.fixture
def project_in_concept_phase(application_a, to_state, manager_a):
    application = to_state(application_a, State.CONCEPT_PHASE)
    project = rd_project_add(application, manager_a)
    return application, project


def test_project_grid_funds_the_german_partners_only(manager_a, project_in_concept_phase):
    application, project = project_in_concept_phase
    url = reverse("budgets:project-grid", args=[application.pk, project.pk])
    response = browser(manager_a).get(url)
    spec = response.context["spec"]
    german = [p.organisation for p in project.partners.all() if p.organisation.is_german]
    abroad = [p.organisation for p in project.partners.all() if not p.organisation.is_german]
    assert [g.organisation for g in spec.grantees] == german
    assert list(spec.partners_abroad) == abroad
    assert {p.basis for p in spec.grantees[0].positions} == {"AZK"}
    assert abroad[0].name in response.content.decode()


def test_project_grid_stops_at_the_implementation_cap_with_the_numbers(
    manager_a, project_in_concept_phase
):
    application, project = project_in_concept_phase
    company = project.partners.get(is_lead=True).organisation
    year = project.start_month.year
    name = cell(company, "AZK", "0837", year)
    url = reverse("budgets:project-grid", args=[application.pk, project.pk])
    response = browser(manager_a).post(url, {name: "4,300,000.00"})
    funding = funding_cents(430_000_000, SMALL_COMPANY_RATE, has_projektpauschale=False)
    errors = container(response.content.decode(), "errors-grid")
    assert eur_en(funding) in errors
    assert eur_en(funding - IMPLEMENTATION_CAP_CENTS) in errors
    assert eur_en(IMPLEMENTATION_CAP_CENTS) in errors
    headroom = container(response.content.decode(), "grid-headroom-implementation")
    assert eur_en(IMPLEMENTATION_CAP_CENTS - funding) in headroom
    line = application.budget_lines.get(rd_project=project)
    assert line.eligible_amount != Decimal("4300000.00")
