"""The cluster as a whole (included from funding/api/urls.py)."""

from django.urls import path

from .views import (
    ActivityDetailView,
    ActivityListView,
    ClusterIndicatorsView,
    MemberListView,
    ProgrammeIndicatorsView,
    SurveyListView,
)

C = "clusters/<int:cluster_pk>/"

urlpatterns = [
    path(C + "members/", MemberListView.as_view(), name="cluster-members"),
    path(C + "activities/", ActivityListView.as_view(), name="cluster-activities"),
    path(C + "surveys/", SurveyListView.as_view(), name="cluster-surveys"),
    path(C + "indicators/", ClusterIndicatorsView.as_view(), name="cluster-indicators"),
    path("activities/<int:pk>/", ActivityDetailView.as_view(), name="activity-detail"),
    path(
        "programmes/<int:pk>/indicators/",
        ProgrammeIndicatorsView.as_view(),
        name="programme-indicators",
    ),
]
