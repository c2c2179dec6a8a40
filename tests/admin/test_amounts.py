"""The shared amount table (tests/amounts.py) typed into the admin's money fields, in German and
in English: read as the budget grid reads it (a German "12.5" is refused, never stored as 125),
the rest refused at the field with nothing written."""

import pytest
from django.test import Client

from budgets.models import BudgetLine

from ..amounts import people_rows
from .test_budget_admin import concept_line_data, url

pytestmark = pytest.mark.django_db


def admin_in(language: str, user) -> Client:
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


@pytest.mark.parametrize(("language", "typed", "expected"), people_rows())
def test_admin_reads_the_amount_table(officer, application_a, language, typed, expected):
    client = admin_in(language, officer)
    data = {**concept_line_data(application_a, 0), "eligible_amount": typed}

    response = client.post(url(BudgetLine, "add"), data)

    if expected is None:
        assert response.status_code == 200
        assert response.context["adminform"].form.errors["eligible_amount"], typed
        assert not BudgetLine.objects.exists()
        assert not BudgetLine.history.exists()
    else:
        assert response.status_code == 302, response.context["adminform"].form.errors
        assert BudgetLine.objects.get().eligible_amount == expected


@pytest.mark.parametrize("language", ["de", "en"])
def test_admin_shows_a_stored_amount_in_the_users_notation(officer, application_a, language):
    client = admin_in(language, officer)
    shown = "123.456,78" if language == "de" else "123,456.78"
    data = {**concept_line_data(application_a, 0), "eligible_amount": shown}
    client.post(url(BudgetLine, "add"), data)
    line = BudgetLine.objects.get()

    page = client.get(url(BudgetLine, "change", line.pk)).content.decode()

    assert f'value="{shown}"' in page
