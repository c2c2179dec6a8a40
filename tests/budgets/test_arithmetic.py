"""Grant arithmetic: Decimal only, rounded half up to the cent once per grantee and year, plus
the 20 % Projektpauschale for universities on the expenditure basis (AZA)."""

from dataclasses import fields
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from budgets.arithmetic import Figures, grant_figures, share_figures, share_out, sum_figures
from budgets.models import GranteeTerms, Phase
from budgets.selectors import budget_summary
from budgets.services import budget_line_save, grantee_terms_ensure, grantee_terms_set
from kernel.money import percent_of, round_cents
from programmes.models import Basis

from ..factories import position
from .support import (
    cents,
    concept_line,
    euros,
    funding_cents,
    grant_cents,
    half_up,
    pauschale_cents,
)

TWENTY = Decimal("20.00")


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("0.005", "0.01"),
        ("0.0049", "0.00"),
        ("0.015", "0.02"),
        # Half up, not half to even: banker's rounding would give 0.02, 0.12 and 2.66.
        ("0.025", "0.03"),
        ("0.125", "0.13"),
        ("2.665", "2.67"),
        # float(2.675) is 2.67499999...; Decimal keeps the exact half.
        ("2.675", "2.68"),
        ("416666.665", "416666.67"),
    ],
)
def test_round_cents_rounds_half_up(amount, expected):
    assert round_cents(Decimal(amount)) == Decimal(expected)


def test_round_cents_keeps_two_places():
    assert str(round_cents(Decimal("7"))) == "7.00"


@pytest.mark.parametrize(
    ("amount", "rate", "expected"),
    [
        ("2.675", "100.00", "2.68"),
        ("2.67", "100.00", "2.67"),
        ("100.00", "33.33", "33.33"),
        # 0.15 × 33.33 % = 0.049995
        ("0.15", "33.33", "0.05"),
        # 0.05 × 70 % = 0.035
        ("0.05", "70.00", "0.04"),
        # 0.01 × 50 % = 0.005
        ("0.01", "50.00", "0.01"),
        ("0.01", "49.99", "0.00"),
        ("4285714.29", "70.00", "3000000.00"),
        ("4285714.30", "70.00", "3000000.01"),
    ],
)
def test_percent_of_rounds_half_up_to_the_cent(amount, rate, expected):
    assert percent_of(Decimal(amount), Decimal(rate)) == Decimal(expected)


@settings(max_examples=300, deadline=None)
@given(
    eligible=st.integers(min_value=0, max_value=10**12),
    rate=st.integers(min_value=0, max_value=10_000),
)
def test_percent_of_equals_integer_cent_rounding(eligible, rate):
    """For every two-place amount and two-place rate, the engine agrees with integer cents."""
    assert percent_of(euros(eligible), euros(rate)) == euros(half_up(eligible * rate, 10_000))


def test_grant_figures_adds_projektpauschale_of_twenty_percent_of_the_grant():
    figures = grant_figures(
        Decimal("416666.67"),
        funding_rate=Decimal("100.00"),
        has_projektpauschale=True,
        projektpauschale_rate=TWENTY,
    )
    assert cents(figures.grant_amount) == grant_cents(41_666_667, Decimal("100.00"))
    assert cents(figures.projektpauschale_amount) == 8_333_333  # 20 % of 41,666,667 cents
    assert cents(figures.funding_amount) == 50_000_000


def test_grant_figures_without_projektpauschale_has_none():
    figures = grant_figures(
        Decimal("1000.00"),
        funding_rate=Decimal("70.00"),
        has_projektpauschale=False,
        projektpauschale_rate=TWENTY,
    )
    assert figures.grant_amount == Decimal("700.00")
    assert figures.projektpauschale_amount == Decimal("0.00")
    assert figures.funding_amount == Decimal("700.00")


@settings(max_examples=300, deadline=None)
@given(
    eligible=st.integers(min_value=0, max_value=10**11),
    rate=st.integers(min_value=0, max_value=10_000),
    has_projektpauschale=st.booleans(),
)
def test_grant_figures_equal_integer_cent_model(eligible, rate, has_projektpauschale):
    """Grant rounded once; the Projektpauschale is a share of that rounded grant."""
    figures = grant_figures(
        euros(eligible),
        funding_rate=euros(rate),
        has_projektpauschale=has_projektpauschale,
        projektpauschale_rate=TWENTY,
    )
    grant = grant_cents(eligible, euros(rate))
    assert cents(figures.grant_amount) == grant
    assert cents(figures.projektpauschale_amount) == (
        pauschale_cents(grant, TWENTY) if has_projektpauschale else 0
    )
    assert cents(figures.funding_amount) == funding_cents(
        eligible, euros(rate), has_projektpauschale=has_projektpauschale
    )


