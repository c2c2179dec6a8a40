from rest_framework.routers import SimpleRouter

from .views import ClusterViewSet, OrganisationViewSet, ProgrammeViewSet, RoundViewSet

router = SimpleRouter(use_regex_path=False)
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("rounds", RoundViewSet, basename="round")
router.register("clusters", ClusterViewSet, basename="cluster")
router.register("organisations", OrganisationViewSet, basename="organisation")

urlpatterns = router.urls
