"""File names that say what a download is: ``InterSpiN_R1_ARENA2036_budget_2026-11-21.xlsx``."""

import re
import unicodedata
from datetime import date

_SPELLED_OUT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
_SPELLED_OUT.update(str.maketrans({"ß": "ss"}))
_NOT_SAFE = re.compile(r"[^A-Za-z0-9]+")


def filename_part(text: str) -> str:
    """ASCII letters, digits and hyphens only: umlauts spelled out, accents dropped, everything
    else (spaces, slashes, quotes, dots) turned into single hyphens."""
    spelled = str(text).translate(_SPELLED_OUT)
    ascii_only = unicodedata.normalize("NFKD", spelled).encode("ascii", "ignore").decode()
    return _NOT_SAFE.sub("-", ascii_only).strip("-")


def export_filename(*parts: object, kind: str, on: date, extension: str = "xlsx") -> str:
    """``<part>_<part>_..._<kind>_<YYYY-MM-DD>.<extension>``; empty parts are left out."""
    pieces = [filename_part(str(part)) for part in parts if part not in (None, "")]
    pieces = [piece for piece in pieces if piece]
    return "_".join([*pieces, filename_part(kind), on.isoformat()]) + f".{extension}"


def round_part(number: int | None) -> str | None:
    return f"R{number}" if number is not None else None


def application_filename(
    *, programme: str, round_number: int, cluster: str, on: date, kind: str = "budget"
) -> str:
    """``InterSpiN_R1_ARENA2036_budget_2026-11-21.xlsx``."""
    return export_filename(programme, round_part(round_number), cluster, kind=kind, on=on)


def round_filename(*, programme: str, round_number: int, on: date) -> str:
    """``InterSpiN_R1_round_2026-11-21.xlsx``."""
    return export_filename(programme, round_part(round_number), kind="round", on=on)


def budget_lines_filename(
    *,
    on: date,
    programme: str | None = None,
    round_number: int | None = None,
    cluster: str | None = None,
    state: str | None = None,
) -> str:
    """``InterSpiN_R1_budget-lines_2026-11-21.xlsx``, naming each filter that was set."""
    return export_filename(
        programme, round_part(round_number), cluster, state, kind="budget-lines", on=on
    )
