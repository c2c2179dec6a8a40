from django.urls import path

from . import views

app_name = "statements"

urlpatterns = [
    path("", views.list_view, name="list"),
    path("new/<int:application_pk>/", views.create_view, name="create"),
    path("<int:pk>/", views.detail_view, name="detail"),
    path("<int:pk>/edit/", views.edit_view, name="edit"),
    path("<int:pk>/workbook.xlsx", views.workbook_view, name="workbook"),
    path("<int:pk>/actuals.xlsx", views.actuals_template_view, name="actuals-template"),
    path("<int:pk>/import/", views.import_view, name="import"),
    path("<int:pk>/import/confirm/", views.import_confirm_view, name="import-confirm"),
    path("<int:pk>/attach/", views.attach_view, name="attach"),
    path("<int:pk>/documents/<int:document_pk>/", views.document_view, name="document"),
    path("<int:pk>/settle/", views.settle_view, name="settle"),
    path("<int:pk>/decide/", views.decide_view, name="decide"),
    path("<int:pk>/<str:name>/", views.transition_view, name="transition"),
]
