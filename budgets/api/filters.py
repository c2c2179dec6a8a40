import django_filters

from kernel.api.filters import IdFilter

from ..models import BudgetLine, BudgetPosition, Phase


class BudgetLineFilter(django_filters.FilterSet):
    """Filters on the lines the user may see; another cluster's application simply matches
    nothing, as an unknown id does."""

    application = IdFilter(field_name="application_id")
    round = IdFilter(field_name="application__round_id")
    cluster = IdFilter(field_name="application__cluster_id")
    sector = django_filters.CharFilter(
        field_name="application__cluster__sector", lookup_expr="iexact"
    )
    state = django_filters.CharFilter(field_name="application__state")
    phase = django_filters.ChoiceFilter(choices=Phase.choices)
    rd_project = IdFilter(field_name="rd_project_id")
    grantee = IdFilter(field_name="grantee_id")
    position = IdFilter(field_name="position_id")
    year = django_filters.NumberFilter()

    class Meta:
        model = BudgetLine
        fields = [
            "application",
            "round",
            "cluster",
            "sector",
            "state",
            "phase",
            "rd_project",
            "grantee",
            "position",
            "year",
        ]


class BudgetPositionFilter(django_filters.FilterSet):
    class Meta:
        model = BudgetPosition
        fields = ["basis", "code"]
