from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from jamsos.core.errors import DomainError

# No inline scripts or styles anywhere, so the policy can forbid them.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CSP)
        return response


class OfficeTimeZoneMiddleware:
    """Show times in the zone of the user's office (WIB, WITA, WIT); else head office time."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        office = None
        if user is not None and user.is_authenticated:
            office = user.branch_office or user.regional_office
        if office is not None:
            timezone.activate(zoneinfo.ZoneInfo(office.time_zone))
        else:
            timezone.deactivate()
        return self.get_response(request)


class LanguageMiddleware:
    """Bahasa Indonesia first.

    Pages speak Indonesian unless the user chose English with the language switch (a cookie);
    a phone set to English does not change that. API clients may ask with Accept-Language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in self.supported and request.path.startswith("/api/"):
            chosen = translation.get_language_from_request(request)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class DomainErrorMiddleware:
    """A domain error no view caught is a refusal, never a server error: the page says why
    (in the user's language) with the error's status. A rule that ran out
    (``rule.not_in_force``) names the rule and the date. The API maps the same errors itself
    (``jamsos.api.errors``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError):
            return None
        language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
        title = (
            _("Cannot be done: the rule data does not cover this date")
            if exception.code == "rule.not_in_force"
            else None
        )
        return render(
            request,
            "web/error.html",
            {"message": exception.message_for(language), "title": title, "code": exception.code},
            status=exception.status,
        )
