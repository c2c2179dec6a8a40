"""The portal's pages: every role's home with its task list, an application's deadlines (officers
set and move them), the inbox, the e-mail preferences and the failed deliveries. Thin: access
from ``access``, writes through ``services``, reads from ``selectors``."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_GET, require_POST

from applications.models import Application
from applications.views import cluster_home_context
from applications.views import home as applications_home
from programmes.access import is_auditor, is_cluster_manager, is_officer

from . import access, selectors
from .models import REQUIRED_KINDS, Actor, Mode, NotificationKind
from .services import (
    MAY_NOT_SET,
    deadline_mark_done,
    deadline_set,
    delivery_retry,
    mail_language_set,
    notifications_mark_read,
    preference_set,
)
from .texts import notification_text

DEADLINE_SAVED = gettext_noop("The deadline was saved and those who must act were told.")
DEADLINE_DONE = gettext_noop("The deadline is marked done.")
PREFERENCES_SAVED = gettext_noop("Your e-mail preferences were saved.")
RETRYING = gettext_noop("The e-mail is being sent again.")
PAGE_SIZE = 25


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Every role's home: the task list (overdue first, then by date), and for a cluster
    management its applications and open calls below it."""
    user = request.user
    tasks = {"tasks": selectors.tasks_for(user), "task_limit": selectors.TASK_LIST_LIMIT}
    if is_cluster_manager(user):
        context = {**cluster_home_context(request), **tasks}
        return render(request, "notifications/cluster_home.html", context)
    if is_officer(user) or is_auditor(user):
        return render(request, "notifications/home.html", tasks)
    # Jury members land on their reviews (their task list), users without a role are told so.
    return applications_home(request)


class DeadlineForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("What is due"), max_length=200, required=False)
    actor = forms.ChoiceField(
        label=gettext_lazy("Who must act"),
        choices=[(a.value, a.label) for a in (Actor.CLUSTER_MANAGEMENT, Actor.OFFICERS)],
        initial=Actor.CLUSTER_MANAGEMENT,
    )
    due_on = forms.DateField(
        label=gettext_lazy("Due on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class MoveForm(forms.Form):
    due_on = forms.DateField(
        label=gettext_lazy("Due on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


def _application(user: Any, pk: int) -> Application:
    application: Application = get_object_or_404(
        access.applications_with_deadlines(user).select_related("round__programme", "cluster"),
        pk=pk,
    )
    return application


def _deadlines_page(
    request: HttpRequest,
    application: Application,
    form: DeadlineForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "notifications/deadlines.html",
        {
            "application": application,
            "deadlines": application.deadlines.select_related("set_by").order_by("due_on", "pk"),
            "can_set": access.can_set_deadline(request.user, application),
            "form": form or DeadlineForm(),
            "move_form": MoveForm(),
        },
        status=status,
    )


@login_required
@require_GET
def deadlines_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _deadlines_page(request, _application(request.user, pk))


def _ensure_may_set(request: HttpRequest, application: Application) -> None:
    if not access.can_set_deadline(request.user, application):
        raise PermissionDenied(_(MAY_NOT_SET))


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        for message in errors:
            form.add_error(field if field in form.fields else None, message)


@login_required
@require_POST
def deadline_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request.user, pk)
    _ensure_may_set(request, application)
    form = DeadlineForm(request.POST)
    if form.is_valid():
        try:
            deadline_set(application=application, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _(DEADLINE_SAVED))
            return redirect("notifications:deadlines", pk=application.pk)
    return _deadlines_page(request, application, form=form, status=400)


@login_required
@require_POST
def deadline_move_view(request: HttpRequest, pk: int, deadline_pk: int) -> HttpResponse:
    application = _application(request.user, pk)
    deadline = get_object_or_404(application.deadlines.all(), pk=deadline_pk)
    _ensure_may_set(request, application)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            deadline_set(
                application=application, deadline=deadline, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            for refusal in error.messages:
                messages.error(request, refusal)
            return _deadlines_page(request, application, status=400)
        messages.success(request, _(DEADLINE_SAVED))
        return redirect("notifications:deadlines", pk=application.pk)
    for field_errors in form.errors.values():
        for problem in field_errors:
            messages.error(request, str(problem))
    return _deadlines_page(request, application, status=400)


@login_required
@require_POST
def deadline_done_view(request: HttpRequest, pk: int, deadline_pk: int) -> HttpResponse:
    application = _application(request.user, pk)
    deadline = get_object_or_404(application.deadlines.all(), pk=deadline_pk)
    _ensure_may_set(request, application)
    deadline_mark_done(deadline=deadline, by=request.user)
    messages.success(request, _(DEADLINE_DONE))
    return redirect("notifications:deadlines", pk=application.pk)


@login_required
@require_GET
def inbox_view(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first, 25 a page."""
    page = Paginator(selectors.inbox(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(item, notification_text(item.kind, item.params)) for item in page]
    return render(request, "notifications/inbox.html", {"page": page, "rows": rows})


@login_required
@require_POST
def mark_read_view(request: HttpRequest, notification_pk: int) -> HttpResponse:
    notification = get_object_or_404(access.notifications_of(request.user), pk=notification_pk)
    notifications_mark_read(user=request.user, ids=[notification.pk])
    if request.POST.get("follow") and notification.link:
        return redirect(notification.link)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read_view(request: HttpRequest) -> HttpResponse:
    notifications_mark_read(user=request.user)
    return redirect("notifications:inbox")


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Language of e-mails"), choices=settings.LANGUAGES
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in NotificationKind:
            modes = [m for m in Mode if not (m == Mode.OFF and kind in REQUIRED_KINDS)]
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label, choices=[(m.value, m.label) for m in modes]
            )


@login_required
def preferences_view(request: HttpRequest) -> HttpResponse:
    """Per kind: at once, daily digest or off (the required kinds cannot be turned off)."""
    user = request.user
    chosen = selectors.preferences_of(user)
    form = PreferencesForm(request.POST or None, initial=chosen)
    if request.method == "POST" and form.is_valid():
        mail_language_set(user=user, language=form.cleaned_data.pop("language"))
        for kind, mode in form.cleaned_data.items():
            preference_set(user=user, kind=kind, mode=mode)
        messages.success(request, _(PREFERENCES_SAVED))
        return redirect("notifications:preferences")
    status = 400 if request.method == "POST" else 200
    return render(request, "notifications/preferences.html", {"form": form}, status=status)


@login_required
@require_GET
def failed_deliveries_view(request: HttpRequest) -> HttpResponse:
    """E-mails that could not be sent (given up, or waiting for another attempt): officers."""
    if not access.can_see_deliveries(request.user):
        raise PermissionDenied
    page = Paginator(selectors.failed_deliveries(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/failed.html", {"page": page})


@login_required
@require_POST
def delivery_retry_view(request: HttpRequest, delivery_pk: int) -> HttpResponse:
    if not access.can_see_deliveries(request.user):
        raise PermissionDenied
    delivery = get_object_or_404(selectors.failed_deliveries(), pk=delivery_pk)
    delivery_retry(delivery=delivery, by=request.user)
    messages.success(request, _(RETRYING))
    return redirect("notifications:failed")
