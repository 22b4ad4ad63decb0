"""Duplicate people: candidates (same name and birth date, another NIK) and reversible merges.

A merge moves the merged person's cards (participants) to the kept person; every KPJ, bill and
claim stays attached to its card, so nothing else moves. Undoing moves the same cards back.

A merge hands one record's cards, JHT balance and claims to another record, so it is allowed only
between records that are duplicates by the rule of this module (the same normalised name and
birth date), never into a record whose login differs from the merged record's login, and it
cannot be undone once a claim has been filed on a moved card since the merge.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from jamsos.accounts.access import participants_visible_to, require
from jamsos.accounts.models import User
from jamsos.accounts.policy import Action
from jamsos.benefits.models import Claim
from jamsos.core.audit import audit_record
from jamsos.core.errors import Conflict, NotFound, RuleViolation
from jamsos.registry.enrolment import mask_nik
from jamsos.registry.models import Participant, Person, PersonMerge


@dataclass(frozen=True)
class Candidate:
    name: str
    birth_date: str
    people: list[dict[str, object]]


def duplicate_candidates(*, user: User, limit: int = 100) -> list[Candidate]:
    """Groups of people in the user's scope with the same name and birth date (officers who
    merge records). Only people within the user's scope are listed."""
    require(user, Action.PERSON_MERGE, code="person.merge_forbidden")
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
    require(
        acting_user,
        Action.PERSON_MERGE,
        code="person.merge_forbidden",
        message="Only a branch officer may merge records.",
        message_id="Hanya petugas cabang yang boleh menggabungkan data.",
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
            _check_duplicates(kept, merged)
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


def _check_duplicates(kept: Person, merged: Person) -> None:
    """Only true duplicates merge: same normalised name and birth date, and no two logins."""
    if kept.name_key != merged.name_key or kept.birth_date != merged.birth_date:
        raise RuleViolation(
            "merged_id: only records with the same name and birth date can be merged",
            field="merged_id",
            code="person.merge_not_duplicate",
            message_id="merged_id: hanya data dengan nama dan tanggal lahir yang sama "
            "yang dapat digabung",
        )
    if kept.user_id is not None and merged.user_id is not None and kept.user_id != merged.user_id:
        raise RuleViolation(
            "merged_id: both records belong to a login; the person must link one of them",
            field="merged_id",
            code="person.merge_two_logins",
            message_id="merged_id: kedua data sudah terhubung ke akun; peserta harus "
            "menghubungkan salah satunya",
        )


def person_merge_undo(*, acting_user: User, merge_id: int, reason: str) -> PersonMerge:
    """Move the cards back to the merged person."""
    require(
        acting_user,
        Action.PERSON_MERGE,
        code="person.merge_forbidden",
        message="Only a branch officer may undo a merge.",
        message_id="Hanya petugas cabang yang boleh membatalkan penggabungan.",
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
        if Claim.objects.filter(
            participant_id__in=merge.moved_participants, filed_at__gte=merge.merged_at
        ).exists():
            raise Conflict(
                "A claim was filed on a moved card after the merge; the merge cannot be undone.",
                code="person.merge_undo_after_claim",
                message_id="Klaim sudah diajukan pada kartu yang dipindahkan setelah "
                "penggabungan; penggabungan tidak dapat dibatalkan.",
            )
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
