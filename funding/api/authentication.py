"""The token check DRF runs on every request. Kept apart from the views: DRF imports the
authentication classes while ``rest_framework.views`` itself is being imported."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions

INVALID_TOKEN = _("Invalid token.")

# How to send the token, for the API docs: as Markdown code, with a placeholder that needs no
# angle brackets (Swagger UI renders descriptions as Markdown with HTML, so a bare
# "Token <token>" shows as "Token ").
TOKEN_HEADER_HINT = "`Authorization: Token YOUR-TOKEN`"


class TokenAuthentication(KnoxTokenAuthentication):
    """Knox's token check; a header that is not even text is an invalid token, not a crash."""

    def authenticate_credentials(self, token: bytes) -> Any:
        try:
            token.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(INVALID_TOKEN) from exc
        return super().authenticate_credentials(token)
