"""/api/v1/: authentication, the schema and its docs, then each app's routes.

A new app exposes its API by adding ``path("", include("<app>.api.urls"))`` below (its module
defines ``urlpatterns``, no ``app_name``); every route then appears in the schema, and the
permission-matrix test in tests/api/ fails until the route has its row.
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from .auth import LoginView, LogoutView, MeView
from .views import NotFoundView

app_name = "api"

urlpatterns = [
    path("auth/login/", LoginView.as_view(), name="auth-login"),
    path("auth/logout/", LogoutView.as_view(), name="auth-logout"),
    path("auth/me/", MeView.as_view(), name="auth-me"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("", include("programmes.api.urls")),
    path("", include("applications.api.urls")),
    path("", include("competition.api.urls")),
    # The round workbook (reports.api) and the flat export are routed by exports, which
    # switches them to a background job above the size threshold.
    path("", include("exports.api.urls")),
    path("", include("correspondence.api.urls")),
    path("", include("notifications.api.urls")),
    path("", include("disbursements.api.urls")),
    path("", include("change_requests.api.urls")),
    path("", include("monitoring.api.urls")),
    path("", include("statements.api.urls")),
    # Last: anything else under /api/v1/ is a JSON 404, not Django's HTML page.
    re_path(r"^", NotFoundView.as_view(), name="not-found"),
]
