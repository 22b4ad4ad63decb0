"""Typed responses of the claims, payments, queues and reports operations.

Each schema names every field the service returns, so the OpenAPI document tells a client what
a claim, a bill or a report holds, and a response that drifts from it fails the tests. Where a
part is free-form by nature (a calculation's explanation, a breakdown keyed by a value such as
a segment or a sector) it is a typed map (``dict[str, int]``) or an object (``dict[str, Any]``).
"""

from __future__ import annotations

from typing import Any

from ninja import Schema

# -- claims and accidents --------------------------------------------------------------------------


class ClaimOut(Schema):
    number: str
    kind: str
    kind_label: str
    programme: str
    kpj: str
    name: str
    status: str
    status_label: str
    event_on: str
    filed_at: str
    due_on: str | None
    overdue: bool
    gross_idr: int
    tax_idr: int
    net_idr: int
    reasons: list[Any]
    possible_from: str | None
    second_approval_needed: bool


class PaidToOut(Schema):
    name: str
    relation: str
    bank: str
    account: str


class ClaimDocumentOut(Schema):
    id: int
    item: str
    filename: str
    size: int


class PayoutOut(Schema):
    amount_idr: int
    instructed_at: str


class ClaimDetailOut(ClaimOut):
    calculation: dict[str, Any] | None
    paid_to: PaidToOut
    documents: list[ClaimDocumentOut]
    missing_documents: list[str]
    history: list[dict[str, Any]]
    payout: PayoutOut | None


class DocumentUploadedOut(Schema):
    id: int
    item: str
    content_type: str
    size: int
    missing: list[str]


class AccidentOut(Schema):
    number: str
    kpj: str
    occurred_at: str
    reported_at: str
    deadline_at: str | None
    late: bool
    closed: bool
    case: str | None
    claim: str | None


# -- bills, statements, members, JHT ---------------------------------------------------------------


class BillLineOut(Schema):
    kpj: str | None
    name: str | None
    programme: str
    payer: str
    basis_idr: int
    rate: str | None
    amount_idr: int
    rule: str
    legal_basis: str
    status: str
    note: str


class AdjustmentOut(Schema):
    corrects: str
    period: str
    kpj: str
    programme: str
    payer: str
    basis_idr: int
    billed_idr: int
    due_idr: int
    amount_idr: int
    rule: str


class InformationLineOut(Schema):
    programme: str
    payer: str
    basis_idr: int
    rate: str
    amount_idr: int
    workers: int
    rule: str
    legal_basis: str
    status: str
    note: str


class FineOut(Schema):
    late_bill: str
    late_period: str
    due_on: str
    as_of: str
    accrued_idr: int
    amount_idr: int
    parts: Any
    rule: str
    legal_basis: str
    status: str


class StatementFineOut(FineOut):
    paid_idr: int


class AllocationOut(Schema):
    amount_idr: int
    on: str


class BillSummaryOut(Schema):
    payment_code: str
    kind: str
    period: str
    months: int
    instalment: int
    due_on: str
    issued_at: str
    total_idr: int
    paid_idr: int
    outstanding_idr: int
    paid_on: str | None
    status: str


class BillDetailOut(BillSummaryOut):
    payer: str
    line_count: int
    lines: list[BillLineOut]
    adjustments: list[AdjustmentOut]
    information: list[InformationLineOut]
    fines: list[FineOut]
    allocations: list[AllocationOut]


class StatementPaymentOut(Schema):
    channel: str
    transaction_id: str
    type: str
    payment_code: str
    amount_idr: int
    paid_at: str


class StatementOut(Schema):
    payer: str
    bills: list[BillSummaryOut]
    payments: list[StatementPaymentOut]
    fines: list[StatementFineOut]
    outstanding_idr: int
    credit_idr: int
    receivable_in_ledger_idr: int


class BpuStatusOut(Schema):
    status: str
    label: str
    paid_through: str | None
    cover_end: str | None
    unpaid_months: int


class MemberStatementOut(StatementOut):
    kpj: str
    segment: str
    bpu_status: BpuStatusOut | None
    jht_balance_idr: int


class ArrearsOut(Schema):
    employer_id: int
    employer: str
    npp: str
    branch: str
    bills: int
    total_idr: int
    d1_30: int
    d31_60: int
    d61_90: int
    d91_plus: int


class JhtStatementOut(Schema):
    year: int
    opening_idr: int
    closing_idr: int
    return_rate: Any
    return_status: str | None
    lines: list[dict[str, Any]]


class JhtAccountOut(Schema):
    kpj: str
    balance_idr: int
    statement: JhtStatementOut


class JhtReturnsOut(Schema):
    year: int
    rate: str
    status: str
    accounts: int
    total_idr: int
    already_done: bool


class CoverageMonthOut(Schema):
    period: str
    programmes: list[str]
    paid_programmes: list[str]
    sources: list[dict[str, Any]]


# -- a branch officer's queues ---------------------------------------------------------------------


class QueueEmployerOut(Schema):
    id: int
    npp: str
    legal_name: str
    registered_at: str


class QueueWageOut(Schema):
    id: int
    employer: str
    kpj: str
    name: str
    wage_idr: int
    effective_from: str


class QueueDuplicateOut(Schema):
    name: str
    birth_date: Any
    people: list[dict[str, Any]]


