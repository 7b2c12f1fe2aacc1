"""The caseload window's contact and agenda side: the Contacts menu (log a contact for the
selected client with Ctrl+K, plan an appointment, the agenda, the permanence desk, the reach
monitor) and today's appointments and follow-ups, shown under the filters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QGroupBox, QMenuBar, QMessageBox, QVBoxLayout

from app.i18n import _
from app.services.errors import ServiceError
from app.services.privacy import access
from app.ui.caseload.today_list import TodayList

if TYPE_CHECKING:
    from app.ui.contact.agenda_window import AgendaWindow
    from app.ui.window.host import ActivityHost, WindowHost

TODAY_DELAY_MS = 300


def may_work_on(host: WindowHost, client_id: int, title: str) -> bool:
    """Whether the working counsellor may work on this client's file; if not, says why."""
    try:
        actor = host.actor()
        with host.sessions() as session:
            access.require_file(session, actor, client_id)
    except ServiceError as exc:
        QMessageBox.information(host.window(), title, str(exc))
        return False
    return True


class ActivityController(QObject):
    """The Contacts menu, today's list and the agenda window (built when first shown)."""

    def __init__(self, host: ActivityHost, menu_bar: QMenuBar) -> None:
        super().__init__(host.window())
        self._host = host
        specs = (("log", "Ctrl+K", self.log_contact), ("appointment", "Ctrl+Shift+A", self.new_appointment),
                 ("agenda", "Ctrl+G", self.show_agenda), ("desk", "Ctrl+Shift+P", self.show_desk),
                 ("reach", "Ctrl+Shift+R", self.show_reach))  # fmt: skip
        self.actions: dict[str, QAction] = {}
        for key, shortcut, slot in specs:
            action = QAction(host.window(), shortcut=QKeySequence(shortcut))
            action.triggered.connect(slot)
            self.actions[key] = action
        self.menu = menu_bar.addMenu("")
        self.menu.addActions(list(self.actions.values()))
        self.today = TodayList(host.sessions, host.actor)
        self.today.open_client.connect(host.open_client)
        self.today_box = QGroupBox()
        self.today_box.setObjectName("today_box")
        QVBoxLayout(self.today_box).addWidget(self.today)
        self.agenda_window: AgendaWindow | None = None

    def retranslate(self) -> None:
        texts = {"log": _("&Log a contact for the selected client…"), "appointment": _("New &appointment…"),
                 "agenda": _("A&genda"), "desk": _("&Permanence desk…"), "reach": _("&Reach monitor…")}  # fmt: skip
        for key, action in self.actions.items():
            action.setText(texts[key])
        self.menu.setTitle(_("&Contacts"))
        self.today_box.setTitle(_("Today"))
        QTimer.singleShot(TODAY_DELAY_MS, self.today.refresh)  # after the caseload is shown

    def log_contact(self) -> None:
        client_id = self._host.selected_client()
        if client_id is None or not may_work_on(self._host, client_id, _("Log a contact")):
            return
        from app.ui.contact.contact_dialog import LogContactDialog

        dialog = LogContactDialog(
            self._host.sessions, self._host.actor(), client_id, self._host.window()
        )
        if dialog.exec():
            self.changed(client_id)

    def new_appointment(self) -> None:
        client_id = self._host.selected_client()
        if client_id is not None and not may_work_on(self._host, client_id, _("New appointment")):
            return
        from app.ui.contact.appointment_dialog import AppointmentDialog

        dialog = AppointmentDialog(self._host.sessions, self._host.actor(), client_id=client_id,
                                   parent=self._host.window())  # fmt: skip
        if dialog.exec():
            self.changed(client_id)

    def changed(self, client_id: int | None) -> None:
        """A client's contacts, appointments or referrals changed: every view of them."""
        if client_id is not None:
            self._host.client_activity_changed(client_id)
        self.today.refresh()
        if self.agenda_window is not None:
            self.agenda_window.refresh()

    def show_agenda(self) -> None:
        from app.ui.contact.agenda_window import AgendaWindow

        if self.agenda_window is None:
            self.agenda_window = AgendaWindow(
                self._host.sessions, self._host.actor, self._host.window()
            )
            self.agenda_window.setWindowFlag(Qt.WindowType.Window)
        self.agenda_window.refresh()
        self.agenda_window.show()
        self.agenda_window.raise_()
        self.agenda_window.activateWindow()

    def close_agenda(self) -> None:
        """Before the caseload locks or closes: the agenda shows its clients."""
        if self.agenda_window is not None:
            self.agenda_window.hide()  # at once: until deleted, it would still refresh itself
            self.agenda_window.deleteLater()
            self.agenda_window = None

    def show_desk(self) -> None:
        from app.ui.contact.desk_window import DeskWindow

        DeskWindow(self._host.sessions, self._host.actor, self._host.window()).exec()
        self._host.refresh_caseload()

    def show_reach(self) -> None:
        from app.ui.contact.reach_view import ReachDialog

        dialog = ReachDialog(self._host.sessions, self._host.actor, self._host.window())
        dialog.open_client.connect(self._host.open_client)
        dialog.exec()
