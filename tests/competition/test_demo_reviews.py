"""The competition in the demo data: criteria per round, a jury, and reviews behind every panel
decision, loaded through the real services; loading twice changes nothing."""

import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.http import HttpRequest
from django.test import override_settings

from applications.models import ApplicationTransition
from applications.states import REVIEWED_STATES, SELECTED_STATES, State
from competition.models import (
    ConflictOfInterest,
    Review,
    ReviewCriterion,
    ReviewerAssignment,
    ReviewScore,
)
from competition.selectors import round_ranking
from programmes.access import Role
from programmes.models import Round

pytestmark = pytest.mark.django_db

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
JURY = ("jury-schulz", "jury-neumann", "jury-lange")
# The criteria of the issue, with the weights the demo gives them.
CRITERIA_WEIGHTS = {
    "Qualität der Internationalisierungsstrategie": Decimal("2.00"),
    "Passung der Partnerregionen": Decimal("1.50"),
    "Nutzen für den gesamten Cluster": Decimal("1.50"),
    "Nachhaltigkeit über die Förderung hinaus": Decimal("1.00"),
    "Qualität der geplanten FuE-Kooperationen": Decimal("2.00"),
}


def load() -> str:
    out = io.StringIO()
    call_command("load_interspin", "--force", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """Loaded once for the module in a transaction rolled back at its end."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        outer = transaction.atomic()
        outer.__enter__()
        output = load()
    yield output
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def loaded(demo_output, db, settings) -> str:
    settings.PASSWORD_HASHERS = FAST_HASHERS
    return demo_output


def competition_counts() -> dict[str, int]:
    models = (ReviewCriterion, ReviewerAssignment, Review, ReviewScore, ConflictOfInterest)
    return {model.__name__: model._default_manager.count() for model in models}


def test_demo_rounds_have_the_five_weighted_criteria(loaded):
    for round_ in Round.objects.filter(programme__short_name="InterSpiN"):
        criteria = ReviewCriterion.objects.filter(round=round_).order_by("order")
        assert {c.name: c.weight for c in criteria} == CRITERIA_WEIGHTS
        assert {(c.scale_min, c.scale_max) for c in criteria} == {(1, 5)}


def test_demo_jury_members_are_reviewers_outside_the_admin(loaded, client):
    for username in JURY:
        user = User.objects.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == [Role.REVIEWER]
        assert not user.is_staff
        assert client.login(request=HttpRequest(), username=username, password=f"demo-{username}")
        client.logout()


def test_demo_every_selection_has_the_required_submitted_reviews(loaded):
    selections = ApplicationTransition.objects.filter(transition="select").select_related(
        "application__round"
    )
    assert selections.count() == 5
    for row in selections:
        application = row.application
        submitted = Review.objects.filter(
            assignment__application=application, submitted_at__isnull=False
        )
        assert submitted.count() >= application.round.min_submitted_reviews
        # Reviewed before the panel decided, with a justification on record.
        assert all(review.submitted_at < row.at for review in submitted)
        assert row.comment


def test_demo_rejection_is_backed_by_reviews(loaded):
    rejected = Review.objects.filter(assignment__application__state=State.REJECTED)
    assert rejected.count() == 2
    assert set(rejected.values_list("recommendation", flat=True)) == {"do_not_fund"}


def test_demo_conflict_of_interest_keeps_the_jury_member_off_the_cluster(loaded):
    conflict = ConflictOfInterest.objects.select_related("reviewer", "cluster").get()
    assert (conflict.reviewer.username, conflict.cluster.name) == ("jury-lange", "BioM")
    assert not ReviewerAssignment.objects.filter(
        reviewer=conflict.reviewer, application__cluster=conflict.cluster
    ).exists()


def test_demo_reviews_are_only_of_applications_before_the_panel(loaded):
    states = set(ReviewerAssignment.objects.values_list("application__state", flat=True).distinct())
    assert states <= set(REVIEWED_STATES)
    assert states & set(SELECTED_STATES)


def test_demo_ranking_of_round_1_ranks_all_four_outlines(loaded):
    officer = User.objects.get(username="officer")
    ranking = round_ranking(Round.objects.get(number=1), user=officer)
    assert len(ranking.lines) == 4
    assert all(line.is_ranked and line.has_enough_reviews for line in ranking.lines)
    assert ranking.lines[-1].application.cluster.name == "MedicalValley EMN"


def test_demo_load_twice_adds_no_review_data(loaded):
    before = competition_counts()
    output = load()
    assert competition_counts() == before
    assert before["Review"] == 14
    assert "0 new review criteria." in output
    assert "Reviews: 13 submitted, 1 draft" in output