class QueueProjectOut(Schema):
    id: int
    number: str
    name: str
    contractor: str
    work_order_on: str
    registered_at: str


class QueueWorkerOut(Schema):
    project: str
    kpj: str
    name: str
    nik: str
    start_on: str


class QueuesOut(Schema):
    employers: list[QueueEmployerOut]
    employers_total: int
    wages: list[QueueWageOut]
    wages_total: int
    duplicates: list[QueueDuplicateOut]
    projects_late: list[QueueProjectOut]
    workers_late: list[QueueWorkerOut]


# -- reports ---------------------------------------------------------------------------------------
# Figures are read from the summary tables; a month not refreshed yet answers with fewer parts,
# so the parts after the scope are optional.


class ReportScopeOut(Schema):
    office: str
    name: str
    province: str | None = None
    regency: str | None = None
    area: str | None = None


class WorkforceOut(Schema):
    province: str
    year: int | None = None
    labour_force: int | None = None
    employed: int | None = None
    workers: int | None = None
    basis: str | None = None
    source: str | None = None
    status: str | None = None


class CoverageReportOut(ReportScopeOut):
    period: str
    refreshed: bool
    active: int | None = None
    by_segment: dict[str, int] | None = None
    by_sex: dict[str, int] | None = None
    by_age_band: dict[str, int] | None = None
    by_status: dict[str, int] | None = None
    by_programme: dict[str, int] | None = None
    by_sector: dict[str, int] | None = None
    by_occupation: dict[str, int] | None = None
    by_province: dict[str, int] | None = None
    by_regency: dict[str, int] | None = None
    by_branch: dict[str, int] | None = None
    crosstab: dict[str, list[dict[str, str | int]]] | None = None
    participation_by_province: dict[str, float | None] | None = None
    labour_force: int | None = None
    participation_rate: float | None = None
    workforce: list[WorkforceOut] | None = None
    provinces_without_figures: list[str] | None = None


class CoverageTrendOut(Schema):
    period: str
    by_segment: dict[str, int]
    active: int


class MoneyMonthOut(Schema):
    period: str | None = None
    billed_idr: int
    paid_on_billed_idr: int
    received_idr: int
    benefits_paid_idr: int
    claims_paid: int


class ArrearsAgeOut(Schema):
    age: str
    bills: int
    amount_idr: int


class ClaimsPaidOut(Schema):
    claims: int
    amount_idr: int


class MoneyReportOut(ReportScopeOut):
    year: int
    months: list[MoneyMonthOut] | None = None
    totals: MoneyMonthOut | None = None
    collection_rate: float | None = None
    received_previous_year_idr: int | None = None
    growth: float | None = None
    arrears_at: str | None = None
    arrears_by_age: list[ArrearsAgeOut] | None = None
    claims_by_programme: dict[str, ClaimsPaidOut] | None = None


class ComplianceCountOut(Schema):
    employers: int
    workers: int


class EmployersReportOut(ReportScopeOut):
    period: str
    employers: int | None = None
    active_employers: int | None = None
    by_size_and_status: dict[str, dict[str, int]] | None = None
    new_by_month: dict[str, int] | None = None
    projects_by_month: dict[str, dict[str, int]] | None = None
    projects: dict[str, int] | None = None
    projects_registered_in_year: int | None = None
    compliance: dict[str, ComplianceCountOut] | None = None


class FlagOut(Schema):
    employer_id: int
    npp: str
    employer: str
    kind: str
    workers: int
    detail: str


class ComplianceListOut(ReportScopeOut):
    period: str
    kind: str | None = None
    count: int
    page: int
    pages: int
    flags: list[FlagOut]


class ComplianceRowsOut(Schema):
    npp: str
    employer: str
    period: str
    kind: str
    flagged: bool
    workers: int
    detail: str
    minimum_wage_idr: int | None = None
    rows: list[dict[str, Any]]


class CohortOut(Schema):
    joined: int
    after_3: int | None = None
    rate_3: float | None = None
    after_6: int | None = None
    rate_6: float | None = None
    after_12: int | None = None
    rate_12: float | None = None


class CohortMonthOut(CohortOut):
    cohort: str


class CohortGroupOut(CohortOut):
    group: str


class RetentionReportOut(ReportScopeOut):
    year: int
    by: str
    cohorts: list[CohortMonthOut] | None = None
    groups: list[CohortGroupOut] | None = None


class RegionalSummaryOut(Schema):
    office: str
    name: str
    year: int
    as_of: str | None = None
    months_refreshed: int | None = None
    refreshed: bool
    participation_rate: float | None = None
    labour_force: int | None = None
    workforce: list[WorkforceOut] | None = None
    active: int | None = None
    by_segment: dict[str, int] | None = None
    segment_shares: dict[str, float | None] | None = None
    employers: int | None = None
    active_employers: int | None = None
    projects_registered: int | None = None
    projects_running: int | None = None
    contributions_received_idr: int | None = None
    contributions_billed_idr: int | None = None
    received_previous_year_idr: int | None = None
    growth: float | None = None
    collection_rate: float | None = None
    claims_by_programme: dict[str, ClaimsPaidOut] | None = None
    claims_paid: int | None = None
    benefits_paid_idr: int | None = None
