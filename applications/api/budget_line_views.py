"""Budget lines and their flat export. Every write goes through ``budgets.services``, which
locks the application and checks every rule before it writes; a refused write answers 400 with
each broken rule and its numbers.

POST creates a line (201); a line with the same key (phase, R&D project, grantee, year,
position) exists already: 409 ``duplicate_line`` with its URL, nothing changed. PUT sets every
writable field (all required), PATCH the fields it names; neither clears a field left out."""

from io import BytesIO
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from budgets.api.filters import BudgetLineFilter, BudgetPositionFilter
from budgets.api.serializers import BudgetLineSerializer, BudgetPositionSerializer
from budgets.models import BudgetLine, BudgetPosition
from budgets.services import budget_line_create, budget_line_delete, budget_line_update
from budgets.workbooks import export_budget_lines, export_budget_lines_filename
from kernel.api.files import XLSX_RESPONSE
from kernel.downloads import xlsx_response
from programmes.models import Cluster, Programme, Round

from ..access import budget_lines_visible_to
from ..states import state_labels
from .serializers import BudgetLineChange, BudgetLineInput, BudgetLineReplace


class BudgetPositionViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """The positions of the federal budget forms, keyed by basis and code."""

    queryset = BudgetPosition.objects.all()
    serializer_class = BudgetPositionSerializer
    filterset_class = BudgetPositionFilter
    lookup_value_converter = "int"
    ordering_fields = ["basis", "code"]


@extend_schema_view(
    create=extend_schema(
        request=BudgetLineInput,
        responses={201: BudgetLineSerializer},
        summary="Add a budget line (409 with the existing line's URL if its key is taken)",
    ),
    update=extend_schema(
        request=BudgetLineReplace,
        summary="Set every writable field of a budget line (all required)",
    ),
    partial_update=extend_schema(
        request=BudgetLineChange, summary="Change some fields of a budget line (others kept)"
    ),
    destroy=extend_schema(summary="Delete a budget line"),
)
class BudgetLineViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    serializer_class = BudgetLineSerializer
    filterset_class = BudgetLineFilter
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    lookup_value_converter = "int"
    ordering_fields = ["year", "phase", "eligible_amount", "updated_at"]
    # By the ids of the human order (BudgetLine.Meta.ordering sorts by names through joins):
    # the index "budget_line_list_order" serves it, so a page costs the same at a million lines.
    ordering = ["application_id", "phase", "rd_project_id", "grantee_id", "position_id", "year"]

    def get_queryset(self) -> QuerySet[BudgetLine]:
        return budget_lines_visible_to(self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = BudgetLineInput(data=request.data, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        line = budget_line_create(application=data.pop("application"), by=request.user, **data)
        url = request.build_absolute_uri(reverse("api:budget-line-detail", args=[line.pk]))
        return Response(
            self.get_serializer(self.get_queryset().get(pk=line.pk)).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": url},
        )

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.get("partial", False)
        line = self.get_object()
        shape = BudgetLineChange if partial else BudgetLineReplace
        given = shape(data=request.data, partial=partial, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        budget_line_update(line=line, by=request.user, **given.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=line.pk)).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        budget_line_delete(line=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


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
        export_budget_lines(
            stream,
            by=request.user,
            lines=budget_lines_visible_to(request.user),
            state_labels=state_labels(),
            **filters,
        )
        return xlsx_response(stream.getvalue(), export_budget_lines_filename(**filters))
