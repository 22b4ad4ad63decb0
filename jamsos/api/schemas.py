from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from ninja import Schema
from pydantic import AwareDatetime, BeforeValidator, Field

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date_text(value: Any) -> Any:
    # pydantic would take a number as seconds since 1970: a date is written YYYY-MM-DD.
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
        return value
    raise ValueError("must be a date YYYY-MM-DD")


def _datetime_text(value: Any) -> Any:
    if isinstance(value, datetime) or (isinstance(value, str) and _ISO_DATE.match(value)):
        return value
    raise ValueError("must be a date-time YYYY-MM-DDTHH:MM:SS with its UTC offset")


#: Input dates and date-times: ISO text only (never a number), a date-time with its offset.
IsoDate = Annotated[date, BeforeValidator(_date_text)]
IsoDateTime = Annotated[AwareDatetime, BeforeValidator(_datetime_text)]


class ErrorDetail(Schema):
    code: str
    field: str | None
    message: str


class ErrorOut(Schema):
    error: ErrorDetail


def file_response(*media_types: str) -> dict[str, Any]:
    """``openapi_extra`` of an operation that answers a file (CSV, PDF, an image)."""
    content = {m: {"schema": {"type": "string", "format": "binary"}} for m in media_types}
    return {"responses": {200: {"description": "The file", "content": content}}}


#: The error responses every authenticated endpoint documents.
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class WarningOut(Schema):
    """Something accepted but worth a second look (an unknown NIK place, a low wage...)."""

    code: str
    message_en: str
    message_id: str


def warnings_json(items: Any) -> list[dict[str, str]]:
    return [{"code": w.code, "message_en": w.message_en, "message_id": w.message_id} for w in items]


class TokenIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=256)
    label: str = Field(default="", max_length=100)
    otp: str = Field(
        default="",
        max_length=20,
        description="The 6-digit code from the authenticator app, or a recovery code: required "
        "for staff and for users who turned on two-step verification.",
    )


class TokenOut(Schema):
    token: str = Field(description="Shown once; send it as `Authorization: Bearer <token>`.")
    expires_at: datetime


class TokenInfoOut(Schema):
    id: int
    prefix: str
    label: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None = Field(description="Updated at most once a minute.")
    revoked_at: datetime | None


class MeOut(Schema):
    username: str
    full_name: str
    role: str
    branch_office: str | None
    regional_office: str | None
    employers: list[str]


class EmployerOut(Schema):
    id: int
    npp: str
    legal_name: str
    status: str
    status_reason: str
    npwp: str
    sector: str
    size: str
    regency: str | None
    branch_office: str
    regional_office: str
    registered_at: datetime
    verified_at: datetime | None

    @staticmethod
    def resolve_regency(obj: Any) -> str | None:
        return str(obj.regency_id) if obj.regency_id else None

    @staticmethod
    def resolve_branch_office(obj: Any) -> str:
        return str(obj.branch_office.code)

    @staticmethod
    def resolve_regional_office(obj: Any) -> str:
        return str(obj.branch_office.regional_office.code)


class EmployerRegisterIn(Schema):
    legal_name: str = Field(max_length=200)
    npwp: str = Field(max_length=32, description="NPWP, 15 or 16 digits")
    sector: str = Field(max_length=1, description="KBLI section letter A-U")
    size: str = Field(max_length=8, description="micro, small, medium or large")
    regency: str = Field(max_length=5, description="Kemendagri regency code, e.g. 63.71")
    risk_class: int = Field(description="JKK risk class 1-5 (PP 44/2015 Lampiran I)")
    address: str = Field(default="", max_length=500)
    branch_office: str | None = Field(
        default=None, max_length=16, description="Branch code; by default the regency's branch"
    )


class RiskClassIn(Schema):
    risk_class: int
    effective_from: IsoDate
    reason: str = Field(max_length=2000)


class StatusIn(Schema):
    status: str = Field(max_length=16, description="active, inactive or closed")
    reason: str = Field(max_length=2000)


class ReasonIn(Schema):
    reason: str = Field(default="", max_length=2000)


class AuditEventOut(Schema):
    id: int
    occurred_at: datetime
    actor: str
    actor_role: str
    action: str
    object_type: str
    object_id: str
    before: dict[str, object] | None
    after: dict[str, object] | None
    reason: str
    origin: str = Field(description="The client address of the request, or empty")

    @staticmethod
    def resolve_actor(obj: Any) -> str:
        return str(obj.actor_username or "system")
