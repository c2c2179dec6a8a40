"""The portal's page of an application's messages and documents, and the document downloads.
Thin: access from ``access``, writes through ``services``, reads from ``selectors``."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_GET, require_POST

from applications.models import Application

from . import access, selectors
from .downloads import document_response
from .filetypes import UploadRefused
from .services import (
    MAY_NOT_WRITE,
    NOT_REMOVABLE,
    OUTLINE_CLOSED,
    document_attach,
    document_remove,
    message_post,
)

MESSAGE_SENT = gettext_noop("Your message was sent.")
DOCUMENT_ATTACHED = gettext_noop("“%(name)s” was attached to the outline.")
DOCUMENT_REMOVED = gettext_noop("“%(name)s” was removed.")
NO_FILE = gettext_noop("Choose a file to attach.")


class MessageForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Message"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


def _application(user: Any, pk: int) -> Application:
    """The application if ``user`` may read its thread; anything else is absent (404)."""
    application: Application = get_object_or_404(
        access.applications_with_correspondence(user).select_related("round__programme", "cluster"),
        pk=pk,
    )
    return application


def _page(
    request: HttpRequest,
    application: Application,
    *,
    form: MessageForm | None = None,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    return render(
        request,
        "correspondence/thread.html",
        {
            "application": application,
            "thread": selectors.thread(application),
            "outline_documents": selectors.outline_documents(application),
            "receipts": selectors.receipts(application),
            "form": form or MessageForm(),
            "errors": errors or {},
            "can_write": access.can_write_message(user, application),
            "can_attach": access.can_attach_to_outline(user, application),
        },
        status=status,
    )


@login_required
@require_GET
def thread_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The thread, the outline's documents and the receipts, with the forms this user may use."""
    return _page(request, _application(request.user, pk))


@login_required
@require_POST
def message_post_view(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request.user, pk)
    if not access.can_write_message(request.user, application):
        raise PermissionDenied(_(MAY_NOT_WRITE))
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            message_post(
                application=application,
                body=form.cleaned_data["body"],
                files=request.FILES.getlist("files"),
                by=request.user,
            )
        except UploadRefused as refused:
            return _page(
                request,
                application,
                form=form,
                errors={"message": [refused.detail]},
                status=refused.status,
            )
        except ValidationError as error:
            return _page(
                request, application, form=form, errors={"message": error.messages}, status=400
            )
        messages.success(request, _(MESSAGE_SENT))
        return redirect("correspondence:thread", pk=application.pk)
    return _page(request, application, form=form, status=400)


@login_required
@require_POST
def document_attach_view(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request.user, pk)
    if not access.can_attach_to_outline(request.user, application):
        raise PermissionDenied(_(OUTLINE_CLOSED))
    upload = request.FILES.get("file")
    if upload is None:
        return _page(request, application, errors={"document": [_(NO_FILE)]}, status=400)
    try:
        document = document_attach(application=application, file=upload, by=request.user)
    except UploadRefused as refused:
        return _page(
            request, application, errors={"document": [refused.detail]}, status=refused.status
        )
    messages.success(request, _(DOCUMENT_ATTACHED) % {"name": document.original_name})
    return redirect("correspondence:thread", pk=application.pk)


@login_required
@require_POST
def document_remove_view(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    application = _application(request.user, pk)
    document = get_object_or_404(application.documents.all(), pk=document_pk)
    if not access.can_remove_document(request.user, document):
        raise PermissionDenied(_(NOT_REMOVABLE))
    document_remove(document=document, by=request.user)
    messages.success(request, _(DOCUMENT_REMOVED) % {"name": document.original_name})
    return redirect("correspondence:thread", pk=application.pk)


@login_required
@require_GET
def document_download_view(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    application = _application(request.user, pk)
    document = get_object_or_404(application.documents.all(), pk=document_pk)
    return document_response(document)
