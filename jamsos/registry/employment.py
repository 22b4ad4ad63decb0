"""Wage earners (PU): enrolment by an employer, wage changes, leavers, and wage approvals.

The wage floor (BPJS Ketenagakerjaan circular SE B/12/012023) is checked by the rules engine:
below Rp1,000,000 a wage is refused; below the lowest national UMP it waits for the approval of
an officer of the employer's branch and does not count until then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from jamsos.accounts.access import (
    access_employer_for_verification,
    access_employer_for_workers,
    access_employment,
)
from jamsos.accounts.models import User
from jamsos.core.audit import audit_record
from jamsos.core.bounds import check_amount, check_date
from jamsos.core.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    check_choice,
    field_error,
    required_text,
)
from jamsos.registry.enrolment import (
    limit_identity_guesses,
    participant_get_or_create,
    person_get_or_create,
)
from jamsos.registry.models import (
    Employer,
    EmployerDivision,
    EmployerStatus,
    Employment,
    ExitReason,
    Segment,
    Sex,
    WageRecord,
    WageStatus,
)
from jamsos.registry.nik import NikWarning, parse_nik
from jamsos.rules.calc.contributions import pu_wage_floor_check


def _wage_status(wage_idr: int, on: date) -> tuple[str, list[NikWarning]]:
    if isinstance(wage_idr, bool) or not isinstance(wage_idr, int) or wage_idr <= 0:
        raise field_error(
            "wage_idr",
            "must be a whole number of rupiah above 0",
            "harus bilangan bulat rupiah di atas 0",
        )
    check_amount("wage_idr", wage_idr, "wage")
    check_date("effective_from", on, "employment", today=timezone.localdate())
    check = pu_wage_floor_check(wage_idr, on)
    if check.outcome == "refused":
        raise field_error(
            "wage_idr",
            f"is below the absolute floor Rp{check.absolute_floor_idr:,} ({check.legal_basis})",
            f"di bawah batas terendah Rp{check.absolute_floor_idr:,} ({check.legal_basis})",
            code="wage.below_floor",
        )
    if check.outcome == "needs_approval":
        return WageStatus.PENDING, [
            NikWarning(
                "wage.needs_approval",
                f"The wage is below the floor Rp{check.floor_idr:,}: it counts once an officer "
                "of the branch approves it.",
                f"Upah di bawah batas Rp{check.floor_idr:,}: berlaku setelah disetujui petugas "
                "kantor cabang.",
            )
        ]
    return WageStatus.APPROVED, []


@dataclass(frozen=True)
class Enrolment:
    employment: Employment
    warnings: tuple[NikWarning, ...]


@limit_identity_guesses
def pu_worker_enrol(
    *,
    acting_user: User,
    employer_id: int,
    nik: str,
    full_name: str,
    birth_date: date,
    sex: str,
    start_on: date,
    wage_idr: int,
    division_code: str = "000",
    today: date | None = None,
) -> Enrolment:
    """Enrol a worker at an employer: one person per NIK, one PU card (KPJ) for life."""
    access_employer_for_workers(acting_user, employer_id)  # the gate before anything else
    today = today or timezone.localdate()
    full_name = required_text("full_name", full_name)
    if sex not in Sex.values:
        raise field_error("sex", "must be F or M", "harus F atau M")
    check_date("birth_date", birth_date, "birth_date", today=today)
    check_date("start_on", start_on, "employment", today=today)
    info = parse_nik(nik, today=today, declared_birth_date=birth_date, declared_sex=sex)
    status, wage_warnings = _wage_status(wage_idr, start_on)
    now = timezone.now()
    try:
        with transaction.atomic():
            employer = access_employer_for_workers(acting_user, employer_id)
            if employer.status != EmployerStatus.ACTIVE:
                raise Conflict(
                    f"employer: the employer is {employer.status}, not active",
                    code="employer.not_active",
                    field="employer",
                    message_id=f"employer: status pemberi kerja {employer.status}, bukan aktif",
                )
            division = EmployerDivision.objects.filter(
                employer=employer, code=division_code
            ).first()
            if division is None:
                raise field_error(
                    "division",
                    f"the employer has no division {division_code!r}",
                    f"pemberi kerja tidak memiliki divisi {division_code!r}",
                )
            person, _warnings = person_get_or_create(
                info.nik, full_name, birth_date, sex, acting_user, today
            )
            participant = participant_get_or_create(
                person, Segment.PU, employer.branch_office_id, acting_user, today
            )
            employment = Employment.objects.create(
                participant=participant, employer=employer, division=division, start_on=start_on
            )
            WageRecord.objects.create(
                employment=employment,
                effective_from=start_on,
                wage_idr=wage_idr,
                status=status,
                reported_at=now,
                reported_by=acting_user,
            )
            audit_record(
                actor=acting_user,
                action="employment.start",
                obj=participant,
                after={
                    "employer": employer.npp,
                    "division": division.code,
                    "start_on": start_on.isoformat(),
                    "wage_idr": wage_idr,
                    "wage_status": status,
                },
            )
    except IntegrityError:
        raise Conflict(
            "nik: the worker is already employed by this employer",
            code="employment.exists",
            field="nik",
            message_id="nik: pekerja ini sudah bekerja pada pemberi kerja ini",
        ) from None
    return Enrolment(employment, (*info.warnings, *wage_warnings))


def pu_wage_change(
    *, acting_user: User, employment_id: int, effective_from: date, wage_idr: int
) -> tuple[WageRecord, tuple[NikWarning, ...]]:
    """Report a new wage from a date (an earlier month's correction is billed as an
    adjustment by the billing run)."""
    access_employment(acting_user, employment_id, write=True)  # the gate before anything else
    status, warnings = _wage_status(wage_idr, effective_from)
    try:
        with transaction.atomic():
            employment = access_employment(acting_user, employment_id, write=True)
            if effective_from < employment.start_on or (
                employment.end_on is not None and effective_from > employment.end_on
            ):
                raise field_error(
                    "effective_from", "must be within the employment", "harus dalam masa kerja"
                )
            record = WageRecord.objects.create(
                employment=employment,
                effective_from=effective_from,
                wage_idr=wage_idr,
                status=status,
                reported_at=timezone.now(),
                reported_by=acting_user,
            )
            audit_record(
                actor=acting_user,
                action="employment.wage",
                obj=employment.participant,
                after={
                    "employer": employment.employer.npp,
                    "wage_idr": wage_idr,
                    "effective_from": effective_from.isoformat(),
                    "wage_status": status,
                },
            )
    except IntegrityError:
        raise Conflict(
            "effective_from: a wage is already reported from this date",
            code="wage.exists",
            field="effective_from",
            message_id="effective_from: upah dari tanggal ini sudah dilaporkan",
        ) from None
    return record, tuple(warnings)


def pu_wage_approve(*, acting_user: User, wage_record_id: int) -> WageRecord:
    """An officer of the employer's branch approves a wage below the floor."""
    with transaction.atomic():
        record = (
            WageRecord.objects.select_for_update()
            .select_related("employment__participant")
            .filter(pk=wage_record_id)
            .first()
        )
        if record is None:
            raise NotFound(
                "No such wage record.",
                message_id="Catatan upah tidak ditemukan.",
                code="wage.not_found",
            )
        access_employer_for_verification(acting_user, record.employment.employer_id)
        if record.status != WageStatus.PENDING:
            return record  # approving twice changes nothing
        if record.reported_by_id == acting_user.pk:
            raise PermissionDenied(
                "An officer may not approve a wage below the floor that they reported "
                "themselves; another officer of the branch approves it.",
                code="wage.self_approval",
                message_id="Petugas tidak boleh menyetujui upah di bawah batas yang ia "
                "laporkan sendiri; petugas lain di kantor cabang yang menyetujuinya.",
            )
        record.status, record.approved_at = WageStatus.APPROVED, timezone.now()
        record.approved_by = acting_user
        record.save(update_fields=["status", "approved_at", "approved_by"])
        audit_record(
            actor=acting_user,
            action="employment.wage_approved",
            obj=record.employment.participant,
            before={"wage_status": WageStatus.PENDING},
            after={"wage_status": WageStatus.APPROVED, "wage_idr": record.wage_idr},
        )
    return record


