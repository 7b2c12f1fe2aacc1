"""The caseload window's dispatch actions for team leads: the dispatch inbox of new dossiers
and the caseload balance. Offered by role like the oversight actions; the services check the
role again. `add_to` puts them in a menu the window chooses."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMessageBox

from app.i18n import _
from app.services.errors import ServiceError

if TYPE_CHECKING:
    from app.services.privacy.access import Actor
    from app.ui.window.host import WindowHost


class DispatchController(QObject):
    def __init__(self, host: WindowHost) -> None:
        super().__init__(host.window())
        self._host = host
        self.inbox_action = QAction(host.window())
        self.inbox_action.setObjectName("dispatch_inbox_action")
        self.inbox_action.triggered.connect(self.show_inbox)
        self.balance_action = QAction(host.window())
        self.balance_action.setObjectName("caseload_balance_action")
        self.balance_action.triggered.connect(self.show_balance)
        self.retranslate()

    def retranslate(self) -> None:
        self.inbox_action.setText(_("&Dispatch inbox…"))
        self.balance_action.setText(_("Caseload &balance…"))

    def add_to(self, menu: QMenu) -> None:
        menu.addActions([self.inbox_action, self.balance_action])

    def offer_for(self, actor: Actor | None) -> None:
        lead = actor is not None and actor.is_team_lead
        self.inbox_action.setEnabled(lead)
        self.balance_action.setEnabled(lead)

    def show_inbox(self) -> None:
        from app.ui.team.dispatch_dialog import DispatchDialog

        try:
            dialog = DispatchDialog(self._host.sessions, self._host.actor(), self._host.window())
        except ServiceError as exc:
            QMessageBox.warning(self._host.window(), _("Dispatch inbox"), str(exc))
            return
        dialog.exec()
        self._host.refresh_caseload()

    def show_balance(self) -> None:
        from app.ui.team.balance_view import BalanceView

        try:
            view = BalanceView(self._host.sessions, self._host.actor(), self._host.window())
        except ServiceError as exc:
            QMessageBox.warning(self._host.window(), _("Caseload balance"), str(exc))
            return
        view.exec()
