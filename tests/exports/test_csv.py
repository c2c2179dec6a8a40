"""The flat export as CSV for scripts: streamed at once (header first, lines in chunks), the same
lines as the workbook, what the user may read only, and no formula for a spreadsheet to run."""

import csv

import pytest
from django.urls import reverse

from budgets.models import BudgetLine
from budgets.workbooks.layout import FLAT_COLUMNS

from ..api.conftest import client_for
from ..web.conftest import browser

pytestmark = pytest.mark.django_db


def rows_of(response) -> list[list[str]]:
    assert response.streaming
    text = "".join(chunk.decode() for chunk in response.streaming_content)
    assert text.startswith("\ufeff")
    return list(csv.reader(text.removeprefix("\ufeff").splitlines()))


def test_the_csv_holds_every_line_the_user_may_read(budget, manager_a):
    response = browser(manager_a).get(reverse("exports:lines-csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="' in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith('.csv"')
    header, *lines = rows_of(response)
    assert header == [column.label for column in FLAT_COLUMNS]
    assert len(lines) == BudgetLine.objects.count() > 0
    assert {line[2] for line in lines} == {budget.application.cluster.name}


def test_another_clusters_csv_has_the_header_only(budget, manager_b):
    header, *lines = rows_of(browser(manager_b).get(reverse("exports:lines-csv")))
    assert header[0] == FLAT_COLUMNS[0].label
    assert lines == []


def test_the_header_comes_before_any_line_is_read(budget, manager_a):
    response = browser(manager_a).get(reverse("exports:lines-csv"))
    chunks = iter(response.streaming_content)
    first = next(chunks).decode()
    rest = b"".join(chunks).decode()
    assert first.count("\n") == 1
    assert rest.count("\n") == BudgetLine.objects.count()
    assert first.removeprefix("\ufeff").startswith(FLAT_COLUMNS[0].label)


def test_text_that_reads_as_a_formula_is_kept_as_text(budget, manager_a):
    BudgetLine.objects.update(justification="=HYPERLINK(1)")
    _header, *lines = rows_of(browser(manager_a).get(reverse("exports:lines-csv")))
    column = [column.key for column in FLAT_COLUMNS].index("justification")
    assert {line[column] for line in lines} == {"'=HYPERLINK(1)"}


def test_the_api_streams_the_csv_within_its_filters(budget, auditor, open_round):
    url = "/api/v1/budget-lines/export.csv"
    _header, *lines = rows_of(client_for(auditor).get(url, {"round": open_round.pk}))
    assert len(lines) == BudgetLine.objects.count()
    _header, *none = rows_of(client_for(auditor).get(url, {"state": ["rejected"]}))
    assert none == []
    assert client_for(auditor).get(url, {"round": 999999}).status_code == 400
    assert client_for(None).get(url).status_code == 401


def test_anonymous_visitors_are_sent_to_the_login_for_the_csv(budget):
    response = browser(None).get(reverse("exports:lines-csv"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
