"""Logging in for scripts: a token that expires (django-rest-knox stores only its digest), sent
as ``Authorization: Token YOUR-TOKEN``; logging out revokes it. Browsers use the session instead.

Failed logins are counted by django-axes (funding/accounts/), per username and shared with the
portal and the admin: past the limit the login answers 429 with Retry-After until the cool-off
has passed. When the user's role needs a second factor, the login asks for ``otp_code`` too.
"""

from typing import Any

from django.contrib.auth import authenticate, logout, user_logged_in, user_logged_out
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from drf_spectacular.utils import extend_schema
from knox.models import AuthToken
from knox.settings import knox_settings
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from budgets.api.serializers import ErrorSerializer
from funding.accounts.access import needs_two_factor
from funding.accounts.two_factor import has_device, matching_device
from kernel.api.fields import StrictInput
from programmes import access

from .authentication import TOKEN_HEADER_HINT

INVALID_CREDENTIALS = _("Unable to log in with this username and password.")


OTP_CODE_REQUIRED = gettext_noop(
    "This account needs a second factor: send the code from your authenticator app (or a "
    "recovery code) as otp_code."
)
OTP_CODE_INVALID = gettext_noop("The otp_code is wrong or has already been used.")
TWO_FACTOR_SETUP_REQUIRED = gettext_noop(
    "This account needs a second factor that is not set up yet: log in on the portal once "
    "to set it up."
)


class InvalidCredentials(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = INVALID_CREDENTIALS
    default_code = "invalid_credentials"


class SecondFactorRefused(exceptions.APIException):
    """The password was right, the second factor is missing or wrong (400, naming which)."""

    status_code = status.HTTP_400_BAD_REQUEST


class LoginInput(StrictInput):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)
    otp_code = serializers.CharField(
        max_length=32,
        required=False,
        help_text="The current code of the authenticator app, or a recovery code; needed only "
        "when two-factor login is enforced for the user's role.",
    )


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
    # Failed logins are counted by axes (see the module docstring), not by a DRF throttle.
    throttle_classes = ()

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
            # axes has counted the failure; past the limit its middleware answers 429 instead.
            raise InvalidCredentials()
        if needs_two_factor(user):
            self._check_second_factor(request, user, given.validated_data.get("otp_code", ""))
        instance, token = AuthToken.objects.create(user=user, expiry=knox_settings.TOKEN_TTL)
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        return Response(TokenSerializer({"token": token, "expiry": instance.expiry}).data)

    @staticmethod
    def _check_second_factor(request: Request, user: Any, code: str) -> None:
        if not has_device(user):
            raise SecondFactorRefused(_(TWO_FACTOR_SETUP_REQUIRED), "two_factor_setup_required")
        if not code:
            raise SecondFactorRefused(_(OTP_CODE_REQUIRED), "otp_code_required")
        if matching_device(user, code) is None:
            user_login_failed.send(
                sender=__name__,
                credentials={"username": user.get_username()},
                request=request._request,
            )
            raise SecondFactorRefused(_(OTP_CODE_INVALID), "otp_code_invalid")


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
