"""Posting to the ledger and reading balances back.

Every posting goes through :func:`post` (or, for set-based runs, SQL that ends with
:func:`check_balanced` on the postings it wrote). Legs of one posting are inserted in one
statement, which is what the PostgreSQL statement trigger checks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from jamsos.accounts.access import require_operator
from jamsos.accounts.models import User
from jamsos.accounts.policy import Action
from jamsos.ledger.models import Account, Leg, Posting

_ACCOUNTS = frozenset(a.value for a in Account)


class LedgerError(RuntimeError):
    """A posting that would break the ledger: legs not summing to zero, or a zero leg."""


@dataclass(frozen=True)
class LegSpec:
    account: str
    amount_idr: int
    employer_id: int | None = None
    participant_id: int | None = None
    channel: str = ""


@dataclass(frozen=True)
class Entry:
    """A posting to write: what happened, to which source, and its legs."""

    kind: str
    source_id: int
    effective_on: date
    legs: Sequence[LegSpec]
    memo: str = ""


def _checked(entry: Entry) -> list[LegSpec]:
    legs = [leg for leg in entry.legs if leg.amount_idr != 0]
    total = sum(leg.amount_idr for leg in legs)
    if total != 0:
        raise LedgerError(f"{entry.kind} {entry.source_id}: legs sum to {total}, not zero")
    for leg in legs:
        if leg.account not in _ACCOUNTS:
            raise LedgerError(f"{entry.kind} {entry.source_id}: unknown account {leg.account}")
    return legs


def post_many(entries: Sequence[Entry]) -> list[Posting]:
    """Write balanced postings: one INSERT for the postings, one for all their legs. Must
    run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("postings must be written inside the service's transaction")
    checked = [_checked(entry) for entry in entries]
    now = timezone.now()
    postings = Posting.objects.bulk_create(
        Posting(
            kind=e.kind,
            source_id=e.source_id,
            effective_on=e.effective_on,
            posted_at=now,
            memo=e.memo[:200],
        )
        for e in entries
    )
    Leg.objects.bulk_create(
        Leg(
            posting=posting,
            account=leg.account,
            employer_id=leg.employer_id,
            participant_id=leg.participant_id,
            channel=leg.channel,
            amount_idr=leg.amount_idr,
        )
        for posting, legs in zip(postings, checked, strict=True)
        for leg in legs
    )
    return postings


def post(
    *, kind: str, source_id: int, effective_on: date, legs: Sequence[LegSpec], memo: str = ""
) -> Posting:
    """Write one balanced posting. Must run inside the caller's transaction."""
    return post_many([Entry(kind, source_id, effective_on, legs, memo)])[0]


def unbalanced_postings(posting_ids: Iterable[int] | None = None) -> list[tuple[int, int]]:
    """``(posting id, sum of legs)`` for every posting whose legs do not sum to zero."""
    legs = Leg.objects.all()
    if posting_ids is not None:
        legs = legs.filter(posting_id__in=list(posting_ids))
    rows = (
        legs.values("posting_id")
        .annotate(total=Sum("amount_idr"))
        .exclude(total=0)
        .order_by("posting_id")
        .values_list("posting_id", "total")
    )
    return [(int(p), int(t)) for p, t in rows]


def check_balanced(posting_ids: Iterable[int] | None = None) -> None:
    """Raise :class:`LedgerError` if any of the postings (default: all) is unbalanced."""
    bad = unbalanced_postings(posting_ids)
    if bad:
        raise LedgerError(f"unbalanced postings (id, sum): {bad[:10]}")


def balance(
    account: str, *, employer_id: int | None = None, participant_id: int | None = None
) -> int:
    """The balance of an account (debit positive), for one party if one is named."""
    legs = Leg.objects.filter(account=account)
    if employer_id is not None:
        legs = legs.filter(employer_id=employer_id)
    if participant_id is not None:
        legs = legs.filter(participant_id=participant_id)
    return int(legs.aggregate(total=Sum("amount_idr"))["total"] or 0)


def trial_balance(*, acting_user: User | None) -> dict[str, int]:
    """Every account's balance; the values sum to zero (auditors and administrators;
    ``acting_user`` None is the operator at the command line)."""
    require_operator(acting_user, Action.LEDGER_READ)
    rows = Leg.objects.values("account").annotate(total=Sum("amount_idr")).order_by("account")
    return {r["account"]: int(r["total"]) for r in rows}
