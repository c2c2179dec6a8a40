import django_filters

from ..models import Cluster, LegalForm, Organisation, Round


class RoundFilter(django_filters.FilterSet):
    class Meta:
        model = Round
        fields = ["programme", "number"]


class ClusterFilter(django_filters.FilterSet):
    sector = django_filters.CharFilter(lookup_expr="iexact")
    location = django_filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Cluster
        fields = ["sector", "location", "management_organisation"]


class OrganisationFilter(django_filters.FilterSet):
    country = django_filters.CharFilter(lookup_expr="iexact")
    legal_form = django_filters.ChoiceFilter(choices=LegalForm.choices)
    is_confirmed = django_filters.BooleanFilter(
        field_name="confirmed_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Organisation
        fields = ["country", "legal_form", "size_class", "proposed_by_cluster"]