def test_grant_figures_are_all_decimal():
    figures = grant_figures(
        Decimal("0.05"),
        funding_rate=Decimal("70.00"),
        has_projektpauschale=True,
        projektpauschale_rate=TWENTY,
    )
    values = [getattr(figures, f.name) for f in fields(figures)] + [figures.funding_amount]
    assert all(type(value) is Decimal for value in values), values


def test_sum_figures_is_decimal_even_when_empty():
    total = sum_figures([])
    assert type(total.funding_amount) is Decimal
    assert total == Figures()


def test_sum_figures_adds_each_column():
    total = sum_figures(
        [
            Figures(Decimal("1.00"), Decimal("0.70"), Decimal("0.00")),
            Figures(Decimal("2.00"), Decimal("2.00"), Decimal("0.40")),
        ]
    )
    assert total == Figures(Decimal("3.00"), Decimal("2.70"), Decimal("0.40"))
    assert total.funding_amount == Decimal("3.10")


# Through the services and the summary, with real personas.


@pytest.mark.django_db
def test_summary_rounds_grant_once_per_grantee_and_year(
    application_a, manager_a, management, concept_year
):
    """Two positions of 0.05 at 70 %: the grantee-year grant is round(0.10 × 70 %) = 0.07,
    not round(0.035) + round(0.035) = 0.08."""
    grantee_terms_set(
        application=application_a,
        organisation=management,
        basis=Basis.AZA,
        funding_rate=Decimal("70.00"),
        has_projektpauschale=False,
        by=manager_a,
    )
    for code in ("0812", "0846"):
        concept_line(
            application_a,
            by=manager_a,
            year=concept_year,
            code=code,
            eligible_amount=Decimal("0.05"),
        )
    once = grant_cents(cents(Decimal("0.10")), Decimal("70.00"))
    per_position = 2 * grant_cents(cents(Decimal("0.05")), Decimal("70.00"))
    assert (once, per_position) == (7, 8)  # the case is one where the two readings differ

    summary = budget_summary(application_a)
    (block,) = summary.concept.grantees
    assert cents(block.by_year[concept_year].grant_amount) == once
    assert cents(summary.concept.by_year[concept_year].figures.grant_amount) == once
    assert cents(summary.concept.total.figures.funding_amount) == once
    assert cents(summary.total.figures.grant_amount) == once


@pytest.mark.django_db
def test_summary_position_rows_share_out_the_grantee_year_grant(
    application_a, manager_a, management, concept_year
):
    """Each position row holds its share of the grantee-year grant: 0.07 over two positions
    of 0.05 is 0.04 and 0.03 (the first position gets the cent left over), never 0.04 twice."""
    grantee_terms_set(
        application=application_a,
        organisation=management,
        basis=Basis.AZA,
        funding_rate=Decimal("70.00"),
        has_projektpauschale=False,
        by=manager_a,
    )
    for code in ("0812", "0846"):
        concept_line(
            application_a,
            by=manager_a,
            year=concept_year,
            code=code,
            eligible_amount=Decimal("0.05"),
        )
    (block,) = budget_summary(application_a).concept.grantees
    shares = [cents(row.by_year[concept_year].grant_amount) for row in block.positions]
    assert sorted(shares) == [3, 4]
    assert sum(shares) == cents(block.by_year[concept_year].grant_amount) == 7
    first = min(block.positions, key=lambda row: row.position.pk)
    assert cents(first.by_year[concept_year].grant_amount) == 4


# Sharing a grantee-year's figures out over its lines: checked against integer cents.

