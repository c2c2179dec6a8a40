from django.urls import path

from . import views

app_name = "change_requests"

urlpatterns = [
    path("", views.queue_view, name="queue"),
    path("application/<int:application_pk>/", views.application_view, name="application"),
    path("<int:pk>/", views.detail_view, name="detail"),
    path("<int:pk>/edit/", views.edit_view, name="edit"),
    path("<int:pk>/<str:name>/", views.transition_view, name="transition"),
]
