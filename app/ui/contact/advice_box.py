"""The next contact step in the client file, and when the attempts call for escalation, the
step itself as buttons: plan the home visit (the appointment dialog, prefilled with a home
visit at the client's address), write the letter "we could not reach you" (saved as PDF and
recorded as a letter sent), and ask the key person (the contact dialog on the key person
channel with their name). Only the actions the policy allows and the file supports are shown;
the advice says why one is missing."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from app.db import SessionFactory
from app.i18n import _
from app.models import Client
from app.models.agenda_enums import AppointmentChannel
from app.models.enums import ContactChannel
from app.services.caseload import clients
from app.services.contact import advice, unreached_letter
from app.services.documents import postal
from app.services.documents.file_names import file_name
from app.services.privacy.access import Actor
from app.ui.flow_layout import FlowLayout
from app.ui.form_dialog import commit_or_report, joined

ADVICE_STYLE = "color: #8a4b00;"


class AdviceBox(QWidget):
    """Shows one client's advice; `changed` is emitted when an action logged or planned
    something, so the file shows it."""

    changed = Signal()

    def __init__(
        self, sessions: SessionFactory, actor: Callable[[], Actor], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("contact_advice_box")
        self._sessions, self._actor = sessions, actor
        self.client_id: int | None = None
        self.advice: advice.Advice | None = None
        self.text = QLabel()
        self.text.setObjectName("contact_advice_text")
        self.text.setWordWrap(True)
        self.text.setStyleSheet(ADVICE_STYLE)
        self.error = QLabel()
        self.error.setObjectName("advice_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        self.buttons: dict[ContactChannel, QPushButton] = {}
        # the buttons wrap onto a second row rather than widen the file past its window
        self.row = FlowLayout()
        for channel, name, act in ((ContactChannel.HOME_VISIT, "plan_home_visit", self.plan_home_visit),
                                   (ContactChannel.LETTER, "write_unreached_letter", self.write_letter),
                                   (ContactChannel.KEY_PERSON, "ask_key_person", self.ask_key_person)):  # fmt: skip
            button = QPushButton()
            button.setObjectName(name)
            button.clicked.connect(act)
            button.hide()
            self.buttons[channel] = button
            self.row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text)
        layout.addLayout(self.row)
        layout.addWidget(self.error)
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.buttons[ContactChannel.HOME_VISIT].setText(_("Plan the &home visit…"))
        self.buttons[ContactChannel.LETTER].setText(
            _("&Write the letter “we could not reach you”…")
        )
        self.show_advice(self.advice)

    def show_client(self, client_id: int | None) -> None:
        self.client_id = client_id
        self.error.hide()
        found = None
        if client_id is not None:
            with self._sessions() as session:
                found = advice.advice_for(session, client_id)
        self.show_advice(found)

    def show_advice(self, found: advice.Advice | None) -> None:
        self.advice = found
        text = advice.describe(found) if found is not None else ""
        self.text.setText(text)
        actions = found.actions if found is not None else ()
        key_person = self.buttons[ContactChannel.KEY_PERSON]
        key_person.setText(_("Ask the &key person: {name}…").format(name=found.key_person)
                           if found is not None and found.key_person else _("Ask the &key person…"))  # fmt: skip
        # in the order the advice names them, also for Tab
        ordered = [c for c in actions if c in self.buttons]
        ordered += [c for c in self.buttons if c not in ordered]
        for channel in ordered:
            self.row.removeWidget(self.buttons[channel])
            self.row.addWidget(self.buttons[channel])
            self.buttons[channel].setVisible(channel in actions)
        for first, then in pairwise(ordered):
            QWidget.setTabOrder(self.buttons[first], self.buttons[then])
        self.setVisible(bool(text))

    def _done(self) -> None:
        self.show_client(self.client_id)
        self.changed.emit()

    def _show(self, errors: dict[str, str]) -> None:
        self.error.setText(joined(errors))
        self.error.show()

    def plan_home_visit(self) -> None:
        client_id = self.client_id
        if client_id is None:
            return
        from app.ui.contact.appointment_dialog import AppointmentDialog, select_data

        with self._sessions() as session:
            client = session.get(Client, client_id)
            home = postal.organisation_country(session)
            address = postal.one_line(postal.address_lines(
                client.street, client.house_number, client.postal_code, client.municipality,
                client.country, home=home)) if client else ""  # fmt: skip
        dialog = AppointmentDialog(self._sessions, self._actor(), client_id=client_id, parent=self)
        select_data(dialog.channel, AppointmentChannel.HOME_VISIT.value)
        dialog.note.setText(address)
        if dialog.exec():
            self._done()

    def write_letter(self) -> None:
        client_id = self.client_id
        if client_id is None:
            return
        with self._sessions() as session:
            dossier = clients.dossiers(session, {client_id}).get(client_id)
        suggested = file_name("unreached_letter", dossier=dossier)
        name, _filter = QFileDialog.getSaveFileName(self, _("Save the letter"), suggested,
                                                    "PDF (*.pdf)")  # fmt: skip
        if not name:
            return
        actor = self._actor()
        try:
            with self._sessions() as session:
                written = commit_or_report(session, lambda: unreached_letter.write(
                    session, actor, client_id, Path(name)), self._show)  # fmt: skip
        except OSError as exc:  # closing the session rolled the recorded letter back
            self._show({"file": _("Cannot write {file} ({reason}); choose another place.")
                        .format(file=name, reason=exc.strerror or exc)})  # fmt: skip
            return
        if written is not None:
            self._done()

    def ask_key_person(self) -> None:
        client_id = self.client_id
        if client_id is None:
            return
        from app.ui.contact.contact_dialog import LogContactDialog

        dialog = LogContactDialog(self._sessions, self._actor(), client_id, self)
        person = self.advice.key_person if self.advice is not None else ""
        dialog.choose(channel=ContactChannel.KEY_PERSON,
                      note=_("Asked the key person: {name}").format(name=person) if person else None)  # fmt: skip
        if dialog.exec():
            self._done()
