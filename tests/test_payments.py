"""Payment notifications: signed, credited once, applied oldest first, fined when late,
reversed by new entries; the ledger balances after each test (conftest)."""

import json
import threading
from datetime import date, datetime

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import Client

from jamsos.accounts.models import User
from jamsos.contributions import billing
from jamsos.contributions.allocation import Payer, payer_credit
from jamsos.contributions.models import (
    Bill,
    BillAdjustment,
    FineCharge,
    JhtEntry,
    Payment,
    PaymentChannel,
    PaymentRejection,
)
from jamsos.contributions.payments import channel_create, payment_notify, sign
from jamsos.contributions.selectors import arrears, employer_statement
from jamsos.ledger.models import Account
from jamsos.ledger.services import balance
from jamsos.registry.employment import pu_wage_change
from jamsos.registry.models import Employment
from jamsos.rules.calc.contributions import late_fine
from tests.conftest import bearer_client
from tests.test_billing import banua, workforce  # noqa: F401 - the fixtures

pytestmark = pytest.mark.django_db

SECRET_HOLDER: dict[str, str] = {}


@pytest.fixture
def channel(demo):
    channel, secret = channel_create(acting_user=demo["admin"], code="BNI", name="Bank BNI")
    SECRET_HOLDER["BNI"] = secret
    return channel


def body(code, amount, txn, paid_at="2026-11-10T10:00:00+08:00", **extra):
    return json.dumps(
        {
            "channel": "BNI",
            "transaction_id": txn,
            "payment_code": code,
            "amount_idr": amount,
            "paid_at": paid_at,
            **extra,
        }
    ).encode()


def send(raw, secret=None, client=None):
    client = client or Client()
    return client.post(
        "/api/v1/payments/notifications",
        raw,
        content_type="application/json",
        HTTP_X_JAMSOS_SIGNATURE=sign(secret or SECRET_HOLDER["BNI"], raw),
    )


def test_a_signed_notification_pays_the_bill_and_credits_jht(workforce, channel):  # noqa: F811
    billing.billing_run(acting_user=None, period="2026-10")
    bill = Bill.objects.get(employer=workforce, period="2026-10")
    response = send(body(bill.payment_code, bill.total_idr, "TX-1"))
    assert response.status_code == 200, response.content
    assert response.json()["applied_idr"] == bill.total_idr
    bill.refresh_from_db()
    assert (bill.paid_idr, bill.paid_on) == (bill.total_idr, date(2026, 11, 10))
    jht_lines = bill.lines.filter(programme="JHT")
    credited = JhtEntry.objects.filter(bill=bill, kind="contribution")
    assert credited.count() == 2  # one entry per worker: employer and worker shares together
    assert sum(e.amount_idr for e in credited) == sum(x.amount_idr for x in jht_lines)
    assert (
        employer_statement(User.objects.get(username="pemberikerja"), workforce.pk).outstanding_idr
        == 0
    )


def test_the_same_notification_twice_is_credited_once(workforce, channel):  # noqa: F811
    billing.billing_run(acting_user=None, period="2026-10")
    bill = Bill.objects.get(employer=workforce)
    raw = body(bill.payment_code, 1_000_000, "TX-2")
    first, again = send(raw), send(raw)
    assert first.status_code == again.status_code == 200
    assert (first.json()["duplicate"], again.json()["duplicate"]) == (False, True)
    assert Payment.objects.count() == 1
    bill.refresh_from_db()
    assert bill.paid_idr == 1_000_000


def test_a_transaction_id_reused_for_another_body_is_refused(workforce, channel):  # noqa: F811
    billing.billing_run(acting_user=None, period="2026-10")
    bill = Bill.objects.get(employer=workforce)
    send(body(bill.payment_code, 1_000_000, "TX-3"))
    response = send(body(bill.payment_code, 2_000_000, "TX-3"))
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "payment.transaction_reused"
    assert Bill.objects.get(pk=bill.pk).paid_idr == 1_000_000


