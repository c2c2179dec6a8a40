from django.urls import path

from .views import RoundWorkbookView

urlpatterns = [
    path("rounds/<int:pk>/budget.xlsx", RoundWorkbookView.as_view(), name="round-workbook"),
]
