"""Payments, bills, statements, arrears, member payments, JHT accounts and coverage."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from jamsos.api.auth import ApiRequest, bearer
from jamsos.api.outputs import (
    ArrearsOut,
    BillDetailOut,
    CoverageMonthOut,
    JhtAccountOut,
    JhtReturnsOut,
    MemberStatementOut,
    StatementOut,
)
from jamsos.api.schemas import ERRORS, ErrorOut
from jamsos.contributions.bpu import bpu_payment_request
from jamsos.contributions.coverage import person_coverage
from jamsos.contributions.jakon_pmi import placement_bill_issue, project_bills_issue
from jamsos.contributions.jht import jht_credit_returns, jht_statement
from jamsos.contributions.payments import channel_create, payment_notify
from jamsos.contributions.selectors import (
    access_member_balance,
    arrears,
    bill_detail,
    bill_summary,
    employer_statement,
    jht_balance_read,
    member_statement,
)
from jamsos.core.bounds import bounded_period
from jamsos.core.errors import field_error
from jamsos.core.net import client_address
from jamsos.ledger.services import trial_balance
from jamsos.rules.calc.dates import month_start

router = Router(tags=["payments"], auth=bearer)
notifications_router = Router(tags=["payments"], auth=None)

NOTIFICATION_SCHEMA = {
    "type": "object",
    "required": ["channel", "transaction_id", "payment_code", "amount_idr", "paid_at"],
    "properties": {
        "channel": {"type": "string", "example": "BNI"},
        "transaction_id": {"type": "string", "maxLength": 64},
        "payment_code": {"type": "string", "pattern": "^[0-9]{11}$"},
        "amount_idr": {"type": "integer", "minimum": 1},
        "paid_at": {"type": "string", "format": "date-time"},
        "type": {"type": "string", "enum": ["payment", "reversal"], "default": "payment"},
        "reverses": {"type": "string", "description": "The reversed payment's transaction id."},
    },
}


class NotificationOut(Schema):
    payment_id: int
    channel: str
    transaction_id: str
    type: str
    payment_code: str
    amount_idr: int
    duplicate: bool
    applied_idr: int
    credit_idr: int


@notifications_router.post(
    "/payments/notifications",
    response={
        200: NotificationOut,
        400: ErrorOut,
        401: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        429: ErrorOut,
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": NOTIFICATION_SCHEMA}},
        },
        "parameters": [
            {
                "in": "header",
                "name": "X-Jamsos-Signature",
                "required": True,
                "schema": {"type": "string"},
                "description": "sha256=<hex HMAC-SHA256 of the raw body with the channel secret>",
            }
        ],
    },
)
def notify(request: HttpRequest) -> Any:
    """A bank or gateway notifies a payment (or a reversal). Sent again, it is credited once
    and answered with ``duplicate: true``."""
    result = payment_notify(
        raw_body=request.body,
        signature=request.headers.get("X-Jamsos-Signature", ""),
        address=client_address(request),
    )
    return result.as_json()


class ChannelIn(Schema):
    code: str = Field(max_length=16)
    name: str = Field(default="", max_length=100)
    kind: str = Field(
        default="other",
        max_length=16,
        description="virtual_account, teller, post_office, ewallet or other: bills give "
        "payers the steps for each kind",
    )
    number_prefix: str = Field(
        default="", max_length=8, description="digits a virtual account puts before the code"
    )


class ChannelOut(Schema):
    code: str
    name: str
    secret: str = Field(description="Shown once: give it to the bank; it signs notifications.")


@router.post("/payment-channels", response={201: ChannelOut, **ERRORS})
def channel_add(request: ApiRequest, payload: ChannelIn) -> Any:
    """Register a payment channel (system administrators)."""
    channel, secret = channel_create(
        acting_user=request.user,
        code=payload.code,
        name=payload.name,
        kind=payload.kind,
        number_prefix=payload.number_prefix,
    )
    return Status(201, {"code": channel.code, "name": channel.name, "secret": secret})


class BillOut(Schema):
    payment_code: str
    kind: str
    period: str
    months: int
    instalment: int
    due_on: str
    issued_at: str
    total_idr: int
    paid_idr: int
    outstanding_idr: int
    paid_on: str | None
    status: str


@router.get("/bills/{payment_code}", response={200: BillDetailOut, **ERRORS})
def bill(request: ApiRequest, payment_code: str) -> Any:
    """A bill with its lines (each with basis, rate, rule and legal basis), adjustments,
    fines (with the parts that explain them) and the money applied to it."""
    return bill_detail(request.user, payment_code)


@router.get("/employers/{employer_id}/statement", response={200: StatementOut, **ERRORS})
def statement(request: ApiRequest, employer_id: int) -> Any:
    """Statement of account: bills, payments, fines, what is owed and credit waiting."""
    return employer_statement(request.user, employer_id).as_json()


class ArrearsQuery(Schema):
    branch_office_id: int | None = None


@router.get("/arrears", response={200: list[ArrearsOut], **ERRORS})
def arrears_list(request: ApiRequest, filters: Query[ArrearsQuery]) -> Any:
    """Employers with bills past due, by days past due (1-30, 31-60, 61-90, over 90)."""
    return arrears(request.user, branch_office_id=filters.branch_office_id)


@router.get("/members/{kpj}/payments", response={200: MemberStatementOut, **ERRORS})
def member_payments(request: ApiRequest, kpj: str) -> Any:
    """A member's bills, payments, status, cover end date and JHT balance."""
    return member_statement(request.user, kpj)


