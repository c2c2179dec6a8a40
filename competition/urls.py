"""The competition's pages: the reviewers' under ``applications/``, the officers' per round
under ``rounds/<round>/`` (beside the round's overview in ``reports``) and per application."""

from django.urls import path

from .views import assignments, reviews, rounds

app_name = "competition"

urlpatterns = [
    path("applications/reviews/", reviews.review_list, name="reviews"),
    path("applications/reviews/conflicts/", reviews.conflicts_view, name="conflicts"),
    path("applications/<int:pk>/review/", reviews.review_edit, name="review"),
    path("applications/<int:pk>/review/submit/", reviews.review_submit_view, name="review-submit"),
    path("applications/<int:pk>/reviewers/", assignments.application_reviewers, name="reviewers"),
    path(
        "applications/<int:pk>/reviewers/assign/",
        assignments.reviewer_assign_view,
        name="reviewer-assign",
    ),
    path(
        "applications/<int:pk>/reviewers/<int:assignment_pk>/withdraw/",
        assignments.reviewer_withdraw_view,
        name="reviewer-withdraw",
    ),
    path(
        "rounds/<int:round_pk>/assignments/",
        assignments.round_assignments,
        name="round-assignments",
    ),
    path("rounds/<int:round_pk>/conflicts/", rounds.round_conflicts_view, name="round-conflicts"),
    path("rounds/<int:round_pk>/reviews/", rounds.round_reviews_view, name="round-reviews"),
    path("rounds/<int:round_pk>/ranking/", rounds.ranking_view, name="ranking"),
    path(
        "rounds/<int:round_pk>/ranking/<int:pk>/<slug:name>/",
        rounds.decide_view,
        name="decide",
    ),
]
