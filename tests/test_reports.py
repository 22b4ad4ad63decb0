"""Reports: every figure checked against a hand-counted fixture; scope by office."""

import io
import json
from datetime import date, datetime

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from jamsos.contributions.bpu import bpu_payment_request
from jamsos.demo.services import demo_member_load
from jamsos.registry.employment import pu_employment_end, pu_worker_enrol
from jamsos.registry.models import Employer, Participant
from jamsos.registry.projects import pmi_register, project_register, project_worker_add
from jamsos.reporting.coverage import coverage_refresh
from jamsos.reporting.models import ComplianceFlag, CoverageSummary, RetentionSummary
from jamsos.reporting.workforce import labour_force
from tests.conftest import bearer_client
from tests.test_payments import SECRET_HOLDER, body, channel, send  # noqa: F401
from tests.test_projects_pmi import contractor  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

WITA = timezone.get_fixed_timezone(8 * 60)


@pytest.fixture
def counted(demo, contractor, channel):  # noqa: F811
    """Banjarmasin's branch (BJM), October 2026, counted by hand:

    - PU at PT Borneo Sawit Lestari (sector A, large, regency 63.03): Budi (M) and Ani (F), both
      born 15 Aug 1985 (41: band 35-44); Ani earns Rp3,500,000, below the 2026 UMP of Kalimantan
      Selatan (Rp3,725,000); Cahyo left on 30 September. No October bill: unbilled.
    - PMI: Lestari (F, born 15 May 1995: 31, band 25-34), NIK of Banjarmasin (63.71), placed in
      May 2026 for 24 months; no package bill: unbilled.
    - BPU: the demo member (F, born 4 Mar 1992: 34, band 25-34, trader, self-paying, NIK 63.71,
      with JHT) pays September to November 2026 on 10 Sep, then December to February on 20 Nov:
      paid. Cohort 2026-09: still covered after 3 months (Dec), not after 6 (Mar 2027).
    - JAKON: Joko (M, born 1 Jan 2000: 26, band 25-34) on the Jembatan Martapura project of CV
      Banua Konstruksi (regency 63.03), registered 4 May 2026, from 11 May; no bill: unbilled.

    Totals: 5 active; PU 2, BPU 1, JAKON 1, PMI 1; F 3, M 2; 35-44: 2, 25-34: 3; unbilled 4,
    paid 1; JKK 5, JKM 5, JHT 3, JP 2, JKP 2; regency 63.03: 3, 63.71: 2."""
    sawit = Employer.objects.get(legal_name="PT Borneo Sawit Lestari")  # served by BJM
    Employer.objects.filter(pk__in=[sawit.pk, contractor.pk]).update(
        registered_at=datetime(2026, 10, 5, 9, tzinfo=WITA)
    )
    admin = demo["pemberikerja"]
    for nik, name, sex, wage in (
        ("6371051508850001", "Budi", "M", 4_000_000),
        ("6371055508850001", "Ani", "F", 3_500_000),
        ("6371051608850001", "Cahyo", "M", 4_000_000),
    ):
        pu_worker_enrol(
            acting_user=admin,
            employer_id=sawit.pk,
            nik=nik,
            full_name=name,
            birth_date=date(1985, 8, 15),
            sex=sex,
            start_on=date(2026, 1, 5),
            wage_idr=wage,
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
    member = Participant.objects.get(person=demo_member_load(), segment="BPU")
    for on, txn, paid_at in (
        (datetime(2026, 9, 10, 9), "BPU-1", "2026-09-10T10:00:00+08:00"),
        (datetime(2026, 11, 20, 9), "BPU-2", "2026-11-20T10:00:00+08:00"),
    ):
        with time_machine.travel(on, tick=False):
            bill = bpu_payment_request(acting_user=demo["peserta"], kpj=member.kpj, months=3)
        assert (
            send(body(bill.payment_code, bill.total_idr, txn, paid_at=paid_at)).status_code == 200
        )
    with time_machine.travel(datetime(2026, 5, 4, 9), tick=False):
        project = project_register(
            acting_user=demo["kontraktor"],
            contractor_id=contractor.pk,
            name="Jembatan Martapura",
            owner_name="Dinas PUPR Kalsel",
            regency_code="63.03",
            work_order_on=date(2026, 5, 4),
            contract_value_idr=750_000_000,
            funding="APBD",
            start_on=date(2026, 5, 11),
            end_on=date(2026, 12, 31),
        ).project
        project_worker_add(
            acting_user=demo["kontraktor"],
            project_id=project.pk,
            nik="6303050101000001",
            full_name="Joko",
            birth_date=date(2000, 1, 1),
            sex="M",
            kind="daily",
            start_on=date(2026, 5, 11),
        )
    return sawit


def test_coverage_figures_match_the_hand_count(counted, demo):
    assert coverage_refresh(period="2026-10") > 0
    assert coverage_refresh(period="2026-10") == CoverageSummary.objects.count()  # repeatable
    report = (
        bearer_client("cabang")
        .get("/api/v1/reports/coverage", {"office": "BJM", "period": "2026-10"})
        .json()
    )
    assert report["active"] == 5
    assert report["by_segment"] == {"BPU": 1, "JAKON": 1, "PMI": 1, "PU": 2}
    assert report["by_sex"] == {"F": 3, "M": 2}
    assert report["by_age_band"] == {"25-34": 3, "35-44": 2}
    assert report["by_status"] == {"paid": 1, "unbilled": 4}
    assert report["by_programme"] == {"JKK": 5, "JKM": 5, "JHT": 3, "JP": 2, "JKP": 2}
    assert report["by_sector"] == {"A": 2}
    assert report["by_occupation"] == {"trader": 1}
    assert report["by_province"] == {"63": 5}
    assert report["by_regency"] == {"63.03": 3, "63.71": 2}
    assert report["by_branch"] == {"BJM": 5}
    sex = {line["value"]: line for line in report["crosstab"]["sex"]}
    assert sex["F"] == {"value": "F", "total": 3, "PU": 1, "BPU": 1, "PMI": 1}
    force, _used = labour_force({"63"}, 2026)
    assert report["labour_force"] == force == 2_220_000  # Kalimantan Selatan, BPS 2024
    assert report["participation_rate"] == round(5 / 2_220_000, 6)
    assert report["participation_by_province"] == {"63": round(5 / 2_220_000, 6)}
    coverage_refresh(period="2026-09")
    september = (
        bearer_client("cabang")
        .get("/api/v1/reports/coverage", {"office": "BJM", "period": "2026-09"})
        .json()
    )
    assert september["by_segment"]["PU"] == 3  # Cahyo still at work in September


def test_coverage_of_a_province_and_a_regency(counted, demo):
    coverage_refresh(period="2026-10")
    client = bearer_client("wilayah")
    province = client.get(
        "/api/v1/reports/coverage", {"office": "KAL", "period": "2026-10", "province": "63"}
    ).json()
    assert province["active"] == 5 and province["area"] == "Kalimantan Selatan"
    assert [w["province"] for w in province["workforce"]] == ["63"]
    regency = client.get(
        "/api/v1/reports/coverage", {"office": "KAL", "period": "2026-10", "regency": "63.71"}
    ).json()
    assert regency["by_segment"] == {"BPU": 1, "PMI": 1}
    assert regency["participation_rate"] is None  # no labour force below the province
    other = client.get(
        "/api/v1/reports/coverage", {"office": "KAL", "period": "2026-10", "province": "64"}
    ).json()
    assert other["active"] == 0
    bad = client.get(
        "/api/v1/reports/coverage", {"office": "KAL", "period": "2026-10", "province": "99"}
    )
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "area.not_found"
    trend = client.get(
        "/api/v1/reports/coverage/trend", {"office": "KAL", "period": "2026-10", "months": 2}
    ).json()
    assert [t["period"] for t in trend] == ["2026-09", "2026-10"]
    assert trend[0]["active"] == 0 and trend[1]["active"] == 5  # September not refreshed


def test_rows_behind_each_figure_are_the_ones_counted(counted, demo):
    from jamsos.reporting.rows import coverage_rows

    coverage_refresh(period="2026-10")
    cabang = demo["cabang"]

    def names(segment, **filters):
        result = coverage_rows(
            user=cabang, office="BJM", period="2026-10", segment=segment, filters=filters
        )
        return sorted(r["name"] for r in result["rows"])

    assert names("PU") == ["Ani", "Budi"]
    assert names("PU", sex="F") == ["Ani"]
    assert names("PU", age_band="35-44", category="A", status="unbilled") == ["Ani", "Budi"]
    assert names("PU", status="paid") == []
    member = Participant.objects.get(segment="BPU").person.full_name
    assert names("BPU", category="trader", regency="63.71") == [member]
    assert names("BPU", category="farmer") == []
    assert len(names("BPU", age_band="25-34", status="paid")) == 1
    assert names("JAKON", regency="63.03", status="unbilled") == ["Joko"]
    assert names("PMI", province="63", age_band="25-34") == ["Lestari"]
    assert names("PMI", age_band="35-44") == []
    with pytest.raises(Exception, match="age_band"):
        names("PU", age_band="99+")
    other = bearer_client("cabang").get(
        "/laporan/baris/", {"office": "KAL", "period": "2026-10", "segment": "PU"}
    )
    assert other.status_code in (302, 403)


def test_scope_a_branch_officer_sees_only_its_branch(counted, demo):
    coverage_refresh(period="2026-10")
    for path, params in (
        ("/api/v1/reports/coverage", {"office": "KAL", "period": "2026-10"}),
        ("/api/v1/reports/coverage", {"office": "PLK", "period": "2026-10"}),
        ("/api/v1/reports/money", {"office": "KAL", "year": 2026}),
        ("/api/v1/reports/employers", {"office": "KAL", "period": "2026-10"}),
        ("/api/v1/reports/compliance", {"office": "KAL", "period": "2026-10"}),
        ("/api/v1/reports/retention", {"office": "KAL", "year": 2026}),
        ("/api/v1/reports/regional", {"office": "KAL", "year": 2026}),
    ):
        other = bearer_client("cabang").get(path, params)
        assert other.status_code == 403 and other.json()["error"]["code"] == "report.scope", path
    region = (
        bearer_client("wilayah")
        .get("/api/v1/reports/coverage", {"office": "KAL", "period": "2026-10"})
        .json()
    )
    assert region["active"] == 5 and "63" in [w["province"] for w in region["workforce"]]
    assert (
        bearer_client("pemberikerja")
        .get("/api/v1/reports/coverage", {"office": "KAL", "period": "2026-10"})
        .status_code
        == 403
    )
    pontianak = Employer.objects.get(legal_name="PT Khatulistiwa Logistik")
    outside = bearer_client("cabang").get(
        f"/api/v1/reports/compliance/{pontianak.npp}",
        {"period": "2026-10", "kind": "wage_unchanged"},
    )
    assert outside.status_code == 403


def test_report_cli(counted):
    err = io.StringIO()
    call_command("report", "refresh", "--period", "2026-10", stdout=io.StringIO(), stderr=err)
    out = io.StringIO()
    with time_machine.travel(date(2026, 10, 20), tick=False):
        call_command(
            "report", "coverage", "--office", "KAL", "--year", "2026", "--json", stdout=out
        )
    assert json.loads(out.getvalue())["active"] == 5
    out = io.StringIO()
    call_command(
        "report",
        "coverage",
        "--office",
        "BJM",
        "--period",
        "2026-10",
        "--regency",
        "63.71",
        stdout=out,
    )
    assert "2 active" in out.getvalue()
    out = io.StringIO()
    call_command("report", "regional", "--office", "KAL", "--year", "2026", stdout=out)
    assert "5 active" in out.getvalue() and "2026-10" in out.getvalue()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="period"):
        call_command("report", "refresh", "--period", "2026-13", stdout=io.StringIO())
    with pytest.raises(CommandError, match="office"):
        call_command("report", "money", "--office", "NOPE", "--year", "2026", stdout=io.StringIO())