def pu_employment_end(
    *, acting_user: User, employment_id: int, end_on: date, exit_reason: str
) -> Employment:
    """Report a leaver with the date and the reason (claims depend on both)."""
    access_employment(acting_user, employment_id, write=True)  # the gate before anything else
    check_choice("exit_reason", exit_reason, ExitReason.values)
    check_date("end_on", end_on, "employment", today=timezone.localdate())
    with transaction.atomic():
        employment = access_employment(acting_user, employment_id, write=True)
        employment = Employment.objects.select_for_update().get(pk=employment.pk)
        if employment.end_on is not None:
            raise Conflict(
                "end_on: the employment has already ended",
                code="employment.ended",
                field="end_on",
                message_id="end_on: masa kerja sudah berakhir",
            )
        if end_on < employment.start_on:
            raise field_error(
                "end_on", "must not be before the start date", "tidak boleh sebelum tanggal mulai"
            )
        employment.end_on, employment.exit_reason = end_on, exit_reason
        employment.save(update_fields=["end_on", "exit_reason"])
        audit_record(
            actor=acting_user,
            action="employment.end",
            obj=employment.participant,
            after={
                "employer": employment.employer.npp,
                "end_on": end_on.isoformat(),
                "exit_reason": exit_reason,
            },
        )
    return employment


def wage_on(employment: Employment, on: date) -> WageRecord | None:
    """The approved wage in force on a date."""
    return (
        WageRecord.objects.filter(
            employment=employment, status=WageStatus.APPROVED, effective_from__lte=on
        )
        .order_by("-effective_from")
        .first()
    )


def workers_of(employer: Employer) -> list[Employment]:
    """Current and past workers of an employer, newest first."""
    return list(
        Employment.objects.filter(employer=employer)
        .select_related("participant__person", "division")
        .order_by("end_on", "-start_on")
    )
