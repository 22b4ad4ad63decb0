"""Construction projects (Jakon) and migrant placements (PMI): registration services.

Permenaker 44/2015 (now Permenaker 5/2021): a project is registered within 14 working days of
its work order (SPK); worker changes are reported within 7 working days. Permenaker 4/2023: a
migrant worker's placement with the agreement date, the destination and the contract length.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from jamsos.accounts.access import (
    access_employer_for_workers,
    access_project_to_manage,
    acts_for_employers,
    can,
    projects_visible_to,
    require,
)
from jamsos.accounts.models import User
from jamsos.accounts.policy import Action
from jamsos.core.audit import audit_record
from jamsos.core.bounds import check_amount, check_date
from jamsos.core.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    check_choice,
    field_error,
)
from jamsos.registry.enrolment import (
    limit_identity_guesses,
    participant_get_or_create,
    person_get_or_create,
)
from jamsos.registry.models import (
    BranchOffice,
    Employer,
    EmployerStatus,
    Funding,
    PmiPlacement,
    Project,
    ProjectWorker,
    Regency,
    Segment,
)
from jamsos.registry.nik import NikWarning, parse_nik
from jamsos.rules.calc.dates import next_working_day
from jamsos.rules.calc.tables import RuleNotInForce, rule_book

REGISTRATION_WORKING_DAYS = 14
COUNTRY_CODES = frozenset(
    {
        "MY",
        "BN",
        "SG",
        "HK",
        "TW",
        "SA",
        "AE",
        "QA",
        "KW",
        "OM",
        "JP",
        "KR",
        "US",
        "AU",
        "NZ",
        "DE",
        "NL",
        "GB",
        "IT",
        "PL",
        "TR",
        "CN",
    }
)


def working_days_after(start: date, days: int) -> date | None:
    """The date ``days`` working days after ``start``; None where no holiday data exists."""
    book = rule_book()
    day = start
    try:
        for _ in range(days):
            day = next_working_day(day + timedelta(days=1), book)
    except RuleNotInForce:
        return None
    return day


@dataclass(frozen=True)
class ProjectRegistration:
    project: Project
    deadline_on: date | None
    late: bool | None


def project_register(
    *,
    acting_user: User,
    contractor_id: int,
    name: str,
    owner_name: str,
    regency_code: str,
    work_order_on: date,
    contract_value_idr: int,
    funding: str,
    start_on: date,
    end_on: date,
) -> ProjectRegistration:
    """A contractor (an employer in sector F) registers a project; late registrations after
    14 working days from the SPK are flagged, not refused."""
    require(
        acting_user,
        Action.PROJECT_REGISTER,
        code="project.register_forbidden",
        message="Your role may not register projects.",
        message_id="Peran Anda tidak boleh mendaftarkan proyek.",
    )
    name, owner_name = " ".join(name.split()), " ".join(owner_name.split())
    if not name:
        raise field_error("name", "is required", "wajib diisi", code="required")
    if not owner_name:
        raise field_error("owner_name", "is required", "wajib diisi", code="required")
    if (
        isinstance(contract_value_idr, bool)
        or not isinstance(contract_value_idr, int)
        or contract_value_idr <= 0
    ):
        raise field_error(
            "contract_value_idr", "must be whole rupiah above 0", "harus rupiah utuh di atas 0"
        )
    check_amount("contract_value_idr", contract_value_idr, "contract_value")
    check_choice("funding", funding, Funding.values)
    for field, day in (
        ("work_order_on", work_order_on),
        ("start_on", start_on),
        ("end_on", end_on),
    ):
        check_date(field, day, "project", today=timezone.localdate())
    if end_on < start_on:
        raise field_error("end_on", "must not be before the start", "tidak boleh sebelum mulai")
    regency = Regency.objects.filter(code=regency_code).first()
    if regency is None:
        raise field_error(
            "regency",
            f"no regency or city with code {regency_code!r}",
            f"tidak ada kabupaten/kota dengan kode {regency_code!r}",
            code="not_found",
        )
    branch = BranchOffice.objects.filter(regencies=regency).first()
    if branch is None:
        raise field_error(
            "regency",
            "no branch office serves this regency",
            "belum ada kantor cabang yang melayani wilayah ini",
            code="no_branch",
        )
    today = timezone.localdate()
    deadline = working_days_after(work_order_on, REGISTRATION_WORKING_DAYS)
    with transaction.atomic():
        contractor = (
            _contractor(acting_user, contractor_id)
            if acts_for_employers(acting_user)
            else access_employer_for_workers(acting_user, contractor_id)
        )
        if contractor.status != EmployerStatus.ACTIVE:
            raise Conflict(
                "contractor_id: the contractor is not active (a branch officer verifies it first)",
                code="employer.not_active",
                field="contractor_id",
                message_id="contractor_id: kontraktor belum aktif (diverifikasi dulu oleh "
                "petugas cabang)",
            )
        highest = Project.objects.select_for_update().aggregate(m=Max("number"))["m"]
        serial = int(highest[2:]) + 1 if highest else 1
        late = None if deadline is None else today > deadline
        project = Project.objects.create(
            number=f"JK{serial:08d}",
            name=name,
            owner_name=owner_name,
            contractor=contractor,
            regency=regency,
            branch_office=branch,
            work_order_on=work_order_on,
            contract_value_idr=contract_value_idr,
            funding=funding,
            start_on=start_on,
            end_on=end_on,
            registered_at=timezone.now(),
            registered_late=late,
        )
        audit_record(
            actor=acting_user,
            action="project.register",
            obj=project,
            after={
                "number": project.number,
                "contractor": contractor.npp,
                "contract_value_idr": contract_value_idr,
                "funding": funding,
                "work_order_on": work_order_on.isoformat(),
                "deadline_on": deadline.isoformat() if deadline else None,
                "late": late,
            },
        )
    return ProjectRegistration(project, deadline, late)


def _contractor(user: User, contractor_id: int) -> Employer:
    """A contractor-role user acts for the employers they administer."""
    employer = Employer.objects.filter(pk=contractor_id, administrators=user).first()
    if employer is None:
        raise NotFound(
            "No such contractor.",
            message_id="Kontraktor tidak ditemukan.",
            code="employer.not_found",
            field="contractor_id",
        )
    return employer


@limit_identity_guesses
def project_worker_add(
    *,
    acting_user: User,
    project_id: int,
    nik: str,
    full_name: str,
    birth_date: date,
    sex: str,
    kind: str,
    start_on: date,
    replaces_id: int | None = None,
) -> tuple[ProjectWorker, tuple[NikWarning, ...], bool | None]:
    """Register a worker on a project; with ``replaces_id`` the worker replaces another, whose
    work ends the day before. Reported more than 7 working days after starting is flagged."""
    access_project_to_manage(acting_user, project_id)  # the gate before anything else
    check_choice("kind", kind, ProjectWorker.Kind.values)
    today = timezone.localdate()
    with transaction.atomic():
        project = access_project_to_manage(acting_user, project_id)
        if not project.start_on <= start_on <= project.end_on:
            raise field_error(
                "start_on",
                "must be within the project's planned period",
                "harus dalam rencana masa proyek",
            )
        person, warnings = person_get_or_create(nik, full_name, birth_date, sex, acting_user, today)
        if ProjectWorker.objects.filter(
            project=project, participant__person=person, end_on__isnull=True
        ).exists():
            raise Conflict(
                "nik: already working on this project",
                code="project_worker.exists",
                field="nik",
                message_id="nik: sudah bekerja di proyek ini",
            )
        replaced = None
        if replaces_id is not None:
            replaced = (
                ProjectWorker.objects.select_for_update()
                .filter(pk=replaces_id, project=project, end_on__isnull=True)
                .first()
            )
            if replaced is None:
                raise field_error(
                    "replaces",
                    "must be a current worker of this project",
                    "harus pekerja proyek ini yang masih bekerja",
                )
            if start_on <= replaced.start_on:
                raise field_error(
                    "start_on",
                    "must be after the replaced worker's start",
                    "harus setelah mulai kerja pekerja yang diganti",
                )
            replaced.end_on = start_on - timedelta(days=1)
            replaced.save(update_fields=["end_on"])
        participant = participant_get_or_create(
            person, Segment.JAKON, project.branch_office_id, acting_user, today
        )
        deadline = working_days_after(start_on, 7)
        late = None if deadline is None else today > deadline
        worker = ProjectWorker.objects.create(
            project=project,
            participant=participant,
            kind=kind,
            start_on=start_on,
            replaces=replaced,
            reported_late=late,
        )
        audit_record(
            actor=acting_user,
            action="project.worker_add",
            obj=participant,
            after={
                "project": project.number,
                "kind": kind,
                "start_on": start_on.isoformat(),
                "late": late,
                "replaces": replaced.participant.kpj if replaced else None,
            },
        )
    return worker, warnings, late


@limit_identity_guesses
def pmi_register(
    *,
    acting_user: User | None,
    nik: str,
    full_name: str,
    birth_date: date,
    sex: str,
    agreement_on: date,
    destination_country: str,
    via_agency: bool,
    contract_months: int,
) -> tuple[PmiPlacement, tuple[NikWarning, ...]]:
    """Register a migrant worker's placement (through an agency or individually).

    Without signing in only a NIK new to Jamsos is registered; signed in, a branch officer
    (``pmi.register``) registers anyone whose name and birth date match the record, and a
    participant's login only its own record. Other roles are refused before anything else."""
    if (
        acting_user is not None
        and not can(acting_user, Action.PMI_REGISTER)
        and not can(acting_user, Action.CARD_LINK)
    ):
        raise PermissionDenied(
            "Only the worker or a branch officer registers a placement.",
            code="pmi.register_forbidden",
            message_id="Hanya pekerja sendiri atau petugas cabang yang mendaftarkan penempatan.",
        )
    if destination_country not in COUNTRY_CODES:
        raise field_error(
            "destination_country",
            "must be a destination country code such as MY",
            "harus kode negara tujuan seperti MY",
        )
    if (
        isinstance(contract_months, bool)
        or not isinstance(contract_months, int)
        or not 1 <= contract_months <= 120
    ):
        raise field_error("contract_months", "must be 1 to 120", "harus 1 sampai 120")
    today = timezone.localdate()
    check_date("agreement_on", agreement_on, "employment", today=today)
    user = acting_user
    with transaction.atomic():
        person, warnings = person_get_or_create(nik, full_name, birth_date, sex, user, today)
        info = parse_nik(person.nik, today=today)
        branch = BranchOffice.objects.filter(regencies__code=info.regency_code).first()
        branch_id = branch.pk if branch else None
        participant = participant_get_or_create(person, Segment.PMI, branch_id, user, today)
        placement = PmiPlacement.objects.create(
            participant=participant,
            agreement_on=agreement_on,
            destination_country=destination_country,
            via_agency=via_agency,
            contract_months=contract_months,
        )
        audit_record(
            actor=user,
            action="pmi.register",
            obj=participant,
            after={
                "destination_country": destination_country,
                "via_agency": via_agency,
                "contract_months": contract_months,
                "agreement_on": agreement_on.isoformat(),
            },
        )
    return placement, warnings


