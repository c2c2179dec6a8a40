from django.urls import path

from . import views

app_name = "disbursements"

urlpatterns = [
    path("", views.list_view, name="list"),
    path("new/<int:application_pk>/", views.create_view, name="create"),
    path("<int:pk>/", views.detail_view, name="detail"),
    path("<int:pk>/edit/", views.edit_view, name="edit"),
    path("<int:pk>/spent/", views.spent_view, name="spent"),
    path("<int:pk>/<str:name>/", views.transition_view, name="transition"),
    path("payment-runs/", views.runs_view, name="runs"),
    path("payment-runs/<int:pk>/", views.run_view, name="run"),
    path("payment-runs/<int:pk>/pay/", views.run_pay_view, name="run-pay"),
    path("payment-runs/<int:pk>/workbook.xlsx", views.run_workbook_view, name="run-workbook"),
]
