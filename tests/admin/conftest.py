"""The back office: officers and auditors are staff; helpers to log in and to post admin forms."""

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext


def logged_in(user: User, *, staff: bool = True, **kwargs: Any) -> Client:
    """A browser of ``user`` (made staff, as officers and auditors are), reading English."""
    if staff and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    client = Client(headers={"accept-language": "en"}, **kwargs)
    client.force_login(user)
    return client


@pytest.fixture
def officer_client(officer: User) -> Client:
    return logged_in(officer)


@pytest.fixture
def auditor_client(auditor: User) -> Client:
    return logged_in(auditor)


def messages_of(response: HttpResponse) -> list[str]:
    """The admin messages a response queued (shown on the next page)."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def count_queries(action: Callable[[], HttpResponse]) -> tuple[int, HttpResponse]:
    with CaptureQueriesContext(connection) as captured:
        response = action()
    return len(captured.captured_queries), response


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _put(data: dict[str, Any], form: Any) -> None:
    for name in form.fields:
        value = form[name].value()
        if value is False:
            continue  # an unchecked checkbox is not posted
        data[form.add_prefix(name)] = True if value is True else _plain(value)


def form_data(response: HttpResponse) -> dict[str, Any]:
    """What a browser would post back unchanged from an admin add or change page: the form's
    fields and every inline formset with its management form."""
    context = response.context
    data: dict[str, Any] = {}
    _put(data, context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        _put(data, formset.management_form)
        for form in formset.forms:
            _put(data, form)
    return data


def inline_prefix(response: HttpResponse, model: type) -> str:
    """The form prefix of the inline of ``model`` on an admin page."""
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.model is model:
            return str(inline.formset.prefix)
    raise AssertionError(f"no inline of {model.__name__}")