@pytest.mark.parametrize(
    ("mutate", "status", "code"),
    [
        (lambda raw, sig: (raw, "sha256=" + "0" * 64), 401, "payment.bad_signature"),
        (lambda raw, sig: (raw.replace(b"BNI", b"XYZ"), sig), 401, "payment.unknown_channel"),
        (lambda raw, sig: (b"{not json", sig), 400, "payment.malformed"),
        (lambda raw, sig: (raw + b" ", sig), 401, "payment.bad_signature"),  # body changed
    ],
    ids=["wrong-signature", "unknown-channel", "malformed", "tampered-body"],
)
def test_refused_notifications_credit_nothing_and_are_logged(
    workforce,  # noqa: F811
    channel,
    mutate,
    status,
    code,
):
    billing.billing_run(acting_user=None, period="2026-10")
    bill = Bill.objects.get(employer=workforce)
    raw = body(bill.payment_code, bill.total_idr, "TX-4")
    raw, signature = mutate(raw, sign(SECRET_HOLDER["BNI"], raw))
    response = Client().post(
        "/api/v1/payments/notifications",
        raw,
        content_type="application/json",
        HTTP_X_JAMSOS_SIGNATURE=signature,
    )
    assert response.status_code == status, response.content
    assert response.json()["error"]["code"] == code
    assert not Payment.objects.exists() and Bill.objects.get(pk=bill.pk).paid_idr == 0
    assert PaymentRejection.objects.get().code == code


def test_an_unknown_payment_code_and_bad_fields_are_refused(channel):
    response = send(body("99999999999", 1000, "TX-5"))
    assert (response.status_code, response.json()["error"]["code"]) == (
        404,
        "payment.unknown_code",
    )
    response = send(body("99999999999", -5, "TX-6"))
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "amount_idr"
    response = send(body("99999999999", 5, "TX-7", paid_at="2026-11-10 10:00"))
    assert response.json()["error"]["field"] == "paid_at"
    assert PaymentRejection.objects.count() == 3 and not Payment.objects.exists()


def test_money_goes_to_the_oldest_bill_first_and_the_excess_waits_for_the_next(
    workforce,  # noqa: F811
    channel,
):
    on_time = "2026-10-12T10:00:00+08:00"  # before September's due date (15 October)
    with time_machine.travel(datetime(2026, 10, 1, 9), tick=False):
        billing.billing_run(acting_user=None, period="2026-09")
    with time_machine.travel(datetime(2026, 10, 10, 9), tick=False):
        billing.billing_run(acting_user=None, period="2026-10")
    sep = Bill.objects.get(period="2026-09")
    oct_ = Bill.objects.get(period="2026-10")
    # paid against October's code, but September is older: it is paid first
    send(body(oct_.payment_code, sep.total_idr + 100, "TX-8", paid_at=on_time))
    sep.refresh_from_db()
    oct_.refresh_from_db()
    assert sep.paid_on is not None and oct_.paid_idr == 100
    too_much = oct_.total_idr + 500_000  # 500,100 too much
    send(body(oct_.payment_code, too_much, "TX-9", paid_at=on_time))
    oct_.refresh_from_db()
    assert oct_.paid_on is not None
    payer = Payer(employer_id=workforce.pk)
    assert payer_credit(payer) == 500_100
    with time_machine.travel(datetime(2026, 12, 1, 9), tick=False):
        billing.billing_run(
            acting_user=None, period="2026-11"
        )  # the credit goes to the new bill at once
    assert not FineCharge.objects.exists()
    nov = Bill.objects.get(period="2026-11")
    assert nov.paid_idr == 500_100 and payer_credit(payer) == 0
    statement = employer_statement(User.objects.get(username="pemberikerja"), workforce.pk)
    assert statement.outstanding_idr == nov.total_idr - 500_100
    assert statement.receivable_in_ledger_idr == statement.outstanding_idr


def test_a_fine_after_two_months_late_is_on_the_next_bill_and_explained(
    workforce,  # noqa: F811
    channel,
):
    with time_machine.travel(datetime(2026, 2, 1, 9), tick=False):
        billing.billing_run(acting_user=None, period="2026-01")
    jan = Bill.objects.get(period="2026-01")
    assert jan.due_on == date(2026, 2, 16)  # 15 Feb 2026 is a Sunday
    send(body(jan.payment_code, jan.total_idr, "TX-10", paid_at="2026-04-10T10:00:00+08:00"))
    with time_machine.travel(datetime(2026, 5, 1, 9), tick=False):
        billing.billing_run(acting_user=None, period="2026-04")
    fine = FineCharge.objects.get()
    apr = Bill.objects.get(period="2026-04")
    assert fine.bill == apr and fine.late_bill == jan
    assert fine.amount_idr == round(jan.total_idr * 0.02 * 2)  # 2 % x 2 months
    assert fine.detail == [{"amount_idr": jan.total_idr, "on": "2026-04-10", "months_late": 2}]
    detail = bearer_client("pemberikerja").get(f"/api/v1/bills/{apr.payment_code}").json()
    assert detail["fines"][0]["rule"] == "PU.LATE_FINE"
    assert detail["fines"][0]["amount_idr"] == fine.amount_idr
    # a later run charges nothing more for January (paid), but fines April (unpaid)
    with time_machine.travel(datetime(2026, 6, 1, 9), tick=False):
        billing.billing_run(acting_user=None, period="2026-05")
    assert FineCharge.objects.filter(late_bill=jan).count() == 1
    assert FineCharge.objects.get(late_bill=apr).amount_idr == round(apr.total_idr * 0.02)


