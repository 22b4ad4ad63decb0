"""PDF documents drawn with reportlab (no system libraries needed; ADR 0011)."""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from jamsos.contributions.jht import Statement
from jamsos.core.money import format_idr


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
            Paragraph(_("JHT statement %(year)s") % {"year": statement.year}, styles["Title"]),
            Paragraph(f"{person.full_name} · KPJ {statement.participant.kpj}", styles["Heading3"]),
            Spacer(1, 4 * mm),
            table,
            Spacer(1, 4 * mm),
            Paragraph(note, styles["Normal"]),
        ]
        doc.build(story)
        return buffer.getvalue()
