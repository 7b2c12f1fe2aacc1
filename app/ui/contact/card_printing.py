"""Printing an appointment's card, from wherever the counsellor is: the appointment dialog
(also right after a new appointment is saved), the appointment opened from the agenda, or a
block in the agenda. Asks where to save, offering a name without the client's name
(`file_names`); the service writes the PDF whole or not at all (0600)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from app.db import SessionFactory
from app.i18n import _
from app.models import Appointment
from app.services.contact import appointment_card
from app.services.privacy.access import Actor
from app.ui.form_dialog import commit_or_report, joined


def suggested_name(sessions: SessionFactory, appointment_id: int) -> str:
    """`appointment-T-2026-000218-2026-03-12.pdf`: the dossier and the local day."""
    from app.services.caseload import clients
    from app.services.documents.file_names import file_name

    with sessions() as session:
        shown = session.get(Appointment, appointment_id)
        dossier = (
            clients.dossiers(session, {shown.client_id}).get(shown.client_id) if shown else None
        )
        day = shown.starts_at.astimezone().date() if shown else None  # local, as shown
    return file_name("appointment_card", dossier=dossier, day=day)


def print_card(
    parent: QWidget, sessions: SessionFactory, actor: Actor, appointment_id: int
) -> tuple[Path | None, str | None]:
    """Ask where, then write the card: (the file written, None), (None, None) when the
    counsellor cancels, or (None, the reason) when it could not be written (nothing is)."""
    name, _filter = QFileDialog.getSaveFileName(
        parent, _("Save the appointment card"), suggested_name(sessions, appointment_id),
        "PDF (*.pdf)",
    )  # fmt: skip
    if not name:
        return None, None
    target, refused = Path(name), []
    try:
        with sessions() as session:  # the audit entry of the print is committed with it
            done = commit_or_report(session, lambda: appointment_card.write(
                session, actor, appointment_id, target), lambda errors: refused.append(joined(errors)))  # fmt: skip
    except OSError as exc:  # the session rolled back; no file was left
        return None, str(exc)
    return (target, None) if done is not None else (None, refused[0] if refused else None)
