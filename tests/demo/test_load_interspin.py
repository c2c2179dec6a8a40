"""The demo loader: InterSpiN as data, 32 clusters, demo users, and applications that reached
their states through the real workflow. Running it twice changes nothing."""

import csv
import io
from collections import defaultdict
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from importlib import resources
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import CommandError
from django.db.models import Sum
from django.http import HttpRequest

from applications.models import Application, ApplicationTransition
from applications.states import State
from budgets.figures import figures_differences
from budgets.models import BudgetFigures, BudgetLine, GranteeTerms, Phase, PlanVersion
from budgets.selectors import budget_problems, budget_summary, phase_plan_problems
from change_requests.models import ChangeRequest
from demo.catalogue import CURRENT_ROUND_NUMBER
from demo.management.commands.load_interspin import REFUSED_WITHOUT_DEBUG
from demo.stories import CURRENT_DRAFTS, STORIES
from disbursements.guards import RUNNING_APPLICATION_STATES
from disbursements.models import DrawdownRequest
from disbursements.selectors import spending_overdue
from disbursements.states import DrawdownState
from programmes.access import Role
from programmes.models import Cluster, FundingRateDefault, LegalForm, Programme, Round
from statements.models import Settlement, Statement
from statements.selectors import interim_due_on
from statements.states import SettlementOutcome, StatementState

from .conftest import load

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")

# The logins docs/demo.md publishes: (username, password, role, cluster).
DOCUMENTED_LOGINS = [
    ("officer", "demo-officer", Role.OFFICER, None),
    ("auditor", "demo-auditor", Role.AUDITOR, None),
    ("arena2036", "demo-arena2036", Role.CLUSTER_MANAGEMENT, "ARENA2036"),
    ("biom", "demo-biom", Role.CLUSTER_MANAGEMENT, "BioM"),
    ("software-cluster", "demo-software-cluster", Role.CLUSTER_MANAGEMENT, "Software-Cluster"),
    ("hamburg-aviation", "demo-hamburg-aviation", Role.CLUSTER_MANAGEMENT, "Hamburg Aviation"),
    ("its-owl", "demo-its-owl", Role.CLUSTER_MANAGEMENT, "it's OWL"),
    ("medicalvalley", "demo-medicalvalley", Role.CLUSTER_MANAGEMENT, "MedicalValley EMN"),
    ("optence", "demo-optence", Role.CLUSTER_MANAGEMENT, "Optence"),
    ("deepsea", "demo-deepsea", Role.CLUSTER_MANAGEMENT, "DeepSea Mining Alliance"),
    ("merge", "demo-merge", Role.CLUSTER_MANAGEMENT, "MERGE"),
    ("leichtbau-bw", "demo-leichtbau-bw", Role.CLUSTER_MANAGEMENT, "Leichtbau BW"),
    ("jury-schulz", "demo-jury-schulz", Role.REVIEWER, None),
    ("jury-neumann", "demo-jury-neumann", Role.REVIEWER, None),
    ("jury-lange", "demo-jury-lange", Role.REVIEWER, None),
    ("payments", "demo-payments", Role.PAYMENT_OFFICER, None),
    ("payments-2", "demo-payments-2", Role.PAYMENT_OFFICER, None),
    ("officer-2", "demo-officer-2", Role.OFFICER, None),
]

# States an application can only reach once its concept budget is complete, and once both
# phases' budgets are.
CONCEPT_PLANNED = (
    State.CONCEPT_PHASE,
    State.IMPLEMENTATION_PROPOSED,
    State.IMPLEMENTATION_PHASE,
    State.CLOSED,
    State.COMPLETED,
)
BOTH_PHASES_PLANNED = (State.IMPLEMENTATION_PROPOSED, State.IMPLEMENTATION_PHASE, State.COMPLETED)


def model_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def budget_sums() -> dict[int, tuple[Decimal, Decimal, Decimal]]:
    sums = {}
    for application in Application.objects.with_programme():
        summary = budget_summary(application)
        sums[application.pk] = (
            summary.concept.total.figures.funding_amount,
            summary.implementation.total.figures.funding_amount,
            BudgetLine.objects.filter(application=application).aggregate(s=Sum("eligible_amount"))[
                "s"
            ]
            or Decimal(0),
        )
    return sums


