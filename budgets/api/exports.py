"""The flat budget-line export for auditors' pivot tables: every line the user may read."""

from io import BytesIO

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.views import APIView

from kernel.api.files import XLSX_RESPONSE
from kernel.downloads import xlsx_response
from programmes.models import Cluster, Programme, Round

from ..workbooks import export_budget_lines, export_budget_lines_filename


class BudgetLineExportFilter(serializers.Serializer):  # type: ignore[type-arg]
    """Shape only: which lines to export. Visibility narrows them further."""

    programme = serializers.PrimaryKeyRelatedField(queryset=Programme.objects.all(), required=False)
    round = serializers.PrimaryKeyRelatedField(
        queryset=Round.objects.select_related("programme"), required=False
    )
    cluster = serializers.PrimaryKeyRelatedField(queryset=Cluster.objects.all(), required=False)
    state = serializers.ListField(
        child=serializers.CharField(max_length=30), required=False, default=list
    )


class BudgetLineExportView(APIView):
    @extend_schema(
        parameters=[BudgetLineExportFilter],
        responses=XLSX_RESPONSE,
        summary="Every budget line you may read, one row each, keys spelled out (.xlsx)",
    )
    def get(self, request: Request) -> HttpResponse:
        given = BudgetLineExportFilter(
            data={**request.query_params.dict(), "state": request.query_params.getlist("state")}
        )
        given.is_valid(raise_exception=True)
        filters = {
            "programme": given.validated_data.get("programme"),
            "round": given.validated_data.get("round"),
            "cluster": given.validated_data.get("cluster"),
            "states": given.validated_data["state"],
        }
        stream = BytesIO()
        export_budget_lines(stream, by=request.user, **filters)
        return xlsx_response(stream.getvalue(), export_budget_lines_filename(**filters))
