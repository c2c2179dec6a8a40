from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/<int:round_pk>/", views.application_create_view, name="create"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/edit/", views.application_edit, name="edit"),
    path("<int:pk>/regions/", views.partner_region_add_view, name="region-add"),
    path(
        "<int:pk>/regions/<int:region_pk>/delete/",
        views.partner_region_delete_view,
        name="region-delete",
    ),
    path("<int:pk>/steps/<slug:name>/", views.application_transition_view, name="transition"),
]
