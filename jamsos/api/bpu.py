"""Public BPU self-registration (from a phone) and phone verification.

No login needed: these are the doors for informal workers. Each is rate-limited per client
address; the one-time code also allows only 5 tries. Sent with a bearer token, a registration
is that user's (a participant's own, a sponsor's, a branch officer's on someone's behalf),
as the access gate allows; a session cookie is never used here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from jamsos.api.auth import ApiRequest, bearer, public_or_bearer
from jamsos.api.schemas import ERRORS, ErrorOut, IsoDate, WarningOut
from jamsos.api.throttles import PUBLIC_RATE
from jamsos.contributions.selectors import sponsored_members
from jamsos.core.net import client_address
from jamsos.registry.enrolment import (
    bpu_register,
    phone_code_resend,
    phone_verify,
    registration_json,
)

router = Router(tags=["bpu"], auth=public_or_bearer)
#: The public doors take a bearer token but do not need one: OpenAPI's way of saying so is an
#: empty requirement beside the scheme (ninja adds the list given here to its own).
PUBLIC_OR_BEARER: dict[str, Any] = {"security": [{}]}  # added to the scheme ninja lists
sponsor_router = Router(tags=["sponsor"], auth=bearer)


class BpuRegistrationIn(Schema):
    nik: str = Field(description="16-digit NIK", max_length=32)
    full_name: str = Field(max_length=200)
    birth_date: IsoDate
    sex: str = Field(description="F or M", max_length=1)
    phone: str = Field(description="Indonesian mobile number", max_length=32)
    occupation: str = Field(
        description="farmer, fisher, trader, online_driver, courier, "
        "household_assistant, freelancer, other",
        max_length=32,
    )
    income_idr: int = Field(description="Declared monthly income, whole rupiah")
    programmes: list[str] = Field(
        default=["JKK", "JKM"], description='["JKK", "JKM"] or with "JHT"'
    )
    payer_type: str = Field(default="self", description="self, sponsor, donor, government")
    payer_group: str = Field(default="", description="SC, SB, SG, SD, SA or SL (government)")


class BpuRegistrationOut(Schema):
    kpj: str
    segment: str
    status: str
    branch_office: str | None
    nominal_idr: int
    phone_verification: str
    warnings: list[WarningOut]


class CodeIn(Schema):
    code: str = Field(min_length=1, max_length=12)


class VerifiedOut(Schema):
    kpj: str
    phone_verified: bool


@router.post(
    "/registrations",
    response={201: BpuRegistrationOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut, 429: ErrorOut},
    throttle=PUBLIC_RATE,
    summary="Register an informal worker (BPU) from a phone",
    openapi_extra=PUBLIC_OR_BEARER,
)
def register(request: HttpRequest, payload: BpuRegistrationIn) -> Any:
    return _register(request, payload)


def _register(
    request: HttpRequest, payload: BpuRegistrationIn, *, sponsored: bool = False
) -> Status[dict[str, Any]]:
    """Self-registration and a sponsor's registration share one service (a sponsor's
    registrations are theirs to pay whatever the payer fields say)."""
    registration = bpu_register(
        sponsored=sponsored,
        acting_user=request.user if request.user.is_authenticated else None,
        nik=payload.nik,
        full_name=payload.full_name,
        birth_date=payload.birth_date,
        sex=payload.sex,
        phone=payload.phone,
        occupation=payload.occupation,
        income_idr=payload.income_idr,
        programmes=payload.programmes,
        payer_type=payload.payer_type,
        payer_group=payload.payer_group,
        address=client_address(request),
    )
    return Status(201, registration_json(registration))


@router.post(
    "/registrations/{kpj}/phone-verification",
    response={200: VerifiedOut, 400: ErrorOut, 404: ErrorOut},
    throttle=PUBLIC_RATE,
    summary="Confirm the phone with the code sent to it",
    openapi_extra=PUBLIC_OR_BEARER,
)
def verify_phone(request: HttpRequest, kpj: str, payload: CodeIn) -> Any:
    phone_verify(kpj=kpj, code=payload.code)
    return {"kpj": kpj, "phone_verified": True}


@router.post(
    "/registrations/{kpj}/phone-code",
    response={202: None, 404: ErrorOut, 409: ErrorOut, 429: ErrorOut},
    throttle=PUBLIC_RATE,
    summary="Send a new code to the phone",
    openapi_extra=PUBLIC_OR_BEARER,
)
def resend_code(request: HttpRequest, kpj: str) -> Any:
    phone_code_resend(kpj=kpj, address=client_address(request))
    return Status(202, None)


class SponsoredOut(Schema):
    kpj: str
    full_name: str
    nik: str
    occupation: str
    with_jht: bool
    status: str
    cover_end_on: date | None
    phone_verified: bool


@sponsor_router.get("/workers", response={200: list[SponsoredOut], **ERRORS})
def sponsored(request: ApiRequest) -> Any:
    """The informal workers you pay for (Sertakan), with their status and cover end date."""
    return sponsored_members(user=request.user)


@sponsor_router.post("/workers", response={201: BpuRegistrationOut, **ERRORS})
def sponsor_register(request: ApiRequest, payload: BpuRegistrationIn) -> Any:
    """Register a worker you will pay for; the code goes to the worker's phone (sponsors)."""
    return _register(request, payload, sponsored=True)
