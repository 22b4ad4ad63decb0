"""Offices and employers. The registry issue adds people, participants, projects and regions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TimeZone(models.TextChoices):
    """Indonesia's three time zones, by the IANA name the database and Python use."""

    WIB = "Asia/Jakarta", _("WIB (UTC+7)")
    WITA = "Asia/Makassar", _("WITA (UTC+8)")
    WIT = "Asia/Jayapura", _("WIT (UTC+9)")


class Province(models.Model):
    """A province with its Kemendagri code (two digits, e.g. 65 Kalimantan Utara)."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


class Regency(models.Model):
    """A regency (kabupaten) or city (kota) with its Kemendagri code, e.g. ``63.71``."""

    code = models.CharField(_("code"), max_length=5, primary_key=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="regencies")
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("regency or city")
        verbose_name_plural = _("regencies and cities")

    def __str__(self) -> str:
        return self.name

    @property
    def is_city(self) -> bool:
        return self.name.startswith("Kota ")


class RegionalOffice(models.Model):
    """A regional office (Kantor Wilayah), e.g. Kalimantan in Banjarmasin."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=100)
    city = models.CharField(_("city"), max_length=100)
    time_zone = models.CharField(_("time zone"), max_length=32, choices=TimeZone.choices)

    class Meta:
        ordering = ["name"]
        verbose_name = _("regional office")
        verbose_name_plural = _("regional offices")

    def __str__(self) -> str:
        return self.name


class BranchOffice(models.Model):
    """A branch office (Kantor Cabang) reporting to one regional office."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=100)
    regional_office = models.ForeignKey(
        RegionalOffice, on_delete=models.PROTECT, related_name="branches"
    )
    time_zone = models.CharField(_("time zone"), max_length=32, choices=TimeZone.choices)
    regencies = models.ManyToManyField(
        Regency,
        blank=True,
        related_name="branch_offices",
        help_text=_("The regencies and cities this branch serves."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("branch office")
        verbose_name_plural = _("branch offices")

    def __str__(self) -> str:
        return self.name


class EmployerStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting verification")
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    CLOSED = "closed", _("Closed")


class Employer(models.Model):
    """A company (pemberi kerja) identified by its NPP.

    The registry issue adds NPWP, sector, size, risk class and address.
    """

    npp = models.CharField(_("NPP"), max_length=8, unique=True)
    legal_name = models.CharField(_("legal name"), max_length=200)
    branch_office = models.ForeignKey(
        BranchOffice,
        verbose_name=_("branch office"),
        on_delete=models.PROTECT,
        related_name="employers",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=EmployerStatus.choices, default=EmployerStatus.PENDING
    )
    status_reason = models.TextField(_("status reason"), blank=True)
    registered_at = models.DateTimeField(_("registered at"))
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    administrators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="administered_employers"
    )

    class Meta:
        ordering = ["legal_name"]
        indexes = [
            models.Index(fields=["branch_office", "status"], name="employer_branch_status_idx")
        ]
        constraints = [
            models.CheckConstraint(
                name="employer_npp_8_digits", condition=Q(npp__regex=r"^[0-9]{8}$")
            ),
            models.CheckConstraint(
                name="employer_status_valid", condition=Q(status__in=EmployerStatus.values)
            ),
        ]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")

    def __str__(self) -> str:
        return f"{self.legal_name} ({self.npp})"
