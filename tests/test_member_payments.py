"""Informal members pay 1 to 12 months; cover follows what is paid and never goes back after
a lapse; reminders before cover ends; project and migrant worker bills; JHT accounts and the
yearly return; coverage month by month."""

import io
import json
from datetime import date, datetime

import pytest
import time_machine
from django.core.management import call_command

from jamsos.accounts.models import User
from jamsos.contributions import billing
from jamsos.contributions.bpu import bpu_payment_request, bpu_reminders_send, bpu_status
from jamsos.contributions.coverage import paid_months, person_coverage
from jamsos.contributions.jakon_pmi import (
    placement_bill_issue,
    project_bills_issue,
    project_covered_from,
)
from jamsos.contributions.jht import jht_balance, jht_credit_returns, jht_statement
from jamsos.contributions.models import Bill, JhtEntry, JhtReturnRun
from jamsos.core.errors import Conflict, RuleViolation
from jamsos.demo.services import demo_member_load
from jamsos.notifications.models import Notification
from jamsos.registry.employment import pu_worker_enrol
from jamsos.registry.models import Participant, PmiPlacement, Project
from jamsos.registry.projects import pmi_register, project_register
from jamsos.rules.calc.contributions import bpu_contribution, jakon_contribution
from tests.conftest import bearer_client
from tests.test_billing import workforce  # noqa: F401 - the fixture
from tests.test_payments import SECRET_HOLDER, body, channel, send  # noqa: F401
from tests.test_projects_pmi import contractor  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(demo):
    """The demo participant's own membership: declared income Rp2,500,000, with JHT."""
    person = demo_member_load()
    return Participant.objects.get(person=person, segment="BPU")


def pay(bill, txn, paid_at):
    response = send(body(bill.payment_code, bill.total_idr, txn, paid_at=paid_at))
    assert response.status_code == 200, response.content
    bill.refresh_from_db()
    return bill


def test_a_member_pays_three_months_and_is_covered_from_the_day_of_payment(
    member,
    channel,  # noqa: F811
):
    peserta = User.objects.get(username="peserta")
    with time_machine.travel(datetime(2026, 3, 10, 9), tick=False):
        bill = bpu_payment_request(acting_user=peserta, kpj=member.kpj, months=3)
    expected = bpu_contribution(
        on=date(2026, 3, 1), income_idr=2_500_000, programmes=("JKK", "JKM", "JHT"), months=3
    )
    assert bill.payment_code.startswith("8") and len(bill.payment_code) == 11
    assert bill.total_idr == expected.total_idr and bill.months == 3
    assert bill.due_on == date(2026, 3, 16)  # 15 March 2026 is a Sunday
    pay(bill, "BPU-1", "2026-03-12T08:00:00+08:00")
    cover = bill.bpu_covers.get()
    assert (cover.first_month, cover.last_month, cover.cover_from) == (
        date(2026, 3, 1),
        date(2026, 5, 1),
        date(2026, 3, 12),
    )
    status = bpu_status(member, date(2026, 4, 20))
    assert (status.status, status.cover_end) == ("active", date(2026, 5, 31))
    jht = JhtEntry.objects.get(participant=member)
    assert jht.amount_idr == sum(x.amount_idr for x in expected.lines if x.programme == "JHT")
    api = bearer_client("peserta").get(f"/api/v1/members/{member.kpj}/payments").json()
    assert (
        api["bpu_status"]["paid_through"] == "2026-05" and api["jht_balance_idr"] == jht.amount_idr
    )


def test_grace_fills_the_unpaid_months_and_a_lapse_restarts_without_back_dating(
    member,
    channel,  # noqa: F811
):
    peserta = User.objects.get(username="peserta")
    with time_machine.travel(datetime(2026, 1, 5, 9), tick=False):
        january = bpu_payment_request(acting_user=peserta, kpj=member.kpj, months=1)
    pay(january, "BPU-2", "2026-01-05T09:00:00+08:00")
    assert bpu_status(member, date(2026, 2, 10)).status == "active"  # February not yet due
    grace = bpu_status(member, date(2026, 3, 20))
    assert (grace.status, grace.unpaid_months) == ("grace", 2)
    assert bpu_status(member, date(2026, 5, 20)).status == "lapsed"  # Feb-May unpaid
    with time_machine.travel(datetime(2026, 6, 20, 9), tick=False):
        restart = bpu_payment_request(acting_user=peserta, kpj=member.kpj, months=2)
    assert restart.period == "2026-06"  # this month, not February
    pay(restart, "BPU-3", "2026-06-22T09:00:00+08:00")
    cover = restart.bpu_covers.get()
    assert cover.fresh_start and cover.cover_from == date(2026, 6, 22)
    months = {
        m.period: m for m in person_coverage(member.person, date(2026, 1, 1), date(2026, 7, 1))
    }
    assert months["2026-01"].paid_programmes == {"JKK", "JKM", "JHT"}
    assert all(not months[p].programmes for p in ("2026-02", "2026-03", "2026-04", "2026-05"))
    assert months["2026-06"].sources[0]["protected_from"] == "2026-06-22"
    assert paid_months(member.person, "JKK", date(2026, 1, 1), date(2026, 12, 1)) == 3


