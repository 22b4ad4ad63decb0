"""The monthly PU billing run: set-based, idempotent, crash-safe, equal to the calculator."""

import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from jamsos.accounts.models import User
from jamsos.contributions import billing
from jamsos.contributions.models import Bill, BillLine
from jamsos.registry.employment import pu_employment_end, pu_worker_enrol
from jamsos.registry.models import Employer
from jamsos.rules.calc.contributions import pu_contribution
from tests.conftest import bearer_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def workforce(demo):
    """Two workers at the Sawit employer (large, JKK class IV): one above the JP cap."""
    sawit = Employer.objects.get(legal_name="PT Borneo Sawit Lestari")
    admin = User.objects.get(username="pemberikerja")
    for nik, name, wage in (
        ("6471021508850001", "Budi", 15_000_000),
        ("6471024302850001", "Ani", 5_000_000),
    ):
        pu_worker_enrol(
            acting_user=admin,
            employer_id=sawit.pk,
            nik=nik,
            full_name=name,
            birth_date=date(1985, 8 if nik[9] == "8" else 2, int(nik[6:8]) % 40),
            sex="M" if int(nik[6:8]) < 40 else "F",
            start_on=date(2026, 1, 5),
            wage_idr=wage,
        )
    return sawit


@pytest.fixture
def banua(workforce, demo):
    """A second billed employer: CV Banua Konstruksi verified, with one worker."""
    from jamsos.registry.services import employer_verify

    banua = Employer.objects.get(legal_name="CV Banua Konstruksi")
    employer_verify(acting_user=demo["cabang"], employer_id=banua.pk)
    pu_worker_enrol(
        acting_user=demo["cabang"],
        employer_id=banua.pk,
        nik="6303011508900001",
        full_name="Rahmat",
        birth_date=date(1990, 8, 15),
        sex="M",
        start_on=date(2026, 1, 5),
        wage_idr=4_000_000,
    )
    return banua


def lines_of(employer, period):
    return {
        (line.employment.participant.person.full_name, line.programme, line.payer): line.amount_idr
        for line in BillLine.objects.filter(
            bill__employer=employer, bill__period=period
        ).select_related("employment__participant__person")
    }


def test_bill_lines_equal_the_calculator_and_the_total_their_sum(workforce):
    result = billing.billing_run(acting_user=None, period="2026-10")
    assert (result.bills_created, result.lines) == (1, 12)
    bill = Bill.objects.get(employer=workforce, period="2026-10")
    budi = pu_contribution(on=date(2026, 10, 1), wage_idr=15_000_000, jkk_risk_class=4)
    lines = lines_of(workforce, "2026-10")
    assert {(p, y): a for (n, p, y), a in lines.items() if n == "Budi"} == {
        (line.programme, line.payer): line.amount_idr for line in budi.lines
    }
    assert bill.total_idr == sum(lines.values()) == result.total_idr
    assert len(bill.payment_code) == 11 and bill.payment_code.startswith("2610")
    line = BillLine.objects.filter(
        bill=bill, programme="JP", payer="employer", basis_idr=11_086_300
    ).get()
    assert (line.rule, line.rate_micro) == ("PU.JP.EMPLOYER", 20_000)  # keeps rate and rule
    assert "PP 45/2015" in line.legal_basis


def test_due_date_moves_past_the_weekend_and_holidays(workforce):
    billing.billing_run(acting_user=None, period="2026-10")
    assert Bill.objects.get(period="2026-10").due_on == date(2026, 11, 16)  # 15 Nov: Sunday
    billing.billing_run(acting_user=None, period="2026-07")
    assert Bill.objects.get(period="2026-07").due_on == date(2026, 8, 18)  # 17 Aug: holiday


def test_december_2026_and_2027_are_billed_with_the_computed_2027_calendar(workforce):
    # December 2026 is due in January 2027, beyond the last decree in holidays.csv
    assert billing.billing_run(acting_user=None, period="2026-12").bills_created == 1
    assert Bill.objects.get(period="2026-12").due_on == date(2027, 1, 15)
    billing.billing_run(acting_user=None, period="2027-06")
    assert Bill.objects.get(period="2027-06").due_on == date(2027, 7, 15)
    # provisional: 15-16 May 2027 weekend, 17 May Iduladha as the package estimates it
    billing.billing_run(acting_user=None, period="2027-04")
    assert Bill.objects.get(period="2027-04").due_on == date(2027, 5, 18)


def test_the_jp_cap_switches_on_1_march_on_bills(workforce):
    billing.billing_run(acting_user=None, period="2026-02")
    billing.billing_run(acting_user=None, period="2026-03")
    feb, mar = lines_of(workforce, "2026-02"), lines_of(workforce, "2026-03")
    assert feb[("Budi", "JP", "employer")] == 210_948  # 2 % of 10,547,400
    assert mar[("Budi", "JP", "employer")] == 221_726  # 2 % of 11,086,300
    assert feb[("Ani", "JP", "employer")] == mar[("Ani", "JP", "employer")] == 100_000


def test_a_second_run_issues_nothing_and_bills_never_change(workforce):
    first = billing.billing_run(acting_user=None, period="2026-10")
    lines = BillLine.objects.count()
    again = billing.billing_run(acting_user=None, period="2026-10")
    assert (again.bills_created, again.bills_existing, again.lines) == (0, 1, 0)
    assert BillLine.objects.count() == lines and first.bills_created == 1
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE contributions_billline SET amount_idr = 0")


