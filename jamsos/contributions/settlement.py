"""Bank settlement files: the day's payments as a channel booked them, reconciled in SQL.

A channel (or the finance office for it) sends one CSV file a day (format in
docs/payments.md). :func:`settlement_receive` checks every line and loads the file into the
staging table ``SettlementLine`` in one bulk statement (``COPY`` on PostgreSQL);
:func:`settlement_reconcile` then sorts every line with a few statements over the whole file:

- *duplicate*: its bank reference appeared on an earlier line of the file;
- *matched*: the channel notified this bank reference before, same code and amount;
- *amount_mismatch*: the channel notified this bank reference with another amount or code;
- *unknown_code*: no bill has the payment code;
- *missing*: not notified — posted now, as a notification would have been: a ``Payment`` row
  per line (the bank reference is its transaction id, so a notification arriving later is a
  duplicate, and a line in a later file is *matched*), a balanced ledger posting per payment,
  then the payer's credit applied to its bills and fines by :func:`.allocation.allocate` (JHT
  credit, BPU cover) — the same service the notifications use.

Missing lines are posted in chunks, each in its own transaction, so an interrupted run loses
at most a chunk and is resumed by running it again: a line with an outcome is never looked at
twice, and ``(channel, sha256)`` of the file is unique, so the same file received again is the
same file. The report (:func:`settlement_report`) counts and sums the lines per outcome.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone

from jamsos.accounts.access import require_operator
from jamsos.accounts.models import User
from jamsos.accounts.policy import Action
from jamsos.contributions.allocation import Payer, allocate
from jamsos.contributions.models import (
    Bill,
    Payment,
    PaymentChannel,
    SettlementFile,
    SettlementLine,
    SettlementOutcome,
)
from jamsos.contributions.payments import paid_at_window
from jamsos.core.audit import audit_record
from jamsos.core.bounds import MONEY_CEILING_IDR
from jamsos.core.errors import Conflict, NotFound, RuleViolation, field_error
from jamsos.core.exports import csv_bytes
from jamsos.jobs.models import ACTIVE, Job
from jamsos.jobs.services import job_enqueue
from jamsos.ledger.models import Account, Leg, Posting, PostingKind
from jamsos.ledger.services import check_balanced
from jamsos.registry.models import Employer, Participant

Progress = Callable[[str, int, int], None]

#: The columns of a settlement file, in this order (docs/payments.md).
COLUMNS = ("channel", "payment_code", "amount_idr", "paid_at", "bank_reference")
#: The most lines one file may hold (a region's busiest day is far below).
MAX_LINES = 2_000_000
#: Missing lines posted per transaction.
CHUNK = 5000
OUTCOMES = [o for o in SettlementOutcome if o != SettlementOutcome.PENDING]


@dataclass(frozen=True)
class ParsedLine:
    line_no: int
    payment_code: str
    amount_idr: int
    paid_at: datetime
    paid_on: date
    bank_ref: str


def _line_error(line_no: int, field: str, en: str, id_: str) -> RuleViolation:
    return RuleViolation(
        f"line {line_no}: {field}: {en}",
        field=field,
        code="settlement.bad_line",
        message_id=f"baris {line_no}: {field}: {id_}",
    )


def settlement_parse(data: bytes, *, channel: str, received_at: datetime) -> list[ParsedLine]:
    """Every line of a settlement file, checked; the first bad line refuses the whole file
    (``settlement.bad_line`` naming the line and the column)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise field_error(
            "file", "must be UTF-8 text", "harus teks UTF-8", code="settlement.not_utf8"
        ) from None
    rows = csv.reader(io.StringIO(text))
    header = [c.strip().lower() for c in next(rows, [])]
    if tuple(header) != COLUMNS:
        raise field_error(
            "file",
            f"the first line must be the header {','.join(COLUMNS)}",
            f"baris pertama harus judul kolom {','.join(COLUMNS)}",
            code="settlement.bad_header",
        )
    max_age, max_ahead = paid_at_window()
    earliest, latest = received_at - max_age, received_at + max_ahead
    ceiling = MONEY_CEILING_IDR["payment"]
    local = timezone.get_current_timezone()
    lines: list[ParsedLine] = []
    for line_no, row in enumerate(rows, start=2):
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if len(lines) >= MAX_LINES:
            raise field_error(
                "file",
                f"holds more than {MAX_LINES:,} lines; split it",
                f"berisi lebih dari {MAX_LINES:,} baris; pecah berkasnya".replace(",", "."),
                code="settlement.too_many_lines",
            )
        if len(row) != len(COLUMNS):
            raise _line_error(
                line_no, "file", f"must have {len(COLUMNS)} columns", f"harus {len(COLUMNS)} kolom"
            )
        code, payment_code, amount_text, paid_text, ref = (c.strip() for c in row)
        if code.upper() != channel:
            raise _line_error(line_no, "channel", f"must be {channel}", f"harus {channel}")
        if not payment_code.isdigit() or len(payment_code) > 32:
            raise _line_error(line_no, "payment_code", "must be 1-32 digits", "harus 1-32 angka")
        if not amount_text.isdigit() or not 0 < int(amount_text) <= ceiling:
            raise _line_error(
                line_no,
                "amount_idr",
                f"must be a whole number of rupiah from 1 to {ceiling:,}",
                f"harus bilangan bulat rupiah 1 sampai {ceiling:,}".replace(",", "."),
            )
        try:
            paid_at = datetime.fromisoformat(paid_text)
            if paid_at.tzinfo is None:
                raise ValueError("no offset")
        except ValueError:
            raise _line_error(
                line_no,
                "paid_at",
                "must be an ISO 8601 date-time with its UTC offset",
                "harus tanggal-waktu ISO 8601 dengan zona waktu",
            ) from None
        if not earliest <= paid_at <= latest:
            raise _line_error(
                line_no,
                "paid_at",
                f"must be at most {max_age.days} days before the file is received and not after it",
                f"paling lama {max_age.days} hari sebelum berkas diterima dan tidak sesudahnya",
            )
        if not ref or len(ref) > 64:
            raise _line_error(
                line_no, "bank_reference", "must be 1-64 characters", "harus 1-64 karakter"
            )
        lines.append(
            ParsedLine(
                line_no,
                payment_code,
                int(amount_text),
                paid_at,
                paid_at.astimezone(local).date(),
                ref,
            )
        )
    if not lines:
        raise field_error(
            "file", "holds no payment lines", "tidak berisi baris pembayaran", "settlement.empty"
        )
    return lines


