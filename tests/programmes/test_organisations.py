"""Organisations proposed by cluster managements and confirmed by officers: who may add them,
who sees them, and duplicates refused with a pointer to the organisation that exists."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from kernel.history import CREATED
from programmes.access import (
    Role,
    can_see_organisation,
    can_use_organisation,
    organisations_visible_to,
)
from programmes.models import LegalForm, Organisation, SizeClass
from programmes.names import name_key
from programmes.services import (
    CITY_REQUIRED,
    DUPLICATE,
    DUPLICATE_PROPOSED,
    MAY_NOT_CONFIRM,
    MAY_NOT_EDIT,
    MAY_NOT_PROPOSE,
    organisation_confirm,
    organisation_propose,
    organisation_update,
)

from ..factories import CompanyFactory, user_with_role

pytestmark = pytest.mark.django_db


def propose(by, name="Sensorik Dresden GmbH", country="DE", city="Dresden", **fields):
    values = {"legal_form": LegalForm.COMPANY, "size_class": SizeClass.SMALL} | fields
    return organisation_propose(name=name, country=country, city=city, by=by, **values)


@pytest.mark.parametrize(
    "variant",
    [
        "Sensorik Dresden GmbH",
        "sensorik dresden gmbh",
        "SENSORIK  DRESDEN",
        "Sensorik Dresden",
        "SensorikDresden GmbH",
        "Sensorik Dresden gGmbH",
        "Sensorik Dresden AG",
        "Sensorik Dresden SE",
        "Sensorik Dresden KG",
        "Sensorik Dresden GmbH & Co. KG",
        "Sensorik Dresden UG (haftungsbeschränkt)",
        "Sensorik Dresden e.V.",
        "Sensorik Dresden e. V.",
        "Sensorik Dresden Ltd",
        "Sensorik Dresden Ltd.",
        "Sensorik Dresden, Inc.",
        "Sensorik Dresden LLC",
        "Sensorik Dresden S.A.",
        " Sensorik Dresden GmbH ",
    ],
)
def test_name_key_ignores_case_spacing_and_legal_form(variant):
    assert name_key(variant) == name_key("Sensorik Dresden GmbH") == "sensorikdresden"


@pytest.mark.parametrize(
    "other", ["Sensorik Dresden Nord GmbH", "Sensorik Leipzig GmbH", "Sensorika Dresden"]
)
def test_name_key_keeps_other_names_apart(other):
    assert name_key(other) != name_key("Sensorik Dresden GmbH")


def test_a_name_that_is_only_a_suffix_keeps_it():
    assert name_key("AG") == "ag"


def test_a_cluster_management_proposes_an_organisation_for_its_cluster(manager_a, cluster_a):
    organisation = propose(manager_a, register_number="HRB 1234", vat_number="DE123456789")
    stored = Organisation.objects.get(pk=organisation.pk)
    assert stored.proposed_by_cluster == cluster_a
    assert (stored.confirmed_at, stored.confirmed_by) == (None, None)
    assert (stored.register_number, stored.vat_number) == ("HRB 1234", "DE123456789")
    assert stored.name_key == "sensorikdresden"
    (history,) = stored.history.all()
    assert (history.history_type, history.history_user) == (CREATED, manager_a)


def test_an_officers_organisation_is_confirmed_at_once(officer):
    organisation = propose(officer)
    assert organisation.is_confirmed
    assert organisation.confirmed_by == officer
    assert organisation.proposed_by_cluster is None


def test_a_proposal_is_seen_by_its_cluster_officers_and_auditors_only(
    manager_a, manager_b, officer, auditor
):
    proposal = propose(manager_a)
    reviewer = user_with_role("rita-reviewer", Role.REVIEWER)
    for user, sees in ((manager_a, True), (officer, True), (auditor, True)):
        assert (proposal in organisations_visible_to(user)) is sees
        assert can_see_organisation(user, proposal) is sees
    for user in (manager_b, reviewer):
        assert proposal not in organisations_visible_to(user)
        assert not can_see_organisation(user, proposal)


def test_once_confirmed_every_role_sees_it(manager_a, manager_b, officer):
    proposal = propose(manager_a)
    confirmed = organisation_confirm(organisation=proposal, by=officer)
    assert confirmed.is_confirmed
    assert confirmed.confirmed_by == officer
    assert confirmed in organisations_visible_to(manager_b)
    assert can_use_organisation(manager_b, confirmed, manager_b.cluster_membership.cluster_id)
    assert confirmed.history.latest().history_user == officer


def test_an_officer_uses_another_clusters_proposal_only_after_confirming_it(
    manager_a, officer, cluster_a, cluster_b
):
    proposal = propose(manager_a)
    assert can_use_organisation(officer, proposal, cluster_a.pk)
    assert not can_use_organisation(officer, proposal, cluster_b.pk)


def test_confirming_twice_writes_nothing(manager_a, officer):
    confirmed = organisation_confirm(organisation=propose(manager_a), by=officer)
    organisation_confirm(organisation=confirmed, by=officer)
    assert confirmed.history.count() == 2


@pytest.mark.parametrize("persona", ["manager_a", "auditor"])
def test_only_officers_confirm(request, persona, manager_a):
    proposal = propose(manager_a)
    with pytest.raises(PermissionDenied, match=MAY_NOT_CONFIRM):
        organisation_confirm(organisation=proposal, by=request.getfixturevalue(persona))
    assert not Organisation.objects.get(pk=proposal.pk).is_confirmed


@pytest.mark.parametrize("persona", ["auditor", "anonymous"])
def test_auditors_and_others_may_not_propose(request, persona):
    with pytest.raises(PermissionDenied, match=MAY_NOT_PROPOSE):
        propose(request.getfixturevalue(persona))
    assert not Organisation.objects.filter(name="Sensorik Dresden GmbH").exists()


@pytest.mark.parametrize(
    "variant",
    ["sensorik dresden", "Sensorik Dresden AG", "SENSORIK DRESDEN gGmbH", "Sensorik  Dresden SE"],
)
def test_a_duplicate_is_refused_with_a_pointer_to_the_existing_one(variant, manager_a, officer):
    existing = CompanyFactory(name="Sensorik Dresden GmbH", city="Dresden")
    for user in (manager_a, officer):
        with pytest.raises(ValidationError) as refused:
            propose(user, name=variant)
        expected = DUPLICATE % {"name": existing.name, "city": "Dresden", "id": existing.pk}
        assert refused.value.message_dict == {"name": [expected]}
    assert Organisation.objects.filter(name_key="sensorikdresden").count() == 1


def test_the_pointer_is_in_german_for_a_german_user(manager_a):
    existing = CompanyFactory(name="Sensorik Dresden GmbH", city="Dresden")
    with translation.override("de"), pytest.raises(ValidationError) as refused:
        propose(manager_a, name="Sensorik Dresden AG")
    assert refused.value.message_dict["name"] == [
        f"Diese Organisation gibt es bereits: Sensorik Dresden GmbH, Dresden "
        f"(Nr. {existing.pk}). Wählen Sie sie aus, statt sie noch einmal anzulegen."
    ]


def test_the_same_name_in_another_country_is_another_organisation(manager_a):
    CompanyFactory(name="Sensorik Dresden GmbH")
    abroad = propose(manager_a, country="AT", city="Wien")
    assert abroad.country == "AT"


def test_another_clusters_pending_proposal_is_not_shown_to_a_cluster(manager_a, manager_b):
    propose(manager_a)
    with pytest.raises(ValidationError) as refused:
        propose(manager_b, name="Sensorik Dresden AG")
    assert refused.value.message_dict == {"name": [DUPLICATE_PROPOSED]}
    assert "Dresden (no." not in str(refused.value)


def test_an_unknown_country_is_refused(manager_a):
    with pytest.raises(ValidationError) as refused:
        propose(manager_a, country="XX")
    assert set(refused.value.message_dict) == {"country"}
    assert not Organisation.objects.filter(name="Sensorik Dresden GmbH").exists()


def test_a_country_code_in_lower_case_is_taken(manager_a):
    assert propose(manager_a, country="fr", city="Grenoble").country == "FR"


def test_a_new_organisation_needs_its_city(manager_a):
    with pytest.raises(ValidationError) as refused:
        propose(manager_a, city="  ")
    assert refused.value.message_dict == {"city": [CITY_REQUIRED]}


def test_a_company_needs_its_size_class(manager_a):
    with pytest.raises(ValidationError) as refused:
        propose(manager_a, size_class="")
    assert set(refused.value.message_dict) == {"size_class"}


def test_an_officer_renaming_into_a_duplicate_is_refused_and_nothing_changes(officer):
    existing = CompanyFactory(name="Sensorik Dresden GmbH", city="Dresden")
    other = CompanyFactory(name="Optik Jena GmbH", city="Jena")
    with pytest.raises(ValidationError) as refused:
        organisation_update(organisation=other, changes={"name": "Sensorik Dresden AG"}, by=officer)
    expected = DUPLICATE % {"name": existing.name, "city": "Dresden", "id": existing.pk}
    assert refused.value.message_dict == {"name": [expected]}
    other.refresh_from_db()
    assert (other.name, other.history.count()) == ("Optik Jena GmbH", 1)


def test_a_move_into_the_country_of_a_namesake_is_a_duplicate_too(officer):
    CompanyFactory(name="Sensorik Dresden GmbH", country="DE")
    abroad = CompanyFactory(name="Sensorik Dresden GmbH", country="AT", city="Wien")
    with pytest.raises(ValidationError, match="exists already"):
        organisation_update(organisation=abroad, changes={"country": "de"}, by=officer)
    abroad.refresh_from_db()
    assert abroad.country == "AT"


def test_an_officer_renames_an_organisation_keeping_its_own_name_key(officer):
    organisation = CompanyFactory(name="Sensorik Dresden GmbH", city="Dresden")
    # The same name in another spelling is this organisation itself, not a duplicate.
    renamed = organisation_update(
        organisation=organisation, changes={"name": "Sensorik Dresden AG"}, by=officer
    )
    assert (renamed.name, renamed.history.latest().history_user) == ("Sensorik Dresden AG", officer)


def test_a_change_that_changes_nothing_writes_nothing(officer):
    organisation = CompanyFactory(name="Sensorik Dresden GmbH", city="Dresden")
    before = organisation.history.count()
    organisation_update(organisation=organisation, changes={"city": "Dresden"}, by=officer)
    assert organisation.history.count() == before


@pytest.mark.parametrize("persona", ["manager_a", "auditor"])
def test_only_officers_change_organisations(request, persona):
    organisation = CompanyFactory(name="Sensorik Dresden GmbH", city="Dresden")
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied, match=MAY_NOT_EDIT):
        organisation_update(organisation=organisation, changes={"city": "Chemnitz"}, by=user)
    organisation.refresh_from_db()
    assert organisation.city == "Dresden"
