"""The accounts' pages: unlocking locked-out logins (officers), setting up and entering the
second factor, and the password reset pages (Django's views with the portal's templates)."""

from typing import Any

from axes.utils import reset
from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from .access import can_unlock_logins
from .lockout import lockout_response
from .selectors import lockouts
from .services import login_unlock
from .two_factor import (
    code_wait_seconds,
    has_device,
    matching_device,
    pending_totp,
    qr_svg,
    secret_text,
    totp_confirm,
)

ONLY_OFFICERS_UNLOCK = gettext_noop("Only ministry officers can unlock logins.")
UNLOCKED_USER = gettext_noop("%(username)s can log in again.")
WRONG_CODE = gettext_noop("This code is wrong or has already been used. Enter the current code.")
DEVICE_EXISTS = gettext_noop("Your second factor is already set up.")
WAIT_FOR_CODE = gettext_noop(
    "Too many wrong codes. Wait %(seconds)d seconds, then enter the app's current code."
)


def _require_unlocker(user: Any) -> None:
    if not can_unlock_logins(user):
        raise PermissionDenied(_(ONLY_OFFICERS_UNLOCK))


@login_required
def lockout_list(request: HttpRequest) -> HttpResponse:
    _require_unlocker(request.user)
    return render(request, "registration/lockouts.html", {"lockouts": lockouts()})


@require_POST
@login_required
def lockout_unlock(request: HttpRequest) -> HttpResponse:
    _require_unlocker(request.user)
    username = request.POST.get("username", "")[:150]
    if username:
        login_unlock(username=username, by=request.user)
        messages.success(request, _(UNLOCKED_USER) % {"username": username})
    return redirect("accounts:lockouts")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def _count_failure(request: HttpRequest) -> HttpResponse | None:
    """A wrong code counts as a failed login with axes; past the limit the session ends and
    the lockout page answers."""
    username = request.user.get_username()
    credentials = {"username": username}
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    if getattr(request, "axes_locked_out", False):
        logout(request)
        return lockout_response(request, None, credentials)
    return None


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    if has_device(request.user):
        messages.info(request, _(DEVICE_EXISTS))
        return HttpResponseRedirect(_next(request))
    device = pending_totp(request.user)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        codes = totp_confirm(device=device, code=form.cleaned_data["code"])
        if codes is not None:
            otp_login(request, device)
            return render(
                request,
                "registration/two_factor_recovery_codes.html",
                {"codes": codes, "next": _next(request)},
            )
        if (locked := _count_failure(request)) is not None:
            return locked
        form.add_error("code", _(WRONG_CODE))
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": qr_svg(device),
            "secret": secret_text(device),
            "next": _next(request),
        },
    )


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    if not has_device(request.user):
        return redirect(f"{reverse('accounts:two-factor-setup')}?next={_next(request)}")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        device = matching_device(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return HttpResponseRedirect(_next(request))
        if (locked := _count_failure(request)) is not None:
            return locked
        wait = code_wait_seconds(request.user)
        form.add_error("code", _(WAIT_FOR_CODE) % {"seconds": wait} if wait else _(WRONG_CODE))
    return render(
        request, "registration/two_factor_verify.html", {"form": form, "next": _next(request)}
    )


# Password reset: Django's views, the portal's templates, the e-mail as plain text in the
# language of the request.
password_reset = auth_views.PasswordResetView.as_view(
    email_template_name="registration/password_reset_email.txt",
    subject_template_name="registration/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password-reset-sent"),
)
password_reset_sent = auth_views.PasswordResetDoneView.as_view()


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    """Setting a new password through the e-mailed link also lifts a lockout: whoever holds the
    mailbox is the account's owner, and is spared waiting for the cool-off."""

    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        reset(username=form.user.get_username())
        return response


password_reset_confirm = PasswordResetConfirm.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view()