class PaymentRequestIn(Schema):
    months: int = Field(ge=1, le=12)


@router.post("/bpu/{kpj}/payment-requests", response={201: BillOut, **ERRORS})
def bpu_pay(request: ApiRequest, kpj: str, payload: PaymentRequestIn) -> Any:
    """An informal member (or their sponsor) asks to pay 1 to 12 months: a bill with its
    payment code. An unpaid earlier request is withdrawn."""
    bill = bpu_payment_request(acting_user=request.user, kpj=kpj, months=payload.months)
    return Status(201, bill_summary(bill))


class InstalmentsIn(Schema):
    instalments: int = Field(default=1, ge=1, le=12)


@router.post("/projects/{project_id}/bills", response={201: list[BillOut], **ERRORS})
def project_bills(request: ApiRequest, project_id: int, payload: InstalmentsIn) -> Any:
    """The project's contribution, whole or in instalments (covered once the first is paid)."""
    bills = project_bills_issue(
        acting_user=request.user,
        project_id=project_id,
        instalments=payload.instalments,
    )
    return Status(201, [bill_summary(b) for b in bills])


class PackageIn(Schema):
    jht_monthly_idr: int | None = None


@router.post("/pmi/placements/{placement_id}/bill", response={201: BillOut, **ERRORS})
def placement_bill(request: ApiRequest, placement_id: int, payload: PackageIn) -> Any:
    """The migrant worker's package bill (optional JHT per month of the contract)."""
    bill = placement_bill_issue(
        acting_user=request.user,
        placement_id=placement_id,
        jht_monthly_idr=payload.jht_monthly_idr,
    )
    return Status(201, bill_summary(bill))


class ReturnsIn(Schema):
    year: int = Field(ge=2015, le=2100)


@router.post("/jht/returns", response={200: JhtReturnsOut, **ERRORS})
def jht_returns(request: ApiRequest, payload: ReturnsIn) -> Any:
    """Credit a year's JHT return to every account (system administrators; idempotent)."""
    return jht_credit_returns(year=payload.year, acting_user=request.user).as_json()


@router.get("/jht/{kpj}", response={200: JhtAccountOut, **ERRORS})
def jht_account(
    request: ApiRequest, kpj: str, year: Annotated[int | None, Query(ge=2000, le=2099)] = None
) -> Any:
    """The JHT balance and the yearly statement (default: last year)."""
    participant = access_member_balance(request.user, kpj)
    year = year or date.today().year - 1
    st = jht_statement(participant, year)
    return {
        "kpj": kpj,
        "balance_idr": jht_balance_read(request.user, participant),
        "statement": {
            "year": year,
            "opening_idr": st.opening_idr,
            "closing_idr": st.closing_idr,
            "return_rate": st.return_rate,
            "return_status": st.return_status,
            "lines": [line.__dict__ for line in st.lines],
        },
    }


class CoverageQuery(Schema):
    first: str = Field(alias="from", description="YYYY-MM")
    last: str = Field(alias="to", description="YYYY-MM")


#: The longest span of months one coverage request shows.
COVERAGE_MAX_MONTHS = 240


@router.get("/members/{kpj}/coverage", response={200: list[CoverageMonthOut], **ERRORS})
def coverage(request: ApiRequest, kpj: str, filters: Query[CoverageQuery]) -> Any:
    """Month by month: the programmes covered and paid, and where each came from."""
    participant = access_member_balance(request.user, kpj)
    first = bounded_period("from", filters.first).first_day
    last = bounded_period("to", filters.last).first_day
    if last < first:
        raise field_error("to", "must not be before from", "tidak boleh sebelum from")
    if (last.year - first.year) * 12 + last.month - first.month >= COVERAGE_MAX_MONTHS:
        raise field_error(
            "to",
            f"at most {COVERAGE_MAX_MONTHS} months after from",
            f"paling lama {COVERAGE_MAX_MONTHS} bulan sesudah from",
            code="period.out_of_range",
        )
    return [m.as_json() for m in person_coverage(participant.person, first, month_start(last))]


@router.get("/ledger/trial-balance", response={200: dict[str, int], **ERRORS})
def ledger_trial_balance(request: ApiRequest) -> Any:
    """Every account's balance (debit positive); they sum to zero. Auditors and admins."""
    return trial_balance(acting_user=request.user)