def test_an_unpaid_bill_is_fined_each_month_and_contributions_are_paid_before_fines(
    workforce,  # noqa: F811
    channel,
):
    with time_machine.travel(datetime(2026, 2, 1, 9), tick=False):
        billing.billing_run(acting_user=None, period="2026-01")
    jan = Bill.objects.get(period="2026-01")
    with time_machine.travel(datetime(2026, 3, 2, 9), tick=False):
        billing.billing_run(
            acting_user=None, period="2026-02"
        )  # 16 Feb due: one month late on 2 Mar
    with time_machine.travel(datetime(2026, 4, 1, 9), tick=False):
        billing.billing_run(
            acting_user=None, period="2026-03"
        )  # two months late: one more month charged
    fines = list(FineCharge.objects.filter(late_bill=jan).order_by("pk"))
    two_months = late_fine(
        principal_idr=jan.total_idr, contribution_month=date(2026, 1, 1), paid_on=date(2026, 4, 1)
    )
    assert two_months.months_late == 2
    # the fine accrued is the calculator's; each bill charges what is new since the last
    assert fines[0].amount_idr == round(jan.total_idr * 0.02)
    assert fines[1].accrued_idr == sum(f.amount_idr for f in fines) == two_months.amount_idr
    feb = Bill.objects.get(period="2026-02")
    send(body(feb.payment_code, jan.total_idr + 10, "TX-11", paid_at="2026-04-05T08:00:00+08:00"))
    jan.refresh_from_db()
    feb.refresh_from_db()
    assert jan.paid_on == date(2026, 4, 5) and feb.paid_idr == 10  # contributions before fines
    rows = arrears(User.objects.get(username="cabang"), today=date(2026, 4, 20))
    assert rows[0]["npp"] == workforce.npp and rows[0]["d31_60"] == feb.total_idr - 10


def test_a_reversal_is_a_new_entry_and_takes_the_money_back(workforce, channel):  # noqa: F811
    billing.billing_run(acting_user=None, period="2026-10")
    bill = Bill.objects.get(employer=workforce)
    send(body(bill.payment_code, bill.total_idr, "TX-12"))
    assert JhtEntry.objects.filter(kind="contribution").count() == 2
    response = send(
        body(bill.payment_code, bill.total_idr, "TX-13", type="reversal", reverses="TX-12")
    )
    assert response.status_code == 200, response.content
    bill.refresh_from_db()
    assert (bill.paid_idr, bill.paid_on) == (0, None)
    assert Payment.objects.count() == 2  # the payment stays; the reversal is a new row
    assert sum(JhtEntry.objects.values_list("amount_idr", flat=True)) == 0
    assert balance(Account.CASH) == 0
    again = send(
        body(bill.payment_code, bill.total_idr, "TX-14", type="reversal", reverses="TX-12")
    )
    assert again.json()["error"]["code"] == "payment.already_reversed"


def test_a_late_wage_correction_is_an_adjustment_on_the_next_bill(workforce, demo):  # noqa: F811
    billing.billing_run(acting_user=None, period="2026-09")
    october = Bill.objects.get(period="2026-09")
    ani = Employment.objects.get(participant__person__full_name="Ani")
    pu_wage_change(
        acting_user=demo["pemberikerja"],
        employment_id=ani.pk,
        effective_from=date(2026, 9, 1),
        wage_idr=6_000_000,
    )
    billing.billing_run(acting_user=None, period="2026-10")
    november = Bill.objects.get(period="2026-10")
    adjustments = {(a.programme, a.payer): a.amount_idr for a in november.adjustments.all()}
    assert adjustments[("JHT", "worker")] == 20_000  # 2 % of the extra Rp1,000,000
    assert adjustments[("JP", "employer")] == 20_000
    assert all(a.corrects == october for a in november.adjustments.all())
    lines = sum(november.lines.values_list("amount_idr", flat=True))
    assert november.total_idr == lines + sum(adjustments.values())
    october.refresh_from_db()
    assert october.total_idr == sum(october.lines.values_list("amount_idr", flat=True))
    billing.billing_run(acting_user=None, period="2026-11")  # nothing left to adjust
    assert BillAdjustment.objects.count() == len(adjustments)


