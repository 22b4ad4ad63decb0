"""The roles of Jamsos users and what each may do in general.

Pure module: no Django. Object-level scoping (which employer, which branch)
is decided by the access helpers in ``jamsos.registry.access``.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    PARTICIPANT = "participant"
    SPONSOR = "sponsor"
    EMPLOYER_ADMIN = "employer_admin"
    CONTRACTOR = "contractor"
    BRANCH_OFFICER = "branch_officer"
    CLAIMS_OFFICER = "claims_officer"
    REGIONAL_HEAD = "regional_head"
    AUDITOR = "auditor"
    SYSTEM_ADMIN = "system_admin"


#: Roles that must be bound to a branch office, a regional office or employers.
NEEDS_BRANCH = frozenset({Role.BRANCH_OFFICER})
NEEDS_REGION = frozenset({Role.REGIONAL_HEAD})
NEEDS_EMPLOYER = frozenset({Role.EMPLOYER_ADMIN})

#: Agency staff: they see records of the public, within their scope.
STAFF_ROLES = frozenset(
    {
        Role.BRANCH_OFFICER,
        Role.CLAIMS_OFFICER,
        Role.REGIONAL_HEAD,
        Role.AUDITOR,
        Role.SYSTEM_ADMIN,
    }
)

#: Roles that may read the audit trail.
AUDIT_READERS = frozenset({Role.AUDITOR, Role.SYSTEM_ADMIN})

#: Roles that never change anything.
READ_ONLY = frozenset({Role.AUDITOR})
