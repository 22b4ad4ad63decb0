"""Informal members (BPU): paying 1 to 12 months, the months a payment covers, the status
derived from what is paid, and reminders before a cover ends.

- A member (or the sponsor paying for them) asks to pay ``months`` months: one bill whose
  lines come from the rules of each month, due by the 15th of its first month (moved to a
  working day). A new request withdraws an unpaid earlier one.
- When the bill is paid in full (:mod:`.allocation`), the cover is decided: while the member
  is active or in grace it continues after the last covered month (the grace months are
  filled); after a lapse — more than 3 months unpaid — or before the first payment, cover
  starts on the day of payment, never earlier.
- Status on a day: *awaiting first payment*, *active* (no month past its due date unpaid),
  *in grace* (1 to 3 such months), *lapsed* (more than 3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import cast

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jamsos.accounts.access import require_member
from jamsos.accounts.models import User
from jamsos.accounts.policy import Action
from jamsos.contributions.allocation import Payer, lock_payer
from jamsos.contributions.bills import bill_cancel, bill_issue
from jamsos.contributions.models import Bill, BpuCover, BpuReminder
from jamsos.core.audit import audit_record
from jamsos.core.errors import Conflict, NotFound, field_error
from jamsos.notifications.services import notification_queue
from jamsos.registry.models import BpuMembership, Participant
from jamsos.rules.calc.contributions import bpu_contribution
from jamsos.rules.calc.dates import add_months, bpu_due_date, month_start, period
from jamsos.rules.calc.tables import rule_book

GRACE_MONTHS = 3
STATUS_LABELS = {
    "awaiting_first_payment": _("Awaiting the first payment"),
    "active": _("Active"),
    "grace": _("In grace (unpaid up to 3 months)"),
    "lapsed": _("Lapsed"),
}


@dataclass(frozen=True)
class BpuStatus:
    status: str  # awaiting_first_payment, active, grace, lapsed
    paid_through: date | None  # first day of the last covered month
    cover_end: date | None  # last day of cover
    unpaid_months: int

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])

    def as_json(self) -> dict[str, object]:
        return {
            "status": self.status,
            "label": self.label,
            "paid_through": period(self.paid_through) if self.paid_through else None,
            "cover_end": self.cover_end.isoformat() if self.cover_end else None,
            "unpaid_months": self.unpaid_months,
        }


def month_end(month: date) -> date:
    return add_months(month_start(month), 1) - timedelta(days=1)


def bpu_status(
    participant: Participant, on: date, *, excluding_bill: int | None = None
) -> BpuStatus:
    """The member's status on a day, from the covers their paid bills earned."""
    covers = BpuCover.objects.filter(participant=participant, revoked_at__isnull=True)
    if excluding_bill is not None:
        covers = covers.exclude(bill_id=excluding_bill)
    last = covers.order_by("-last_month").values_list("last_month", flat=True).first()
    if last is None:
        return BpuStatus("awaiting_first_payment", None, None, 0)
    book = rule_book()
    unpaid = 0
    month = add_months(last, 1)
    while month <= month_start(on) and unpaid <= GRACE_MONTHS:
        if bpu_due_date(month, book) < on:
            unpaid += 1
        month = add_months(month, 1)
    status = "active" if unpaid == 0 else "grace" if unpaid <= GRACE_MONTHS else "lapsed"
    return BpuStatus(status, last, month_end(last), unpaid)


def cover_grant(bill: Bill, *, paid_on: date) -> BpuCover:
    """Decide the months a BPU bill paid in full covers (see the module docstring)."""
    # a BPU bill's payer is its participant (the bill_payer_matches_kind constraint)
    participant = Participant.objects.get(pk=cast(int, bill.participant_id))
    before = bpu_status(participant, paid_on, excluding_bill=bill.pk)
    if before.status in ("active", "grace") and before.paid_through is not None:
        first = add_months(before.paid_through, 1)
        cover_from, fresh = first, False
    else:
        first, cover_from, fresh = month_start(paid_on), paid_on, True
    programmes = ",".join(sorted(set(bill.lines.values_list("programme", flat=True))))
    return BpuCover.objects.create(
        participant=participant,
        bill=bill,
        first_month=first,
        last_month=add_months(first, bill.months - 1),
        cover_from=cover_from,
        programmes=programmes,
        fresh_start=fresh,
    )


