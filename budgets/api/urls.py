from django.urls import path
from rest_framework.routers import SimpleRouter

from .exports import BudgetLineExportView
from .views import BudgetLineViewSet, BudgetPositionViewSet

router = SimpleRouter(use_regex_path=False)
router.register("budget-positions", BudgetPositionViewSet, basename="budget-position")
router.register("budget-lines", BudgetLineViewSet, basename="budget-line")

urlpatterns = [
    path("budget-lines/export.xlsx", BudgetLineExportView.as_view(), name="budget-line-export"),
    *router.urls,
]
