"""How many one-time codes may be sent: per phone, per NIK and per client address, per hour and
per day. Every code sent to a phone goes through :func:`phone_code_limit` (called by the code
senders in the caller's transaction, so a refused or rolled-back send is not counted)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from jamsos.core.errors import TooManyRequests
from jamsos.core.throttle import Rate, throttle_hit

HOUR = 3600
DAY = 24 * HOUR
#: Per phone number and per NIK: a person needs one code, two if the first SMS was lost.
PER_PERSON = (Rate(3, HOUR), Rate(10, DAY))
#: Per client address: several people may share an address (an office, a mobile carrier's NAT).
PER_ADDRESS = (Rate(20, HOUR), Rate(60, DAY))


def phone_code_limit(*, phone: str, nik: str, address: str = "") -> None:
    """Count one code about to be sent; raise ``TooManyRequests`` (``otp.too_many``, HTTP 429)
    when the phone, the NIK or the address has had its share. An empty ``address`` (the
    command line, a data load) is not counted by address."""
    checks = [("otp.phone", phone, PER_PERSON), ("otp.nik", nik, PER_PERSON)]
    if address:
        checks.append(("otp.address", address, PER_ADDRESS))
    for scope, key, rates in checks:
        if not key:
            continue
        for rate in rates:
            hit = throttle_hit(f"{scope}.{rate.seconds}", key, rate)
            if not hit.allowed:
                minutes = max(1, -(-hit.retry_after // 60))
                raise TooManyRequests(
                    _("Too many codes have been sent; try again in %(minutes)d minutes.")
                    % {"minutes": minutes},
                    code="otp.too_many",
                    field="phone",
                    retry_after=hit.retry_after,
                )