def test_load_interspin_refuses_without_force_when_debug_is_off(settings):
    settings.DEBUG = False
    before = model_counts()
    with pytest.raises(CommandError) as refused:
        load()
    assert str(refused.value) == REFUSED_WITHOUT_DEBUG
    assert model_counts() == before


def test_load_interspin_loads_with_force_when_debug_is_off(settings):
    settings.DEBUG = False
    output = load("--force")
    assert "InterSpiN demo data loaded." in output
    assert Cluster.objects.count() == 32


def test_load_interspin_loads_without_force_when_debug_is_on(settings):
    settings.DEBUG = True
    output = load()
    assert "InterSpiN demo data loaded." in output
    assert Cluster.objects.count() == 32


def test_load_interspin_loads_the_32_clusters_of_the_csv(loaded):
    text = (
        resources.files("applications")
        .joinpath("data", "interspin_clusters.csv")
        .read_text("utf-8")
    )
    expected = {
        (r["cluster"], r["sector"], r["location"]) for r in csv.DictReader(io.StringIO(text))
    }
    loaded_clusters = set(Cluster.objects.values_list("name", "sector", "location"))
    assert len(expected) == 32
    assert loaded_clusters == expected


def test_load_interspin_gives_each_cluster_its_management_organisation(loaded):
    for cluster in Cluster.objects.select_related("management_organisation"):
        management = cluster.management_organisation
        assert management.name == f"{cluster.name} Clustermanagement"
        assert management.legal_form == LegalForm.CLUSTER_MANAGEMENT
        assert management.country == "DE"
    assert (
        Cluster.objects.values("management_organisation").distinct().count()
        == Cluster.objects.count()
    )


def test_load_interspin_sets_the_programme_caps(loaded):
    programme = Programme.objects.get(short_name="InterSpiN")
    assert programme.name == (
        "Internationalisierung von Spitzenclustern, Zukunftsprojekten und vergleichbaren Netzwerken"
    )
    assert programme.concept_annual_cap_amount == Decimal("500000.00")
    assert programme.concept_max_years == 2
    assert programme.max_rd_projects == 3
    assert programme.implementation_cap_amount == Decimal("3000000.00")
    assert programme.cluster_cap_amount == Decimal("4000000.00")
    assert programme.implementation_max_years == 3
    assert programme.max_funding_rate == Decimal(100)
    assert programme.projektpauschale_rate == Decimal(20)


def test_load_interspin_sets_the_federal_funding_rate_defaults(loaded):
    research_rate, small_bonus, medium_bonus = 50, 20, 10
    rates = {
        (d.legal_form, d.size_class): (d.basis, d.funding_rate, d.has_projektpauschale)
        for d in FundingRateDefault.objects.filter(programme__short_name="InterSpiN")
    }
    assert rates == {
        ("university", ""): ("AZA", Decimal(100), True),
        ("research_institute", ""): ("AZK", Decimal(100), False),
        ("non_profit", ""): ("AZA", Decimal(100), False),
        ("cluster_management", ""): ("AZA", Decimal(100), False),
        ("company", "small"): ("AZK", Decimal(research_rate + small_bonus), False),
        ("company", "medium"): ("AZK", Decimal(research_rate + medium_bonus), False),
        ("company", "large"): ("AZK", Decimal(research_rate), False),
    }


def historic_rounds():
    """Rounds 1 to 3, as the Kiel brief has them (round 4 is the demo's current round)."""
    return Round.objects.filter(programme__short_name="InterSpiN", number__lte=3).order_by("number")


def test_load_interspin_creates_rounds_with_quotas_11_11_10(loaded):
    rounds = historic_rounds()
    assert [r.number for r in rounds] == [1, 2, 3]
    assert [r.selection_quota for r in rounds] == [11, 11, 10]
    # EUR 88M for the 22 clusters of rounds 1 and 2; EUR 4M for each of the 10 of round 3.
    assert [r.envelope_amount for r in rounds] == [
        Decimal("44000000.00"),
        Decimal("44000000.00"),
        Decimal("40000000.00"),
    ]


