"""Writes for the registry.

Each service checks access, runs in a transaction and writes its audit event.
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.id import npwp as stdnum_npwp

from jamsos.accounts.access import (
    access_employer_for_verification,
    acts_for_employers,
    may_register_employer_in,
    require,
)
from jamsos.accounts.models import User
from jamsos.accounts.policy import Action
from jamsos.core.audit import audit_record, snapshot
from jamsos.core.bounds import check_date
from jamsos.core.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    check_choice,
    field_error,
    required_text,
)
from jamsos.registry.models import (
    BranchOffice,
    Employer,
    EmployerDivision,
    EmployerRiskClass,
    EmployerStatus,
    EnterpriseSize,
    Regency,
    RegionalOffice,
    Sector,
)

EMPLOYER_AUDIT_FIELDS = (
    "npp",
    "legal_name",
    "branch_office",
    "status",
    "status_reason",
    "npwp",
    "sector",
    "size",
    "regency",
)
FIRST_NPP = 10_000_001


def office_upsert_regional(*, code: str, name: str, city: str, time_zone: str) -> RegionalOffice:
    """Create or update a regional office (reference data load; audited as the system)."""
    with transaction.atomic():
        office, created = RegionalOffice.objects.update_or_create(
            code=code, defaults={"name": name, "city": city, "time_zone": time_zone}
        )
        if created:
            audit_record(
                actor=None,
                action="office.create",
                obj=office,
                after=snapshot(office, ("code", "name", "city", "time_zone")),
            )
    return office


def office_upsert_branch(
    *, code: str, name: str, regional_office: RegionalOffice, time_zone: str
) -> BranchOffice:
    with transaction.atomic():
        office, created = BranchOffice.objects.update_or_create(
            code=code,
            defaults={"name": name, "regional_office": regional_office, "time_zone": time_zone},
        )
        if created:
            audit_record(
                actor=None,
                action="office.create",
                obj=office,
                after=snapshot(office, ("code", "name", "regional_office", "time_zone")),
            )
    return office


def _next_npp() -> str:
    highest = Employer.objects.aggregate(m=Max("npp"))["m"]
    return f"{max(int(highest) + 1, FIRST_NPP) if highest else FIRST_NPP:08d}"


def employer_register(
    *,
    acting_user: User | None,
    legal_name: str,
    npwp: str,
    sector: str,
    size: str,
    regency_code: str,
    risk_class: int,
    address: str = "",
    branch_office_code: str | None = None,
) -> Employer:
    """Register an employer awaiting verification by its branch; the NPP is generated, the main
    division 000 is created and the JKK risk class starts on the registration date."""
    if acting_user is not None:
        require(
            acting_user,
            Action.EMPLOYER_REGISTER,
            message=_("Your role may not register employers."),
        )
    legal_name = required_text("legal_name", legal_name)
    if not stdnum_npwp.is_valid(npwp or ""):
        raise field_error(
            "npwp",
            "is not a valid NPWP (15 or 16 digits with a valid check digit)",
            "bukan NPWP yang sah (15 atau 16 digit dengan digit periksa yang benar)",
            code="invalid_npwp",
        )
    if sector not in Sector.values:
        raise field_error(
            "sector", "must be a KBLI section letter A-U", "harus huruf seksi KBLI A-U"
        )
    check_choice("size", size, EnterpriseSize.values)
    if isinstance(risk_class, bool) or risk_class not in (1, 2, 3, 4, 5):
        raise field_error("risk_class", "must be 1 to 5", "harus 1 sampai 5")
    regency = Regency.objects.filter(code=regency_code).first()
    if regency is None:
        raise field_error(
            "regency",
            f"no regency or city with code {regency_code!r}",
            f"tidak ada kabupaten/kota dengan kode {regency_code!r}",
            code="not_found",
        )
    if branch_office_code:
        branch = BranchOffice.objects.filter(code=branch_office_code).first()
        if branch is None:
            raise NotFound(
                _("No branch office with code %(code)s.") % {"code": repr(branch_office_code)},
                field="branch_office",
            )
    else:
        branch = BranchOffice.objects.filter(regencies=regency).first()
        if branch is None:
            raise field_error(
                "regency",
                "no branch office serves this regency; name the branch",
                "belum ada kantor cabang yang melayani wilayah ini; sebutkan kantor cabangnya",
                code="no_branch",
            )
    if acting_user is not None and not may_register_employer_in(acting_user, branch):
        raise PermissionDenied(
            "A branch officer registers employers in their own branch only.",
            message_id="Petugas cabang hanya mendaftarkan pemberi kerja di cabangnya sendiri.",
            code="employer.branch_forbidden",
            field="branch_office",
        )
    now = timezone.now()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                employer = Employer.objects.create(
                    npp=_next_npp(),
                    legal_name=legal_name,
                    branch_office=branch,
                    registered_at=now,
                    npwp=stdnum_npwp.compact(npwp),
                    sector=sector,
                    size=size,
                    address=address.strip(),
                    regency=regency,
                )
                EmployerDivision.objects.create(employer=employer, code="000", name=legal_name)
                EmployerRiskClass.objects.create(
                    employer=employer,
                    risk_class=risk_class,
                    effective_from=timezone.localdate(now),
                    reason="registration",
                )
                if acting_user is not None and acts_for_employers(acting_user):
                    employer.administrators.add(acting_user)
                audit_record(
                    actor=acting_user,
                    action="employer.register",
                    obj=employer,
                    after={**snapshot(employer, EMPLOYER_AUDIT_FIELDS), "risk_class": risk_class},
                )
                return employer
        except IntegrityError:
            continue  # another registration took the same NPP; take the next one
    raise Conflict(_("Could not allocate an NPP; try again."), code="employer.npp_busy")


def employer_risk_class_on(employer: Employer, on: date) -> int | None:
    """The JKK risk class in force on a date. Months before the first assessment (work done
    before the employer registered, billed later) take the class assessed at registration, as
    the billing run does; ``None`` only for an employer never assessed."""
    rows = EmployerRiskClass.objects.filter(employer=employer)
    row = (
        rows.filter(effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=on))
        .first()
    ) or rows.order_by("effective_from").first()
    return row.risk_class if row else None


def employer_risk_class_set(
    *, acting_user: User, employer_id: int, risk_class: int, effective_from: date, reason: str
) -> EmployerRiskClass:
    """A branch officer re-assesses the JKK risk class from a date (the period before is kept)."""
    if isinstance(risk_class, bool) or risk_class not in (1, 2, 3, 4, 5):
        raise field_error("risk_class", "must be 1 to 5", "harus 1 sampai 5")
    if not (reason or "").strip():
        raise field_error("reason", "is required", "wajib diisi", code="required")
    check_date("effective_from", effective_from, "risk_class", today=timezone.localdate())
    with transaction.atomic():
        employer = access_employer_for_verification(acting_user, employer_id)
        rows = list(EmployerRiskClass.objects.select_for_update().filter(employer=employer))
        if any(r.effective_from >= effective_from for r in rows):
            raise Conflict(
                "effective_from: a risk class already starts on or after this date",
                code="risk_class.not_after_last",
                field="effective_from",
                message_id="effective_from: kelas risiko sudah dimulai pada atau "
                "setelah tanggal ini",
            )
        current = next((r for r in rows if r.effective_to is None), None)
        before = {"risk_class": current.risk_class if current else None}
        if current is not None:
            current.effective_to = effective_from
            current.save(update_fields=["effective_to"])
        row = EmployerRiskClass.objects.create(
            employer=employer, risk_class=risk_class, effective_from=effective_from, reason=reason
        )
        audit_record(
            actor=acting_user,
            action="employer.risk_class",
            obj=employer,
            before=before,
            after={"risk_class": risk_class, "effective_from": effective_from.isoformat()},
            reason=reason,
        )
    return row


#: status -> statuses it may change to
STATUS_CHANGES = {
    EmployerStatus.ACTIVE: {EmployerStatus.INACTIVE, EmployerStatus.CLOSED},
    EmployerStatus.INACTIVE: {EmployerStatus.ACTIVE, EmployerStatus.CLOSED},
    EmployerStatus.PENDING: {EmployerStatus.CLOSED},
    EmployerStatus.CLOSED: set(),
}


def employer_status_change(
    *, acting_user: User, employer_id: int, status: str, reason: str
) -> Employer:
    """A branch officer marks an employer inactive, closed or active again, with the reason."""
    access_employer_for_verification(acting_user, employer_id)  # the gate before anything else
    check_choice("status", status, EmployerStatus.values)
    if not (reason or "").strip():
        raise field_error("reason", "is required", "wajib diisi", code="required")
    with transaction.atomic():
        employer = access_employer_for_verification(acting_user, employer_id)
        employer = Employer.objects.select_for_update().get(pk=employer.pk)
        if status not in STATUS_CHANGES[EmployerStatus(employer.status)]:
            raise Conflict(
                f"status: {employer.status} cannot become {status}",
                code="employer.status_change",
                field="status",
                message_id=f"status: {employer.status} tidak dapat menjadi {status}",
            )
        before = snapshot(employer, EMPLOYER_AUDIT_FIELDS)
        employer.status, employer.status_reason = status, reason.strip()
        employer.save(update_fields=["status", "status_reason"])
        audit_record(
            actor=acting_user,
            action="employer.status",
            obj=employer,
            before=before,
            after=snapshot(employer, EMPLOYER_AUDIT_FIELDS),
            reason=reason,
        )
    return employer


def employer_labour_intensive_set(
    *, acting_user: User, employer_id: int, labour_intensive: bool, reason: str
) -> Employer:
    """A branch officer records whether the employer is in a labour-intensive industry of
    PP 7/2025 (with at least 50 workers): its JKK is billed with the discount while in force."""
    if not isinstance(labour_intensive, bool):
        raise field_error("labour_intensive", "must be true or false", "harus true atau false")
    if not (reason or "").strip():
        raise field_error("reason", "is required", "wajib diisi", code="required")
    with transaction.atomic():
        employer = access_employer_for_verification(acting_user, employer_id)
        employer = Employer.objects.select_for_update().get(pk=employer.pk)
        before = {"labour_intensive": employer.labour_intensive}
        employer.labour_intensive = labour_intensive
        employer.save(update_fields=["labour_intensive"])
        audit_record(
            actor=acting_user,
            action="employer.labour_intensive",
            obj=employer,
            before=before,
            after={"labour_intensive": labour_intensive},
            reason=reason,
        )
    return employer


def employer_verify(*, acting_user: User, employer_id: int, reason: str = "") -> Employer:
    """A branch officer verifies a pending registration; the employer becomes active."""
    with transaction.atomic():
        employer = access_employer_for_verification(acting_user, employer_id)
        employer = Employer.objects.select_for_update().get(pk=employer.pk)
        if employer.status != EmployerStatus.PENDING:
            raise Conflict(
                _("The employer is %(status)s, not awaiting verification.")
                % {"status": employer.get_status_display()},
                code="employer.not_pending",
            )
        before = snapshot(employer, EMPLOYER_AUDIT_FIELDS)
        employer.status = EmployerStatus.ACTIVE
        employer.status_reason = reason
        employer.verified_at = timezone.now()
        employer.verified_by = acting_user
        employer.save(update_fields=["status", "status_reason", "verified_at", "verified_by"])
        audit_record(
            actor=acting_user,
            action="employer.verify",
            obj=employer,
            before=before,
            after=snapshot(employer, EMPLOYER_AUDIT_FIELDS),
            reason=reason,
        )
    return employer
