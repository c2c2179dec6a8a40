"""A corpus of broken files: each is refused with a located problem, by the preview and by a
confirmation alike, and the database does not change (counts, sums, history).

The template has the application's 11 lines in rows 2-12: the concept phase in rows 2-5, the
implementation phase in rows 6-12. Bad first, middle and last rows are rows 2, 7 and 12.
"""

import zipfile
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl.utils import column_index_from_string

from budgets.imports import (
    Code,
    ImportRefused,
    budget_import_confirm,
    budget_import_preview,
    refusal_status,
)
from budgets.imports.problems import DAMAGED, Problem
from budgets.workbooks.layout import DATA_SHEET

from ..factories import ApplicationFactory, RoundFactory
from .support import database_state, edited, letter, rezipped, set_cell, with_zeros

pytestmark = pytest.mark.django_db

FIRST, MIDDLE, LAST = 2, 7, 12
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData></worksheet>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE workbook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&xxe;</workbook>"""


IMPOSSIBLE_CELL = b"""<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<sheetData><row r="1"><c r="A1" t="n"><v>twelve</v></c></row></sheetData></worksheet>"""
SHEET = "xl/worksheets/sheet1.xml"


def _data_offset(data: bytes, name: str) -> int:
    """Where the stored (compressed) bytes of member ``name`` begin."""
    with zipfile.ZipFile(BytesIO(data)) as archive:
        info = archive.getinfo(name)
    header = data[info.header_offset : info.header_offset + 30]
    name_length = int.from_bytes(header[26:28], "little")
    extra_length = int.from_bytes(header[28:30], "little")
    return info.header_offset + 30 + name_length + extra_length


def bad_checksum(template: bytes) -> bytes:
    """The sheet stored uncompressed with one byte changed: it unpacks, but its CRC-32 fails."""
    stored = BytesIO()
    with (
        zipfile.ZipFile(BytesIO(template)) as source,
        zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as target,
    ):
        for item in source.infolist():
            target.writestr(item.filename, source.read(item))
    data = bytearray(stored.getvalue())
    data[_data_offset(bytes(data), SHEET) + 100] ^= 0x01
    return bytes(data)


def corrupt_compressed(template: bytes) -> bytes:
    """The sheet's compressed bytes garbled: zlib cannot inflate them."""
    data = bytearray(template)
    start = _data_offset(template, SHEET)
    data[start : start + 8] = b"\xff" * 8
    return bytes(data)


@dataclass(frozen=True)
class Broken:
    """A broken file and where its problem must be reported (row and column for a cell)."""

    data: bytes
    code: str
    filename: str = "budget.xlsx"
    row: int | None = None
    column: str | None = None  # a column key of the flat layout
    sheet_level: bool = False
    # Found only by the write itself: a confirmation without a clean preview's token is
    # refused before it writes (the write refusing it is tested in test_import_flow).
    found_by_write: bool = False


def cell(template: bytes, key: str, row: int, value: Any, code: str) -> Broken:
    return Broken(edited(template, set_cell(key, row, value)), code, row=row, column=key)


