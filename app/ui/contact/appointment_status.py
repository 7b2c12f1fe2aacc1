"""An appointment opened from the agenda: what it is (a video call's platform and link too),
and the buttons to mark it done or missed, cancel it, change it or print the client's card."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from app.db import SessionFactory
from app.i18n import _, format_datetime
from app.language_names import interpreter_note
from app.models import Appointment, Client
from app.models.enums import AppointmentStatus
from app.services.contact import appointments
from app.services.privacy.access import Actor
from app.ui.fields import error_label
from app.ui.form_dialog import commit_or_report, joined


class AppointmentOpenDialog(QDialog):
    def __init__(
        self, sessions: SessionFactory, actor: Actor, appointment_id: int,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("appointment_open")
        self._sessions, self._actor, self.appointment_id = sessions, actor, appointment_id
        with sessions() as session:
            appointment = session.get(Appointment, appointment_id)
            assert appointment is not None
            client = session.get(Client, appointment.client_id)
            needed = appointments.interpreter(session, appointment.client_id)
            text = (
                f"<b>{format_datetime(appointment.starts_at, 'full')}</b><br>"
                f"{client.full_name if client else ''} — {client.dossier if client else ''}<br>"
                f"{appointment.purpose.label}, {appointment.channel.label}"
                + (f", {appointment.location}" if appointment.location else "")
                + (f", {appointment.video_platform.label}" if appointment.video_platform else "")
                + (f"<br>{escape(appointment.video_link)}" if appointment.video_link else "")
                + f"<br>{_('Status')}: {appointment.status.label}"
                + (f"<br><b>{escape(interpreter_note(needed.language))}</b>" if needed else "")
            )
        self.setWindowTitle(_("Appointment"))
        summary = QLabel(text)
        summary.setTextFormat(summary.textFormat().RichText)
        self.error = error_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        for text, status in ((_("&Done"), AppointmentStatus.DONE), (_("&No-show"), AppointmentStatus.NO_SHOW),
                             (_("Cancelled by the &client"), AppointmentStatus.CANCELLED_BY_CLIENT),
                             (_("Cancelled by &us"), AppointmentStatus.CANCELLED_BY_US)):  # fmt: skip
            button = QPushButton(text)
            button.clicked.connect(lambda _c=False, s=status: self._set(s))
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        change = QPushButton(_("C&hange…"))
        change.clicked.connect(self._change)
        buttons.addButton(change, QDialogButtonBox.ButtonRole.ActionRole)
        card = QPushButton(_("Print appointment &card…"))
        card.setObjectName("print_card")
        card.clicked.connect(self.print_card)
        buttons.addButton(card, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _set(self, status: AppointmentStatus) -> None:
        with self._sessions() as session:
            changed = commit_or_report(session, lambda: appointments.set_status(
                session, self._actor, self.appointment_id, status).id, self._show)  # fmt: skip
        if changed is not None:
            self.accept()

    def _show(self, errors: dict[str, str]) -> None:
        self.error.setText(joined(errors))
        self.error.show()

    def print_card(self) -> None:
        from app.ui.contact.card_printing import print_card

        _written, refused = print_card(self, self._sessions, self._actor, self.appointment_id)
        if refused is not None:
            self._show({"": refused})

    def _change(self) -> None:
        from app.ui.contact.appointment_dialog import AppointmentDialog

        if AppointmentDialog(
            self._sessions, self._actor, appointment_id=self.appointment_id, parent=self
        ).exec():
            self.accept()
