"""Claims: file (member or officer), follow, decide, upload documents, the officer's queue
and the day's payout file."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from jamsos.accounts.access import claims_visible_to
from jamsos.api.auth import ApiRequest, bearer
from jamsos.api.outputs import AccidentOut, ClaimDetailOut, ClaimOut, DocumentUploadedOut
from jamsos.api.schemas import ERRORS, IsoDate, IsoDateTime, file_response
from jamsos.benefits.accidents import (
    accident_close,
    accident_reimbursement,
    accident_report,
    accident_stmb_month,
    accidents_visible_to,
)
from jamsos.benefits.claims import (
    ClaimRequest,
    access_claim,
    claim_file,
    claim_transition,
)
from jamsos.benefits.documents import document_read, document_upload, missing_documents
from jamsos.benefits.models import AccidentReport, Claim
from jamsos.benefits.payouts import payouts_export
from jamsos.benefits.selectors import claim_json, claim_queue
from jamsos.core.exports import attachment

router = Router(tags=["claims"], auth=bearer)


class ClaimIn(Schema):
    kpj: str = Field(max_length=11)
    kind: str = Field(
        max_length=24,
        description="jht_leaving_work, jht_retirement, jht_partial_10, jht_partial_30, "
        "jht_death, jht_total_disability, jht_leaving_indonesia, jkp, jkm, jp_old_age, "
        "jp_disability, jp_survivor",
    )
    bank_code: str = Field(max_length=16)
    bank_account: str = Field(max_length=34)
    claimant_name: str = Field(default="", max_length=200, description="heir for JKM")
    claimant_relation: str = Field(default="self", max_length=40)
    event_on: IsoDate | None = Field(
        default=None, description="JKM, JP and JHT death/disability/departure: the event date"
    )
    children: list[str] = Field(default_factory=list, description="JKM scholarships: levels")


@router.post("/claims", response={201: ClaimOut, **ERRORS})
def file_claim(request: ApiRequest, payload: ClaimIn) -> Any:
    """File a claim; it is decided from the records at once (201 either way): an eligible claim
    waits for the branch, a refused one carries its reasons and the date it can be filed again."""
    claim = claim_file(
        acting_user=request.user,
        request=ClaimRequest(
            kpj=payload.kpj,
            kind=payload.kind,
            bank_code=payload.bank_code,
            bank_account=payload.bank_account,
            claimant_name=payload.claimant_name,
            claimant_relation=payload.claimant_relation,
            event_on=payload.event_on,
            children=tuple(payload.children),
        ),
    )
    return Status(201, claim_json(claim))


@router.get("/claims", response={200: list[ClaimOut], **ERRORS})
def list_claims(request: ApiRequest, status: str = "") -> Any:
    """Your claims (a member), or your branch's (an officer)."""
    claims = claims_visible_to(request.user).order_by("-filed_at")
    if status:
        claims = claims.filter(status=status)
    return [claim_json(c) for c in claims[:200]]


@router.get("/claims/queue", response={200: list[ClaimOut], **ERRORS})
def queue(request: ApiRequest, programme: str = "") -> Any:
    """Open claims by service deadline, with overdue flags (officers)."""
    return claim_queue(request.user, programme=programme)


@router.get(
    "/claims/payouts.csv", response={200: None, **ERRORS}, openapi_extra=file_response("text/csv")
)
def payouts_file(request: ApiRequest, day: IsoDate | None = None) -> HttpResponse:
    """The day's payout instructions for the bank (claims officers and administrators)."""
    day = day or timezone.localdate()
    content = payouts_export(acting_user=request.user, day=day)
    response = HttpResponse(content, content_type="text/csv")
    response["Content-Disposition"] = attachment(f"payouts-{day.isoformat()}.csv")
    return response


@router.get("/claims/{number}", response={200: ClaimDetailOut, **ERRORS})
def claim_detail(request: ApiRequest, number: str) -> Any:
    """A claim with its calculation, reasons, documents, missing documents and history."""
    claim = access_claim(request.user, number)
    return claim_json(claim, full=True)


class TransitionIn(Schema):
    action: str = Field(
        max_length=20,
        description="verify, incomplete, resubmit, approve, second_approve, pay, reject",
    )
    note: str = Field(default="", max_length=2000)
    override_reason: str = Field(
        default="",
        max_length=2000,
        description="verify and approve: why the claim may go on while documents of its "
        "checklist are missing (recorded and audited); without it they are refused",
    )


@router.post("/claims/{number}/transitions", response={200: ClaimDetailOut, **ERRORS})
def transition(request: ApiRequest, number: str, payload: TransitionIn) -> Any:
    claim = claim_transition(
        acting_user=request.user,
        number=number,
        action=payload.action,
        note=payload.note,
        override_reason=payload.override_reason,
    )
    return claim_json(claim, full=True)


