"""The caseload window's contact and agenda side: the Contacts menu (log a contact for the
selected client with Ctrl+K, plan an appointment, the agenda, the permanence desk, the reach
monitor) and today's appointments under the filters. A mixin of `MainWindow`."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QGroupBox, QMessageBox, QSplitter, QVBoxLayout

from app.i18n import _
from app.services.errors import ServiceError
from app.services.privacy import access
from app.ui.caseload.today_list import TodayList
from app.ui.window_referrals import ReferralActions

TODAY_DELAY_MS = 300


class ActivityActions(ReferralActions):
    """Needs the window's sessions(), actor(), table, model, panel and open_client()."""

    def _build_activity(self) -> None:
        specs = (("log", "Ctrl+K", self.log_contact), ("appointment", "Ctrl+Shift+A", self.new_appointment),
                 ("agenda", "Ctrl+G", self.show_agenda), ("desk", "Ctrl+Shift+P", self.show_desk),
                 ("reach", "Ctrl+Shift+R", self.show_reach))  # fmt: skip
        self.activity_actions: dict[str, QAction] = {}
        for key, shortcut, slot in specs:
            action = QAction(self, shortcut=QKeySequence(shortcut))
            action.triggered.connect(slot)
            self.activity_actions[key] = action
        self.contacts_menu = self.menuBar().addMenu("")
        self.contacts_menu.addActions(list(self.activity_actions.values()))
        self._build_referrals()
        self.today = TodayList(self.sessions, self.actor)
        self.today.open_client.connect(self.open_client)
        # under the filters, so the caseload keeps its width
        self.today_box = QGroupBox()
        self.today_box.setObjectName("today_box")
        QVBoxLayout(self.today_box).addWidget(self.today)
        left = QSplitter(Qt.Orientation.Vertical)
        self.splitter.insertWidget(0, left)
        left.addWidget(self.filters)
        left.addWidget(self.today_box)
        left.setStretchFactor(1, 1)
        self.agenda_window = None

    def _retranslate_activity(self) -> None:
        texts = {"log": _("&Log a contact for the selected client…"), "appointment": _("New &appointment…"),
                 "agenda": _("A&genda"), "desk": _("&Permanence desk…"), "reach": _("&Reach monitor…")}  # fmt: skip
        for key, action in self.activity_actions.items():
            action.setText(texts[key])
        self.contacts_menu.setTitle(_("&Contacts"))
        self.today_box.setTitle(_("Today"))
        self._retranslate_referrals()
        QTimer.singleShot(TODAY_DELAY_MS, self.today.refresh)  # after the caseload is shown

    def _selected_client(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.client_id(index.row()) if index.isValid() else None

    def _may_work_on(self, client_id: int, title: str) -> bool:
        try:
            actor = self.actor()
            with self.sessions() as session:
                access.require_file(session, actor, client_id)
        except ServiceError as exc:
            QMessageBox.information(self, title, str(exc))
            return False
        return True

    def log_contact(self) -> None:
        client_id = self._selected_client()
        if client_id is None or not self._may_work_on(client_id, _("Log a contact")):
            return
        from app.ui.contact.contact_dialog import LogContactDialog

        if LogContactDialog(self.sessions, self.actor(), client_id, self).exec():
            self._activity_changed(client_id)

    def new_appointment(self) -> None:
        client_id = self._selected_client()
        if client_id is not None and not self._may_work_on(client_id, _("New appointment")):
            return
        from app.ui.contact.appointment_dialog import AppointmentDialog

        if AppointmentDialog(self.sessions, self.actor(), client_id=client_id, parent=self).exec():
            self._activity_changed(client_id)

    def _activity_changed(self, client_id: int | None) -> None:
        if self._panel is not None and client_id is not None and self._panel.client_id == client_id:
            self._panel.timeline.show_client(client_id)
        self.today.refresh()
        if self.agenda_window is not None:
            self.agenda_window.refresh()

    def show_agenda(self) -> None:
        from app.ui.contact.agenda_window import AgendaWindow

        if self.agenda_window is None:
            self.agenda_window = AgendaWindow(self.sessions, self.actor, self)
            self.agenda_window.setWindowFlag(Qt.WindowType.Window)
        self.agenda_window.refresh()
        self.agenda_window.show()
        self.agenda_window.raise_()
        self.agenda_window.activateWindow()

    def show_desk(self) -> None:
        from app.ui.contact.desk_window import DeskWindow

        DeskWindow(self.sessions, self.actor, self).exec()
        self.model.refresh()
        self.today.refresh()

    def show_reach(self) -> None:
        from app.ui.contact.reach_view import ReachDialog

        dialog = ReachDialog(self.sessions, self.actor, self)
        dialog.open_client.connect(self.open_client)
        dialog.exec()
