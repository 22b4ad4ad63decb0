"""A rule that ran out is a clear refusal naming the rule and the date on every interface (page,
API, CLI), never a server error; and with the computed 2027 calendar nothing runs out today."""

import io
from datetime import date, datetime

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client, RequestFactory

from jamsos.accounts.models import User
from jamsos.cli.main import main
from jamsos.contributions.models import Bill
from jamsos.core.models import AuditEvent
from jamsos.demo.services import demo_member_load
from jamsos.registry.models import Participant
from jamsos.rules.calc import tables
from jamsos.rules.calc.tables import RuleNotInForce
from tests.conftest import bearer_client
from tests.test_billing import workforce  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

TODAY = datetime(2026, 12, 2, 9)  # the day the 2026 holiday table was about to run out


@pytest.fixture
def holidays_end_2026(monkeypatch):
    """The rule book as it was: holidays.csv alone, no computed calendar after 2026."""
    real = tables.load
    monkeypatch.setattr(tables, "load", lambda: real(computed=None))
    tables.rule_book.cache_clear()
    yield
    tables.rule_book.cache_clear()


@pytest.fixture
def member(demo):
    person = demo_member_load()
    return Participant.objects.get(person=person, segment="BPU")


def login(username):
    client = Client()
    assert client.login(username=username, password="jamsos-demo-2026")
    return client


def changes() -> int:
    """Audit events of changes (the page the refusal returns to audits its reads of the balance)."""
    return (
        AuditEvent.objects.exclude(action__endswith="_read").exclude(action="person.read").count()
    )


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch):
    """``jamsos`` commands close every database connection when they end (Django's
    ``run_from_argv``); a test that calls the command line in-process keeps its own."""
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)


def test_a_12_month_payment_code_covering_2027_is_issued_on_the_page_and_the_api(member):
    with time_machine.travel(TODAY, tick=False):
        response = login("peserta").post(
            f"/kartu/{member.kpj}/bayar/", {"months": "12", "back": "/kartu/"}
        )
        bill = Bill.objects.get(participant=member, cancelled_at__isnull=True)
        assert response.status_code == 302
        assert response["Location"] == f"/tagihan/{bill.payment_code}/"
        assert (bill.months, bill.period, bill.due_on) == (12, "2026-12", date(2026, 12, 15))
        api = bearer_client("peserta").post(
            f"/api/v1/bpu/{member.kpj}/payment-requests",
            {"months": 12},
            content_type="application/json",
        )
    assert api.status_code == 201, api.content
    assert api.json()["months"] == 12
    bill.refresh_from_db()
    assert bill.cancelled_at is not None  # the API's request replaced the page's


def test_when_the_calendar_runs_out_the_page_refuses_naming_the_rule_and_the_date(
    member, holidays_end_2026
):
    with time_machine.travel(datetime(2027, 1, 4, 9), tick=False):
        client = login("peserta")
        bills, events = Bill.objects.count(), changes()
        response = client.post(f"/kartu/{member.kpj}/bayar/", {"months": "12"}, follow=True)
    # back on the member's cards with the refusal shown beside the form
    assert response.redirect_chain == [("/kartu/", 302)]
    assert response.status_code == 200
    text = response.content.decode()
    assert "Aturan HOLIDAYS tidak berlaku pada 2027-01-" in text
    assert "data aturan belum mencakup tanggal itu" in text
    assert (Bill.objects.count(), changes()) == (bills, events)


def test_when_the_calendar_runs_out_the_api_answers_400_rule_not_in_force(
    member, holidays_end_2026
):
    with time_machine.travel(datetime(2027, 1, 4, 9), tick=False):
        bills = Bill.objects.count()
        response = bearer_client("peserta").post(
            f"/api/v1/bpu/{member.kpj}/payment-requests",
            {"months": 12},
            content_type="application/json",
            headers={"accept-language": "en"},
        )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "rule.not_in_force"
    assert error["message"].startswith("no version of HOLIDAYS is in force on 2027-01-")
    assert Bill.objects.count() == bills


def test_billing_december_2026_without_the_2027_calendar_exits_non_zero_naming_the_rule(
    demo, holidays_end_2026, capsys
):
    with pytest.raises(SystemExit) as exit_:
        main(["billing", "run", "--period", "2026-12"])
    assert exit_.value.code == 1
    assert capsys.readouterr().err == (
        "CommandError: period: no version of HOLIDAYS is in force on 2027-01-15 "
        "(needed for 2026-12)\n"
    )
    assert not Bill.objects.filter(period="2026-12").exists()


def test_the_cli_maps_any_uncaught_domain_error_to_exit_1(demo, monkeypatch, capsys):
    from jamsos.cli.management.commands import report

    def refuse(*args, **kwargs):
        raise RuleNotInForce("PU.JKM", date(2031, 1, 1))

    monkeypatch.setattr(report.Command, "handle", refuse)
    assert main(["report", "refresh", "--period", "2026-10"]) == 1
    assert capsys.readouterr().err == (
        "jamsos: rule.not_in_force: no version of PU.JKM is in force on 2031-01-01: "
        "the rule data does not cover that date yet.\n"
    )


@pytest.mark.parametrize(
    ("language", "title", "message"),
    [
        (
            "id",
            "Tidak dapat dilakukan: data aturan belum mencakup tanggal ini",
            "Aturan JP.LIMITS tidak berlaku pada 2031-03-01",
        ),
        (
            "en",
            "Cannot be done: the rule data does not cover this date",
            "no version of JP.LIMITS is in force on 2031-03-01",
        ),
    ],
)
def test_any_page_that_meets_a_missing_rule_shows_a_translated_refusal(
    demo, language, title, message
):
    from django.utils import translation

    from jamsos.web.middleware import DomainErrorMiddleware

    request = RequestFactory().get("/laporan/")
    request.user = User.objects.get(username="cabang")
    request.LANGUAGE_CODE = language
    middleware = DomainErrorMiddleware(lambda r: None)
    with translation.override(language):
        response = middleware.process_exception(
            request, RuleNotInForce("JP.LIMITS", date(2031, 3, 1))
        )
    assert response.status_code == 400
    text = response.content.decode()
    assert f"<h1>{title}</h1>" in text and message in text
    assert middleware.process_exception(request, ValueError("not ours")) is None


def test_december_2026_and_june_2027_are_billed_from_the_command_line(workforce):  # noqa: F811
    for period in ("2026-12", "2027-06"):
        out = io.StringIO()
        call_command("billing", "run", "--period", period, "--no-refresh", stdout=out)
        assert out.getvalue().startswith(f"{period}: ")
    due = dict(Bill.objects.filter(kind="pu").values_list("period", "due_on").distinct())
    assert due == {"2026-12": date(2027, 1, 15), "2027-06": date(2027, 7, 15)}


def test_a_migrant_workers_bill_without_its_package_table_is_refused_on_the_api(demo, monkeypatch):
    from jamsos.registry.projects import pmi_register

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
    real = tables.load
    monkeypatch.setattr(
        tables,
        "load",
        lambda: real(lambda name: [] if name == "pmi_packages.csv" else tables._read(name)),
    )
    tables.rule_book.cache_clear()
    try:
        bills = Bill.objects.count()
        response = bearer_client("cabang").post(
            f"/api/v1/pmi/placements/{placement.pk}/bill",
            {},
            content_type="application/json",
            headers={"accept-language": "en"},
        )
    finally:
        tables.rule_book.cache_clear()
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "rule.not_in_force"
    assert "PMI.PACKAGE is in force on 2026-11-03" in response.json()["error"]["message"]
    assert Bill.objects.count() == bills
