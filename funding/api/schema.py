"""The OpenAPI schema: every operation documents the error shape it may answer with."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema

from budgets.api.serializers import ErrorSerializer

from .authentication import TOKEN_HEADER_HINT

# Any operation can meet these: invalid input or filters, no login, no permission, no such object
# (or another cluster's), a concurrent write on the same unique key.
COMMON_ERRORS = ("400", "401", "403", "404")
WRITE_ERRORS = ("409",)


class AutoSchema(SpectacularAutoSchema):
    def _get_response_bodies(self, direction: Any = "response") -> Any:
        bodies = super()._get_response_bodies(direction)
        if direction != "response":
            return bodies
        codes = COMMON_ERRORS + (WRITE_ERRORS if self.method not in ("GET", "HEAD") else ())
        for code in codes:
            if code not in bodies:
                # drf-spectacular ships no type hints.
                bodies[code] = self._get_response_for_code(  # type: ignore[no-untyped-call]
                    ErrorSerializer, code, direction=direction
                )
        return dict(sorted(bodies.items()))


class TokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """``Authorization: Token YOUR-TOKEN``, the token from ``POST /api/v1/auth/login/``."""

    target_class = "funding.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": f"Send the header {TOKEN_HEADER_HINT}, with the token from "
            "`POST /api/v1/auth/login/` in place of `YOUR-TOKEN`.",
        }
