"""Background exports: the size switch (pages and API), progress on the job row, the download
behind the access check, expiry, and a failure that says so in plain words."""

from io import BytesIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from budgets.models import BudgetLine
from exports import tasks
from exports.models import ExportJob
from exports.services import EXPORT_EXPIRED, EXPORT_FAILED
from kernel.downloads import XLSX

from ..api.conftest import client_for
from ..web.conftest import browser
from .support import finished_export

pytestmark = pytest.mark.django_db


def sheets_of(response) -> list[str]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return load_workbook(BytesIO(content)).sheetnames


def status_of(response) -> int:
    """The status of a download, read to the end (the test client then closes its file; closing
    it by hand would close the database connection of the test's transaction)."""
    if response.streaming:
        b"".join(response.streaming_content)
    return response.status_code


def test_below_the_threshold_the_exports_are_downloaded_at_once(
    budget, officer, manager_a, open_round
):
    workbook = browser(officer).get(reverse("reports:round-workbook", args=[open_round.pk]))
    lines = browser(manager_a).get(reverse("budgets:lines-export"))
    api = client_for(manager_a).get("/api/v1/budget-lines/export.xlsx")
    for response in (workbook, lines, api):
        assert response.status_code == 200
        assert response["Content-Type"] == XLSX
    assert not ExportJob.objects.exists()


def test_a_large_round_workbook_page_answers_with_the_job_then_the_file(
    budget, large, officer, open_round
):
    client = browser(officer)
    response = client.get(reverse("reports:round-workbook", args=[open_round.pk]))
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:job", args=[job.pk])
    assert job.kind == ExportJob.Kind.ROUND_WORKBOOK
    assert job.requested_by == officer
    assert job.total == BudgetLine.objects.count() > 0
    assert job.state == ExportJob.State.DONE
    page = client.get(response["Location"])
    assert reverse("exports:download", args=[job.pk]) in page.content.decode()
    download = client.get(reverse("exports:download", args=[job.pk]))
    assert download.status_code == 200
    assert job.filename in download["Content-Disposition"]
    assert len(sheets_of(download)) > 1


def test_a_running_job_shows_a_progress_bar_that_also_works_without_javascript(manager_a, officer):
    job = finished_export(manager_a)
    ExportJob.objects.filter(pk=job.pk).update(state=ExportJob.State.RUNNING, done=1, total=4)
    page = browser(manager_a).get(reverse("exports:job", args=[job.pk])).content.decode()
    assert '<progress id="export-progress" max="100" value="25"' in page
    assert f'data-status-url="{reverse("api:export", args=[job.pk])}"' in page
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert "exports/progress.js" in page
    assert reverse("exports:download", args=[job.pk]) not in page


def test_progress_is_written_to_the_job_row_while_the_lines_are_written(
    budget, large, manager_a, monkeypatch
):
    monkeypatch.setattr("budgets.workbooks.flat.PROGRESS_EVERY", 1)
    seen = []
    real = tasks._progress

    def spying(job_id):
        record = real(job_id)

        def recorded(done):
            record(done)
            row = ExportJob.objects.get(pk=job_id)
            seen.append((row.state, row.done, row.total))

        return recorded

    monkeypatch.setattr(tasks, "_progress", spying)
    browser(manager_a).get(reverse("budgets:lines-export"))
    total = BudgetLine.objects.count()
    assert seen == [(ExportJob.State.RUNNING, done, total) for done in range(1, total + 1)]
    job = ExportJob.objects.get()
    assert (job.state, job.done, job.percent) == (ExportJob.State.DONE, total, 100)


