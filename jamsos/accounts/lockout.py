"""Sign-in lockout with back-off, per account and per client address, and the audit of every
sign-in attempt (web login, API token, second factor).

- Each wrong password (or wrong second-factor code) counts against the username tried — whether
  or not such a user exists, so the answer tells nothing — and against the client address.
- At ``JAMSOS_LOCKOUT_FAILURES`` failures on an account (``JAMSOS_LOCKOUT_ADDRESS_FAILURES`` on an
  address) sign-in is refused for ``JAMSOS_LOCKOUT_MINUTES``; each further failure after a lock
  doubles it (5, 10, 20 … minutes, at most a day). While locked, even the right password is
  refused. Failures are forgotten a day after the last one; a successful sign-in clears the
  account's count (not the address's, or an attacker could reset it with an account of their own).
- ``jamsos unlock`` (:func:`signin_unlock`) lifts a lock early.

Counts live in the database (``SignInLock``), so every web worker sees them (ADR 0019).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jamsos.accounts.access import require_operator
from jamsos.accounts.models import SignInLock, User
from jamsos.accounts.policy import Action
from jamsos.core.audit import audit_record
from jamsos.core.errors import NotFound, RuleViolation, TooManyRequests

FORGET_AFTER = timedelta(days=1)
MAX_LOCK = timedelta(days=1)


@dataclass(frozen=True)
class Attempt:
    """Who tried to sign in, from where, through which door (``web`` or ``api``)."""

    username: str
    address: str
    channel: str

    @property
    def account_key(self) -> str:
        return self.username.strip().lower()[:150]


def _threshold(kind: str) -> int:
    if kind == SignInLock.Kind.ACCOUNT:
        return int(settings.JAMSOS_LOCKOUT_FAILURES)
    return int(settings.JAMSOS_LOCKOUT_ADDRESS_FAILURES)


def _keys(attempt: Attempt) -> list[tuple[str, str]]:
    keys = [(SignInLock.Kind.ACCOUNT.value, attempt.account_key)]
    if attempt.address:
        keys.append((SignInLock.Kind.ADDRESS.value, attempt.address[:150]))
    return keys


def locked_for(attempt: Attempt, *, now: datetime | None = None) -> int:
    """Seconds until the account and the address are both free to try again (0: not locked)."""
    now = now or timezone.now()
    which = Q()
    for kind, key in _keys(attempt):
        which |= Q(kind=kind, key=key)
    until = [
        at
        for at in SignInLock.objects.filter(which, locked_until__gt=now).values_list(
            "locked_until", flat=True
        )
        if at is not None  # never, by the filter; says so to the type checker
    ]
    return max(1, math.ceil((max(until) - now).total_seconds())) if until else 0


def locked_error(seconds: int) -> TooManyRequests:
    minutes = max(1, -(-seconds // 60))
    return TooManyRequests(
        _(
            "Too many failed sign-in attempts. Try again in %(minutes)d minutes, or ask an "
            "administrator to unlock the account."
        )
        % {"minutes": minutes},
        code="auth.locked",
        retry_after=seconds,
    )


def _audit(
    action: str, attempt: Attempt, user: User | None, *, actor: User | None = None, **extra: object
) -> None:
    after: dict[str, object] = {
        "username": attempt.username[:150],
        "address": attempt.address,
        "channel": attempt.channel,
        **extra,
    }
    audit_record(
        actor=actor,
        action=action,
        obj=user,
        object_ref=None if user is not None else ("accounts.user", ""),
        after=after,
        anonymous=actor is None,
    )


def signin_refuse_if_locked(attempt: Attempt) -> None:
    """Raise ``auth.locked`` (429) — and audit the refused attempt — while a lock holds."""
    seconds = locked_for(attempt)
    if seconds:
        with transaction.atomic():
            user = User.objects.filter(username=attempt.username).first()
            _audit("auth.login_locked", attempt, user, retry_after=seconds)
        raise locked_error(seconds)


def signin_failed(attempt: Attempt, *, user: User | None = None, factor: str = "password") -> int:
    """Count a failed attempt against the account and the address; audit it. Returns the
    seconds the attempt's account or address is now locked for (0: not locked)."""
    now = timezone.now()
    with transaction.atomic():
        if user is None:
            user = User.objects.filter(username=attempt.username).first()
        for kind, key in _keys(attempt):
            lock, _created = SignInLock.objects.select_for_update().get_or_create(
                kind=kind, key=key
            )
            if lock.last_failure_at is not None and lock.last_failure_at < now - FORGET_AFTER:
                lock.failures = 0
            lock.failures += 1
            lock.last_failure_at = now
            over = lock.failures - _threshold(kind)
            if over >= 0:
                minutes = int(settings.JAMSOS_LOCKOUT_MINUTES) * 2 ** min(over, 20)
                lock.locked_until = now + min(timedelta(minutes=minutes), MAX_LOCK)
            lock.save()
        _audit("auth.login_failed", attempt, user, factor=factor)
    return locked_for(attempt, now=now)


def signin_succeeded(attempt: Attempt, user: User, *, second_factor: bool) -> None:
    """Clear the account's failures and audit the sign-in."""
    with transaction.atomic():
        SignInLock.objects.filter(kind=SignInLock.Kind.ACCOUNT, key=attempt.account_key).update(
            failures=0, locked_until=None
        )
        _audit("auth.login", attempt, user, second_factor=second_factor)


def signin_password_accepted(attempt: Attempt, user: User) -> None:
    """Audit the right password of a user who must still give the second factor."""
    with transaction.atomic():
        _audit("auth.password_accepted", attempt, user)


def signin_unlock(*, acting_user: User | None, username: str = "", address: str = "") -> int:
    """Lift the lock and forget the failures of an account and/or an address (a system
    administrator, or the operator at the command line). Returns how many locks were lifted."""
    require_operator(acting_user, Action.SIGNIN_UNLOCK, code="auth.unlock_forbidden")
    if not username and not address:
        raise RuleViolation(_("Name a username or an address to unlock."), field="username")
    with transaction.atomic():
        locks = SignInLock.objects.select_for_update().filter(failures__gt=0)
        chosen = []
        if username:
            chosen += list(locks.filter(kind=SignInLock.Kind.ACCOUNT, key=username.lower()))
        if address:
            chosen += list(locks.filter(kind=SignInLock.Kind.ADDRESS, key=address))
        if not chosen:
            raise NotFound(_("Nothing to unlock: no failed sign-ins recorded."), field="username")
        for lock in chosen:
            audit_record(
                actor=acting_user,
                action="auth.unlock",
                obj=lock,
                before={
                    "failures": lock.failures,
                    "locked_until": lock.locked_until.isoformat() if lock.locked_until else None,
                },
                after={"kind": lock.kind, "key": lock.key, "failures": 0, "locked_until": None},
            )
            lock.failures = 0
            lock.locked_until = None
            lock.save(update_fields=["failures", "locked_until"])
    return len(chosen)
