"""The competition: criteria per round, reviewers (jury members) assigned to applications, the
conflicts of interest they declare, and their reviews.

A submitted review is the record the panel decided on, so it is immutable: the services refuse to
change it, ``save()`` and ``delete()`` refuse, the querysets refuse bulk updates and deletions,
and database triggers (migration ``0004_submitted_reviews_immutable``) refuse to update a
submitted review or any of its scores.
"""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from kernel import clock
from programmes.models import Cluster, Round

REVIEW_SUBMITTED = gettext_noop("This review has been submitted and can no longer be changed.")
SCALE_NOT_ASCENDING = gettext_noop("The highest score must be above the lowest.")


class Recommendation(models.TextChoices):
    """The reviewer's overall advice to the selection panel."""

    FUND = "fund", _("fund")
    DO_NOT_FUND = "do_not_fund", _("do not fund")
    UNDECIDED = "undecided", _("undecided")


class ReviewCriterion(models.Model):
    """One criterion the outlines of a round are scored on, with its weight in the mean and
    its scale (for example 1 to 5)."""

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="review_criteria", verbose_name=_("round")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, default=Decimal("1.00")
    )
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=5)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("review criterion")
        verbose_name_plural = _("review criteria")
        ordering = ["round", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "name"], name="unique_review_criterion_name_per_round"
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0), name="review_criterion_weight_positive"
            ),
            models.CheckConstraint(
                condition=Q(scale_max__gt=F("scale_min")), name="review_criterion_scale_ascends"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if (
            self.scale_min is not None
            and self.scale_max is not None
            and self.scale_max <= self.scale_min
        ):
            raise ValidationError({"scale_max": gettext(SCALE_NOT_ASCENDING)})

    def accepts(self, score: int) -> bool:
        """Whether ``score`` lies on this criterion's scale."""
        return self.scale_min <= score <= self.scale_max


class ReviewerAssignment(models.Model):
    """An officer asked a reviewer to review an application."""

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="reviewer_assignments",
        verbose_name=_("application"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="review_assignments",
        verbose_name=_("reviewer"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=clock.now)

    class Meta:
        verbose_name = _("reviewer assignment")
        verbose_name_plural = _("reviewer assignments")
        ordering = ["application", "assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"],
                name="one_assignment_per_reviewer_and_application",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} – {self.reviewer}"


class ConflictOfInterest(models.Model):
    """A reviewer's declaration that they cannot judge a cluster impartially; they are not
    assigned to its applications."""

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="conflicts_of_interest",
        verbose_name=_("reviewer"),
    )
    cluster = models.ForeignKey(
        Cluster,
        on_delete=models.PROTECT,
        related_name="conflicts_of_interest",
        verbose_name=_("cluster"),
    )
    reason = models.TextField(_("reason"))
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("declared by"),
    )
    declared_at = models.DateTimeField(_("declared at"), default=clock.now)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["reviewer", "cluster"]
        constraints = [
            models.UniqueConstraint(
                fields=["reviewer", "cluster"], name="one_conflict_declaration_per_cluster"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="conflict_of_interest_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} ≠ {self.cluster}"


def _refuse_submitted() -> None:
    raise ValidationError(gettext(REVIEW_SUBMITTED), code="review_submitted")


class FrozenOnceSubmittedQuerySet(models.QuerySet[Any]):
    """Rows of a submitted review cannot be changed or deleted in bulk either."""

    def of_submitted_reviews(self) -> "models.QuerySet[Any]":
        raise NotImplementedError

    def update(self, **kwargs: Any) -> int:
        if self.of_submitted_reviews().exists():
            _refuse_submitted()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.of_submitted_reviews().exists():
            _refuse_submitted()
        return super().delete()


class FrozenOnceSubmitted(models.Model):
    """A row that belongs to a review which, once submitted, may not change (save or delete)."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.belongs_to_submitted_review():
            _refuse_submitted()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.belongs_to_submitted_review():
            _refuse_submitted()
        return super().delete(*args, **kwargs)

    def belongs_to_submitted_review(self) -> bool:
        raise NotImplementedError


class ReviewQuerySet(FrozenOnceSubmittedQuerySet):
    def submitted(self) -> "ReviewQuerySet":
        return self.filter(submitted_at__isnull=False)

    def of_submitted_reviews(self) -> "ReviewQuerySet":
        return self.submitted()


class Review(FrozenOnceSubmitted):
    """A reviewer's judgement of the application of one assignment: a draft until submitted,
    then immutable."""

    assignment = models.OneToOneField(
        ReviewerAssignment,
        on_delete=models.PROTECT,
        related_name="review",
        verbose_name=_("assignment"),
    )
    recommendation = models.CharField(
        _("recommendation"), max_length=20, choices=Recommendation.choices, blank=True
    )
    comment = models.TextField(_("overall comment"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    updated_at = models.DateTimeField(_("last changed"), default=clock.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["assignment__application", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | ~Q(recommendation=""),
                name="submitted_review_has_recommendation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    def belongs_to_submitted_review(self) -> bool:
        """As stored: submitting is itself a save of a draft."""
        return self.pk is not None and Review.objects.filter(pk=self.pk).submitted().exists()


class ReviewScoreQuerySet(FrozenOnceSubmittedQuerySet):
    def of_submitted_reviews(self) -> "ReviewScoreQuerySet":
        return self.filter(review__submitted_at__isnull=False)


class ReviewScore(FrozenOnceSubmitted):
    """The score (within the criterion's scale) and comment of one review on one criterion.
    A draft may leave the score empty; a submitted review has every criterion scored."""

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="scores", verbose_name=_("review")
    )
    criterion = models.ForeignKey(
        ReviewCriterion,
        on_delete=models.PROTECT,
        related_name="scores",
        verbose_name=_("criterion"),
    )
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    objects = ReviewScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["review", "criterion__order", "criterion__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"], name="one_score_per_review_and_criterion"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"

    def belongs_to_submitted_review(self) -> bool:
        return Review.objects.filter(pk=self.review_id).submitted().exists()