def _member_for_payment(user: User, kpj: str) -> tuple[Participant, BpuMembership]:
    participant = (
        Participant.objects.select_related("person", "bpu", "bpu__sponsor")
        .filter(kpj=kpj, segment="BPU")
        .first()
    )
    if participant is None or not hasattr(participant, "bpu"):
        raise NotFound(
            f"kpj: no informal member {kpj}",
            message_id=f"kpj: tidak ada peserta BPU {kpj}",
            field="kpj",
        )
    membership = participant.bpu
    require_member(
        user,
        participant,
        Action.MEMBER_PAY,
        not_found=NotFound(
            f"kpj: no informal member {kpj}",
            message_id=f"kpj: tidak ada peserta BPU {kpj}",
            field="kpj",
        ),
    )
    return participant, membership


def bpu_payment_request(
    *, acting_user: User, kpj: str, months: int, today: date | None = None
) -> Bill:
    """A bill for ``months`` months (1 to 12) from the month the member's cover continues in
    (or this month after a lapse); withdraws an unpaid earlier request."""
    today = today or timezone.localdate()
    if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= 12:
        raise field_error("months", "must be 1 to 12", "harus 1 sampai 12")
    with transaction.atomic():
        participant, membership = _member_for_payment(acting_user, kpj)
        payer = Payer(participant_id=participant.pk)
        lock_payer(payer)
        status = bpu_status(participant, today)
        if status.status in ("active", "grace") and status.paid_through is not None:
            start = add_months(status.paid_through, 1)
        else:
            start = month_start(today)
        if start > add_months(month_start(today), 12):
            raise Conflict(
                "months: cover is already paid more than 12 months ahead",
                field="months",
                code="bpu.paid_ahead",
                message_id="months: perlindungan sudah dibayar lebih dari 12 bulan ke depan",
            )
        open_bills = Bill.objects.filter(
            participant=participant, kind="bpu", cancelled_at__isnull=True, paid_on__isnull=True
        )
        for earlier in open_bills:
            if earlier.paid_idr:
                raise Conflict(
                    f"kpj: bill {earlier.payment_code} is partly paid; pay the rest first",
                    field="kpj",
                    code="bpu.partly_paid",
                    message_id=f"kpj: tagihan {earlier.payment_code} sudah dibayar sebagian",
                )
            bill_cancel(earlier)
        book = rule_book()
        programmes = ["JKK", "JKM"] + (["JHT"] if membership.with_jht else [])
        result = bpu_contribution(
            on=start,
            income_idr=membership.declared_income_idr,
            programmes=programmes,
            months=months,
            government_paid=membership.payer_type == "government",
            book=book,
        )
        bill = bill_issue(
            kind="bpu",
            payer=payer,
            period=period(start),
            months=months,
            due_on=max(bpu_due_date(start, book), today),
            lines=result.lines,
        )
        audit_record(
            actor=acting_user,
            action="bpu.payment_request",
            obj=bill,
            after={"kpj": kpj, "months": months, "total_idr": bill.total_idr},
        )
    return bill


def bpu_reminders_send(*, today: date | None = None, days: int = 7) -> int:
    """Queue a reminder to each member (and their sponsor) whose cover ends within ``days``
    days; once per member and cover end, so running it again sends nothing new."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=days)
    # Each member's last covered month, in SQL; only those ending between today and the horizon.
    latest = (
        BpuCover.objects.filter(revoked_at__isnull=True)
        .values("participant_id")
        .annotate(last=Max("last_month"))
        .filter(last__gte=month_start(today), last__lte=month_start(horizon))
        .values_list("participant_id", "last")
    )
    sent = 0
    for pid, last in latest:
        end = month_end(last)
        if not today <= end <= horizon:
            continue
        with transaction.atomic():
            _reminder, created = BpuReminder.objects.get_or_create(
                participant_id=pid, cover_end=end, defaults={"sent_at": timezone.now()}
            )
            if not created:
                continue
            participant = Participant.objects.select_related("person", "bpu__sponsor").get(pk=pid)
            body = (
                f"BPJS Ketenagakerjaan: perlindungan KPJ {participant.kpj} berakhir "
                f"{end:%d-%m-%Y}. Bayar iuran sebelum tanggal 15 agar tetap terlindungi."
            )
            if participant.person.phone:
                notification_queue(
                    channel="sms",
                    recipient=participant.person.phone,
                    kind="bpu_reminder",
                    body=body,
                )
            sponsor = participant.bpu.sponsor if hasattr(participant, "bpu") else None
            if sponsor is not None and sponsor.phone:
                notification_queue(
                    channel="sms", recipient=sponsor.phone, kind="bpu_reminder", body=body
                )
            sent += 1
    return sent
