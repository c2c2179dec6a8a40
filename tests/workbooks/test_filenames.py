"""File names that say what a download is."""

from datetime import date

from budgets.workbooks.cells import sheet_title
from budgets.workbooks.filenames import application_filename, export_filename, filename_part


def test_application_filename_follows_the_agreed_pattern():
    assert (
        application_filename(
            programme="InterSpiN", round_number=1, cluster="ARENA2036", on=date(2026, 11, 21)
        )
        == "InterSpiN_R1_ARENA2036_budget_2026-11-21.xlsx"
    )


def test_filename_part_spells_out_umlauts_and_drops_what_a_file_system_dislikes():
    assert filename_part("Münchner Kreis/Süd: „Öko“ ß") == "Muenchner-Kreis-Sued-Oeko-ss"


def test_filename_part_of_a_formula_like_name_is_harmless():
    assert filename_part('=HYPERLINK("http://x","y")') == "HYPERLINK-http-x-y"


def test_export_filename_leaves_out_empty_parts():
    assert export_filename("InterSpiN", None, "", kind="budget-lines", on=date(2027, 1, 2)) == (
        "InterSpiN_budget-lines_2027-01-02.xlsx"
    )


def test_sheet_title_is_valid_and_unique():
    first = sheet_title("Budget lines: 2027/2028 [draft]")
    second = sheet_title("Budget lines: 2027/2028 [draft]", [first])

    assert len(first) <= 31
    assert not set("[]:*?/\\") & set(first + second)
    assert first != second
