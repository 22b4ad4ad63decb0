"""Reading claims: one claim as JSON with its explanation and history, and the officer's queue
ordered by service deadline."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from jamsos.accounts.access import claims_visible_to, require
from jamsos.accounts.models import User
from jamsos.accounts.policy import Action
from jamsos.benefits.claims import second_approval_needed
from jamsos.benefits.documents import missing_documents
from jamsos.benefits.models import Claim, ClaimStatus

OPEN = (ClaimStatus.SUBMITTED, ClaimStatus.INCOMPLETE, ClaimStatus.VERIFIED, ClaimStatus.APPROVED)


def claim_json(claim: Claim, *, full: bool = False) -> dict[str, Any]:
    today = timezone.localdate()
    data: dict[str, Any] = {
        "number": claim.number,
        "kind": claim.kind,
        "kind_label": str(claim.get_kind_display()),
        "programme": claim.programme,
        "kpj": claim.participant.kpj,
        "name": claim.participant.person.full_name,
        "status": claim.status,
        "status_label": str(claim.get_status_display()),
        "event_on": claim.event_on.isoformat(),
        "filed_at": claim.filed_at.isoformat(),
        "due_on": claim.due_on.isoformat() if claim.due_on else None,
        "overdue": bool(claim.due_on and claim.status in OPEN and claim.due_on < today),
        "gross_idr": claim.gross_idr,
        "tax_idr": claim.tax_idr,
        "net_idr": claim.net_idr,
        "reasons": claim.reasons,
        "possible_from": claim.possible_from.isoformat() if claim.possible_from else None,
        "second_approval_needed": second_approval_needed(claim) and not claim.second_approved_by_id,
    }
    if full:
        data.update(
            {
                "calculation": claim.calculation,
                "paid_to": {
                    "name": claim.claimant_name,
                    "relation": claim.claimant_relation,
                    "bank": claim.bank_code,
                    "account": claim.bank_account,
                },
                "documents": [
                    {"id": d.pk, "item": d.item, "filename": d.filename, "size": d.size}
                    for d in claim.documents.order_by("pk")
                ],
                "missing_documents": missing_documents(claim),
                "history": [
                    {
                        "at": e.at.isoformat(),
                        "from": e.from_status,
                        "to": e.to_status,
                        "action": e.action,
                        "by": e.actor.username if e.actor else "system",
                        "note": e.note,
                    }
                    for e in claim.events.select_related("actor").order_by("at", "pk")
                ],
                "payout": (
                    {
                        "amount_idr": claim.payout.amount_idr,
                        "instructed_at": claim.payout.instructed_at.isoformat(),
                    }
                    if hasattr(claim, "payout")
                    else None
                ),
            }
        )
    return data


def claim_queue(user: User, *, programme: str = "") -> list[dict[str, Any]]:
    """Open claims in the officer's scope, the most urgent service deadline first."""
    require(
        user,
        Action.CLAIM_QUEUE,
        code="claims.forbidden",
        message="The claims queue is an officer's.",
        message_id="Antrean klaim adalah milik petugas.",
    )
    claims = claims_visible_to(user).filter(status__in=OPEN)
    if programme:
        claims = claims.filter(programme=programme)
    return [claim_json(c) for c in claims.order_by("due_on", "filed_at")[:500]]
