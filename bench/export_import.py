#!/usr/bin/env python3
"""Benchmark of the flat budget-line export and the budget import (not a test).

    python bench/export_import.py                                   # a quick run
    python bench/export_import.py --lines 1000000 --applications 1000 --import-lines 10000

Generates synthetic data with bulk_create into a separate SQLite file (``--database`` takes
any DATABASE_URL), then measures, each in a fresh process so memory figures are its own:

1. the flat export (``budgets.workbooks.export_budget_lines``): time, rows per second, peak
   memory, query count; and raw openpyxl write-only writing the same cells from memory, and the
   ratio of the two throughputs (target: at least 0.8);
2. the import of ``--import-lines`` budget lines through our services (preview, then confirm:
   read the file, check every cell, one ``budget_lines_write`` call with validation, history
   and the caps) against the plain import of the same file: read it with openpyxl read-only and
   ``bulk_create`` its rows, no checks, no history (target: confirm at least 0.5x). Also shown:
   the plain import with the garbage collector paused as ours is, a bare ``bulk_create`` of rows
   already in memory, and django-simple-history's ``bulk_create_with_history``.

Results are printed as a table and as JSON. docs/benchmarks.md records a run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE = f"sqlite:///{tempfile.gettempdir()}/funding-bench.sqlite3"


def _database_argument() -> str:
    """``--database`` must be known before Django (and so any model) is imported."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--database", default=DEFAULT_DATABASE)
    return str(early.parse_known_args()[0].database)


os.environ["DATABASE_URL"] = _database_argument()
os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "funding.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.utils import OperationalError, ProgrammingError  # noqa: E402
from django.utils import timezone  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402
from openpyxl.cell.cell import WriteOnlyCell  # noqa: E402
from simple_history.utils import bulk_create_with_history  # noqa: E402

from applications.models import Application  # noqa: E402
from applications.states import State, state_labels  # noqa: E402
from budgets.exports import iter_budget_line_rows  # noqa: E402
from budgets.imports import budget_import_confirm, budget_import_preview  # noqa: E402
from budgets.imports import services as import_services  # noqa: E402
from budgets.models import (  # noqa: E402
    BudgetLine,
    BudgetPosition,
    GranteeTerms,
    Phase,
    ProjectPartner,
    RDProject,
)
from budgets.workbooks import FlatExportInfo, export_budget_lines, write_budget_lines  # noqa: E402
from budgets.workbooks.cells import (  # noqa: E402
    DATETIME_FORMAT,
    EUR_FORMAT,
    EXCEL_MAX_ROWS,
    PERCENT_FORMAT,
)
from budgets.workbooks.flat import PROGRESS_EVERY, UPDATED_AT  # noqa: E402
from budgets.workbooks.layout import (  # noqa: E402
    COLUMN_INDEX,
    FLAT_COLUMNS,
    LINE_COLUMNS,
    phase_labels,
)
from kernel import clock  # noqa: E402
from kernel.collector import collector_paused  # noqa: E402
from programmes.access import Role  # noqa: E402
from programmes.models import Cluster, Organisation, Programme, Round  # noqa: E402

CONCEPT_CODES = ["0812", "0817", "0822", "0831", "0834", "0835", "0843", "0846", "0850"]
PROJECTS_PER_APPLICATION = 3
IMPLEMENTATION_YEARS = 3