def test_employers_projects_and_compliance(counted, demo):
    coverage_refresh(period="2026-10")
    report = (
        bearer_client("cabang")
        .get("/api/v1/reports/employers", {"office": "BJM", "period": "2026-10"})
        .json()
    )
    # Sawit (large) and Banua (small), both registered 5 October 2026 and active
    assert report["employers"] == 2 and report["active_employers"] == 2
    assert report["by_size_and_status"] == {"large": {"active": 1}, "small": {"active": 1}}
    assert report["new_by_month"] == {"2026-10": 2}
    assert report["projects"] == {"registered": 0, "running": 1, "covered": 1, "value": 0}
    assert report["compliance"]["below_minimum_wage"] == {"employers": 1, "workers": 1}
    assert report["compliance"]["headcount_drop"] == {"employers": 0, "workers": 0}
    listed = (
        bearer_client("cabang")
        .get(
            "/api/v1/reports/compliance",
            {"office": "BJM", "period": "2026-10", "kind": "below_minimum_wage"},
        )
        .json()
    )
    assert [(f["npp"], f["workers"]) for f in listed["flags"]] == [(counted.npp, 1)]
    rows = (
        bearer_client("cabang")
        .get(
            f"/api/v1/reports/compliance/{counted.npp}",
            {"period": "2026-10", "kind": "below_minimum_wage"},
        )
        .json()
    )
    assert rows["minimum_wage_idr"] == 3_725_000  # UMP Kalimantan Selatan 2026, no UMK for 63.03
    assert [(r["name"], r["wage_idr"]) for r in rows["rows"]] == [("Ani", 3_500_000)]
    bad = bearer_client("cabang").get(
        "/api/v1/reports/compliance", {"office": "BJM", "period": "2026-10", "kind": "nope"}
    )
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "kind"


