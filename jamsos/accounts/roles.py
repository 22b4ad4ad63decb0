"""The roles of Jamsos users.

Pure module: no Django. The names only: what each role may do is written in one table,
:mod:`jamsos.accounts.policy`, and asked through the access gate :mod:`jamsos.accounts.access`
(which adds the office scope and the object).
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
