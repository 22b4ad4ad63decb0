"""Writes for accounts: creating users, issuing and revoking API tokens.

Each service writes its audit event in the same transaction.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from jamsos.accounts.access import access_employer_for_binding, can, require
from jamsos.accounts.lockout import (
    Attempt,
    locked_error,
    locked_for,
    signin_failed,
    signin_refuse_if_locked,
    signin_succeeded,
)
from jamsos.accounts.models import ApiToken, User
from jamsos.accounts.policy import (
    BINDS_TO_EMPLOYER,
    NEEDS_BRANCH,
    NEEDS_EMPLOYER,
    NEEDS_REGION,
    STAFF_ROLES,
    Action,
)
from jamsos.accounts.roles import Role
from jamsos.accounts.twofactor import (
    device_of,
    enrolment_required,
    needs_second_factor,
    second_factor_check,
)
from jamsos.core.audit import audit_record, snapshot
from jamsos.core.errors import Conflict, NotFound, RuleViolation
from jamsos.registry.models import BranchOffice, Employer, RegionalOffice

USER_AUDIT_FIELDS = ("username", "role", "email", "branch_office", "regional_office", "is_active")


def _password_check(password: str, user: User, field: str) -> None:
    """Django's password validators; their verdict in English and in Indonesian (Django's own
    catalogue translates them; they word it in the language active when they run)."""
    try:
        validate_password(password, user)
    except ValidationError:
        verdicts = {}
        for language in ("en", "id"):
            with override(language):
                try:
                    validate_password(password, user)
                except ValidationError as exc:
                    verdicts[language] = " ".join(exc.messages)
        raise RuleViolation(
            verdicts["en"], field=field, code="password.weak", message_id=verdicts["id"]
        ) from None


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
    if role_value not in BINDS_TO_EMPLOYER and employer_npps:
        raise RuleViolation(
            _("Only an employer administrator or a contractor is bound to employers."),
            field="employer",
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
        _password_check(password, user, "password")
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


def employer_user_bind(*, acting_user: User | None, employer_id: int, username: str) -> bool:
    """Bind an employer administrator's or a contractor's login to an employer, so that it acts
    for it (its workers, bills, construction projects). An officer of the employer's branch or a
    system administrator does it (``None``: the operator at the command line). Binding a login
    that is already bound changes nothing; returns whether it was bound now."""
    with transaction.atomic():
        if acting_user is None:
            employer = Employer.objects.filter(pk=employer_id).first()
            if employer is None:
                raise NotFound(_("No such employer."), code="employer.not_found")
        else:
            employer = access_employer_for_binding(acting_user, employer_id)
        user = User.objects.filter(username=username.strip(), is_active=True).first()
        if user is None:
            raise NotFound(
                _("No active user named %(username)s.") % {"username": repr(username.strip())},
                field="username",
                code="user.not_found",
            )
        if user.role not in BINDS_TO_EMPLOYER:
            raise RuleViolation(
                _("Only an employer administrator or a contractor is bound to employers."),
                field="username",
                code="employer.bind_role",
            )
        if employer.administrators.filter(pk=user.pk).exists():
            return False
        employer.administrators.add(user)
        audit_record(
            actor=acting_user,
            action="employer.user_bind",
            obj=employer,
            after={"username": user.username, "role": user.role, "npp": employer.npp},
        )
    return True


def _digest(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


def token_issue(
    *, username: str, password: str, label: str = "", address: str = "", otp: str = ""
) -> str:
    """Check the credentials and return a new bearer token (shown once, stored as a digest).

    Refused while the account or the address is locked out (``auth.locked``); every attempt is
    counted and audited (:mod:`jamsos.accounts.lockout`). A user who has or needs a second
    factor sends its code as ``otp`` (:mod:`jamsos.accounts.twofactor`).
    """
    attempt = Attempt(username=username, address=address, channel="api")
    signin_refuse_if_locked(attempt)
    user = authenticate(username=username, password=password)
    if user is None or not user.is_active:
        if signin_failed(attempt):
            raise locked_error(locked_for(attempt))
        raise RuleViolation(
            _("Wrong username or password."), code="auth.invalid_credentials", field="password"
        )
    second_factor = needs_second_factor(user)
    if second_factor:
        if device_of(user) is None:
            raise enrolment_required()
        if not otp:
            raise RuleViolation(
                _("Enter the code from your authenticator app."),
                code="auth.second_factor_required",
                field="otp",
            )
        second_factor_check(user=user, code=otp, attempt=attempt)
    signin_succeeded(attempt, user, second_factor=second_factor)
    with transaction.atomic():
        raw, _token = _token_create(
            user=user, label=label, action="token.issue", second_factor=second_factor
        )
    return raw


def token_lifetime() -> timedelta:
    return timedelta(days=int(settings.JAMSOS_TOKEN_DAYS))


def _token_create(
    *, user: User, label: str, action: str, second_factor: bool
) -> tuple[str, ApiToken]:
    """A new token (inside the caller's transaction): the raw value, shown once, and its row."""
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        digest=_digest(raw),
        prefix=raw[:8],
        label=label[:100],
        created_at=now,
        expires_at=now + token_lifetime(),
        second_factor=second_factor,
    )
    audit_record(
        actor=user,
        action=action,
        obj=token,
        after={
            "user": user.username,
            "prefix": token.prefix,
            "label": token.label,
            "expires_at": token.expires_at.isoformat(),
            "second_factor": second_factor,
        },
    )
    return raw, token


