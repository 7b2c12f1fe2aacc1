"""Small forms: a counsellor profile and a new client with the minimum a dossier needs (after
a look for a file of the same person: `same_person_warning`)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from app.db import SessionFactory
from app.i18n import _, date_hint
from app.models.enums import CounsellorRole
from app.services import validation
from app.services.caseload import clients, counsellors, same_person
from app.services.errors import ValidationFailed
from app.services.privacy.access import Actor
from app.services.validation import FieldInvalid, field_label
from app.ui.caseload import same_person_warning
from app.ui.caseload.assignment_box import counsellor_combo
from app.ui.form_dialog import FormDialog
from app.ui.labels import colon
from app.ui.qt_values import box_layout


class CounsellorDialog(FormDialog):
    """Create a counsellor profile (the first one is made on first start)."""

    def __init__(
        self, sessions: SessionFactory, first: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(["login", "full_name", "email", "phone", "office"], parent)
        self._sessions = sessions
        self._first = first
        self.created_id: int | None = None
        self.setWindowTitle(_("Your counsellor profile") if first else _("New counsellor"))
        if first:
            intro = QLabel(
                _(
                    "Welcome to Traject. Tell us who you are; clients you create get you as their referent."
                )
            )
            intro.setWordWrap(True)
            box_layout(self).insertWidget(0, intro)

    def _submit(self) -> None:
        try:  # a refusal leaves nothing written: leaving the `with` rolls the session back
            with self._sessions() as session:
                person = counsellors.create_counsellor(
                    session, login=self.value("login"), full_name=self.value("full_name"),
                    email=self.value("email"), phone=self.value("phone"), office=self.value("office"),
                    role=CounsellorRole.ADMIN if self._first else CounsellorRole.COUNSELLOR,
                )  # fmt: skip
                session.commit()
                created_id = person.id
        except ValidationFailed as exc:
            self.show_errors(exc.errors)
            return
        self.created_id = created_id
        self.accept()


#: The referent choice "nobody yet": the new file waits in the team leads' dispatch inbox.
DISPATCH = 0


class NewClientDialog(FormDialog):
    def __init__(
        self, sessions: SessionFactory, actor: Actor, parent: QWidget | None = None
    ) -> None:
        super().__init__(["given_name", "family_name", "birth_date", "phone", "email"], parent)
        self._sessions = sessions
        self._actor = actor
        referent_id: int | None = actor.counsellor_id
        self.created_id: int | None = None
        self.opened_id: int | None = None  # the same person's existing file, chosen instead
        self.waiting_dossier: str | None = None  # a new file left for dispatch
        self.setWindowTitle(_("New client"))
        self.edits["birth_date"].setPlaceholderText(date_hint())
        with sessions() as session:
            choices = counsellors.counsellor_choices(session, with_office=True)
        self.referent: QComboBox = counsellor_combo(choices)
        self.referent.setObjectName("new_referent")
        # someone who is not going to follow the client leaves the file to the team leads
        self.referent.insertSeparator(self.referent.count())
        self.referent.addItem(_("Nobody yet: it waits in the dispatch inbox"), DISPATCH)
        if referent_id is not None:
            self.referent.setCurrentIndex(self.referent.findData(referent_id))
        self.form.addRow(colon(field_label("referent")), self.referent)

    def _submit(self) -> None:
        values: dict[str, Any] = {
            n: self.value(n) for n in ("given_name", "family_name", "phone", "email")
        }
        errors: dict[str, str] = {}
        if self.value("birth_date").strip():
            try:
                values["birth_date"] = validation.date_field("birth_date", self.value("birth_date"))
            except (
                FieldInvalid
            ) as exc:  # the format the field expects, or a date that does not exist
                errors["birth_date"] = str(exc)
        index = self.referent.findText(self.referent.currentText())
        chosen = self.referent.itemData(index) if index >= 0 else None
        if chosen is None:
            errors["referent"] = validation.labelled(
                field_label("referent"), _("choose a counsellor from the list.")
            )
        if errors or chosen is None:
            self.show_errors(errors)
            return
        if not self._confirmed(values):
            return
        referent_id = None if chosen == DISPATCH else int(chosen)
        with self._sessions() as session:
            client = self.commit_or_show(session, lambda: clients.create_client(
                session, values, referent_id=referent_id, actor=self._actor))  # fmt: skip
            if client is None:
                return
            if referent_id is None:  # not opened: on a team server it is the team leads' now
                self.waiting_dossier = client.dossier
            else:
                self.created_id = client.id
        self.accept()

    @property
    def file_id(self) -> int | None:
        """The file to show once the dialog is accepted: the new one or the existing one."""
        return self.created_id if self.created_id is not None else self.opened_id

    def _confirmed(self, values: dict[str, Any]) -> bool:
        """No file of the same person yet, or the counsellor chose to make one anyway. Opening
        the existing file instead accepts the dialog with `opened_id`; going back keeps the
        form as typed."""
        phones = [values["phone"]] if values["phone"] else []
        with self._sessions() as session:
            found = same_person.find(session, self._actor, given_name=values["given_name"],
                                     family_name=values["family_name"],
                                     birth_date=values.get("birth_date"), phones=phones)  # fmt: skip
        if not found:
            return True
        name = " ".join(" ".join((values["given_name"], values["family_name"])).split())
        choice = same_person_warning.ask(self, found, name, values.get("birth_date"), phones)
        if choice == same_person_warning.Choice.OPEN and same_person_warning.may_open(
            self, self._sessions, lambda: self._actor, found[0], name
        ):
            self.opened_id = found[0].client_id
            self.accept()
        return choice == same_person_warning.Choice.CREATE