def project_worker_end(*, acting_user: User, worker_id: int, end_on: date) -> ProjectWorker:
    """A worker leaves a project (without a replacement)."""
    check_date("end_on", end_on, "employment", today=timezone.localdate())
    with transaction.atomic():
        worker = (
            ProjectWorker.objects.select_for_update()
            .select_related("project", "participant")
            .filter(pk=worker_id, project__in=projects_visible_to(acting_user))
            .first()
        )
        if worker is None:
            raise NotFound(
                "No such project worker.",
                message_id="Pekerja proyek tidak ditemukan.",
                code="project_worker.not_found",
            )
        access_project_to_manage(acting_user, worker.project_id)
        if worker.end_on is not None:
            raise Conflict(
                "end_on: the worker has already left",
                field="end_on",
                code="project_worker.ended",
                message_id="end_on: pekerja sudah berhenti",
            )
        if end_on < worker.start_on:
            raise field_error(
                "end_on", "must not be before the start", "tidak boleh sebelum mulai kerja"
            )
        worker.end_on = end_on
        worker.save(update_fields=["end_on"])
        audit_record(
            actor=acting_user,
            action="project.worker_end",
            obj=worker.participant,
            after={"project": worker.project.number, "end_on": end_on.isoformat()},
        )
    return worker