def test_a_large_flat_export_answers_202_with_the_status_resource(budget, large, manager_a):
    client = client_for(manager_a)
    response = client.get("/api/v1/budget-lines/export.xlsx", {"state": ["concept_phase"]})
    job = ExportJob.objects.get()
    assert response.status_code == 202
    assert response["Location"] == f"http://testserver/api/v1/exports/{job.pk}/"
    assert job.states == ["concept_phase"]
    status = client.get(response["Location"]).json()
    assert status["state"] == "done"
    assert status["percent"] == 100
    assert status["done"] == status["total"] == job.total > 0
    assert status["download_url"] == f"http://testserver/api/v1/exports/{job.pk}/download/"
    download = client.get(status["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == XLSX
    assert len(sheets_of(download)) >= 2


def test_a_large_round_workbook_in_the_api_is_backgrounded_too(budget, large, auditor, open_round):
    response = client_for(auditor).get(f"/api/v1/rounds/{open_round.pk}/budget.xlsx")
    assert response.status_code == 202
    assert response.json()["kind"] == "round_workbook"


def test_the_list_holds_only_the_users_own_jobs(manager_a, manager_b, officer):
    own = finished_export(manager_a)
    finished_export(manager_b)
    finished_export(officer)
    listed = client_for(manager_a).get("/api/v1/exports/").json()["results"]
    assert [row["id"] for row in listed] == [own.pk]


def test_the_list_reads_in_the_same_queries_at_two_sizes(manager_a):
    def queries() -> int:
        user = User.objects.get(pk=manager_a.pk)  # its roles not cached yet
        with CaptureQueriesContext(connection) as captured:
            assert client_for(user).get("/api/v1/exports/").status_code == 200
        return len(captured)

    finished_export(manager_a)
    small = queries()
    for _ in range(20):
        finished_export(manager_a)
    assert queries() == small


@pytest.mark.parametrize(
    ("persona", "page", "download"),
    [
        ("manager_a", 200, 200),
        ("officer", 200, 200),
        ("auditor", 200, 200),
        ("manager_b", 404, 404),
    ],
)
def test_who_sees_a_job_and_its_file(request, manager_a, persona, page, download):
    job = finished_export(manager_a)
    client = browser(request.getfixturevalue(persona))
    assert client.get(reverse("exports:job", args=[job.pk])).status_code == page
    assert status_of(client.get(reverse("exports:download", args=[job.pk]))) == download


def test_anonymous_visitors_are_sent_to_the_login(manager_a):
    job = finished_export(manager_a)
    for url in (reverse("exports:job", args=[job.pk]), reverse("exports:download", args=[job.pk])):
        response = browser(None).get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_a_round_workbook_job_is_not_for_its_requester_once_they_are_no_officer(manager_a):
    job = finished_export(manager_a, kind=ExportJob.Kind.ROUND_WORKBOOK)
    assert browser(manager_a).get(reverse("exports:job", args=[job.pk])).status_code == 404


def test_cluster_managements_may_not_ask_for_the_round_workbook(manager_a, large, open_round):
    response = browser(manager_a).get(reverse("reports:round-workbook", args=[open_round.pk]))
    assert response.status_code == 403
    assert not ExportJob.objects.exists()


def test_purge_deletes_expired_jobs_and_their_files(manager_a, private_storage):
    expired = finished_export(manager_a, hours_left=-1)
    kept = finished_export(manager_a, hours_left=1)
    expired_file = private_storage / expired.file.name
    assert expired_file.exists()
    call_command("purge_exports")
    assert list(ExportJob.objects.all()) == [kept]
    assert not expired_file.exists()
    assert (private_storage / kept.file.name).exists()


def test_an_expired_job_says_so_and_has_no_file(manager_a):
    job = finished_export(manager_a, hours_left=-1)
    client = browser(manager_a)
    page = client.get(reverse("exports:job", args=[job.pk]))
    assert page.status_code == 410
    assert EXPORT_EXPIRED in page.content.decode()
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 404
    assert client_for(manager_a).get(f"/api/v1/exports/{job.pk}/download/").status_code == 404


def test_a_failed_export_shows_a_clear_message_and_no_traceback(
    budget, large, manager_a, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full at /secret/path")

    monkeypatch.setattr(tasks, "export_budget_lines", broken)
    client = browser(manager_a)
    response = client.get(reverse("budgets:lines-export"))
    job = ExportJob.objects.get()
    assert (job.state, job.error, bool(job.file)) == (ExportJob.State.FAILED, EXPORT_FAILED, False)
    page = client.get(response["Location"]).content.decode()
    assert EXPORT_FAILED.replace("'", "&#x27;") in page
    assert "disk full" not in page
    assert "Traceback" not in page
    status = client_for(manager_a).get(f"/api/v1/exports/{job.pk}/").json()
    assert (status["state"], status["error"], status["download_url"]) == (
        "failed",
        EXPORT_FAILED,
        None,
    )
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 404


def test_the_failure_message_is_german_for_german_users(manager_a):
    job = finished_export(manager_a)
    ExportJob.objects.filter(pk=job.pk).update(state=ExportJob.State.FAILED, error=EXPORT_FAILED)
    page = browser(manager_a, "de").get(reverse("exports:job", args=[job.pk])).content.decode()
    with translation.override("de"):
        german = translation.gettext(EXPORT_FAILED)
    assert german != EXPORT_FAILED
    assert german.replace("'", "&#x27;") in page


def test_the_switch_takes_over_the_paths_of_the_downloads(open_round):
    assert reverse("exports:round-workbook", args=[open_round.pk]) == reverse(
        "reports:round-workbook", args=[open_round.pk]
    )
    assert reverse("exports:lines-export") == reverse("budgets:lines-export")


@pytest.mark.parametrize(
    ("persona", "workbook", "lines"),
    [
        ("officer", 302, 302),
        ("auditor", 302, 302),
        ("manager_a", 403, 302),
        # Cluster B has no lines: nothing large to build, so its (empty) export comes at once.
        ("manager_b", 403, 200),
    ],
)
def test_who_may_ask_for_a_large_export(
    request, budget, large, open_round, persona, workbook, lines
):
    client = browser(request.getfixturevalue(persona))
    url = reverse("exports:round-workbook", args=[open_round.pk])
    assert client.get(url).status_code == workbook
    assert client.get(reverse("exports:lines-export")).status_code == lines
    jobs = ExportJob.objects.filter(requested_by=request.getfixturevalue(persona))
    assert jobs.count() == (workbook == 302) + (lines == 302)


def test_anonymous_visitors_may_not_ask_for_an_export(budget, large, open_round):
    for url in (
        reverse("exports:round-workbook", args=[open_round.pk]),
        reverse("exports:lines-export"),
    ):
        response = browser(None).get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert not ExportJob.objects.exists()
