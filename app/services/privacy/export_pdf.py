"""The readable copy of a client's data export (PDF, ReportLab), in the client's language: any
document language, its labels from the `documents` catalogs (`babel-documents.cfg` extracts
this module, the field labels and the enumerations' labels), read through the export's
`DocumentSpeech`. Its metadata names no one; the file is written whole, 0600
(`app.private_files`). Phone numbers are written as people dial them in the organisation's
country and the address as the post writes it (`documents.postal`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from app.i18n import N_, DocumentSpeech, for_document
from app.models.enums import AuditAction
from app.models.field_labels import FIELD_LABELS
from app.private_files import atomic_write
from app.services.clock import local_today
from app.services.documents import postal
from app.services.documents.fonts import register_fonts
from app.services.documents.pdf_text import paragraph, row

#: Technical columns a person reading their own data has no use for (the JSON keeps them).
_TECHNICAL = {"id", "version", "client_id", "run_id", "referral_id", "offer_id", "counsellor_id",
              "script_run_id", "search_text", "sort_name", "national_number_country",
              "script_version"}  # fmt: skip

_LANGUAGE_CODES = {"contact_language", "other_languages", "language"}  # shown by their names
#: The client's address columns, shown together as the post writes the address.
_ADDRESS = ("street", "house_number", "postal_code", "municipality", "country")


#: The columns' labels, where the export's words differ from the field labels (FIELD_LABELS).
_LABELS = {
    "dossier": N_("Dossier"), "created_at": N_("Created"), "updated_at": N_("Last changed"),
    "closed_on": N_("Closed on"), "province": N_("Province"), "occurred_at": N_("When"),
    "channel": N_("Channel"), "direction": N_("Direction"), "reached": N_("Reached"),
    "outcome": N_("Outcome"), "duration_minutes": N_("Minutes"), "note": N_("Note"),
    "starts_at": N_("Starts"), "purpose": N_("Purpose"), "location": N_("Place"), "body": N_("Note"),
    "title": N_("Title"), "due_on": N_("Due on"), "done_at": N_("Done"), "role": N_("Role"),
    "starts_on": N_("From"), "ends_on": N_("Until"), "at": N_("When"), "result": N_("Result"),
    "started_at": N_("Started"), "finished_at": N_("Finished"), "question_id": N_("Question"),
    "value": N_("Answer"), "answered_at": N_("Answered"), "follow_up_on": N_("Follow up on"),
    "consent_at": N_("Consent given"), "script_id": N_("Guided conversation"),
    "done_by": N_("Done by"), "address": N_("Address"),
}  # fmt: skip

_SECTION_TITLES = {
    "assignments": N_("Referent and backup periods"), "contacts": N_("Contacts"),
    "appointments": N_("Appointments"), "notes": N_("Notes"), "action_points": N_("Action points"),
    "script_runs": N_("Guided conversations"), "script_answers": N_("Answers"),
    "referrals": N_("Referrals"), "referral_events": N_("Referral steps"),
    "consents": N_("Consents"), "test_results": N_("Test results"),
}  # fmt: skip


def _label(key: str, speech: DocumentSpeech) -> str:
    return speech.gettext(_LABELS.get(key) or FIELD_LABELS.get(key, key))


def _shown(
    table: str, key: str, value: Any, speech: DocumentSpeech, home: str = postal.HOME_COUNTRY
) -> str:
    """A stored value as a person reads it: labels for coded values, local dates, lists."""
    from sqlalchemy import Enum as SqlEnum

    from app.models import load_all
    from app.models.enums import LabelledEnum
    from app.services.privacy.gdpr import LEFT_OUT

    if value == LEFT_OUT:
        return speech.gettext("left out (the organisation does not require it)")
    column = load_all().metadata.tables[table].c.get(key)
    column_type = column.type if column is not None else None
    enum_class = column_type.enum_class if isinstance(column_type, SqlEnum) else None
    if enum_class is not None and issubclass(enum_class, LabelledEnum):
        return enum_class(value).label_in(speech)
    if key in ("phone", "phone_alt") and isinstance(value, str):
        return postal.phone_line(value, home) or value
    if key == "country" and isinstance(value, str):
        return str(speech.locale.territories.get(value.upper(), value))
    if key in _LANGUAGE_CODES:
        codes = value if isinstance(value, list) else [value]
        names = speech.locale.languages
        return ", ".join(names.get(str(c).replace("-", "_").split("_")[0], str(c)) for c in codes)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return speech.gettext("yes") if value else speech.gettext("no")
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            if len(value) == 10:
                return speech.format_date(dt.date.fromisoformat(value))
            return speech.format_datetime(dt.datetime.fromisoformat(value))
        except ValueError:
            pass
    return "" if value is None else str(value)


def _readable_conversation(
    name: str, record: dict[str, Any], script_of_run: dict[Any, Any], speech: DocumentSpeech
) -> dict[str, Any]:
    """A guided conversation's codes as the client reads them: the script's title, the channel
    and the result; each answer's question and the options chosen."""
    from app.models.enums import ScriptChannel
    from app.services.scripts.loader import default_catalogue
    from app.services.scripts.run_sheet import answer_text

    scripts = default_catalogue().scripts
    shown = dict(record)
    if name == "script_runs" and (script := scripts.get(record.get("script_id", ""))):
        shown["script_id"] = speech.gettext(script.title)
        result = next((r for r in script.results if r.id == record.get("result")), None)
        if result is not None:
            shown["result"] = speech.gettext(result.label)
        if record.get("channel") in {c.value for c in ScriptChannel}:
            shown["channel"] = ScriptChannel(record["channel"]).label_in(speech)
    elif name == "script_answers" and (
        script := scripts.get(script_of_run.get(record.get("run_id"), ""))
    ):
        question = next((q for q in script.questions() if q.id == record.get("question_id")), None)
        if question is not None:
            shown["question_id"] = speech.gettext(question.text)
            if record.get("value") is not None:
                shown["value"] = answer_text(question, record["value"], speech)
    return shown


