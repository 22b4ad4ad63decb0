"""Throttles that cannot be fooled: the client address from the trusted proxies only, counts in
the database shared by every worker, and the limits on sending phone codes."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import RequestFactory, override_settings

from jamsos.core.errors import TooManyRequests
from jamsos.core.models import ThrottleCounter
from jamsos.core.net import OriginMiddleware, client_address, current_origin
from jamsos.core.throttle import Rate, throttle_count, throttle_hit, throttle_prune
from jamsos.notifications.limits import phone_code_limit
from jamsos.notifications.models import Notification
from jamsos.registry.models import PhoneVerification
from tests.test_bpu_registration import SITI

pytestmark = pytest.mark.django_db
SIMULATE = "/api/v1/simulations/contributions"
FROZEN = datetime(2026, 6, 1, 9, 0, 15, tzinfo=UTC)  # 15 s into a minute and an hour


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored():
    assert client_address(_request("10.1.2.3", "6.6.6.6")) == "10.1.2.3"


@override_settings(JAMSOS_TRUSTED_PROXIES=1)
def test_with_one_proxy_the_rightmost_entry_is_the_client():
    assert client_address(_request("10.0.0.1", "6.6.6.6, 203.0.113.7")) == "203.0.113.7"
    # fewer entries than proxies, or garbage: the socket address
    assert client_address(_request("10.0.0.1")) == "10.0.0.1"
    assert client_address(_request("10.0.0.1", "not-an-address")) == "10.0.0.1"


@override_settings(JAMSOS_TRUSTED_PROXIES=2)
def test_with_two_proxies_the_second_entry_from_the_right_is_the_client():
    forwarded = "6.6.6.6, 198.51.100.9, 10.0.0.2"
    assert client_address(_request("10.0.0.1", forwarded)) == "198.51.100.9"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "6.6.6.6", "10.0.0.1"),
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),
        (1, "<script>", "10.0.0.1"),  # garbage in the header is never written to the trail
        (2, "203.0.113.7", "10.0.0.1"),
    ],
)
def test_the_audit_origin_is_the_address_the_throttles_count(proxies, forwarded, expected):
    seen = []

    def view(request):
        seen.append(current_origin())
        return None

    with override_settings(JAMSOS_TRUSTED_PROXIES=proxies):
        request = _request("10.0.0.1", forwarded)
        OriginMiddleware(view)(request)
        assert seen == [expected] == [client_address(request)]
    assert current_origin() == ""  # only for the length of the request


def test_a_rotating_forwarded_header_is_still_throttled(client):
    with time_machine.travel(FROZEN, tick=False):
        statuses = [
            client.post(
                SIMULATE, "{", content_type="application/json", HTTP_X_FORWARDED_FOR=f"6.6.6.{i}"
            ).status_code
            for i in range(31)
        ]
    assert statuses == [400] * 30 + [429]


@override_settings(JAMSOS_TRUSTED_PROXIES=1)
def test_behind_a_proxy_forged_entries_on_the_left_change_nothing(client):
    def post(forwarded: str) -> int:
        return client.post(
            SIMULATE, "{", content_type="application/json", HTTP_X_FORWARDED_FOR=forwarded
        ).status_code

    with time_machine.travel(FROZEN, tick=False):
        statuses = [post(f"6.6.{i}.1, 203.0.113.7") for i in range(31)]
        assert statuses == [400] * 30 + [429]
        assert post("203.0.113.8") == 400  # another client behind the same proxy is not blocked


def test_the_public_registration_page_is_throttled_by_address(client):
    with time_machine.travel(FROZEN, tick=False):
        statuses = [
            client.post("/daftar/", {}, HTTP_X_FORWARDED_FOR=f"6.6.6.{i}").status_code
            for i in range(31)
        ]
    assert statuses == [400] * 30 + [429]


def test_counts_are_per_window_and_old_windows_are_pruned(monkeypatch):
    # opening a window prunes now and then at random: not in this test, which prunes by hand
    monkeypatch.setattr("jamsos.core.throttle.secrets.randbelow", lambda n: 1)
    rate = Rate(2, 60)
    with time_machine.travel(FROZEN, tick=False):
        assert [throttle_hit("t", "k", rate).allowed for _ in range(3)] == [True, True, False]
        assert throttle_count("t", "k", rate).count == 3
        assert throttle_hit("t", "other", rate).count == 1
    with time_machine.travel(FROZEN + timedelta(minutes=1), tick=False):
        assert throttle_hit("t", "k", rate).count == 1  # a new window
        assert throttle_prune() == 2  # the two rows of the first window
    assert ThrottleCounter.objects.count() == 1
    # keys are stored as digests only
    assert not ThrottleCounter.objects.filter(key_digest__in=["k", "other"]).exists()


def test_phone_codes_are_limited_per_address_per_hour_and_day():
    with time_machine.travel(FROZEN, tick=False):
        for i in range(20):
            phone_code_limit(phone=f"+62812000000{i:02d}", nik=f"nik{i}", address="198.51.100.1")
        with pytest.raises(TooManyRequests) as refused:
            phone_code_limit(phone="+6281299999999", nik="nik-new", address="198.51.100.1")
        assert refused.value.code == "otp.too_many" and refused.value.status == 429
        phone_code_limit(phone="+6281299999999", nik="nik-new", address="198.51.100.2")
    # the next hour: 20 more, then the day's 60 end it
    for hour in (1, 2):
        with time_machine.travel(FROZEN + timedelta(hours=hour), tick=False):
            for i in range(20):
                phone_code_limit(
                    phone=f"+628130{hour}{i:05d}", nik=f"n{hour}-{i}", address="198.51.100.1"
                )
    with (
        time_machine.travel(FROZEN + timedelta(hours=3), tick=False),
        pytest.raises(TooManyRequests),
    ):
        phone_code_limit(phone="+6281311111111", nik="n-late", address="198.51.100.1")


def test_phone_codes_are_limited_per_phone_and_nik_whatever_the_address(demo, client):
    with time_machine.travel(FROZEN, tick=False):
        response = client.post("/api/v1/bpu/registrations", SITI, content_type="application/json")
        assert response.status_code == 201, response.content
        url = f"/api/v1/bpu/registrations/{response.json()['kpj']}/phone-code"
        assert client.post(url, HTTP_X_FORWARDED_FOR="1.1.1.1").status_code == 202
        assert client.post(url, REMOTE_ADDR="10.9.9.9").status_code == 202
        codes = Notification.objects.filter(kind="otp").count()
        pending = list(PhoneVerification.objects.values_list("id", "expires_at"))
        refused = client.post(url, REMOTE_ADDR="10.9.9.10", HTTP_ACCEPT_LANGUAGE="en")
        assert refused.status_code == 429
        assert refused.json()["error"] == {
            "code": "otp.too_many",
            "field": "phone",
            "message": "Too many codes have been sent; try again in 60 minutes.",
        }
        assert refused["Retry-After"] == "3586"
        # nothing changed: no new code, the last code still works
        assert Notification.objects.filter(kind="otp").count() == codes == 3
        assert list(PhoneVerification.objects.values_list("id", "expires_at")) == pending


def test_refused_payment_notifications_are_tallied_and_throttled_per_address(demo, client):
    from jamsos.contributions.models import Payment, PaymentRejection, PaymentRejectionTally
    from jamsos.contributions.payments import channel_create

    channel_create(acting_user=demo["admin"], code="BNI", name="BNI")
    raw = b'{"channel": "BNI", "transaction_id": "TX-1", "payment_code": "1", "amount_idr": 1}'

    def post(**extra):
        return client.post(
            "/api/v1/payments/notifications",
            raw,
            content_type="application/json",
            HTTP_X_JAMSOS_SIGNATURE="sha256=forged",
            **extra,
        )

    with time_machine.travel(FROZEN, tick=False):
        statuses = [post(HTTP_X_FORWARDED_FOR=f"6.6.6.{i}").status_code for i in range(65)]
        assert statuses == [401] * 60 + [429] * 5
        refused = post()
        assert refused.json()["error"]["code"] == "payment.too_many_refused"
        assert post(REMOTE_ADDR="10.3.3.3").status_code == 401  # another address is heard
    tally = PaymentRejectionTally.objects.get(address="127.0.0.1")
    assert (tally.channel_code, tally.code, tally.count) == ("BNI", "payment.bad_signature", 60)
    assert PaymentRejection.objects.filter(address="127.0.0.1").count() == 5  # samples only
    assert PaymentRejection.objects.count() == 6 and not Payment.objects.exists()


def test_a_naive_time_counts_in_a_utc_window():
    # a naive `now` used to fail: django.utils.timezone.utc no longer exists in Django 5
    from jamsos.core.throttle import _window

    naive = datetime(2026, 6, 1, 9, 0, 15)
    start, end = _window(naive, 60)
    assert start.tzinfo is UTC
    assert end - start == timedelta(seconds=60)
    assert start.second == 0
    assert start <= naive.astimezone(UTC) < end
