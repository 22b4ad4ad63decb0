"""Payment notifications from banks and payment gateways.

A channel posts a JSON body signed with HMAC-SHA256 over the raw bytes with its own secret
(header ``X-Jamsos-Signature: sha256=<hex>``)::

    {"channel": "BNI", "transaction_id": "TX-1", "payment_code": "26050000001",
     "amount_idr": 1250000, "paid_at": "2026-06-10T09:30:00+07:00"}

and, to take a payment back, ``"type": "reversal"`` with ``"reverses": "<its transaction id>"``
and the same amount. Each notification is stored once per ``(channel, transaction_id)`` — a
unique constraint, so the same notification sent twice at the same moment is credited once —
then credited to the payer and applied to its oldest unpaid bills (:mod:`.allocation`).
A refused notification (malformed body, unknown channel, wrong signature, unknown code) is
tallied per channel, code, client address and hour in ``PaymentRejectionTally`` (the first few
of each kept one by one in ``PaymentRejection``) and logged; nothing is credited. An address
with too many refusals in an hour is refused unread.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from jamsos.accounts.access import require_operator
from jamsos.accounts.models import User
from jamsos.accounts.policy import Action
from jamsos.contributions.allocation import Payer, allocate, lock_payer, payer_credit
from jamsos.contributions.models import (
    Bill,
    ChannelKind,
    Payment,
    PaymentChannel,
    PaymentRejection,
    PaymentRejectionTally,
    SettlementFile,
)
from jamsos.core.audit import audit_record
from jamsos.core.bounds import MONEY_CEILING_IDR, PAID_AT_WINDOW
from jamsos.core.errors import (
    Conflict,
    DomainError,
    NotFound,
    TooManyRequests,
    check_choice,
    field_error,
)
from jamsos.core.throttle import Rate, throttle_count, throttle_hit
from jamsos.ledger.models import Account, PostingKind
from jamsos.ledger.services import LegSpec, post

log = logging.getLogger("jamsos.payments")


class NotificationRefused(DomainError):
    """A payment notification that cannot be accepted; nothing was credited."""

    status = 400
    default_code = "payment.malformed"
    channel_code = ""  # the channel that sent it, once known (set by _refuse)


class SignatureRefused(NotificationRefused):
    status = 401
    default_code = "payment.bad_signature"


class UnknownReference(NotificationRefused):
    """The payment code, or the transaction a reversal names, is not known."""

    status = 404
    default_code = "payment.unknown_code"


@dataclass(frozen=True)
class NotificationResult:
    payment: Payment
    duplicate: bool
    applied_idr: int
    credit_idr: int

    def as_json(self) -> dict[str, Any]:
        p = self.payment
        return {
            "payment_id": p.pk,
            "channel": p.channel.code,
            "transaction_id": p.transaction_id,
            "type": p.kind,
            "payment_code": p.bill.payment_code,
            "amount_idr": p.amount_idr,
            "duplicate": self.duplicate,
            "applied_idr": self.applied_idr,
            "credit_idr": self.credit_idr,
        }


def sign(secret: str, body: bytes) -> str:
    """The signature header value a channel sends for ``body``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def channel_create(
    *,
    acting_user: User | None,
    code: str,
    name: str,
    kind: str = ChannelKind.OTHER,
    number_prefix: str = "",
) -> tuple[PaymentChannel, str]:
    """Register a channel; returns it and its new secret (shown once, to give the bank).
    ``kind`` says how payers reach it (bills show instructions for each kind) and
    ``number_prefix`` the digits a virtual account puts before the payment code.
    ``acting_user`` None is the operator at the command line."""
    require_operator(acting_user, Action.CHANNEL_CREATE)
    code = (code or "").strip().upper()
    if not code or len(code) > 16 or not code.replace("-", "").isalnum():
        raise field_error(
            "code", "must be 1-16 letters, digits or -", "harus 1-16 huruf, angka atau -"
        )
    check_choice("kind", kind, ChannelKind.values)
    number_prefix = (number_prefix or "").strip()
    if number_prefix and not (
        len(number_prefix) <= 8 and number_prefix.isascii() and number_prefix.isdigit()
    ):
        raise field_error("number_prefix", "must be 1-8 digits", "harus 1-8 angka")
    secret = secrets.token_hex(32)
    with transaction.atomic():
        if PaymentChannel.objects.filter(code=code).exists():
            raise Conflict(
                f"code: channel {code} exists",
                message_id=f"code: kanal {code} sudah ada",
                field="code",
                code="channel.exists",
            )
        channel = PaymentChannel.objects.create(
            code=code,
            name=(name or code).strip()[:100],
            kind=kind,
            number_prefix=number_prefix,
            secret=secret,
            created_at=timezone.now(),
        )
        audit_record(
            actor=acting_user,
            action="payment_channel.create",
            obj=channel,
            after={"kind": kind, "number_prefix": number_prefix},
        )
    return channel, secret


