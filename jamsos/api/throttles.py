"""Request limits for the public API, counted per client address in the database
(:mod:`jamsos.core.throttle`), with the address from :func:`jamsos.core.net.client_address`
so a forged ``X-Forwarded-For`` changes nothing."""

from __future__ import annotations

import threading

from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from jamsos.core.net import client_address
from jamsos.core.throttle import Rate, throttle_hit


class AddressThrottle(BaseThrottle):
    """At most ``limit`` requests a ``seconds`` window from one address, for one scope."""

    def __init__(self, scope: str, limit: int, seconds: int = 60) -> None:
        self.scope = scope
        self.rate = Rate(limit, seconds)
        self._local = threading.local()  # wait() follows allow_request() on the same thread

    def allow_request(self, request: HttpRequest) -> bool:
        hit = throttle_hit(f"api.{self.scope}", client_address(request), self.rate)
        self._local.wait = None if hit.allowed else float(hit.retry_after)
        return hit.allowed

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)


#: Public doors (registration, phone codes, simulations): 30 requests a minute an address.
PUBLIC_RATE: list[BaseThrottle] = [AddressThrottle("public", 30, 60)]
