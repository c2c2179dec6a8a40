from django.urls import path

from . import views

app_name = "competition"

urlpatterns = [
    path("reviews/", views.review_list, name="reviews"),
    path("<int:pk>/review/", views.review_edit, name="review"),
]
