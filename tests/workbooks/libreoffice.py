"""Open a workbook the way a user's spreadsheet program does: LibreOffice headless loads it,
recalculates every formula, and saves it again with the results, which openpyxl then reads.

Each conversion uses its own throw-away LibreOffice profile (``-env:UserInstallation``), so
concurrent runs never share one, and that profile tells LibreOffice to recalculate .xlsx files
on load always (by default it would trust cached results; openpyxl writes none, and a cached
value must never stand in for a recalculation here).
"""

import subprocess
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from tests.environment import soffice_path

ALWAYS_RECALCULATE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
           xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
  <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop>
</item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
  <prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop>
</item>
</oor:items>
"""


def recalculated(workbook_bytes: bytes, directory: Path, name: str = "workbook") -> Any:
    """The workbook after LibreOffice has opened, recalculated and saved it (values only)."""
    return load_workbook(saved_by_libreoffice(workbook_bytes, directory, name), data_only=True)


def saved_by_libreoffice(workbook_bytes: bytes, directory: Path, name: str = "workbook") -> Path:
    """The file LibreOffice writes after opening and recalculating ``workbook_bytes``."""
    soffice = soffice_path()
    assert soffice is not None, "the libreoffice marker skips this test without soffice"
    profile = directory / f"{name}-profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(ALWAYS_RECALCULATE)
    source = directory / f"{name}-in" / f"{name}.xlsx"
    source.parent.mkdir()
    source.write_bytes(workbook_bytes)
    target = directory / f"{name}-out"
    target.mkdir()
    completed = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(target),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    converted = target / f"{name}.xlsx"
    assert converted.exists(), f"LibreOffice did not convert: {completed.stdout}{completed.stderr}"
    return converted


def to_cents(value: Any) -> Decimal:
    """A spreadsheet number (a binary float) to the cent, as its display would show it."""
    assert not isinstance(value, bool), f"expected a number, found {value!r}"
    assert isinstance(value, int | float), f"expected a number, found {value!r}"
    return Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
