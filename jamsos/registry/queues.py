"""A branch officer's work queues: what waits for the branch's decision or follow-up."""

from __future__ import annotations

from typing import Any

from jamsos.accounts.access import require
from jamsos.accounts.models import User
from jamsos.accounts.policy import Action
from jamsos.registry.duplicates import duplicate_candidates
from jamsos.registry.enrolment import mask_nik
from jamsos.registry.models import Employer, Project, ProjectWorker, WageRecord, WageStatus

LIMIT = 100


def officer_queues(*, user: User) -> dict[str, Any]:
    """Employers to verify, wages below the floor to approve, duplicate people to review,
    projects registered late and project workers reported late — within the branch."""
    require(
        user,
        Action.BRANCH_QUEUES,
        code="queues.forbidden",
        message="Work queues are a branch officer's.",
        message_id="Antrean kerja adalah milik petugas cabang.",
    )
    branch = user.branch_office_id
    employers = Employer.objects.filter(branch_office_id=branch, status="pending").order_by(
        "registered_at"
    )
    wages = (
        WageRecord.objects.filter(
            status=WageStatus.PENDING, employment__employer__branch_office_id=branch
        )
        .select_related("employment__employer", "employment__participant__person")
        .order_by("reported_at")
    )
    projects = (
        Project.objects.filter(branch_office_id=branch, registered_late=True)
        .select_related("contractor")
        .order_by("-registered_at")
    )
    workers = (
        ProjectWorker.objects.filter(project__branch_office_id=branch, reported_late=True)
        .select_related("project", "participant__person")
        .order_by("-start_on")
    )
    return {
        "employers": [
            {
                "id": e.pk,
                "npp": e.npp,
                "legal_name": e.legal_name,
                "registered_at": e.registered_at.isoformat(),
            }
            for e in employers[:LIMIT]
        ],
        "employers_total": employers.count(),
        "wages": [
            {
                "id": w.pk,
                "employer": w.employment.employer.legal_name,
                "kpj": w.employment.participant.kpj,
                "name": w.employment.participant.person.full_name,
                "wage_idr": w.wage_idr,
                "effective_from": w.effective_from.isoformat(),
            }
            for w in wages[:LIMIT]
        ],
        "wages_total": wages.count(),
        "duplicates": [
            {
                "name": c.name,
                "birth_date": c.birth_date,
                "people": c.people,
            }
            for c in duplicate_candidates(user=user, limit=LIMIT)
        ],
        "projects_late": [
            {
                "id": p.pk,
                "number": p.number,
                "name": p.name,
                "contractor": p.contractor.legal_name,
                "work_order_on": p.work_order_on.isoformat(),
                "registered_at": p.registered_at.isoformat(),
            }
            for p in projects[:LIMIT]
        ],
        "workers_late": [
            {
                "project": w.project.number,
                "kpj": w.participant.kpj,
                "name": w.participant.person.full_name,
                "nik": mask_nik(w.participant.person.nik),
                "start_on": w.start_on.isoformat(),
            }
            for w in workers[:LIMIT]
        ],
    }
