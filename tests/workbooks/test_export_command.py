"""``manage.py export_budget``: the exports from the command line."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from budgets.models import BudgetLine, Phase
from budgets.workbooks import flat as flat_module

from ..factories import (
    ApplicationFactory,
    ClusterFactory,
    ProgrammeFactory,
    RoundFactory,
    position,
)
from .support import reopen

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("export_budget", *args, stdout=out)
    return out.getvalue()


def test_export_budget_application_writes_the_workbook_under_its_descriptive_name(
    budget, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)

    output = run("application", str(budget.application.pk))

    (written,) = tmp_path.glob("InterSpiN_R1_Cluster-A_budget_*.xlsx")
    assert written.name in output
    # Cover, the two phases, and the drawdowns (issue 15).
    assert len(reopen(written.read_bytes()).worksheets) == 4


def test_export_budget_round_writes_the_round_workbook(budget, tmp_path):
    target = tmp_path / "round.xlsx"

    run("--output", str(target), "round", "--programme", "InterSpiN", "--round", "1")

    applications = reopen(target.read_bytes()).worksheets[1]
    assert applications.cell(2, 1).value == budget.application.pk


def test_export_budget_lines_writes_every_line_and_reports_progress(budget, tmp_path, monkeypatch):
    monkeypatch.setattr(flat_module, "PROGRESS_EVERY", 5)
    target = tmp_path / "lines.xlsx"

    output = run("--output", str(target), "lines", "--programme", "InterSpiN", "--round", "1")

    assert "5 lines written" in output
    assert "10 lines written" in output
    assert reopen(target.read_bytes()).worksheets[0].max_row == 1 + BudgetLine.objects.count()


def test_export_budget_lines_as_a_user_exports_what_that_user_may_read(budget, manager_b, tmp_path):
    target = tmp_path / "lines.xlsx"

    run("--user", manager_b.username, "--output", str(target), "lines")

    assert reopen(target.read_bytes()).worksheets[0].max_row == 1  # the header only


def test_export_budget_lines_filters_by_state(budget, tmp_path):
    target = tmp_path / "lines.xlsx"

    run("--output", str(target), "lines", "--state", "draft")

    assert reopen(target.read_bytes()).worksheets[0].max_row == 1


def test_export_budget_template_writes_the_template(budget, tmp_path):
    target = tmp_path / "template.xlsx"

    run("--output", str(target), "template", str(budget.application.pk))

    assert len(reopen(target.read_bytes()).worksheets) == 5


def test_export_budget_uses_the_language_asked_for(budget, tmp_path):
    target = tmp_path / "en.xlsx"

    run("--language", "en", "--output", str(target), "application", str(budget.application.pk))

    names = [cell.value for cell in reopen(target.read_bytes()).worksheets[1]["B"]]
    assert "Staff, pay grades E12–E15" in names


def test_export_budget_refuses_an_application_the_user_may_not_read(budget, manager_b, tmp_path):
    with pytest.raises(CommandError, match="may not read"):
        run(
            "--user",
            manager_b.username,
            "--output",
            str(tmp_path / "x.xlsx"),
            "application",
            str(budget.application.pk),
        )
    assert not list(tmp_path.iterdir())


def test_export_budget_refuses_an_unknown_application(db, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        run("--output", str(tmp_path / "x.xlsx"), "application", "4711")


def test_export_budget_refuses_an_unknown_round(budget, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        run(
            "--output",
            str(tmp_path / "x.xlsx"),
            "round",
            "--programme",
            "InterSpiN",
            "--round",
            "9",
        )


@pytest.fixture
def second_round(budget):
    """InterSpiN round 2 with one line of its own; no other programme has a round 2."""
    round_2 = RoundFactory(programme=budget.application.round.programme, number=2)
    other = ApplicationFactory(round=round_2, cluster=ClusterFactory(name="Cluster R2"))
    BudgetLine.objects.create(
        application=other,
        phase=Phase.CONCEPT,
        grantee=other.cluster.management_organisation,
        year=other.concept_start_on.year,
        position=position("AZA", "0812"),
        eligible_amount=Decimal("5.00"),
    )
    return round_2


def application_numbers(path):
    sheet = reopen(path.read_bytes()).worksheets[0]
    return {row[3] for row in sheet.iter_rows(min_row=2, values_only=True)}


def test_export_budget_lines_finds_a_round_number_only_one_programme_has(second_round, tmp_path):
    target = tmp_path / "lines.xlsx"

    run("--output", str(target), "lines", "--round", "2")

    assert application_numbers(target) == set(
        BudgetLine.objects.filter(application__round=second_round).values_list(
            "application_id", flat=True
        )
    )


def test_export_budget_round_finds_a_round_number_only_one_programme_has(budget, tmp_path):
    target = tmp_path / "round.xlsx"

    run("--output", str(target), "round", "--round", "1")

    assert reopen(target.read_bytes()).worksheets[1].cell(2, 1).value == budget.application.pk


def test_export_budget_names_the_programmes_of_an_ambiguous_round_number(budget, tmp_path):
    RoundFactory(programme=ProgrammeFactory(name="Clusters4Future", short_name="C4F"), number=1)

    with pytest.raises(CommandError) as refused:
        run("--output", str(tmp_path / "x.xlsx"), "lines", "--round", "1")

    assert str(refused.value) == (
        "Round 1 is ambiguous: C4F, InterSpiN each have a round 1. Say which with --programme."
    )
    assert not list(tmp_path.iterdir())
    run("--output", str(tmp_path / "c4f.xlsx"), "lines", "--programme", "C4F", "--round", "1")
    assert application_numbers(tmp_path / "c4f.xlsx") == set()


def test_export_budget_says_when_no_programme_has_the_round_number(budget, tmp_path):
    with pytest.raises(CommandError, match=r"^No programme has a round 9\.$"):
        run("--output", str(tmp_path / "x.xlsx"), "lines", "--round", "9")


def test_export_budget_says_so_in_german(budget, tmp_path):
    RoundFactory(programme=ProgrammeFactory(name="Clusters4Future", short_name="C4F"), number=1)

    with pytest.raises(CommandError) as refused:
        run("--language", "de", "--output", str(tmp_path / "x.xlsx"), "lines", "--round", "1")

    assert str(refused.value) == (
        "Runde 1 ist nicht eindeutig: C4F, InterSpiN haben jeweils eine Runde 1. "
        "Geben Sie mit --programme an, welche gemeint ist."
    )