def test_compliance_flags_use_the_umk_and_count_drops_and_stale_wages(demo, contractor):  # noqa: F811
    """CV Banua Konstruksi (small, Banjarmasin 63.71): 26 workers from January 2024 at
    Rp3,800,000 — above the UMP of Kalimantan Selatan 2026 (3,725,000) but below Banjarmasin's
    UMK (3,855,894); 6 leave on 15 September 2026, so 20 remain: a headcount drop of 6 (from
    26 at the end of July), wages unchanged since January 2024 (over 24 months), and 20 workers
    make a medium enterprise by the BPS bands, where JP is mandatory."""
    from jamsos.reporting.employers import employers_refresh

    employments = []
    with time_machine.travel(datetime(2024, 1, 5, 9), tick=False):
        for i in range(26):
            employments.append(
                pu_worker_enrol(
                    acting_user=demo["cabang"],
                    employer_id=contractor.pk,
                    nik=f"637105150885{i + 10:04d}",
                    full_name=f"Pekerja {i}",
                    birth_date=date(1985, 8, 15),
                    sex="M",
                    start_on=date(2024, 1, 5),
                    wage_idr=3_800_000,
                ).employment
            )
    with time_machine.travel(datetime(2026, 9, 16, 9), tick=False):
        for e in employments[:6]:
            pu_employment_end(
                acting_user=demo["cabang"],
                employment_id=e.pk,
                end_on=date(2026, 9, 15),
                exit_reason="resignation",
            )
    employers_refresh(period="2026-10")
    flags = {
        f.kind: (f.workers, f.detail)
        for f in ComplianceFlag.objects.filter(employer=contractor, period="2026-10")
    }
    assert flags == {
        "below_minimum_wage": (20, ""),
        "wage_unchanged": (20, ""),
        "programmes_below_stage": (20, "small→medium: JP"),
        "headcount_drop": (6, "26→20"),
    }
    rows = (
        bearer_client("cabang")
        .get(
            f"/api/v1/reports/compliance/{contractor.npp}",
            {"period": "2026-10", "kind": "headcount_drop"},
        )
        .json()
    )
    assert len(rows["rows"]) == 6 and {r["end_on"] for r in rows["rows"]} == {"2026-09-15"}
    umk = (
        bearer_client("cabang")
        .get(
            f"/api/v1/reports/compliance/{contractor.npp}",
            {"period": "2026-10", "kind": "below_minimum_wage"},
        )
        .json()
    )
    assert umk["minimum_wage_idr"] == 3_855_894 and len(umk["rows"]) == 20
    employers_refresh(period="2026-10")  # repeatable
    assert ComplianceFlag.objects.filter(employer=contractor, period="2026-10").count() == 4


