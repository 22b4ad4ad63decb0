"""The monthly worker list an employer uploads (CSV or XLSX).

A dry run checks every row with the same rules as enrolling one worker, compares the list with
the current workforce (who is added, whose wage changed, who left, who is missing) and keeps
the result; the errors can be downloaded as the same file with an ``errors`` column.
Finalising applies everything in one transaction with bulk operations, or nothing; sending a
file that was already applied changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from jamsos.accounts.access import access_employer_for_workers
from jamsos.accounts.models import User
from jamsos.core.audit import audit_record
from jamsos.core.bounds import DATE_WINDOWS, MONEY_CEILING_IDR, bounded_period, next_month
from jamsos.core.errors import Conflict, NotFound, PermissionDenied, RuleViolation, field_error
from jamsos.core.exports import csv_bytes, safe_filename
from jamsos.core.models import AuditEvent
from jamsos.registry.enrolment import (
    identity_guesses_left,
    identity_locked,
    identity_matches,
    identity_mismatch,
    identity_refusals_record,
    name_key,
)
from jamsos.registry.models import (
    EmployerDivision,
    EmployerUpload,
    Employment,
    ExitReason,
    KpjCounter,
    Participant,
    Person,
    Segment,
    Sex,
    WageRecord,
    WageStatus,
)
from jamsos.registry.nik import format_kpj, parse_nik
from jamsos.rules.calc.contributions import pu_wage_floor_check

COLUMNS = (
    "nik",
    "full_name",
    "birth_date",
    "sex",
    "start_on",
    "wage_idr",
    "division",
    "end_on",
    "exit_reason",
)
REQUIRED = ("nik", "full_name", "birth_date", "sex", "start_on", "wage_idr")
MAX_ROWS = 100_000
MAX_BYTES = 20 * 1024 * 1024


def template_csv() -> bytes:
    example = [
        "6471021508850001",
        "Budi Santoso",
        "1985-08-15",
        "M",
        "2026-01-05",
        "4500000",
        "000",
        "",
        "",
    ]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerow(example)
    return out.getvalue().encode("utf-8")


#: The longest cell a worker list may hold (a name or an address is far shorter).
MAX_CELL_CHARS = 1000


def _unreadable(en: str, id_: str) -> RuleViolation:
    return field_error("file", en, id_, code="upload.unreadable")


class _Semicolon(csv.excel):
    """A CSV file that separates its cells with semicolons (a spreadsheet in a comma locale)."""

    delimiter = ";"


def _rows_of(filename: str, content: bytes) -> Iterator[list[str]]:
    """The rows of the file as text cells, read one by one (never the whole workbook)."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook
        from openpyxl.worksheet._read_only import ReadOnlyWorksheet

        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            sheet = book.active
            if not isinstance(sheet, ReadOnlyWorksheet):  # no sheet, or a chart
                raise TypeError("the first sheet is not a worksheet")
            rows = sheet.iter_rows(values_only=True)
        except Exception:  # any unreadable workbook
            raise _unreadable(
                "is not a readable XLSX workbook", "bukan berkas XLSX yang dapat dibaca"
            ) from None
        try:
            while True:
                try:
                    row = next(rows)
                except StopIteration:
                    return
                except Exception:  # a broken sheet part, read lazily
                    raise _unreadable(
                        "is not a readable XLSX workbook", "bukan berkas XLSX yang dapat dibaca"
                    ) from None
                yield ["" if c is None else str(c).strip() for c in row]
        finally:
            book.close()
    elif filename.lower().endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise _unreadable("must be UTF-8 text", "harus teks UTF-8") from None
        first = text.split("\n", 1)[0]
        dialect = _Semicolon if first.count(";") > first.count(",") else csv.excel
        reader = csv.reader(io.StringIO(text), dialect)
        while True:
            try:
                line = next(reader)
            except StopIteration:
                return
            except csv.Error:  # a cell over the csv module's limit, a broken quote
                raise field_error(
                    "file",
                    f"line {reader.line_num}: is not readable CSV",
                    f"baris {reader.line_num}: bukan CSV yang dapat dibaca",
                    code="upload.unreadable",
                ) from None
            yield [c.strip() for c in line]
    else:
        raise _unreadable("must be a .csv or .xlsx file", "harus berkas .csv atau .xlsx")