#: ``last_used_at`` is written at most this often per token, so a busy client costs no writes.
LAST_USED_EVERY = timedelta(minutes=1)


def token_user(raw_token: str) -> tuple[User, ApiToken] | None:
    """The active user and token for a raw bearer token, or ``None`` when the token is
    unknown, revoked, expired or its user deactivated.

    Asked on every API request, so it is one indexed statement (the token's unique digest,
    joined to its user) written once per process from the models' columns: no ORM query is
    compiled per request. Nothing is cached between requests — a token revoked, expired or
    whose user is deactivated is refused on the very next request, in every process."""
    now = timezone.now()
    found = _token_row(_digest(raw_token), now)
    if found is None:
        return None
    user, token = found
    if user.role in STAFF_ROLES and not token.second_factor:
        return None  # a staff token issued without the second factor is worth nothing
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_EVERY:
        # A conditional UPDATE: of concurrent requests at most one writes.
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_EVERY)
        ).update(last_used_at=now)
        token.last_used_at = now
    return user, token


Converter = Callable[[Any, Any, Any], Any]


@functools.cache
def _token_statement(alias: str) -> tuple[str, list[tuple[Any, list[Converter]]]]:
    """The look-up statement for a database and, per selected column, its expression and the
    converters the ORM would apply to it (SQLite keeps dates as text and booleans as 0/1)."""
    conn = connections[alias]

    def qn(name: str | None) -> str:
        return str(conn.ops.quote_name(str(name)))

    columns: list[str] = []
    conversions: list[tuple[Any, list[Converter]]] = []
    for alias_, model in (("t", ApiToken), ("u", User)):
        for field in model._meta.concrete_fields:
            col = field.get_col(alias_)
            columns.append(f"{alias_}.{qn(field.column)}")
            conversions.append((col, conn.ops.get_db_converters(col) + col.get_db_converters(conn)))

    def column(model: type[models.Model], alias_: str, name: str) -> str:
        field = model._meta.get_field(name)
        return f"{alias_}.{qn(getattr(field, 'column', None))}"

    t = {name: column(ApiToken, "t", name) for name in ("user", "digest", "revoked_at")}
    t["expires_at"] = column(ApiToken, "t", "expires_at")
    user_pk, active = column(User, "u", "id"), column(User, "u", "is_active")
    tables = f"{qn(ApiToken._meta.db_table)} t JOIN {qn(User._meta.db_table)} u"
    join = f"{tables} ON {user_pk} = {t['user']}"
    where = (
        f"{t['digest']} = %s AND {t['revoked_at']} IS NULL "
        f"AND {t['expires_at']} > %s AND {active} = %s"
    )
    sql = f"SELECT {', '.join(columns)} FROM {join} WHERE {where}"  # noqa: S608 - names from models
    return sql, conversions


