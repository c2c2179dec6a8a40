"""One table of amounts as people and scripts type them, and what each notation makes of them.

The budget grid, the budget import and the admin read people's notation in the user's language
(German or English); the API reads its schema's (digits, a point, at most two decimals). Every
interface runs this same table (tests/test_amounts.py and the test_amounts.py of web, imports,
admin and api). ``None``: refused with a message, nothing written.
"""

from decimal import Decimal

from kernel.money import Notation

# typed            German         English      API
AMOUNT_TABLE: list[tuple[str, str | None, str | None, str | None]] = [
    ("1.5", None, "1.50", "1.50"),
    ("12.5", None, "12.50", "12.50"),
    ("1.234,5", "1234.50", None, None),
    ("1,234.56", None, "1234.56", None),
    ("1e3", None, None, None),
    (" 5 ", "5.00", "5.00", None),
    ("-0,00", "0.00", None, None),
    ("0,005", None, None, None),
    ("123.456,78", "123456.78", None, None),
    ("1234", "1234.00", "1234.00", "1234.00"),
    ("abc", None, None, None),
    ("5.001", "5001.00", None, None),
    ("-5", None, None, None),
]
COLUMNS = {Notation.GERMAN: 1, Notation.ENGLISH: 2, Notation.API: 3}


def amount_rows(notation: Notation) -> list[tuple[str, Decimal | None]]:
    """(typed, the amount it is read as or None) for every row of the table."""
    column = COLUMNS[notation]
    rows = []
    for row in AMOUNT_TABLE:
        expected = row[column]
        rows.append((row[0], None if expected is None else Decimal(expected)))
    return rows


def people_rows() -> list[tuple[str, str, Decimal | None]]:
    """(language, typed, expected) for the interfaces people type into."""
    return [
        (language, typed, expected)
        for language, notation in (("de", Notation.GERMAN), ("en", Notation.ENGLISH))
        for typed, expected in amount_rows(notation)
    ]
