"""The budget import as a cluster management does it in the browser: download the template from
the import page, fill it in, upload it, read the preview, confirm."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from applications.states import State
from budgets.models import BudgetLine, Phase

from ..imports.support import edited, set_cell
from .conftest import ARTEFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_import_from_the_downloaded_template(visitor, manager_a, application_a, to_state):
    selected = to_state(application_a, State.SELECTED)
    martha = visitor(manager_a.username, f"pw-{manager_a.username}")
    page = martha.go(f"/applications/{selected.pk}/budget/import/")

    with page.expect_download() as downloading:
        page.locator(f'a[href="/applications/{selected.pk}/budget/template/"]').click()
    template = downloading.value
    assert template.suggested_filename.endswith(".xlsx")
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    downloaded = ARTEFACTS / template.suggested_filename
    template.save_as(downloaded)

    values = {
        "phase": str(Phase.CONCEPT.label),
        "grantee": selected.cluster.management_organisation.name,
        "country": "DE",
        "basis": "AZA",
        "position": "0812",
        "year": selected.concept_start_on.year,
        "eligible_amount": 12345.67,
    }
    filled = downloaded.read_bytes()
    for key, value in values.items():
        filled = edited(filled, set_cell(key, 2, value))
    upload = ARTEFACTS / "filled-budget.xlsx"
    upload.write_bytes(filled)

    page.set_input_files("#import-file", str(upload))
    with page.expect_navigation():
        page.get_by_role("button", name="Preview the import").click()
    expect(page.locator("#preview")).to_be_visible()
    expect(page.locator("main")).to_contain_text("1 new, 0 changed, 0 deleted, 0 unchanged.")
    expect(page.locator("main table")).to_contain_text("0812")
    assert not BudgetLine.objects.filter(application=selected).exists()
    martha.shot("import-preview")

    with page.expect_navigation():
        page.get_by_role("button", name="Import these changes").click()
    assert page.url.endswith(f"/applications/{selected.pk}/budget/")
    line = BudgetLine.objects.get(application=selected)
    assert (line.position.code, line.eligible_amount) == ("0812", Decimal("12345.67"))
    assert BudgetLine.history.filter(id=line.pk).get().history_user == manager_a
