"""Refuse malformed requests before any view sees them, for pages and the API alike.

One place for what no form, schema or service should have to think about:

- a body larger than the limit (``DATA_UPLOAD_MAX_MEMORY_SIZE``; uploads
  ``JAMSOS_MAX_UPLOAD_BYTES``) → 413;
- a JSON body nested deeper than :data:`MAX_JSON_DEPTH`, or not JSON at all where JSON is
  declared → 400, before any signature check or schema parsing recurses into it;
- a NUL character in any text: query string, form field, uploaded file name, JSON key or
  string (PostgreSQL cannot store one) → 400;
- a whole number outside the 64-bit range in the query string, a form field or a JSON body
  (no column can hold it) → 400; ``NaN`` and ``Infinity`` in JSON → 400.

The API answers ``{"error": {"code", "field", "message"}}``; pages a short plain-text page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

from jamsos.core.bounds import INT64_MAX, MAX_JSON_DEPTH

_DIGITS = re.compile(r"[+-]?\d+")


class Refused(Exception):
    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field


def _too_large() -> Refused:
    return Refused(413, "request.too_large", _("The request is too large."))


def _check_text(field: str | None, value: str) -> None:
    if "\x00" in value:
        raise Refused(400, "text.nul", _("Text may not contain a NUL character."), field)


def _check_number_text(field: str, value: str) -> None:
    """A value written as a whole number must fit 64 bits (it will be parsed as one)."""
    text = value.strip()
    if len(text) > 18 and _DIGITS.fullmatch(text) and abs(int(text)) > INT64_MAX:
        raise _overflow(field)


def _overflow(field: str | None) -> Refused:
    return Refused(400, "number.too_large", _("The number is too large."), field)


def _check_pairs(pairs: Iterable[tuple[str, list[str]]], *, numbers: bool) -> None:
    # Form fields carry bank accounts and other long digit strings: only query parameters
    # (limits, offsets, identifiers) are checked as numbers here; forms through their bounds.
    for key, values in pairs:
        _check_text(key, key)
        for value in values:
            _check_text(key, value)
            if numbers:
                _check_number_text(key, value)


def _refuse_constant(name: str) -> Any:
    raise Refused(400, "number.invalid", _("NaN and Infinity are not numbers in JSON."))


def check_json(raw: bytes) -> None:
    """Parse a JSON body once to refuse deep nesting, NUL characters and 64-bit overflow."""
    if not raw.strip():
        return
    try:
        data = json.loads(raw, parse_constant=_refuse_constant)
    except RecursionError:
        raise Refused(
            400, "json.too_deep", _("The JSON body is nested too deeply."), "body"
        ) from None
    except (ValueError, UnicodeDecodeError):
        return  # the view refuses it in its own words (the payment endpoint also records it)
    if not isinstance(data, dict):  # every JSON body Jamsos takes is an object
        raise Refused(400, "json.not_object", _("The JSON body must be an object."), "body")
    stack: list[tuple[Any, str, int]] = [(data, "", 1)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise Refused(400, "json.too_deep", _("The JSON body is nested too deeply."), "body")
        if isinstance(value, dict):
            for key, item in value.items():
                _check_text(path or key, key)
                stack.append((item, f"{path}.{key}" if path else key, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, path, depth + 1) for item in value)
        elif isinstance(value, str):
            _check_text(path or None, value)
        elif isinstance(value, int) and not isinstance(value, bool):
            if abs(value) > INT64_MAX:
                raise _overflow(path or None)
        elif isinstance(value, float) and value.is_integer() and abs(value) > INT64_MAX:
            raise _overflow(path or None)


def check_request(request: HttpRequest) -> None:
    """Raise :class:`Refused` for a request no view should see."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise Refused(400, "request.invalid", _("Content-Length is not a number.")) from None
    content_type = request.content_type or ""
    multipart = content_type == "multipart/form-data"
    limit = settings.JAMSOS_MAX_UPLOAD_BYTES if multipart else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if length > limit:
        raise _too_large()
    _check_text(None, request.path)
    _check_pairs(request.GET.lists(), numbers=True)
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return
    try:
        if multipart or content_type == "application/x-www-form-urlencoded":
            _check_pairs(request.POST.lists(), numbers=False)
            for key, files in request.FILES.lists():
                for upload in files:
                    _check_text(key, upload.name or "")
        else:
            raw = request.body
            if b"\x00" in raw:
                raise Refused(400, "text.nul", _("Text may not contain a NUL character."), "body")
            if content_type == "application/json" or content_type.endswith("+json"):
                check_json(raw)
    except RequestDataTooBig:
        raise _too_large() from None
    except (SuspiciousOperation, MultiPartParserError) as exc:  # too many fields, bad multipart
        raise Refused(400, "request.invalid", str(exc)) from None


class RequestGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            check_request(request)
        except Refused as refused:
            return refusal_response(request, refused)
        return self.get_response(request)


def refusal_response(request: HttpRequest, refused: Refused) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"error": {"code": refused.code, "field": refused.field, "message": refused.message}},
            status=refused.status,
        )
    text = f"{refused.message} ({refused.field})" if refused.field else refused.message
    return HttpResponse(text, status=refused.status, content_type="text/plain; charset=utf-8")
