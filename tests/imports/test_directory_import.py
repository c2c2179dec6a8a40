"""Officers import organisations and clusters: all rows or none."""

from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import Workbook

from budgets.imports import (
    Action,
    Code,
    ImportRefused,
    clusters_import_confirm,
    clusters_import_preview,
    organisations_import_confirm,
    organisations_import_preview,
)
from programmes.models import Cluster, Organisation

from ..factories import OrganisationFactory
from .support import rezipped

pytestmark = pytest.mark.django_db

ORGANISATION_HEADINGS = ["Name", "Legal form", "Size class", "Country", "City"]
CLUSTER_HEADINGS = ["Name", "Sector", "Location", "Management organisation"]


def workbook(title, headings, rows):
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def organisations(*rows):
    return workbook("Organisations", ORGANISATION_HEADINGS, rows)


GOOD = [
    ("ARENA2036 e.V.", "cluster management organisation", "", "DE", "Stuttgart"),
    ("Bosch GmbH", "company", "large", "de", "Gerlingen"),
    ("Fraunhofer IPA", "research_institute", "", "DE", "Stuttgart"),
]


def test_organisations_import_preview_lists_new_and_changed_rows(officer):
    OrganisationFactory(name="Fraunhofer IPA", legal_form="research_institute", city="Berlin")

    with translation.override("en"):
        preview = organisations_import_preview(
            file=organisations(*GOOD), filename="o.xlsx", by=officer
        )

    assert preview.problems == []
    assert [row.action for row in preview.rows] == [Action.CREATE, Action.CREATE, Action.CHANGE]
    assert Organisation.objects.count() == 1


def test_organisations_preview_reads_a_repeated_row_as_the_import_does_and_writes_nothing(
    officer,
):
    """The second row finds the first one's organisation, as the import finds the saved row;
    the preview makes no write. (Its only savepoints are Django's around the check-constraint
    queries of ``full_clean``.)"""
    moved = ("Bosch GmbH", "company", "large", "DE", "Stuttgart")
    data = organisations(GOOD[1], moved)

    with translation.override("en"):
        with CaptureQueriesContext(connection) as captured:
            preview = organisations_import_preview(file=data, filename="o.xlsx", by=officer)
        result = organisations_import_confirm(
            file=data, filename="o.xlsx", token=preview.token, by=officer
        )

    assert preview.problems == []
    assert [row.action for row in preview.rows] == [Action.CREATE, Action.CHANGE]
    kinds = {query["sql"].split(None, 1)[0].upper() for query in captured}
    assert not kinds & {"INSERT", "UPDATE", "DELETE"}
    assert [row.action for row in result.rows] == [Action.CREATE, Action.CHANGE]
    assert Organisation.objects.get(name="Bosch GmbH").city == "Stuttgart"


def test_organisations_import_confirm_creates_and_changes_them(officer):
    OrganisationFactory(name="Fraunhofer IPA", legal_form="research_institute", city="Berlin")
    data = organisations(*GOOD)
    with translation.override("en"):
        token = organisations_import_preview(file=data, filename="o.xlsx", by=officer).token

        result = organisations_import_confirm(file=data, filename="o.xlsx", token=token, by=officer)

    assert (result.created, result.changed) == (2, 1)
    assert Organisation.objects.get(name="Bosch GmbH").country == "DE"
    assert Organisation.objects.get(name="Fraunhofer IPA").city == "Stuttgart"


def test_organisations_import_keeps_the_importing_officer_in_their_history(officer):
    unchanged = OrganisationFactory(
        name="ARENA2036 e.V.", legal_form="cluster_management", city="Stuttgart"
    )
    changed = OrganisationFactory(name="Fraunhofer IPA", legal_form="research_institute")
    data = organisations(*GOOD)
    with translation.override("en"):
        token = organisations_import_preview(file=data, filename="o.xlsx", by=officer).token
        organisations_import_confirm(file=data, filename="o.xlsx", token=token, by=officer)

    def history(organisation):
        rows = organisation.history.order_by("history_date", "history_id")
        return [(row.history_type, row.history_user) for row in rows]

    assert history(unchanged) == [("+", None)]  # the same values: not written again
    assert history(changed) == [("+", None), ("~", officer)]
    assert history(Organisation.objects.get(name="Bosch GmbH")) == [("+", officer)]


@pytest.mark.parametrize(
    ("row", "column"),
    [
        (("Pirates Ltd", "pirate ship", "", "DE", ""), "B"),  # not a legal form
        (("Small GmbH", "company", "", "DE", ""), "C"),  # a company needs a size class
    ],
)
def test_organisations_import_with_an_invalid_row_writes_none(officer, row, column):
    data = organisations(*GOOD, row)

    with translation.override("en"):
        preview = organisations_import_preview(file=data, filename="o.xlsx", by=officer)
        with pytest.raises(ImportRefused) as refused:
            organisations_import_confirm(file=data, filename="o.xlsx", token="", by=officer)

    (problem,) = preview.problems
    assert (problem.sheet, problem.row, problem.column) == ("Organisations", 5, column)
    assert [p.code for p in refused.value.problems] == [problem.code]
    assert Organisation.objects.count() == 0


def test_clusters_import_links_the_management_organisation_by_name(officer):
    management = OrganisationFactory(name="ARENA2036 e.V.", legal_form="cluster_management")
    data = workbook(
        "Clusters", CLUSTER_HEADINGS, [("ARENA2036", "Mobilität", "Stuttgart", "ARENA2036 e.V.")]
    )
    with translation.override("en"):
        token = clusters_import_preview(file=data, filename="c.xlsx", by=officer).token

        clusters_import_confirm(file=data, filename="c.xlsx", token=token, by=officer)

    assert Cluster.objects.get(name="ARENA2036").management_organisation == management


def test_clusters_import_refuses_an_unknown_management_organisation(officer):
    data = workbook(
        "Clusters", CLUSTER_HEADINGS, [("ARENA2036", "Mobilität", "Stuttgart", "Nobody e.V.")]
    )

    with translation.override("en"):
        preview = clusters_import_preview(file=data, filename="c.xlsx", by=officer)

    (problem,) = preview.problems
    assert (problem.row, problem.column) == (2, "D")
    assert "Nobody e.V." in problem.message
    assert Cluster.objects.count() == 0


def test_directory_import_refuses_a_changed_file_after_the_preview(officer):
    with translation.override("en"):
        token = organisations_import_preview(
            file=organisations(*GOOD), filename="o.xlsx", by=officer
        ).token
        with pytest.raises(ImportRefused) as refused:
            organisations_import_confirm(
                file=organisations(*GOOD[:2]), filename="o.xlsx", token=token, by=officer
            )

    assert [p.code for p in refused.value.problems] == [Code.TOKEN_INVALID]
    assert Organisation.objects.count() == 0


def test_directory_import_is_for_officers_only(manager_a):
    with pytest.raises(PermissionDenied):
        organisations_import_preview(file=organisations(*GOOD), filename="o.xlsx", by=manager_a)


def test_directory_import_refuses_a_macro_workbook(officer):
    data = rezipped(organisations(*GOOD), add={"xl/vbaProject.bin": b"\x00"})

    preview = organisations_import_preview(file=data, filename="o.xlsx", by=officer)

    assert [p.code for p in preview.problems] == [Code.MACRO_ENABLED]
