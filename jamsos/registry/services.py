"""Writes for the registry.

Each service checks access, runs in a transaction and writes its audit event.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from jamsos.accounts.models import User
from jamsos.accounts.roles import Role
from jamsos.core.audit import audit_record, snapshot
from jamsos.core.errors import Conflict, NotFound, PermissionDenied, RuleViolation
from jamsos.registry.access import access_employer_for_verification
from jamsos.registry.models import BranchOffice, Employer, EmployerStatus, RegionalOffice

EMPLOYER_AUDIT_FIELDS = ("npp", "legal_name", "branch_office", "status", "status_reason")
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
    *, acting_user: User | None, legal_name: str, branch_office_code: str
) -> Employer:
    """Register an employer awaiting verification by its branch; the NPP is generated."""
    if acting_user is not None and acting_user.role not in (
        Role.EMPLOYER_ADMIN,
        Role.BRANCH_OFFICER,
        Role.SYSTEM_ADMIN,
    ):
        raise PermissionDenied(_("Your role may not register employers."))
    legal_name = legal_name.strip()
    if not legal_name:
        raise RuleViolation(_("The legal name is required."), field="legal_name")
    branch = BranchOffice.objects.filter(code=branch_office_code).first()
    if branch is None:
        raise NotFound(
            _("No branch office with code %(branch_office_code)s.")
            % {"branch_office_code": repr(branch_office_code)},
            field="branch_office",
        )
    for _attempt in range(5):
        try:
            with transaction.atomic():
                employer = Employer.objects.create(
                    npp=_next_npp(),
                    legal_name=legal_name,
                    branch_office=branch,
                    registered_at=timezone.now(),
                )
                if acting_user is not None and acting_user.role == Role.EMPLOYER_ADMIN:
                    employer.administrators.add(acting_user)
                audit_record(
                    actor=acting_user,
                    action="employer.register",
                    obj=employer,
                    after=snapshot(employer, EMPLOYER_AUDIT_FIELDS),
                )
                return employer
        except IntegrityError:
            continue  # another registration took the same NPP; take the next one
    raise Conflict(_("Could not allocate an NPP; try again."), code="employer.npp_busy")


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
