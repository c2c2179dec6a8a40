"""The one place that refuses an unverified session of a user who needs a second factor: pages
and the admin send it to set up or enter a code, the API answers 403."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop

from .access import needs_two_factor
from .two_factor import has_device

TWO_FACTOR_REQUIRED = gettext_noop(
    "This account needs a second factor: log in on the portal and enter the code from your "
    "authenticator app."
)


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user  # django-otp's middleware gave it is_verified()
        if needs_two_factor(user) and not user.is_verified() and not self._open(request.path):
            return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _open(path: str) -> bool:
        """Pages an unverified session may reach: the second factor's own, logging out,
        the language switch, static files and the API's token login and logout."""
        open_prefixes = (
            reverse("accounts:two-factor-setup"),
            reverse("accounts:two-factor-verify"),
            reverse("logout"),
            reverse("set_language"),
            reverse("api:auth-login"),
            reverse("api:auth-logout"),
            "/" + settings.STATIC_URL.lstrip("/"),
        )
        return path.startswith(open_prefixes)

    @staticmethod
    def _refuse(request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"code": "two_factor_required", "detail": gettext(TWO_FACTOR_REQUIRED)},
                status=403,
            )
        page = (
            "accounts:two-factor-verify"
            if has_device(request.user)
            else "accounts:two-factor-setup"
        )
        return HttpResponseRedirect(
            f"{reverse(page)}?{urlencode({'next': request.get_full_path()})}"
        )
