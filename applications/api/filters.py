import django_filters

from programmes.models import Cluster, Programme, Round

from ..models import Application
from ..states import State


class ApplicationFilter(django_filters.FilterSet):
    """Filters on the applications the user may see: another cluster matches nothing."""

    programme = django_filters.ModelChoiceFilter(
        field_name="round__programme", queryset=Programme.objects.all()
    )
    round = django_filters.ModelChoiceFilter(queryset=Round.objects.all())
    cluster = django_filters.ModelChoiceFilter(queryset=Cluster.objects.all())
    sector = django_filters.CharFilter(field_name="cluster__sector", lookup_expr="iexact")
    state = django_filters.MultipleChoiceFilter(choices=State.choices)

    class Meta:
        model = Application
        fields = ["programme", "round", "cluster", "sector", "state"]