def test_bpu_retention_by_cohort_occupation_and_payer(counted, demo):
    from jamsos.reporting.retention import retention_refresh

    assert retention_refresh() == 1
    assert retention_refresh() == RetentionSummary.objects.count() == 1  # repeatable
    row = RetentionSummary.objects.get()
    assert (row.cohort, row.occupation, row.payer_type, row.joined) == (
        "2026-09",
        "trader",
        "self",
        1,
    )
    assert (row.after_3, row.after_6, row.after_12) == (1, 0, 0)
    with time_machine.travel(date(2027, 10, 1), tick=False):
        report = (
            bearer_client("cabang")
            .get("/api/v1/reports/retention", {"office": "BJM", "year": 2026, "by": "payer_type"})
            .json()
        )
    assert report["cohorts"] == [
        {
            "cohort": "2026-09",
            "joined": 1,
            "after_3": 1,
            "rate_3": 1.0,
            "after_6": 0,
            "rate_6": 0.0,
            "after_12": 0,
            "rate_12": 0.0,
        }
    ]
    assert report["groups"][0]["group"] == "self"
    with time_machine.travel(date(2026, 11, 1), tick=False):
        young = (
            bearer_client("cabang")
            .get("/api/v1/reports/retention", {"office": "BJM", "year": 2026})
            .json()
        )
    assert young["cohorts"][0]["rate_3"] is None  # December 2026 has not come yet


