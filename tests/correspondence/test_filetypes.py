"""The type of a file comes from its content: PDF by its header, the zip-based formats by their
own declaration; anything else, empty or too big is refused with the rule and the numbers."""

import pytest
from django.utils import translation

from correspondence.filetypes import (
    EMPTY,
    NAME_MISMATCH,
    TOO_BIG,
    WRONG_TYPE,
    FileType,
    UploadRefused,
    check_file,
    detect,
    human_size,
)

from .support import EXE, PDF, docx, odt, xlsx

MB = 1024 * 1024


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda: PDF, FileType.PDF),
        (xlsx, FileType.XLSX),
        (docx, FileType.DOCX),
        (odt, FileType.ODT),
    ],
)
def test_detect_knows_each_allowed_type_by_content(make, expected):
    assert detect(make()) == expected


@pytest.mark.parametrize(
    "content",
    [
        EXE,
        b"just text",
        b"PK\x03\x04 not really a zip",
        docx(main="presentationml.presentation.main+xml"),  # a PowerPoint file
        odt(mimetype=b"application/vnd.oasis.opendocument.spreadsheet"),
    ],
)
def test_detect_refuses_other_content(content):
    assert detect(content) is None


def test_check_file_refuses_an_exe_renamed_pdf():
    with pytest.raises(UploadRefused) as refused:
        check_file("strategy.pdf", EXE, max_bytes=MB)
    assert refused.value.status == 415
    assert refused.value.detail == WRONG_TYPE % {"name": "strategy.pdf"}


def test_check_file_refuses_a_name_that_hides_the_type():
    with pytest.raises(UploadRefused) as refused:
        check_file("budget.pdf", xlsx(), max_bytes=MB)
    assert refused.value.status == 415
    expected = NAME_MISMATCH % {"name": "budget.pdf", "named": "pdf", "actual": "XLSX"}
    assert refused.value.detail == expected


def test_check_file_refuses_an_empty_file():
    with pytest.raises(UploadRefused) as refused:
        check_file("empty.pdf", b"", max_bytes=MB)
    assert (refused.value.status, refused.value.detail) == (400, EMPTY % {"name": "empty.pdf"})


def test_check_file_names_size_and_limit_of_a_too_big_file():
    content = PDF + b" " * int(12.4 * MB)
    with pytest.raises(UploadRefused) as refused:
        check_file("big.pdf", content, max_bytes=10 * MB)
    assert refused.value.status == 413
    assert refused.value.detail == TOO_BIG % {
        "name": "big.pdf",
        "size": "12.4 MB",
        "limit": "10 MB",
    }
    with translation.override("de"), pytest.raises(UploadRefused) as german:
        check_file("big.pdf", content, max_bytes=10 * MB)
    assert german.value.detail == "„big.pdf“: 12,4 MB liegen über der Grenze von 10 MB."


def test_check_file_takes_a_file_at_the_limit_and_keeps_only_its_own_name():
    checked = check_file("C:\\Users\\m\\strategy.pdf", PDF, max_bytes=len(PDF))
    assert (checked.name, checked.file_type) == ("strategy.pdf", FileType.PDF)


def test_human_size_words_bytes_kilobytes_and_megabytes():
    assert [human_size(n) for n in (900, 1536, 20 * MB)] == ["900 bytes", "1.5 KB", "20 MB"]
