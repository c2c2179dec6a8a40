"""The rounds of the programmes: what each has committed against its envelope, how many it
selected against its quota, charts of both, and the round workbook. For officers and auditors."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from applications.selectors import (
    RoundTotals,
    round_applications,
    round_rows,
    round_totals,
)
from applications.states import State
from kernel.charts import Bar, bar_chart
from kernel.downloads import xlsx_response
from kernel.money import format_eur
from kernel.paging import IdsFirstPaginator
from programmes import access
from programmes.models import Round

from .round_workbook import round_workbook, round_workbook_filename

ONLY_OFFICERS_AND_AUDITORS = gettext_noop("Round overviews are for ministry officers and auditors.")


def _require_read_all(user: Any) -> None:
    if not access.can_read_all(user):
        raise PermissionDenied(_(ONLY_OFFICERS_AND_AUDITORS))


def _of_envelope(overview: RoundTotals) -> str:
    return _("%(committed)s of %(envelope)s") % {
        "committed": format_eur(overview.committed.funding_amount),
        "envelope": format_eur(overview.round.envelope_amount),
    }


def _rounds_chart(overviews: list[RoundTotals]) -> str:
    return bar_chart(
        _("Committed grants per round, against the envelope"),
        [
            Bar(
                label=_("Round %(number)s") % {"number": o.round.number},
                value=o.committed.funding_amount,
                text=_of_envelope(o),
                limit=o.round.envelope_amount,
            )
            for o in overviews
        ],
    )


def _quota_chart(overviews: list[RoundTotals]) -> str:
    return bar_chart(
        _("Selected clusters per round, against the quota"),
        [
            Bar(
                label=_("Round %(number)s") % {"number": o.round.number},
                value=o.selected_count,
                text=_("%(selected)s of %(quota)s")
                % {"selected": o.selected_count, "quota": o.round.selection_quota},
                limit=o.round.selection_quota,
            )
            for o in overviews
        ],
    )


PAGE_SIZE = 25  # rows of a round's table, as in the review queue


def _overviews() -> list[RoundTotals]:
    rounds = Round.objects.select_related("programme").order_by("programme__name", "number")
    return round_totals(list(rounds))


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    _require_read_all(request.user)
    overviews = _overviews()
    return render(
        request,
        "reports/rounds.html",
        {
            "overviews": overviews,
            "chart": _rounds_chart(overviews),
            "quota_chart": _quota_chart(overviews),
            "can_create_round": access.is_officer(request.user),
        },
    )


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One round: its applications with their budgets, committed money against the envelope,
    selections against the quota, per sector and per state."""
    _require_read_all(request.user)
    round_ = get_object_or_404(Round.objects.select_related("programme"), pk=pk)
    overviews = _overviews()
    overview = next(o for o in overviews if o.round.pk == round_.pk)
    paginator = IdsFirstPaginator(round_applications(round_), PAGE_SIZE)
    paginator.count = overview.application_count  # known from the round's sums
    page = paginator.get_page(request.GET.get("page"))
    sectors = overview.committed_by_sector
    states = [(state, overview.state_counts.get(state.value, 0)) for state in State]
    charts = [
        _rounds_chart(overviews),
        _quota_chart(overviews),
        bar_chart(
            _("Committed grants per sector (round %(number)s)") % {"number": round_.number},
            [
                Bar(
                    label=sector,
                    value=figures.funding_amount,
                    text=format_eur(figures.funding_amount),
                )
                for sector, figures in sectors.items()
            ],
        ),
        bar_chart(
            _("Applications per state (round %(number)s)") % {"number": round_.number},
            [Bar(label=str(state.label), value=n, text=str(n)) for state, n in states if n],
        ),
    ]
    return render(
        request,
        "reports/round.html",
        {
            "overview": overview,
            "page": page,
            "rows": round_rows(round_, page.object_list),
            "round": round_,
            "charts": charts,
            "envelope_text": _of_envelope(overview),
            "downloads": [
                (
                    _("Download the round (Excel)"),
                    reverse("reports:round-workbook", args=[round_.pk]),
                ),
                (
                    _("Download every budget line of the round (Excel)"),
                    f"{reverse('budgets:lines-export')}?round={round_.pk}",
                ),
            ],
            "quota_text": _("%(selected)s of %(quota)s")
            % {
                "selected": overview.selected_count,
                "quota": round_.selection_quota,
            },
        },
    )


@login_required
def round_workbook_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The round's workbook, for officers and auditors (it shows every cluster of the round)."""
    if not access.can_read_all(request.user):
        raise PermissionDenied
    round_ = get_object_or_404(Round.objects.select_related("programme"), pk=pk)
    built = round_workbook(round_, by=request.user)
    return xlsx_response(built.to_bytes(), round_workbook_filename(round_))