def test_regional_summary_states_the_figures(counted, demo, client):
    from jamsos.reporting.refresh import months_back, report_refresh

    report_refresh(periods=months_back("2026-10", 10))  # January to October
    summary = (
        bearer_client("wilayah")
        .get("/api/v1/reports/regional", {"office": "KAL", "year": 2026})
        .json()
    )
    assert summary["as_of"] == "2026-10" and summary["active"] == 5
    assert summary["segment_shares"] == {"BPU": 0.2, "JAKON": 0.2, "PMI": 0.2, "PU": 0.4}
    # Sawit and Banua (registered 5 October); Khatulistiwa was registered when the test began
    assert summary["employers"] == 2
    assert summary["projects_registered"] == 1  # May 2026
    assert summary["months_refreshed"] == 10
    labour = sum(w["workers"] for w in summary["workforce"])
    assert summary["participation_rate"] == round(5 / labour, 6)
    client.force_login(demo["wilayah"])
    page = client.get("/laporan/ringkasan/?office=KAL&year=2026")
    assert page.status_code == 200 and "Ringkasan wilayah" in page.content.decode()
    pdf = client.get("/laporan/ringkasan/?office=KAL&year=2026&format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    client.force_login(demo["cabang"])
    assert client.get("/laporan/ringkasan/?office=KAL&year=2026").status_code == 403


def test_money_figures_collection_rate_and_growth(demo):
    from datetime import datetime

    from jamsos.contributions import billing
    from jamsos.contributions.models import Bill
    from jamsos.contributions.payments import channel_create

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
        billing.billing_run(acting_user=None, period="2025-09")
    last_year = Bill.objects.get(period="2025-09")
    send(body(last_year.payment_code, 200_000, "M-1", paid_at="2025-10-05T10:00:00+08:00"))
    with time_machine.travel(datetime(2026, 10, 1, 9), tick=False):
        billing.billing_run(acting_user=None, period="2026-09")
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


def test_reports_page_filters_in_the_url_charts_links_and_exports(counted, demo, client):
    import openpyxl

    coverage_refresh(period="2026-10")
    client.force_login(demo["wilayah"])
    html = client.get("/laporan/?office=KAL&period=2026-10&province=63").content.decode()
    assert "Peserta aktif" in html and 'value="2026-10"' in html
    assert '<option value="63" selected>' in html
    assert " style=" not in html and "<script>" not in html
    assert html.count("<svg") >= 4  # trend, map, money, sectors/occupations
    assert (
        "/laporan/baris/?office=KAL&amp;period=2026-10&amp;province=63&amp;segment=PU&amp;sex=F"
        in html
    )
    rows = client.get(
        "/laporan/baris/?office=KAL&period=2026-10&province=63&segment=PU&sex=F"
    ).content.decode()
    assert "Ani" in rows and "Budi" not in rows
    csv = client.get("/laporan/?office=KAL&period=2026-10&format=csv")
    assert csv["Content-Type"].startswith("text/csv") and b"coverage,segment PU,2" in csv.content
    xlsx = client.get("/laporan/?office=KAL&period=2026-10&format=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert "coverage by sex" in book.sheetnames and "money by month" in book.sheetnames
    sex = list(book["coverage by sex"].iter_rows(values_only=True))
    assert sex[0] == ("sex", "PU", "BPU", "JAKON", "PMI", "total") and ("F", 1, 1, 0, 1, 3) in sex
    assert "/pemberi-kerja/?size=large&amp;status=active" in html  # employers by size
    large = client.get("/pemberi-kerja/?size=large&status=active").content.decode()
    assert "PT Borneo Sawit Lestari" in large and "CV Banua Konstruksi" not in large
    compliance = client.get("/laporan/kepatuhan/?office=KAL&period=2026-10").content.decode()
    assert "PT Borneo Sawit Lestari" in compliance
    flag = client.get(
        f"/laporan/kepatuhan/{counted.npp}/?period=2026-10&kind=below_minimum_wage"
    ).content.decode()
    assert "Ani" in flag and "Rp3.500.000" in flag.replace("\xa0", "")
    english = client.get("/laporan/?office=KAL&period=2026-10", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 200
    client.force_login(demo["cabang"])
    assert client.get("/laporan/?office=KAL&period=2026-10").status_code == 403
    assert client.get("/laporan/baris/?office=KAL&period=2026-10&segment=PU").status_code == 403
    assert client.get("/laporan/?office=BJM&period=2026-10").status_code == 200
    client.force_login(demo["pemberikerja"])
    assert client.get("/laporan/").status_code == 403
    assert client.get("/laporan/kepatuhan/").status_code == 403