def test_a_new_request_withdraws_the_unpaid_one_and_months_are_checked(member):
    peserta = User.objects.get(username="peserta")
    first = bpu_payment_request(acting_user=peserta, kpj=member.kpj, months=2)
    second = bpu_payment_request(acting_user=peserta, kpj=member.kpj, months=6)
    first.refresh_from_db()
    assert first.cancelled_at is not None and second.cancelled_at is None
    with pytest.raises(RuleViolation, match="months"):
        bpu_payment_request(acting_user=peserta, kpj=member.kpj, months=13)
    response = bearer_client("peserta").post(
        f"/api/v1/bpu/{member.kpj}/payment-requests", {"months": 0}, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["error"]["field"] == "months"
    other = bearer_client("sponsor").post(
        f"/api/v1/bpu/{member.kpj}/payment-requests", {"months": 1}, content_type="application/json"
    )
    assert other.status_code == 404  # not their member
    assert Bill.objects.filter(participant=member).count() == 2


def test_reminders_go_once_before_cover_ends(member, channel):  # noqa: F811
    peserta = User.objects.get(username="peserta")
    with time_machine.travel(datetime(2026, 4, 2, 9), tick=False):
        bill = bpu_payment_request(acting_user=peserta, kpj=member.kpj, months=1)
    pay(bill, "BPU-4", "2026-04-02T09:00:00+08:00")
    before = Notification.objects.filter(kind="bpu_reminder").count()
    assert bpu_reminders_send(today=date(2026, 4, 10)) == 0  # ends 30 April: not yet
    assert bpu_reminders_send(today=date(2026, 4, 25)) == 1
    assert bpu_reminders_send(today=date(2026, 4, 26)) == 0  # once per cover end
    reminder = Notification.objects.filter(kind="bpu_reminder").get()
    assert Notification.objects.filter(kind="bpu_reminder").count() == before + 1
    assert member.kpj in reminder.body and "30-04-2026" in reminder.body
    out = io.StringIO()
    call_command("bpu", "remind", "--date", "2026-04-27", stdout=out)
    assert "0 reminder" in out.getvalue()


def test_a_sponsor_sees_each_workers_cover_end(demo, channel):  # noqa: F811
    api = bearer_client("sponsor")
    worker = {
        "nik": "6371055612900003",
        "full_name": "Siti Aminah",
        "birth_date": "1990-12-16",
        "sex": "F",
        "phone": "081234567890",
        "occupation": "household_assistant",
        "income_idr": 1_000_000,
    }
    kpj = api.post("/api/v1/sponsor/workers", worker, content_type="application/json").json()["kpj"]
    with time_machine.travel(datetime(2026, 11, 2, 9), tick=False):
        created = api.post(
            f"/api/v1/bpu/{kpj}/payment-requests", {"months": 2}, content_type="application/json"
        )
        assert created.status_code == 201, created.content
        pay(
            Bill.objects.get(payment_code=created.json()["payment_code"]),
            "S-1",
            "2026-11-02T09:00:00+08:00",
        )
        listed = api.get("/api/v1/sponsor/workers").json()
    assert (listed[0]["status"], listed[0]["cover_end_on"]) == ("active", "2026-12-31")


def test_a_project_in_instalments_is_covered_when_the_first_is_paid(
    demo,
    contractor,  # noqa: F811
    channel,  # noqa: F811
):
    kontraktor = demo["kontraktor"]
    contractor_id = contractor.pk
    registration = project_register(
        acting_user=kontraktor,
        contractor_id=contractor_id,
        name="Jembatan Martapura",
        owner_name="Dinas PUPR Kota Banjarmasin",
        regency_code="63.71",
        work_order_on=date(2026, 11, 2),
        contract_value_idr=750_000_000,
        funding="APBD",
        start_on=date(2026, 11, 16),
        end_on=date(2027, 5, 31),
    )
    project = registration.project
    bills = project_bills_issue(acting_user=kontraktor, project_id=project.pk, instalments=3)
    expected = jakon_contribution(on=date.today(), contract_value_idr=750_000_000)
    assert sum(b.total_idr for b in bills) == expected.total_idr
    assert [b.instalment for b in bills] == [1, 2, 3]
    assert project_covered_from(project) is None
    with pytest.raises(Conflict):
        project_bills_issue(acting_user=kontraktor, project_id=project.pk)
    pay(bills[0], "J-1", "2026-11-20T09:00:00+08:00")
    assert project_covered_from(project) == date(2026, 11, 20)
    other = bearer_client("pemberikerja").post(
        f"/api/v1/projects/{project.pk}/bills", {}, content_type="application/json"
    )
    assert other.status_code == 404


def test_a_migrant_workers_package_is_billed_once_and_covers_after_payment(
    demo,
    channel,  # noqa: F811
):
    placement, _w = pmi_register(
        acting_user=demo["cabang"],
        nik="6371052505950001",
        full_name="Rahmat Hidayat",
        birth_date=date(1995, 5, 25),
        sex="M",
        agreement_on=date(2026, 11, 3),
        destination_country="MY",
        via_agency=True,
        contract_months=24,
    )
    response = bearer_client("cabang").post(
        f"/api/v1/pmi/placements/{placement.pk}/bill", {}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    bill = Bill.objects.get(payment_code=response.json()["payment_code"])
    assert bill.payment_code.startswith("6") and bill.total_idr > 0
    again = bearer_client("cabang").post(
        f"/api/v1/pmi/placements/{placement.pk}/bill", {}, content_type="application/json"
    )
    assert again.status_code == 409
    pay(bill, "P-1", "2026-11-05T09:00:00+08:00")
    months = person_coverage(placement.participant.person, date(2026, 11, 1), date(2027, 1, 1))
    assert all("JKK" in m.paid_programmes for m in months)
    assert PmiPlacement.objects.count() == 1 and placement_bill_issue  # the service is public


def test_the_yearly_jht_return_is_credited_once_to_every_account(
    workforce,  # noqa: F811
    channel,  # noqa: F811
):
    pu_worker_enrol(
        acting_user=User.objects.get(username="pemberikerja"),
        employer_id=workforce.pk,
        nik="6371054708800001",
        full_name="Citra",
        birth_date=date(1980, 8, 7),
        sex="F",
        start_on=date(2025, 1, 2),
        wage_idr=4_000_000,
    )
    with time_machine.travel(datetime(2025, 2, 1, 9), tick=False):
        billing.billing_run(acting_user=None, period="2025-01")
    january = Bill.objects.get(period="2025-01")
    pay(january, "JHT-1", "2025-02-10T09:00:00+08:00")  # credited in February 2025
    entry = JhtEntry.objects.get(kind="contribution")
    credited = entry.amount_idr
    assert credited == round(4_000_000 * 0.057)  # 3.7 % employer + 2 % worker
    result = jht_credit_returns(acting_user=None, year=2025, today=date(2026, 1, 5))
    ret = JhtEntry.objects.get(participant=entry.participant, kind="return")
    # 5.59 % (provisional) x 10 of 12 months: credited in February, earning from March
    assert ret.amount_idr == round(credited * 0.0559 * 10 / 12)
    assert result.accounts == 1 and result.status == "provisional" and not result.already_done
    again = jht_credit_returns(acting_user=None, year=2025, today=date(2026, 1, 5))
    assert again.already_done and JhtEntry.objects.filter(kind="return").count() == 1
    statement = jht_statement(entry.participant, 2025)
    assert statement.closing_idr == jht_balance(entry.participant) == credited + ret.amount_idr
    assert statement.return_rate == "0.0559"
    with pytest.raises(RuleViolation, match="not ended"):
        jht_credit_returns(acting_user=None, year=2026, today=date(2026, 11, 24))
    assert JhtReturnRun.objects.count() == 1


def test_the_jht_cli_and_a_year_without_a_rate(workforce):  # noqa: F811
    out = io.StringIO()
    call_command("jht", "credit-returns", "--year", "2024", "--json", stdout=out)
    assert json.loads(out.getvalue())["accounts"] == 0
    with pytest.raises(Exception, match="no JHT return rate"):
        call_command("jht", "credit-returns", "--year", "2014")


def test_coverage_api_for_a_wage_earner(workforce, channel):  # noqa: F811
    with time_machine.travel(datetime(2026, 10, 1, 9), tick=False):
        billing.billing_run(acting_user=None, period="2026-09")
    september = Bill.objects.get(period="2026-09")
    pay(september, "C-1", "2026-10-05T09:00:00+08:00")
    budi = Participant.objects.get(person__full_name="Budi")
    # The person's cover (every card, every employer) is theirs and officers': not the
    # employer's, which sees its own bills.
    employer = bearer_client("pemberikerja").get(
        f"/api/v1/members/{budi.kpj}/coverage", {"from": "2026-08", "to": "2026-09"}
    )
    assert employer.status_code == 404
    response = bearer_client("klaim").get(
        f"/api/v1/members/{budi.kpj}/coverage", {"from": "2026-08", "to": "2026-09"}
    )
    assert response.status_code == 200, response.content
    august, sept = response.json()
    assert sept["paid_programmes"] == ["JHT", "JKK", "JKM", "JP"]
    assert august["programmes"] == [] and august["sources"][0]["billed"] is False
    bad = bearer_client("klaim").get(
        f"/api/v1/members/{budi.kpj}/coverage", {"from": "2026-13", "to": "2026-09"}
    )
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "from"
    assert Project.objects.count() == 0
