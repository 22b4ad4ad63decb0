"""The second factor: a TOTP authenticator app (django-otp's ``TOTPDevice``) and one-use
recovery codes.

Every staff role (``roles.STAFF_ROLES``) must have one; participants, sponsors, employer
administrators and contractors may opt in. A user who has or needs a second factor:

- on the web, signs in with the password, then the code (the session is not *verified* until
  then, and ``jamsos.web.middleware.SecondFactorMiddleware`` lets an unverified session reach
  only the code, enrolment and logout pages); staff without a device are sent to enrol;
- on the API, sends the code with the password to ``POST /api/v1/auth/token`` (field ``otp``);
  staff without a device must enrol on the web first. Staff tokens carry ``second_factor``
  and a staff token without it is refused.

Wrong codes count toward the sign-in lockout like wrong passwords (:mod:`.lockout`).
"""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from jamsos.accounts import policy
from jamsos.accounts.access import require_operator
from jamsos.accounts.lockout import (
    Attempt,
    locked_error,
    locked_for,
    signin_failed,
    signin_refuse_if_locked,
)
from jamsos.accounts.models import RecoveryCode, User
from jamsos.accounts.policy import Action
from jamsos.core.audit import audit_record
from jamsos.core.errors import NotFound, PermissionDenied, RuleViolation

RECOVERY_CODE_COUNT = 10
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def must_have_second_factor(user: User) -> bool:
    return policy.needs_second_factor(user.role)


def device_of(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()


def needs_second_factor(user: User) -> bool:
    """Staff always; others once they have enrolled."""
    return must_have_second_factor(user) or device_of(user) is not None


def _normalise(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _digest(user: User, code: str) -> str:
    return hashlib.sha256(f"{user.pk}:{_normalise(code)}".encode()).hexdigest()


def _new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes (inside the caller's transaction)."""
    RecoveryCode.objects.filter(user=user).delete()
    codes = [
        "-".join("".join(secrets.choice(_ALPHABET) for _ in range(5)) for _part in range(2))
        for _code in range(RECOVERY_CODE_COUNT)
    ]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, digest=_digest(user, c)) for c in codes
    )
    return codes


def totp_enrolment(user: User) -> TOTPDevice:
    """The device being enrolled (unconfirmed): made on first call, the same one until it is
    confirmed, so the QR code shown does not change on reload."""
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Jamsos", confirmed=False)
    return device


def totp_confirm(*, acting_user: User, code: str, attempt: Attempt) -> tuple[TOTPDevice, list[str]]:
    """Confirm the device being enrolled with a code from the app; the old device (if any) is
    removed and new recovery codes are made. Returns the device and the codes (shown once).
    A user who opts in loses the API tokens issued without the second factor."""
    signin_refuse_if_locked(attempt)
    device = TOTPDevice.objects.filter(user=acting_user, confirmed=False).order_by("-id").first()
    if device is None:
        raise NotFound(_("Start the set-up again."), code="totp.not_started", field="otp")
    if not _verify_totp(device, code):
        _failed(attempt, acting_user)
    from jamsos.accounts.services import revoke_tokens_of  # services import this module

    with transaction.atomic():
        TOTPDevice.objects.filter(user=acting_user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(acting_user)
        revoked = revoke_tokens_of(
            acting_user, acting_user=acting_user, reason="second factor enrolled"
        )
        audit_record(
            actor=acting_user,
            action="auth.second_factor_enrol",
            obj=acting_user,
            after={"device": "totp", "recovery_codes": len(codes), "tokens_revoked": revoked},
        )
    return device, codes


def recovery_codes_renew(*, acting_user: User) -> list[str]:
    """New recovery codes for a user with a device (the old ones stop working)."""
    if device_of(acting_user) is None:
        raise RuleViolation(_("Set up the authenticator app first."), field="otp")
    with transaction.atomic():
        codes = _new_recovery_codes(acting_user)
        audit_record(
            actor=acting_user,
            action="auth.recovery_codes_renew",
            obj=acting_user,
            after={"recovery_codes": len(codes)},
        )
    return codes


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def _verify_totp(device: TOTPDevice, code: str) -> bool:
    code = _normalise(code)
    if not (len(code) == 6 and code.isdigit()):
        return False
    allowed, _detail = device.verify_is_allowed()
    return bool(allowed) and bool(device.verify_token(code))


def _failed(attempt: Attempt, user: User) -> None:
    if signin_failed(attempt, user=user, factor="code"):
        raise locked_error(locked_for(attempt))
    raise RuleViolation(
        _("Wrong code. Enter the 6 digits the authenticator app shows now, or a recovery code."),
        code="auth.wrong_code",
        field="otp",
    )


def second_factor_check(*, user: User, code: str, attempt: Attempt) -> TOTPDevice:
    """Check a code from the app or an unused recovery code (which is then used up). A wrong
    code counts toward the lockout. Returns the device the session is verified with."""
    signin_refuse_if_locked(attempt)
    device = device_of(user)
    if device is None:
        raise enrolment_required()
    if _verify_totp(device, code):
        return device
    with transaction.atomic():
        recovery = (
            RecoveryCode.objects.select_for_update()
            .filter(user=user, digest=_digest(user, code), used_at__isnull=True)
            .first()
        )
        if recovery is not None:
            recovery.used_at = timezone.now()
            recovery.save(update_fields=["used_at"])
            audit_record(
                actor=user,
                action="auth.recovery_code_use",
                obj=user,
                after={"left": recovery_codes_left(user), "channel": attempt.channel},
            )
            return device
    _failed(attempt, user)
    raise AssertionError("unreachable")  # pragma: no cover


def enrolment_required() -> PermissionDenied:
    return PermissionDenied(
        _(
            "Staff must set up two-step verification first: sign in on the web and follow "
            "the steps."
        ),
        code="auth.second_factor_enrolment_required",
        field="otp",
    )


def second_factor_reset(*, acting_user: User | None, username: str) -> int:
    """Remove a user's authenticator and recovery codes (a lost phone): a system administrator
    or the operator. Staff must enrol again at their next sign-in. Returns devices removed."""
    require_operator(acting_user, Action.SECOND_FACTOR_RESET, code="auth.reset_forbidden")
    user = User.objects.filter(username=username).first()
    if user is None:
        raise NotFound(_("No user %(username)s.") % {"username": repr(username)}, field="username")
    with transaction.atomic():
        removed, _detail = TOTPDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        audit_record(
            actor=acting_user,
            action="auth.second_factor_reset",
            obj=user,
            after={"devices_removed": removed},
        )
    return int(removed)
