"""The warning shown before a second file is made for the same person (at the permanence desk
and in the "New client" dialog): which file exists and who follows it, with three ways on:
open that file (giving the reason when it is a colleague's), create a new file anyway, or go
back to the form with everything typed still there."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from app.db import SessionFactory
from app.i18n import _, format_date, format_list
from app.services.caseload.same_person import ExistingFile
from app.services.privacy import access
from app.services.privacy.access import Actor
from app.services.validation import display_phone
from app.ui.form_dialog import commit_or_report
from app.ui.privacy.file_access import BreakGlassDialog


class Choice(enum.Enum):
    OPEN = "open"
    CREATE = "create"
    BACK = "back"


def warning_text(
    found: list[ExistingFile], name: str, birth_date: dt.date | None, phones: list[str]
) -> str:
    """ "A file for Tesfay Gebremedhin born 3 March 1990 already exists: T-2026-000123,
    followed by Anna Peeters (Gent)." (one sentence per file found)"""
    if birth_date is not None:
        who = _("A file for {name} born {date} already exists").format(
            name=name, date=format_date(birth_date, "long"))  # fmt: skip
    else:
        who = _("A file for {name} with phone number {phone} already exists").format(
            name=name, phone=format_list([display_phone(p) for p in phones]))  # fmt: skip
    lines = []
    for file in found:
        if file.referent is not None:
            lines.append(_("{who}: {dossier}, followed by {referent}.").format(
                who=who, dossier=file.dossier, referent=file.referent))  # fmt: skip
        else:
            lines.append(_("{who}: {dossier}, waiting for a referent.").format(
                who=who, dossier=file.dossier))  # fmt: skip
    return "\n".join(lines)


def ask(
    parent: QWidget, found: list[ExistingFile], name: str, birth_date: dt.date | None,
    phones: list[str],
) -> Choice:  # fmt: skip
    """The person's choice; Escape goes back to the form."""
    box = QMessageBox(QMessageBox.Icon.Warning, _("This person may already have a file"),
                      warning_text(found, name, birth_date, phones), parent=parent)  # fmt: skip
    box.setObjectName("same_person_warning")
    box.setInformativeText(
        _("Open that file rather than making a second one for the same person.")
        if found[0].may_open
        else _("The file is a colleague's: to open it, you give the reason (it is recorded).")
    )
    open_button = box.addButton(_("&Open that file"), QMessageBox.ButtonRole.AcceptRole)
    open_button.setObjectName("open_existing")
    create = box.addButton(_("&Create a new file anyway"), QMessageBox.ButtonRole.DestructiveRole)
    create.setObjectName("create_anyway")
    back = box.addButton(_("&Back to the form"), QMessageBox.ButtonRole.RejectRole)
    back.setObjectName("back_to_form")
    box.setDefaultButton(open_button)
    box.setEscapeButton(back)
    box.exec()
    clicked = box.clickedButton()
    if clicked is open_button:
        return Choice.OPEN
    if clicked is create:
        return Choice.CREATE
    return Choice.BACK


def may_open(
    parent: QWidget, sessions: SessionFactory, actor: Callable[[], Actor], file: ExistingFile,
    name: str,
) -> bool:  # fmt: skip
    """True when `file` may be opened now: it is one's own, or the reason was given (asked
    again while the service refuses it); False when the person cancels."""
    if file.may_open:
        return True
    dialog = BreakGlassDialog(name, parent)
    dialog.setObjectName("break_glass")
    while dialog.exec():
        with sessions() as session:

            def break_glass() -> bool:
                access.break_glass(session, actor(), file.client_id, dialog.reason)
                return True

            if commit_or_report(session, break_glass, dialog.show_errors):
                return True
    return False