def _channel(code: str) -> PaymentChannel:
    channel = PaymentChannel.objects.filter(code=(code or "").strip().upper()).first()
    if channel is None:
        raise NotFound(
            f"channel: no payment channel {code!r}",
            message_id=f"channel: tidak ada kanal pembayaran {code!r}",
            field="channel",
            code="settlement.unknown_channel",
        )
    return channel


def _load(file: SettlementFile, lines: Sequence[ParsedLine]) -> None:
    """The lines into the staging table in one bulk load (COPY on PostgreSQL)."""
    table = SettlementLine._meta.db_table
    columns = "file_id, line_no, payment_code, amount_idr, paid_at, paid_on, bank_ref, outcome"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw: Any = cursor.cursor  # the psycopg cursor underneath Django's wrapper
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for ln in lines:
                    copy.write_row(
                        (
                            file.pk,
                            ln.line_no,
                            ln.payment_code,
                            ln.amount_idr,
                            ln.paid_at,
                            ln.paid_on,
                            ln.bank_ref,
                            "",
                        )
                    )
        return
    adapt = connection.ops.adapt_datetimefield_value
    sql = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s, '')"  # noqa: S608 - table names and fixed fragments
    with connection.cursor() as cursor:
        for start in range(0, len(lines), 20000):
            cursor.executemany(
                sql,
                [
                    (
                        file.pk,
                        ln.line_no,
                        ln.payment_code,
                        ln.amount_idr,
                        adapt(ln.paid_at),
                        ln.paid_on.isoformat(),
                        ln.bank_ref,
                    )
                    for ln in lines[start : start + 20000]
                ],
            )


