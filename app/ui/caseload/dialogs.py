"""Small forms: a counsellor profile and a new client with the minimum a dossier needs."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from app.db import SessionFactory
from app.i18n import _, date_hint
from app.models.enums import CounsellorRole
from app.services import validation
from app.services.caseload import clients, counsellors
from app.services.errors import ValidationFailed
from app.services.privacy.access import Actor
from app.services.validation import FieldInvalid, field_label
from app.ui.caseload.assignment_box import counsellor_combo, counsellor_labels
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


class NewClientDialog(FormDialog):
    def __init__(
        self, sessions: SessionFactory, actor: Actor, parent: QWidget | None = None
    ) -> None:
        super().__init__(["given_name", "family_name", "birth_date", "phone", "email"], parent)
        self._sessions = sessions
        self._actor = actor
        referent_id: int | None = actor.counsellor_id
        self.created_id: int | None = None
        self.setWindowTitle(_("New client"))
        self.edits["birth_date"].setPlaceholderText(date_hint())
        with sessions() as session:
            choices = counsellor_labels(counsellors.active_counsellors(session))
        self.referent: QComboBox = counsellor_combo(choices)
        self.referent.setObjectName("new_referent")
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
        referent_id = self.referent.itemData(index) if index >= 0 else None
        if referent_id is None:
            errors["referent"] = validation.labelled(
                field_label("referent"), _("choose a counsellor from the list.")
            )
        if errors or referent_id is None:
            self.show_errors(errors)
            return
        with self._sessions() as session:
            client = self.commit_or_show(session, lambda: clients.create_client(
                session, values, referent_id=referent_id, actor=self._actor))  # fmt: skip
            if client is None:
                return
            self.created_id = client.id
        self.accept()
