"""The page on which an officer opens a new round; ``programmes.services.round_create`` checks
and writes it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from budgets.forms import add_service_error
from programmes import access
from programmes.services import ONLY_OFFICERS_CREATE_ROUNDS, round_create

from .forms import RoundForm


@login_required
def round_create_view(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST: create the round, or show the form again with every refusal (400)."""
    if not access.is_officer(request.user):
        raise PermissionDenied(_(ONLY_OFFICERS_CREATE_ROUNDS))
    form = RoundForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                created = round_create(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request,
                    _("Round %(number)s of %(programme)s is open.")
                    % {"number": created.number, "programme": created.programme.short_name},
                )
                return redirect("reports:round", pk=created.pk)
        return render(request, "reports/round_new.html", {"form": form}, status=400)
    return render(request, "reports/round_new.html", {"form": form})
