"""Sign-in pages: the password step with lockout, the second-factor step, enrolling an
authenticator app (QR code and the secret as text) with recovery codes, the account page and
the password change."""

from __future__ import annotations

import base64
import time
from typing import Any
from urllib.parse import urlencode

import django_otp
import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jamsos.accounts.lockout import (
    Attempt,
    locked_error,
    locked_for,
    signin_failed,
    signin_password_accepted,
    signin_refuse_if_locked,
    signin_succeeded,
)
from jamsos.accounts.models import User
from jamsos.accounts.services import password_change, tokens_of
from jamsos.accounts.twofactor import (
    device_of,
    must_have_second_factor,
    recovery_codes_left,
    recovery_codes_renew,
    second_factor_check,
    totp_confirm,
    totp_enrolment,
)
from jamsos.core.errors import DomainError, TooManyRequests
from jamsos.core.net import client_address
from jamsos.web.middleware import LOGIN_AT, SECOND_FACTOR_KEY


def _attempt(request: HttpRequest, username: str) -> Attempt:
    return Attempt(username=username, address=client_address(request), channel="web")


def _next(request: HttpRequest, default: str = "web:home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


class SignInForm(AuthenticationForm):
    """Django's form, with the lockout before the password is checked and every attempt
    counted and audited."""

    # Django's own wording puts the field's name into a sentence that already names it
    # ("nama pengguna nama pengguna" in Indonesian): one sentence of our own instead.
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": gettext_lazy(
            "Wrong username or password. Capital and small letters count as different."
        ),
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        password = self.cleaned_data.get("password")
        assert self.request is not None  # noqa: S101 - LoginView always passes it
        attempt = _attempt(self.request, username)
        try:
            signin_refuse_if_locked(attempt)
        except TooManyRequests as exc:
            raise forms.ValidationError(exc.page_message(get_language()), code="locked") from None
        if username and password:
            try:
                return super().clean()
            except forms.ValidationError:
                if signin_failed(attempt, user=None):
                    error = locked_error(locked_for(attempt))
                    raise forms.ValidationError(
                        error.page_message(get_language()), code="locked"
                    ) from None
                raise
        return self.cleaned_data


class SignInView(auth_views.LoginView):
    """The password step. Users with (or needing) a second factor are signed in but not yet
    verified, and go on to the code step or, staff without an app, to enrolment."""

    template_name = "web/login.html"
    redirect_authenticated_user = True
    form_class = SignInForm

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        request: HttpRequest = self.request
        user = form.get_user()
        has_device = device_of(user) is not None
        auth_login(request, user)
        request.session[LOGIN_AT] = int(time.time())
        attempt = _attempt(request, user.username)
        if has_device or must_have_second_factor(user):
            request.session[SECOND_FACTOR_KEY] = True
            signin_password_accepted(attempt, user)
            step = "web:login_code" if has_device else "web:second_factor"
            return redirect(f"{reverse(step)}?{urlencode({'next': self.get_success_url()})}")
        signin_succeeded(attempt, user, second_factor=False)
        return redirect(self.get_success_url())


@require_http_methods(["GET", "POST"])
def login_code_page(request: HttpRequest) -> HttpResponse:
    """The second step: the code from the app, or a recovery code."""
    user = request.user
    if not user.is_authenticated:
        return redirect("web:login")
    if user.is_verified():  # type: ignore[union-attr]
        return redirect(_next(request))
    assert isinstance(user, User)  # noqa: S101
    if device_of(user) is None:
        return redirect("web:second_factor")
    error = None
    if request.method == "POST":
        attempt = _attempt(request, user.username)
        try:
            device = second_factor_check(
                user=user, code=request.POST.get("otp", ""), attempt=attempt
            )
        except DomainError as exc:
            error = exc.page_message(get_language())
        else:
            django_otp.login(request, device)
            signin_succeeded(attempt, user, second_factor=True)
            return redirect(_next(request))
    return render(
        request,
        "web/login_code.html",
        {"error": error, "next": _next(request)},
        status=400 if error else 200,
    )


def _qr(device: Any) -> tuple[str, str]:
    """The QR code (an SVG data URI, allowed by the CSP) and the secret as base32 text."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return segno.make(device.config_url, error="m").svg_data_uri(scale=4, border=2), secret


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_page(request: HttpRequest) -> HttpResponse:
    """Two-step verification: set up (or replace) the authenticator app, see how many recovery
    codes are left, make new ones."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101
    device = device_of(user)
    verified = bool(user.is_verified())  # type: ignore[attr-defined]
    if device is not None and not verified:
        return redirect("web:login_code")  # prove the current device before changing it
    error = None
    codes: list[str] | None = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "recovery":
                codes = recovery_codes_renew(acting_user=user)
            else:
                device, codes = totp_confirm(
                    acting_user=user,
                    code=request.POST.get("otp", ""),
                    attempt=_attempt(request, user.username),
                )
                django_otp.login(request, device)
                request.session[SECOND_FACTOR_KEY] = True
                if not verified:  # the first sign-in of staff: enrolment completes it
                    signin_succeeded(_attempt(request, user.username), user, second_factor=True)
        except DomainError as exc:
            error = exc.page_message(get_language())
        else:
            return render(
                request,
                "web/recovery_codes.html",
                {"codes": codes, "next": _next(request)},
            )
    enrolling = request.GET.get("ganti") == "1" or device is None or error is not None
    context: dict[str, Any] = {
        "device": device,
        "enrolling": enrolling,
        "required": must_have_second_factor(user),
        "codes_left": recovery_codes_left(user) if device else 0,
        "error": error,
        "next": _next(request),
    }
    if enrolling:
        context["qr"], context["secret"] = _qr(totp_enrolment(user))
    return render(request, "web/second_factor.html", context, status=400 if error else 200)


@login_required
def account_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101
    return render(
        request,
        "web/account.html",
        {
            "device": device_of(user),
            "required": must_have_second_factor(user),
            "tokens": [t for t in tokens_of(user) if t.is_active],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def password_change_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101
    error = None
    if request.method == "POST":
        new = request.POST.get("new_password1", "")
        if new != request.POST.get("new_password2", ""):
            error = {"field": "new_password2", "message": _("The two new passwords differ.")}
        else:
            try:
                revoked = password_change(
                    acting_user=user,
                    old_password=request.POST.get("old_password", ""),
                    new_password=new,
                )
            except DomainError as exc:
                error = {"field": exc.field, "message": exc.page_message(get_language())}
            else:
                update_session_auth_hash(request, user)  # this session stays; others end
                messages.success(
                    request,
                    _("Your password has been changed. API tokens revoked: %(count)d.")
                    % {"count": revoked},
                )
                return redirect("web:account")
    return render(
        request, "web/password_change.html", {"error": error}, status=400 if error else 200
    )
