"""A participant's own pages: the summary on the home page, payments and messages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jamsos.accounts.access import Action, can, claims_visible_to, require
from jamsos.benefits.selectors import claim_json
from jamsos.contributions.selectors import member_statement, own_participants
from jamsos.notifications.selectors import messages_to

#: Bills still waiting for money (the statement's status words).
UNPAID = ("open", "overdue", "part_paid")


def _cards(user: Any) -> list[dict[str, Any]]:
    cards = []
    for participant in own_participants(user):
        card = member_statement(user, participant.kpj)
        unpaid = sorted(
            (b for b in card["bills"] if b["status"] in UNPAID), key=lambda b: b["due_on"]
        )
        card["next_due"] = unpaid[0] if unpaid else None
        cards.append(card)
    return cards


def member_summary(user: Any) -> dict[str, Any] | None:
    """What a participant's home page shows: each card's status, cover end, JHT balance and the
    next bill due, their latest claim and the latest messages; ``None`` for other users."""
    if not can(user, Action.OWN_RECORD_READ):
        return None
    latest = claims_visible_to(user).order_by("-filed_at").first()
    return {
        "cards": _cards(user),
        "claim": claim_json(latest) if latest else None,
        "messages": list(messages_to(user, limit=3)),
    }


@login_required
def my_payments_page(request: HttpRequest) -> HttpResponse:
    """Every bill and payment of the participant's own cards."""
    require(request.user, Action.OWN_RECORD_READ)
    return render(request, "web/my_payments.html", {"cards": _cards(request.user)})


@login_required
def my_messages_page(request: HttpRequest) -> HttpResponse:
    """The reminders and notices sent to the phone on the participant's record."""
    return render(request, "web/my_messages.html", {"sent": list(messages_to(request.user))})
