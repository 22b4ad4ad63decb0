"""Claim documents: the checklist per claim type, uploads checked by their bytes, stored
outside the web root and shown only to those who may see the claim."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from jamsos.accounts.access import claims_visible_to, require
from jamsos.accounts.models import User
from jamsos.accounts.policy import Action
from jamsos.benefits.claims import access_claim, claim_pay_straight_through
from jamsos.benefits.models import Claim, ClaimDocument, ClaimStatus
from jamsos.core.audit import audit_reads, audit_record
from jamsos.core.errors import Conflict, NotFound, field_error

MAX_BYTES = 5 * 1024 * 1024

#: Documents per claim type: Permenaker 4/2022 for JHT (only the KPJ card and KTP at
#: retirement age), Permenaker 2/2022 Pasal 10 and 11 for JHT on disability and death; the
#: other lists follow BPJS Ketenagakerjaan's published claim requirements.
CHECKLISTS: dict[str, tuple[str, ...]] = {
    "jht_leaving_work": ("kpj_card", "ktp", "kk", "proof_of_leaving", "bank_book"),
    "jht_retirement": ("kpj_card", "ktp"),
    "jht_partial_10": ("kpj_card", "ktp"),
    "jht_partial_30": ("kpj_card", "ktp", "housing_loan"),
    "jht_death": ("kpj_card", "death_certificate", "heir_certificate", "ktp_heir", "kk"),
    "jht_total_disability": ("kpj_card", "doctor_statement", "ktp"),
    "jht_leaving_indonesia": ("kpj_card", "passport", "statement_no_longer_working"),
    "jkp": ("proof_of_termination", "ktp", "kk", "bank_book"),
    "jkm": (
        "kpj_card",
        "ktp_deceased",
        "ktp_heir",
        "death_certificate",
        "kk",
        "heir_certificate",
        "bank_book",
    ),
}

SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)


def sniff(content: bytes) -> tuple[str, str] | None:
    """The content type and extension from the first bytes; None for anything else.

    >>> sniff(b"%PDF-1.7 ...")
    ('application/pdf', 'pdf')
    >>> sniff(b"MZ\\x90") is None
    True
    """
    for magic, content_type, ext in SIGNATURES:
        if content.startswith(magic):
            return content_type, ext
    return None


def document_dir() -> Path:
    return Path(getattr(settings, "JAMSOS_DOCUMENT_DIR", settings.VAR_DIR / "documents"))


def document_upload(
    *, acting_user: User, number: str, item: str, filename: str, content: bytes
) -> ClaimDocument:
    """Store a document on a claim's checklist; the same file twice is stored once (the
    claimant, or an officer who handles claims)."""
    claim = access_claim(acting_user, number)
    require(acting_user, Action.CLAIM_DOCUMENT_UPLOAD, code="claim.document_forbidden")
    checklist = CHECKLISTS.get(claim.kind, ())
    if item not in checklist:
        raise field_error(
            "item",
            f"must be one of {', '.join(checklist)}",
            f"harus salah satu dari {', '.join(checklist)}",
        )
    if not documents_open(claim):
        raise Conflict(
            "number: documents are added until the claim is approved",
            message_id="number: dokumen dapat ditambahkan sampai klaim disetujui",
            field="number",
            code="claim.documents_closed",
        )
    if not content or len(content) > MAX_BYTES:
        raise field_error(
            "file", "must be 1 byte to 5 MB", "harus 1 byte sampai 5 MB", code="file.size"
        )
    kind = sniff(content)
    if kind is None:
        raise field_error(
            "file",
            "must be a PDF, JPEG or PNG (checked from the content)",
            "harus PDF, JPEG atau PNG (diperiksa dari isinya)",
            code="file.type",
        )
    content_type, ext = kind
    digest = hashlib.sha256(content).hexdigest()
    existing = ClaimDocument.objects.filter(claim=claim, sha256=digest).first()
    if existing is not None:
        return existing
    folder = document_dir() / claim.number
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{digest}.{ext}"
    path.write_bytes(content)
    try:
        with transaction.atomic():
            document = ClaimDocument.objects.create(
                claim=claim,
                item=item,
                filename=Path(filename or f"{item}.{ext}").name[:200],
                content_type=content_type,
                size=len(content),
                sha256=digest,
                path=str(path.relative_to(document_dir())),
                uploaded_by=acting_user,
                uploaded_at=timezone.now(),
            )
            audit_record(
                actor=acting_user,
                action="claim.document",
                obj=claim,
                after={"item": item, "sha256": digest, "size": len(content)},
            )
            # The last document of a member's own small JHT claim may complete what
            # straight-through payment needs.
            locked = Claim.objects.select_for_update().get(pk=claim.pk)
            try:
                with transaction.atomic():
                    claim_pay_straight_through(locked)
            except Conflict:  # e.g. the balance changed: the claim waits for the officers
                pass
    except IntegrityError:
        return ClaimDocument.objects.get(claim=claim, sha256=digest)
    return document


def document_read(*, acting_user: User, document_id: int) -> tuple[ClaimDocument, bytes]:
    """A document's bytes, for someone who may see its claim; every read is audited against
    the claimant's person (who looked at this person's papers)."""
    # One answer for a document that does not exist and one of a claim out of the user's
    # scope: the refusal never names the claim (its number is not the caller's to learn).
    document = (
        ClaimDocument.objects.select_related("claim__participant__person")
        .filter(pk=document_id, claim__in=claims_visible_to(acting_user))
        .first()
    )
    if document is None:
        raise NotFound(
            "No such document.", message_id="Dokumen tidak ditemukan.", code="document.not_found"
        )
    require(acting_user, Action.CLAIM_DOCUMENT_READ)
    content = (document_dir() / document.path).read_bytes()
    audit_reads(
        actor=acting_user,
        action="claim.document_read",
        objects=[document.claim.participant.person],
        after={"claim": document.claim.number, "document": document.pk, "item": document.item},
    )
    return document, content


#: A claim takes documents until it is approved: while it is checked, sent back, and after the
#: documents were verified (an officer may have gone on without one that arrives later).
DOCUMENTS_OPEN = frozenset({ClaimStatus.SUBMITTED, ClaimStatus.INCOMPLETE, ClaimStatus.VERIFIED})


def documents_open(claim: Claim) -> bool:
    """Whether documents may still be added to the claim."""
    return claim.status in DOCUMENTS_OPEN


def missing_documents(claim: Claim) -> list[str]:
    have = set(claim.documents.values_list("item", flat=True))
    return [item for item in CHECKLISTS.get(claim.kind, ()) if item not in have]
