"""The competition's models moved from ``applications`` to ``competition`` without losing a row:
a database migrated at the state before the move keeps every criterion, assignment, review, score
and conflict of interest, and a submitted review stays unchangeable in the database."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.state import StateApps

from competition.models import (
    ConflictOfInterest,
    Recommendation,
    Review,
    ReviewCriterion,
    ReviewScore,
)
from competition.services import ScoreInput, conflict_declare, review_save_draft, reviewer_assign
from programmes.access import Role

from ..factories import ClusterFactory, user_with_role
from .support import new_reviewer, review_submitted

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_THE_MOVE = [("applications", "0004_submitted_reviews_immutable"), ("competition", None)]
MOVED = {
    "reviewcriterion": ("round_id", "name", "weight", "scale_min", "scale_max", "order"),
    "reviewerassignment": ("application_id", "reviewer_id", "assigned_by_id"),
    "review": ("assignment_id", "recommendation", "comment", "submitted_at"),
    "reviewscore": ("review_id", "criterion_id", "score"),
    "conflictofinterest": ("reviewer_id", "cluster_id", "reason", "declared_by_id"),
}


def migrate(targets: list[tuple[str, str | None]]) -> StateApps:
    """Migrate the test database to ``targets``; the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def latest() -> list[tuple[str, str | None]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def rows(models: Any, app_label: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the moved tables, as the models of ``models`` (a registry) read them."""
    return {
        name: list(
            models.get_model(app_label, name).objects.order_by("pk").values_list("pk", *fields)
        )
        for name, fields in MOVED.items()
    }


def values(row: Any, model: str) -> tuple[Any, ...]:
    return (row.pk, *(getattr(row, field) for field in MOVED[model]))


@pytest.fixture(autouse=True)
def back_to_latest() -> Iterator[None]:
    """Whatever a test did, the next one finds the database fully migrated."""
    yield
    migrate(latest())


@pytest.fixture
def competition(in_review_a: Any, officer: Any) -> dict[str, list[tuple[Any, ...]]]:
    """A round's competition at today's schema, through the services: criteria, two submitted
    reviews with their scores, an assignment with a draft, and a conflict of interest."""
    review_submitted(in_review_a, new_reviewer(), officer=officer, scores=[5, 3])
    review_submitted(in_review_a, new_reviewer(), officer=officer, scores=[4, 4])
    assignment = reviewer_assign(application=in_review_a, reviewer=new_reviewer(), by=officer)
    criteria = list(ReviewCriterion.objects.filter(round=in_review_a.round))
    review_save_draft(
        assignment=assignment,
        scores=[ScoreInput(criteria[0], 2)],
        recommendation=Recommendation.FUND,
        by=assignment.reviewer,
    )
    conflict_declare(
        reviewer=user_with_role("conflicted-juror", Role.REVIEWER),
        cluster=ClusterFactory(),
        reason="Former employee",
        by=officer,
    )
    return rows(django_apps, "competition")


def test_migration_keeps_every_competition_row_across_the_move(competition, officer):
    assert all(competition.values()), "the fixture must fill every moved table"

    before = migrate(BEFORE_THE_MOVE)
    assert rows(before, "applications") == competition
    # A row written under the old schema moves too.
    old_conflict = before.get_model("applications", "ConflictOfInterest")
    written_before = old_conflict.objects.create(
        reviewer_id=competition["conflictofinterest"][0][1],
        cluster_id=ClusterFactory().pk,
        reason="Board member",
        declared_by_id=officer.pk,
    )

    after = migrate(latest())
    moved = rows(after, "competition")
    written = values(written_before, "conflictofinterest")
    assert moved == {
        **competition,
        "conflictofinterest": [*competition["conflictofinterest"], written],
    }
    assert ConflictOfInterest.objects.get(pk=written_before.pk).reason == "Board member"


def test_migration_keeps_a_submitted_review_unchangeable(competition):
    """The database's triggers follow the renamed tables: SQL still cannot change a submitted
    review or its scores (PostgreSQL's trigger functions name the review table)."""
    migrate(BEFORE_THE_MOVE)
    migrate(latest())
    submitted = Review.objects.filter(submitted_at__isnull=False).first()
    assert submitted is not None
    for sql in (
        f"UPDATE {Review._meta.db_table} SET comment = 'changed by SQL' WHERE id = %s",
        f"UPDATE {ReviewScore._meta.db_table} SET score = 1 WHERE review_id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [submitted.pk])
    assert Review.objects.get(pk=submitted.pk).comment == submitted.comment


def test_migration_moves_the_content_types_with_the_models(competition):
    migrate(BEFORE_THE_MOVE)
    migrate(latest())
    ContentType.objects.clear_cache()
    for model in MOVED:
        assert ContentType.objects.filter(app_label="competition", model=model).count() == 1
        assert not ContentType.objects.filter(app_label="applications", model=model).exists()