def _refuse(exc: NotificationRefused, body: bytes, channel_code: str = "") -> NotificationRefused:
    """Mark the refusal with its channel; :func:`payment_notify` records it once it is out of
    every transaction (a refusal is recorded even though nothing else is)."""
    exc.channel_code = channel_code[:32]
    return exc


#: Refused notifications from one address in an hour before it is refused unread (429).
REFUSALS_PER_ADDRESS = Rate(60, 3600)
#: Refusals kept one by one (with an excerpt of the body) per channel, code, address and hour;
#: past that only the hour's tally grows.
SAMPLES_PER_HOUR = 5


def _record_refusal(exc: NotificationRefused, body: bytes, address: str) -> None:
    channel_code = getattr(exc, "channel_code", "")
    now = timezone.now()
    hour = now.replace(minute=0, second=0, microsecond=0)
    with transaction.atomic():
        if address:
            throttle_hit("payments.refused", address, REFUSALS_PER_ADDRESS)
        key = {"hour": hour, "channel_code": channel_code, "code": exc.code, "address": address}
        if not PaymentRejectionTally.objects.filter(**key).update(
            count=F("count") + 1, last_at=now
        ):
            try:
                with transaction.atomic():
                    PaymentRejectionTally.objects.create(**key, count=1, last_at=now)
            except IntegrityError:  # another worker counted the hour's first
                PaymentRejectionTally.objects.filter(**key).update(
                    count=F("count") + 1, last_at=now
                )
        count = PaymentRejectionTally.objects.filter(**key).values_list("count", flat=True)[0]
        if count <= SAMPLES_PER_HOUR:
            PaymentRejection.objects.create(
                received_at=now,
                channel_code=channel_code,
                address=address,
                code=exc.code,
                message=exc.message[:300],
                body_sha256=hashlib.sha256(body).hexdigest(),
                body_excerpt=body[:500].decode("utf-8", errors="replace"),
            )
    log.warning(
        "payment notification refused: %s %s (channel %r, address %s)",
        exc.code,
        exc.message,
        channel_code,
        address,
    )


def payment_notify(
    *,
    raw_body: bytes,
    signature: str,
    address: str = "",
    received_at: datetime | None = None,
) -> NotificationResult:
    """Verify, store once and apply one notification (see the module docstring).

    A refusal is tallied per channel, code, client address and hour (the first few kept with
    an excerpt of the body, ``PaymentRejection``); an address with too many refusals in the
    hour is refused unread (``payment.too_many_refused``, 429). ``received_at`` is now; the
    demo's replay of past months gives the moment it simulates."""
    hit = throttle_count("payments.refused", address, REFUSALS_PER_ADDRESS) if address else None
    if hit is not None and hit.count >= hit.limit:
        raise TooManyRequests(
            "too many refused notifications from this address; try again later",
            code="payment.too_many_refused",
            message_id="terlalu banyak notifikasi yang ditolak dari alamat ini; coba lagi nanti",
            retry_after=hit.retry_after,
        )
    try:
        return _notify(raw_body=raw_body, signature=signature, received_at=received_at)
    except NotificationRefused as exc:
        _record_refusal(exc, raw_body, address)
        raise


def paid_at_window() -> tuple[timedelta, timedelta]:
    """How far before and after its receipt a payment may say it was paid (docs/payments.md);
    ``JAMSOS_PAID_AT_MAX_AGE_DAYS`` widens or narrows the days before."""
    max_age, max_ahead = PAID_AT_WINDOW
    days = getattr(settings, "JAMSOS_PAID_AT_MAX_AGE_DAYS", None)
    return (timedelta(days=days) if days is not None else max_age), max_ahead


def _field(data: dict[str, Any], name: str, kind: type, body: bytes, channel: str) -> Any:
    value = data.get(name)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise _refuse(
            NotificationRefused(
                f"{name}: is required and must be a {kind.__name__}",
                field=name,
                message_id=f"{name}: wajib diisi dan harus {kind.__name__}",
            ),
            body,
            channel,
        )
    return value


