"""PDF documents drawn with reportlab (no system libraries needed; ADR 0011).

reportlab's ``Paragraph`` reads a small markup language (``<b>``, ``<img src=...>``, ``<a>``):
every text goes in through :func:`text`, which escapes it, so a name holding markup prints as
the characters it holds — it never embeds a file of the server nor breaks the document."""

from __future__ import annotations

import io
from html import escape
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from jamsos.contributions.jht import Statement
from jamsos.core.money import format_idr
from jamsos.registry.enrolment import mask_nik
from jamsos.registry.models import Participant


def text(value: object, style: Any) -> Paragraph:
    """A paragraph of plain text: markup characters in ``value`` are printed, not read."""
    return Paragraph(escape(str(value), quote=False), style)


def jht_statement_pdf(statement: Statement, language: str = "id") -> bytes:
    """The yearly JHT statement a member receives (the law requires one each year)."""
    with translation.override(language):
        styles = getSampleStyleSheet()
        buffer = io.BytesIO()
        person = statement.participant.person
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            title=_("JHT statement %(year)s") % {"year": statement.year},
            leftMargin=18 * mm,
            rightMargin=18 * mm,
        )
        rows = [[_("Month"), _("Movement"), _("For"), _("Amount")]]
        rows.append(["", _("Opening balance"), "", format_idr(statement.opening_idr)])
        for line in statement.lines:
            rows.append([line.on, line.label, line.period, format_idr(line.amount_idr)])
        rows.append(["", _("Closing balance"), "", format_idr(statement.closing_idr)])
        table = Table(rows, colWidths=[25 * mm, 70 * mm, 30 * mm, 45 * mm], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                    ("ALIGN", (3, 0), (3, -1), "RIGHT"),
                    ("LINEABOVE", (0, -1), (-1, -1), 0.5, colors.black),
                    ("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"),
                ]
            )
        )
        note = (
            _("Return credited for %(year)s: %(rate)s %% (%(status)s).")
            % {
                "year": statement.year,
                "rate": f"{float(statement.return_rate) * 100:.2f}".replace(".", ","),
                "status": statement.return_status,
            }
            if statement.return_rate
            else _("The return for %(year)s has not been credited yet.") % {"year": statement.year}
        )
        story = [
            text(_("JHT statement %(year)s") % {"year": statement.year}, styles["Title"]),
            text(f"{person.full_name} · KPJ {statement.participant.kpj}", styles["Heading3"]),
            Spacer(1, 4 * mm),
            table,
            Spacer(1, 4 * mm),
            text(note, styles["Normal"]),
        ]
        doc.build(story)
        return buffer.getvalue()


def participant_card_pdf(participant: Participant, language: str = "id") -> bytes:
    """The participant's card: KPJ, name, masked NIK, segment and the date of registration,
    on a card-sized page (85.6 x 54 mm, ISO/IEC 7810 ID-1)."""
    from reportlab.pdfgen import canvas

    with translation.override(language):
        buffer = io.BytesIO()
        width, height = 85.6 * mm, 54 * mm
        page = canvas.Canvas(buffer, pagesize=(width, height))
        page.setTitle(f"KPJ {participant.kpj}")
        page.setFillColor(colors.HexColor("#0b5d3b"))
        page.rect(0, height - 12 * mm, width, 12 * mm, stroke=0, fill=1)
        page.setFillColor(colors.white)
        page.setFont("Helvetica-Bold", 9)
        page.drawString(5 * mm, height - 8 * mm, _("Employment social security card"))
        page.setFillColor(colors.black)
        page.setFont("Helvetica-Bold", 14)
        page.drawString(5 * mm, height - 22 * mm, participant.kpj)
        page.setFont("Helvetica", 9)
        person = participant.person
        page.drawString(5 * mm, height - 29 * mm, person.full_name)
        page.drawString(5 * mm, height - 35 * mm, f"NIK {mask_nik(person.nik)}")
        page.drawString(
            5 * mm,
            height - 41 * mm,
            f"{participant.get_segment_display()} · {participant.registered_at:%d-%m-%Y}",
        )
        page.showPage()
        page.save()
        return buffer.getvalue()


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.2f}".replace(".", ",") + " %"


def _count(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def regional_summary_pdf(summary: dict[str, object], language: str = "id") -> bytes:
    """The regional summary of a year as one A4 page (the figures of the regional report)."""
    s: dict[str, Any] = dict(summary)
    with translation.override(language):
        styles = getSampleStyleSheet()
        buffer = io.BytesIO()
        title = _("Regional summary %(name)s %(year)s") % {"name": s["name"], "year": s["year"]}
        doc = SimpleDocTemplate(
            buffer, pagesize=A4, title=title, leftMargin=18 * mm, rightMargin=18 * mm
        )
        rows = [
            [_("Participation rate"), _rate(s["participation_rate"])],
            [_("Active participants"), _count(s["active"])],
        ]
        for segment, n in s["by_segment"].items():
            rows.append([f"  {segment}", f"{_count(n)} ({_rate(s['segment_shares'][segment])})"])
        rows += [
            [_("Employers registered"), _count(s["employers"])],
            [_("Active employers"), _count(s["active_employers"])],
            [_("Construction projects registered"), _count(s["projects_registered"])],
            [_("Contributions received"), format_idr(s["contributions_received_idr"])],
            [_("Growth over the previous year"), _rate(s["growth"])],
            [_("Collection rate"), _rate(s["collection_rate"])],
            [
                _("Claims paid"),
                f"{_count(s['claims_paid'])} ({format_idr(s['benefits_paid_idr'])})",
            ],
        ]
        for programme, c in s["claims_by_programme"].items():
            rows.append(
                [f"  {programme}", f"{_count(c['claims'])} ({format_idr(c['amount_idr'])})"]
            )
        table = Table(rows, colWidths=[85 * mm, 85 * mm])
        table.setStyle(
            TableStyle(
                [
                    ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
                    ("FONTNAME", (0, 0), (-1, 1), "Helvetica-Bold"),
                ]
            )
        )
        sources = "; ".join(
            f"{w['province']}: {_count(w['workers'])} ({w['source']})" for w in s["workforce"]
        )
        story = [
            text(title, styles["Title"]),
            text(_("Figures as of %(month)s.") % {"month": s["as_of"]}, styles["Normal"]),
            Spacer(1, 6 * mm),
            table,
            Spacer(1, 6 * mm),
            text(_("Labour force") + ": " + sources, styles["Italic"]),
        ]
        doc.build(story)
        return buffer.getvalue()