def member(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(BytesIO(data)) as archive:
        return archive.read(name)


def broken_files(name: str, template: bytes, context: dict[str, Any]) -> Broken:
    """The broken file called ``name``, made from the downloaded ``template``."""
    other_cluster = context["other_cluster_application"].pk
    other_round = context["other_round_application"].pk
    project = context["project_title"]
    cases = {
        # not a workbook
        "text_named_xlsx": lambda: Broken(b"Eligible amount;1000\n", Code.NOT_XLSX),
        "csv_file": lambda: Broken(b"a,b\n1,2\n", Code.NOT_XLSX, filename="budget.csv"),
        "legacy_xls": lambda: Broken(
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), Code.NOT_XLSX, filename="budget.xls"
        ),
        "zip_without_workbook": lambda: Broken(_zip({"notes.txt": b"hello"}), Code.NOT_XLSX),
        # too large
        "over_ten_megabytes": lambda: Broken(template + bytes(10 * 1024 * 1024), Code.TOO_LARGE),
        "declared_over_ten_megabytes": lambda: Broken(
            SimpleUploadedFile("budget.xlsx", template),
            Code.TOO_LARGE,  # size patched below
        ),
        # macros
        "xlsm_name": lambda: Broken(template, Code.MACRO_ENABLED, filename="budget.xlsm"),
        "vba_project": lambda: Broken(
            rezipped(template, add={"xl/vbaProject.bin": b"\x00VBA"}), Code.MACRO_ENABLED
        ),
        "macro_content_type": lambda: Broken(
            rezipped(
                template,
                replace={
                    "[Content_Types].xml": member(template, "[Content_Types].xml").replace(
                        b"sheet.main+xml", b"sheet.macroEnabled.main+xml"
                    )
                },
            ),
            Code.MACRO_ENABLED,
        ),
        # zip bombs
        "zip_bomb_total_size": lambda: Broken(
            with_zeros(template, "xl/media/padding.bin", 201), Code.ZIP_BOMB
        ),
        "zip_bomb_ratio": lambda: Broken(
            with_zeros(template, "xl/media/padding.bin", 2), Code.ZIP_BOMB
        ),
        # XML bombs
        "billion_laughs": lambda: Broken(
            rezipped(template, replace={"xl/worksheets/sheet1.xml": BILLION_LAUGHS}), Code.XML_BOMB
        ),
        "external_entity": lambda: Broken(
            rezipped(template, replace={"xl/workbook.xml": EXTERNAL_ENTITY}), Code.XML_BOMB
        ),
        "damaged_sheet_xml": lambda: Broken(
            rezipped(template, replace={"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row"}),
            Code.DAMAGED,
        ),
        "bad_checksum": lambda: Broken(bad_checksum(template), Code.DAMAGED),
        "corrupt_compressed_data": lambda: Broken(corrupt_compressed(template), Code.DAMAGED),
        "impossible_cell_value": lambda: Broken(
            rezipped(template, replace={"xl/worksheets/sheet1.xml": IMPOSSIBLE_CELL}),
            Code.DAMAGED,
        ),
        # the sheet
        "missing_amount_column": lambda: Broken(
            edited(template, lambda ws: ws.delete_cols(_index("eligible_amount"))),
            Code.MISSING_COLUMN,
            row=1,
            sheet_level=True,
        ),
        "duplicate_column": lambda: Broken(
            edited(template, set_cell("country", 1, "Grantee")),
            Code.DUPLICATE_COLUMN,
            row=1,
            column="country",
        ),
        "no_rows": lambda: Broken(
            edited(template, lambda ws: ws.delete_rows(2, ws.max_row)),
            Code.NO_ROWS,
            sheet_level=True,
        ),
        "too_many_rows": lambda: Broken(template, Code.TOO_MANY_ROWS, row=7, sheet_level=True),
        # unknown positions in the first, middle and last row
        "unknown_position_first": lambda: cell(
            template, "position", FIRST, "0999", Code.UNKNOWN_POSITION
        ),
        "unknown_position_middle": lambda: cell(
            template, "position", MIDDLE, "0999", Code.UNKNOWN_POSITION
        ),
        "unknown_position_last": lambda: cell(
            template, "position", LAST, "0999", Code.UNKNOWN_POSITION
        ),
        # more than two decimals
        "three_decimals_first": lambda: cell(
            template, "eligible_amount", FIRST, 1.234, Code.TOO_MANY_DECIMALS
        ),
        "three_decimals_middle": lambda: cell(
            template, "eligible_amount", MIDDLE, 12345.675, Code.TOO_MANY_DECIMALS
        ),
        "three_decimals_last": lambda: cell(
            template, "eligible_amount", LAST, _local_text("4321.099"), Code.TOO_MANY_DECIMALS
        ),
        # lines of another cluster's application
        "other_cluster_first": lambda: cell(
            template, "application", FIRST, other_cluster, Code.OTHER_CLUSTER
        ),
        "other_cluster_middle": lambda: cell(
            template, "application", MIDDLE, other_cluster, Code.OTHER_CLUSTER
        ),
        "other_cluster_last": lambda: cell(
            template, "application", LAST, other_cluster, Code.OTHER_CLUSTER
        ),
        # more cells that cannot be read
        "other_application_of_the_cluster": lambda: cell(
            template, "application", MIDDLE, other_round, Code.OTHER_APPLICATION
        ),
        "unknown_application": lambda: cell(
            template, "application", MIDDLE, 987654, Code.UNKNOWN_APPLICATION
        ),
        "negative_amount": lambda: cell(
            template, "eligible_amount", MIDDLE, -5, Code.NEGATIVE_AMOUNT
        ),
        "amount_in_words": lambda: cell(
            template, "eligible_amount", MIDDLE, "zwölf", Code.NOT_A_NUMBER
        ),
        "amount_missing": lambda: cell(template, "eligible_amount", LAST, None, Code.REQUIRED),
        "unknown_grantee": lambda: cell(
            template, "grantee", MIDDLE, "Unknown GmbH", Code.UNKNOWN_GRANTEE
        ),
        "unknown_project": lambda: cell(
            template, "rd_project", MIDDLE, "No such project", Code.UNKNOWN_PROJECT
        ),
        "unknown_phase": lambda: cell(
            template, "phase", MIDDLE, "summer phase", Code.UNKNOWN_PHASE
        ),
        "year_in_words": lambda: cell(template, "year", MIDDLE, "next year", Code.NOT_A_YEAR),
        "unknown_basis": lambda: cell(template, "basis", MIDDLE, "XYZ", Code.UNKNOWN_BASIS),
        "project_in_a_concept_line": lambda: cell(
            template, "rd_project", FIRST, project, Code.PROJECT_IN_CONCEPT_PHASE
        ),
        "implementation_line_without_project": lambda: cell(
            template, "rd_project", LAST, None, Code.PROJECT_REQUIRED
        ),
        "position_of_the_other_basis": lambda: Broken(
            edited(
                template,
                lambda ws: [
                    set_cell("basis", LAST, "AZK")(ws),
                    set_cell("position", LAST, "0837")(ws),
                ],
            ),
            Code.BASIS_MISMATCH,
            row=LAST,
            column="position",
        ),
        "justification_too_long": lambda: cell(
            template, "justification", MIDDLE, "x" * 501, Code.TEXT_TOO_LONG
        ),
        "line_given_twice": lambda: Broken(
            edited(template, _copy_row(MIDDLE, LAST + 1)), Code.DUPLICATE_LINE, row=LAST + 1
        ),
        # rows that read well but break the budget
        "implementation_cap_broken": lambda: Broken(
            edited(template, set_cell("eligible_amount", MIDDLE, 5_000_000)),
            "implementation_cap",
            row=MIDDLE,
            column="eligible_amount",
            found_by_write=True,
        ),
        "frozen_concept_phase_changed": lambda: cell(
            template, "eligible_amount", FIRST, 1.00, Code.BUDGET_CLOSED
        ),
    }
    return cases[name]()


