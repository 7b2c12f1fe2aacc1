"""Planning or changing an appointment: client, counsellor, start, duration, channel (only
those the policy allows), the contact point for a meeting in person, purpose and a note.
Overlaps and times outside office hours are warned about as the form changes; saving still
works (the counsellor decides). A saved appointment's card can be printed from here."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app.db import SessionFactory
from app.i18n import _
from app.language_names import interpreter_note
from app.models import Appointment, Client
from app.models.agenda_enums import AppointmentChannel, AppointmentPurpose
from app.services.caseload import counsellors
from app.services.contact import appointment_card, appointments, contact_policy
from app.services.contact.appointments import Draft
from app.services.privacy.access import Actor
from app.ui.caseload.client_picker import ClientPicker
from app.ui.contact.contact_dialog import from_qt, qt_local
from app.ui.fields import error_label
from app.ui.form_dialog import commit_or_report, joined

WARNING_STYLE = "color: #8a4b00;"
INTERPRETER_STYLE = "color: #8a4b00; font-weight: bold;"


def select_data(combo: QComboBox, data: object) -> None:
    """Choose the entry that holds `data`, if there is one."""
    index = combo.findData(data)
    if index >= 0:
        combo.setCurrentIndex(index)


class AppointmentDialog(QDialog):
    def __init__(
        self, sessions: SessionFactory, actor: Actor, *, client_id: int | None = None,
        start: dt.datetime | None = None, minutes: int = 60, appointment_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("appointment_dialog")
        self._sessions, self._actor = sessions, actor
        #: The appointment being changed (None: a new one) and the version the form read, which
        #: the save checks: plain values, each action reads the appointment again by its id.
        self.appointment_id: int | None = None
        self.version: int | None = None
        self.saved_id: int | None = None
        with sessions() as session:
            policy = contact_policy.load(session)
            choices = counsellors.counsellor_choices(session)
        self.client = ClientPicker(sessions)
        self.client.setObjectName("appointment_client")
        self.counsellor = QComboBox()
        for cid, name in choices:
            self.counsellor.addItem(name, cid)
        self.start = QDateTimeEdit()
        self.start.setObjectName("appointment_start")
        self.start.setCalendarPopup(True)
        self.duration = QSpinBox(minimum=appointments.DURATIONS[0], maximum=appointments.DURATIONS[-1],
                                 singleStep=15, value=minutes)  # fmt: skip
        self.duration.setSuffix(" " + _("min"))
        self.channel = QComboBox()
        self.channel.setObjectName("appointment_channel")
        for channel in AppointmentChannel:
            if policy.allows(channel.contact_channel):
                self.channel.addItem(channel.label, channel.value)
        self.location = QComboBox()
        self.location.setObjectName("appointment_location")
        for point in policy.contact_points:
            self.location.addItem(point.name, point.name)
        self.purpose = QComboBox()
        for purpose in AppointmentPurpose:
            self.purpose.addItem(purpose.label, purpose.value)
        self.note = QLineEdit()
        self.interpreter = QLabel()
        self.interpreter.setObjectName("appointment_interpreter")
        self.interpreter.setStyleSheet(INTERPRETER_STYLE)
        self.interpreter.hide()
        self.warnings = QLabel()
        self.warnings.setObjectName("appointment_warnings")
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet(WARNING_STYLE)
        self.error = error_label()
        form = QFormLayout()
        self.location_label = QLabel(_("&Place:"))
        self.location_label.setBuddy(self.location)  # addRow sets buddies only for its own labels
        for label, widget in ((_("C&lient:"), self.client), (_("C&ounsellor:"), self.counsellor),
                              (_("&Start:"), self.start), (_("&Duration:"), self.duration),
                              (_("&Channel:"), self.channel), (self.location_label, self.location),
                              (_("&Purpose:"), self.purpose), (_("&Note:"), self.note)):  # fmt: skip
            form.addRow(label, widget)
            widget.setAccessibleName(
                (label if isinstance(label, str) else label.text()).replace("&", "").rstrip(":")
            )
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.card_button = QPushButton(_("Print appointment &card…"))
        self.card_button.setObjectName("print_card")
        self.buttons.addButton(self.card_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.card_button.clicked.connect(self.print_card)
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.interpreter)
        layout.addWidget(self.warnings)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        with sessions() as session:
            self._fill(session, appointment_id, client_id, start, actor)
        for signal in (self.start.dateTimeChanged, self.duration.valueChanged, self.counsellor.currentIndexChanged,
                       self.channel.currentIndexChanged, self.client.picked):  # fmt: skip
            signal.connect(lambda *_args: self.update_warnings())
        self.update_warnings()

    def _fill(
        self, session: Session, appointment_id: int | None, client_id: int | None,
        start: dt.datetime | None, actor: Actor,
    ) -> None:  # fmt: skip
        a = session.get(Appointment, appointment_id) if appointment_id else None
        if a is not None:
            self.appointment_id, self.version = a.id, a.version
            client_id, start = a.client_id, a.starts_at
            self.duration.setValue(a.duration_minutes)
            select_data(self.channel, a.channel.value)
            select_data(self.location, a.location)
            select_data(self.purpose, a.purpose.value)
            self.note.setText(a.note or "")
            self.client.setEnabled(False)
        select_data(self.counsellor, a.counsellor_id if a is not None else actor.counsellor_id)
        if client_id is not None:
            client = session.get(Client, client_id)
            if client is not None:
                self.client.set_client(client_id, f"{client.full_name} — {client.dossier}")
        if start is None:
            now = dt.datetime.now().astimezone()
            start = (now + dt.timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
        self.start.setDateTime(qt_local(start))
        self.setWindowTitle(_("Appointment") if a is not None else _("New appointment"))
        self.card_button.setEnabled(a is not None)
        self.channel.currentIndexChanged.connect(self._channel_changed)
        self._channel_changed()

    def _channel_changed(self) -> None:
        in_person = self.channel.currentData() == AppointmentChannel.IN_PERSON.value
        self.location.setEnabled(in_person and self.location.count() > 0)
        self.location_label.setEnabled(self.location.isEnabled())

    def draft(self) -> Draft | None:
        client_id = self.client.client_id()
        if client_id is None or self.channel.currentData() is None:
            return None
        in_person = self.channel.currentData() == AppointmentChannel.IN_PERSON.value
        return Draft(client_id, int(self.counsellor.currentData()), from_qt(self.start.dateTime()),
                     self.duration.value(), AppointmentChannel(self.channel.currentData()),
                     AppointmentPurpose(self.purpose.currentData()),
                     self.location.currentData() if in_person else None, self.note.text(),
                     self.appointment_id)  # fmt: skip

    def update_warnings(self) -> None:
        """Overlaps and office hours, and whether the client needs an interpreter (to book
        one for this time)."""
        draft = self.draft()
        found: list[str] = []
        needed: appointments.Interpreter | None = None
        with self._sessions() as session:
            needed = appointments.interpreter(session, self.client.client_id())
            if draft is not None:
                found = appointments.warnings(session, draft)
        self.interpreter.setText("⚠ " + interpreter_note(needed.language) if needed else "")
        self.interpreter.setVisible(needed is not None)
        self.warnings.setText("\n".join("⚠ " + w for w in found))
        self.warnings.setVisible(bool(found))

    def _save(self) -> None:
        draft = self.draft()
        if draft is None:
            self._show(
                {"client": _("Client: type part of the name and choose the client from the list.")}
            )
            return
        version = self.version
        with self._sessions() as session:
            saved = commit_or_report(session, lambda: (
                appointments.plan(session, self._actor, draft).id if version is None
                else appointments.change(session, self._actor, draft, version=version).id
            ), self._show)  # fmt: skip
        if saved is not None:
            self.saved_id = saved
            self.accept()

    def _show(self, errors: dict[str, str]) -> None:
        self.error.setText(joined(errors))
        self.error.show()

    def print_card(self) -> None:
        appointment_id = self.appointment_id
        if appointment_id is None:
            return
        from app.services.caseload import clients
        from app.services.documents.file_names import file_name

        with self._sessions() as session:
            shown = session.get(Appointment, appointment_id)
            dossier = (
                clients.dossiers(session, {shown.client_id}).get(shown.client_id) if shown else None
            )
            day = shown.starts_at.astimezone().date() if shown else None  # local, as shown
        suggested = file_name("appointment_card", dossier=dossier, day=day)
        name, _filter = QFileDialog.getSaveFileName(self, _("Save the appointment card"),
                                                    suggested, "PDF (*.pdf)")  # fmt: skip
        if not name:
            return
        try:
            with self._sessions() as session:
                commit_or_report(session, lambda: appointment_card.write(
                    session, self._actor, appointment_id, Path(name)), self._show)  # fmt: skip
        except OSError as exc:  # closing the session rolled back
            self._show({"": str(exc)})
