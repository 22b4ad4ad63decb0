"""Who may read which report: an office (regional or branch), optionally narrowed to a
province or a regency, checked against the viewer's role. Every report goes through here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from jamsos.accounts.models import User
from jamsos.accounts.roles import Role
from jamsos.core.errors import NotFound, PermissionDenied, field_error
from jamsos.registry.models import BranchOffice, Province, Regency, RegionalOffice

#: Roles that read the agency's reports.
READERS = (
    Role.BRANCH_OFFICER,
    Role.REGIONAL_HEAD,
    Role.AUDITOR,
    Role.SYSTEM_ADMIN,
    Role.CLAIMS_OFFICER,
)


@dataclass(frozen=True)
class Scope:
    office: str
    name: str
    branches: list[BranchOffice]
    province: str = ""
    regency: str = ""
    area_name: str = ""
    branch_ids: list[int] = field(default_factory=list)

    def rows(self, prefix: str = "") -> Q:
        """The filter on a summary table with ``branch_office``, ``province`` and ``regency``
        columns (``prefix`` for a related table)."""
        q = Q(**{f"{prefix}branch_office_id__in": self.branch_ids})
        if self.regency:
            q &= Q(**{f"{prefix}regency": self.regency})
        elif self.province:
            q &= Q(**{f"{prefix}province": self.province})
        return q

    def as_params(self) -> dict[str, str]:
        params = {"office": self.office}
        if self.regency:
            params["regency"] = self.regency
        elif self.province:
            params["province"] = self.province
        return params

    def label(self) -> str:
        return f"{self.name} — {self.area_name}" if self.area_name else self.name


def _area_name(model: Any, field: str, code: str, word_id: str) -> str:
    found = model.objects.filter(code=code).first()
    if found is None:
        raise field_error(
            field, f"no {field} {code}", f"tidak ada {word_id} {code}", "area.not_found"
        )
    return str(found.name)


def report_scope(user: User, office: str, province: str = "", regency: str = "") -> Scope:
    """The branches an office covers, narrowed to a province or regency, if the user may see
    them: a branch officer its own branch, a regional head their region, auditors and
    administrators every office."""
    if user.role not in READERS:
        raise PermissionDenied(
            "Reports are for the agency's offices.",
            message_id="Laporan hanya untuk kantor BPJS.",
            code="report.scope",
        )
    branch = BranchOffice.objects.filter(code=office).first()
    region = RegionalOffice.objects.filter(code=office).first()
    if branch is None and region is None:
        raise NotFound(
            f"office: no office {office}",
            message_id=f"office: tidak ada kantor {office}",
            field="office",
            code="office.not_found",
        )
    branches = (
        [branch]
        if branch
        else list(BranchOffice.objects.filter(regional_office=region).order_by("code"))
    )
    if user.role == Role.BRANCH_OFFICER and (branch is None or branch.pk != user.branch_office_id):
        raise PermissionDenied(
            "A branch officer sees its own branch.",
            message_id="Petugas cabang hanya melihat cabangnya sendiri.",
            code="report.scope",
        )
    if user.role == Role.REGIONAL_HEAD and any(
        b.regional_office_id != user.regional_office_id for b in branches
    ):
        raise PermissionDenied(
            "A regional head sees their own region.",
            message_id="Kepala wilayah hanya melihat wilayahnya sendiri.",
            code="report.scope",
        )
    area_name = ""
    if regency:
        area_name = _area_name(Regency, "regency", regency, "kabupaten")
        province = ""
    elif province:
        area_name = _area_name(Province, "province", province, "provinsi")
    name = branch.name if branch else region.name  # type: ignore[union-attr]
    return Scope(
        office=office,
        name=name,
        branches=branches,
        province=province,
        regency=regency,
        area_name=area_name,
        branch_ids=[b.pk for b in branches],
    )


def scope_provinces(scope: Scope) -> set[str]:
    """The provinces whose workforce is the denominator of the scope's participation rate."""
    if scope.regency:
        return set()  # no workforce figures below the province
    if scope.province:
        return {scope.province}
    return set(
        BranchOffice.regencies.through.objects.filter(branchoffice__in=scope.branches).values_list(
            "regency__province_id", flat=True
        )
    )


def summary_meta(scope: Scope) -> dict[str, Any]:
    return {
        "office": scope.office,
        "name": scope.name,
        "province": scope.province or None,
        "regency": scope.regency or None,
        "area": scope.area_name or None,
    }
