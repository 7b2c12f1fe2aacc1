"""The readable copy of a client's data export (PDF, ReportLab), in the client's language where
Traject has it. Its metadata names no one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from app.i18n import _, format_date, in_language
from app.models.enums import AuditAction
from app.services.clock import local_today
from app.services.pdf_fonts import register_fonts
from app.services.validation import field_label

#: Technical columns a person reading their own data has no use for (the JSON keeps them).
_TECHNICAL = {"id", "version", "client_id", "run_id", "referral_id", "offer_id", "counsellor_id",
              "script_run_id", "search_text", "sort_name", "national_number_country"}  # fmt: skip


def _label(key: str) -> str:
    labels = {
        "dossier": _("Dossier"), "created_at": _("Created"), "updated_at": _("Last changed"),
        "closed_on": _("Closed on"), "province": _("Province"), "occurred_at": _("When"),
        "channel": _("Channel"), "direction": _("Direction"), "reached": _("Reached"),
        "outcome": _("Outcome"), "duration_minutes": _("Minutes"), "note": _("Note"),
        "starts_at": _("Starts"), "purpose": _("Purpose"), "location": _("Place"), "body": _("Note"),
        "title": _("Title"), "due_on": _("Due on"), "done_at": _("Done"), "role": _("Role"),
        "starts_on": _("From"), "ends_on": _("Until"), "at": _("When"), "result": _("Result"),
        "started_at": _("Started"), "finished_at": _("Finished"), "question_id": _("Question"),
        "value": _("Answer"), "answered_at": _("Answered"), "follow_up_on": _("Follow up on"),
        "consent_at": _("Consent given"), "script_id": _("Guided conversation"),
    }  # fmt: skip
    return labels.get(key) or field_label(key)


def _shown(table: str, key: str, value: Any) -> str:
    """A stored value as a person reads it: labels for coded values, local dates, lists."""
    from sqlalchemy import Enum as SqlEnum

    from app.i18n import format_datetime
    from app.models import load_all
    from app.models.enums import LabelledEnum
    from app.services.gdpr import LEFT_OUT

    if value == LEFT_OUT:
        return _("left out (the organisation does not require it)")
    column = load_all().metadata.tables[table].c.get(key)
    column_type = column.type if column is not None else None
    enum_class = column_type.enum_class if isinstance(column_type, SqlEnum) else None
    if enum_class is not None and issubclass(enum_class, LabelledEnum):
        return str(enum_class(value).label)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            if len(value) == 10:
                return format_date(dt.date.fromisoformat(value))
            return format_datetime(dt.datetime.fromisoformat(value))
        except ValueError:
            pass
    return "" if value is None else str(value)


def _section_titles() -> dict[str, str]:
    return {
        "assignments": _("Referent and backup periods"), "contacts": _("Contacts"),
        "appointments": _("Appointments"), "notes": _("Notes"), "action_points": _("Action points"),
        "script_runs": _("Guided conversations"), "script_answers": _("Answers"),
        "referrals": _("Referrals"), "referral_events": _("Referral steps"),
        "consents": _("Consents"),
    }  # fmt: skip


def write_export_pdf(data: dict[str, Any], target: Path, language: str | None) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    register_fonts()
    body = ParagraphStyle("body", fontName="TrajectSans", fontSize=9.5, leading=12.5)
    head = ParagraphStyle("head", parent=body, fontName="TrajectSans-Bold", fontSize=12, leading=16,
                          spaceBefore=8, spaceAfter=4)  # fmt: skip
    title = ParagraphStyle("title", parent=head, fontSize=16, leading=21)

    def para(text: object, style: ParagraphStyle = body) -> Paragraph:
        plain = "" if text is None else str(text)
        return Paragraph(
            plain.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"), style
        )

    def table(pairs: list[tuple[str, object]]) -> Table:
        grid = Table([[para(k), para(v)] for k, v in pairs], colWidths=[55 * mm, 105 * mm])
        grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                  ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey)]))  # fmt: skip
        return grid

    with in_language(language):
        client = data["client"]
        story: list[Any] = [
            para(_("Your data held by Traject"), title),
            para(_("Dossier {dossier}").format(dossier=client.get("dossier", ""))),
            para(_("Made on {date}").format(date=format_date(local_today(), "long"))),
            para(_("Personal details"), head),
            table(
                [
                    (_label(k), _shown("clients", k, v))
                    for k, v in client.items()
                    if k not in _TECHNICAL and v not in (None, "", [])
                ]
            ),
        ]
        titles = _section_titles()
        for name, rows in data["records"].items():
            if not rows:
                continue
            story.append(para(titles.get(name, name), head))
            for row in rows:
                story += [table([(_label(k), _shown(name, k, v)) for k, v in row.items()
                                 if k not in _TECHNICAL and v not in (None, "", [])]), Spacer(1, 3 * mm)]  # fmt: skip
        if data["access_log"]:
            story.append(para(_("Who looked at or changed your file"), head))
            story.append(table([(_shown("audit_entries", "at", e["at"]),
                                 f"{e['counsellor'] or ''} — {AuditAction(e['action']).label}"
                                 + (f": {e['reason']}" if e.get("reason") else ""))
                                for e in data["access_log"]]))  # fmt: skip
        doc = SimpleDocTemplate(str(target), pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                                topMargin=20 * mm, bottomMargin=20 * mm,
                                title=_("Your data held by Traject"), author="", subject="",
                                creator="Traject", producer="Traject", keywords="")  # fmt: skip
        doc.build(story)
