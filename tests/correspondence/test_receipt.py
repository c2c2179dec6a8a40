"""On submission the outline is kept as a PDF receipt, in the submitter's language."""

import io

import pytest
from django.db import transaction
from django.utils import translation
from pypdf import PdfReader

from applications.services import application_transition
from correspondence.models import Document, DocumentKind
from correspondence.selectors import receipt_for
from correspondence.services import document_attach
from correspondence.storage import private_storage

from .support import PDF, stored_files, upload

pytestmark = pytest.mark.django_db


def receipt_text(application) -> str:
    document = receipt_for(application)
    assert document is not None
    with private_storage().open(document.stored_name) as stored:
        reader = PdfReader(io.BytesIO(stored.read()))
    # Table cells wrap their words onto lines: compare with single spaces.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_receipt_for_is_none_before_submission(application_a):
    assert receipt_for(application_a) is None


def test_submit_keeps_an_english_receipt_of_the_outline(application_a, manager_a):
    document_attach(application=application_a, file=upload("strategy.pdf", PDF), by=manager_a)
    submitted = application_transition(application=application_a, name="submit", by=manager_a)
    receipt = receipt_for(submitted)
    assert (receipt.kind, receipt.file_type, receipt.uploaded_by) == (
        DocumentKind.RECEIPT,
        "pdf",
        manager_a,
    )
    assert receipt.submission == submitted.transitions.get(transition="submit")
    text = receipt_text(submitted)
    region = submitted.partner_regions.get()
    for expected in (
        "Receipt of the submission",
        submitted.title,
        "Cluster A",
        "round 1",
        "martha-manager-a",
        "Eligible costs",
        region.partner_name,
        "strategy.pdf",
    ):
        assert expected in text, (expected, text)


def test_submit_keeps_a_german_receipt_for_a_german_submitter(application_a, manager_a):
    with translation.override("de"):
        submitted = application_transition(application=application_a, name="submit", by=manager_a)
    text = receipt_text(submitted)
    assert "Eingangsbestätigung der Einreichung" in text
    assert "Zuwendungsfähige Ausgaben" in text, text
    assert "Receipt" not in text
    assert receipt_for(submitted).original_name == f"eingangsbestaetigung-{submitted.pk}.pdf"


def test_other_transitions_make_no_receipt(application_a, manager_a):
    application_transition(application=application_a, name="withdraw", by=manager_a)
    assert (receipt_for(application_a), stored_files()) == (None, [])


def submit_then_fail(application, manager) -> None:
    with transaction.atomic():
        application_transition(application=application, name="submit", by=manager)
        assert Document.objects.filter(kind=DocumentKind.RECEIPT).count() == 1
        raise RuntimeError("the request failed after the submission")


def test_a_rolled_back_submission_keeps_no_receipt(application_a, manager_a):
    with pytest.raises(RuntimeError):
        submit_then_fail(application_a, manager_a)
    assert Document.objects.count() == 0
