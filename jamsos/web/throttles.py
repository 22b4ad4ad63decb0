"""Request limits for the public pages, per client address, counted in the database
(:mod:`jamsos.core.throttle`) with the address from :func:`jamsos.core.net.client_address`."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from jamsos.core.net import client_address
from jamsos.core.throttle import Rate, throttle_hit

#: The same share as the public API: 30 requests a minute from one address.
PUBLIC_PAGE_RATE = Rate(30, 60)


def rate_limited_response(request: HttpRequest, retry_after: int) -> HttpResponse:
    minutes = max(1, -(-retry_after // 60))
    response = render(
        request,
        "web/error.html",
        {
            "title": _("Too many requests"),
            "message": _(
                "Too many requests from your connection; try again in %(minutes)d minutes."
            )
            % {"minutes": minutes},
        },
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


def public_rate_limit(
    *, only_with: Callable[[HttpRequest], bool] | None = None
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Count each request of the page (or only those ``only_with`` picks) by client address."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if only_with is None or only_with(request):
                hit = throttle_hit("web.public", client_address(request), PUBLIC_PAGE_RATE)
                if not hit.allowed:
                    return rate_limited_response(request, hit.retry_after)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def is_post(request: HttpRequest) -> bool:
    return request.method == "POST"
