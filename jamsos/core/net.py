"""Where a request came from: the client's address, the one place it is read from a request,
and the audit trail's "from where" for the length of each request.

Behind ``JAMSOS_TRUSTED_PROXIES`` = N reverse proxies, each proxy appends the address it
received the request from to ``X-Forwarded-For``; the client's address is then the N-th entry
from the right (the leftmost entries are whatever the client chose to send, so they are never
trusted). With N = 0 (the default) the header is ignored and the socket address is used.
Every throttle, lockout and audit record takes the address from :func:`client_address`
(docs/security.md).

:class:`OriginMiddleware` records that address as the origin of every audit event written
while a request is served; work outside a request (the command line, batch jobs, tests) is
recorded with an empty origin unless it marks its own with :func:`origin`.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_origin: ContextVar[str] = ContextVar("jamsos_origin", default="")


def _valid(text: str) -> str | None:
    text = text.strip()
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def address_from(meta: dict[str, object] | object, trusted_proxies: int) -> str:
    """The client address from a request's ``META`` with ``trusted_proxies`` proxies in front.

    >>> address_from({"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "6.6.6.6"}, 0)
    '10.0.0.5'
    >>> address_from({"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 1.2.3.4"}, 1)
    '1.2.3.4'
    >>> address_from({"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, 2)
    '10.0.0.5'
    """
    get = meta.get if isinstance(meta, dict) else (lambda _k, _d=None: _d)
    remote = _valid(str(get("REMOTE_ADDR", "") or "")) or "unknown"
    if trusted_proxies <= 0:
        return remote
    hops = [h for h in str(get("HTTP_X_FORWARDED_FOR", "") or "").split(",") if h.strip()]
    if len(hops) < trusted_proxies:
        # Fewer hops than proxies: the request did not come through all of them (a direct
        # request, or a misconfiguration). The socket address is the only fact we have.
        return remote
    return _valid(hops[-trusted_proxies]) or remote


def client_address(request: HttpRequest) -> str:
    """The address of the client that sent ``request`` (see the module docstring)."""
    return address_from(request.META, int(getattr(settings, "JAMSOS_TRUSTED_PROXIES", 0)))


def current_origin() -> str:
    """The origin of audit events written now: the client address inside a request."""
    return _origin.get()


@contextmanager
def origin(value: str) -> Iterator[None]:
    """Record ``value`` as the origin of every audit event written inside the block."""
    token = _origin.set(value[:64])
    try:
        yield
    finally:
        _origin.reset(token)


class OriginMiddleware:
    """Sets the origin of audit events to the client address for each request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with origin(client_address(request)):
            return self.get_response(request)