def _details(client: dict[str, Any], speech: DocumentSpeech, home: str) -> list[tuple[str, object]]:
    """The personal details as label and value; the address as its lines, in one row."""
    pairs: list[tuple[str, object]] = []
    for key, value in client.items():
        if key in _TECHNICAL or value in (None, "", []):
            continue
        if key in _ADDRESS:
            if not any(label == _label("address", speech) for label, _v in pairs):
                parts = [client.get(k) or None for k in _ADDRESS]
                pairs.append(
                    (
                        _label("address", speech),
                        postal.address_lines(*parts, home=home, locale=speech.locale),
                    )
                )
            continue
        pairs.append((_label(key, speech), _shown("clients", key, value, speech, home)))
    return pairs


def write_export_pdf(data: dict[str, Any], target: Path, language: str | None,
                     home: str = postal.HOME_COUNTRY) -> str:  # fmt: skip
    """Write the readable export in `language` (else the interface's); returns the language.
    `home` is the organisation's country (`postal.organisation_country`)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

    register_fonts()
    body = ParagraphStyle("body", fontName="TrajectSans", fontSize=9.5, leading=12.5)
    head = ParagraphStyle("head", parent=body, fontName="TrajectSans-Bold", fontSize=12, leading=16,
                          spaceBefore=8, spaceAfter=4)  # fmt: skip
    title = ParagraphStyle("title", parent=head, fontSize=16, leading=21)

    speech = for_document(language)
    rtl = speech.is_right_to_left

    def para(text: object, style: ParagraphStyle = body) -> Any:
        return paragraph("" if text is None else str(text), style, rtl)

    def cell(value: object) -> Any:
        return [para(line) for line in value] if isinstance(value, list) else para(value)

    def table(pairs: list[tuple[str, object]]) -> Table:
        grid = Table([row([para(k), cell(v)], rtl) for k, v in pairs],
                     colWidths=row([55 * mm, 105 * mm], rtl))  # fmt: skip
        grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                  ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey)]))  # fmt: skip
        return grid

    client = data["client"]
    story: list[Any] = [
        para(speech.gettext("Your data held by Traject"), title),
        para(speech.gettext("Dossier {dossier}").format(dossier=client.get("dossier", ""))),
        para(
            speech.gettext("Made on {date}").format(date=speech.format_date(local_today(), "long"))
        ),
        para(speech.gettext("Personal details"), head),
        table(_details(client, speech, home)),
    ]
    script_of_run = {r["id"]: r["script_id"] for r in data["records"].get("script_runs", [])}
    for name, rows in data["records"].items():
        if not rows:
            continue
        title_of = _SECTION_TITLES.get(name)
        story.append(para(speech.gettext(title_of) if title_of else name, head))
        for record in rows:
            record = _readable_conversation(name, record, script_of_run, speech)
            story += [table([(_label(k, speech), _shown(name, k, v, speech, home)) for k, v in record.items()
                             if k not in _TECHNICAL and v not in (None, "", [])]), Spacer(1, 3 * mm)]  # fmt: skip
    if data["access_log"]:
        story.append(para(speech.gettext("Who looked at or changed your file"), head))
        story.append(table([(_shown("audit_entries", "at", e["at"], speech),
                             f"{e['counsellor'] or ''} — {AuditAction(e['action']).label_in(speech)}"
                             + (f": {e['reason']}" if e.get("reason") else ""))
                            for e in data["access_log"]]))  # fmt: skip
    with atomic_write(target) as out:
        doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                                topMargin=20 * mm, bottomMargin=20 * mm,
                                title=speech.gettext("Your data held by Traject"), author="", subject="",
                                creator="Traject", producer="Traject", keywords="")  # fmt: skip
        doc.build(story)
    return speech.language
