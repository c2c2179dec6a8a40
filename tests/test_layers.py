"""The layers contracts (pyproject.toml, docs/architecture.md) hold, and import-linter really
fails when a lower layer imports a higher one."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = (
    "kernel",
    "programmes",
    "budgets",
    "applications",
    "competition",
    "correspondence",
    "reports",
    "exports",
    "demo",
)
LINT = "import sys, importlinter.cli as c; sys.exit(c.lint_imports(no_cache=True))"


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", LINT],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the project's Python packages and its contracts, to break on purpose."""
    for package in (*PACKAGES, "funding"):
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "templates", "static", "*.po", "*.mo"),
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_layers_hold_in_the_project(tree):
    result = lint_imports(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "higher"),
    [
        ("kernel/money.py", "programmes.models"),
        ("programmes/models.py", "budgets.models"),
        ("budgets/summary.py", "applications.models"),
        ("applications/services.py", "competition.models"),
        ("competition/selectors.py", "reports.round_workbook"),
    ],
)
def test_layers_fail_when_a_lower_layer_imports_a_higher_one(tree, module, higher):
    with (tree / module).open("a") as source:
        source.write(f"\nimport {higher}  # noqa\n")
    result = lint_imports(tree)
    assert result.returncode == 1
    importer = module.removesuffix(".py").replace("/", ".")
    assert f"{importer} -> {higher}" in result.stdout


def test_layers_fail_when_an_engine_imports_its_own_interface(tree):
    with (tree / "budgets/services.py").open("a") as source:
        source.write("\nimport budgets.workbooks  # noqa\n")
    result = lint_imports(tree)
    assert result.returncode == 1
    assert "budgets.services -> budgets.workbooks" in result.stdout
