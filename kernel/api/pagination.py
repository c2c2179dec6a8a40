"""Pages of every API list, at the same cost whatever the table's size.

A page is read, ids first (``kernel.paging``), with one more row than it shows, which says
whether a next page exists without counting. The ``count`` is exact up to
``API_EXACT_COUNT_LIMIT`` rows (default 10,000: counting that many stays cheap); beyond it,
PostgreSQL's planner estimates it and ``count_is_exact`` is false, so no request counts a
million rows. Deep pages cost their offset; filters narrow a list
better than paging far into it.
"""

import json
from collections import OrderedDict
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from ..paging import rows_by_ids


def estimated_count(queryset: QuerySet[Any]) -> int | None:
    """The planner's estimate of the rows of ``queryset`` (PostgreSQL), or None elsewhere."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])


def counted(queryset: QuerySet[Any]) -> tuple[int, bool]:
    """How many rows ``queryset`` has, and whether that is exact (see the module)."""
    limit: int = settings.API_EXACT_COUNT_LIMIT
    up_to_limit = queryset.order_by().values("pk")[: limit + 1].count()
    if up_to_limit <= limit:
        return up_to_limit, True
    estimate = estimated_count(queryset)
    if estimate is None:
        return queryset.count(), True
    return max(estimate, limit + 1), False


class Pagination(PageNumberPagination):
    """``?page=`` and ``?page_size=`` (at most 500) on every list."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(
        self, queryset: Any, request: Request, view: Any = None
    ) -> list[Any] | None:
        self.request = request
        size = self.get_page_size(request)
        if size is None:
            return None
        raw = request.query_params.get(self.page_query_param, "1")
        self.number = int(raw) if raw.isdigit() and int(raw) > 0 else 0
        if not self.number:
            raise NotFound(_("“%(page)s” is not a page number.") % {"page": raw})
        start = (self.number - 1) * size
        if isinstance(queryset, QuerySet):
            rows = rows_by_ids(queryset, start, start + size + 1)
        else:
            rows = list(queryset[start : start + size + 1])
        self.has_next = len(rows) > size
        rows = rows[:size]
        if self.number > 1 and not rows:
            raise NotFound(_("Page %(page)s is past the last page.") % {"page": self.number})
        known = getattr(view, "known_count", None)  # a view that knows its list's length
        if known is not None:
            self.count, self.count_is_exact = known(), True
        elif isinstance(queryset, QuerySet):
            self.count, self.count_is_exact = counted(queryset)
        else:
            self.count, self.count_is_exact = len(queryset), True
        return rows

    def get_next_link(self) -> str | None:
        if not self.has_next:
            return None
        return replace_query_param(self._url(), self.page_query_param, self.number + 1)

    def get_previous_link(self) -> str | None:
        if self.number <= 1:
            return None
        url = self._url()
        if self.number == 2:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, self.number - 1)

    def _url(self) -> str:
        assert self.request is not None  # set by paginate_queryset
        return self.request.build_absolute_uri()

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            OrderedDict(
                [
                    ("count", self.count),
                    ("count_is_exact", self.count_is_exact),
                    ("next", self.get_next_link()),
                    ("previous", self.get_previous_link()),
                    ("results", data),
                ]
            )
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        paginated = super().get_paginated_response_schema(schema)
        paginated["required"] = ["count", "count_is_exact", "results"]
        paginated["properties"]["count"]["description"] = (
            "How many rows the list has: exact when count_is_exact, else the database's estimate "
            "(lists longer than the exact-count limit, 10,000 by default)."
        )
        paginated["properties"]["count_is_exact"] = {
            "type": "boolean",
            "description": "False when count is an estimate. Follow next to read every row.",
        }
        return dict(paginated)