CASES = [
    "text_named_xlsx", "csv_file", "legacy_xls", "zip_without_workbook", "over_ten_megabytes",
    "declared_over_ten_megabytes", "xlsm_name", "vba_project", "macro_content_type",
    "zip_bomb_total_size", "zip_bomb_ratio", "billion_laughs", "external_entity",
    "damaged_sheet_xml", "bad_checksum", "corrupt_compressed_data", "impossible_cell_value",
    "missing_amount_column", "duplicate_column", "no_rows", "too_many_rows",
    "unknown_position_first", "unknown_position_middle", "unknown_position_last",
    "three_decimals_first", "three_decimals_middle", "three_decimals_last",
    "other_cluster_first", "other_cluster_middle", "other_cluster_last",
    "other_application_of_the_cluster", "unknown_application", "negative_amount",
    "amount_in_words", "amount_missing", "unknown_grantee", "unknown_project", "unknown_phase",
    "year_in_words", "unknown_basis", "project_in_a_concept_line",
    "implementation_line_without_project", "position_of_the_other_basis",
    "justification_too_long", "line_given_twice", "implementation_cap_broken",
    "frozen_concept_phase_changed",
]  # fmt: skip


def _local_text(number: str) -> str:
    """A number as text the way the active language writes it ("4.321,099" in German)."""
    whole, decimals = number.split(".")
    german = (translation.get_language() or "de").startswith("de")
    grouped = f"{int(whole):,}".replace(",", "." if german else ",")
    return f"{grouped},{decimals}" if german else f"{grouped}.{decimals}"


