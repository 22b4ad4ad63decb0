"""Writes for accounts: creating users, issuing and revoking API tokens.

Each service writes its audit event in the same transaction.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence

from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jamsos.accounts.access import can, require
from jamsos.accounts.models import ApiToken, User
from jamsos.accounts.policy import NEEDS_BRANCH, NEEDS_EMPLOYER, NEEDS_REGION, Action
from jamsos.accounts.roles import Role
from jamsos.core.audit import audit_record, snapshot
from jamsos.core.errors import Conflict, NotFound, RuleViolation
from jamsos.registry.models import BranchOffice, Employer, RegionalOffice

USER_AUDIT_FIELDS = ("username", "role", "email", "branch_office", "regional_office", "is_active")


def _require_system_admin(acting_user: User | None) -> None:
    """``None`` is the operator at the command line or a data load; otherwise a system admin."""
    if acting_user is not None:
        require(
            acting_user,
            Action.USER_CREATE,
            message=_("Only a system administrator may manage users."),
        )


def user_create(
    *,
    acting_user: User | None,
    username: str,
    password: str,
    role: str,
    full_name: str = "",
    email: str = "",
    branch_office_code: str | None = None,
    regional_office_code: str | None = None,
    employer_npps: Sequence[str] = (),
    check_password: bool = True,
) -> User:
    """Create a user with a role and the office or employers the role is bound to."""
    _require_system_admin(acting_user)
    try:
        role_value = Role(role)
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise RuleViolation(
            _("Unknown role %(role)s; use one of: %(allowed)s.")
            % {"role": repr(role), "allowed": allowed},
            field="role",
        ) from None
    username = username.strip()
    if not username:
        raise RuleViolation(_("A username is required."), field="username")
    if role_value in NEEDS_BRANCH and not branch_office_code:
        raise RuleViolation(_("A branch officer must be bound to a branch office."), field="branch")
    if role_value not in NEEDS_BRANCH and branch_office_code:
        raise RuleViolation(_("Only a branch officer is bound to a branch office."), field="branch")
    if role_value in NEEDS_REGION and not regional_office_code:
        raise RuleViolation(
            _("A regional head must be bound to a regional office."), field="region"
        )
    if role_value not in NEEDS_REGION and regional_office_code:
        raise RuleViolation(
            _("Only a regional head is bound to a regional office."), field="region"
        )
    if role_value in NEEDS_EMPLOYER and not employer_npps:
        raise RuleViolation(
            _("An employer administrator must be bound to at least one employer (NPP)."),
            field="employer",
        )
    if role_value not in NEEDS_EMPLOYER and employer_npps:
        raise RuleViolation(
            _("Only an employer administrator is bound to employers."), field="employer"
        )

    branch = region = None
    if branch_office_code:
        branch = BranchOffice.objects.filter(code=branch_office_code).first()
        if branch is None:
            raise NotFound(
                _("No branch office with code %(branch_office_code)s.")
                % {"branch_office_code": repr(branch_office_code)},
                field="branch",
            )
    if regional_office_code:
        region = RegionalOffice.objects.filter(code=regional_office_code).first()
        if region is None:
            raise NotFound(
                _("No regional office with code %(regional_office_code)s.")
                % {"regional_office_code": repr(regional_office_code)},
                field="region",
            )
    employers = list(Employer.objects.filter(npp__in=employer_npps))
    missing = sorted(set(employer_npps) - {e.npp for e in employers})
    if missing:
        raise NotFound(
            _("No employer with NPP %(npps)s.") % {"npps": ", ".join(missing)}, field="employer"
        )

    first, _sep, last = full_name.strip().partition(" ")
    user = User(
        username=username,
        email=email,
        first_name=first,
        last_name=last,
        role=role_value.value,
        branch_office=branch,
        regional_office=region,
        is_staff=False,
        is_superuser=False,
    )
    if check_password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise RuleViolation(" ".join(exc.messages), field="password") from None
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            if employers:
                user.administered_employers.set(employers)
            after = snapshot(user, USER_AUDIT_FIELDS)
            if employers:
                after["employers"] = sorted(e.npp for e in employers)
            audit_record(actor=acting_user, action="user.create", obj=user, after=after)
    except IntegrityError:
        raise Conflict(
            _("The username %(username)s is taken.") % {"username": repr(username)},
            field="username",
        ) from None
    return user


def _digest(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


def token_issue(*, username: str, password: str, label: str = "") -> str:
    """Check the credentials and return a new bearer token (shown once, stored as a digest)."""
    user = authenticate(username=username, password=password)
    if user is None or not user.is_active:
        raise RuleViolation(
            _("Wrong username or password."), code="auth.invalid_credentials", field="password"
        )
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, digest=_digest(raw), prefix=raw[:8], label=label[:100]
        )
        audit_record(
            actor=user,
            action="token.issue",
            obj=token,
            after={"user": user.username, "prefix": token.prefix, "label": token.label},
        )
    return raw


def token_user(raw_token: str) -> tuple[User, ApiToken] | None:
    """The active user and token for a raw bearer token, or ``None``."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(raw_token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    return (token.user, token) if token else None


def token_revoke(*, acting_user: User, token_id: int, reason: str = "") -> ApiToken:
    """Revoke one token: its owner or a system administrator may."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id).first()
        if token is None or (
            token.user_id != acting_user.pk and not can(acting_user, Action.TOKEN_REVOKE_ANY)
        ):
            raise NotFound(_("No such token."), code="token.not_found")
        if token.revoked_at is not None:
            return token  # revoking twice changes nothing
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=acting_user,
            action="token.revoke",
            obj=token,
            before={"revoked_at": None},
            after={"revoked_at": token.revoked_at.isoformat()},
            reason=reason,
        )
    return token


def tokens_revoke_all(*, acting_user: User | None, username: str, reason: str = "") -> int:
    """Revoke every active token of a user (operator action). Returns how many were revoked."""
    _require_system_admin(acting_user)
    user = User.objects.filter(username=username).first()
    if user is None:
        raise NotFound(_("No user %(username)s.") % {"username": repr(username)}, field="username")
    now = timezone.now()
    with transaction.atomic():
        tokens = list(
            ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True)
        )
        for token in tokens:
            token.revoked_at = now
            audit_record(
                actor=acting_user,
                action="token.revoke",
                obj=token,
                before={"revoked_at": None},
                after={"revoked_at": now.isoformat()},
                reason=reason,
            )
        ApiToken.objects.bulk_update(tokens, ["revoked_at"])
    return len(tokens)
