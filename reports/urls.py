from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("<int:pk>/", views.round_detail, name="round"),
    path("<int:pk>/workbook/", views.round_workbook_download, name="round-workbook"),
]