def settlement_receive(
    *,
    acting_user: User | None,
    channel: str,
    data: bytes,
    name: str = "",
    received_at: datetime | None = None,
) -> tuple[SettlementFile, bool]:
    """Check a settlement file and load its lines; returns the file and whether it is new.
    The same file of the same channel received again is the file received before.
    ``received_at`` is now; the demo's replay of past days gives the day it simulates."""
    require_operator(acting_user, Action.SETTLEMENT_IMPORT)
    found = _channel(channel)
    digest = hashlib.sha256(data).hexdigest()
    known = SettlementFile.objects.filter(channel=found, sha256=digest).first()
    if known is not None:
        return known, False
    received_at = received_at or timezone.now()
    lines = settlement_parse(data, channel=found.code, received_at=received_at)
    with transaction.atomic():
        file = SettlementFile.objects.create(
            channel=found,
            sha256=digest,
            name=(name or f"{found.code}-settlement.csv")[-120:],
            received_at=received_at,
            received_by=acting_user,
            lines=len(lines),
            amount_idr=sum(ln.amount_idr for ln in lines),
        )
        _load(file, lines)
        audit_record(
            actor=acting_user,
            action="settlement.receive",
            obj=file,
            after={"channel": found.code, "lines": file.lines, "amount_idr": file.amount_idr},
        )
    return file, True


def settlement_submit(
    *,
    acting_user: User | None,
    channel: str,
    data: bytes,
    name: str = "",
    received_at: datetime | None = None,
) -> tuple[SettlementFile, bool, Job | None]:
    """Receive a file and queue its reconciliation (a ``settlement`` job whose period is the
    file's id); returns the file, whether it is new, and the job — the one already queued or
    running for it, or None when the file was reconciled before (sent twice: nothing to do).
    The page, the API and the command line all start here."""
    file, new = settlement_receive(
        acting_user=acting_user, channel=channel, data=data, name=name, received_at=received_at
    )
    active = Job.objects.filter(kind="settlement", period=str(file.pk), status__in=ACTIVE)
    job = active.first()
    if job is None and file.reconciled_at is None:
        try:
            job = job_enqueue(acting_user=acting_user, kind="settlement", period=str(file.pk))
        except Conflict:  # queued by someone else in the meantime
            job = active.first()
    return file, new, job


def _file(file_id: int) -> SettlementFile:
    file = SettlementFile.objects.select_related("channel").filter(pk=file_id).first()
    if file is None:
        raise NotFound(
            f"file: no settlement file {file_id}",
            message_id=f"file: tidak ada berkas settlement {file_id}",
            field="file",
            code="settlement.not_found",
        )
    return file


def settlement_get(*, acting_user: User | None, file_id: int) -> SettlementFile:
    require_operator(acting_user, Action.SETTLEMENT_READ)
    return _file(file_id)


# -- reconciliation -----------------------------------------------------------------------

_L = SettlementLine._meta.db_table
_P = Payment._meta.db_table
_B = Bill._meta.db_table
_PO = Posting._meta.db_table
_LEG = Leg._meta.db_table


def _run(sql: str, params: Sequence[Any]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount or 0)


