from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("<int:pk>/", views.round_detail, name="round"),
]
