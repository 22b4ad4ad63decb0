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
    return not payment_notify(raw_body=raw, signature=sign(secret, raw)).duplicate


def demo_money_generate(
    *, months: int, seed: int = 2024, today: date | None = None, progress: Progress | None = None
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
        counts["bills"] += billing_run(period=period(month)).bills_created
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
    member = Participant.objects.filter(person__user__username="peserta", segment="BPU").first()
    if member is not None and not Bill.objects.filter(participant=member).exists():
        peserta = User.objects.get(username="peserta")
        bill = bpu_payment_request(acting_user=peserta, kpj=member.kpj, months=3)
        _notify(secret, bill, bill.total_idr, today, f"DEMO-{bill.payment_code}")
        counts["payments"] += 1
    return counts
