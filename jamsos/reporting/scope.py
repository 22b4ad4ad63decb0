"""Who may read which report: an office (regional or branch), optionally narrowed to a
province or a regency, checked against the viewer's role. Every report goes through here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from jamsos.accounts.access import office_allows, require_operator
from jamsos.accounts.models import User
from jamsos.accounts.policy import Action
from jamsos.core.errors import NotFound, PermissionDenied, field_error
from jamsos.registry.models import BranchOffice, Province, Regency, RegionalOffice


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


def office_area(branches: list[BranchOffice]) -> tuple[Any, Any]:
    """The provinces and regencies the branches serve (the filters an office may choose)."""
    regencies = Regency.objects.filter(branch_offices__in=branches).distinct().order_by("code")
    provinces = Province.objects.filter(regencies__in=regencies).distinct().order_by("code")
    return provinces, regencies


def _outside(field: str, code: str, word_id: str) -> Exception:
    return field_error(
        field,
        f"{field} {code} is outside the office's area",
        f"{word_id} {code} di luar wilayah kantor ini",
        "area.outside_office",
    )


def report_scope(user: User | None, office: str, province: str = "", regency: str = "") -> Scope:
    """The branches an office covers, narrowed to a province or regency, if the user may see
    them: a branch officer its own branch, a regional head their region, auditors and
    administrators every office (``None``: the operator at the command line, every office)."""
    require_operator(user, Action.REPORT_READ, code="report.scope")
    branch = BranchOffice.objects.filter(code=office).first()
    region = RegionalOffice.objects.filter(code=office).first()
    found = branch or region
    if found is None:
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
    if user is not None and not office_allows(user, branches):
        raise PermissionDenied(
            "An office sees its own branches.",
            message_id="Kantor hanya melihat cabangnya sendiri.",
            code="report.scope",
        )
    area_name = ""
    if regency or province:
        provinces, regencies = office_area(branches)
    if regency:
        area_name = _area_name(Regency, "regency", regency, "kabupaten")
        if not regencies.filter(code=regency).exists():
            raise _outside("regency", regency, "kabupaten/kota")
        province = ""
    elif province:
        area_name = _area_name(Province, "province", province, "provinsi")
        if not provinces.filter(code=province).exists():
            raise _outside("province", province, "provinsi")
    name = found.name
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