def test_a_run_killed_partway_and_run_again_gives_one_bill_per_employer(
    workforce, banua, monkeypatch
):
    monkeypatch.setattr(billing, "CHUNK", 1)

    def killed(done, total):
        raise KeyboardInterrupt  # the operator's ^C after the first chunk committed

    with pytest.raises(KeyboardInterrupt):
        billing.billing_run(acting_user=None, period="2026-10", progress=killed)
    assert Bill.objects.filter(period="2026-10").count() == 1
    result = billing.billing_run(acting_user=None, period="2026-10")
    assert (result.bills_created, result.bills_existing) == (1, 1)
    assert sorted(
        Bill.objects.filter(period="2026-10").values_list("employer", flat=True)
    ) == sorted([workforce.pk, banua.pk])
    assert all(
        b.total_idr == sum(b.lines.values_list("amount_idr", flat=True)) and b.total_idr
        for b in Bill.objects.filter(period="2026-10")
    )


def test_leavers_and_new_joiners_by_month(workforce):
    admin = User.objects.get(username="pemberikerja")
    budi = workforce.employments.get(participant__person__full_name="Budi")
    pu_employment_end(
        acting_user=admin,
        employment_id=budi.pk,
        end_on=date(2026, 9, 30),
        exit_reason="resignation",
    )
    billing.billing_run(acting_user=None, period="2026-09")
    billing.billing_run(acting_user=None, period="2026-10")
    assert {n for n, _p, _y in lines_of(workforce, "2026-09")} == {"Budi", "Ani"}
    assert {n for n, _p, _y in lines_of(workforce, "2026-10")} == {"Ani"}
    billing.billing_run(acting_user=None, period="2025-12")  # before anyone started: no bill
    assert not Bill.objects.filter(period="2025-12").exists()


def test_cli_and_api(workforce):
    out = io.StringIO()
    call_command("billing", "run", "--period", "2026-10", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {
        "period": "2026-10",
        "bills_created": 1,
        "bills_existing": 0,
        "lines": 12,
        "total_idr": Bill.objects.get().total_idr,
    }
    with pytest.raises(CommandError, match="period: must be YYYY-MM"):
        call_command("billing", "run", "--period", "Oct")
    with pytest.raises(CommandError, match=r"period: no version of PU\.DUE_DAY is in force"):
        call_command("billing", "run", "--period", "2014-01")
    api = bearer_client("admin").post(
        "/api/v1/billing/runs", {"period": "2026-11"}, content_type="application/json"
    )
    assert api.status_code == 200 and api.json()["bills_created"] == 1
    denied = bearer_client("cabang").post(
        "/api/v1/billing/runs", {"period": "2026-12"}, content_type="application/json"
    )
    assert denied.status_code == 403
    assert not Bill.objects.filter(period="2026-12").exists()
    from jamsos.reporting.models import CoverageSummary, RefreshLog

    # the run refreshes the month's report summaries
    assert RefreshLog.objects.filter(period="2026-10").exists()
    assert CoverageSummary.objects.filter(period="2026-10", segment="PU").exists()


def test_the_jkp_recomposition_is_on_the_bill_as_information(workforce):
    billing.billing_run(acting_user=None, period="2026-10")
    bill = Bill.objects.get(period="2026-10")
    info = {(i.payer, i.citation.rule): i for i in bill.info_lines.select_related("citation")}
    expected: dict[tuple[str, str], int] = {}
    for wage in (15_000_000, 5_000_000):
        calc = pu_contribution(on=date(2026, 10, 1), wage_idr=wage, jkk_risk_class=4)
        for line in calc.informational:
            if line.programme == "JKP":
                key = (line.payer, line.rule)
                expected[key] = expected.get(key, 0) + line.amount_idr
    assert {k: v.amount_idr for k, v in info.items()} == expected
    assert all(i.workers == 2 and i.basis_idr == 10_000_000 for i in info.values())  # capped
    assert bill.total_idr == sum(bill.lines.values_list("amount_idr", flat=True))  # not billed


def test_a_labour_intensive_employer_is_billed_with_the_pp_7_2025_jkk_discount(workforce):
    officer = bearer_client("cabang")
    response = officer.post(
        f"/api/v1/employers/{workforce.pk}/labour-intensive",
        {"labour_intensive": True, "reason": "garment factory, 350 workers"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    billing.billing_run(acting_user=None, period="2026-01")  # the discount's last month
    billing.billing_run(acting_user=None, period="2026-02")
    jan, feb = lines_of(workforce, "2026-01"), lines_of(workforce, "2026-02")
    calc = pu_contribution(
        on=date(2026, 1, 1), wage_idr=15_000_000, jkk_risk_class=4, labour_intensive=True
    )
    expected = next(x for x in calc.lines if x.programme == "JKK")
    assert jan[("Budi", "JKK", "employer")] == expected.amount_idr
    assert feb[("Budi", "JKK", "employer")] == 2 * expected.amount_idr  # discount over
    line = BillLine.objects.get(
        bill__period="2026-01", programme="JKK", employment__participant__person__full_name="Budi"
    )
    assert "DISCOUNT.LABOUR_INTENSIVE" in line.rule and "PP 7/2025" in line.legal_basis
    denied = bearer_client("pemberikerja").post(
        f"/api/v1/employers/{workforce.pk}/labour-intensive",
        {"labour_intensive": False, "reason": "we say so"},
        content_type="application/json",
    )
    assert denied.status_code == 403
