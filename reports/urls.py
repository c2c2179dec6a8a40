from django.urls import path

from . import round_create_views, views

app_name = "reports"

urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("new/", round_create_views.round_create_view, name="round-new"),
    path("<int:pk>/", views.round_detail, name="round"),
    path("<int:pk>/workbook/", views.round_workbook_download, name="round-workbook"),
]
