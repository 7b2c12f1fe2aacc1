"""The printable recovery-key sheet (PDF, ReportLab): to be stored where the organisation keeps
its safe things, apart from the laptop. It carries no personal data, and neither does its
metadata. It is written 0600 all the same (`app.private_files`): the key opens the caseload."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.i18n import _, format_date
from app.private_files import atomic_write
from app.services.documents.fonts import register_fonts


def write_recovery_sheet(
    target: Path, organisation: str, recovery_key: str, made_on: dt.date
) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    register_fonts()
    body = ParagraphStyle("body", fontName="TrajectSans", fontSize=11, leading=15)
    title = ParagraphStyle(
        "title", parent=body, fontName="TrajectSans-Bold", fontSize=18, leading=24
    )
    key = ParagraphStyle("key", parent=body, fontName="TrajectMono", fontSize=20, leading=30,
                         spaceBefore=6, spaceAfter=6)  # fmt: skip

    def escape(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    groups = recovery_key.split("-")
    lines = ["-".join(groups[:4]), "-".join(groups[4:])]
    story = [
        Paragraph(escape(_("Traject recovery key")), title),
        Paragraph(escape(organisation), body),
        Paragraph(escape(_("Made on {date}").format(date=format_date(made_on, "long"))), body),
        Spacer(1, 10 * mm),
        *[Paragraph(escape(line), key) for line in lines],
        Spacer(1, 10 * mm),
        Paragraph(escape(_(
            "This key opens the encrypted caseload when every password is forgotten, and lets an "
            "administrator give an account a new password. Anyone who has it and the database "
            "file can read the caseload."
        )), body),
        Spacer(1, 4 * mm),
        Paragraph(escape(_(
            "Keep this sheet locked away, apart from the laptop (for example in the office safe). "
            "Do not photograph it, e-mail it or store it on the same computer."
        )), body),
    ]  # fmt: skip
    with atomic_write(target) as out:
        doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm,
                                topMargin=25 * mm, bottomMargin=25 * mm,
                                title=_("Traject recovery key"), author="", subject="",
                                creator="Traject", producer="Traject", keywords="")  # fmt: skip
        doc.build(story)
