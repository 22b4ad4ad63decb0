"""Row-level access to registry objects. Interfaces and services reach employers only through here.

An object outside the user's scope is reported as *not found* (its existence is not revealed);
an object in scope that the user may not change is *permission denied*.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from jamsos.accounts.models import User
from jamsos.accounts.roles import Role
from jamsos.core.errors import NotFound, PermissionDenied
from jamsos.registry.models import Employer, Employment, Participant

#: Roles that see every employer in the country.
NATIONWIDE_READERS = frozenset({Role.CLAIMS_OFFICER, Role.AUDITOR, Role.SYSTEM_ADMIN})


def employers_visible_to(user: User) -> QuerySet[Employer]:
    """The employers a user may see."""
    qs = Employer.objects.select_related("branch_office", "branch_office__regional_office")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    role = user.role
    if role in NATIONWIDE_READERS:
        return qs
    if role == Role.BRANCH_OFFICER:
        return qs.filter(branch_office_id=user.branch_office_id)
    if role == Role.REGIONAL_HEAD:
        return qs.filter(branch_office__regional_office_id=user.regional_office_id)
    if role == Role.EMPLOYER_ADMIN:
        return qs.filter(administrators=user)
    return qs.none()


def access_employer(user: User, employer_id: int) -> Employer:
    """One employer the user may see, or :class:`NotFound`."""
    employer = employers_visible_to(user).filter(pk=employer_id).first()
    if employer is None:
        raise NotFound(_("No such employer."), code="employer.not_found")
    return employer


def can_verify_employer(user: User, employer: Employer) -> bool:
    """Branch officers of the employer's branch verify its registration."""
    return user.role == Role.BRANCH_OFFICER and user.branch_office_id == employer.branch_office_id


def access_employer_for_verification(user: User, employer_id: int) -> Employer:
    employer = access_employer(user, employer_id)
    if not can_verify_employer(user, employer):
        raise PermissionDenied(
            _("Only a branch officer of the employer's branch may verify it."),
            code="employer.verify_forbidden",
        )
    return employer


def access_employment(user: User, employment_id: int, *, write: bool = False) -> Employment:
    """An employment the user may see (through its employer); with ``write``, one the user may
    also change: the employer's administrators and the officers of its branch."""
    employment = (
        Employment.objects.select_related("employer", "participant__person")
        .filter(pk=employment_id, employer__in=employers_visible_to(user))
        .first()
    )
    if employment is None:
        raise NotFound(
            "No such employment.",
            message_id="Hubungan kerja tidak ditemukan.",
            code="employment.not_found",
        )
    if write and not can_manage_workers(user, employment.employer):
        raise PermissionDenied(
            "Only the employer's administrators or its branch officers may change its workers.",
            message_id=(
                "Hanya administrator pemberi kerja atau petugas cabangnya yang boleh "
                "mengubah pekerjanya."
            ),
            code="employment.write_forbidden",
        )
    return employment


def can_manage_workers(user: User, employer: Employer) -> bool:
    if user.role == Role.EMPLOYER_ADMIN:
        return employer.administrators.filter(pk=user.pk).exists()
    return can_verify_employer(user, employer)


def access_employer_for_workers(user: User, employer_id: int) -> Employer:
    employer = access_employer(user, employer_id)
    if not can_manage_workers(user, employer):
        raise PermissionDenied(
            "Only the employer's administrators or its branch officers may enrol its workers.",
            message_id=(
                "Hanya administrator pemberi kerja atau petugas cabangnya yang boleh "
                "mendaftarkan pekerjanya."
            ),
            code="employment.write_forbidden",
        )
    return employer


#: Roles that see every participant in the country.
PARTICIPANT_READERS = frozenset({Role.CLAIMS_OFFICER, Role.AUDITOR, Role.SYSTEM_ADMIN})


def participants_visible_to(user: User) -> QuerySet[Participant]:
    """The participants a user may look up."""
    qs = Participant.objects.select_related("person", "branch_office")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role in PARTICIPANT_READERS:
        return qs
    if user.role == Role.BRANCH_OFFICER:
        return qs.filter(branch_office_id=user.branch_office_id)
    if user.role == Role.REGIONAL_HEAD:
        return qs.filter(branch_office__regional_office_id=user.regional_office_id)
    if user.role == Role.EMPLOYER_ADMIN:
        return qs.filter(employments__employer__administrators=user).distinct()
    return qs.none()


def sees_full_personal_data(user: User) -> bool:
    """Officers who act on a record see the whole NIK and phone; others see them masked."""
    return user.role in (Role.BRANCH_OFFICER, Role.CLAIMS_OFFICER, Role.SYSTEM_ADMIN)
