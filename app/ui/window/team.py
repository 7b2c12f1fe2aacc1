"""The caseload window's Team menu: "Absence and cover…" (one's own absence; a team lead's
for anyone of the office), "Notices…", and the new notices shown once when someone starts
working (at start, after a sign-in, on choosing whom one works as) in a window beside the
caseload that does not block it. Other team actions join `menu` (dispatch, balance)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenuBar, QMessageBox

from app.i18n import _
from app.services.errors import ServiceError

if TYPE_CHECKING:
    from app.services.privacy.access import Actor
    from app.ui.team.notices_dialog import NoticesDialog
    from app.ui.window.host import WindowHost

log = logging.getLogger(__name__)


class TeamController(QObject):
    def __init__(self, host: WindowHost, menu_bar: QMenuBar) -> None:
        super().__init__(host.window())
        self._host = host
        self.menu = menu_bar.addMenu("")
        self.menu.setObjectName("team_menu")
        self.absence_action = QAction(host.window())
        self.absence_action.setObjectName("absence_action")
        self.absence_action.triggered.connect(self.show_absences)
        self.notices_action = QAction(host.window())
        self.notices_action.setObjectName("notices_action")
        self.notices_action.triggered.connect(self.show_notices)
        self.menu.addActions([self.absence_action, self.notices_action])
        self._seen: set[int] = set()  # notices already shown in this window
        self.new_notices: NoticesDialog | None = None
        self._team_lead = False

    def retranslate(self) -> None:
        self.menu.setTitle(_("&Team"))
        self.absence_action.setText(
            _("&Absence and cover…") if self._team_lead else _("I am &away…"))  # fmt: skip
        self.notices_action.setText(_("&Notices…"))

    def offer_for(self, actor: Actor | None) -> None:
        """What this counsellor's role allows; their new notices, once, when the event loop
        next turns (the window shows first)."""
        self._team_lead = actor is not None and actor.is_team_lead
        self.absence_action.setEnabled(actor is not None)
        self.notices_action.setEnabled(actor is not None)
        self.retranslate()
        if actor is not None:
            QTimer.singleShot(0, self.show_new_notices)

    def show_new_notices(self) -> None:
        """The acting counsellor's unread notices not shown yet in this window."""
        from app.ui.team.notices_dialog import NoticesDialog

        if self._host.locked:
            return
        try:
            dialog = NoticesDialog(self._host.sessions, self._host.actor(), only_unread=True,
                                   parent=self._host.window())  # fmt: skip
        except ServiceError:  # locked or closed meanwhile, or nobody works yet
            return
        except Exception as exc:  # the notices must never stop someone from starting work
            log.warning("the new notices could not be shown (%s)", type(exc).__name__)
            return
        fresh = {n.id for n in dialog.shown} - self._seen
        if not fresh:
            dialog.deleteLater()
            return
        self._seen |= {n.id for n in dialog.shown}
        if self.new_notices is not None:
            self.new_notices.close()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)  # typing goes on
        dialog.destroyed.connect(self._forget_new)
        self.new_notices = dialog
        dialog.show()  # beside the caseload, not in its way

    def _forget_new(self) -> None:
        self.new_notices = None

    def show_notices(self) -> None:
        from app.ui.team.notices_dialog import NoticesDialog

        try:
            dialog = NoticesDialog(self._host.sessions, self._host.actor(),
                                   parent=self._host.window())  # fmt: skip
        except ServiceError as exc:
            QMessageBox.warning(self._host.window(), _("Notices"), str(exc))
            return
        self._seen |= {n.id for n in dialog.shown}
        dialog.exec()

    def show_absences(self) -> None:
        from app.ui.team.absence_dialog import AbsenceDialog

        try:
            dialog = AbsenceDialog(self._host.sessions, self._host.actor(), self._host.window())
        except ServiceError as exc:
            QMessageBox.warning(self._host.window(), _("Absence and cover"), str(exc))
            return
        dialog.exec()
        if dialog.changed:  # "Backup for me" and the open file's banner follow
            self._host.refresh_caseload()
