from __future__ import annotations

import time
import zoneinfo
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from jamsos.accounts.twofactor import device_of, must_have_second_factor
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
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
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


#: Browser features no page of Jamsos uses, switched off for every page.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), "
    "fullscreen=(self), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "midi=(), payment=(), picture-in-picture=(), publickey-credentials-get=(), "
    "screen-wake-lock=(), sync-xhr=(), usb=(), xr-spatial-tracking=()"
)

LOGIN_AT = "jamsos_login_at"
SEEN_AT = "jamsos_seen_at"
#: The last-seen time is written at most this often (seconds), so a busy session costs no
#: session write on every request.
SEEN_EVERY = 60


class SessionTimeoutMiddleware:
    """End a session ``JAMSOS_SESSION_HOURS`` after sign-in (everyone) and after
    ``JAMSOS_STAFF_IDLE_MINUTES`` without a request (staff)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            login_at = int(session.get(LOGIN_AT) or now)
            seen_at = int(session.get(SEEN_AT) or now)
            idle_limit = int(settings.JAMSOS_STAFF_IDLE_MINUTES) * 60
            too_old = now - login_at > int(settings.JAMSOS_SESSION_HOURS) * 3600
            idle = must_have_second_factor(user) and now - seen_at > idle_limit
            if too_old or idle:
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)  # now anonymous
                messages.info(request, _("Your session has ended. Please log in again."))
                return redirect_to_login(request.get_full_path())
            if LOGIN_AT not in session:
                session[LOGIN_AT] = now
            if SEEN_AT not in session or now - seen_at >= SEEN_EVERY:
                session[SEEN_AT] = now
        return self.get_response(request)


#: Set in the session at sign-in when the user has an authenticator (opted in).
SECOND_FACTOR_KEY = "jamsos_second_factor"


class SecondFactorMiddleware:
    """A session that needs a second factor (staff, or a user who enrolled one) and has not
    given it reaches only the code page, the enrolment page (if there is no device yet), the
    language switch and logout. Pages redirect there; the API treats the session as anonymous
    (the API authenticates with bearer tokens, which carry their own second factor)."""

    OPEN = ("web:login_code", "web:second_factor", "web:logout", "set_language")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and (must_have_second_factor(user) or request.session.get(SECOND_FACTOR_KEY))
            and not user.is_verified()
        ):
            open_paths = {reverse(name) for name in self.OPEN}
            if request.path_info not in open_paths and not request.path_info.startswith(
                (settings.STATIC_URL, "/healthz")
            ):
                if request.path_info.startswith("/api/"):
                    request.user = AnonymousUser()
                    return self.get_response(request)
                target = "web:login_code" if device_of(user) else "web:second_factor"
                return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


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
            {"message": exception.page_message(language), "title": title, "code": exception.code},
            status=exception.status,
        )
