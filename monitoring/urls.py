from django.urls import path

from . import views

app_name = "monitoring"

C = "monitoring/clusters/<int:pk>/"
A = "monitoring/activities/<int:pk>/"

urlpatterns = [
    path("monitoring/", views.index_view, name="index"),
    path("monitoring/programmes/<int:pk>/", views.dashboard_view, name="dashboard"),
    path(
        "monitoring/programmes/<int:pk>/workbook.xlsx",
        views.programme_workbook_view,
        name="programme-workbook",
    ),
    path(
        "monitoring/programmes/<int:pk>/surveys/",
        views.survey_send_all_view,
        name="survey-send-all",
    ),
    path(C, views.cluster_view, name="cluster"),
    path(C + "members/", views.members_view, name="members"),
    path(C + "members/new/", views.member_add_view, name="member-add"),
    path(C + "members/template.xlsx", views.member_template_view, name="member-template"),
    path(C + "members/import/", views.member_import_view, name="member-import"),
    path(
        C + "members/import/confirm/",
        views.member_import_confirm_view,
        name="member-import-confirm",
    ),
    path(C + "activities/new/", views.activity_add_view, name="activity-add"),
    path(C + "surveys/", views.survey_send_view, name="survey-send"),
    path(A, views.activity_view, name="activity"),
    path(A + "contacts/", views.contact_add_view, name="contact-add"),
    path(A + "outcomes/", views.outcome_add_view, name="outcome-add"),
    path("survey/<str:token>/", views.survey_answer_view, name="survey-answer"),
]