def _classify(file: SettlementFile) -> None:
    """Sort every pending line that is not to be posted: duplicates, lines the channel
    notified (matched or not), unknown codes. What stays pending has a bill to post to."""
    f, ch = file.pk, file.channel_id
    with transaction.atomic():
        _run(
            f"""UPDATE {_L} SET outcome = 'duplicate' WHERE id IN (
                    SELECT id FROM (
                        SELECT id, outcome, ROW_NUMBER() OVER (
                            PARTITION BY bank_ref ORDER BY line_no) AS n
                        FROM {_L} WHERE file_id = %s) x
                    WHERE x.n > 1 AND x.outcome = '')""",  # noqa: S608 - table names and fixed fragments
            [f],
        )
        _run(
            f"""UPDATE {_L} SET payment_id = p.id FROM {_P} p
                WHERE {_L}.file_id = %s AND {_L}.outcome = ''
                  AND p.channel_id = %s AND p.transaction_id = {_L}.bank_ref""",  # noqa: S608 - table names and fixed fragments
            [f, ch],
        )
        _run(
            f"""UPDATE {_L} SET bill_id = b.id FROM {_B} b
                WHERE {_L}.file_id = %s AND {_L}.outcome = ''
                  AND b.payment_code = {_L}.payment_code""",  # noqa: S608 - table names and fixed fragments
            [f],
        )
        _matched(f, "")
        _run(
            f"""UPDATE {_L} SET outcome = 'unknown_code'
                WHERE file_id = %s AND outcome = '' AND bill_id IS NULL""",  # noqa: S608 - table names and fixed fragments
            [f],
        )


def _matched(file_id: int, digest: str, lo: int = 0, hi: int = 2**31 - 1) -> None:
    """Pending lines whose bank reference is a payment: ``missing`` when this file posted it
    (its digest), else matched or not by amount and bill."""
    _run(
        f"""UPDATE {_L} SET outcome = CASE
                WHEN p.body_sha256 = %s THEN 'missing'
                WHEN p.kind = 'payment' AND p.amount_idr = {_L}.amount_idr
                     AND p.bill_id = {_L}.bill_id THEN 'matched'
                ELSE 'amount_mismatch' END
            FROM {_P} p
            WHERE {_L}.file_id = %s AND {_L}.outcome = '' AND p.id = {_L}.payment_id
              AND {_L}.line_no BETWEEN %s AND %s""",  # noqa: S608 - table names and fixed fragments
        [digest, file_id, lo, hi],
    )


