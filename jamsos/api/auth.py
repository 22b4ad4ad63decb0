"""Bearer-token authentication for the API: ``Authorization: Bearer <token>``."""

from __future__ import annotations

from typing import cast

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
