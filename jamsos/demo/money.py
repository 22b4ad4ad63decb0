"""``jamsos demo --months N``: bills and payments for the last N months of the demo region, so
that statements, arrears, member cover and JHT balances have something to show.

Month by month, oldest first: the billing run, then a signed notification from the demo bank
for most bills — on time for most employers, late for some (fined on the next bill), never for
a few (arrears). The demo participant pays for her own informal membership. Everything goes
through the same services as real payments (payment notifications, allocation, fines, ledger),
so it is as slow as they are: meant for small demo scales. Deterministic for a seed; running it
again pays nothing twice (transaction ids repeat, and are recognised).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from jamsos.accounts.models import User
from jamsos.contributions.billing import billing_run
from jamsos.contributions.bpu import bpu_payment_request
from jamsos.contributions.models import Bill, PaymentChannel
from jamsos.contributions.payments import channel_create, payment_notify, sign
from jamsos.registry.models import Participant
from jamsos.rules.calc.dates import add_months, month_start, period

CHANNEL = "DEMO-BANK"
Progress = Callable[[str, int, int], None]


def _secret() -> str:
    channel = PaymentChannel.objects.filter(code=CHANNEL).first()
    if channel is None:
        admin = User.objects.get(username="admin")
        channel, secret = channel_create(acting_user=admin, code=CHANNEL, name="Demo bank")
        return secret
    return channel.secret


def _notify(secret: str, bill: Bill, amount: int, paid: date, txn: str) -> bool:
    """Send one signed notification; True when it was new (not a repeat)."""
    moment = timezone.make_aware(datetime.combine(paid, time(10, 0)))
    raw = json.dumps(
        {
            "channel": CHANNEL,
            "transaction_id": txn,
            "payment_code": bill.payment_code,
            "amount_idr": amount,
            "paid_at": moment.isoformat(),
        }
    ).encode()
    # Replaying history: the bank notifies at the moment it simulates.
    result = payment_notify(raw_body=raw, signature=sign(secret, raw), received_at=moment)
    return not result.duplicate


def _bpu_history(
    secret: str, first: date, today: date, seed: int, limit: int, progress: Progress
) -> int:
    """Informal members of the region pay for themselves (or their sponsor does) through the
    payment service: most join in a month of the window and pay 1, 3 or 6 months, and most
    renew when the cover runs out — some lapse, so retention has something to show. At most
    ``limit`` members (the first by card), since each payment costs what a real one does."""
    admin = User.objects.get(username="admin")
    members = list(
        Participant.objects.filter(segment="BPU", bpu__isnull=False, person__user__isnull=True)
        .order_by("pk")
        .values_list("kpj", flat=True)[:limit]
    )
    span = max((today.year - first.year) * 12 + today.month - first.month, 1)
    payments = 0
    for done, kpj in enumerate(members, start=1):
        if Bill.objects.filter(participant__kpj=kpj, kind="bpu").exists():
            continue  # paid in an earlier run
        rng = random.Random(f"{seed}:bpu:{kpj}")  # noqa: S311 - demo data
        if rng.random() < 0.15:
            continue  # registered, never paid
        on = min(
            add_months(first, rng.randrange(span)) + timedelta(days=rng.randrange(0, 20)), today
        )
        while on <= today:
            months = rng.choice((1, 1, 3, 3, 6))
            bill = bpu_payment_request(acting_user=admin, kpj=kpj, months=months, today=on)
            if _notify(secret, bill, bill.total_idr, on, f"DEMO-{bill.payment_code}"):
                payments += 1
            if rng.random() < 0.25:
                break  # lapses
            on = add_months(month_start(on), months) + timedelta(days=rng.randrange(0, 10))
        if done % 50 == 0 or done == len(members):
            progress("pay BPU", done, len(members))
    return payments


def demo_money_generate(
    *,
    months: int,
    seed: int = 2024,
    today: date | None = None,
    progress: Progress | None = None,
    bpu_limit: int = 1000,
) -> dict[str, int]:
    """Bill and pay the ``months`` months before this one; returns the bills issued and the
    payments made by this call (none when run again)."""
    today = today or timezone.localdate()
    progress = progress or (lambda stage, done, total: None)
    secret = _secret()
    first = add_months(month_start(today), -months)
    counts = {"bills": 0, "payments": 0}
    for n in range(months):
        month = add_months(first, n)
        counts["bills"] += billing_run(acting_user=None, period=period(month)).bills_created
        bills = list(
            Bill.objects.filter(kind="pu", period=period(month), total_idr__gt=0).order_by("pk")
        )
        for done, bill in enumerate(bills, start=1):
            rng = random.Random(f"{seed}:{bill.employer_id}:{bill.period}")  # noqa: S311 - demo
            draw = rng.random()
            if draw < 0.05:
                continue  # never paid: arrears
            if draw < 0.85:
                paid = bill.due_on - timedelta(days=rng.randrange(0, 10))
            else:
                paid = bill.due_on + timedelta(days=rng.randrange(1, 50))
            paid = min(paid, today)
            if _notify(secret, bill, bill.total_idr, paid, f"DEMO-{bill.payment_code}"):
                counts["payments"] += 1
            if done % 50 == 0 or done == len(bills):
                progress(f"pay {period(month)}", done, len(bills))
    counts["payments"] += _bpu_history(secret, first, today, seed, bpu_limit, progress)
    member = Participant.objects.filter(person__user__username="peserta", segment="BPU").first()
    if member is not None and not Bill.objects.filter(participant=member).exists():
        peserta = User.objects.get(username="peserta")
        bill = bpu_payment_request(acting_user=peserta, kpj=member.kpj, months=3)
        _notify(secret, bill, bill.total_idr, today, f"DEMO-{bill.payment_code}")
        counts["payments"] += 1
    return counts