def _next_chunk(file_id: int) -> tuple[int, int] | None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT MIN(line_no), MAX(line_no) FROM (
                    SELECT line_no FROM {_L} WHERE file_id = %s AND outcome = ''
                    ORDER BY line_no LIMIT %s) x""",  # noqa: S608 - table names and fixed fragments
            [file_id, CHUNK],
        )
        lo, hi = cursor.fetchone()
    return None if lo is None else (int(lo), int(hi))


def _lock_payers(where: str, params: list[Any]) -> None:
    """Lock the payers of the chunk (one statement per kind, in id order), as a notification
    locks its payer: their money moves one transaction after the other."""
    if connection.vendor != "postgresql":
        return  # SQLite writes one transaction at a time
    for model, column in ((Employer, "employer_id"), (Participant, "participant_id")):
        _run(
            f"""SELECT id FROM {model._meta.db_table} WHERE id IN (
                    SELECT b.{column} FROM {_L} JOIN {_B} b ON b.id = {_L}.bill_id
                    WHERE {where}) ORDER BY id FOR UPDATE""",  # noqa: S608 - table names and fixed fragments
            params,
        )


def _post_chunk(file: SettlementFile, lo: int, hi: int, now: datetime) -> int:
    """Post the pending lines ``lo``..``hi`` as payments, one transaction; returns the lines
    posted."""
    f, ch, digest = file.pk, file.channel_id, file.sha256
    where = f"{_L}.file_id = %s AND {_L}.line_no BETWEEN %s AND %s AND {_L}.outcome = ''"
    span = [f, lo, hi]
    at = connection.ops.adapt_datetimefield_value(now)
    with transaction.atomic():
        _lock_payers(where, span)
        _run(
            f"""INSERT INTO {_P} (channel_id, transaction_id, kind, reverses_id, bill_id,
                    employer_id, participant_id, amount_idr, paid_at, received_at, body_sha256)
                SELECT %s, {_L}.bank_ref, 'payment', NULL, b.id, b.employer_id,
                    b.participant_id, {_L}.amount_idr, {_L}.paid_at, %s, %s
                FROM {_L} JOIN {_B} b ON b.id = {_L}.bill_id
                WHERE {where} AND NOT EXISTS (
                    SELECT 1 FROM {_P} q
                    WHERE q.channel_id = %s AND q.transaction_id = {_L}.bank_ref)""",  # noqa: S608 - table names and fixed fragments
            [ch, at, digest, *span, ch],
        )
        _run(
            f"""UPDATE {_L} SET payment_id = p.id FROM {_P} p
                WHERE {where} AND p.channel_id = %s AND p.transaction_id = {_L}.bank_ref""",  # noqa: S608 - table names and fixed fragments
            [*span, ch],
        )
        _matched(f, digest, lo, hi)  # a notification may have come in since classifying
        posted = f"""{_L}.file_id = %s AND {_L}.line_no BETWEEN %s AND %s
                     AND {_L}.outcome = 'missing' AND p.body_sha256 = %s"""
        count = _run(
            f"""INSERT INTO {_PO} (kind, source_id, memo, effective_on, posted_at)
                SELECT 'payment', p.id, %s || p.transaction_id, {_L}.paid_on, %s
                FROM {_L} JOIN {_P} p ON p.id = {_L}.payment_id
                WHERE {posted} AND NOT EXISTS (
                    SELECT 1 FROM {_PO} o WHERE o.source_id = p.id AND o.kind = 'payment')""",  # noqa: S608 - table names and fixed fragments
            [f"{file.channel.code} ", at, *span, digest],
        )
        # both legs of every posting in one statement (the PostgreSQL trigger checks them)
        legs = f"""FROM {_L} JOIN {_P} p ON p.id = {_L}.payment_id
                   JOIN {_PO} po ON po.source_id = p.id AND po.kind = 'payment'
                   WHERE {posted} AND po.posted_at = %s"""
        _run(
            f"""INSERT INTO {_LEG} (posting_id, account, employer_id, participant_id, channel,
                    amount_idr)
                SELECT po.id, %s, NULL, NULL, %s, p.amount_idr {legs}
                UNION ALL
                SELECT po.id, %s, p.employer_id, p.participant_id, '', -p.amount_idr {legs}""",
            [
                Account.CASH.value,
                file.channel.code,
                *span,
                digest,
                at,
                Account.PAYER_CREDIT.value,
                *span,
                digest,
                at,
            ],
        )
        if connection.vendor != "postgresql":  # PostgreSQL's trigger has checked each one
            check_balanced(
                Posting.objects.filter(
                    kind=PostingKind.PAYMENT,
                    source_id__in=Payment.objects.filter(
                        channel_id=ch, body_sha256=digest, received_at=now
                    ).values("pk"),
                ).values_list("pk", flat=True)
            )
        _allocate(file, lo, hi)
    return count


def _allocate(file: SettlementFile, lo: int, hi: int) -> None:
    """Apply each payer's credit once, on the day of its latest payment in the chunk (a
    settlement file is one day's payments)."""
    payers = (
        SettlementLine.objects.filter(
            file=file, line_no__range=(lo, hi), outcome=SettlementOutcome.MISSING
        )
        .values_list("bill__employer_id", "bill__participant_id")
        .order_by("bill__employer_id", "bill__participant_id")
        .annotate(on=Max("paid_on"))
    )
    for employer_id, participant_id, on in payers:
        allocate(Payer(employer_id=employer_id, participant_id=participant_id), on=on)


@dataclass(frozen=True)
class SettlementReport:
    file: SettlementFile
    rows: dict[str, tuple[int, int]]  # outcome -> (lines, amount)

    @property
    def pending(self) -> int:
        return self.rows.get("", (0, 0))[0]

    def as_json(self) -> dict[str, Any]:
        f = self.file
        return {
            "id": f.pk,
            "channel": f.channel.code,
            "name": f.name,
            "sha256": f.sha256,
            "received_at": f.received_at.isoformat(),
            "reconciled_at": f.reconciled_at.isoformat() if f.reconciled_at else None,
            "lines": f.lines,
            "amount_idr": f.amount_idr,
            "pending": self.pending,
            "outcomes": {
                o.value: {
                    "lines": self.rows.get(o.value, (0, 0))[0],
                    "amount_idr": self.rows.get(o.value, (0, 0))[1],
                }
                for o in OUTCOMES
            },
        }


