"""Where a request came from, for the audit trail's "from where".

The middleware sets the client address for the length of each request; the command line
marks its work as ``cli``; anything else (tests, batch jobs) is recorded as empty. Behind
reverse proxies the address is taken from ``X-Forwarded-For`` only as far as
``JAMSOS_TRUSTED_PROXIES`` says there are proxies of ours in front (docs/security.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_origin: ContextVar[str] = ContextVar("jamsos_origin", default="")


def current_origin() -> str:
    return _origin.get()


@contextmanager
def origin(value: str) -> Iterator[None]:
    """Record ``value`` as the origin of every audit event written inside the block."""
    token = _origin.set(value[:64])
    try:
        yield
    finally:
        _origin.reset(token)


def client_address(request: HttpRequest) -> str:
    """The client's address: ``REMOTE_ADDR``, or with ``n`` trusted proxies in front, the
    address the outermost of them saw (``n``-th from the right of ``X-Forwarded-For``)."""
    proxies = int(getattr(settings, "JAMSOS_TRUSTED_PROXIES", 0))
    remote = str(request.META.get("REMOTE_ADDR", ""))
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
        if part.strip()
    ]
    return forwarded[-proxies] if len(forwarded) >= proxies else remote


class OriginMiddleware:
    """Sets the origin of audit events to the client address for each request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with origin(client_address(request)):
            return self.get_response(request)
