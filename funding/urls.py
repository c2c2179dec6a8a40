from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from funding.ops.health import health
from notifications.views import home

urlpatterns = [
    path("", home, name="home"),
    # First: takes over the round workbook's and the flat export's paths (exports/urls.py).
    path("", include("exports.urls")),
    path("api/v1/", include("funding.api.urls")),
    # The competition's pages live under applications/ and rounds/ (see its urls.py).
    path("", include("competition.urls")),
    path("applications/", include("applications.urls")),
    path("applications/", include("correspondence.urls")),
    # Deadlines under applications/<pk>/deadlines/, the inbox and preferences under notifications/.
    path("", include("notifications.urls")),
    path("", include("applications.budget_urls")),
    path("rounds/", include("reports.urls")),
    path("drawdowns/", include("disbursements.urls")),
    path("change-requests/", include("change_requests.urls")),
    # The cluster as a whole under monitoring/, and the survey's public links under survey/.
    path("", include("monitoring.urls")),
    path("statements/", include("statements.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # Lockouts, the second factor and password reset (funding/accounts/, issue 13).
    path("accounts/", include("funding.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # For load balancers and monitoring: no login, only ok/failing per check.
    path("health/", health, name="health"),
]
