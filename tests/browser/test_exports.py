"""A background export's page in a real browser: the progress bar follows the job (polling its
status resource), and the download link appears when the job is done, without a reload by hand."""

import pytest
from playwright.sync_api import expect

from exports.models import ExportJob

from ..exports.support import finished_export

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_progress_bar_follows_the_job_until_the_download_link(visitor, manager_a):
    job = finished_export(manager_a)
    ExportJob.objects.filter(pk=job.pk).update(state=ExportJob.State.RUNNING, done=1, total=4)
    martha = visitor(manager_a.username, f"pw-{manager_a.username}")
    page = martha.go(f"/exports/{job.pk}/")
    bar = page.locator("#export-progress")
    expect(bar).to_have_attribute("value", "25")
    ExportJob.objects.filter(pk=job.pk).update(done=3)
    expect(page.locator("#export-state")).to_contain_text("75 %")
    ExportJob.objects.filter(pk=job.pk).update(state=ExportJob.State.DONE, done=4)
    link = page.get_by_role("link", name="Download the workbook")
    expect(link).to_be_visible()
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "lines.xlsx"
    martha.shot("export-done")
