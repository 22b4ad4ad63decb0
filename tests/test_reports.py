"""Coverage report: figures checked against a hand-counted fixture; scope by office."""

import io
import json
from datetime import date

import pytest
import time_machine
from django.core.management import call_command

from jamsos.registry.employment import pu_employment_end, pu_worker_enrol
from jamsos.registry.models import Employer
from jamsos.registry.projects import pmi_register
from jamsos.reporting.coverage import coverage_refresh
from jamsos.reporting.models import CoverageSummary
from jamsos.reporting.workforce import labour_force
from tests.conftest import bearer_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted(demo):
    """In Banjarmasin's branch, October 2026: 2 wage earners at work (a man and a woman; a third
    left in September), 1 migrant worker (woman) placed in May 2026 for 24 months."""
    sawit = Employer.objects.get(legal_name="PT Borneo Sawit Lestari")  # served by BJM
    admin = demo["pemberikerja"]
    people = [
        ("6371051508850001", "Budi", "M"),
        ("6371055508850001", "Ani", "F"),
        ("6371051608850001", "Cahyo", "M"),
    ]
    for nik, name, sex in people:
        pu_worker_enrol(
            acting_user=admin,
            employer_id=sawit.pk,
            nik=nik,
            full_name=name,
            birth_date=date(1985, 8, int(nik[6:8]) % 40),
            sex=sex,
            start_on=date(2026, 1, 5),
            wage_idr=4_000_000,
        )
    cahyo = sawit.employments.get(participant__person__full_name="Cahyo")
    pu_employment_end(
        acting_user=admin,
        employment_id=cahyo.pk,
        end_on=date(2026, 9, 30),
        exit_reason="resignation",
    )
    pmi_register(
        acting_user=demo["cabang"],
        nik="6371055505950001",
        full_name="Lestari",
        birth_date=date(1995, 5, 15),
        sex="F",
        agreement_on=date(2026, 5, 10),
        destination_country="MY",
        via_agency=True,
        contract_months=24,
    )
    return sawit


def test_coverage_figures_match_the_hand_count(counted, demo):
    assert coverage_refresh(period="2026-10") > 0
    assert coverage_refresh(period="2026-10") == CoverageSummary.objects.count()  # repeatable
    branch = counted.branch_office.code
    report = (
        bearer_client("cabang")
        .get("/api/v1/reports/coverage", {"office": branch, "period": "2026-10"})
        .json()
    )
    assert report["by_segment"] == {"PMI": 1, "PU": 2}
    assert report["by_sex"] == {"F": 2, "M": 1}
    assert report["active"] == 3
    force, _used = labour_force({"63"}, 2026)
    assert report["labour_force"] == force == 2_220_000  # Kalimantan Selatan, BPS 2024
    assert report["participation_rate"] == round(3 / 2_220_000, 6)
    coverage_refresh(period="2026-09")
    september = (
        bearer_client("cabang")
        .get("/api/v1/reports/coverage", {"office": branch, "period": "2026-09"})
        .json()
    )
    assert september["by_segment"]["PU"] == 3  # Cahyo still at work in September


def test_scope_a_branch_officer_sees_only_its_branch(counted, demo):
    coverage_refresh(period="2026-10")
    other = bearer_client("cabang").get(
        "/api/v1/reports/coverage", {"office": "KAL", "period": "2026-10"}
    )
    assert other.status_code == 403 and other.json()["error"]["code"] == "report.scope"
    region = (
        bearer_client("wilayah")
        .get("/api/v1/reports/coverage", {"office": "KAL", "period": "2026-10"})
        .json()
    )
    assert region["active"] == 3 and "63" in [w["province"] for w in region["workforce"]]
    assert (
        bearer_client("pemberikerja")
        .get("/api/v1/reports/coverage", {"office": "KAL", "period": "2026-10"})
        .status_code
        == 403
    )


def test_report_cli(counted):
    call_command("report", "refresh", "--period", "2026-10", stdout=io.StringIO())
    out = io.StringIO()
    with time_machine.travel(date(2026, 10, 20), tick=False):
        call_command(
            "report", "coverage", "--office", "KAL", "--year", "2026", "--json", stdout=out
        )
    assert json.loads(out.getvalue())["active"] == 3


def test_money_figures_collection_rate_and_growth(demo):
    from datetime import datetime

    from jamsos.contributions import billing
    from jamsos.contributions.models import Bill
    from jamsos.contributions.payments import channel_create
    from tests.test_payments import SECRET_HOLDER, body, send

    _channel, SECRET_HOLDER["BNI"] = channel_create(acting_user=demo["admin"], code="BNI", name="")
    sawit = Employer.objects.get(legal_name="PT Borneo Sawit Lestari")
    pu_worker_enrol(
        acting_user=demo["pemberikerja"],
        employer_id=sawit.pk,
        nik="6371051508850001",
        full_name="Budi",
        birth_date=date(1985, 8, 15),
        sex="M",
        start_on=date(2025, 9, 1),
        wage_idr=5_000_000,
    )
    with time_machine.travel(datetime(2025, 10, 1, 9), tick=False):
        billing.billing_run(period="2025-09")
    last_year = Bill.objects.get(period="2025-09")
    send(body(last_year.payment_code, 200_000, "M-1", paid_at="2025-10-05T10:00:00+08:00"))
    with time_machine.travel(datetime(2026, 10, 1, 9), tick=False):
        billing.billing_run(period="2026-09")
    this_year = Bill.objects.get(period="2026-09")
    # 1,000,000 paid on 5 Oct: first the rest of last year's bill, then this year's, then fines
    owed_before = last_year.total_idr - 200_000
    send(body(this_year.payment_code, 1_000_000, "M-2", paid_at="2026-10-05T10:00:00+08:00"))
    for period in ("2025-09", "2025-10", "2026-09", "2026-10"):
        coverage_refresh(period=period)
    report = (
        bearer_client("cabang")
        .get("/api/v1/reports/money", {"office": sawit.branch_office.code, "year": 2026})
        .json()
    )
    totals = report["totals"]
    assert totals["billed_idr"] == this_year.total_idr
    paid_on_this_year = min(this_year.total_idr, 1_000_000 - owed_before)
    assert totals["paid_on_billed_idr"] == paid_on_this_year
    assert totals["received_idr"] == 1_000_000
    assert report["collection_rate"] == round(paid_on_this_year / this_year.total_idr, 4)
    assert report["received_previous_year_idr"] == 200_000
    assert report["growth"] == 4.0  # 1,000,000 against 200,000


def test_reports_page_filters_in_the_url_and_exports(counted, demo, client):
    import openpyxl

    coverage_refresh(period="2026-10")
    client.force_login(demo["wilayah"])
    html = client.get("/laporan/?office=KAL&period=2026-10").content.decode()
    assert "Peserta aktif" in html and 'value="2026-10"' in html
    assert " style=" not in html and "<script>" not in html
    csv = client.get("/laporan/?office=KAL&period=2026-10&format=csv")
    assert csv["Content-Type"].startswith("text/csv") and b"coverage,PU,2" in csv.content
    xlsx = client.get("/laporan/?office=KAL&period=2026-10&format=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "section" and ("coverage", "PMI", 1, None, None, None) in rows
    client.force_login(demo["cabang"])
    assert client.get("/laporan/?office=KAL&period=2026-10").status_code == 403
    client.force_login(demo["pemberikerja"])
    assert client.get("/laporan/").status_code == 403
