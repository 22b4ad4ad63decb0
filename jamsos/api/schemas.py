from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema
from pydantic import Field


class ErrorDetail(Schema):
    code: str
    field: str | None
    message: str


class ErrorOut(Schema):
    error: ErrorDetail


class TokenIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=256)
    label: str = Field(default="", max_length=100)


class TokenOut(Schema):
    token: str


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
    branch_office: str
    regional_office: str
    registered_at: datetime
    verified_at: datetime | None

    @staticmethod
    def resolve_branch_office(obj: Any) -> str:
        return str(obj.branch_office.code)

    @staticmethod
    def resolve_regional_office(obj: Any) -> str:
        return str(obj.branch_office.regional_office.code)


class EmployerRegisterIn(Schema):
    legal_name: str = Field(min_length=1, max_length=200)
    branch_office: str = Field(min_length=1, max_length=16, description="Branch office code")


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

    @staticmethod
    def resolve_actor(obj: Any) -> str:
        return str(obj.actor_username or "system")
