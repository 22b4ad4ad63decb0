"""The access gate: may this user take this action, on this object, within their office scope?

Every service that reads or changes a record asks here first, so the API, the pages and the
command line cannot disagree. The roles an action names come from the pure table in
:mod:`jamsos.accounts.policy`; this module adds who is signed in, the office scope (a branch
officer their branch, a regional head their region, an employer administrator their
employers) and the object.

- :func:`require` refuses with :class:`PermissionDenied` (403) when the role may not take the
  action at all;
- the ``*_visible_to`` querysets and ``access_*`` helpers report an object outside the user's
  scope as :class:`NotFound` (404), so its existence is not revealed;
- :func:`can` answers the same questions as a boolean, for pages deciding what to *show*
  (showing is not authorising: the service asks again).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeGuard, TypeVar, cast

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from jamsos.accounts.models import User
from jamsos.accounts.policy import EMPLOYER_SIDE, NATIONWIDE, Action, allows
from jamsos.accounts.roles import Role
from jamsos.core.errors import NotFound, PermissionDenied
from jamsos.registry.models import Employer, Employment, Participant, Project

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from jamsos.benefits.models import Claim
    from jamsos.contributions.models import Bill

__all__ = [
    "Action",
    "access_employer",
    "access_employer_for_binding",
    "access_employer_for_verification",
    "access_employer_for_workers",
    "access_employment",
    "access_project",
    "access_project_to_manage",
    "acts_for_employers",
    "bills_visible_to",
    "can",
    "can_bind_employer_user",
    "can_manage_workers",
    "can_member",
    "can_verify_employer",
    "claims_visible_to",
    "employers_visible_to",
    "is_signed_in",
    "manages_participant",
    "manages_project",
    "may_register_employer_in",
    "office_allows",
    "participants_visible_to",
    "projects_visible_to",
    "require",
    "require_member",
    "sees_full_personal_data",
]


_M = TypeVar("_M", bound=Model)


def is_signed_in(user: User | AnonymousUser | None) -> TypeGuard[User]:
    """Signed in and active (so a :class:`User`: Django's anonymous user is never authenticated)."""
    return bool(user is not None and user.is_authenticated and user.is_active)


def _role(user: User | AnonymousUser | None) -> str | None:
    return user.role if is_signed_in(user) else None


def _allowed(user: User | AnonymousUser | None, action: Action) -> User | None:
    """The signed-in user if their role may take ``action`` at all (before scope), else None."""
    return user if is_signed_in(user) and allows(user.role, action) else None


def require(
    user: User | AnonymousUser | None,
    action: Action,
    *,
    code: str | None = None,
    message: str | None = None,
    message_id: str | None = None,
) -> User:
    """The signed-in user, if their role may take ``action``; else :class:`PermissionDenied`.

    A caller's own ``message`` is a gettext message, or English with its Indonesian
    ``message_id`` beside it."""
    allowed = _allowed(user, action)
    if allowed is None:
        if message is None:
            raise PermissionDenied(_("Your role may not do this."), code=code)
        raise PermissionDenied(message, code=code, message_id=message_id)
    return allowed


def require_operator(user: User | None, action: Action, *, code: str | None = None) -> None:
    """For work an operator also starts from the command line: ``None`` is the system itself
    (the ``jamsos`` command run with database access, a batch job); a user must be allowed."""
    if user is not None:
        require(user, action, code=code)


def can(user: User | AnonymousUser | None, action: Action, obj: object | None = None) -> bool:
    """Whether the user may take ``action`` (on ``obj``, within their scope). For showing."""
    u = _allowed(user, action)
    if u is None:
        return False
    if obj is None:
        return True
    if isinstance(obj, Employer):
        if action in (Action.WORKER_MANAGE, Action.UPLOAD):
            return can_manage_workers(u, obj)
        if action == Action.EMPLOYER_VERIFY:
            return can_verify_employer(u, obj)
        if action == Action.EMPLOYER_USER_BIND:
            return can_bind_employer_user(u, obj)
        return employers_visible_to(u).filter(pk=obj.pk).exists()
    if isinstance(obj, Project):
        if action in (Action.PROJECT_WORKER_MANAGE, Action.PROJECT_BILL):
            return manages_project(u, obj, action)
        return projects_visible_to(u).filter(pk=obj.pk).exists()
    if isinstance(obj, Participant):
        if action == Action.PERSON_READ_FULL:
            return manages_participant(u, obj)
        if action == Action.PHONE_RECORD:
            return obj.branch_office_id == u.branch_office_id
        return _sees_member(u, obj)
    return False  # deny by default: an object the gate does not know


# -- employers and their workers ------------------------------------------------------------


def acts_for_employers(user: User | AnonymousUser | None) -> bool:
    """Whether the user acts for the employers they administer (an employer administrator or
    a contractor) rather than for an office."""
    return _role(user) in EMPLOYER_SIDE


def employers_visible_to(user: User | AnonymousUser | None) -> QuerySet[Employer]:
    """The employers a user may see."""
    qs = Employer.objects.select_related("branch_office", "branch_office__regional_office")
    u = _allowed(user, Action.EMPLOYER_READ)
    if u is None:
        return qs.none()
    role = u.role
    scoped = _office_scope(qs, role, u)
    if scoped is not None:
        return scoped
    if role == Role.EMPLOYER_ADMIN:
        return qs.filter(administrators=u)
    return qs.none()


def _office_scope(qs: QuerySet[_M], role: str | None, u: User) -> QuerySet[_M] | None:
    """Rows with a ``branch_office`` seen by office: nationwide roles all, a branch officer
    their branch, a regional head their region; None for roles not scoped by office."""
    if role in NATIONWIDE:
        return qs
    if role == Role.BRANCH_OFFICER:
        return qs.filter(branch_office_id=u.branch_office_id)
    if role == Role.REGIONAL_HEAD:
        return qs.filter(branch_office__regional_office_id=u.regional_office_id)
    return None


def access_employer(user: User, employer_id: int) -> Employer:
    """One employer the user may see, or :class:`NotFound`."""
    employer = employers_visible_to(user).filter(pk=employer_id).first()
    if employer is None:
        raise NotFound(_("No such employer."), code="employer.not_found")
    return employer


def may_register_employer_in(user: User, branch: Any) -> bool:
    """A branch officer registers employers into their own branch only (naming another
    branch, or a regency another branch serves, would create a record outside their scope);
    the other roles ``employer.register`` names choose the branch that serves them."""
    if _role(user) == Role.BRANCH_OFFICER:
        return bool(branch.pk == user.branch_office_id)
    return True


def can_verify_employer(user: User, employer: Employer) -> bool:
    """Branch officers of the employer's branch verify and re-assess it."""
    return allows(_role(user), Action.EMPLOYER_VERIFY) and (
        user.branch_office_id == employer.branch_office_id
    )


def access_employer_for_verification(user: User, employer_id: int) -> Employer:
    employer = access_employer(user, employer_id)
    if not can_verify_employer(user, employer):
        raise PermissionDenied(
            _("Only a branch officer of the employer's branch may verify it."),
            code="employer.verify_forbidden",
        )
    return employer


def can_bind_employer_user(user: User, employer: Employer) -> bool:
    """An officer of the employer's branch or a system administrator binds logins to it."""
    role = _role(user)
    if not allows(role, Action.EMPLOYER_USER_BIND):
        return False
    return role in NATIONWIDE or user.branch_office_id == employer.branch_office_id


def access_employer_for_binding(user: User, employer_id: int) -> Employer:
    """The employer whose logins the user may bind (404 outside their scope, 403 in scope)."""
    employer = access_employer(user, employer_id)
    if not can_bind_employer_user(user, employer):
        raise PermissionDenied(
            "Only an officer of the employer's branch or a system administrator may bind a login "
            "to it.",
            message_id="Hanya petugas cabang pemberi kerja atau administrator sistem yang boleh "
            "mengaitkan pengguna dengannya.",
            code="employer.bind_forbidden",
        )
    return employer


def can_manage_workers(user: User, employer: Employer) -> bool:
    """The employer's administrators and the officers of its branch change its workers."""
    role = _role(user)
    if not allows(role, Action.WORKER_MANAGE):
        return False
    if role == Role.EMPLOYER_ADMIN:
        return employer.administrators.filter(pk=user.pk).exists()
    return role == Role.BRANCH_OFFICER and user.branch_office_id == employer.branch_office_id


def access_employer_for_workers(user: User, employer_id: int) -> Employer:
    employer = access_employer(user, employer_id)
    if not can_manage_workers(user, employer):
        raise PermissionDenied(
            "Only the employer's administrators or its branch officers may enrol its workers.",
            message_id="Hanya administrator pemberi kerja atau petugas cabangnya yang boleh "
            "mendaftarkan pekerjanya.",
            code="employment.write_forbidden",
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
            message_id="Hanya administrator pemberi kerja atau petugas cabangnya yang boleh "
            "mengubah pekerjanya.",
            code="employment.write_forbidden",
        )
    return employment


# -- participants and people ----------------------------------------------------------------


def participants_visible_to(user: User | AnonymousUser | None) -> QuerySet[Participant]:
    """The participants a user may look up (their own cards are reached by ownership)."""
    qs = Participant.objects.select_related("person", "branch_office")
    u = _allowed(user, Action.PARTICIPANT_READ)
    if u is None:
        return qs.none()
    role = u.role
    scoped = _office_scope(qs, role, u)
    if scoped is not None:
        return scoped
    if role == Role.EMPLOYER_ADMIN:
        return qs.filter(employments__employer__administrators=u).distinct()
    return qs.none()


def sees_full_personal_data(user: User | AnonymousUser | None) -> bool:
    """Officers who act on records see the whole NIK and phone (each read audited)."""
    return allows(_role(user), Action.PERSON_READ_FULL)


def manages_participant(user: User, participant: Participant) -> bool:
    """Whether the user manages this card, so a list shows its full NIK: officers of its
    branch and the nationwide officers who act on records."""
    if not sees_full_personal_data(user):
        return False
    if _role(user) == Role.BRANCH_OFFICER:
        return participant.branch_office_id == user.branch_office_id
    return True


# -- construction projects --------------------------------------------------------------------


def projects_visible_to(user: User | AnonymousUser | None) -> QuerySet[Project]:
    """Projects a user may see: their companies' (contractor or employer administrator), their
    branch's, their region's, or all (auditors, claims officers, system administrators)."""
    qs = Project.objects.select_related("contractor", "branch_office", "regency")
    u = _allowed(user, Action.PROJECT_READ)
    if u is None:
        return qs.none()
    role = u.role
    if role in (Role.CONTRACTOR, Role.EMPLOYER_ADMIN):
        return qs.filter(contractor__administrators=u)
    if role == Role.BRANCH_OFFICER:
        return qs.filter(branch_office_id=u.branch_office_id)
    if role == Role.REGIONAL_HEAD:
        return qs.filter(branch_office__regional_office_id=u.regional_office_id)
    if role in NATIONWIDE:
        return qs
    return qs.none()


def access_project(user: User, project_id: int) -> Project:
    project = projects_visible_to(user).filter(pk=project_id).first()
    if project is None:
        raise NotFound(
            "No such project.", message_id="Proyek tidak ditemukan.", code="project.not_found"
        )
    return project


def manages_project(
    user: User, project: Project, action: Action = Action.PROJECT_WORKER_MANAGE
) -> bool:
    """The contractor's administrators, and the officers of the *project's* branch (which may
    differ from the contractor's), manage a project's workers and bills; a nationwide role
    only where the action names it."""
    role = _role(user)
    if not allows(role, action):
        return False
    if role in (Role.CONTRACTOR, Role.EMPLOYER_ADMIN):
        return project.contractor.administrators.filter(pk=user.pk).exists()
    if role == Role.BRANCH_OFFICER:
        return project.branch_office_id == user.branch_office_id
    return role in NATIONWIDE


def access_project_to_manage(
    user: User, project_id: int, action: Action = Action.PROJECT_WORKER_MANAGE
) -> Project:
    """A project the user may change (its workers, or with ``action`` its bills):
    :class:`NotFound` outside the user's scope, :class:`PermissionDenied` in scope but not
    theirs to manage."""
    project = access_project(user, project_id)
    if not manages_project(user, project, action):
        raise PermissionDenied(
            "Only the contractor or the project's branch office may do this.",
            message_id="Hanya kontraktor atau kantor cabang proyek yang boleh melakukannya.",
            code="project.write_forbidden",
        )
    return project


# -- claims -----------------------------------------------------------------------------------


def claims_visible_to(user: User | AnonymousUser | None) -> QuerySet[Claim]:
    """Claims a user may see: their own (participant), their branch's, region's, or all."""
    from jamsos.benefits.models import Claim

    qs = Claim.objects.select_related("participant__person", "branch_office")
    u = _allowed(user, Action.CLAIM_READ)
    if u is None:
        return qs.none()
    role = u.role
    if role == Role.PARTICIPANT:
        return qs.filter(participant__person__user=u)
    if role == Role.BRANCH_OFFICER:
        return qs.filter(branch_office_id=u.branch_office_id)
    if role == Role.REGIONAL_HEAD:
        return qs.filter(branch_office__regional_office_id=u.regional_office_id)
    if role in NATIONWIDE:
        return qs
    return qs.none()


# -- bills ------------------------------------------------------------------------------------


def bills_visible_to(user: User | AnonymousUser | None) -> QuerySet[Bill]:
    """Bills a user may read: an employer's in the employer's scope; a construction project's
    in the *project's* scope (its contractor, the officers of the branch where it is built —
    not the contractor's branch); a member's or a migrant worker's on a card in scope, the
    person's own, or a member the sponsor pays for."""
    from jamsos.contributions.models import Bill

    qs = Bill.objects.all()
    u = _allowed(user, Action.BILL_READ)
    if u is None:
        return qs.none()
    scope = (
        Q(project__isnull=True, employer__in=employers_visible_to(u).values("pk"))
        | Q(project__in=projects_visible_to(u).values("pk"))
        | Q(participant__in=participants_visible_to(u).values("pk"))
        | Q(participant__person__user=u)
    )
    if u.role == Role.SPONSOR:
        scope |= Q(participant__bpu__sponsor__user=u)
    return qs.filter(scope)


# -- offices ----------------------------------------------------------------------------------


def office_allows(user: User, branches: Iterable[Any]) -> bool:
    """Whether every one of ``branches`` (branch offices) is within the user's office scope."""
    role = _role(user)
    if role in NATIONWIDE:
        return True
    if role == Role.BRANCH_OFFICER:
        return all(b.pk == user.branch_office_id for b in branches)
    if role == Role.REGIONAL_HEAD:
        return all(b.regional_office_id == user.regional_office_id for b in branches)
    return False


def offices_visible_to(user: User | AnonymousUser | None) -> tuple[QuerySet[Any], QuerySet[Any]]:
    """The regional and branch offices whose reports the user may choose."""
    from jamsos.registry.models import BranchOffice, RegionalOffice

    regions = RegionalOffice.objects.order_by("code")
    branches = BranchOffice.objects.order_by("name")
    u = _allowed(user, Action.REPORT_READ)
    if u is None:
        return regions.none(), branches.none()
    role = u.role
    # the user_branch_only_for_branch_officer and user_region_only_for_regional_head
    # constraints give these two roles their office
    if role == Role.BRANCH_OFFICER:
        return regions.none(), branches.filter(pk=cast(int, u.branch_office_id))
    if role == Role.REGIONAL_HEAD:
        return (
            regions.filter(pk=cast(int, u.regional_office_id)),
            branches.filter(regional_office_id=u.regional_office_id),
        )
    return regions, branches


def office_of(user: User | AnonymousUser | None) -> Any:
    """The office a user's reports open on: their branch, their region, or none."""
    if not is_signed_in(user):
        return None
    if user.role == Role.BRANCH_OFFICER:
        return user.branch_office
    if user.role == Role.REGIONAL_HEAD:
        return user.regional_office
    return None


# -- a member's own card, sponsored members -------------------------------------------------


def _own_card(user: User, participant: Participant) -> bool:
    return participant.person.user_id is not None and participant.person.user_id == user.pk


def _sees_member(user: User, participant: Participant) -> bool:
    """Whether the participant's card is within the user's reach at all: their own card, a
    member they sponsor, or one within their office scope."""
    if _own_card(user, participant):
        return True
    if _role(user) == Role.SPONSOR:
        bpu = getattr(participant, "bpu", None)
        return bool(bpu is not None and bpu.sponsor is not None and bpu.sponsor.user_id == user.pk)
    return participants_visible_to(user).filter(pk=participant.pk).exists()


def require_member(
    user: User, participant: Participant, action: Action, *, not_found: NotFound
) -> Participant:
    """The participant, if the user may take ``action`` on their card: ``not_found`` when the
    card is outside the user's reach, :class:`PermissionDenied` when it is within reach but
    the role may not take the action."""
    if not is_signed_in(user) or not _sees_member(user, participant):
        raise not_found
    if not _own_card(user, participant):
        require(user, action)
    return participant


def can_member(user: User | AnonymousUser | None, participant: Participant, action: Action) -> bool:
    """Whether the user may take ``action`` on the card: the person on their own card, or a
    role the action names with the card within its reach."""
    if not is_signed_in(user):
        return False
    return _own_card(user, participant) or (
        allows(user.role, action) and _sees_member(user, participant)
    )
