"""Claims decided from the records: JHT after leaving work, JKP after a termination, JKM by an
heir; the workflow with four eyes, documents checked by their bytes, payouts once, the ledger
balanced (conftest) and JHT accounts reduced."""

import threading
from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.db import connection

from jamsos.accounts.models import User
from jamsos.benefits.claims import ClaimRequest, claim_file, claim_transition
from jamsos.benefits.documents import CHECKLISTS, document_upload
from jamsos.benefits.models import Claim, Payout
from jamsos.contributions import billing
from jamsos.contributions.jht import jht_balance
from jamsos.contributions.models import Bill
from jamsos.core.errors import Conflict, PermissionDenied, RuleViolation
from jamsos.ledger.models import Account
from jamsos.ledger.services import balance
from jamsos.registry.employment import pu_employment_end, pu_worker_enrol
from jamsos.registry.models import Employer, Participant
from jamsos.rules.calc.benefits import jht_benefit, jkp_benefit
from tests.conftest import bearer_client
from tests.test_payments import SECRET_HOLDER, body, channel, send  # noqa: F401

pytestmark = pytest.mark.django_db

BANK = {"bank_code": "BNI", "bank_account": "0123456789"}


def months(first: date, last: date) -> list[str]:
    out, y, m = [], first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append(f"{y}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


@pytest.fixture
def worked(demo, channel):  # noqa: F811
    """Two workers at the Sawit employer, billed and paid on time from October 2025 to
    September 2026; both leave on 30 September 2026 (Joko terminated, Rina resigned)."""
    sawit = Employer.objects.get(legal_name="PT Borneo Sawit Lestari")
    admin = demo["pemberikerja"]
    people = {}
    for nik, name, sex, wage in (
        ("6371051508850001", "Joko", "M", 40_000_000),
        ("6371055508850001", "Rina", "F", 4_000_000),
    ):
        enrolment = pu_worker_enrol(
            acting_user=admin,
            employer_id=sawit.pk,
            nik=nik,
            full_name=name,
            birth_date=date(1985, 8, 15),
            sex=sex,
            start_on=date(2025, 10, 1),
            wage_idr=wage,
        )
        people[name] = enrolment.employment
    for period in months(date(2025, 10, 1), date(2026, 9, 1)):
        year, month = int(period[:4]), int(period[5:])
        run_on = datetime(year + (month == 12), month % 12 + 1, 1, 9)
        with time_machine.travel(run_on, tick=False):
            billing.billing_run(acting_user=None, period=period)
        bill = Bill.objects.get(period=period)
        paid_at = f"{run_on.date().isoformat()}T10:00:00+08:00"
        assert (
            send(
                body(bill.payment_code, bill.total_idr, f"P-{period}", paid_at=paid_at)
            ).status_code
            == 200
        )
    pu_employment_end(
        acting_user=admin,
        employment_id=people["Joko"].pk,
        end_on=date(2026, 9, 30),
        exit_reason="termination",
    )
    pu_employment_end(
        acting_user=admin,
        employment_id=people["Rina"].pk,
        end_on=date(2026, 9, 30),
        exit_reason="resignation",
    )
    return {n: e.participant for n, e in people.items()}


def complete_documents(claim, user):
    """Every document of the claim's checklist, so that it may be verified and approved."""
    for item in CHECKLISTS.get(claim.kind, ()):
        document_upload(
            acting_user=user,
            number=claim.number,
            item=item,
            filename=f"{item}.pdf",
            content=b"%PDF-1.4\n% " + item.encode() + b"\n",
        )


def file(user, participant, kind, **extra):
    return claim_file(
        acting_user=user,
        request=ClaimRequest(kpj=participant.kpj, kind=kind, **{**BANK, **extra}),
    )


def test_jht_filed_20_days_after_leaving_is_refused_with_the_date_it_opens(worked, demo):
    joko = worked["Joko"]
    with time_machine.travel(date(2026, 10, 20), tick=False):
        claim = file(demo["cabang"], joko, "jht_leaving_work")
    assert claim.status == "rejected"
    assert claim.reasons[0]["code"] == "jht.waiting_period"
    assert claim.possible_from == date(2026, 10, 31)  # one month and a day after 30 September
    assert claim.reasons[0]["message_id"].startswith("JHT dibayarkan satu bulan")
    assert not Payout.objects.exists()


def test_jht_after_the_waiting_period_is_verified_approved_and_paid_once(worked, demo):
    joko = worked["Joko"]
    before = jht_balance(joko)
    with time_machine.travel(date(2026, 11, 5), tick=False):
        claim = file(demo["cabang"], joko, "jht_leaving_work")
    expected = jht_benefit(
        event_on=date(2026, 11, 5),
        balance_idr=before,
        kind="full",
        membership_months=0,
        reason="termination",
        left_work_on=date(2026, 9, 30),
    )
    assert claim.status == "submitted" and claim.gross_idr == before == expected.total_idr
    assert claim.tax_idr == expected.tax_idr and claim.net_idr == before - expected.tax_idr
    assert claim.due_on is not None  # the 5-working-day JHT clock
    complete_documents(claim, demo["cabang"])
    claim_transition(acting_user=demo["cabang"], number=claim.number, action="verify")
    with pytest.raises(PermissionDenied, match="verifier"):
        claim_transition(acting_user=demo["cabang"], number=claim.number, action="approve")
    claim_transition(acting_user=demo["klaim"], number=claim.number, action="approve")
    paid = claim_transition(acting_user=demo["klaim"], number=claim.number, action="pay")
    again = claim_transition(acting_user=demo["klaim"], number=claim.number, action="pay")
    assert paid.status == again.status == "paid" and Payout.objects.count() == 1
    assert jht_balance(joko) == 0
    assert balance(Account.TAX_PAYABLE) == -claim.tax_idr
    csv = bearer_client("klaim").get("/api/v1/claims/payouts.csv").content.decode()
    assert claim.number in csv and str(claim.net_idr) in csv


def test_a_small_jht_balance_filed_by_an_officer_waits_for_two_people(worked, demo):
    """Straight-through payment is only for the member's own claim to an account on record
    (tests/security); an officer's filing to an account they typed waits for verify and
    approve, whatever the amount."""
    rina = worked["Rina"]
    before = jht_balance(rina)
    assert 0 < before <= 15_000_000
    with time_machine.travel(date(2026, 11, 5), tick=False):
        claim = file(demo["cabang"], rina, "jht_leaving_work")
        complete_documents(claim, demo["cabang"])
    claim.refresh_from_db()
    assert claim.status == "submitted" and not Payout.objects.exists()
    assert [e.action for e in claim.events.all()] == ["file"]
    assert jht_balance(rina) == before


def test_jkp_a_resignation_is_refused_a_termination_with_12_months_accepted(worked, demo):
    with time_machine.travel(date(2026, 10, 15), tick=False):
        refused = file(demo["cabang"], worked["Rina"], "jkp")
        accepted = file(demo["cabang"], worked["Joko"], "jkp")
    assert refused.status == "rejected"
    assert refused.reasons[0]["code"] == "jkp.excluded_resignation"
    expected = jkp_benefit(
        event_on=date(2026, 9, 30),
        wage_idr=40_000_000,
        reason="termination",
        contribution_months_last_24=12,
        consecutive_months=12,
        claimed_on=date(2026, 10, 15),
    )
    schedule_total = sum(a for _m, a in expected.schedule)
    assert accepted.status == "submitted" and accepted.gross_idr == schedule_total
    assert accepted.calculation["schedule"] == expected.as_json()["schedule"]


def test_jkm_is_filed_by_an_officer_for_the_heir_and_paid(worked, demo):
    rina = worked["Rina"]
    # an employer files no claim: refused by the gate before the card is looked up
    with pytest.raises(PermissionDenied):
        claim_file(
            acting_user=demo["pemberikerja"],
            request=ClaimRequest(kpj=rina.kpj, kind="jkm", event_on=date(2026, 10, 1), **BANK),
        )
    with time_machine.travel(date(2026, 10, 10), tick=False):
        claim = claim_file(
            acting_user=demo["cabang"],
            request=ClaimRequest(
                kpj=rina.kpj,
                kind="jkm",
                event_on=date(2026, 10, 1),
                claimant_name="Ahmad (suami)",
                claimant_relation="spouse",
                **BANK,
            ),
        )
    assert claim.status == "submitted" and claim.gross_idr == 42_000_000
    complete_documents(claim, demo["cabang"])
    claim_transition(acting_user=demo["cabang"], number=claim.number, action="verify")
    claim_transition(acting_user=demo["klaim"], number=claim.number, action="approve")
    claim_transition(acting_user=demo["klaim"], number=claim.number, action="pay")
    assert claim.payout.account_name == "Ahmad (suami)"
    assert balance(Account.BENEFIT_EXPENSE) == 42_000_000


def test_incomplete_goes_back_with_what_is_missing_and_documents_are_checked(worked, demo, client):
    joko = worked["Joko"]
    with time_machine.travel(date(2026, 11, 5), tick=False):
        claim = file(demo["cabang"], joko, "jht_leaving_work")
    officer = bearer_client("cabang")
    response = officer.post(
        f"/api/v1/claims/{claim.number}/transitions",
        {"action": "incomplete", "note": ""},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["error"]["field"] == "note"
    response = officer.post(
        f"/api/v1/claims/{claim.number}/transitions",
        {"action": "incomplete", "note": "paklaring missing"},
        content_type="application/json",
    )
    assert response.json()["status"] == "incomplete"
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("paklaring.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    bad = officer.post(
        f"/api/v1/claims/{claim.number}/documents", {"item": "proof_of_leaving", "file": fake}
    )
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "file.type"
    pdf = SimpleUploadedFile("paklaring.pdf", b"%PDF-1.4\n% test\n", "application/pdf")
    good = officer.post(
        f"/api/v1/claims/{claim.number}/documents", {"item": "proof_of_leaving", "file": pdf}
    )
    assert good.status_code == 201, good.content
    assert "proof_of_leaving" not in good.json()["missing"]
    document_id = good.json()["id"]
    assert officer.get(f"/api/v1/claims/documents/{document_id}").content.startswith(b"%PDF")
    assert (
        bearer_client("pemberikerja").get(f"/api/v1/claims/documents/{document_id}").status_code
        == 404
    )
    detail = officer.get(f"/api/v1/claims/{claim.number}").json()
    assert [h["action"] for h in detail["history"]] == ["file", "incomplete"]


def test_claims_permission_matrix(worked, demo):
    joko = worked["Joko"]
    with time_machine.travel(date(2026, 11, 5), tick=False):
        claim = file(demo["cabang"], joko, "jht_leaving_work")
    assert bearer_client("cabang").get(f"/api/v1/claims/{claim.number}").status_code == 200
    assert bearer_client("klaim").get(f"/api/v1/claims/{claim.number}").status_code == 200
    for username in ("peserta", "pemberikerja", "sponsor"):
        assert bearer_client(username).get(f"/api/v1/claims/{claim.number}").status_code == 404
    assert bearer_client("peserta").get("/api/v1/claims").json() == []
    denied = bearer_client("pemberikerja").post(
        f"/api/v1/claims/{claim.number}/transitions",
        {"action": "verify"},
        content_type="application/json",
    )
    assert denied.status_code == 404
    queue = bearer_client("cabang").get("/api/v1/claims/queue").json()
    assert [c["number"] for c in queue] == [claim.number]
    with pytest.raises(Conflict):
        file(demo["cabang"], joko, "jht_leaving_work")  # one open claim per kind


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="parallel writers need PostgreSQL",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_officers_paying_at_the_same_moment_pay_once(worked, demo):
    with time_machine.travel(date(2026, 11, 5), tick=False):
        claim = file(demo["cabang"], worked["Joko"], "jht_leaving_work")
    complete_documents(claim, demo["cabang"])
    claim_transition(acting_user=demo["cabang"], number=claim.number, action="verify")
    claim_transition(acting_user=demo["klaim"], number=claim.number, action="approve")
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []
    klaim = User.objects.get(username="klaim")

    def pay() -> None:
        try:
            barrier.wait()
            claim_transition(acting_user=klaim, number=claim.number, action="pay")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=pay) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert Payout.objects.filter(claim=claim).count() == 1
    assert Claim.objects.get(pk=claim.pk).status == "paid"
    assert Participant.objects.get(pk=worked["Joko"].pk)


def test_claim_pages_member_files_and_officers_decide(worked, demo, client):
    joko = worked["Joko"]
    joko.person.user = demo["peserta"]  # Joko's own login, for this test
    joko.person.save(update_fields=["user"])
    client.force_login(demo["peserta"])
    assert "Belum ada klaim" in client.get("/klaim/").content.decode()
    form = client.get("/klaim/baru/").content.decode()
    assert joko.kpj in form and "jkm" not in form  # a member does not file JKM
    bad = client.post(
        "/klaim/baru/",
        {"kpj": joko.kpj, "kind": "jht_leaving_work", "bank_code": "BNI", "bank_account": "abc"},
    )
    assert bad.status_code == 400 and 'aria-invalid="true"' in bad.content.decode()
    with time_machine.travel(date(2026, 10, 20), tick=False):
        refused = client.post("/klaim/baru/", {"kpj": joko.kpj, "kind": "jht_leaving_work", **BANK})
    claim = Claim.objects.get()
    assert refused["Location"] == f"/klaim/{claim.number}/"
    html = client.get(f"/klaim/{claim.number}/").content.decode()
    assert "jht.waiting_period" in html and "2026-10-31" in html
    with time_machine.travel(date(2026, 11, 5), tick=False):
        client.post("/klaim/baru/", {"kpj": joko.kpj, "kind": "jht_leaving_work", **BANK})
    claim = Claim.objects.get(status="submitted")
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(
        f"/klaim/{claim.number}/dokumen/",
        {"item": "ktp", "file": SimpleUploadedFile("ktp.png", b"\x89PNG\r\n\x1a\n....")},
    )
    assert claim.documents.get().content_type == "image/png"
    assert client.post(f"/klaim/{claim.number}/tindakan/", {"action": "verify"}).status_code == 302
    assert Claim.objects.get(pk=claim.pk).status == "submitted"  # a member cannot verify
    client.force_login(demo["cabang"])
    queue = client.get("/klaim/antrean/?programme=JHT").content.decode()
    assert claim.number in queue
    client.post(f"/klaim/{claim.number}/tindakan/", {"action": "verify"})
    assert Claim.objects.get(pk=claim.pk).status == "submitted"  # documents are missing
    page = client.get(f"/klaim/{claim.number}/").content.decode()
    assert 'name="override_reason"' in page
    why = "KK, paklaring and bank book seen at the counter"
    client.post(f"/klaim/{claim.number}/tindakan/", {"action": "verify", "override_reason": why})
    assert Claim.objects.get(pk=claim.pk).status == "verified"
    client.force_login(demo["klaim"])
    client.post(f"/klaim/{claim.number}/tindakan/", {"action": "approve", "override_reason": why})
    client.post(f"/klaim/{claim.number}/tindakan/", {"action": "pay"})
    page = client.get(f"/klaim/{claim.number}/").content.decode()
    assert "Dibayar" in page and "Riwayat" in page and claim.number in page
    assert Claim.objects.get(pk=claim.pk).status == "paid"


def test_a_work_accident_reported_closed_and_paid_with_the_late_report_rule(demo, channel):  # noqa: F811
    from jamsos.registry.models import Employment
    from jamsos.rules.calc.benefits import jkk_benefit

    sawit = Employer.objects.get(legal_name="PT Borneo Sawit Lestari")
    enrolment = pu_worker_enrol(
        acting_user=demo["pemberikerja"],
        employer_id=sawit.pk,
        nik="6371051508850001",
        full_name="Joko",
        birth_date=date(1985, 8, 15),
        sex="M",
        start_on=date(2026, 1, 5),
        wage_idr=6_000_000,
    )
    employment = Employment.objects.get(pk=enrolment.employment.pk)
    api = bearer_client("pemberikerja")
    accident = {
        "employment_id": employment.pk,
        "occurred_at": "2026-11-02T08:30:00+08:00",
        "place": "Kebun blok C",
        "description": "Terjatuh dari truk pengangkut TBS",
    }
    with time_machine.travel(datetime(2026, 11, 3, 9), tick=False):  # within 2 x 24 h
        on_time = api.post("/api/v1/accidents", accident, content_type="application/json")
    assert on_time.status_code == 201 and on_time.json()["late"] is False
    with time_machine.travel(datetime(2026, 11, 9, 9), tick=False):  # a week later
        late = api.post(
            "/api/v1/accidents",
            {**accident, "occurred_at": "2026-11-05T08:30:00+08:00"},
            content_type="application/json",
        )
    assert late.json()["late"] is True
    number = on_time.json()["number"]
    closing = {"case": "stmb", "stmb_months": 2, **BANK}
    with time_machine.travel(datetime(2026, 11, 20, 9), tick=False):
        closed = api.post(
            f"/api/v1/accidents/{number}/close", closing, content_type="application/json"
        )
    assert closed.status_code == 201, closed.content
    expected = jkk_benefit(
        event_on=date(2026, 11, 2), case="stmb", wage_idr=6_000_000, stmb_months=2
    )
    claim = Claim.objects.get(number=closed.json()["number"])
    assert claim.gross_idr == expected.total_idr and claim.claimant_relation == "employer"
    again = api.post(f"/api/v1/accidents/{number}/close", closing, content_type="application/json")
    assert again.status_code == 409
    with time_machine.travel(datetime(2026, 11, 20, 9), tick=False):
        late_claim = api.post(
            f"/api/v1/accidents/{late.json()['number']}/close",
            {"case": "partial_disability", "disability_percent": "10", **BANK},
            content_type="application/json",
        ).json()
    assert late_claim["paid_to"]["relation"] == "employer"
    assert "jkk.reported_late" in [r["code"] for r in late_claim["reasons"]]
    complete_documents(claim, demo["cabang"])
    claim_transition(acting_user=demo["cabang"], number=claim.number, action="verify")
    claim_transition(acting_user=demo["klaim"], number=claim.number, action="approve")
    claim_transition(acting_user=demo["klaim"], number=claim.number, action="pay")
    assert balance(Account.BENEFIT_EXPENSE) == claim.gross_idr
    other = bearer_client("kontraktor").post(
        "/api/v1/accidents", accident, content_type="application/json"
    )
    assert other.status_code in (403, 404)


def test_accident_pages_report_and_close(demo, client):
    sawit = Employer.objects.get(legal_name="PT Borneo Sawit Lestari")
    pu_worker_enrol(
        acting_user=demo["pemberikerja"],
        employer_id=sawit.pk,
        nik="6371051508850001",
        full_name="Joko",
        birth_date=date(1985, 8, 15),
        sex="M",
        start_on=date(2026, 1, 5),
        wage_idr=6_000_000,
    )
    from jamsos.benefits.models import AccidentReport
    from jamsos.registry.models import Employment

    employment = Employment.objects.get()
    client.force_login(demo["pemberikerja"])
    assert "Belum ada kecelakaan" in client.get("/kecelakaan/").content.decode()
    bad = client.post(
        "/kecelakaan/",
        {
            "employment_id": employment.pk,
            "occurred_at": "kemarin",
            "place": "x",
            "description": "y",
        },
    )
    assert bad.status_code == 400 and not AccidentReport.objects.exists()
    with time_machine.travel(datetime(2026, 11, 3, 9), tick=False):
        client.post(
            "/kecelakaan/",
            {
                "employment_id": employment.pk,
                "occurred_at": "2026-11-02T08:30",
                "place": "Kebun",
                "description": "Terjatuh",
            },
        )
    report = AccidentReport.objects.get()
    assert report.late is False
    with time_machine.travel(datetime(2026, 11, 20, 9), tick=False):
        stmb = client.post(f"/kecelakaan/{report.number}/stmb/", {"month": "2026-11", **BANK})
    assert stmb.status_code == 302 and report.claims.get(kind="jkk_stmb").gross_idr == 6_000_000
    assert "STMB 2026-11" in client.get("/kecelakaan/").content.decode()
    response = client.post(
        f"/kecelakaan/{report.number}/tutup/", {"case": "stmb", "stmb_months": "1", **BANK}
    )
    report.refresh_from_db()
    assert response["Location"] == f"/klaim/{report.claim.number}/"
    client.force_login(demo["sponsor"])
    assert client.get("/kecelakaan/").status_code == 403


def test_jp_disability_pension_is_granted_and_paid_monthly_once(worked, demo):
    from io import StringIO

    from django.core.management import call_command

    from jamsos.benefits.claims import jp_record
    from jamsos.benefits.models import Pension, PensionPayment
    from jamsos.benefits.pensions import pension_amount, pension_payroll_run
    from jamsos.rules.calc.benefits import jp_benefit

    joko = worked["Joko"]
    with time_machine.travel(date(2026, 10, 20), tick=False):
        claim = claim_file(
            acting_user=demo["cabang"],
            request=ClaimRequest(
                kpj=joko.kpj, kind="jp_disability", event_on=date(2026, 10, 10), **BANK
            ),
        )
    record = jp_record(joko, date(2026, 10, 10))
    assert record["months"] == 12 and record["span_months"] == 13
    expected = jp_benefit(
        event_on=date(2026, 10, 10),
        contribution_months=12,
        average_indexed_wage_idr=record["average_wage_idr"],
        kind="disability",
        density_percent=Decimal(1200) / Decimal(13),
        accumulated_idr=record["contributions_idr"],
    )
    assert claim.status == "submitted" and claim.gross_idr == expected.monthly_idr
    complete_documents(claim, demo["cabang"])
    claim_transition(acting_user=demo["cabang"], number=claim.number, action="verify")
    claim_transition(acting_user=demo["klaim"], number=claim.number, action="approve")
    claim_transition(acting_user=demo["klaim"], number=claim.number, action="pay")
    pension = Pension.objects.get(claim=claim)
    assert pension.first_month == date(2026, 11, 1) and not Payout.objects.exists()
    first = pension_payroll_run(month=date(2026, 11, 1))
    again = pension_payroll_run(month=date(2026, 11, 1))
    assert (first.pensions, first.total_idr) == (1, expected.monthly_idr)
    assert again.pensions == 0 and PensionPayment.objects.count() == 1
    out = StringIO()
    call_command("payroll", "--month", "2026-12", "--json", stdout=out)
    assert '"pensions": 1' in out.getvalue()
    assert balance(Account.BENEFIT_EXPENSE) == 2 * expected.monthly_idr
    pension.base_minimum_idr = 300_000  # granted in 2015: indexed as the JP minimum since
    from jamsos.core.money import round_idr
    from jamsos.rules.calc.tables import rule_book

    minimum_2024 = rule_book().version("JP.LIMITS", date(2024, 5, 1)).integer("minimum_idr")
    assert minimum_2024 > 300_000
    assert pension_amount(pension, date(2024, 5, 1)) == round_idr(
        Decimal(expected.monthly_idr) * minimum_2024 / 300_000
    )


def test_jp_old_age_before_retirement_age_is_refused_with_the_date(worked, demo):
    with time_machine.travel(date(2026, 10, 20), tick=False):
        claim = file(demo["cabang"], worked["Rina"], "jp_old_age")
    assert claim.status == "rejected" and claim.reasons[0]["code"] == "jp.not_retirement_age"
    assert claim.possible_from is not None and claim.possible_from.year >= 2043


def test_an_officer_of_another_branch_does_not_see_the_claim(worked, demo):
    from jamsos.accounts.services import user_create
    from jamsos.registry.models import BranchOffice

    other_branch = BranchOffice.objects.exclude(pk=demo["cabang"].branch_office_id).first()
    user_create(
        acting_user=None,
        username="cabang2",
        password="jamsos-demo-2026",
        role="branch_officer",
        full_name="Officer elsewhere",
        branch_office_code=other_branch.code,
        check_password=False,
    )
    with time_machine.travel(date(2026, 11, 5), tick=False):
        claim = file(demo["cabang"], worked["Joko"], "jht_leaving_work")
    assert bearer_client("cabang2").get(f"/api/v1/claims/{claim.number}").status_code == 404
    assert bearer_client("cabang2").get("/api/v1/claims/queue").json() == []


def test_jht_on_death_is_paid_to_the_heir_without_the_waiting_period(worked, demo):
    rina = worked["Rina"]
    before = jht_balance(rina)
    heir = {"claimant_name": "Ahmad (suami)", "claimant_relation": "spouse", **BANK}
    with time_machine.travel(date(2026, 10, 3), tick=False):  # no one-month wait on death
        claim = claim_file(
            acting_user=demo["cabang"],
            request=ClaimRequest(
                kpj=rina.kpj, kind="jht_death", event_on=date(2026, 10, 1), **heir
            ),
        )
    assert claim.status == "submitted" and claim.gross_idr == before
    assert claim.claimant_name == "Ahmad (suami)"


def test_jkm_for_a_worker_of_two_employers_pays_two_benefits_and_one_funeral(worked, demo):
    from jamsos.registry.services import employer_verify

    rina = worked["Rina"]
    banua = Employer.objects.get(legal_name="CV Banua Konstruksi")
    employer_verify(acting_user=demo["cabang"], employer_id=banua.pk)
    pu_worker_enrol(
        acting_user=demo["cabang"],
        employer_id=banua.pk,
        nik=rina.person.nik,
        full_name="Rina",
        birth_date=date(1985, 8, 15),
        sex="F",
        start_on=date(2026, 1, 5),
        wage_idr=4_000_000,
    )
    with time_machine.travel(date(2026, 9, 20), tick=False):
        claim = claim_file(
            acting_user=demo["cabang"],
            request=ClaimRequest(
                kpj=rina.kpj,
                kind="jkm",
                event_on=date(2026, 9, 15),  # working for both employers that day
                claimant_name="Ahmad (suami)",
                claimant_relation="spouse",
                **BANK,
            ),
        )
    # death lump sum Rp20,000,000 and periodic Rp12,000,000 twice; funeral Rp10,000,000 once
    assert claim.gross_idr == 2 * (20_000_000 + 12_000_000) + 10_000_000


def test_jkp_is_paid_in_six_monthly_instalments_by_the_payroll(worked, demo):
    from jamsos.benefits.models import Instalment
    from jamsos.benefits.pensions import pension_payroll_run

    with time_machine.travel(date(2026, 10, 15), tick=False):
        claim = file(demo["cabang"], worked["Joko"], "jkp")
        schedule = [s["amount_idr"] for s in claim.calculation["schedule"]]
        assert len(schedule) == 6 and claim.gross_idr == sum(schedule)
        complete_documents(claim, demo["cabang"])
        claim_transition(acting_user=demo["cabang"], number=claim.number, action="verify")
        claim_transition(acting_user=demo["klaim"], number=claim.number, action="approve")
        claim_transition(acting_user=demo["klaim"], number=claim.number, action="pay")
    instalments = list(Instalment.objects.filter(claim=claim).order_by("number"))
    assert [i.month for i in instalments][:2] == [date(2026, 10, 1), date(2026, 11, 1)]
    assert balance(Account.BENEFIT_EXPENSE) == schedule[0]  # the first paid at once
    with time_machine.travel(date(2026, 11, 25), tick=False):
        november = pension_payroll_run(month=date(2026, 11, 1))
        again = pension_payroll_run(month=date(2026, 11, 1))
    assert (november.instalments, again.instalments) == (1, 0)
    with time_machine.travel(date(2027, 3, 25), tick=False):
        pension_payroll_run(month=date(2027, 3, 1))  # the rest, once each
    assert balance(Account.BENEFIT_EXPENSE) == sum(schedule)
    assert not Payout.objects.filter(claim=claim).exists()


def test_accident_costs_are_reimbursed_within_their_caps(demo):
    from jamsos.rules.calc.benefits import jkk_benefit

    sawit = Employer.objects.get(legal_name="PT Borneo Sawit Lestari")
    enrolment = pu_worker_enrol(
        acting_user=demo["pemberikerja"],
        employer_id=sawit.pk,
        nik="6371051508850001",
        full_name="Joko",
        birth_date=date(1985, 8, 15),
        sex="M",
        start_on=date(2026, 1, 5),
        wage_idr=6_000_000,
    )
    api = bearer_client("pemberikerja")
    with time_machine.travel(datetime(2026, 11, 3, 9), tick=False):
        number = api.post(
            "/api/v1/accidents",
            {
                "employment_id": enrolment.employment.pk,
                "occurred_at": "2026-11-02T08:30:00+08:00",
                "place": "Kebun",
                "description": "Terjatuh",
            },
            content_type="application/json",
        ).json()["number"]
    costs = {
        "transport": [
            {"mode": "land", "cost_idr": 2_000_000},
            {"mode": "air", "cost_idr": 12_000_000},
        ],
        "home_care_cost_idr": 25_000_000,
        **BANK,
    }
    response = api.post(f"/api/v1/accidents/{number}/costs", costs, content_type="application/json")
    assert response.status_code == 201, response.content
    transport = jkk_benefit(
        event_on=date(2026, 11, 2),
        case="transport",
        transport=[("land", 2_000_000), ("air", 12_000_000)],
    )
    home = jkk_benefit(event_on=date(2026, 11, 2), case="home_care", home_care_cost_idr=25_000_000)
    assert response.json()["gross_idr"] == transport.total_idr + home.total_idr
    assert transport.total_idr < 14_000_000 and home.total_idr < 25_000_000  # capped
    bad = api.post(
        f"/api/v1/accidents/{number}/costs",
        {**costs, "transport": [{"mode": "rocket", "cost_idr": 1}]},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "transport"


def test_a_later_school_years_scholarship_follows_a_paid_jkm(worked, demo):
    rina = worked["Rina"]
    heir = {"claimant_name": "Ahmad (suami)", "claimant_relation": "spouse", **BANK}
    with time_machine.travel(date(2026, 10, 10), tick=False):
        none_yet = claim_file(
            acting_user=demo["cabang"],
            request=ClaimRequest(kpj=rina.kpj, kind="scholarship", children=("SD",), **heir),
        )
        assert none_yet.reasons[0]["code"] == "scholarship.no_benefit"
        jkm = claim_file(
            acting_user=demo["cabang"],
            request=ClaimRequest(
                kpj=rina.kpj, kind="jkm", event_on=date(2026, 10, 1), children=("SD", "SMP"), **heir
            ),
        )
        complete_documents(jkm, demo["cabang"])
        claim_transition(acting_user=demo["cabang"], number=jkm.number, action="verify")
        claim_transition(acting_user=demo["klaim"], number=jkm.number, action="approve")
        claim_transition(acting_user=demo["klaim"], number=jkm.number, action="pay")
        same_year = claim_file(
            acting_user=demo["cabang"],
            request=ClaimRequest(kpj=rina.kpj, kind="scholarship", children=("SD", "SMP"), **heir),
        )
    assert same_year.reasons[0]["code"] == "scholarship.first_year_paid"
    assert same_year.possible_from == date(2027, 7, 1)
    with time_machine.travel(date(2027, 7, 20), tick=False):
        next_year = claim_file(
            acting_user=demo["cabang"],
            request=ClaimRequest(kpj=rina.kpj, kind="scholarship", children=("SD", "SMP"), **heir),
        )
        complete_documents(next_year, demo["cabang"])
        claim_transition(acting_user=demo["cabang"], number=next_year.number, action="verify")
        claim_transition(acting_user=demo["klaim"], number=next_year.number, action="approve")
        claim_transition(acting_user=demo["klaim"], number=next_year.number, action="pay")
        again = claim_file(
            acting_user=demo["cabang"],
            request=ClaimRequest(kpj=rina.kpj, kind="scholarship", children=("SD",), **heir),
        )
    assert next_year.programme == "JKM"
    assert next_year.gross_idr == 1_500_000 + 2_000_000
    assert again.status == "rejected" and again.reasons[0]["code"] == "scholarship.once_a_year"
    assert again.possible_from == date(2028, 7, 1)


def test_stmb_is_claimed_month_by_month_while_the_case_is_open(demo):
    sawit = Employer.objects.get(legal_name="PT Borneo Sawit Lestari")
    enrolment = pu_worker_enrol(
        acting_user=demo["pemberikerja"],
        employer_id=sawit.pk,
        nik="6371051508850001",
        full_name="Joko",
        birth_date=date(1985, 8, 15),
        sex="M",
        start_on=date(2026, 1, 5),
        wage_idr=6_000_000,
    )
    api = bearer_client("pemberikerja")
    with time_machine.travel(datetime(2026, 9, 2, 9), tick=False):
        number = api.post(
            "/api/v1/accidents",
            {
                "employment_id": enrolment.employment.pk,
                "occurred_at": "2026-09-01T08:30:00+08:00",
                "place": "Kebun",
                "description": "Terjatuh",
            },
            content_type="application/json",
        ).json()["number"]
    url = f"/api/v1/accidents/{number}/stmb"
    with time_machine.travel(datetime(2026, 10, 5, 9), tick=False):
        september = api.post(url, {"month": "2026-09", **BANK}, content_type="application/json")
        twice = api.post(url, {"month": "2026-09", **BANK}, content_type="application/json")
        future = api.post(url, {"month": "2026-12", **BANK}, content_type="application/json")
    assert september.status_code == 201, september.content
    assert september.json()["gross_idr"] == 6_000_000  # 100 % of the wage in the first months
    assert twice.status_code == 409 and future.status_code == 400
    with time_machine.travel(datetime(2026, 11, 20, 9), tick=False):
        closed = api.post(
            f"/api/v1/accidents/{number}/close",
            {"case": "stmb", "stmb_months": 2, **BANK},
            content_type="application/json",
        ).json()
    assert closed["gross_idr"] == 6_000_000  # two months, one already claimed
    assert "jkk.stmb_months_paid" in [r["code"] for r in closed["reasons"]]
    after = api.post(url, {"month": "2026-10", **BANK}, content_type="application/json")
    assert after.status_code == 409  # settled at closing


def test_heirs_in_the_legal_order_and_a_funeral_organiser_gets_the_funeral_only(worked, demo):
    rina = worked["Rina"]
    with pytest.raises(RuleViolation) as refused:
        claim_file(
            acting_user=demo["cabang"],
            request=ClaimRequest(
                kpj=rina.kpj,
                kind="jkm",
                event_on=date(2026, 10, 1),
                claimant_relation="neighbour",
                **BANK,
            ),
        )
    assert refused.value.field == "claimant_relation"
    with time_machine.travel(date(2026, 10, 10), tick=False):
        claim = claim_file(
            acting_user=demo["cabang"],
            request=ClaimRequest(
                kpj=rina.kpj,
                kind="jkm",
                event_on=date(2026, 10, 1),
                claimant_name="Pak RT",
                claimant_relation="funeral_organiser",
                **BANK,
            ),
        )
    assert claim.gross_idr == 10_000_000  # the funeral cost only
    assert "jkm.no_heirs" in [r["code"] for r in claim.reasons]


def test_each_claim_type_through_the_api_from_filing_to_payment(worked, demo):
    cases = [
        ({"kpj": worked["Joko"].kpj, "kind": "jht_leaving_work"}, date(2026, 11, 5)),
        ({"kpj": worked["Joko"].kpj, "kind": "jkp"}, date(2026, 10, 15)),
        (
            {
                "kpj": worked["Rina"].kpj,
                "kind": "jkm",
                "event_on": "2026-10-01",
                "claimant_name": "Ahmad",
                "claimant_relation": "spouse",
            },
            date(2026, 10, 10),
        ),
        (
            {"kpj": worked["Joko"].kpj, "kind": "jp_disability", "event_on": "2026-10-10"},
            date(2026, 10, 20),
        ),
        (
            {
                "kpj": worked["Rina"].kpj,
                "kind": "scholarship",
                "children": ["SMA"],
                "claimant_name": "Ahmad",
                "claimant_relation": "spouse",
            },
            date(2027, 7, 20),
        ),
    ]
    for request, on in cases:
        with time_machine.travel(on, tick=False):
            # tokens expire after 30 days: sign in on the day, as the officers would
            officer, approver = bearer_client("cabang"), bearer_client("klaim")
            filed = officer.post(
                "/api/v1/claims", {**request, **BANK}, content_type="application/json"
            )
            assert filed.status_code == 201, filed.content
            number = filed.json()["number"]
            for client, action in ((officer, "verify"), (approver, "approve"), (approver, "pay")):
                step = client.post(
                    f"/api/v1/claims/{number}/transitions",
                    {"action": action, "override_reason": "originals seen at the counter"},
                    content_type="application/json",
                )
                assert step.status_code == 200, step.content
        assert step.json()["status"] == "paid"
    assert Claim.objects.filter(status="paid").count() == 5


def test_partial_jht_counts_membership_months_by_the_day(worked, demo):
    """A member since 31 May 2016 has 119 months on 1 May 2026, and 120 on 31 May 2026."""
    from jamsos.registry.models import Employment

    joko = worked["Joko"]
    Employment.objects.filter(participant=joko).update(start_on=date(2016, 5, 31))
    early = claim_file(
        acting_user=demo["cabang"],
        request=ClaimRequest(kpj=joko.kpj, kind="jht_partial_10", **BANK),
        today=date(2026, 5, 1),
    )
    assert early.status == "rejected" and early.possible_from == date(2026, 5, 31)
    assert [r["code"] for r in early.reasons] == ["jht.partial_needs_10_years"]
    balance = jht_balance(joko)
    on_time = claim_file(
        acting_user=demo["cabang"],
        request=ClaimRequest(kpj=joko.kpj, kind="jht_partial_10", **BANK),
        today=date(2026, 5, 31),
    )
    assert on_time.status == "submitted" and on_time.event_on == date(2026, 5, 31)
    assert on_time.gross_idr == (balance + 5) // 10  # 10 %, half up
