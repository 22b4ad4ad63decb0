"""One error body for every API failure: ``{"error": {"code", "field", "message"}}``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from jamsos.core.errors import DomainError, TooManyRequests


def error_body(code: str, message: str, field: str | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "field": field, "message": message}}


def _field_of(loc: list[Any]) -> str | None:
    # ninja reports ("body", "payload", "wage_idr"); the client knows only the last parts.
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "header")]
    return ".".join(parts) or None


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        message = exc.message_for(get_language())
        response = api.create_response(
            request, error_body(exc.code, message, exc.field), status=exc.status
        )
        if isinstance(exc, TooManyRequests):
            response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        first = exc.errors[0] if exc.errors else {"loc": [], "msg": "invalid input"}
        field = _field_of(list(first.get("loc", [])))
        message = str(first.get("msg", "invalid input"))
        return api.create_response(
            request,
            {
                **error_body("invalid", f"{field}: {message}" if field else message, field),
                "details": [
                    {"field": _field_of(list(e.get("loc", []))), "message": e.get("msg")}
                    for e in exc.errors
                ],
            },
            status=400,
        )

    @api.exception_handler(AuthenticationError)
    def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = api.create_response(
            request,
            error_body(
                "auth.required",
                "A valid bearer token is required (Authorization: Bearer <token>).",
            ),
            status=401,
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = {400: "invalid", 429: "rate_limited"}.get(exc.status_code, f"http_{exc.status_code}")
        return api.create_response(request, error_body(code, str(exc)), status=exc.status_code)


#: Statuses any operation may answer whatever its handler does, and why.
COMMON_STATUSES = {
    "400": "Bad input: a field out of its bounds, a NUL character, a number beyond 64 bits, "
    "JSON that does not parse or is nested too deeply",
    "401": "No valid bearer token",
    "413": "The request body is larger than the limit",
    "429": "Too many requests: try again later",
}


def document_common_statuses(api: NinjaAPI, schema: dict[str, Any]) -> dict[str, Any]:
    """Add the statuses the middleware and the throttles answer to every operation they reach:
    400 everywhere, 401 where a token is required, 413 where there is a body, 429 where the
    operation is throttled. Each is an :class:`ErrorOut`."""
    throttled = set()
    for _prefix, router in api._routers:
        router_throttled = bool(getattr(router, "throttle", None))
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                if router_throttled or operation.throttle_objects:
                    throttled.add(operation.operation_id or api.get_openapi_operation_id(operation))
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
    for methods in schema.get("paths", {}).values():
        for operation in methods.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            wanted = ["400"]
            if operation.get("security"):
                wanted.append("401")
            if "requestBody" in operation:
                wanted.append("413")
            if operation.get("operationId") in throttled:
                wanted.append("429")
            responses = operation["responses"]
            for status in wanted:
                if status not in responses and int(status) not in responses:
                    responses[status] = {"description": COMMON_STATUSES[status], **error}
    return schema