def test_permissions_on_bills_and_statements(workforce, channel):  # noqa: F811
    billing.billing_run(acting_user=None, period="2026-10")
    bill = Bill.objects.get(employer=workforce)
    assert (
        bearer_client("pemberikerja").get(f"/api/v1/bills/{bill.payment_code}").status_code == 200
    )
    assert bearer_client("peserta").get(f"/api/v1/bills/{bill.payment_code}").status_code == 404
    assert (
        bearer_client("kontraktor").get(f"/api/v1/employers/{workforce.pk}/statement").status_code
        == 404
    )
    officer = bearer_client("cabang")
    with time_machine.travel(datetime(2026, 11, 2, 9), tick=False):
        response = officer.get(f"/api/v1/employers/{workforce.pk}/statement")
    assert response.status_code == 200 and response.json()["bills"][0]["status"] == "open"
    with time_machine.travel(datetime(2026, 11, 17, 9), tick=False):
        response = officer.get(f"/api/v1/employers/{workforce.pk}/statement")
    assert response.json()["bills"][0]["status"] == "overdue"  # due 16 November
    add = bearer_client("cabang").post(
        "/api/v1/payment-channels", {"code": "BRI"}, content_type="application/json"
    )
    assert add.status_code == 403 and not PaymentChannel.objects.filter(code="BRI").exists()
    added = bearer_client("admin").post(
        "/api/v1/payment-channels", {"code": "BRI"}, content_type="application/json"
    )
    assert added.status_code == 201 and len(added.json()["secret"]) == 64


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="parallel writers need PostgreSQL (SQLite serialises the whole database)",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_identical_notifications_in_parallel_credit_once(workforce, channel):  # noqa: F811
    billing.billing_run(acting_user=None, period="2026-10")
    bill = Bill.objects.get(employer=workforce)
    raw = body(bill.payment_code, 1_234_567, "TX-PAR")
    signature = sign(SECRET_HOLDER["BNI"], raw)
    results: list[bool] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(20)

    def worker() -> None:
        try:
            barrier.wait()
            results.append(payment_notify(raw_body=raw, signature=signature).duplicate)
        except BaseException as exc:  # collected and re-raised in the test thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sorted(results) == [False] + [True] * 19
    assert Payment.objects.count() == 1
    assert Bill.objects.get(pk=bill.pk).paid_idr == 1_234_567


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="parallel chunks run only on PostgreSQL",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_chunks_issue_the_same_bills_as_one_worker(workforce, banua, monkeypatch):  # noqa: F811
    monkeypatch.setattr(billing, "CHUNK", 1)  # two chunks, one per employer
    parallel = billing.billing_run(acting_user=None, period="2026-10", workers=2)
    single = billing.billing_run(acting_user=None, period="2026-09", workers=1)
    assert parallel.bills_created == single.bills_created == 2
    assert parallel.lines == single.lines
    codes = sorted(Bill.objects.filter(period="2026-10").values_list("payment_code", flat=True))
    assert codes == ["26100000001", "26100000002"]
    for bill in Bill.objects.filter(period="2026-10"):
        assert bill.total_idr == sum(bill.lines.values_list("amount_idr", flat=True))


def test_payment_channel_and_ledger_check_commands(demo):
    import io

    from django.core.management import CommandError, call_command

    out = io.StringIO()
    call_command(
        "payments",
        "channel-add",
        "--code",
        "BRI",
        "--name",
        "Bank BRI",
        "--as",
        "admin",
        stdout=out,
    )
    assert "BRI" in out.getvalue() and PaymentChannel.objects.filter(code="BRI").exists()
    with pytest.raises(CommandError, match="--as"):
        call_command("payments", "channel-add", "--code", "BCA", "--as", "cabang")
    with pytest.raises(CommandError, match="exists"):
        call_command("payments", "channel-add", "--code", "BRI", "--as", "admin")
    out = io.StringIO()
    call_command("payments", "ledger-check", stdout=out)
    assert '"unbalanced": []' in out.getvalue()