weights_in_cents = st.dictionaries(
    st.integers(min_value=1, max_value=40),
    st.integers(min_value=0, max_value=10**11),
    min_size=1,
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(weights=weights_in_cents, amount=st.integers(min_value=0, max_value=10**11))
def test_share_out_adds_up_to_the_cent_and_stays_within_a_cent_of_the_exact_share(weights, amount):
    shares = share_out(euros(amount), {key: euros(weight) for key, weight in weights.items()})

    assert set(shares) == set(weights)
    assert sum(cents(share) for share in shares.values()) == (
        amount if any(weights.values()) else 0
    )
    total = sum(weights.values())
    for key, weight in weights.items():
        exact_times_total = amount * weight  # the exact share in cents, times ``total``
        share = cents(shares[key])
        if total:
            assert share * total <= exact_times_total + total
            assert share * total >= exact_times_total - total
        else:
            assert share == 0


def test_share_out_gives_the_cents_left_over_to_the_largest_remainders_then_smallest_keys():
    shares = share_out(Decimal("0.10"), {3: Decimal("1"), 1: Decimal("1"), 2: Decimal("1")})
    assert shares == {1: Decimal("0.04"), 2: Decimal("0.03"), 3: Decimal("0.03")}
    shares = share_out(Decimal("1.00"), {1: Decimal("1"), 2: Decimal("2")})
    assert shares == {1: Decimal("0.33"), 2: Decimal("0.67")}


@settings(max_examples=300, deadline=None)
@given(
    eligible=weights_in_cents,
    rate=st.sampled_from([Decimal("100.00"), Decimal("87.50"), Decimal("70.00"), Decimal("33.33")]),
    pauschale=st.booleans(),
)
def test_share_figures_add_up_to_the_grantee_year_figures_in_integer_cents(
    eligible, rate, pauschale
):
    shares = share_figures(
        {key: euros(amount) for key, amount in eligible.items()},
        funding_rate=rate,
        has_projektpauschale=pauschale,
        projektpauschale_rate=TWENTY,
    )

    total_cents = sum(eligible.values())
    grant = grant_cents(total_cents, rate)
    assert {key: cents(figures.eligible_amount) for key, figures in shares.items()} == eligible
    assert sum(cents(figures.grant_amount) for figures in shares.values()) == grant
    assert sum(cents(figures.funding_amount) for figures in shares.values()) == funding_cents(
        total_cents, rate, has_projektpauschale=pauschale
    )


@pytest.mark.django_db
def test_grantee_terms_give_projektpauschale_to_universities_only(
    application_a, university, company, management, partner_abroad
):
    terms = {
        organisation.name: grantee_terms_ensure(application_a, organisation, by=None)
        for organisation in (university, company, management, partner_abroad)
    }
    assert {name: t.has_projektpauschale for name, t in terms.items()} == {
        university.name: True,
        company.name: False,
        management.name: False,
        partner_abroad.name: False,
    }
    assert terms[university.name].basis == Basis.AZA
    assert GranteeTerms.objects.filter(application=application_a).count() == 4


@pytest.mark.django_db
def test_summary_adds_projektpauschale_for_university_not_for_company(
    project, manager_a, university, company
):
    application = project.application
    year = application.implementation_start_on.year
    for grantee, basis, code in ((university, "AZA", "0812"), (company, "AZK", "0837")):
        budget_line_save(
            application=application,
            phase=Phase.IMPLEMENTATION,
            rd_project=project,
            grantee=grantee,
            year=year,
            position=position(basis, code),
            eligible_amount=Decimal("12345.67"),
            by=manager_a,
        )
    (block,) = budget_summary(application).implementation.projects
    by_name = {g.organisation.name: g.by_year[year] for g in block.grantees}
    university_grant = grant_cents(1_234_567, Decimal("100.00"))
    assert cents(by_name[university.name].grant_amount) == university_grant
    assert cents(by_name[university.name].projektpauschale_amount) == pauschale_cents(
        university_grant, TWENTY
    )
    assert cents(by_name[company.name].grant_amount) == grant_cents(1_234_567, Decimal("70.00"))
    assert by_name[company.name].projektpauschale_amount == 0


@pytest.mark.django_db
def test_summary_figures_are_decimal_never_float(project, manager_a, university, company):
    application = project.application
    year = application.implementation_start_on.year
    budget_line_save(
        application=application,
        phase=Phase.IMPLEMENTATION,
        rd_project=project,
        grantee=university,
        year=year,
        position=position("AZA", "0812"),
        eligible_amount=Decimal("0.05"),
        by=manager_a,
    )
    summary = budget_summary(application)
    figures = [
        summary.total.figures,
        summary.concept.total.figures,
        summary.implementation.total.figures,
        *(capped.figures for capped in summary.concept.by_year.values()),
        *(capped.figures for capped in summary.implementation.by_year.values()),
        *(block.total for block in summary.implementation.projects),
    ]
    values = [getattr(f, name.name) for f in figures for name in fields(f)]
    values += [f.funding_amount for f in figures]
    values += [summary.total.headroom_amount, summary.implementation.total.headroom_amount]
    assert len(values) > 20
    assert all(type(value) is Decimal for value in values)