def read_table(filename: str, content: bytes) -> list[dict[str, str]]:
    """The rows of a CSV (comma or semicolon) or XLSX file, keyed by the header row.

    Read row by row: a file over :data:`MAX_ROWS` rows is refused as soon as the row after
    the limit is read, and a cell over :data:`MAX_CELL_CHARS` or holding a NUL is refused."""
    if len(content) > MAX_BYTES:
        raise field_error(
            "file", "is larger than 20 MB", "lebih dari 20 MB", code="upload.too_large"
        )
    values: list[list[str]] = []
    for row in _rows_of(filename, content):
        if not any(row):
            continue
        if len(values) > MAX_ROWS:  # the header and MAX_ROWS rows are already read
            raise field_error(
                "file",
                f"has more than {MAX_ROWS:,} rows",
                f"lebih dari {MAX_ROWS:,} baris",
                code="upload.too_large",
            )
        for cell in row:
            if len(cell) > MAX_CELL_CHARS or "\x00" in cell:
                raise field_error(
                    "file",
                    f"row {len(values) + 1}: a cell is longer than {MAX_CELL_CHARS} characters "
                    "or holds a NUL character",
                    f"baris {len(values) + 1}: ada sel lebih dari {MAX_CELL_CHARS} karakter "
                    "atau berisi karakter NUL",
                    code="upload.cell_invalid",
                )
        values.append(row)
    if not values:
        raise field_error("file", "is empty", "kosong", code="upload.empty")
    header = [h.lower() for h in values[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise field_error(
            "file",
            f"lacks the columns {', '.join(missing)} (see the template)",
            f"tidak memiliki kolom {', '.join(missing)} (lihat templat)",
            code="upload.columns",
        )
    return [
        dict(zip(header, row + [""] * (len(header) - len(row)), strict=False)) for row in values[1:]
    ]


@dataclass
class Row:
    line: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    action: str = ""  # add, wage, leave, unchanged

    def as_json(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "values": self.values,
            "errors": self.errors,
            "warnings": self.warnings,
            "action": self.action,
        }


def _date(value: str, kind: str, today: date) -> date | None:
    """The date, or None when it is not one or lies outside the window of its kind."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    window = DATE_WINDOWS[kind]
    return day if window.earliest <= day <= window.last_on(today) else None


def _check(row: Row, today: date, divisions: set[str]) -> None:
    v = row.values
    for name in REQUIRED:
        if not v.get(name):
            row.errors.append(f"{name}: is required / wajib diisi")
    if row.errors:
        return
    birth = _date(v["birth_date"], "birth_date", today)
    start = _date(v["start_on"], "employment", today)
    if birth is None:
        row.errors.append(
            "birth_date: not a date YYYY-MM-DD in range / bukan tanggal YYYY-MM-DD yang wajar"
        )
    if start is None:
        row.errors.append(
            "start_on: not a date YYYY-MM-DD in range / bukan tanggal YYYY-MM-DD yang wajar"
        )
    if len(v["full_name"]) > 100:
        row.errors.append("full_name: at most 100 characters / maksimal 100 karakter")
    if v["sex"] not in Sex.values:
        row.errors.append("sex: must be F or M / harus F atau M")
    try:
        info = parse_nik(
            v["nik"],
            today=today,
            declared_birth_date=birth,
            declared_sex=v["sex"] if v["sex"] in Sex.values else None,
        )
        v["nik"] = info.nik
        row.warnings += [f"{w.code}: {w.message_en}" for w in info.warnings]
    except RuleViolation as exc:
        row.errors.append(f"{exc.message} / {exc.message_for('id')}")
    wage_text = v["wage_idr"].replace(".", "").replace(",", "").replace(" ", "")
    ceiling = MONEY_CEILING_IDR["wage"]
    if not (wage_text.isascii() and wage_text.isdigit()) or int(wage_text) <= 0:
        row.errors.append("wage_idr: must be whole rupiah above 0 / harus rupiah utuh di atas 0")
    elif len(wage_text) > 18 or int(wage_text) > ceiling:
        row.errors.append(f"wage_idr: must be at most {ceiling:,} / paling banyak {ceiling:,}")
    elif start is not None:
        v["wage_idr"] = wage_text
        check = pu_wage_floor_check(int(wage_text), start)
        if check.outcome == "refused":
            row.errors.append(
                f"wage_idr: below the absolute floor Rp{check.absolute_floor_idr:,}"
                f" / di bawah batas terendah"
            )
        elif check.outcome == "needs_approval":
            row.warnings.append(f"wage.needs_approval: below Rp{check.floor_idr:,}")
    division = v.get("division") or "000"
    v["division"] = division
    if division not in divisions:
        row.errors.append(f"division: no division {division} / divisi {division} tidak ada")
    end, reason = v.get("end_on", ""), v.get("exit_reason", "")
    if bool(end) != bool(reason):
        row.errors.append("end_on, exit_reason: give both for a leaver / isi keduanya")
    elif end:
        end_date = _date(end, "employment", today)
        if end_date is None:
            row.errors.append(
                "end_on: not a date YYYY-MM-DD in range / bukan tanggal YYYY-MM-DD yang wajar"
            )
        elif start is not None and end_date < start:
            row.errors.append("end_on: before start_on / sebelum start_on")
        if reason not in ExitReason.values:
            row.errors.append(f"exit_reason: must be one of {', '.join(ExitReason.values)}")


def _plan(
    employer_id: int, period_start: date, rows: list[Row], user: User
) -> tuple[dict[str, Any], list[str]]:
    """Classify valid rows against the current workforce; returns the summary and the NIKs
    refused because the name or birth date did not match the record (to be counted towards
    the user's identity-guess lock)."""
    current = {
        e.participant.person.nik: e
        for e in Employment.objects.filter(
            employer_id=employer_id, end_on__isnull=True
        ).select_related("participant__person")
    }
    latest: dict[int, WageRecord] = {}
    for record in WageRecord.objects.filter(employment__in=current.values()).order_by(
        "effective_from"
    ):
        latest[record.employment_id] = record
    seen: set[str] = set()
    for row in rows:
        nik = row.values.get("nik", "")
        if nik in seen and not row.errors:
            row.errors.append("nik: listed twice in the file / tercantum dua kali")
        seen.add(nik)
        if row.errors:
            row.action = ""
            continue
        employment = current.get(nik)
        if row.values.get("end_on"):
            if employment is None:
                row.errors.append("end_on: the worker is not employed here / bukan pekerja di sini")
            else:
                row.action = "leave"
            continue
        if employment is None:
            row.action = "add"
            continue
        last = latest.get(employment.pk)
        wage = int(row.values["wage_idr"])
        if last is not None and last.wage_idr == wage:
            row.action = "unchanged"
        elif last is not None and last.effective_from >= period_start:
            row.errors.append(
                "wage_idr: a different wage is already reported for this period "
                "/ upah lain sudah dilaporkan untuk periode ini"
            )
        else:
            row.action = "wage"
    refused = _check_identities([r for r in rows if r.action == "add"], user)
    missing = sorted(set(current) - seen)
    counts = {
        a: sum(1 for r in rows if r.action == a) for a in ("add", "wage", "leave", "unchanged")
    }
    summary = {
        **counts,
        "errors": sum(1 for r in rows if r.errors),
        "rows": len(rows),
        "missing": [f"{n[:6]}******{n[12:]}" for n in missing],
    }
    return summary, refused


def _check_identities(adds: list[Row], user: User) -> list[str]:
    """A new worker whose NIK is already on file must be given with the name and birth date
    of that record; otherwise the row is refused (without saying which detail differs).

    Each such refusal counts towards the user's identity-guess lock, like one refused
    enrolment: once the user has none left, every further row of a NIK on file is refused
    unchecked (``person.identity_locked``), so a file of guesses for one NIK learns nothing.
    Returns the NIKs refused for a mismatch."""
    known = {
        p.nik: p
        for p in Person.objects.filter(nik__in=[r.values["nik"] for r in adds]).only(
            "nik", "full_name", "birth_date"
        )
    }
    left = identity_guesses_left(user) if known else 0
    refused: list[str] = []
    for row in adds:
        person = known.get(row.values["nik"])
        if person is None:
            continue
        birth = _date(row.values["birth_date"], "birth_date", timezone.localdate())
        if left == 0:
            error: RuleViolation | PermissionDenied = identity_locked()
        elif birth is None or not identity_matches(person, row.values["full_name"], birth):
            error = identity_mismatch()
            refused.append(person.nik)
            left -= 1
        else:
            continue
        row.errors.append(f"{error.message} / {error.message_for('id')}")
        row.action = ""
    return refused


def _period_start(period: str, today: date) -> date:
    return bounded_period("period", period, latest=next_month(today)).first_day


def upload_check(
    *,
    acting_user: User,
    employer_id: int,
    period: str,
    filename: str,
    content: bytes,
    today: date | None = None,
) -> EmployerUpload:
    """The dry run. Sending a file that was already applied returns that upload, unchanged."""
    today = today or timezone.localdate()
    employer = access_employer_for_workers(acting_user, employer_id)  # the gate first
    period_start = _period_start(period, today)
    period = f"{period_start:%Y-%m}"
    digest = hashlib.sha256(content).hexdigest()
    applied = EmployerUpload.objects.filter(
        employer=employer, sha256=digest, status=EmployerUpload.Status.FINALISED
    ).first()
    if applied is not None:
        return applied
    table = read_table(filename, content)
    divisions = set(
        EmployerDivision.objects.filter(employer=employer).values_list("code", flat=True)
    )
    rows = [Row(line=i + 2, values={c: r.get(c, "") for c in COLUMNS}) for i, r in enumerate(table)]
    for row in rows:
        _check(row, today, divisions)
    summary, refused = _plan(employer.pk, period_start, rows, acting_user)
    if refused:
        identity_refusals_record(acting_user, refused)
    with transaction.atomic():
        upload = EmployerUpload.objects.create(
            employer=employer,
            period=period,
            filename=filename[:200],
            sha256=digest,
            summary=summary,
            rows=[r.as_json() for r in rows],
            uploaded_by=acting_user,
            uploaded_at=timezone.now(),
        )
        audit_record(
            actor=acting_user,
            action="upload.check",
            obj=upload,
            after={
                "employer": employer.npp,
                "period": period,
                "file": filename,
                "sha256": digest,
                **{k: v for k, v in summary.items() if k != "missing"},
            },
        )
    return upload


def upload_errors_file(upload: EmployerUpload) -> tuple[str, bytes]:
    """The uploaded rows as CSV with an ``errors`` column (and ``warnings``)."""
    lines: list[list[object]] = [[*COLUMNS, "errors", "warnings"]]
    for row in upload.rows:
        lines.append(
            [
                *(row["values"].get(c, "") for c in COLUMNS),
                "; ".join(row["errors"]),
                "; ".join(row["warnings"]),
            ]
        )
    name = safe_filename(upload.filename.rsplit(".", 1)[0], "upload") + "-errors.csv"
    return name, csv_bytes(lines)


def access_upload(user: User, upload_id: int) -> EmployerUpload:
    upload = EmployerUpload.objects.filter(pk=upload_id).first()
    if upload is None:
        raise NotFound(
            "No such upload.", message_id="Unggahan tidak ditemukan.", code="upload.not_found"
        )
    access_employer_for_workers(user, upload.employer_id)
    return upload


def upload_finalise(
    *, acting_user: User, upload_id: int, today: date | None = None
) -> EmployerUpload:
    """Apply a checked upload in one transaction, or nothing. Applying twice changes nothing."""
    today = today or timezone.localdate()
    refused: list[str] = []
    try:
        with transaction.atomic():
            upload = access_upload(acting_user, upload_id)
            upload = EmployerUpload.objects.select_for_update().get(pk=upload.pk)
            if upload.status == EmployerUpload.Status.FINALISED:
                return upload
            rows = [
                Row(
                    line=r["line"],
                    values=r["values"],
                    errors=list(r["errors"]),
                    warnings=list(r["warnings"]),
                )
                for r in upload.rows
            ]
            period_start = bounded_period("period", upload.period).first_day
            # against today's state (someone may have been enrolled since the dry run)
            summary, refused = _plan(upload.employer_id, period_start, rows, acting_user)
            if summary["errors"]:
                raise Conflict(
                    "file: the upload has errors; download them, correct the file "
                    "and send it again",
                    code="upload.has_errors",
                    field="file",
                    message_id="file: unggahan memiliki kesalahan; unduh, perbaiki, "
                    "lalu kirim lagi",
                )
            _apply(upload, rows, period_start, acting_user, today)
            upload.status, upload.summary = EmployerUpload.Status.FINALISED, summary
            upload.rows = [r.as_json() for r in rows]
            upload.finalised_at = timezone.now()
            upload.save(update_fields=["status", "summary", "rows", "finalised_at"])
            audit_record(
                actor=acting_user,
                action="upload.finalise",
                obj=upload,
                after={k: v for k, v in summary.items() if k != "missing"},
            )
    except IntegrityError:
        raise Conflict(
            "file: this file was already applied",
            code="upload.already_applied",
            field="file",
            message_id="file: berkas ini sudah diterapkan",
        ) from None
    finally:
        if refused:  # kept whether or not the upload was applied
            identity_refusals_record(acting_user, refused)
    return upload


def _apply(
    upload: EmployerUpload, rows: list[Row], period_start: date, user: User, today: date
) -> None:
    now = timezone.now()
    employer_id = upload.employer_id
    adds = [r for r in rows if r.action == "add"]
    niks = [r.values["nik"] for r in adds]
    high = {m: m.objects.aggregate(m=Max("pk"))["m"] or 0 for m in (Person, Participant)}
    people = {p.nik: p for p in Person.objects.filter(nik__in=niks)}
    new_people = [
        Person(
            nik=r.values["nik"],
            full_name=" ".join(r.values["full_name"].split()),
            name_key=name_key(r.values["full_name"]),
            birth_date=date.fromisoformat(r.values["birth_date"]),
            sex=r.values["sex"],
            created_at=now,
        )
        for r in adds
        if r.values["nik"] not in people
    ]
    for person in Person.objects.bulk_create(new_people):
        people[person.nik] = person
    participants = {
        p.person_id: p
        for p in Participant.objects.filter(person__in=people.values(), segment=Segment.PU)
    }
    needing = [people[n] for n in niks if people[n].pk not in participants]
    if needing:
        counter, _created = KpjCounter.objects.select_for_update().get_or_create(year=today.year)
        first = counter.last_serial + 1
        counter.last_serial += len(needing)
        counter.save(update_fields=["last_serial"])
        branch_id = upload.employer.branch_office_id
        created = Participant.objects.bulk_create(
            Participant(
                kpj=format_kpj(today.year, first + i),
                person=p,
                segment=Segment.PU,
                branch_office_id=branch_id,
                registered_at=now,
            )
            for i, p in enumerate(needing)
        )
        participants.update({p.person_id: p for p in created})
    divisions = dict(
        EmployerDivision.objects.filter(employer_id=employer_id).values_list("code", "pk")
    )
    employments = Employment.objects.bulk_create(
        Employment(
            participant=participants[people[r.values["nik"]].pk],
            employer_id=employer_id,
            division_id=divisions[r.values["division"]],
            start_on=date.fromisoformat(r.values["start_on"]),
        )
        for r in adds
    )
    current = {
        e.participant.person.nik: e
        for e in Employment.objects.filter(
            employer_id=employer_id, end_on__isnull=True
        ).select_related("participant__person")
    }
    wages = []
    for row, employment in zip(adds, employments, strict=True):
        wages.append(_wage(employment, employment.start_on, int(row.values["wage_idr"]), now, user))
    for row in rows:
        if row.action == "wage":
            wages.append(
                _wage(
                    current[row.values["nik"]],
                    period_start,
                    int(row.values["wage_idr"]),
                    now,
                    user,
                )
            )
    WageRecord.objects.bulk_create(wages)
    for row in rows:
        if row.action == "leave":
            employment = current[row.values["nik"]]
            Employment.objects.filter(pk=employment.pk).update(
                end_on=date.fromisoformat(row.values["end_on"]),
                exit_reason=row.values["exit_reason"],
            )
    for model, before in high.items():  # one audit event per table for the rows added in bulk
        added = model.objects.filter(pk__gt=before).aggregate(
            lo=Max("pk") * 0 + before + 1, hi=Max("pk")
        )
        if added["hi"] is not None and added["hi"] > before:
            AuditEvent.objects.create(
                actor=user,
                actor_username=user.username,
                actor_role=user.role,
                action="upload.create",
                object_type=model._meta.label_lower,
                object_id=f"{before + 1}-{added['hi']}",
                after={"upload": upload.pk},
            )


def _wage(
    employment: Employment, effective_from: date, wage_idr: int, now: Any, user: User
) -> WageRecord:
    status = (
        WageStatus.PENDING
        if pu_wage_floor_check(wage_idr, effective_from).outcome == "needs_approval"
        else WageStatus.APPROVED
    )
    return WageRecord(
        employment=employment,
        effective_from=effective_from,
        wage_idr=wage_idr,
        status=status,
        reported_at=now,
        reported_by=user,
    )
