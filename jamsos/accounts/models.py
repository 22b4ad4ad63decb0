"""Users with one role each, bound to the office or employers their role needs; API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jamsos.accounts.roles import Role


class RoleChoices(models.TextChoices):
    PARTICIPANT = Role.PARTICIPANT, _("Participant")
    SPONSOR = Role.SPONSOR, _("Sponsor")
    EMPLOYER_ADMIN = Role.EMPLOYER_ADMIN, _("Employer administrator")
    CONTRACTOR = Role.CONTRACTOR, _("Contractor")
    BRANCH_OFFICER = Role.BRANCH_OFFICER, _("Branch officer")
    CLAIMS_OFFICER = Role.CLAIMS_OFFICER, _("Claims officer")
    REGIONAL_HEAD = Role.REGIONAL_HEAD, _("Regional head")
    AUDITOR = Role.AUDITOR, _("Auditor")
    SYSTEM_ADMIN = Role.SYSTEM_ADMIN, _("System administrator")


class User(AbstractUser):
    """A person who signs in.

    Employer administrators are bound through ``Employer.administrators``.
    """

    role = models.CharField(_("role"), max_length=32, choices=RoleChoices.choices)
    branch_office = models.ForeignKey(
        "registry.BranchOffice",
        verbose_name=_("branch office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officers",
    )
    regional_office = models.ForeignKey(
        "registry.RegionalOffice",
        verbose_name=_("regional office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="heads",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="user_role_valid",
                condition=Q(role__in=[r.value for r in Role]),
            ),
            models.CheckConstraint(
                name="user_branch_only_for_branch_officer",
                condition=(
                    Q(role=Role.BRANCH_OFFICER, branch_office__isnull=False)
                    | (~Q(role=Role.BRANCH_OFFICER) & Q(branch_office__isnull=True))
                ),
            ),
            models.CheckConstraint(
                name="user_region_only_for_regional_head",
                condition=(
                    Q(role=Role.REGIONAL_HEAD, regional_office__isnull=False)
                    | (~Q(role=Role.REGIONAL_HEAD) & Q(regional_office__isnull=True))
                ),
            ),
        ]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def role_enum(self) -> Role:
        return Role(self.role)


class ApiToken(models.Model):
    """A bearer token for the REST API. Only its SHA-256 digest is stored."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(
        max_length=8, help_text=_("First characters of the token, to tell tokens apart.")
    )
    label = models.CharField(_("label"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(
        _("last used at"),
        null=True,
        blank=True,
        help_text=_("Updated at most once a minute, so using a token stays cheap."),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    second_factor = models.BooleanField(
        _("issued with a second factor"),
        default=False,
        help_text=_("Staff tokens are refused unless issued with a second-factor code."),
    )

    class Meta:
        indexes = [models.Index(fields=["user", "revoked_at"], name="token_user_active_idx")]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user_id})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class SignInLock(models.Model):
    """Failed sign-in attempts for one account (username) or one client address, and until
    when sign-in is refused for it (jamsos.accounts.lockout)."""

    class Kind(models.TextChoices):
        ACCOUNT = "account", _("Account")
        ADDRESS = "address", _("Address")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    key = models.CharField(
        max_length=150, help_text=_("The username (lower case) or the client address.")
    )
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="signin_lock_unique"),
        ]
        verbose_name = _("sign-in lock")
        verbose_name_plural = _("sign-in locks")

    def __str__(self) -> str:
        return f"{self.kind} {self.key}: {self.failures}"


class RecoveryCode(models.Model):
    """A one-use code that stands in for the authenticator app (a lost phone). Only its SHA-256
    digest is stored; the codes are shown once, when made."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "digest"], name="recovery_code_user_idx")]
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self) -> str:
        return f"recovery code of {self.user_id}"
