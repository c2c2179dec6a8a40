from django.urls import path

from . import views

app_name = "statements"

urlpatterns = [
    path("", views.list_view, name="list"),
    path("new/<int:application_pk>/", views.create_view, name="create"),
    path("<int:pk>/", views.detail_view, name="detail"),
    path("<int:pk>/edit/", views.edit_view, name="edit"),
    path("<int:pk>/workbook.xlsx", views.workbook_view, name="workbook"),
    path("<int:pk>/settle/", views.settle_view, name="settle"),
    path("<int:pk>/decide/", views.decide_view, name="decide"),
    path("<int:pk>/<str:name>/", views.transition_view, name="transition"),
]