def test_load_interspin_gives_rounds_their_dates(loaded):
    r1, r2, r3 = historic_rounds()
    assert r1.call_published_on == date(2014, 12, 1)
    assert r1.outline_deadline_at == datetime(2015, 2, 28, 23, 59, tzinfo=BERLIN)
    assert r1.funding_starts_on == date(2016, 1, 1)
    assert r2.call_published_on == date(2015, 11, 23)
    assert r2.call_published_on < r2.outline_deadline_at.date() < r2.funding_starts_on
    assert r2.funding_starts_on == date(2017, 1, 1)
    assert r3.call_published_on == date(2016, 11, 7)
    assert r3.outline_deadline_at == datetime(2017, 3, 15, 23, 59, tzinfo=BERLIN)
    assert r3.funding_starts_on == date(2018, 1, 1)


def test_load_interspin_twice_gives_identical_counts_of_every_model(loaded):
    first = model_counts()
    load("--force")
    assert model_counts() == first
    assert first["programmes.Cluster"] == 32
    assert first["applications.ApplicationTransition"] > 0
    assert first["budgets.BudgetLine"] > 0
    # A reload writes no history rows for what it leaves as it was.
    assert first["programmes.HistoricalOrganisation"] > 0
    assert first["budgets.HistoricalGranteeTerms"] > 0


def test_load_interspin_twice_gives_identical_budget_sums(loaded):
    first = budget_sums()
    load("--force")
    assert budget_sums() == first
    assert any(concept > 0 for concept, _implementation, _eligible in first.values())


def test_load_interspin_leaves_an_existing_application_alone(loaded):
    draft = Application.objects.get(cluster__name="Leichtbau BW", round__number=3)
    Application.objects.filter(pk=draft.pk).update(title="Changed by hand")
    output = load("--force")
    draft.refresh_from_db()
    assert draft.title == "Changed by hand"
    assert "R3 Leichtbau BW: already there" in output


def test_load_interspin_spreads_applications_over_at_least_six_states(loaded):
    states = set(Application.objects.values_list("state", flat=True))
    assert len(states) >= 6
    assert {State.DRAFT, State.SUBMITTED, State.CONCEPT_PHASE, State.REJECTED} <= states


def test_load_interspin_reaches_every_state_through_history(loaded):
    declared = {
        (t.name, str(t.source), str(t.target))
        for t in Application._meta.get_field("state").get_all_transitions(Application)
    }
    fired = {(s.round_number, s.cluster): len(s.transitions) for s in STORIES}
    # The current round's drafts have not moved yet.
    fired |= {(CURRENT_ROUND_NUMBER, draft.cluster): 0 for draft in CURRENT_DRAFTS}
    for application in Application.objects.select_related("round", "cluster"):
        history = list(application.transitions.order_by("at", "pk"))
        state = State.DRAFT
        for row in history:
            assert (row.transition, row.source_state, row.target_state) in declared
            assert row.source_state == state
            state = row.target_state
        assert state == application.state
        assert len(history) == fired[(application.round.number, application.cluster.name)]


def test_load_interspin_dates_history_when_it_happened(loaded):
    for row in ApplicationTransition.objects.select_related("application__round"):
        round_ = row.application.round
        assert round_.call_published_on <= row.at.date() < date(2021, 1, 1)
        if row.transition == "submit":
            assert row.at <= round_.outline_deadline_at


def test_load_interspin_budgets_keep_every_rule(loaded):
    for application in Application.objects.with_programme():
        assert list(budget_summary(application).violations) == []
        if application.state in CONCEPT_PLANNED:
            assert phase_plan_problems(application, Phase.CONCEPT) == []
        if application.state in BOTH_PHASES_PLANNED:
            assert budget_problems(application) == []


def test_load_interspin_stores_every_budget_as_its_summary_computes_it(loaded):
    with_lines = Application.objects.filter(budget_lines__isnull=False).distinct().count()
    assert BudgetFigures.objects.count() == with_lines > 0
    assert figures_differences() == []