@router.post("/claims/{number}/documents", response={201: DocumentUploadedOut, **ERRORS})
def upload(request: ApiRequest, number: str, item: Form[str], file: File[UploadedFile]) -> Any:
    """Upload one checklist document (PDF, JPEG or PNG; at most 5 MB; type read from bytes)."""
    document = document_upload(
        acting_user=request.user,
        number=number,
        item=item,
        filename=file.name or "",
        content=file.read(5 * 1024 * 1024 + 1),
    )
    claim = Claim.objects.get(pk=document.claim_id)
    return Status(
        201,
        {
            "id": document.pk,
            "item": document.item,
            "content_type": document.content_type,
            "size": document.size,
            "missing": missing_documents(claim),
        },
    )


@router.get(
    "/claims/documents/{document_id}",
    response={200: None, **ERRORS},
    openapi_extra=file_response("application/pdf", "image/jpeg", "image/png"),
)
def download(request: ApiRequest, document_id: int) -> HttpResponse:
    document, content = document_read(acting_user=request.user, document_id=document_id)
    response = HttpResponse(content, content_type=document.content_type)
    response["Content-Disposition"] = attachment(document.filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


class AccidentIn(Schema):
    employment_id: int
    occurred_at: IsoDateTime
    place: str = Field(max_length=200)
    description: str = Field(max_length=5000)


class AccidentCloseIn(Schema):
    case: str = Field(
        max_length=20, description="stmb, partial_disability, total_disability, death"
    )
    stmb_months: int = 0
    disability_percent: str | None = Field(default=None, max_length=8)
    bank_code: str = Field(max_length=16)
    bank_account: str = Field(max_length=34)
    claimant_name: str = Field(default="", max_length=200)


def _accident_json(report: AccidentReport) -> dict[str, Any]:
    return {
        "number": report.number,
        "kpj": report.employment.participant.kpj,
        "occurred_at": report.occurred_at.isoformat(),
        "reported_at": report.reported_at.isoformat(),
        "deadline_at": report.deadline_at.isoformat() if report.deadline_at else None,
        "late": report.late,
        "closed": report.closed_at is not None,
        "case": report.case or None,
        "claim": report.claim.number if report.claim else None,
    }


@router.post("/accidents", response={201: AccidentOut, **ERRORS})
def report_accident(request: ApiRequest, payload: AccidentIn) -> Any:
    """Stage I: the employer reports a work accident (due within 2 x 24 hours)."""
    report = accident_report(
        acting_user=request.user,
        employment_id=payload.employment_id,
        occurred_at=payload.occurred_at,
        place=payload.place,
        description=payload.description,
    )
    return Status(201, _accident_json(report))


@router.get("/accidents", response={200: list[AccidentOut], **ERRORS})
def list_accidents(request: ApiRequest) -> Any:
    reports = accidents_visible_to(request.user).order_by("-occurred_at")[:200]
    return [_accident_json(r) for r in reports]


@router.post("/accidents/{number}/close", response={201: ClaimDetailOut, **ERRORS})
def close_accident(request: ApiRequest, number: str, payload: AccidentCloseIn) -> Any:
    """Stage II: the case is closed; the JKK claim is filed and decided from the records."""
    claim = accident_close(
        acting_user=request.user,
        number=number,
        case=payload.case,
        stmb_months=payload.stmb_months,
        disability_percent=payload.disability_percent,
        bank_code=payload.bank_code,
        bank_account=payload.bank_account,
        claimant_name=payload.claimant_name,
    )
    return Status(201, claim_json(claim, full=True))


class TransportIn(Schema):
    mode: str = Field(max_length=8, description="land, sea or air")
    cost_idr: int


class CostsIn(Schema):
    transport: list[TransportIn] = Field(default_factory=list)
    home_care_cost_idr: int = 0
    bank_code: str = Field(max_length=16)
    bank_account: str = Field(max_length=34)


@router.post("/accidents/{number}/costs", response={201: ClaimDetailOut, **ERRORS})
def accident_costs(request: ApiRequest, number: str, payload: CostsIn) -> Any:
    """The employer claims back transport and home-care costs, within their caps."""
    claim = accident_reimbursement(
        acting_user=request.user,
        number=number,
        transport=[(t.mode, t.cost_idr) for t in payload.transport],
        home_care_cost_idr=payload.home_care_cost_idr,
        bank_code=payload.bank_code,
        bank_account=payload.bank_account,
    )
    return Status(201, claim_json(claim, full=True))


class StmbMonthIn(Schema):
    month: str = Field(max_length=7, description="YYYY-MM")
    bank_code: str = Field(max_length=16)
    bank_account: str = Field(max_length=34)


@router.post("/accidents/{number}/stmb", response={201: ClaimDetailOut, **ERRORS})
def accident_stmb(request: ApiRequest, number: str, payload: StmbMonthIn) -> Any:
    """While the case is open: the STMB of one month, to the employer (once per month)."""
    claim = accident_stmb_month(
        acting_user=request.user,
        number=number,
        month=payload.month,
        bank_code=payload.bank_code,
        bank_account=payload.bank_account,
    )
    return Status(201, claim_json(claim, full=True))
