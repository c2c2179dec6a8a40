"""The migrations to ISO 3166 countries and proposals: existing organisations become confirmed
reference data with the key of their name, and country codes move to ISO spelling, both ways."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from applications.models import PartnerRegion
from programmes.models import Organisation

from ..factories import ApplicationFactory, OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("programmes", "0006_organisation_history_baseline"),
    ("applications", "0005_reviews_move_to_competition"),
]
AFTER = [
    ("programmes", "0007_organisation_proposals_and_countries"),
    ("applications", "0006_partner_region_iso_country"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def test_existing_rows_get_keys_iso_codes_and_are_confirmed(programme, open_round, cluster_a):
    sensorik = OrganisationFactory(name="Sensorik  Dresden GmbH")
    imperial = OrganisationFactory(name="Imperial College")
    unknown = OrganisationFactory(name="Nowhere Institute")
    region = ApplicationFactory(
        round=open_round, cluster=cluster_a, with_region=True
    ).partner_regions.get()
    try:
        old = migrate(BEFORE)
        organisations = old.get_model("programmes", "Organisation").objects
        organisations.filter(pk=sensorik.pk).update(country="de")
        organisations.filter(pk=imperial.pk).update(country="UK")
        organisations.filter(pk=unknown.pk).update(country="XX")
        old.get_model("applications", "PartnerRegion").objects.filter(pk=region.pk).update(
            country="fr"
        )
    finally:
        migrate(AFTER)
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    stored = {
        o.pk: o for o in Organisation.objects.filter(pk__in=[sensorik.pk, imperial.pk, unknown.pk])
    }
    assert (stored[sensorik.pk].country, stored[sensorik.pk].name_key) == ("DE", "sensorikdresden")
    assert stored[imperial.pk].country == "GB"
    assert stored[unknown.pk].country == "XX"  # left for an officer to correct
    assert all(o.is_confirmed and o.proposed_by_cluster is None for o in stored.values())
    assert PartnerRegion.objects.get(pk=region.pk).country == "FR"


def test_the_migrations_go_back(programme):
    organisation = OrganisationFactory(name="Fraunhofer ENAS", country="FR")
    try:
        old = migrate(BEFORE)
        row = old.get_model("programmes", "Organisation").objects.get(pk=organisation.pk)
        assert row.country == "FR"
        assert not hasattr(row, "name_key")
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert Organisation.objects.get(pk=organisation.pk).name_key == "fraunhoferenas"
