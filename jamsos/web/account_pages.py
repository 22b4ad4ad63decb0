"""Sign-in pages: the password step with lockout, and (for users with a second factor) the code
step and the enrolment of an authenticator app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from jamsos.accounts.lockout import (
    Attempt,
    locked_error,
    locked_for,
    signin_failed,
    signin_refuse_if_locked,
    signin_succeeded,
)
from jamsos.core.errors import TooManyRequests
from jamsos.core.net import client_address


class SignInForm(AuthenticationForm):
    """Django's form, with the lockout before the password is checked and every attempt
    counted and audited."""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        password = self.cleaned_data.get("password")
        assert self.request is not None  # noqa: S101 - LoginView always passes it
        attempt = Attempt(username=username, address=client_address(self.request), channel="web")
        try:
            signin_refuse_if_locked(attempt)
        except TooManyRequests as exc:
            raise forms.ValidationError(exc.message_for(get_language()), code="locked") from None
        if username and password:
            try:
                return super().clean()
            except forms.ValidationError:
                if signin_failed(attempt, user=None):
                    error = locked_error(locked_for(attempt))
                    raise forms.ValidationError(
                        error.message_for(get_language()), code="locked"
                    ) from None
                raise
        return self.cleaned_data


class SignInView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True
    form_class = SignInForm

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        request: HttpRequest = self.request
        user = form.get_user()
        attempt = Attempt(username=user.username, address=client_address(request), channel="web")
        signin_succeeded(attempt, user, second_factor=False)
        return super().form_valid(form)
