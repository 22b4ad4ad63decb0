"""What each role may do: the one table of actions and the roles that may take them.

Pure module: no Django. This is the only place where sets of roles are written down; services
ask :mod:`jamsos.accounts.access` (which adds office scope and objects on top of this table)
before they read or change anything, and the interfaces ask the same module what to show.

Deny by default: an action that does not name a role is refused to it, and an action that is
not in :data:`RULES` is refused to everyone.

>>> allows(Role.AUDITOR, Action.AUDIT_READ)
True
>>> allows(Role.AUDITOR, Action.CLAIM_DOCUMENT_UPLOAD)
False
>>> allows(None, Action.EMPLOYER_READ)
False
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from jamsos.accounts.roles import Role


class Action(StrEnum):
    """Everything a user may be allowed to do, named ``<thing>.<verb>``."""

    # accounts and the audit trail
    USER_CREATE = "user.create"
    SIGNIN_UNLOCK = "signin.unlock"
    SECOND_FACTOR_RESET = "second_factor.reset"
    TOKEN_REVOKE_ANY = "token.revoke_any"  # noqa: S105 - an action name
    AUDIT_READ = "audit.read"
    # employers, their workers and people
    EMPLOYER_READ = "employer.read"
    EMPLOYER_REGISTER = "employer.register"
    EMPLOYER_VERIFY = "employer.verify"
    EMPLOYER_USER_BIND = "employer.user_bind"
    WORKER_READ = "worker.read"
    WORKER_MANAGE = "worker.manage"
    WAGE_APPROVE = "wage.approve"
    UPLOAD = "upload.run"
    PARTICIPANT_READ = "participant.read"
    PERSON_READ_FULL = "person.read_full"
    PERSON_MERGE = "person.merge"
    BRANCH_QUEUES = "queues.read"
    # informal workers, sponsors, construction projects, migrant workers
    MEMBER_READ = "member.read"
    BALANCE_READ = "balance.read"
    CARD_LINK = "card.link"
    OWN_RECORD_READ = "own_record.read"
    PHONE_RECORD = "person.phone_record"
    BPU_REGISTER = "bpu.register"
    SPONSOR_ENROL = "sponsor.enrol"
    MEMBER_PAY = "member.pay"
    PROJECT_READ = "project.read"
    PROJECT_REGISTER = "project.register"
    PROJECT_WORKER_MANAGE = "project.worker_manage"
    PROJECT_BILL = "project.bill"
    PMI_REGISTER = "pmi.register"
    PMI_BILL = "pmi.bill"
    PMI_READ = "pmi.read"
    # money
    BILL_READ = "bill.read"
    BILLING_RUN = "billing.run"
    CHANNEL_CREATE = "channel.create"
    SETTLEMENT_IMPORT = "settlement.import"
    SETTLEMENT_READ = "settlement.read"
    JHT_RETURN_CREDIT = "jht.return_credit"
    LEDGER_READ = "ledger.read"
    RULE_HORIZON = "rules.horizon"
    REPORT_REFRESH = "report.refresh"
    PAYROLL_RUN = "payroll.run"
    BPU_REMIND = "bpu.remind"
    JOB_START = "job.start"
    JOB_READ_ALL = "job.read_all"
    METRICS_READ = "metrics.read"
    ARREARS_READ = "arrears.read"
    REPORT_READ = "report.read"
    # claims and accidents
    CLAIM_READ = "claim.read"
    CLAIM_FILE = "claim.file"
    CLAIM_FILE_FOR_MEMBER = "claim.file_for_member"
    CLAIM_DECIDE = "claim.decide"
    CLAIM_QUEUE = "claim.queue"
    CLAIM_DOCUMENT_UPLOAD = "claim.document_upload"
    CLAIM_DOCUMENT_READ = "claim.document_read"
    PAYOUT_EXPORT = "payout.export"
    ACCIDENT_READ = "accident.read"
    ACCIDENT_REPORT = "accident.report"


P, S, E, C = Role.PARTICIPANT, Role.SPONSOR, Role.EMPLOYER_ADMIN, Role.CONTRACTOR
B, K, R = Role.BRANCH_OFFICER, Role.CLAIMS_OFFICER, Role.REGIONAL_HEAD
A, X = Role.AUDITOR, Role.SYSTEM_ADMIN


def _roles(*roles: Role) -> frozenset[Role]:
    return frozenset(roles)


#: Agency staff: they see records of the public, within their office scope.
STAFF_ROLES = _roles(B, K, R, A, X)
#: Staff who see every office in the country (auditors read only).
NATIONWIDE = _roles(K, A, X)
#: Roles bound to a branch office, a regional office or employers when they are created.
NEEDS_BRANCH = _roles(B)
NEEDS_REGION = _roles(R)
NEEDS_EMPLOYER = _roles(E)
#: Roles that may be bound to employers (a contractor acts for the construction companies it is
#: bound to; it may be created first and bound later).
BINDS_TO_EMPLOYER = _roles(E, C)
#: Roles that act for the employers they administer.
EMPLOYER_SIDE = _roles(E, C)
#: Roles that never change anything.
READ_ONLY = _roles(A)

#: action -> the roles that may take it (office scope and the object are checked on top).
RULES: Mapping[Action, frozenset[Role]] = {
    Action.USER_CREATE: _roles(X),
    Action.SIGNIN_UNLOCK: _roles(X),
    Action.SECOND_FACTOR_RESET: _roles(X),
    Action.TOKEN_REVOKE_ANY: _roles(X),
    Action.AUDIT_READ: _roles(A, X),
    Action.EMPLOYER_READ: _roles(E, B, R, K, A, X),
    Action.EMPLOYER_REGISTER: _roles(E, B, X),
    Action.EMPLOYER_VERIFY: _roles(B),
    # binding an employer administrator's or a contractor's login to an employer: an officer of
    # the employer's branch (who checked the company's papers) or a system administrator
    Action.EMPLOYER_USER_BIND: _roles(B, X),
    Action.WORKER_READ: _roles(E, B, R, K, A, X),
    Action.WORKER_MANAGE: _roles(E, B),
    Action.WAGE_APPROVE: _roles(B),
    Action.UPLOAD: _roles(E, B),
    Action.PARTICIPANT_READ: _roles(E, B, R, K, A, X),
    Action.PERSON_READ_FULL: _roles(B, K, X),
    Action.PERSON_MERGE: _roles(B, X),
    Action.BRANCH_QUEUES: _roles(B),
    # a member's card by its KPJ (their own card is always theirs): sponsors the members they
    # pay for, officers in scope; an employer sees only its own employment of a worker
    Action.MEMBER_READ: _roles(P, S, B, R, K, A, X),
    # a person's JHT savings: the person (their own card) and officers in scope, not the
    # employer or sponsor who enrolled them
    Action.BALANCE_READ: _roles(P, B, R, K, A, X),
    Action.CARD_LINK: _roles(P),
    # a participant's own cards, bills, claims and the messages sent to their phone
    Action.OWN_RECORD_READ: _roles(P),
    # the phone a person shows at the counter with their KTP, recorded by their branch
    Action.PHONE_RECORD: _roles(B),
    # a signed-in informal-worker registration (anyone may register a NIK new to Jamsos
    # without signing in): a participant their own, a sponsor a worker they pay for, a branch
    # officer at the counter on someone's behalf (an existing person only with the name and
    # birth date on the record)
    Action.BPU_REGISTER: _roles(P, S, B),
    Action.SPONSOR_ENROL: _roles(S),
    Action.MEMBER_PAY: _roles(P, S, B, X),
    Action.PROJECT_READ: _roles(C, E, B, R, K, A, X),
    Action.PROJECT_REGISTER: _roles(C, E, B),
    Action.PROJECT_WORKER_MANAGE: _roles(C, E, B),
    Action.PROJECT_BILL: _roles(C, E, B, X),
    Action.PMI_REGISTER: _roles(B),
    Action.PMI_BILL: _roles(P, B, X),
    Action.PMI_READ: _roles(P, B, A, X),
    Action.BILL_READ: _roles(P, S, E, C, B, R, K, A, X),
    Action.BILLING_RUN: _roles(X),
    Action.CHANNEL_CREATE: _roles(X),
    # a channel's settlement file: the finance office (system administrators) receives and
    # reconciles it; auditors read the reports
    Action.SETTLEMENT_IMPORT: _roles(X),
    Action.SETTLEMENT_READ: _roles(A, X),
    Action.JHT_RETURN_CREDIT: _roles(X),
    Action.LEDGER_READ: _roles(A, X),
    Action.RULE_HORIZON: _roles(X),
    Action.REPORT_REFRESH: _roles(X),
    Action.PAYROLL_RUN: _roles(X),
    Action.BPU_REMIND: _roles(X),
    # queue a background job at all (asked before the kind is looked at); each kind then
    # asks its own action (billing.run, payout.export ...), whose roles are among these
    Action.JOB_START: _roles(K, X),
    Action.JOB_READ_ALL: _roles(A, X),
    Action.METRICS_READ: _roles(A, X),
    Action.ARREARS_READ: _roles(B, R, A, X),
    Action.REPORT_READ: _roles(B, R, K, A, X),
    Action.CLAIM_READ: _roles(P, B, R, K, A, X),
    # file a claim at all (asked before the card is looked up): a participant on their own
    # card, the officers who file for members (claim.file_for_member)
    Action.CLAIM_FILE: _roles(P, B, K),
    Action.CLAIM_FILE_FOR_MEMBER: _roles(B, K),
    Action.CLAIM_DECIDE: _roles(B, K),
    Action.CLAIM_QUEUE: _roles(B, K, X),
    Action.CLAIM_DOCUMENT_UPLOAD: _roles(P, B, K),
    Action.CLAIM_DOCUMENT_READ: _roles(P, B, R, K, A, X),
    Action.PAYOUT_EXPORT: _roles(K, X),
    Action.ACCIDENT_READ: _roles(E, B, R, K, A, X),
    Action.ACCIDENT_REPORT: _roles(E, B),
}


def allows(role: Role | str | None, action: Action) -> bool:
    """Whether a role may take an action at all (before its office scope and the object)."""
    if role is None:
        return False
    return role in RULES.get(action, frozenset())


def needs_second_factor(role: Role | str | None) -> bool:
    """Staff roles must sign in with a second factor; others may opt in."""
    return role in STAFF_ROLES


def roles_for(action: Action) -> frozenset[Role]:
    """The roles an action names (for documentation and the permission matrix)."""
    return RULES.get(action, frozenset())
