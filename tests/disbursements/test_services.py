"""The drawdown workflow and its rules through the one service: each refusal says why with the
numbers, and nothing is written."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from applications.services import TransitionNotPermitted, TransitionRefused
from applications.states import State
from disbursements import guards
from disbursements.models import DrawdownPosition, DrawdownRequest, DrawdownTransition
from disbursements.services import (
    DrawdownChangedMeanwhile,
    drawdown_update,
    payment_run_create,
    payment_run_mark_paid,
)
from disbursements.states import DrawdownState

from ..factories import CompanyFactory, position, put_in_state_for_test
from .conftest import (
    CONCEPT_YEAR,
    Running,
    company_request,
    concept_request,
    move,
    released,
)

pytestmark = pytest.mark.django_db


def test_drawdown_create_and_submit_records_history(running: Running, manager_a, in_march_2027):
    drawdown = concept_request(running, manager_a, "12345.67")
    assert drawdown.state == DrawdownState.DRAFT
    assert drawdown.requested_amount() == Decimal("12345.67")

    drawdown = move(drawdown, "submit", manager_a)

    assert drawdown.state == DrawdownState.SUBMITTED
    row = DrawdownTransition.objects.get(request=drawdown)
    assert (row.transition, row.source_state, row.target_state, row.by) == (
        "submit",
        DrawdownState.DRAFT,
        DrawdownState.SUBMITTED,
        manager_a,
    )


def test_drawdown_over_the_years_grant_is_refused_with_numbers(
    running: Running, manager_a, in_march_2027
):
    move(concept_request(running, manager_a, "60000.00"), "submit", manager_a)

    with pytest.raises(TransitionRefused) as refused:
        concept_request(running, manager_a, "40000.01")

    assert refused.value.code == "over_grant"
    assert "€100,000.00" in refused.value.detail  # the approved grant
    assert "€60,000.00" in refused.value.detail  # requested already
    assert "€40,000.00 remain" in refused.value.detail
    assert "€0.01 too much" in refused.value.detail
    assert DrawdownRequest.objects.count() == 1


def test_drawdown_up_to_the_remaining_grant_is_accepted(running: Running, manager_a, in_march_2027):
    move(concept_request(running, manager_a, "60000.00"), "submit", manager_a)
    rest = move(concept_request(running, manager_a, "40000.00"), "submit", manager_a)
    assert rest.state == DrawdownState.SUBMITTED


def test_drafts_returned_and_refused_requests_do_not_count(
    running: Running, manager_a, officer, in_march_2027
):
    concept_request(running, manager_a, "90000.00")  # a draft
    returned = move(concept_request(running, manager_a, "5000.00"), "submit", manager_a)
    move(returned, "return_for_correction", officer, "Receipts missing.")
    refused = move(concept_request(running, manager_a, "5000.00"), "submit", manager_a)
    move(refused, "refuse", officer, "Not eligible.")

    last = move(concept_request(running, manager_a, "100000.00"), "submit", manager_a)

    assert last.state == DrawdownState.SUBMITTED
    # The draft now no longer fits: submitting it is refused with the numbers.
    draft = DrawdownRequest.objects.get(state=DrawdownState.DRAFT)
    with pytest.raises(TransitionRefused) as refused_submit:
        move(draft, "submit", manager_a)
    assert refused_submit.value.code == "over_grant"
    assert DrawdownRequest.objects.get(pk=draft.pk).state == DrawdownState.DRAFT


def test_projektpauschale_counts_in_the_ceiling(running: Running, manager_a, frozen):
    def university_request(amount: str) -> DrawdownRequest:
        return company_request(
            running,
            manager_a,
            grantee=running.university,
            positions=[(position("AZA", "0812"), Decimal(amount))],
            period_start_on=date(2028, 4, 1),
            period_end_on=date(2028, 4, 30),
            spend_by_on=date(2028, 5, 15),
        )

    with frozen(2028, 4, 10):
        with pytest.raises(TransitionRefused) as refused:
            university_request("60000.01")
        assert "€60,000.00" in refused.value.detail
        assert university_request("60000.00").requested_amount() == Decimal("60000.00")


@pytest.mark.parametrize(
    ("amount", "code"),
    [("0.00", "amount_not_positive"), ("-5.00", "amount_not_positive")],
)
def test_drawdown_amount_not_positive_is_refused(
    running: Running, manager_a, in_march_2027, amount, code
):
    with pytest.raises(TransitionRefused) as refused:
        concept_request(running, manager_a, amount)
    assert refused.value.code == code
    assert "0812" in refused.value.detail
    assert not DrawdownRequest.objects.exists()
    assert not DrawdownPosition.objects.exists()


def test_drawdown_amount_with_three_decimals_is_refused(running: Running, manager_a, in_march_2027):
    with pytest.raises(ValidationError) as refused:
        concept_request(running, manager_a, "10.005")
    assert refused.value.code == "too_many_decimals"
    assert "10.005" in refused.value.messages[0]
    assert not DrawdownRequest.objects.exists()


def test_drawdown_without_positions_is_refused(running: Running, manager_a, in_march_2027):
    with pytest.raises(TransitionRefused) as refused:
        concept_request(running, manager_a, positions=[])
    assert refused.value.code == "no_amounts"
    assert not DrawdownRequest.objects.exists()


def test_drawdown_for_a_closed_year_is_refused(running: Running, manager_a, frozen):
    with frozen(2028, 2, 1), pytest.raises(TransitionRefused) as refused:
        concept_request(running, manager_a, spend_by_on=date(2028, 2, 10))
    assert refused.value.code == "year_closed"
    assert "2027" in refused.value.detail
    assert "31 Jan 2028" in refused.value.detail
    assert not DrawdownRequest.objects.exists()


def test_drawdown_in_the_grace_days_of_last_year_is_accepted(running: Running, manager_a, frozen):
    with frozen(2028, 1, 31):
        drawdown = concept_request(
            running,
            manager_a,
            period_start_on=date(2027, 12, 1),
            period_end_on=date(2027, 12, 31),
            spend_by_on=date(2028, 2, 20),
        )
    assert drawdown.year == CONCEPT_YEAR


def test_drawdown_for_an_unknown_grantee_is_refused(running: Running, manager_a, in_march_2027):
    stranger = CompanyFactory(name="Nobody GmbH")
    with pytest.raises(TransitionRefused) as refused:
        concept_request(running, manager_a, grantee=stranger)
    assert refused.value.code == "not_a_grantee"
    assert "Nobody GmbH" in refused.value.detail
    assert not DrawdownRequest.objects.exists()


def test_drawdown_position_outside_the_grantees_budget_is_refused(
    running: Running, manager_a, in_march_2027
):
    with pytest.raises(TransitionRefused) as refused:
        concept_request(running, manager_a, positions=[(position("AZA", "0835"), Decimal("1"))])
    assert refused.value.code == "position_not_in_budget"
    assert "0835" in refused.value.detail


def test_drawdown_period_outside_the_phase_is_refused(running: Running, manager_a, in_march_2027):
    with pytest.raises(TransitionRefused) as refused:
        company_request(
            running,
            manager_a,
            year=2027,
            period_start_on=date(2027, 1, 1),
            period_end_on=date(2027, 2, 28),
        )
    codes = [refusal.code for refusal in refused.value.refusals]
    assert "period_outside_phase" in codes
    assert "1 Jan 2028" in refused.value.detail  # the phase's start
    assert not DrawdownRequest.objects.exists()


def test_drawdown_period_outside_its_year_is_refused(running: Running, manager_a, in_march_2027):
    with pytest.raises(TransitionRefused) as refused:
        concept_request(running, manager_a, year=2028)
    assert "period_outside_year" in [refusal.code for refusal in refused.value.refusals]


def test_aza_spend_by_more_than_six_weeks_out_is_refused(
    running: Running, manager_a, in_march_2027
):
    with pytest.raises(TransitionRefused) as refused:
        concept_request(running, manager_a, spend_by_on=date(2027, 4, 27))
    assert refused.value.code == "spend_by_too_late"
    assert "42 days" in refused.value.detail
    assert "26 Apr 2027" in refused.value.detail
    assert concept_request(running, manager_a, spend_by_on=date(2027, 4, 26)).pk


def test_aza_spend_window_is_programme_data(running: Running, manager_a, in_march_2027):
    programme = running.application.round.programme
    programme.aza_spend_days = 10
    programme.save()
    with pytest.raises(TransitionRefused) as refused:
        concept_request(running, manager_a, spend_by_on=date(2027, 3, 26))
    assert "10 days" in refused.value.detail


def test_aza_request_needs_a_spend_by_date(running: Running, manager_a, in_march_2027):
    with pytest.raises(TransitionRefused) as refused:
        concept_request(running, manager_a, spend_by_on=None)
    assert refused.value.code == "spend_by_missing"


def test_azk_request_for_a_period_not_past_is_refused(running: Running, manager_a, frozen):
    with frozen(2028, 3, 31), pytest.raises(TransitionRefused) as refused:
        company_request(running, manager_a)
    assert refused.value.code == "period_not_past"
    with frozen(2028, 4, 1):
        assert company_request(running, manager_a).state == DrawdownState.DRAFT


def test_drawdown_when_the_phase_does_not_run_is_refused(
    running: Running, manager_a, in_march_2027
):
    put_in_state_for_test(running.application, State.COMPLETED)
    with pytest.raises(TransitionRefused) as refused:
        concept_request(running, manager_a)
    assert refused.value.code == "phase_not_running"
    assert "completed" in refused.value.detail


def test_overdue_interim_statement_blocks(running: Running, manager_a, in_march_2027, monkeypatch):
    # The statements issue answers here; the guard asks it by this name.
    monkeypatch.setattr(guards, "interim_statement_overdue", lambda *args: True)
    with pytest.raises(TransitionRefused) as refused:
        concept_request(running, manager_a)
    assert refused.value.code == "statement_overdue"


def test_another_clusters_management_cannot_enter(running: Running, manager_b, in_march_2027):
    with pytest.raises(PermissionDenied):
        concept_request(running, manager_b)
    assert not DrawdownRequest.objects.exists()


def test_drawdown_update_replaces_positions_and_rechecks(
    running: Running, manager_a, in_march_2027
):
    drawdown = concept_request(running, manager_a, "100.00")
    updated = drawdown_update(
        drawdown=drawdown,
        by=manager_a,
        positions=[(position("AZA", "0812"), Decimal("250.50"))],
        purpose="Trade fair",
    )
    assert updated.requested_amount() == Decimal("250.50")
    with pytest.raises(TransitionRefused):
        drawdown_update(
            drawdown=drawdown,
            by=manager_a,
            positions=[(position("AZA", "0812"), Decimal("100000.01"))],
        )
    assert DrawdownRequest.objects.get(pk=drawdown.pk).requested_amount() == Decimal("250.50")


def test_submitted_request_cannot_be_edited(running: Running, manager_a, in_march_2027):
    drawdown = move(concept_request(running, manager_a), "submit", manager_a)
    with pytest.raises(PermissionDenied):
        drawdown_update(drawdown=drawdown, by=manager_a, purpose="Changed")


def test_four_eyes_the_checker_cannot_release(
    running: Running, manager_a, officer_and_payment_officer, payment_officer, in_march_2027
):
    drawdown = move(concept_request(running, manager_a), "submit", manager_a)
    drawdown = move(drawdown, "mark_checked", officer_and_payment_officer)

    with pytest.raises(TransitionNotPermitted) as refused:
        move(drawdown, "release", officer_and_payment_officer)

    assert refused.value.code == "four_eyes"
    stored = DrawdownRequest.objects.get(pk=drawdown.pk)
    assert stored.state == DrawdownState.CHECKED
    assert stored.released_by is None
    released_ = move(drawdown, "release", payment_officer)
    assert (released_.checked_by, released_.released_by) == (
        officer_and_payment_officer,
        payment_officer,
    )


def test_a_second_release_is_refused(
    running: Running, manager_a, officer, payment_officer, payment_officer_2, in_march_2027
):
    drawdown = released(
        concept_request(running, manager_a),
        manager=manager_a,
        officer=officer,
        payer=payment_officer,
    )
    checked = DrawdownRequest.objects.get(pk=drawdown.pk)
    with pytest.raises(TransitionRefused) as refused:
        move(checked, "release", payment_officer_2)
    assert refused.value.code == "wrong_state"
    assert DrawdownTransition.objects.filter(request=drawdown, transition="release").count() == 1


def test_only_payment_officers_release(
    running: Running, manager_a, officer, auditor, in_march_2027
):
    drawdown = move(
        move(concept_request(running, manager_a), "submit", manager_a), "mark_checked", officer
    )
    for user in (officer, manager_a, auditor):
        with pytest.raises(TransitionNotPermitted):
            move(drawdown, "release", user)


def test_return_and_refuse_need_a_reason(running: Running, manager_a, officer, in_march_2027):
    drawdown = move(concept_request(running, manager_a), "submit", manager_a)
    for name in ("return_for_correction", "refuse"):
        with pytest.raises(TransitionRefused) as refused:
            move(drawdown, name, officer)
        assert refused.value.code == "comment_required"


def test_stale_state_is_refused(running: Running, manager_a, officer, in_march_2027):
    drawdown = concept_request(running, manager_a)
    move(drawdown, "submit", manager_a)
    with pytest.raises(DrawdownChangedMeanwhile) as refused:
        move(drawdown, "submit", manager_a)  # the caller still holds the draft
    assert refused.value.code == "changed_meanwhile"
    assert DrawdownTransition.objects.filter(request=drawdown).count() == 1


def test_payment_run_pays_each_request_with_history(
    running: Running, manager_a, officer, payment_officer, payment_officer_2, frozen
):
    with frozen(2028, 4, 10):
        first = released(
            concept_request(
                running,
                manager_a,
                year=2028,
                period_start_on=date(2028, 4, 1),
                period_end_on=date(2028, 4, 30),
                spend_by_on=date(2028, 5, 1),
            ),
            manager=manager_a,
            officer=officer,
            payer=payment_officer,
        )
        second = released(
            company_request(running, manager_a),
            manager=manager_a,
            officer=officer,
            payer=payment_officer,
        )
        run = payment_run_create(drawdowns=[first, second], by=payment_officer_2)
        with pytest.raises(ValidationError) as twice:
            payment_run_create(drawdowns=[first], by=payment_officer_2)
        assert twice.value.code == "in_another_run"

        payment_run_mark_paid(
            run=run, paid_on=date(2028, 4, 12), reference="KASSE-2028-17", by=payment_officer
        )

        for drawdown in (first, second):
            stored = DrawdownRequest.objects.get(pk=drawdown.pk)
            assert (stored.state, stored.paid_on, stored.payment_reference) == (
                DrawdownState.PAID,
                date(2028, 4, 12),
                "KASSE-2028-17",
            )
            assert stored.transitions.filter(transition="pay", by=payment_officer).exists()
        with pytest.raises(ValidationError) as again:
            payment_run_mark_paid(
                run=run, paid_on=date(2028, 4, 13), reference="X", by=payment_officer
            )
        assert again.value.code == "run_already_paid"


def test_payment_run_takes_only_released_requests(
    running: Running, manager_a, payment_officer, officer, in_march_2027
):
    drawdown = move(concept_request(running, manager_a), "submit", manager_a)
    with pytest.raises(ValidationError) as refused:
        payment_run_create(drawdowns=[drawdown], by=payment_officer)
    assert refused.value.code == "not_released"
    with pytest.raises(PermissionDenied):
        payment_run_create(drawdowns=[drawdown], by=officer)


def test_pay_goes_through_the_run(
    running: Running, manager_a, officer, payment_officer, payment_officer_2, in_march_2027
):
    drawdown = released(
        concept_request(running, manager_a),
        manager=manager_a,
        officer=officer,
        payer=payment_officer,
    )
    with pytest.raises(TransitionRefused) as refused:
        move(drawdown, "pay", payment_officer_2)
    assert refused.value.code == "pay_by_run"


def test_concept_request_names_no_project(running: Running, manager_a, in_march_2027):
    with pytest.raises(ValidationError):
        concept_request(running, manager_a, rd_project=running.project)
    with pytest.raises(ValidationError):
        company_request(running, manager_a, rd_project=None)
    assert not DrawdownRequest.objects.exists()
