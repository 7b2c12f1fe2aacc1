"""Planning or changing an appointment: client, counsellor, start, duration, channel (only
those the policy allows), the contact point for a meeting in person, the platform and link of
a video call, purpose and a note. Overlaps and times outside office hours are warned about as
the form changes; saving an overlap asks whether to save anyway or change the time, saying who
is double-booked (the counsellor or the client). A new appointment, once saved, stays open to
print its card; a saved appointment's card can be printed from here."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
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
from app.models.agenda_enums import AppointmentChannel, AppointmentPurpose, VideoPlatform
from app.services.caseload import counsellors
from app.services.contact import appointment_overlaps, appointments, contact_policy, video_links
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
        self.platform = QComboBox()
        self.platform.setObjectName("appointment_video_platform")
        self.platform.addItem(_("(choose the platform)"), None)
        for platform in VideoPlatform:
            self.platform.addItem(platform.label, platform.value)
        self.video_link = QLineEdit()
        self.video_link.setObjectName("appointment_video_link")
        self.video_link.setPlaceholderText(_("https://… (paste the meeting link)"))
        self.video_link.textEdited.connect(self._link_typed)
        self.platform_label, self.link_label = (
            QLabel(_("Video &platform:")),
            QLabel(_("Video &link:")),
        )
        self.platform_label.setBuddy(self.platform)
        self.link_label.setBuddy(self.video_link)
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
                              (self.platform_label, self.platform), (self.link_label, self.video_link),
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
        self.saved_note = QLabel()
        self.saved_note.setObjectName("appointment_saved")
        self.saved_note.setWordWrap(True)
        self.saved_note.hide()
        self.buttons.addButton(self.card_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.card_button.clicked.connect(self.print_card)
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.interpreter)
        layout.addWidget(self.warnings)
        layout.addWidget(self.error)
        layout.addWidget(self.saved_note)
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
            self.video_link.setText(a.video_link or "")
            select_data(self.platform, a.video_platform.value if a.video_platform else None)
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
        video = self.channel.currentData() == AppointmentChannel.VIDEO.value
        for widget in (self.platform_label, self.platform, self.link_label, self.video_link):
            widget.setVisible(video)  # what was typed stays, and is saved only for a video call

    def _link_typed(self, text: str) -> None:
        """A pasted Teams, Zoom, Meet… link chooses its platform, when none is chosen yet."""
        found = video_links.platform_of(text)
        if found is not None and self.platform.currentData() is None:
            select_data(self.platform, found.value)

    def draft(self) -> Draft | None:
        client_id = self.client.client_id()
        if client_id is None or self.channel.currentData() is None:
            return None
        in_person = self.channel.currentData() == AppointmentChannel.IN_PERSON.value
        return Draft(client_id, int(self.counsellor.currentData()), from_qt(self.start.dateTime()),
                     self.duration.value(), AppointmentChannel(self.channel.currentData()),
                     AppointmentPurpose(self.purpose.currentData()),
                     self.location.currentData() if in_person else None, self.note.text(),
                     self.appointment_id, self.video_link.text(), self.platform.currentData())  # fmt: skip

    def update_warnings(self) -> None:
        """Overlaps and office hours, and whether the client needs an interpreter (to book
        one for this time)."""
        draft = self.draft()
        found: list[str] = []
        needed: appointments.Interpreter | None = None
        with self._sessions() as session:
            needed = appointments.interpreter(session, self.client.client_id())
            if draft is not None:
                found = appointments.warnings(session, draft, actor=self._actor)
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
        with self._sessions() as session:
            double = appointment_overlaps.overlaps(session, draft, actor=self._actor)
        if double and not self._save_anyway([o.message for o in double]):
            self.start.setFocus(Qt.FocusReason.OtherFocusReason)  # everything typed stays
            return
        version, new = self.version, self.appointment_id is None
        with self._sessions() as session:
            saved = commit_or_report(
                session, lambda: self._store(session, draft, version), self._show
            )
        if saved is None:
            return
        self.saved_id, (self.appointment_id, self.version) = saved[0], saved
        if not new:
            self.accept()
            return
        # a new appointment stays open: the card is printed now, while the client is there
        self.error.hide()
        self.setWindowTitle(_("Appointment"))
        self.client.setEnabled(False)
        self.saved_note.setText(_("Saved. Print the card for the client, or close."))
        self.saved_note.show()
        self.card_button.setEnabled(True)
        self.card_button.setDefault(True)
        self.card_button.setFocus(Qt.FocusReason.OtherFocusReason)
        close = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        close.setText(_("Close"))

    def _store(self, session: Session, draft: Draft, version: int | None) -> tuple[int, int]:
        saved = (appointments.plan(session, self._actor, draft) if version is None
                 else appointments.change(session, self._actor, draft, version=version))  # fmt: skip
        return saved.id, saved.version

    def _save_anyway(self, messages: list[str]) -> bool:
        """Who is double-booked, and the choice: save anyway, or change the time."""
        box = QMessageBox(QMessageBox.Icon.Warning, _("Overlapping appointment"),
                          "\n".join(messages), parent=self)  # fmt: skip
        box.setObjectName("overlap_question")
        anyway = box.addButton(_("&Save anyway"), QMessageBox.ButtonRole.AcceptRole)
        change = box.addButton(_("C&hange the time"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(change)
        box.setEscapeButton(change)
        box.exec()
        return box.clickedButton() is anyway

    def done(self, result: int) -> None:
        """Closing a new appointment once saved still tells the caller that it was saved."""
        super().done(QDialog.DialogCode.Accepted.value if self.saved_id is not None else result)

    def _show(self, errors: dict[str, str]) -> None:
        self.error.setText(joined(errors))
        self.error.show()

    def print_card(self) -> None:
        appointment_id = self.appointment_id
        if appointment_id is None:
            return
        from app.ui.contact.card_printing import print_card

        written, refused = print_card(self, self._sessions, self._actor, appointment_id)
        if refused is not None:
            self._show({"": refused})
        elif written is not None:
            self.saved_note.setText(
                _("Saved the appointment card as {file}.").format(file=written.name)
            )
            self.saved_note.show()
