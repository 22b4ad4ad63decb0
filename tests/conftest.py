from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.apps import apps
from django.test import Client
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from jamsos.accounts.models import User
from jamsos.core.models import AuditEvent
from jamsos.demo.services import DEMO_PASSWORD, demo_load

# Property tests are not timed: a slow shared machine must not fail them.
hypothesis_settings.register_profile("jamsos", deadline=None)
hypothesis_settings.load_profile("jamsos")

#: Every row of these tables must have been written by a service that audited it.
AUDITED_MODELS = [
    "accounts.User",
    "accounts.ApiToken",
    "registry.RegionalOffice",
    "registry.BranchOffice",
    "registry.Employer",
]


@pytest.fixture
def db_audited(db: None) -> Iterator[None]:
    """After the test, check that no audited row exists without an audit event."""
    yield
    missing = {}
    for label in AUDITED_MODELS:
        model = apps.get_model(label)
        ids = {str(pk) for pk in model.objects.values_list("pk", flat=True)}
        events = AuditEvent.objects.filter(object_type=label.lower()).values_list(
            "object_id", flat=True
        )
        audited = {e for e in events if "-" not in e}
        ranges = [tuple(int(x) for x in e.split("-")) for e in events if "-" in e]  # bulk loads
        unaudited = {i for i in ids - audited if not any(lo <= int(i) <= hi for lo, hi in ranges)}
        if unaudited:
            missing[label] = sorted(unaudited)
    assert not missing, f"rows written without an audit event: {missing}"


@pytest.fixture(autouse=True, scope="session")
def _computed_holidays_loaded() -> None:
    """Load the holidays package's calendars once, before any test: the first load takes most
    of a second, which property tests with a deadline would otherwise pay in one example."""
    from jamsos.rules.calc import computed_holidays
    from jamsos.rules.calc.tables import computed_calendar

    for year in range(computed_holidays.FIRST_YEAR, computed_holidays.LAST_YEAR + 1):
        computed_calendar(year)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Rate limits count in the cache: each test starts from zero."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def ledger_consistent(db: None) -> Iterator[None]:
    """After the test, check the money: every posting balances, the JHT fund equals the sum of
    the JHT accounts, each bill's cached payment equals its allocations, and each payer's
    receivable in the ledger equals what its bills and fines leave unpaid."""
    yield
    from django.db.models import F, Sum
    from django.db.models.functions import Coalesce

    from jamsos.contributions.jht import jht_fund_matches_accounts
    from jamsos.contributions.models import Bill, FineCharge
    from jamsos.ledger.models import Leg
    from jamsos.ledger.services import unbalanced_postings

    assert unbalanced_postings() == [], "postings whose legs do not sum to zero"
    assert (Leg.objects.aggregate(t=Sum("amount_idr"))["t"] or 0) == 0
    fund, accounts = jht_fund_matches_accounts()
    assert fund == accounts, f"JHT fund {fund} but accounts sum to {accounts}"
    wrong = Bill.objects.annotate(applied=Coalesce(Sum("allocations__amount_idr"), 0)).exclude(
        paid_idr=F("applied")
    )
    assert not wrong.exists(), f"bills whose paid_idr disagrees: {list(wrong)}"
    for party in ("employer_id", "participant_id"):
        ledger = {
            r[party]: r["t"]
            for r in Leg.objects.filter(account="receivable", **{f"{party}__isnull": False})
            .values(party)
            .annotate(t=Sum("amount_idr"))
        }
        owed: dict[int, int] = {}
        for r in (
            Bill.objects.filter(cancelled_at__isnull=True, **{f"{party}__isnull": False})
            .values(party)
            .annotate(t=Sum(F("total_idr") - F("paid_idr")))
        ):
            owed[r[party]] = owed.get(r[party], 0) + r["t"]
        if party == "employer_id":
            for fine in FineCharge.objects.annotate(
                paid=Coalesce(Sum("allocations__amount_idr"), 0)
            ):
                owed[fine.employer_id] = owed.get(fine.employer_id, 0) + fine.amount_idr - fine.paid
        assert {k: v for k, v in ledger.items() if v} == {k: v for k, v in owed.items() if v}


@pytest.fixture(autouse=True)
def _audit_completeness(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db_audited")
        request.getfixturevalue("ledger_consistent")


@pytest.fixture
def english() -> Iterator[None]:
    """Service messages in English, for tests that match them (pages default to Indonesian)."""
    with translation.override("en"):
        yield


@pytest.fixture
def demo(db: None) -> dict[str, User]:
    """The demo region; returns the demo users by username."""
    demo_load()
    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def password() -> str:
    return DEMO_PASSWORD


def totp_code(user: User) -> str:
    """A valid code from the user's authenticator (enrolled now if needed, with the demo
    secret). The device's replay guard is reset first, so a test may sign in twice within one
    30-second step; production keeps it."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from jamsos.demo.services import demo_second_factor

    demo_second_factor(user)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


class TwoFactorClient(Client):
    """The test client; ``force_login`` of a user who needs a second factor also marks the
    session verified with their (enrolled if missing) authenticator, as the code step would."""

    def force_login(self, user: User, backend: str | None = None) -> None:
        super().force_login(user, backend)
        self.verify_second_factor(user)

    def login(self, **credentials: object) -> bool:
        """Password login (as ``Client.login``), then the second factor as ``force_login``."""
        done = super().login(**credentials)
        if done:
            self.verify_second_factor(User.objects.get(username=credentials["username"]))
        return done

    def verify_second_factor(self, user: User) -> None:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from jamsos.accounts.twofactor import needs_second_factor
        from jamsos.demo.services import demo_second_factor
        from jamsos.web.middleware import SECOND_FACTOR_KEY

        if needs_second_factor(user):
            demo_second_factor(user)
            session = self.session
            device = TOTPDevice.objects.get(user=user, confirmed=True)
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session[SECOND_FACTOR_KEY] = True
            session.save()


@pytest.fixture
def client() -> Client:
    return TwoFactorClient()


def bearer_client(username: str, password: str = DEMO_PASSWORD) -> Client:
    """A test client that authenticates to the API with a fresh bearer token (sending the
    second-factor code for users who need one)."""
    from jamsos.accounts.twofactor import needs_second_factor

    client = TwoFactorClient()
    body = {"username": username, "password": password}
    user = User.objects.filter(username=username).first()
    if user is not None and needs_second_factor(user):
        body["otp"] = totp_code(user)
    response = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert response.status_code == 200, response.content
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {response.json()['token']}"
    return client
