"""Work accidents (JKK): the employer's stage-I report and the stage-II case closing, which
files the JKK claim decided from the records.

Since Permenaker 1/2025 the stage-I report is due within 2 x 24 hours
(``JKK.REPORT_DEADLINE_HOURS``); a later report keeps the worker's right but makes the benefits
the employer's duty: the claim is then paid to the employer as a reimbursement. STMB for a wage
earner is paid to the employer, who keeps paying the wage (PP 44/2015); the other cases to the
worker or the heir.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from jamsos.accounts.access import access_employment, can, employers_visible_to
from jamsos.accounts.models import User
from jamsos.accounts.policy import Action
from jamsos.benefits.claims import _event, _number, _sla_due, _wage_at, check_bank_account
from jamsos.benefits.models import AccidentCase, AccidentReport, Claim, ClaimKind, ClaimStatus
from jamsos.core.audit import audit_record
from jamsos.core.bounds import bounded_period, check_amount, check_date
from jamsos.core.errors import Conflict, NotFound, check_choice, field_error, required_text
from jamsos.rules.calc import benefits as calc
from jamsos.rules.calc.dates import month_start
from jamsos.rules.calc.tables import RuleNotInForce, rule_book


def accident_report(
    *,
    acting_user: User,
    employment_id: int,
    occurred_at: datetime,
    place: str,
    description: str,
) -> AccidentReport:
    """Stage I: the employer reports an accident of one of its workers."""
    now = timezone.now()
    if timezone.is_naive(occurred_at):
        raise field_error(
            "occurred_at",
            "must be a date-time with its UTC offset",
            "harus tanggal-waktu dengan zona waktu",
        )
    if occurred_at > now:
        raise field_error("occurred_at", "must not be in the future", "tidak boleh di masa depan")
    check_date("occurred_at", occurred_at, "accident", today=timezone.localdate(now))
    place = required_text("place", place)
    description = required_text("description", description)
    with transaction.atomic():
        employment = access_employment(acting_user, employment_id, write=True)
        if occurred_at.date() < employment.start_on or (
            employment.end_on is not None and occurred_at.date() > employment.end_on
        ):
            raise field_error(
                "occurred_at", "must be within the employment", "harus dalam masa kerja"
            )
        try:
            hours = (
                rule_book()
                .version("JKK.REPORT_DEADLINE_HOURS", timezone.localdate(occurred_at))
                .integer("factor")
            )
            deadline = occurred_at + timedelta(hours=hours)
        except RuleNotInForce:
            deadline = None
        report = AccidentReport.objects.create(
            number=_number("KK"),
            employment=employment,
            occurred_at=occurred_at,
            place=place[:200],
            description=description,
            reported_at=now,
            reported_by=acting_user,
            deadline_at=deadline,
            late=deadline is not None and now > deadline,
        )
        audit_record(
            actor=acting_user,
            action="accident.report",
            obj=report,
            after={"number": report.number, "late": report.late},
        )
    return report


def accidents_visible_to(user: User) -> QuerySet[AccidentReport]:
    qs = AccidentReport.objects.select_related(
        "employment__employer", "employment__participant__person", "claim"
    )
    if can(user, Action.ACCIDENT_READ):
        return qs.filter(employment__employer__in=employers_visible_to(user).values("pk"))
    return qs.none()


def _report_for(acting_user: User, number: str) -> AccidentReport:
    """The accident report a user may act on (asked of the gate before anything else)."""
    report = accidents_visible_to(acting_user).filter(number=number).first()
    if report is None:
        raise NotFound(
            f"number: no accident report {number}",
            message_id=f"number: tidak ada laporan kecelakaan {number}",
            field="number",
            code="accident.not_found",
        )
    access_employment(acting_user, report.employment_id, write=True)
    return report


def _report_for_update(acting_user: User, number: str) -> AccidentReport:
    """The accident report a user may act on, locked until the transaction ends."""
    report = _report_for(acting_user, number)
    return AccidentReport.objects.select_for_update().get(pk=report.pk)


def accident_close(
    *,
    acting_user: User,
    number: str,
    case: str,
    stmb_months: int,
    disability_percent: str | None,
    bank_code: str,
    bank_account: str,
    claimant_name: str = "",
) -> Claim:
    """Stage II: the case is closed with the doctor's conclusion; the JKK claim is filed and
    decided from the records (the wage at the accident, the outcome)."""
    _report_for(acting_user, number)
    check_choice("case", case, AccidentCase.values)
    if isinstance(stmb_months, bool) or not 0 <= stmb_months <= 120:
        raise field_error("stmb_months", "must be 0 to 120", "harus 0 sampai 120")
    percent = None
    if case == AccidentCase.PARTIAL:
        try:
            percent = Decimal(disability_percent or "")
        except InvalidOperation:
            percent = None
        if percent is None or not percent.is_finite() or not Decimal(0) < percent <= Decimal(100):
            raise field_error(
                "disability_percent",
                "must be above 0 and at most 100",
                "harus di atas 0 dan paling tinggi 100",
            )
    check_bank_account(bank_code, bank_account)
    today = timezone.localdate()
    with transaction.atomic():
        report = _report_for_update(acting_user, number)
        if report.closed_at is not None:
            raise Conflict(
                "number: the case is already closed",
                message_id="number: kasus sudah ditutup",
                field="number",
                code="accident.closed",
            )
        employment = report.employment
        accident_on = timezone.localdate(report.occurred_at)
        wage = _wage_at(employment, accident_on)
        result = calc.jkk_benefit(
            event_on=accident_on,
            case=case,
            wage_idr=wage,
            stmb_months=stmb_months,
            disability_percent=percent,
            claimed_on=today,
        )
        reasons = [r.as_json() for r in result.reasons]
        employer = employment.employer
        to_employer = report.late or case == AccidentCase.STMB
        if report.late:
            reasons.append(
                calc.Reason(
                    "jkk.reported_late",
                    "Reported after 2 x 24 hours: the employer owed the benefits "
                    "and is reimbursed.",
                    "Dilaporkan lewat 2 x 24 jam: pemberi kerja menanggung manfaat dan mendapat "
                    "penggantian.",
                    blocking=False,
                ).as_json()
            )
        gross = result.total_idr if result.eligible else 0
        if case == AccidentCase.STMB and gross:
            already = sum(
                c.gross_idr
                for c in report.claims.filter(kind=ClaimKind.JKK_STMB).exclude(
                    status=ClaimStatus.REJECTED
                )
            )
            if already:
                gross = max(gross - already, 0)
                reasons.append(
                    calc.Reason(
                        "jkk.stmb_months_paid",
                        f"STMB already claimed month by month: Rp{already:,} deducted.",
                        f"STMB yang sudah diklaim per bulan: Rp{already:,} dikurangkan.",
                        blocking=False,
                    ).as_json()
                )
        claim = Claim.objects.create(
            number=_number(),
            kind=ClaimKind.JKK,
            programme="JKK",
            participant=employment.participant,
            employment=employment,
            branch_office=employer.branch_office,
            event_on=accident_on,
            status=ClaimStatus.SUBMITTED if result.eligible else ClaimStatus.REJECTED,
            claimant_name=(
                employer.legal_name
                if to_employer
                else claimant_name or employment.participant.person.full_name
            )[:200],
            claimant_relation="employer"
            if to_employer
            else ("heir" if case == "death" else "self"),
            bank_code=bank_code.strip()[:16],
            bank_account=bank_account.strip()[:34],
            gross_idr=gross,
            tax_idr=0,
            net_idr=gross,
            calculation=result.as_json(),
            reasons=reasons,
            filed_by=acting_user,
            filed_at=timezone.now(),
            due_on=_sla_due("JKK", today) if result.eligible else None,
            accident_report=report,
        )
        _event(claim, "", "file", acting_user, f"accident {report.number}")
        report.closed_at = timezone.now()
        report.case = case
        report.stmb_months = stmb_months
        report.disability_percent = percent
        report.claim = claim
        report.save()
        audit_record(
            actor=acting_user,
            action="accident.close",
            obj=report,
            after={"case": case, "claim": claim.number, "gross_idr": gross},
        )
    return claim


def accident_reimbursement(
    *,
    acting_user: User,
    number: str,
    transport: list[tuple[str, int]],
    home_care_cost_idr: int,
    bank_code: str,
    bank_account: str,
) -> Claim:
    """The employer claims back the transport and home-care costs of an accident, within their
    caps (PP 82/2019 Lampiran III); paid to the employer, who paid them."""
    _report_for(acting_user, number)
    check_bank_account(bank_code, bank_account)
    for mode, cost in transport:
        check_choice("transport", mode, tuple(calc.TRANSPORT_MODES))
        if isinstance(cost, bool) or not isinstance(cost, int) or cost <= 0:
            raise field_error(
                "transport", "each cost must be above 0", "setiap biaya harus di atas 0"
            )
        check_amount("transport", cost, "cost")
    if isinstance(home_care_cost_idr, bool) or home_care_cost_idr < 0:
        raise field_error("home_care_cost_idr", "must be 0 or more", "harus 0 atau lebih")
    check_amount("home_care_cost_idr", home_care_cost_idr, "cost", allow_zero=True)
    if not transport and not home_care_cost_idr:
        raise field_error(
            "transport",
            "give the transport or home-care costs",
            "isi biaya pengangkutan atau perawatan di rumah",
            code="required",
        )
    today = timezone.localdate()
    with transaction.atomic():
        report = _report_for_update(acting_user, number)
        accident_on = timezone.localdate(report.occurred_at)
        parts = []
        if transport:
            parts.append(
                calc.jkk_benefit(
                    event_on=accident_on, case="transport", transport=transport, claimed_on=today
                )
            )
        if home_care_cost_idr:
            parts.append(
                calc.jkk_benefit(
                    event_on=accident_on,
                    case="home_care",
                    home_care_cost_idr=home_care_cost_idr,
                    claimed_on=today,
                )
            )
        eligible = all(p.eligible for p in parts)
        gross = sum(p.total_idr for p in parts) if eligible else 0
        employment = report.employment
        claim = Claim.objects.create(
            number=_number(),
            kind=ClaimKind.JKK_REIMBURSEMENT,
            programme="JKK",
            participant=employment.participant,
            employment=employment,
            branch_office=employment.employer.branch_office,
            event_on=accident_on,
            status=ClaimStatus.SUBMITTED if eligible and gross else ClaimStatus.REJECTED,
            claimant_name=employment.employer.legal_name[:200],
            claimant_relation="employer",
            bank_code=bank_code.strip()[:16],
            bank_account=bank_account.strip()[:34],
            gross_idr=gross,
            tax_idr=0,
            net_idr=gross,
            calculation={
                "components": [c.as_json() for p in parts for c in p.components],
                "total_idr": gross,
            },
            reasons=[r.as_json() for p in parts for r in p.reasons],
            filed_by=acting_user,
            filed_at=timezone.now(),
            due_on=_sla_due("JKK", today) if eligible else None,
            accident_report=report,
        )
        _event(claim, "", "file", acting_user, f"costs of accident {report.number}")
        audit_record(
            actor=acting_user,
            action="accident.reimbursement",
            obj=report,
            after={"claim": claim.number, "gross_idr": gross},
        )
    return claim


def accident_stmb_month(
    *, acting_user: User, number: str, month: str | date, bank_code: str, bank_account: str
) -> Claim:
    """While a case is open, the employer claims the STMB of one month (the wage it keeps
    paying): once per month; deducted from the STMB at the case's closing. ``month`` is
    ``YYYY-MM`` as typed (checked after the gate) or a date in it."""
    _report_for(acting_user, number)
    if isinstance(month, str):
        month = bounded_period("month", month).first_day
    check_bank_account(bank_code, bank_account)
    today = timezone.localdate()
    month = month_start(month)
    with transaction.atomic():
        report = _report_for_update(acting_user, number)
        if report.closed_at is not None:
            raise Conflict(
                "number: the case is closed; STMB is settled at closing",
                message_id="number: kasus sudah ditutup; STMB diselesaikan saat penutupan",
                field="number",
                code="accident.closed",
            )
        accident_on = timezone.localdate(report.occurred_at)
        index = (month.year - accident_on.year) * 12 + month.month - accident_on.month + 1
        if index < 1 or month > month_start(today):
            raise field_error(
                "month",
                "must be from the accident's month to this month",
                "harus dari bulan kecelakaan sampai bulan ini",
            )
        if (
            report.claims.filter(kind=ClaimKind.JKK_STMB, period=month)
            .exclude(status=ClaimStatus.REJECTED)
            .exists()
        ):
            raise Conflict(
                "month: STMB for this month is already claimed",
                message_id="month: STMB bulan ini sudah diklaim",
                field="month",
                code="stmb.month_claimed",
            )
        employment = report.employment
        result = calc.jkk_benefit(
            event_on=accident_on,
            case="stmb",
            wage_idr=_wage_at(employment, accident_on),
            stmb_months=index,
            claimed_on=today,
        )
        amount = result.schedule[index - 1][1] if result.eligible and result.schedule else 0
        claim = Claim.objects.create(
            number=_number(),
            kind=ClaimKind.JKK_STMB,
            programme="JKK",
            participant=employment.participant,
            employment=employment,
            branch_office=employment.employer.branch_office,
            event_on=accident_on,
            status=ClaimStatus.SUBMITTED if amount else ClaimStatus.REJECTED,
            claimant_name=employment.employer.legal_name[:200],
            claimant_relation="employer",
            bank_code=bank_code.strip()[:16],
            bank_account=bank_account.strip()[:34],
            gross_idr=amount,
            tax_idr=0,
            net_idr=amount,
            calculation={**result.as_json(), "month": index, "total_idr": amount},
            reasons=[r.as_json() for r in result.reasons],
            filed_by=acting_user,
            filed_at=timezone.now(),
            due_on=_sla_due("JKK", today) if amount else None,
            accident_report=report,
            period=month,
        )
        _event(claim, "", "file", acting_user, f"STMB month {index} of {report.number}")
        audit_record(
            actor=acting_user,
            action="accident.stmb_month",
            obj=report,
            after={"claim": claim.number, "month": index, "amount_idr": amount},
        )
    return claim