def test_load_interspin_concept_grants_stay_under_the_annual_cap_in_cents(loaded):
    """Recomputed in integer cents, independently of the budget engine."""
    cap_cents = 500_000_00
    terms = {(t.application_id, t.organisation_id): t for t in GranteeTerms.objects.all()}
    eligible_cents: dict[tuple[int, int, int], int] = defaultdict(int)
    for line in BudgetLine.objects.filter(phase=Phase.CONCEPT):
        eligible_cents[(line.application_id, line.grantee_id, line.year)] += int(
            line.eligible_amount * 100
        )
    grant_by_year: dict[tuple[int, int], int] = defaultdict(int)
    for (application_id, grantee_id, year), cents in eligible_cents.items():
        rate = terms[(application_id, grantee_id)].funding_rate
        grant = int((Decimal(cents) * rate / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        grant_by_year[(application_id, year)] += grant
    assert grant_by_year
    assert all(0 < cents <= cap_cents for cents in grant_by_year.values())


def test_load_interspin_fills_implementation_projects_with_german_and_foreign_partners(loaded):
    approved = Application.objects.get(cluster__name="ARENA2036", round__number=1)
    projects = list(approved.rd_projects.prefetch_related("partners__organisation"))
    assert 1 <= len(projects) <= 3
    for project in projects:
        countries = {partner.organisation.country for partner in project.partners.all()}
        assert "DE" in countries
        assert countries - {"DE"}
        assert project.partners.filter(is_lead=True).count() == 1


def test_load_interspin_demo_users_can_log_in(loaded, client):
    for username, password, _role, _cluster in DOCUMENTED_LOGINS:
        assert client.login(request=HttpRequest(), username=username, password=password), username
        client.logout()


def test_load_interspin_puts_demo_users_in_their_groups(loaded):
    for username, _password, role, cluster in DOCUMENTED_LOGINS:
        user = User.objects.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert user.is_staff == (role in (Role.OFFICER, Role.AUDITOR))
        assert not user.is_superuser
        if cluster is None:
            assert not hasattr(user, "cluster_membership")
        else:
            assert user.cluster_membership.cluster.name == cluster


def test_load_interspin_restores_a_changed_demo_password(loaded, client):
    officer = User.objects.get(username="officer")
    officer.set_password("something else")
    officer.save()
    load("--force")
    assert client.login(request=HttpRequest(), username="officer", password="demo-officer")


def test_load_interspin_prints_the_summary_and_the_logins(loaded):
    assert "Clusters: 32" in loaded
    assert "R3 quota 10" in loaded
    assert "Demo logins" in loaded
    for username, password, _role, _cluster in DOCUMENTED_LOGINS:
        assert f"{username} / {password}" in loaded


def test_running_demo_applications_have_drawdowns_in_every_state():
    """Issue 15: each role sees a queue right after loading; paid AZA money not reported spent
    within its 42 days is flagged for the officers."""
    load("--force")
    states = set(DrawdownRequest.objects.values_list("state", flat=True))
    assert states == {state.value for state in DrawdownState}
    assert (
        DrawdownRequest.objects.filter(application__state__in=RUNNING_APPLICATION_STATES).count()
        == DrawdownRequest.objects.count()
    )
    assert spending_overdue(DrawdownRequest.objects.all()).exists()
    released = DrawdownRequest.objects.filter(state=DrawdownState.RELEASED)
    assert all(d.checked_by_id != d.released_by_id for d in released)


def test_approved_demo_plans_have_change_requests_in_several_states():
    """Issue 16: a refused, an approved (the plan's version 2), a draft and a submitted change
    request; the approved one's plan keeps version 1 beside it."""
    load("--force")
    states = set(ChangeRequest.objects.values_list("state", flat=True))
    assert {"draft", "submitted", "approved", "refused"} <= states
    approved = ChangeRequest.objects.get(state="approved")
    assert approved.version is not None
    assert approved.version.number == 2
    assert PlanVersion.objects.filter(application=approved.application, number=1).exists()
    load("--force")  # loading again adds none
    assert ChangeRequest.objects.count() == 4


def test_demo_statements_in_several_states_and_a_settled_repayment_claim():
    """Issue 16: a statement to review, one returned with questions, accepted ones, one begun
    and overdue, and a final statement settled with four eyes into a repayment claim."""
    load("--force")
    states = set(Statement.objects.values_list("state", flat=True))
    assert states == {state.value for state in StatementState}
    settlement = Settlement.objects.select_related("prepared_by", "decided_by").get()
    assert settlement.outcome == SettlementOutcome.REPAYMENT_CLAIM
    assert settlement.balance_amount == Decimal("-4000.00")
    assert (settlement.prepared_by.username, settlement.decided_by.username) == (
        "officer",
        "officer-2",
    )
    draft = Statement.objects.get(state=StatementState.DRAFT)
    assert draft.year is not None
    assert interim_due_on(draft.application.round.programme, draft.year) < date.today()