def _index(key: str) -> int:
    return column_index_from_string(letter(key))


def _copy_row(source: int, target: int):
    def edit(ws: Any) -> None:
        for column in range(1, ws.max_column + 1):
            ws.cell(target, column).value = ws.cell(source, column).value

    return edit


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.fixture
def context(budget, cluster_b):
    return {
        "other_cluster_application": ApplicationFactory(
            round=budget.application.round, cluster=cluster_b
        ),
        "other_round_application": ApplicationFactory(
            round=RoundFactory(programme=budget.application.round.programme, number=2),
            cluster=budget.application.cluster,
        ),
        "project_title": budget.project.title,
    }


@pytest.fixture
def broken(request, template, context, settings):
    name = request.param
    case = broken_files(name, template, context)
    if name == "too_many_rows":
        settings.BUDGET_IMPORT_MAX_ROWS = 5
    if name == "declared_over_ten_megabytes":
        case.data.size = 10 * 1024 * 1024 + 1
    return case


def assert_located(found: list[Problem], case: Broken) -> None:
    matching = [problem for problem in found if problem.code == case.code]
    assert matching, f"no {case.code} among {[str(p) for p in found]}"
    problem = matching[0]
    assert problem.message
    if case.row is None and not case.sheet_level:
        assert problem.sheet is None  # the whole file is refused
        return
    assert problem.sheet == str(DATA_SHEET)
    assert problem.row == case.row
    if case.column is not None:
        assert problem.column == letter(case.column)
        assert problem.heading
    assert problem.location


@pytest.mark.parametrize("broken", CASES, indirect=True)
def test_preview_refuses_a_broken_file_with_a_located_problem(broken, budget, manager_a):
    before = database_state()

    preview = budget_import_preview(
        application=budget.application, file=broken.data, filename=broken.filename, by=manager_a
    )

    assert not preview.is_valid
    assert preview.token == ""
    assert_located(list(preview.problems), broken)
    assert database_state() == before


@pytest.mark.parametrize("broken", CASES, indirect=True)
def test_confirm_refuses_a_broken_file_and_writes_nothing(broken, budget, manager_a):
    before = database_state()

    with pytest.raises(ImportRefused) as refused:
        budget_import_confirm(
            application=budget.application,
            file=broken.data,
            filename=broken.filename,
            token="",
            by=manager_a,
        )

    if broken.found_by_write:
        assert [problem.code for problem in refused.value.problems] == [Code.TOKEN_INVALID]
    else:
        assert_located(refused.value.problems, broken)
    assert database_state() == before


DAMAGED_CASES = [
    "damaged_sheet_xml",
    "bad_checksum",
    "corrupt_compressed_data",
    "impossible_cell_value",
]
TECHNICAL = ("CRC", "zlib", "Error -3", "line 1, column", "invalid literal", "Traceback")


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("broken", DAMAGED_CASES, indirect=True)
def test_a_damaged_file_is_refused_in_plain_words(broken, budget, manager_a, language):
    with translation.override(language):
        preview = budget_import_preview(
            application=budget.application, file=broken.data, filename="b.xlsx", by=manager_a
        )
        plain = translation.gettext(DAMAGED)

    assert [problem.message for problem in preview.problems] == [plain]
    assert not any(word in plain for word in TECHNICAL)


@pytest.mark.parametrize("broken", CASES, indirect=True)
def test_every_refusal_has_the_http_status_of_its_kind(broken, budget, manager_a):
    preview = budget_import_preview(
        application=budget.application, file=broken.data, filename=broken.filename, by=manager_a
    )

    status = refusal_status(preview.problems)

    if broken.code == Code.TOO_LARGE:
        assert status == 413
    elif broken.code in {Code.NOT_XLSX, Code.MACRO_ENABLED, Code.DAMAGED} or "bomb" in broken.code:
        assert status == 415
    else:
        assert status == 422


def test_corpus_has_at_least_thirty_broken_files():
    assert len(set(CASES)) >= 30