def _notify(
    *, raw_body: bytes, signature: str, received_at: datetime | None = None
) -> NotificationResult:
    received_at = received_at or timezone.now()
    try:
        data = json.loads(raw_body)
        if not isinstance(data, dict):
            raise ValueError("not an object")
    except ValueError:
        raise _refuse(
            NotificationRefused(
                "body: must be a JSON object", field="body", message_id="body: harus objek JSON"
            ),
            raw_body,
        ) from None
    code = str(data.get("channel") or "")
    channel = PaymentChannel.objects.filter(code=code, active=True).first()
    if channel is None:
        raise _refuse(
            SignatureRefused(
                f"channel: unknown or inactive channel {code!r}",
                field="channel",
                code="payment.unknown_channel",
                message_id=f"channel: kanal {code!r} tidak dikenal atau tidak aktif",
            ),
            raw_body,
            code,
        )
    expected = sign(channel.secret, raw_body)
    given = (signature or "").strip()
    if not given.startswith("sha256="):
        given = "sha256=" + given
    if not hmac.compare_digest(expected, given):
        raise _refuse(
            SignatureRefused(
                "X-Jamsos-Signature: does not match the body (HMAC-SHA256 with the channel secret)",
                field="X-Jamsos-Signature",
                message_id="X-Jamsos-Signature: tidak cocok dengan isi (HMAC-SHA256 kunci kanal)",
            ),
            raw_body,
            code,
        )
    kind = data.get("type", "payment")
    if kind not in ("payment", "reversal"):
        raise _refuse(
            NotificationRefused(
                "type: must be payment or reversal",
                field="type",
                message_id="type: harus payment atau reversal",
            ),
            raw_body,
            code,
        )
    txn = _field(data, "transaction_id", str, raw_body, code).strip()
    if not txn or len(txn) > 64:
        raise _refuse(
            NotificationRefused(
                "transaction_id: must be 1-64 characters",
                field="transaction_id",
                message_id="transaction_id: harus 1-64 karakter",
            ),
            raw_body,
            code,
        )
    payment_code = _field(data, "payment_code", str, raw_body, code)
    amount = _field(data, "amount_idr", int, raw_body, code)
    if amount <= 0:
        raise _refuse(
            NotificationRefused(
                "amount_idr: must be above 0 (a reversal gives the original amount)",
                field="amount_idr",
                message_id="amount_idr: harus di atas 0 (pembatalan memakai jumlah asal)",
            ),
            raw_body,
            code,
        )
    if amount > MONEY_CEILING_IDR["payment"]:
        ceiling = MONEY_CEILING_IDR["payment"]
        raise _refuse(
            NotificationRefused(
                f"amount_idr: must be at most {ceiling:,}",
                field="amount_idr",
                code="amount.out_of_range",
                message_id=f"amount_idr: paling banyak {ceiling:,}".replace(",", "."),
            ),
            raw_body,
            code,
        )
    try:
        paid_at = datetime.fromisoformat(_field(data, "paid_at", str, raw_body, code))
        if paid_at.tzinfo is None:
            raise ValueError("no offset")
    except ValueError:
        raise _refuse(
            NotificationRefused(
                "paid_at: must be an ISO 8601 date-time with its UTC offset",
                field="paid_at",
                message_id="paid_at: harus tanggal-waktu ISO 8601 dengan zona waktu",
            ),
            raw_body,
            code,
        ) from None
    max_age, max_ahead = paid_at_window()
    if not received_at - max_age <= paid_at <= received_at + max_ahead:
        raise _refuse(
            NotificationRefused(
                f"paid_at: must be at most {max_age.days} days before it is notified "
                "and not after it",
                field="paid_at",
                code="payment.paid_at_out_of_range",
                message_id=f"paid_at: paling lama {max_age.days} hari sebelum diberitahukan "
                "dan tidak sesudahnya",
            ),
            raw_body,
            code,
        )
    bill = Bill.objects.filter(payment_code=payment_code).first()
    if bill is None:
        raise _refuse(
            UnknownReference(
                f"payment_code: no bill has code {payment_code!r}",
                field="payment_code",
                code="payment.unknown_code",
                message_id=f"payment_code: tidak ada tagihan dengan kode {payment_code!r}",
            ),
            raw_body,
            code,
        )
    reverses = None
    if kind == "reversal":
        original_txn = _field(data, "reverses", str, raw_body, code)
        reverses = Payment.objects.filter(
            channel=channel, transaction_id=original_txn, kind="payment"
        ).first()
        if reverses is None or reverses.bill_id != bill.pk or reverses.amount_idr != amount:
            raise _refuse(
                UnknownReference(
                    "reverses: no payment of this channel, code and amount has that id",
                    field="reverses",
                    code="payment.unknown_transaction",
                    message_id="reverses: tidak ada pembayaran kanal, kode dan jumlah ini",
                ),
                raw_body,
                code,
            )
        taken = Payment.objects.filter(reverses=reverses).exclude(transaction_id=txn).first()
        if taken is not None:
            raise Conflict(
                f"reverses: already reversed by {taken.transaction_id}",
                field="reverses",
                code="payment.already_reversed",
                message_id=f"reverses: sudah dibatalkan oleh {taken.transaction_id}",
            )
    digest = hashlib.sha256(raw_body).hexdigest()
    payer = Payer.of(bill)
    known = Payment.objects.filter(channel=channel, transaction_id=txn).first()
    if known is not None:  # the common repeat, answered without locking; the constraint decides
        return _repeat(known, digest, payer, bill=bill, amount=amount)
    try:
        with transaction.atomic():
            lock_payer(payer)
            payment = Payment.objects.create(
                channel=channel,
                transaction_id=txn,
                kind=kind,
                reverses=reverses,
                bill=bill,
                employer_id=payer.employer_id,
                participant_id=payer.participant_id,
                amount_idr=amount if kind == "payment" else -amount,
                paid_at=paid_at,
                received_at=received_at,
                body_sha256=digest,
            )
            signed = payment.amount_idr
            post(
                kind=PostingKind.PAYMENT if kind == "payment" else PostingKind.REVERSAL,
                source_id=payment.pk,
                effective_on=timezone.localdate(paid_at),
                legs=[
                    LegSpec(Account.CASH, signed, channel=channel.code),
                    payer.leg(Account.PAYER_CREDIT, -signed),
                ],
                memo=f"{channel.code} {txn}",
            )
            applied = allocate(payer, on=timezone.localdate(paid_at))
            credit = payer_credit(payer)
            audit_record(
                actor=None,
                action=f"payment.{kind}",
                obj=payment,
                after={
                    "amount_idr": payment.amount_idr,
                    "applied_idr": applied,
                    "credit_idr": credit,
                },
            )
    except IntegrityError:
        existing = Payment.objects.filter(channel=channel, transaction_id=txn).first()
        if existing is not None:
            return _repeat(existing, digest, payer, bill=bill, amount=amount)
        if reverses is not None:  # a reversal of the same payment committed first
            taken = Payment.objects.filter(reverses=reverses).first()
            if taken is not None:
                raise Conflict(
                    f"reverses: already reversed by {taken.transaction_id}",
                    field="reverses",
                    code="payment.already_reversed",
                    message_id=f"reverses: sudah dibatalkan oleh {taken.transaction_id}",
                ) from None
        raise  # pragma: no cover - another constraint failed: a real error
    return NotificationResult(payment, False, applied, credit)


