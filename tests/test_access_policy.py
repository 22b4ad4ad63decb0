"""The table of actions and roles (accounts.policy, pure): deny by default, auditors never
change anything, and docs/security.md shows the table as it is."""

from pathlib import Path

from jamsos.accounts.policy import READ_ONLY, RULES, Action, allows, needs_second_factor, roles_for
from jamsos.accounts.roles import Role
from jamsos.core.errors import TooManyRequests

#: Actions that only read (everything else changes something).
READS = {
    Action.AUDIT_READ,
    Action.EMPLOYER_READ,
    Action.WORKER_READ,
    Action.PARTICIPANT_READ,
    Action.PERSON_READ_FULL,
    Action.BRANCH_QUEUES,
    Action.MEMBER_READ,
    Action.BALANCE_READ,
    Action.OWN_RECORD_READ,
    Action.PROJECT_READ,
    Action.PMI_READ,
    Action.BILL_READ,
    Action.LEDGER_READ,
    Action.ARREARS_READ,
    Action.REPORT_READ,
    Action.CLAIM_READ,
    Action.CLAIM_QUEUE,
    Action.CLAIM_DOCUMENT_READ,
    Action.PAYOUT_EXPORT,
    Action.ACCIDENT_READ,
    Action.RULE_HORIZON,
    Action.JOB_READ_ALL,
    Action.METRICS_READ,
    Action.SETTLEMENT_READ,
}

SHORT = {
    Role.PARTICIPANT: "P",
    Role.SPONSOR: "S",
    Role.EMPLOYER_ADMIN: "E",
    Role.CONTRACTOR: "C",
    Role.BRANCH_OFFICER: "B",
    Role.CLAIMS_OFFICER: "K",
    Role.REGIONAL_HEAD: "R",
    Role.AUDITOR: "A",
    Role.SYSTEM_ADMIN: "X",
}


def test_every_action_names_its_roles_and_nothing_else_is_allowed():
    assert set(RULES) == set(Action)
    assert all(roles_for(action) for action in Action)
    assert not allows(None, Action.EMPLOYER_READ)
    assert not allows("no_such_role", Action.EMPLOYER_READ)
    assert allows("auditor", Action.AUDIT_READ) and allows(Role.AUDITOR, Action.AUDIT_READ)
    assert roles_for("no.such_action") == frozenset()  # type: ignore[arg-type]
    assert not allows(Role.SYSTEM_ADMIN, "no.such_action")  # type: ignore[arg-type]


def test_auditors_change_nothing():
    for action in set(Action) - READS:
        assert not (roles_for(action) & READ_ONLY), action


def table() -> str:
    lines = ["| action | " + " | ".join(SHORT[r] for r in Role) + " |"]
    lines.append("| --- | " + " | ".join(":-:" for _ in Role) + " |")
    for action in Action:
        marks = " | ".join("✓" if r in roles_for(action) else "" for r in Role)
        lines.append(f"| `{action.value}` | {marks} |")
    return "\n".join(lines)


def test_the_security_page_shows_the_table_as_it_is():
    page = (Path(__file__).resolve().parents[1] / "docs" / "security.md").read_text()
    assert table() in page, "regenerate the table in docs/security.md from tests.test_access_policy"


def test_staff_need_a_second_factor_and_others_may_opt_in():
    assert needs_second_factor(Role.BRANCH_OFFICER) and needs_second_factor("system_admin")
    assert not needs_second_factor(Role.PARTICIPANT) and not needs_second_factor(None)


def test_too_many_requests_waits_at_least_a_second():
    error = TooManyRequests("slow down", retry_after=0, code="auth.locked")
    assert (error.status, error.retry_after, error.code) == (429, 1, "auth.locked")
