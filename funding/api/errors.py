"""Every error of the API as JSON of one shape, mapped here once for all views.

``{"code": ..., "detail": ...}`` always; ``fields`` (field name -> messages) for invalid input;
``errors`` for broken budget rules (one item per violation, with rule, scope, limit, actual,
excess) and for refused transitions (one item per refusal, with its budget violations);
``existing`` (and the ``Location`` header) for a budget line whose key another line has (409).
"""

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.signals import got_request_exception
from django.db import IntegrityError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from applications.guards import Refusal
from applications.services import (
    ApplicationChangedMeanwhile,
    TransitionError,
    TransitionNotPermitted,
)
from budgets.services import LineExists
from budgets.violations import BudgetRuleError, Violation
from disbursements.services import DrawdownChangedMeanwhile
from statements.services import StatementChangedMeanwhile

logger = logging.getLogger("django.request")

NOT_FOUND = _("Not found.")
PERMISSION_DENIED = _("You do not have permission to perform this action.")
INVALID = _("Invalid input.")
CONFLICT = _("The change conflicts with data saved meanwhile. Reload and try again.")
SERVER_ERROR = _("Something went wrong on our side; the error has been logged.")
NON_FIELD = "non_field_errors"

TRANSITION_STATUS = {
    TransitionNotPermitted: status.HTTP_403_FORBIDDEN,
    ApplicationChangedMeanwhile: status.HTTP_409_CONFLICT,
    DrawdownChangedMeanwhile: status.HTTP_409_CONFLICT,
    StatementChangedMeanwhile: status.HTTP_409_CONFLICT,
}


def violation_item(violation: Violation) -> dict[str, Any]:
    """A broken budget rule with its numbers; ``code``/``detail`` repeat ``rule``/``message``
    so every item of ``errors`` can be read the same way."""
    data = violation.as_dict()
    return {"code": data["rule"], "detail": data["message"], **data}


def refusal_item(refusal: Refusal) -> dict[str, Any]:
    return {
        "code": refusal.code,
        "detail": refusal.detail,
        "violations": [violation.as_dict() for violation in refusal.violations],
    }


def error_body(
    code: str,
    detail: Any,
    *,
    fields: Mapping[str, Any] | None = None,
    errors: Iterable[Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "detail": str(detail)}
    if fields is not None:
        body["fields"] = dict(fields)
    if errors is not None:
        body["errors"] = list(errors)
    return body


def _plain(detail: Any) -> Any:
    """DRF's nested ErrorDetail structure as plain JSON values."""
    if isinstance(detail, Mapping):
        return {str(key): _plain(value) for key, value in detail.items()}
    if isinstance(detail, list | tuple):
        return [_plain(item) for item in detail]
    return str(detail)


def _django_validation(exc: DjangoValidationError) -> Response:
    if hasattr(exc, "error_dict"):
        fields = {
            (NON_FIELD if name == "__all__" else name): messages
            for name, messages in exc.message_dict.items()
        }
        first = next(iter(exc.error_dict.values()))[0]
    else:
        fields = {NON_FIELD: exc.messages}
        first = exc.error_list[0]
    message = first.messages[0] if first.messages else INVALID
    return Response(
        error_body(first.code or "invalid", message, fields=fields),
        status=status.HTTP_400_BAD_REQUEST,
    )


def _api_exception(exc: exceptions.APIException, response: Response) -> Response:
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, Mapping) else {NON_FIELD: exc.detail}
        response.data = error_body("invalid", INVALID, fields=_plain(detail))
        return response
    codes = exc.get_codes()
    code = codes if isinstance(codes, str) else exc.default_code
    response.data = error_body(code, exc.detail)
    return response


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's ``EXCEPTION_HANDLER``: the services' errors to 4xx, anything else to a logged 500."""
    response: Response | None
    if isinstance(exc, BudgetRuleError):
        first = exc.violations[0].rule if exc.violations else "budget_rule"
        response = Response(
            error_body(
                str(first),
                " ".join(violation.message for violation in exc.violations),
                errors=[violation_item(violation) for violation in exc.violations],
            ),
            status=status.HTTP_400_BAD_REQUEST,
        )
    elif isinstance(exc, LineExists):
        response = _line_exists(exc, context)
    elif isinstance(exc, TransitionError):
        response = Response(
            error_body(exc.code, exc.detail, errors=[refusal_item(r) for r in exc.refusals]),
            status=TRANSITION_STATUS.get(type(exc), status.HTTP_400_BAD_REQUEST),
        )
    elif isinstance(exc, DjangoValidationError):
        response = _django_validation(exc)
    elif isinstance(exc, PermissionDenied):
        response = Response(
            error_body("permission_denied", str(exc) or PERMISSION_DENIED),
            status=status.HTTP_403_FORBIDDEN,
        )
    elif isinstance(exc, Http404):
        response = Response(error_body("not_found", NOT_FOUND), status=status.HTTP_404_NOT_FOUND)
    elif isinstance(exc, IntegrityError):
        # A unique key written by two requests at once: the later one conflicts.
        logger.warning("Integrity error answered with 409: %s", exc)
        response = Response(error_body("conflict", CONFLICT), status=status.HTTP_409_CONFLICT)
    elif isinstance(exc, exceptions.APIException):
        drf_response = drf_exception_handler(exc, context)
        assert drf_response is not None  # DRF answers every APIException
        return _api_exception(exc, drf_response)
    else:
        return _server_error(exc, context)
    set_rollback()
    return response


def _line_exists(exc: LineExists, context: Mapping[str, Any]) -> Response:
    """The stored line with the key: the client changes it (PUT/PATCH) rather than adding it."""
    url = reverse("api:budget-line-detail", args=[exc.line.pk])
    request = context.get("request")
    if request is not None:
        url = request.build_absolute_uri(url)
    body = error_body(exc.code or "duplicate_line", exc.messages[0])
    body["existing"] = url
    return Response(body, status=status.HTTP_409_CONFLICT, headers={"Location": url})


def _server_error(exc: Exception, context: Mapping[str, Any]) -> Response:
    """Log as Django would (and let the test client re-raise), but answer in JSON."""
    request = context.get("request")
    django_request = getattr(request, "_request", request)
    logger.error(
        "Internal Server Error: %s",
        getattr(django_request, "path", "?"),
        exc_info=(type(exc), exc, exc.__traceback__),
        extra={"status_code": 500, "request": django_request},
    )
    got_request_exception.send(sender=None, request=django_request)
    set_rollback()
    return Response(
        error_body("server_error", SERVER_ERROR), status=status.HTTP_500_INTERNAL_SERVER_ERROR
    )
