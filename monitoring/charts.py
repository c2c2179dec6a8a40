"""The dashboard's charts, drawn on the server with ``kernel.charts`` like the round overview's:
awareness, reach, contacts known and new, outcomes per activity type, and the years."""

from decimal import Decimal

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from kernel.charts import Bar, bar_chart

from .disclosure import Shares
from .models import ActivityKind
from .selectors import ClusterIndicators, Indicators

HUNDRED = 100


def _percent_bar(label: str, value: Decimal | None) -> Bar | None:
    """A share as a bar over the whole (100 %); none where it is withheld or undefined."""
    if value is None:
        return None
    return Bar(label, value, f"{value} %", limit=HUNDRED)


def _bars(*bars: Bar | None) -> list[Bar]:
    return [bar for bar in bars if bar is not None]


def _awareness(title: str, shares: Shares, min_answers: int) -> SafeString:
    bars = _bars(
        _percent_bar(_("Know the funding measure"), shares.knows_measure),
        _percent_bar(_("Know the cluster's strategy"), shares.knows_strategy),
        _percent_bar(_("Took part in an activity"), shares.took_part),
    )
    description = (
        "" if shares.shown else _("Withheld: fewer than %(k)s answers.") % {"k": min_answers}
    )
    return bar_chart(title, bars, description=description)


def programme_charts(figures: Indicators) -> list[SafeString]:
    total = figures.total
    kinds = dict(ActivityKind.choices)
    return [
        _awareness(_("Awareness among members (survey)"), figures.survey, figures.min_answers),
        bar_chart(
            _("Members reached by at least one activity, per cluster"),
            _bars(
                *(
                    _percent_bar(row.cluster.name, row.reach.reached_share)
                    for row in figures.clusters
                )
            ),
        ),
        bar_chart(
            _("Contacts abroad: known and new partners"),
            [
                Bar(_("Known partners"), total.contacts_known, str(total.contacts_known)),
                Bar(_("New partners"), total.contacts_new, str(total.contacts_new)),
            ],
        ),
        bar_chart(
            _("Outcomes per activity type"),
            [
                Bar(str(kinds[kind]), sum(counts.values()), str(sum(counts.values())))
                for kind, counts in figures.outcomes.items()
            ],
        ),
        bar_chart(
            _("Members reached per year"),
            [Bar(row.label, row.reach.reached, str(row.reach.reached)) for row in figures.years],
        ),
    ]


def cluster_charts(figures: ClusterIndicators) -> list[SafeString]:
    median = figures.programme.median
    k = figures.programme.min_answers
    return [
        bar_chart(
            _("Your cluster against the programme's median"),
            _bars(
                _percent_bar(_("Members reached (your cluster)"), figures.reach.reached_share),
                _percent_bar(_("Members reached (median)"), median.reached_share),
                _percent_bar(_("Know the measure (your cluster)"), figures.survey.knows_measure),
                _percent_bar(_("Know the measure (median)"), median.knows_measure),
                _percent_bar(_("Know the strategy (your cluster)"), figures.survey.knows_strategy),
                _percent_bar(_("Know the strategy (median)"), median.knows_strategy),
            ),
        ),
        _awareness(_("Awareness among your members (survey)"), figures.survey, k),
    ]