def _report(file: SettlementFile) -> SettlementReport:
    rows = (
        SettlementLine.objects.filter(file=file)
        .values("outcome")
        .order_by()
        .annotate(n=Count("pk"), total=Sum("amount_idr"))
    )
    return SettlementReport(file, {r["outcome"]: (int(r["n"]), int(r["total"] or 0)) for r in rows})


def settlement_reconcile(
    *, acting_user: User | None, file_id: int, progress: Progress | None = None
) -> SettlementReport:
    """Reconcile a received file (see the module docstring); safe to run again and to resume."""
    require_operator(acting_user, Action.SETTLEMENT_IMPORT)
    file = _file(file_id)
    say = progress or (lambda stage, done, total: None)
    say("classify", 0, file.lines)
    _classify(file)
    todo = SettlementLine.objects.filter(file=file, outcome="").count()
    done = 0
    say("post", done, todo)
    now = timezone.now()
    while (span := _next_chunk(file.pk)) is not None:
        lo, hi = span
        _post_chunk(file, lo, hi, now)
        done = todo - SettlementLine.objects.filter(file=file, outcome="").count()
        say("post", done, todo)
    if file.reconciled_at is None:
        with transaction.atomic():
            file.reconciled_at = timezone.now()
            file.save(update_fields=["reconciled_at"])
            report = _report(file)
            audit_record(
                actor=acting_user,
                action="settlement.reconcile",
                obj=file,
                after=report.as_json()["outcomes"],
            )
        return report
    return _report(file)


def settlement_report(*, acting_user: User | None, file_id: int) -> SettlementReport:
    return _report(settlement_get(acting_user=acting_user, file_id=file_id))


def settlement_files(*, acting_user: User | None) -> Iterator[SettlementFile]:
    require_operator(acting_user, Action.SETTLEMENT_READ)
    return iter(SettlementFile.objects.select_related("channel").order_by("-pk")[:100])


def settlement_report_csv(*, acting_user: User | None, file_id: int) -> tuple[str, bytes]:
    """The report as a download: counts and sums per outcome, then every line that needs the
    finance office (unknown code, amount mismatch, duplicate) with what Jamsos knows of it."""
    report = settlement_report(acting_user=acting_user, file_id=file_id)
    f = report.file
    rows: list[list[object]] = [
        ["file", f.name, "channel", f.channel.code, "sha256", f.sha256],
        ["outcome", "lines", "amount_idr"],
    ]
    for o in OUTCOMES:
        n, total = report.rows.get(o.value, (0, 0))
        rows.append([o.value, n, total])
    rows.append([])
    rows.append(
        [
            "line",
            "outcome",
            "payment_code",
            "amount_idr",
            "paid_at",
            "bank_reference",
            "notified_amount_idr",
        ]
    )
    follow = (
        SettlementLine.objects.filter(
            file=f,
            outcome__in=[
                SettlementOutcome.UNKNOWN_CODE,
                SettlementOutcome.AMOUNT_MISMATCH,
                SettlementOutcome.DUPLICATE,
            ],
        )
        .order_by("line_no")
        .values_list(
            "line_no",
            "outcome",
            "payment_code",
            "amount_idr",
            "paid_at",
            "bank_ref",
            "payment__amount_idr",
        )
    )
    for line_no, outcome, code, amount, paid_at, ref, notified in follow.iterator():
        rows.append(
            [
                line_no,
                outcome,
                code,
                amount,
                paid_at.isoformat(),
                ref,
                "" if notified is None else notified,
            ]
        )
    return f"settlement-{f.channel.code}-{f.pk}.csv", csv_bytes(rows)
