"""Back office for the competition: criteria, reviewer assignments and conflicts of interest are
written through ``competition.services``; reviews and their scores are read-only here
(reviewers write them outside the admin, and a submitted review never changes).

Officers and auditors see reviewer names and scores; cluster managements never reach the admin.
"""

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kernel.admin_forms import ReadOnlyAdmin, ServiceAdmin, ServiceForm, related_filter
from programmes.access import Role

from .models import ConflictOfInterest, Review, ReviewCriterion, ReviewerAssignment, ReviewScore
from .services import (
    CRITERION_FIELDS,
    conflict_declare,
    criterion_create,
    criterion_delete,
    criterion_update,
    reviewer_assign,
    reviewer_unassign,
)

ROUND_FILTER = ("round", related_filter("programme"))
APPLICATION_ROUND_FILTER = ("application__round", related_filter("programme"))


def _reviewers() -> QuerySet[Any]:
    return (
        get_user_model()
        ._default_manager.filter(groups__name=Role.REVIEWER)
        .order_by("last_name", "username")
    )


@admin.register(ReviewCriterion)
class ReviewCriterionAdmin(ServiceAdmin):
    """A round's criteria, changeable until the first review of the round is saved."""

    list_display = ["name", "round", "weight", "scale_min", "scale_max", "order"]
    list_filter = [ROUND_FILTER]
    list_select_related = ["round__programme"]
    search_fields = ["name", "description"]
    ordering = ["round", "order", "pk"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["round"] if obj is not None else []

    def write(self, request: HttpRequest, original: Any, form: ServiceForm) -> ReviewCriterion:
        data = form.cleaned_data
        if original is None:
            return criterion_create(
                round=data["round"],
                name=data["name"],
                description=data.get("description", ""),
                weight=data["weight"],
                scale_min=data["scale_min"],
                scale_max=data["scale_max"],
                order=data.get("order", 0),
                by=request.user,
            )
        changes = {
            name: data[name]
            for name in form.changed_data
            if name in CRITERION_FIELDS and name in data
        }
        return criterion_update(criterion=original, by=request.user, **changes)

    def remove(self, request: HttpRequest, original: Any) -> None:
        criterion_delete(criterion=original, by=request.user)


@admin.register(ReviewerAssignment)
class ReviewerAssignmentAdmin(ServiceAdmin):
    """Officers assign reviewers (the service refuses conflicts of interest and the cluster's
    own management) and withdraw assignments whose review is not submitted; an assignment is
    never changed in place."""

    list_display = ["application", "reviewer", "assigned_by", "assigned_at", "review_status"]
    list_filter = [APPLICATION_ROUND_FILTER, "application__state"]
    list_select_related = [
        "application__round__programme",
        "application__cluster",
        "reviewer",
        "assigned_by",
        "review",
    ]
    search_fields = [
        "application__title",
        "application__cluster__name",
        "reviewer__username",
        "reviewer__last_name",
    ]
    fields = ["application", "reviewer"]
    autocomplete_fields = ["application"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "reviewer":
            kwargs["queryset"] = _reviewers()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The change page shows the assignment; nothing on it can be changed.
        return obj is None and super().has_change_permission(request, obj)

    @admin.display(description=_("review"))
    def review_status(self, assignment: ReviewerAssignment) -> str:
        review = getattr(assignment, "review", None)
        if review is None:
            return str(_("not started"))
        return str(_("submitted") if review.is_submitted else _("draft"))

    def write(self, request: HttpRequest, original: Any, form: ServiceForm) -> ReviewerAssignment:
        data = form.cleaned_data
        return reviewer_assign(
            application=data["application"], reviewer=data["reviewer"], by=request.user
        )

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        """A draft review goes with its assignment (the service deletes it); a submitted one
        stays on record, so it protects its assignment."""
        deleted, counts, perms_needed, _protected = super().get_deleted_objects(objs, request)
        submitted = (
            Review.objects.submitted()
            .filter(assignment__in=[obj.pk for obj in objs])
            .select_related(
                "assignment__application__round__programme",
                "assignment__application__cluster",
                "assignment__reviewer",
            )
        )
        # Reviews are read-only here, which would make the admin refuse to touch a draft.
        perms_needed = perms_needed - {Review._meta.verbose_name}
        return deleted, counts, perms_needed, [str(review) for review in submitted]

    def remove(self, request: HttpRequest, original: Any) -> None:
        reviewer_unassign(assignment=original, by=request.user)


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(ServiceAdmin):
    """Declarations are recorded (by the reviewer, or an officer for them) and stay on record."""

    list_display = ["reviewer", "cluster", "declared_by", "declared_at"]
    list_filter = ["cluster"]
    list_select_related = ["reviewer", "cluster", "declared_by"]
    search_fields = ["reviewer__username", "reviewer__last_name", "cluster__name", "reason"]
    fields = ["reviewer", "cluster", "reason"]
    autocomplete_fields = ["cluster"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "reviewer":
            kwargs["queryset"] = _reviewers()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def write(self, request: HttpRequest, original: Any, form: ServiceForm) -> ConflictOfInterest:
        data = form.cleaned_data
        return conflict_declare(
            reviewer=data["reviewer"],
            cluster=data["cluster"],
            reason=data["reason"],
            by=request.user,
        )


class ReviewScoreInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ReviewScore
    fields = ("criterion", "score", "comment")
    readonly_fields = ("criterion", "score", "comment")
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReviewScore]:
        return super().get_queryset(request).select_related("criterion")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    """Reviews as the reviewers wrote them: drafts, and submitted reviews that never change."""

    list_display = ["application", "reviewer", "recommendation", "submitted_at", "updated_at"]
    list_filter = (
        ("assignment__application__round", related_filter("programme")),
        "recommendation",
        ("submitted_at", admin.EmptyFieldListFilter),
    )
    list_select_related = [
        "assignment__application__round__programme",
        "assignment__application__cluster",
        "assignment__reviewer",
    ]
    search_fields = [
        "assignment__application__title",
        "assignment__application__cluster__name",
        "assignment__reviewer__username",
        "assignment__reviewer__last_name",
        "comment",
    ]
    inlines = [ReviewScoreInline]

    @admin.display(description=_("application"), ordering="assignment__application")
    def application(self, review: Review) -> str:
        return str(review.assignment.application)

    @admin.display(description=_("reviewer"), ordering="assignment__reviewer__username")
    def reviewer(self, review: Review) -> str:
        return str(review.assignment.reviewer)


@admin.register(ReviewScore)
class ReviewScoreAdmin(ReadOnlyAdmin):
    """Every score of every review, for auditors who compare across reviews."""

    list_display = ["review", "criterion", "score"]
    list_filter = [("criterion__round", related_filter("programme")), "criterion__name"]
    list_select_related = [
        "review__assignment__application__round__programme",
        "review__assignment__application__cluster",
        "review__assignment__reviewer",
        "criterion",
    ]
    search_fields = [
        "criterion__name",
        "review__assignment__application__cluster__name",
        "review__assignment__reviewer__username",
        "comment",
    ]
