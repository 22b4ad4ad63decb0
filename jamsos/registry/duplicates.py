"""Duplicate people: candidates (same name and birth date, another NIK) and reversible merges.

A merge moves the merged person's cards (participants) to the kept person; every KPJ, bill and
claim stays attached to its card, so nothing else moves. Undoing moves the same cards back.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from jamsos.accounts.models import User
from jamsos.accounts.roles import Role
from jamsos.core.audit import audit_record
from jamsos.core.errors import Conflict, NotFound, PermissionDenied, RuleViolation
from jamsos.registry.access import participants_visible_to
from jamsos.registry.enrolment import mask_nik
from jamsos.registry.models import Participant, Person, PersonMerge

MERGERS = frozenset({Role.BRANCH_OFFICER, Role.SYSTEM_ADMIN})


@dataclass(frozen=True)
class Candidate:
    name: str
    birth_date: str
    people: list[dict[str, object]]


def duplicate_candidates(*, user: User, limit: int = 100) -> list[Candidate]:
    """Groups of people in the user's scope with the same name and birth date."""
    visible = Person.objects.filter(participations__in=participants_visible_to(user)).distinct()
    groups = (
        visible.values("name_key", "birth_date")
        .annotate(n=Count("pk", distinct=True))
        .filter(n__gt=1)
        .order_by("name_key", "birth_date")[:limit]
    )
    result = []
    for group in groups:
        # Only people in the reader's scope, and only their cards in that scope.
        people = visible.filter(
            name_key=group["name_key"], birth_date=group["birth_date"]
        ).order_by("pk")
        result.append(
            Candidate(
                group["name_key"],
                group["birth_date"].isoformat(),
                [
                    {
                        "id": p.pk,
                        "name": p.full_name,
                        "nik": mask_nik(p.nik),
                        "kpj": list(
                            participants_visible_to(user)
                            .filter(person=p)
                            .values_list("kpj", flat=True)
                        ),
                    }
                    for p in people
                ],
            )
        )
    return result


def _person_in_scope(user: User, person_id: int) -> Person:
    person = (
        Person.objects.filter(pk=person_id, participations__in=participants_visible_to(user))
        .distinct()
        .first()
    )
    if person is None:
        raise NotFound(
            "No such person.", message_id="Orang tidak ditemukan.", code="person.not_found"
        )
    return person


def person_merge(*, acting_user: User, kept_id: int, merged_id: int, reason: str) -> PersonMerge:
    """Move the merged person's cards to the kept person (branch officers, system admins)."""
    if acting_user.role not in MERGERS:
        raise PermissionDenied(
            "Only a branch officer may merge records.",
            message_id="Hanya petugas cabang yang boleh menggabungkan data.",
            code="person.merge_forbidden",
        )
    if not (reason or "").strip():
        raise RuleViolation(
            "reason: is required", field="reason", code="required", message_id="reason: wajib diisi"
        )
    if kept_id == merged_id:
        raise RuleViolation(
            "merged_id: must be another person",
            field="merged_id",
            code="invalid",
            message_id="merged_id: harus orang lain",
        )
    try:
        with transaction.atomic():
            kept = _person_in_scope(acting_user, kept_id)
            merged = _person_in_scope(acting_user, merged_id)
            moved = list(Participant.objects.filter(person=merged).values_list("pk", flat=True))
            merge = PersonMerge.objects.create(
                kept=kept,
                merged=merged,
                moved_participants=moved,
                reason=reason.strip(),
                merged_by=acting_user,
                merged_at=timezone.now(),
            )
            Participant.objects.filter(pk__in=moved).update(person=kept)
            audit_record(
                actor=acting_user,
                action="person.merge",
                obj=kept,
                before={"merged_nik": mask_nik(merged.nik)},
                after={"moved_participants": moved, "merge": merge.pk},
                reason=reason,
            )
    except IntegrityError:
        raise Conflict(
            "merged_id: this record is already merged",
            code="person.already_merged",
            field="merged_id",
            message_id="merged_id: data ini sudah digabung",
        ) from None
    return merge


def person_merge_undo(*, acting_user: User, merge_id: int, reason: str) -> PersonMerge:
    """Move the cards back to the merged person."""
    if acting_user.role not in MERGERS:
        raise PermissionDenied(
            "Only a branch officer may undo a merge.",
            message_id="Hanya petugas cabang yang boleh membatalkan penggabungan.",
            code="person.merge_forbidden",
        )
    with transaction.atomic():
        merge = PersonMerge.objects.select_for_update().filter(pk=merge_id).first()
        if merge is None:
            raise NotFound(
                "No such merge.", message_id="Penggabungan tidak ditemukan.", code="merge.not_found"
            )
        _person_in_scope(acting_user, merge.kept_id)
        if merge.reverted_at is not None:
            return merge  # undoing twice changes nothing
        Participant.objects.filter(pk__in=merge.moved_participants).update(person=merge.merged_id)
        merge.reverted_at, merge.reverted_by = timezone.now(), acting_user
        merge.save(update_fields=["reverted_at", "reverted_by"])
        audit_record(
            actor=acting_user,
            action="person.merge_undo",
            obj=merge.kept,
            after={"moved_back": merge.moved_participants, "merge": merge.pk},
            reason=reason,
        )
    return merge
