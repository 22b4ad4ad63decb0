"""Bearer-token authentication for the API: ``Authorization: Bearer <token>``."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.security import HttpBearer

from jamsos.accounts.models import ApiToken, User
from jamsos.accounts.services import token_user


class ApiRequest(HttpRequest):
    """The request of an operation behind :data:`bearer`: the token's user, never anonymous,
    and the token itself (the type the operations annotate ``request`` with)."""

    user: User
    api_token: ApiToken
    jamsos_full_nik: bool  # set by the worker listings: show NIKs in full (see workers.py)


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = token_user(token)
        if found is None:
            return None
        authenticated = cast(ApiRequest, request)  # it becomes one here
        authenticated.user, authenticated.api_token = found
        return found[0]


bearer = BearerToken()


class PublicOrBearer(HttpBearer):
    """For the public doors (registration, phone codes): a request without an
    ``Authorization`` header is anonymous — whatever session cookie it carries, so a page
    elsewhere cannot make a signed-in browser register someone (no CSRF on the API) — and a
    request with a bearer token acts as that token's user, so the service decides between
    self-registration and an officer registering on someone's behalf. A token that is not
    valid is refused (401), never taken as anonymous."""

    def __call__(self, request: HttpRequest) -> Any:
        if "Authorization" not in request.headers:
            request.user = AnonymousUser()
            return ANONYMOUS
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        return bearer.authenticate(request, token)


#: What :class:`PublicOrBearer` answers for an anonymous request (truthy: let it in).
ANONYMOUS = "anonymous"
public_or_bearer = PublicOrBearer()