def _token_row(digest: str, now: datetime) -> tuple[User, ApiToken] | None:
    """The token with ``digest``, not revoked, not expired at ``now``, and its active user."""
    conn = connections[DEFAULT_DB_ALIAS]
    sql, conversions = _token_statement(conn.alias)
    with conn.cursor() as cursor:
        cursor.execute(
            sql,
            [digest, conn.ops.adapt_datetimefield_value(now), True],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    values = []
    for value, (col, converters) in zip(row, conversions, strict=True):
        for convert in converters:
            value = convert(value, col, conn)
        values.append(value)
    token_fields = ApiToken._meta.concrete_fields
    split = len(token_fields)
    token = ApiToken.from_db(conn.alias, [f.attname for f in token_fields], values[:split])
    user = User.from_db(conn.alias, [f.attname for f in User._meta.concrete_fields], values[split:])
    token.user = user
    return user, token


def token_by_raw(raw_token: str) -> ApiToken | None:
    return ApiToken.objects.filter(digest=_digest(raw_token)).first()


def tokens_of(user: User) -> list[ApiToken]:
    """The user's own tokens, newest first."""
    return list(ApiToken.objects.filter(user=user).order_by("-created_at", "-id"))


def token_rotate(*, acting_user: User, token_id: int) -> tuple[str, ApiToken]:
    """Swap a token for a new one with the same label and a fresh expiry; the old one is
    revoked in the same transaction. Only the token's owner may."""
    with transaction.atomic():
        old = ApiToken.objects.select_for_update().filter(pk=token_id).first()
        if old is None or old.user_id != acting_user.pk or not old.is_active:
            raise NotFound(_("No such token."), code="token.not_found")
        _mark_revoked(old, acting_user=acting_user, reason="rotated")
        raw, token = _token_create(
            user=acting_user,
            label=old.label,
            action="token.rotate",
            second_factor=old.second_factor,
        )
    return raw, token


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
        _mark_revoked(token, acting_user=acting_user, reason=reason)
    return token


def _mark_revoked(token: ApiToken, *, acting_user: User | None, reason: str) -> None:
    """Revoke one locked, unrevoked token and audit it (inside the caller's transaction)."""
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


def tokens_revoke_all(*, acting_user: User | None, username: str, reason: str = "") -> int:
    """Revoke every active token of a user (operator action). Returns how many were revoked."""
    _require_system_admin(acting_user)
    user = _user_named(username)
    with transaction.atomic():
        return revoke_tokens_of(user, acting_user=acting_user, reason=reason)


def _user_named(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise NotFound(_("No user %(username)s.") % {"username": repr(username)}, field="username")
    return user


def revoke_tokens_of(user: User, *, acting_user: User | None, reason: str) -> int:
    """Revoke every unrevoked token of ``user`` (inside the caller's transaction)."""
    now = timezone.now()
    tokens = list(ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True))
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


def _end_sessions_of(user: User) -> int:
    """Delete the user's web sessions (each session is decoded: an operator action, not a hot
    path). Returns how many ended."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


def password_change(
    *, acting_user: User, old_password: str, new_password: str, keep_session: str = ""
) -> int:
    """Change one's own password: the old one must be right and the new one pass the
    validators. Every API token is revoked and every other web session ends (Django's session
    hash changes with the password). Returns how many tokens were revoked."""
    if not acting_user.check_password(old_password):
        raise RuleViolation(
            _("Your old password was entered incorrectly."),
            code="auth.wrong_password",
            field="old_password",
        )
    _password_check(new_password, acting_user, "new_password")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=acting_user.pk)
        user.set_password(new_password)
        user.save(update_fields=["password"])
        revoked = revoke_tokens_of(user, acting_user=user, reason="password changed")
        audit_record(
            actor=user,
            action="user.password_change",
            obj=user,
            after={"tokens_revoked": revoked},
        )
    acting_user.password = user.password
    return revoked


def user_deactivate(*, acting_user: User | None, username: str, reason: str = "") -> User:
    """Deactivate a user: no sign-in, every API token revoked, every web session ended
    (a system administrator, or the operator at the command line)."""
    _require_system_admin(acting_user)
    with transaction.atomic():
        user = _user_named(username)
        user = User.objects.select_for_update().get(pk=user.pk)
        if acting_user is not None and user.pk == acting_user.pk:
            raise RuleViolation(_("You cannot deactivate yourself."), field="username")
        was_active = user.is_active
        user.is_active = False
        user.save(update_fields=["is_active"])
        revoked = revoke_tokens_of(user, acting_user=acting_user, reason=reason or "deactivated")
        sessions = _end_sessions_of(user)
        audit_record(
            actor=acting_user,
            action="user.deactivate",
            obj=user,
            before={"is_active": was_active},
            after={"is_active": False, "tokens_revoked": revoked, "sessions_ended": sessions},
            reason=reason,
        )
    return user


def user_list(*, acting_user: User, query: str = "") -> list[dict[str, object]]:
    """Users as the system administrator's page lists them: role, office, whether they may sign
    in, whether sign-in is locked after failures and whether a second factor is set up."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from jamsos.accounts.models import SignInLock

    _require_system_admin(acting_user)
    users = User.objects.select_related("branch_office", "regional_office").order_by("username")
    query = query.strip()
    if query:
        users = users.filter(Q(username__icontains=query) | Q(first_name__icontains=query))
    listed = list(users[:200])
    names = [u.username.lower() for u in listed]
    locked = set(
        SignInLock.objects.filter(
            kind=SignInLock.Kind.ACCOUNT, key__in=names, failures__gt=0
        ).values_list("key", flat=True)
    )
    enrolled = set(
        TOTPDevice.objects.filter(user__in=listed, confirmed=True).values_list("user_id", flat=True)
    )
    return [
        {
            "user": u,
            "office": u.branch_office or u.regional_office,
            "locked": u.username.lower() in locked,
            "second_factor": u.pk in enrolled,
        }
        for u in listed
    ]
