"""The cluster as a whole (included from funding/api/urls.py)."""

from django.urls import path

from .views import (
    ActivityContactsView,
    ActivityDetailView,
    ActivityListView,
    ActivityOutcomesView,
    ClusterIndicatorsView,
    MemberListView,
    ProgrammeIndicatorsView,
    ProgrammeIndicatorsWorkbookView,
    SurveyListView,
)

C = "clusters/<int:cluster_pk>/"

urlpatterns = [
    path(C + "members/", MemberListView.as_view(), name="cluster-members"),
    path(C + "activities/", ActivityListView.as_view(), name="cluster-activities"),
    path(C + "surveys/", SurveyListView.as_view(), name="cluster-surveys"),
    path(C + "indicators/", ClusterIndicatorsView.as_view(), name="cluster-indicators"),
    path("activities/<int:pk>/", ActivityDetailView.as_view(), name="activity-detail"),
    path("activities/<int:pk>/contacts/", ActivityContactsView.as_view(), name="activity-contacts"),
    path("activities/<int:pk>/outcomes/", ActivityOutcomesView.as_view(), name="activity-outcomes"),
    path(
        "programmes/<int:pk>/indicators/",
        ProgrammeIndicatorsView.as_view(),
        name="programme-indicators",
    ),
    path(
        "programmes/<int:pk>/indicators.xlsx",
        ProgrammeIndicatorsWorkbookView.as_view(),
        name="programme-indicators-workbook",
    ),
]
