"""Logging in for scripts: a token that expires (django-rest-knox stores only its digest), sent
as ``Authorization: Token YOUR-TOKEN``; logging out revokes it. Browsers use the session instead.

Failed logins are throttled per client address: after ``login_failures`` (a DRF rate) the login
answers 429 until the oldest failure has aged out. Successful logins are not counted.
"""

from typing import Any

from django.contrib.auth import authenticate, logout, user_logged_in, user_logged_out
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from knox.models import AuthToken
from knox.settings import knox_settings
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from budgets.api.serializers import ErrorSerializer
from kernel.api.fields import StrictInput
from programmes import access

from .authentication import TOKEN_HEADER_HINT

INVALID_CREDENTIALS = _("Unable to log in with this username and password.")


class InvalidCredentials(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = INVALID_CREDENTIALS
    default_code = "invalid_credentials"


class FailedLoginThrottle(SimpleRateThrottle):
    """Counts failed logins only (``record_failure``), per client address."""

    scope = "login_failures"
    # Set by SimpleRateThrottle.__init__ from the scope's rate.
    num_requests: int
    duration: int

    def get_cache_key(self, request: Request, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def _load(self, request: Request, view: Any) -> None:
        self.key = self.get_cache_key(request, view)
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()

    def allow_request(self, request: Request, view: Any) -> bool:
        if self.rate is None:
            return True
        self._load(request, view)
        if len(self.history) >= self.num_requests:
            return self.throttle_failure()
        return True

    def record_failure(self, request: Request, view: Any) -> None:
        if self.rate is None:
            return
        self._load(request, view)
        self.history.insert(0, self.now)
        self.cache.set(self.key, self.history, self.duration)


class LoginInput(StrictInput):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):  # type: ignore[type-arg]
    token = serializers.CharField(
        help_text=f"Send it in the header {TOKEN_HEADER_HINT}, in place of `YOUR-TOKEN`."
    )
    expiry = serializers.DateTimeField(help_text="The token stops working at this moment.")


class MeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    username = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    cluster = serializers.IntegerField(allow_null=True, help_text="Cluster managements only.")


class LoginView(APIView):
    # The credentials are in the body; no session, so no CSRF check that could refuse them.
    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = (FailedLoginThrottle,)

    @extend_schema(
        tags=["auth"],
        request=LoginInput,
        responses={200: TokenSerializer, 400: ErrorSerializer, 429: ErrorSerializer},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        """Log in with username and password; returns a token and when it expires."""
        given = LoginInput(data=request.data)
        given.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=given.validated_data["username"],
            password=given.validated_data["password"],
        )
        if user is None:
            for throttle in self.get_throttles():
                if isinstance(throttle, FailedLoginThrottle):
                    throttle.record_failure(request, self)
            raise InvalidCredentials()
        instance, token = AuthToken.objects.create(user=user, expiry=knox_settings.TOKEN_TTL)
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        return Response(TokenSerializer({"token": token, "expiry": instance.expiry}).data)


class LogoutView(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(tags=["auth"], request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        """Revoke the token this request came with, or end the browser session."""
        if isinstance(request.auth, AuthToken):
            request.auth.delete()
            user_logged_out.send(
                sender=request.user.__class__, request=request._request, user=request.user
            )
        else:
            logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(tags=["auth"], responses=MeSerializer)
    def get(self, request: Request) -> Response:
        """Who the API takes you for: your roles and, for a cluster management, your cluster."""
        user = request.user
        return Response(
            MeSerializer(
                {
                    "id": user.pk,
                    "username": user.get_username(),
                    "roles": sorted(access.roles_of(user)),
                    "cluster": access.cluster_id_of(user),
                }
            ).data
        )
