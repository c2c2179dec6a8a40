from django.urls import path

from . import budget_views, file_views, project_views

app_name = "budgets"

project = "applications/<int:pk>/budget/projects/<int:project_pk>/"

urlpatterns = [
    path("applications/<int:pk>/budget/", budget_views.budget_overview, name="overview"),
    path("applications/<int:pk>/budget/concept/", budget_views.concept_grid, name="concept-grid"),
    path(
        "applications/<int:pk>/budget/concept/preview/",
        budget_views.concept_preview,
        name="concept-preview",
    ),
    path(
        "applications/<int:pk>/budget/projects/",
        project_views.project_list,
        name="projects",
    ),
    path(project, project_views.project_detail, name="project"),
    path(f"{project}delete/", project_views.project_delete, name="project-delete"),
    path(f"{project}budget/", budget_views.project_grid, name="project-grid"),
    path(f"{project}budget/preview/", budget_views.project_preview, name="project-preview"),
    path(f"{project}partners/", project_views.partner_add, name="partner-add"),
    path(
        f"{project}partners/propose/",
        project_views.organisation_propose_view,
        name="organisation-propose",
    ),
    path(
        f"{project}partners/<int:partner_pk>/delete/",
        project_views.partner_remove,
        name="partner-remove",
    ),
    path("applications/<int:pk>/budget/terms/", project_views.grantee_terms, name="terms"),
    path(
        "applications/<int:pk>/budget/workbook/",
        file_views.application_workbook_download,
        name="workbook",
    ),
    path(
        "applications/<int:pk>/budget/template/",
        file_views.budget_template_download,
        name="template",
    ),
    path("applications/<int:pk>/budget/import/", file_views.budget_import, name="import"),
    path(
        "applications/<int:pk>/budget/import/confirm/",
        file_views.budget_import_confirm_view,
        name="import-confirm",
    ),
    path("budget-lines/export/", file_views.budget_lines_download, name="lines-export"),
    path(
        "applications/<int:pk>/budget/terms/<int:organisation_pk>/",
        project_views.grantee_terms_set_view,
        name="terms-set",
    ),
]
