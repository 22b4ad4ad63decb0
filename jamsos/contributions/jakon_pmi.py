"""Construction project (Jakon) and migrant worker (PMI) bills.

- A project pays its contribution — by contract value, with the rules in force on the day the
  project was registered (project rule 2) — whole or in up to 12 instalments (*termin*). The
  first instalment carries the remainder of the division so every other one is equal. The
  project becomes covered when the first instalment is paid in full (Perdir BPJS
  Ketenagakerjaan 22/PERDIR.02/072022, construction services). Instalment k is due 14 days
  after issue plus k-1 months: the regulation sets no due date for instalments, so this is a
  project rule (docs/billing.md).
- A migrant worker pays the package for their placement (rules of the placement-agreement
  date), due 7 days after issue; the placement is covered once it is paid.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from jamsos.accounts.access import (
    access_project_to_manage,
    require_member,
)
from jamsos.accounts.models import User
from jamsos.accounts.policy import Action
from jamsos.contributions.allocation import Payer, lock_payer
from jamsos.contributions.bills import bill_issue
from jamsos.contributions.models import Bill
from jamsos.core.audit import audit_record
from jamsos.core.bounds import check_amount
from jamsos.core.errors import Conflict, NotFound, field_error
from jamsos.registry.models import PmiPlacement, Project
from jamsos.rules.calc.contributions import jakon_contribution, pmi_contribution
from jamsos.rules.calc.dates import add_months, period

PROJECT_FIRST_DUE_DAYS = 14
PACKAGE_DUE_DAYS = 7


def _split(amount: int, parts: int) -> list[int]:
    """``amount`` in ``parts`` whole-rupiah shares; the first carries the remainder.

    >>> _split(100, 3)
    [34, 33, 33]
    """
    share, rest = divmod(amount, parts)
    return [share + rest] + [share] * (parts - 1)


def _project_for(user: User, project_id: int) -> Project:
    """A project whose contribution the user may bill: its contractor, an officer of the
    project's branch, or a system administrator."""
    return access_project_to_manage(user, project_id, Action.PROJECT_BILL)


def project_bills_issue(
    *, acting_user: User, project_id: int, instalments: int = 1, today: date | None = None
) -> list[Bill]:
    """The project's contribution bills: one, or one per instalment. Issued once."""
    today = today or timezone.localdate()
    _project_for(acting_user, project_id)  # the gate before the fields are looked at
    if (
        isinstance(instalments, bool)
        or not isinstance(instalments, int)
        or not 1 <= instalments <= 12
    ):
        raise field_error("instalments", "must be 1 to 12", "harus 1 sampai 12")
    with transaction.atomic():
        project = _project_for(acting_user, project_id)
        payer = Payer(employer_id=project.contractor_id)
        lock_payer(payer)
        if Bill.objects.filter(project=project, kind="jakon").exists():
            raise Conflict(
                f"project: {project.number} is already billed",
                field="project",
                code="project.already_billed",
                message_id=f"project: {project.number} sudah ditagih",
            )
        result = jakon_contribution(
            on=timezone.localdate(project.registered_at),
            contract_value_idr=project.contract_value_idr,
        )
        lines = list(result.lines)
        shares = [_split(line.amount_idr, instalments) for line in lines]
        bills = []
        for k in range(instalments):
            bills.append(
                bill_issue(
                    kind="jakon",
                    payer=payer,
                    period=period(today),
                    due_on=add_months(today + timedelta(days=PROJECT_FIRST_DUE_DAYS), k),
                    lines=lines,
                    shares=[s[k] for s in shares],
                    instalment=k + 1,
                    project_id=project.pk,
                )
            )
        audit_record(
            actor=acting_user,
            action="project.bill",
            obj=project,
            after={
                "instalments": instalments,
                "total_idr": sum(b.total_idr for b in bills),
                "codes": [b.payment_code for b in bills],
            },
        )
    return bills


def project_covered_from(project: Project) -> date | None:
    """The day the first instalment was paid in full; None while it is not."""
    first = Bill.objects.filter(project=project, kind="jakon", instalment=1).first()
    return first.paid_on if first else None


def placement_bill_issue(
    *, acting_user: User, placement_id: int, jht_monthly_idr: int | None = None
) -> Bill:
    """The package bill of a placement (optional JHT per month of the contract)."""
    today = timezone.localdate()
    with transaction.atomic():
        placement = (
            PmiPlacement.objects.select_related("participant__person")
            .filter(pk=placement_id)
            .first()
        )
        missing = NotFound(
            "No such placement.",
            message_id="Penempatan tidak ditemukan.",
            code="placement.not_found",
        )
        if placement is None:
            raise missing
        require_member(acting_user, placement.participant, Action.PMI_BILL, not_found=missing)
        if jht_monthly_idr is not None:  # the fields after the gate
            check_amount("jht_monthly_idr", jht_monthly_idr, "jht_monthly")
        payer = Payer(participant_id=placement.participant_id)
        lock_payer(payer)
        if Bill.objects.filter(placement=placement, kind="pmi").exists():
            raise Conflict(
                "placement: already billed",
                field="placement",
                code="placement.already_billed",
                message_id="placement: sudah ditagih",
            )
        result = pmi_contribution(
            on=placement.agreement_on,
            contract_months=placement.contract_months,
            via_agency=placement.via_agency,
            jht_monthly_idr=jht_monthly_idr,
        )
        bill = bill_issue(
            kind="pmi",
            payer=payer,
            period=period(placement.agreement_on),
            due_on=today + timedelta(days=PACKAGE_DUE_DAYS),
            lines=result.lines,
            placement_id=placement.pk,
        )
        audit_record(
            actor=acting_user,
            action="pmi.bill",
            obj=bill,
            after={"placement": placement.pk, "total_idr": bill.total_idr},
        )
    return bill


def placement_covered_on(placement: PmiPlacement) -> date | None:
    first: date | None = Bill.objects.filter(placement=placement, kind="pmi").aggregate(
        d=Min("paid_on")
    )["d"]
    return first