def peak_rss_mb() -> float:
    """The process's peak resident memory so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def measured(result: dict[str, Any], *, use_tracemalloc: bool) -> Iterator[None]:
    """Time, query count and memory of the block, into ``result``. Queries are counted by a
    wrapper around execution (Django's own query log keeps only the last 9,000)."""
    count = 0

    def counted(execute: Any, sql: Any, params: Any, many: Any, context: Any) -> Any:
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    before_rss = peak_rss_mb()
    if use_tracemalloc:
        tracemalloc.start()
    with connection.execute_wrapper(counted):
        started = time.perf_counter()
        yield
        result["seconds"] = round(time.perf_counter() - started, 3)
    result["queries"] = count
    if use_tracemalloc:
        result["python_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()
    result["rss_before_mb"] = round(before_rss, 1)
    result["rss_peak_mb"] = round(peak_rss_mb(), 1)


# --- Synthetic data ------------------------------------------------------------------------------


def generate(lines: int, applications: int, import_lines: int) -> None:
    """Programme, round, clusters, organisations, applications with R&D projects, partners,
    grantee terms and ``lines`` budget lines spread over ``applications``; and an empty
    application ready for the import benchmark."""

    call_command("migrate", verbosity=0)
    programme = Programme.objects.create(
        name="Internationalisierung von Spitzenclustern",
        short_name="InterSpiN",
        concept_annual_cap_amount=Decimal("500000.00"),
        concept_max_years=2,
        max_rd_projects=3,
        implementation_cap_amount=Decimal("3000000.00"),
        implementation_max_years=3,
        cluster_cap_amount=Decimal("4000000.00"),
    )
    round_ = Round.objects.create(
        programme=programme,
        number=1,
        call_published_on=date(2026, 1, 15),
        outline_deadline_at=datetime(2026, 3, 1, 12, tzinfo=UTC),
        funding_starts_on=date(2027, 1, 1),
        selection_quota=applications + 1,
        envelope_amount=Decimal("88000000.00"),
    )
    positions = {p.code: p for p in BudgetPosition.objects.filter(basis="AZA")}
    partners_per_project = max(
        1,
        -(
            -max(lines // applications - 18, 0)
            // (PROJECTS_PER_APPLICATION * IMPLEMENTATION_YEARS * 9)
        ),
    )
    pool_size = max(partners_per_project, import_lines // (PROJECTS_PER_APPLICATION * 27) + 1)
    pool = Organisation.objects.bulk_create(
        Organisation(name=f"Universität {n}", legal_form="university", country="DE")
        for n in range(pool_size)
    )
    managements = Organisation.objects.bulk_create(
        Organisation(name=f"Cluster management {n} e.V.", legal_form="cluster_management")
        for n in range(applications + 1)
    )
    clusters = Cluster.objects.bulk_create(
        Cluster(
            name=f"Cluster {n:04d}",
            sector="Elektronik",
            location="Dresden",
            management_organisation=org,
        )
        for n, org in enumerate(managements)
    )
    periods = {
        "concept_start_on": date(2027, 1, 1),
        "concept_end_on": date(2028, 12, 31),
        "implementation_start_on": date(2028, 1, 1),
        "implementation_end_on": date(2030, 12, 31),
    }
    created = Application.objects.bulk_create(
        Application(
            round=round_,
            cluster=cluster,
            title=f"{cluster.name} goes abroad",
            state=State.CONCEPT_PHASE,
            **periods,
        )
        for cluster in clusters
    )
    projects = RDProject.objects.bulk_create(
        RDProject(
            application=application,
            title=f"Project {p + 1}",
            start_month=date(2028, 1, 1),
            end_month=date(2030, 12, 1),
        )
        for application in created
        for p in range(PROJECTS_PER_APPLICATION)
    )
    by_application: dict[int, list[RDProject]] = {}
    for project in projects:
        by_application.setdefault(project.application_id, []).append(project)

    bench_import = created[-1]  # the last application stays empty for the import benchmark
    partner_rows = []
    terms_rows = []
    for application, management in zip(created, managements, strict=True):
        count = pool_size if application.pk == bench_import.pk else partners_per_project
        members = pool[:count]
        terms_rows.append(
            GranteeTerms(
                application=application,
                organisation=management,
                basis="AZA",
                funding_rate=Decimal("100.00"),
            )
        )
        for organisation in members:
            terms_rows.append(
                GranteeTerms(
                    application=application,
                    organisation=organisation,
                    basis="AZA",
                    funding_rate=Decimal("100.00"),
                    has_projektpauschale=True,
                )
            )
        for project in by_application[application.pk]:
            for index, organisation in enumerate(members):
                partner_rows.append(
                    ProjectPartner(project=project, organisation=organisation, is_lead=index == 0)
                )
    GranteeTerms.objects.bulk_create(terms_rows, batch_size=5000)
    ProjectPartner.objects.bulk_create(partner_rows, batch_size=5000)

    def line_rows() -> Iterator[BudgetLine]:
        remaining = lines
        for number, (application, management) in enumerate(
            zip(created[:-1], managements, strict=False)
        ):
            share = remaining // (len(created) - 1 - number)
            remaining -= share
            yield from _application_lines(
                application,
                management,
                by_application[application.pk],
                pool[:partners_per_project],
                positions,
                share,
            )

    batch: list[BudgetLine] = []
    for line in line_rows():
        batch.append(line)
        if len(batch) == 10_000:
            BudgetLine.objects.bulk_create(batch)
            batch.clear()
    BudgetLine.objects.bulk_create(batch)
    officer = User.objects.create_user("bench-officer", password="-")
    officer.groups.add(Group.objects.get(name=Role.OFFICER))
    assert (
        BudgetLine.objects.filter(phase__in=[Phase.CONCEPT, Phase.IMPLEMENTATION]).count() == lines
    )


def _application_lines(
    application: Any,
    management: Any,
    projects: Sequence[Any],
    partners: Sequence[Any],
    positions: Mapping[str, Any],
    count: int,
) -> Iterator[BudgetLine]:
    made = 0
    for year in (2027, 2028):
        for code in CONCEPT_CODES:
            if made == count:
                return
            yield BudgetLine(
                application=application,
                phase=Phase.CONCEPT,
                grantee=management,
                year=year,
                position=positions[code],
                eligible_amount=Decimal("1234.56") + made,
                justification=f"Concept {code}",
            )
            made += 1
    for project in projects:
        for organisation in partners:
            for year in (2028, 2029, 2030):
                for code in CONCEPT_CODES:
                    if made == count:
                        return
                    yield BudgetLine(
                        application=application,
                        phase=Phase.IMPLEMENTATION,
                        rd_project=project,
                        grantee=organisation,
                        year=year,
                        position=positions[code],
                        eligible_amount=Decimal("100.01") + made % 997,
                        justification=f"Line {made} of {project.title}",
                    )
                    made += 1
    assert made == count, f"not enough room for {count} lines in one application"


# --- Measurements (each runs in its own process) -------------------------------------------------


def measure_export(use_tracemalloc: bool) -> dict[str, Any]:

    # As in a background export (exports.tasks): the progress goes to a job row every
    # PROGRESS_EVERY lines, so the figures show what the progress costs.
    from exports.models import ExportJob

    requester, _ = User.objects.get_or_create(username="bench-export")
    now = timezone.now()
    job = ExportJob.objects.create(
        requested_by=requester, kind=ExportJob.Kind.BUDGET_LINES, created_at=now, expires_at=now
    )
    updates = 0

    def progress(done: int) -> None:
        nonlocal updates
        updates += ExportJob.objects.filter(pk=job.pk).update(done=done)

    result: dict[str, Any] = {}
    target = Path(tempfile.gettempdir()) / "funding-bench-export.xlsx"
    with target.open("wb") as stream, measured(result, use_tracemalloc=use_tracemalloc):
        exported = export_budget_lines(
            stream,
            by=None,
            lines=BudgetLine.objects.all(),
            state_labels=state_labels(),
            on_progress=progress,
        )
    job.delete()
    assert updates == exported.line_count // PROGRESS_EVERY
    result["progress_updates"] = updates
    result["rows"] = exported.line_count
    result["sheets"] = len(exported.sheet_titles)
    result["rows_per_second"] = round(exported.line_count / result["seconds"])
    result["file_mb"] = round(target.stat().st_size / 2**20, 1)
    return result


def measure_raw_write(use_tracemalloc: bool) -> dict[str, Any]:
    """openpyxl write-only writing the very cells of the export (values converted and held in
    memory beforehand, untimed), with the same styled cells and the same sheet split."""

    states, phases = state_labels(), phase_labels()
    zone = timezone.get_current_timezone()
    shared: dict[Any, Any] = {}  # one object per repeated value, as a real source would have
    rows = []
    for row in iter_budget_line_rows(BudgetLine.objects.all()):
        values = [
            shared.setdefault(value, value) if isinstance(value, str) else value for value in row
        ]
        values[5] = states[values[5]]
        values[6] = phases[values[6]]
        values[15] = values[15] / 100
        values[18] = values[18].astimezone(zone).replace(tzinfo=None)
        rows.append(values)
    figure_columns = range(len(LINE_COLUMNS), len(FLAT_COLUMNS))
    result: dict[str, Any] = {}
    target = Path(tempfile.gettempdir()) / "funding-bench-raw.xlsx"
    with measured(result, use_tracemalloc=use_tracemalloc):
        workbook = Workbook(write_only=True)
        sheet: Any = None  # the first row opens the first sheet
        written = EXCEL_MAX_ROWS
        for values in rows:
            if written >= EXCEL_MAX_ROWS:
                sheet = workbook.create_sheet()
                money, rate, changed = (WriteOnlyCell(sheet) for _ in range(3))
                money.number_format, rate.number_format, changed.number_format = (
                    EUR_FORMAT,
                    PERCENT_FORMAT,
                    DATETIME_FORMAT,
                )
                figures = [WriteOnlyCell(sheet) for _ in figure_columns]
                for cell in figures:
                    cell.number_format = EUR_FORMAT
                sheet.append([column.label for column in FLAT_COLUMNS])
                written = 1
            money.value, rate.value, changed.value = values[14], values[15], values[18]
            values[14], values[15], values[18] = money, rate, changed
            for cell, column in zip(figures, figure_columns, strict=True):
                cell.value, values[column] = values[column], cell
            sheet.append(values)
            written += 1
        workbook.save(target)
    result["rows"] = len(rows)
    result["rows_per_second"] = round(len(rows) / result["seconds"])
    return result


def _import_rows(application: Any) -> list[tuple[Any, ...]]:
    """The import file's lines in the flat layout, for every partner of the application."""

    positions = list(BudgetPosition.objects.filter(basis="AZA").order_by("code"))
    rows: list[tuple[Any, ...]] = []
    terms = GranteeTerms.objects.filter(
        application=application, has_projektpauschale=True
    ).select_related("organisation")
    for project in RDProject.objects.filter(application=application).order_by("pk"):
        for grantee_terms in terms:
            for year in (2028, 2029, 2030):
                for position in positions:
                    row: list[Any] = [None] * len(COLUMN_INDEX)
                    row[COLUMN_INDEX["application"]] = application.pk
                    row[COLUMN_INDEX["phase"]] = "implementation"
                    row[COLUMN_INDEX["rd_project"]] = project.title
                    row[COLUMN_INDEX["grantee"]] = grantee_terms.organisation.name
                    row[COLUMN_INDEX["country"]] = "DE"
                    row[COLUMN_INDEX["basis"]] = "AZA"
                    row[COLUMN_INDEX["position"]] = position.code
                    row[COLUMN_INDEX["year"]] = year
                    row[COLUMN_INDEX["eligible_amount"]] = Decimal("10.01")
                    row[COLUMN_INDEX["justification"]] = f"Imported {len(rows)}"
                    rows.append(tuple(row))
    return rows


def measure_import(count: int, use_tracemalloc: bool) -> dict[str, Any]:

    application = Application.objects.with_programme().order_by("-pk").first()
    assert application is not None, "run the bench's setup first"
    officer = User.objects.get(username="bench-officer")
    rows = _import_rows(application)[:count]
    assert len(rows) == count, f"only {len(rows)} lines fit the import application"
    buffer = BytesIO()
    # Only the layout columns matter; updated_at and the figures are not imported.
    moment = clock.now()
    write_budget_lines(
        [(*row[:UPDATED_AT], moment, *row[UPDATED_AT + 1 :]) for row in rows],
        buffer,
        info=FlatExportInfo(
            generated_at=clock.now(), generated_by="bench", state_labels=state_labels()
        ),
    )
    data = buffer.getvalue()

    def reset() -> None:
        BudgetLine.history.filter(application_id=application.pk).delete()
        BudgetLine.objects.filter(application_id=application.pk).delete()

    results: dict[str, Any] = {"lines": count, "file_mb": round(len(data) / 2**20, 2)}
    reset()
    preview_result: dict[str, Any] = {}
    with measured(preview_result, use_tracemalloc=use_tracemalloc):
        preview = budget_import_preview(
            application=application, file=data, filename="bench.xlsx", by=officer
        )
    assert preview.is_valid, [str(p) for p in preview.problems[:5]]
    results["preview"] = preview_result
    confirm_result: dict[str, Any] = {}
    with measured(confirm_result, use_tracemalloc=use_tracemalloc):
        budget_import_confirm(
            application=application,
            file=data,
            filename="bench.xlsx",
            token=preview.token,
            by=officer,
        )
    assert BudgetLine.objects.filter(application_id=application.pk).count() == count
    results["confirm"] = confirm_result
    results["history_rows"] = BudgetLine.history.filter(application_id=application.pk).count()

    projects = {p.title: p for p in RDProject.objects.filter(application=application)}
    grantees = {o.name: o for o in Organisation.objects.filter(name__startswith="Universität")}
    positions = {p.code: p for p in BudgetPosition.objects.filter(basis="AZA")}

    def instances() -> list[BudgetLine]:
        return [
            BudgetLine(
                application=application,
                phase="implementation",
                rd_project=projects[r[7]],
                grantee=grantees[r[8]],
                year=r[13],
                position=positions[r[11]],
                eligible_amount=r[14],
                justification=r[17],
            )
            for r in rows
        ]

    def read_and_bulk_create() -> None:
        """The plain path: read the file with openpyxl (read-only) and bulk_create its rows,
        without checks of any kind and without history."""
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
        objects = [
            BudgetLine(
                application=application,
                phase="implementation",
                rd_project=projects[r[7]],
                grantee=grantees[r[8]],
                year=r[13],
                position=positions[r[11]],
                eligible_amount=Decimal(repr(r[14])),
                justification=r[17] or "",
            )
            for r in workbook.worksheets[0].iter_rows(min_row=2, values_only=True)
        ]
        workbook.close()
        BudgetLine.objects.bulk_create(objects, batch_size=1000)

    parse_result: dict[str, Any] = {}
    with measured(parse_result, use_tracemalloc=use_tracemalloc), collector_paused():
        import_services._parse(application, data, "bench.xlsx", officer)
    results["parse_and_diff"] = parse_result
    for name, paused in (
        ("read_file_and_bulk_create", False),
        ("read_file_and_bulk_create_collector_paused", True),
    ):
        reset()
        plain: dict[str, Any] = {}
        with (
            measured(plain, use_tracemalloc=use_tracemalloc),
            collector_paused() if paused else nullcontext(),
        ):
            read_and_bulk_create()
        assert BudgetLine.objects.filter(application_id=application.pk).count() == count
        results[name] = plain
    for name, write in (
        ("bulk_create", lambda objects: BudgetLine.objects.bulk_create(objects, batch_size=1000)),
        (
            "bulk_create_with_history",
            lambda objects: bulk_create_with_history(
                objects, BudgetLine, batch_size=1000, default_user=officer
            ),
        ),
    ):
        reset()
        objects = instances()
        outcome: dict[str, Any] = {}
        with measured(outcome, use_tracemalloc=use_tracemalloc):
            write(objects)
        results[name] = outcome
    reset()
    for baseline in ("read_file_and_bulk_create", "read_file_and_bulk_create_collector_paused"):
        results[f"ratio_confirm_to_{baseline}"] = round(
            results[baseline]["seconds"] / confirm_result["seconds"], 4
        )
    results["ratio_confirm_to_bulk_create"] = round(
        results["bulk_create"]["seconds"] / confirm_result["seconds"], 4
    )
    return results


# --- The driver ----------------------------------------------------------------------------------


def in_subprocess(args: argparse.Namespace, what: str) -> dict[str, Any]:
    command = [
        sys.executable,
        __file__,
        "--database",
        args.database,
        "--measure",
        what,
        "--import-lines",
        str(args.import_lines),
    ]
    if args.tracemalloc:
        command.append("--tracemalloc")
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise SystemExit(f"{what} failed:\n{completed.stdout}\n{completed.stderr}")
    figures: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return figures


def prepare(args: argparse.Namespace, say: Callable[[str], None]) -> None:

    try:
        present = (BudgetLine.objects.count(), Application.objects.count())
    except (OperationalError, ProgrammingError):
        present = (-1, -1)
    wanted = (args.lines, args.applications + 1)
    if present == wanted and not args.fresh:
        say(f"Reusing {args.lines:,} lines in {args.applications:,} applications")
        return
    if args.database.startswith("sqlite:///"):
        connection.close()
        Path(args.database.removeprefix("sqlite:///")).unlink(missing_ok=True)
    elif present != (-1, -1):
        raise SystemExit("The database holds other data; use an empty one, or a SQLite file.")
    say(f"Generating {args.lines:,} lines in {args.applications:,} applications ...")
    started = time.perf_counter()
    generate(args.lines, args.applications, args.import_lines)
    say(f"  done in {time.perf_counter() - started:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=50_000, help="budget lines to export")
    parser.add_argument("--applications", type=int, default=50)
    parser.add_argument("--import-lines", type=int, default=2_000, help="lines to import")
    parser.add_argument("--database", default=DEFAULT_DATABASE, help="a DATABASE_URL")
    parser.add_argument("--fresh", action="store_true", help="regenerate the data")
    parser.add_argument("--tracemalloc", action="store_true", help="Python heap peaks (slower)")
    parser.add_argument("--only", choices=["export", "import"], help="measure only this")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.measure:
        measurements = {
            "export": lambda: measure_export(args.tracemalloc),
            "raw": lambda: measure_raw_write(args.tracemalloc),
            "import": lambda: measure_import(args.import_lines, args.tracemalloc),
        }
        print(json.dumps(measurements[args.measure]()))
        return

    def say(text: str) -> None:
        print(text, flush=True)

    prepare(args, say)
    export = raw = imported = None
    if args.only in (None, "export"):
        say("Measuring the flat export ...")
        export = in_subprocess(args, "export")
        say("Measuring raw openpyxl write-only ...")
        raw = in_subprocess(args, "raw")
    if args.only in (None, "import"):
        say(f"Measuring the import of {args.import_lines:,} lines ...")
        imported = in_subprocess(args, "import")
    report(export, raw, imported, say)


def verdict(value: float, target: float) -> str:
    return f"target >= {target:.2f}: {'met' if value >= target else 'MISSED'}"


def report(
    export: dict[str, Any] | None,
    raw: dict[str, Any] | None,
    imported: dict[str, Any] | None,
    say: Callable[[str], None],
) -> None:
    if export is not None and raw is not None:
        report_export(export, raw, say)
    if imported is not None:
        report_import(imported, say)
    say(json.dumps({"export": export, "raw": raw, "import": imported}))


def report_export(export: dict[str, Any], raw: dict[str, Any], say: Callable[[str], None]) -> None:
    ratio = export["rows_per_second"] / raw["rows_per_second"]
    say("")
    say(f"Flat export of {export['rows']:,} lines")
    say(f"  {export['sheets']} sheet(s), {export['file_mb']} MB, {export['queries']} queries")
    say(f"  progress written to a job row {export['progress_updates']} times (background path)")
    say(f"  ours: {export['seconds']:.1f} s, {export['rows_per_second']:,} rows/s")
    say(
        f"  peak RSS {export['rss_peak_mb']:.0f} MB (at the start {export['rss_before_mb']:.0f} MB)"
    )
    say(
        f"  raw openpyxl write-only, same cells: {raw['seconds']:.1f} s, "
        f"{raw['rows_per_second']:,} rows/s"
    )
    say(f"  ratio ours/raw: {ratio:.2f} ({verdict(ratio, 0.8)})")


def report_import(imported: dict[str, Any], say: Callable[[str], None]) -> None:
    say(f"Import of {imported['lines']:,} lines ({imported['file_mb']} MB)")
    for name in (
        "preview",
        "confirm",
        "parse_and_diff",
        "read_file_and_bulk_create",
        "read_file_and_bulk_create_collector_paused",
        "bulk_create",
        "bulk_create_with_history",
    ):
        item = imported[name]
        say(
            f"  {name}: {item['seconds']:.2f} s, {item['queries']:,} queries, "
            f"peak RSS {item['rss_peak_mb']:.0f} MB"
        )
    ratio = imported["ratio_confirm_to_read_file_and_bulk_create"]
    say(f"  ratio confirm/(read file + bulk_create): {ratio:.3f} ({verdict(ratio, 0.5)})")
    paused = imported["ratio_confirm_to_read_file_and_bulk_create_collector_paused"]
    say(f"  ratio confirm/(read file + bulk_create, collector paused): {paused:.3f}")
    bare = imported["ratio_confirm_to_bulk_create"]
    say(f"  ratio confirm/bulk_create of rows already in memory: {bare:.3f}")


if __name__ == "__main__":
    main()
