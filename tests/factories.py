"""Test data. Programme values are InterSpiN's, from the programme row, as in production."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory
from django.contrib.auth.models import Group, User

from applications.models import Application, PartnerRegion
from applications.round_figures import round_figures_refresh
from applications.services import default_periods
from budgets.models import BudgetPosition
from programmes.access import Role
from programmes.models import (
    Basis,
    Cluster,
    ClusterMembership,
    FundingRateDefault,
    LegalForm,
    Organisation,
    Programme,
    Round,
    SizeClass,
)

BERLIN = ZoneInfo("Europe/Berlin")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("short_name",)
        skip_postgeneration_save = True

    name = "Internationalisierung von Spitzenclustern"
    short_name = "InterSpiN"
    concept_annual_cap_amount = Decimal("500000.00")
    concept_max_years = 2
    max_rd_projects = 3
    implementation_cap_amount = Decimal("3000000.00")
    implementation_max_years = 3
    cluster_cap_amount = Decimal("4000000.00")
    max_funding_rate = Decimal("100.00")
    projektpauschale_rate = Decimal("20.00")

    @factory.post_generation
    def rate_defaults(self, create, extracted, **kwargs):
        if not create:
            return
        for legal_form, size, basis, rate, pauschale in [
            (LegalForm.UNIVERSITY, "", Basis.AZA, "100.00", True),
            (LegalForm.RESEARCH_INSTITUTE, "", Basis.AZK, "100.00", False),
            (LegalForm.NON_PROFIT, "", Basis.AZA, "100.00", False),
            (LegalForm.CLUSTER_MANAGEMENT, "", Basis.AZA, "100.00", False),
            (LegalForm.COMPANY, SizeClass.SMALL, Basis.AZK, "70.00", False),
            (LegalForm.COMPANY, SizeClass.MEDIUM, Basis.AZK, "60.00", False),
            (LegalForm.COMPANY, SizeClass.LARGE, Basis.AZK, "50.00", False),
        ]:
            FundingRateDefault.objects.get_or_create(
                programme=self,
                legal_form=legal_form,
                size_class=size,
                defaults={
                    "basis": basis,
                    "funding_rate": Decimal(rate),
                    "has_projektpauschale": pauschale,
                },
            )


def open_deadline() -> datetime:
    return datetime.now(BERLIN).replace(microsecond=0) + timedelta(days=30)


class RoundFactory(factory.django.DjangoModelFactory):
    """A round that accepts outlines now, funding from next January."""

    class Meta:
        model = Round

    programme = factory.SubFactory(ProgrammeFactory)
    number = factory.Sequence(lambda n: n + 1)
    call_published_on = factory.LazyFunction(lambda: date.today() - timedelta(days=30))
    outline_deadline_at = factory.LazyFunction(open_deadline)
    funding_starts_on = factory.LazyFunction(lambda: date(date.today().year + 1, 1, 1))
    selection_quota = 11
    envelope_amount = Decimal("44000000.00")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    legal_form = LegalForm.UNIVERSITY
    size_class = ""
    country = "DE"


class CompanyFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Company {n} GmbH")
    legal_form = LegalForm.COMPANY
    size_class = SizeClass.SMALL


class PartnerAbroadFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Partner abroad {n}")
    legal_form = LegalForm.RESEARCH_INSTITUTE
    country = "FR"


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster

    name = factory.Sequence(lambda n: f"Cluster {n}")
    sector = "Elektronik / Optik"
    location = "Dresden"
    management_organisation = factory.SubFactory(
        OrganisationFactory,
        name=factory.Sequence(lambda n: f"Cluster management {n} e.V."),
        legal_form=LegalForm.CLUSTER_MANAGEMENT,
    )


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft, complete enough to submit (add a partner region with ``with_region``)."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    round = factory.SubFactory(RoundFactory)
    cluster = factory.SubFactory(ClusterFactory)
    title = factory.LazyAttribute(lambda o: f"{o.cluster.name} goes abroad")
    strategy_summary = "Partner regions in France and Japan; R&D on sensors."

    @factory.lazy_attribute
    def concept_start_on(self):
        return default_periods(self.round)["concept_start_on"]

    @factory.lazy_attribute
    def concept_end_on(self):
        return default_periods(self.round)["concept_end_on"]

    @factory.lazy_attribute
    def implementation_start_on(self):
        return default_periods(self.round)["implementation_start_on"]

    @factory.lazy_attribute
    def implementation_end_on(self):
        return default_periods(self.round)["implementation_end_on"]

    @factory.post_generation
    def with_region(self, create, extracted, **kwargs):
        if create and extracted:
            PartnerRegion.objects.create(
                application=self,
                country="FR",
                region="Auvergne-Rhône-Alpes",
                partner_name="Minalogic",
                is_known_partner=True,
            )


def user_with_role(username: str, role: str, cluster: Cluster | None = None) -> User:
    # Officers and auditors work in the admin (the back office), so they are staff.
    user = User.objects.create_user(
        username=username,
        password="pw-" + username,
        is_staff=role in (Role.OFFICER, Role.AUDITOR),
    )
    user.groups.add(Group.objects.get(name=role))
    if cluster is not None:
        ClusterMembership.objects.create(user=user, cluster=cluster)
    return user


def position(basis: str, code: str) -> BudgetPosition:
    return BudgetPosition.objects.get(basis=basis, code=code)


def put_in_state_for_test(application: Application, state: str) -> Application:
    """Only for tests to which the state is incidental (it opens a phase's budget, say): set
    the state in the database without a transition, so no guard runs and no history row is
    written. Anything that reads the history, or tests the workflow, fires the real transitions
    through ``applications.services.application_transition`` (see ``bring_to`` in
    ``tests/applications/conftest.py`` and ``select`` in ``tests/budgets/support.py``)."""
    Application.objects.filter(pk=application.pk).update(state=state)
    round_figures_refresh([application.round_id])  # as a saved application's round would be
    return Application.objects.with_programme().get(pk=application.pk)