def _repeat(
    existing: Payment, digest: str, payer: Payer, *, bill: Bill, amount: int
) -> NotificationResult:
    """A notification already stored: the same body is a duplicate, another is refused. A
    payment a settlement file posted first (its digest is the file's) is a duplicate of a
    notification of the same code and amount that arrives after it."""
    settled = (
        existing.kind == "payment"
        and existing.bill_id == bill.pk
        and existing.amount_idr == amount
        and SettlementFile.objects.filter(
            channel_id=existing.channel_id, sha256=existing.body_sha256
        ).exists()
    )
    if existing.body_sha256 != digest and not settled:
        raise Conflict(
            "transaction_id: already used by this channel for a different notification",
            field="transaction_id",
            code="payment.transaction_reused",
            message_id="transaction_id: sudah dipakai kanal ini untuk notifikasi lain",
        )
    return NotificationResult(existing, True, 0, payer_credit(payer))


def payments_of(payer: Payer) -> list[Payment]:
    return list(
        Payment.objects.filter(**payer.filters)
        .select_related("channel", "bill")
        .order_by("-paid_at")
    )


def bill_by_code(payment_code: str) -> Bill:
    bill = Bill.objects.filter(payment_code=payment_code).first()
    if bill is None:
        raise NotFound(
            f"payment_code: no bill {payment_code}",
            message_id=f"payment_code: tidak ada tagihan {payment_code}",
            field="payment_code",
        )
    return bill
