"""The caseload window's oversight actions: the audit trail, the retention review and the
outcomes of guided conversations (team leads), and the organisation's settings
(administrators). They are offered by role; the services check each role again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

from app.i18n import _
from app.services.errors import ServiceError

if TYPE_CHECKING:
    from app.services.privacy.access import Actor
    from app.ui.window.host import OversightHost


class OversightController(QObject):
    def __init__(self, host: OversightHost) -> None:
        super().__init__(host.window())
        self._host = host
        self.audit_action = QAction(host.window())
        self.audit_action.triggered.connect(self.show_audit_trail)
        self.retention_action = QAction(host.window())
        self.retention_action.triggered.connect(self.show_retention_review)
        self.outcomes_action = QAction(host.window())
        self.outcomes_action.triggered.connect(self.show_script_outcomes)
        self.org_settings_action = QAction(host.window())
        self.org_settings_action.triggered.connect(self.show_org_settings)

    def retranslate(self) -> None:
        self.audit_action.setText(_("&Audit trail…"))
        self.retention_action.setText(_("Files past &retention…"))
        self.outcomes_action.setText(_("Conversation &outcomes…"))
        self.org_settings_action.setText(_("&Organisation settings…"))

    def offer_for(self, actor: Actor | None) -> None:
        """Enable what this counsellor's role allows."""
        self.audit_action.setEnabled(actor is not None and (actor.is_team_lead or actor.is_admin))
        self.retention_action.setEnabled(self.audit_action.isEnabled())
        self.outcomes_action.setEnabled(actor is not None and actor.is_team_lead)
        self.org_settings_action.setEnabled(actor is not None and actor.is_admin)

    def show_script_outcomes(self) -> None:
        from app.ui.scripts.script_outcomes import ScriptOutcomesDialog

        try:
            dialog = ScriptOutcomesDialog(
                self._host.sessions, self._host.actor(), self._host.window()
            )
        except ServiceError as exc:
            QMessageBox.warning(self._host.window(), _("Conversation outcomes"), str(exc))
            return
        dialog.exec()

    def show_audit_trail(self) -> None:
        from app.ui.privacy.audit_view import AuditDialog

        try:
            dialog = AuditDialog(self._host.sessions, self._host.actor(), self._host.window())
        except ServiceError as exc:
            QMessageBox.warning(self._host.window(), _("Audit trail"), str(exc))
            return
        dialog.exec()

    def show_retention_review(self) -> None:
        from app.ui.privacy.retention_view import RetentionDialog

        RetentionDialog(self._host.sessions, self._host.actor(), self._host.open_client,
                        self._host.window()).exec()  # fmt: skip

    def show_org_settings(self) -> None:
        from app.ui.org_settings_dialog import OrgSettingsDialog

        try:
            dialog = OrgSettingsDialog(self._host.sessions, self._host.actor(), self._host.window())
        except ServiceError as exc:
            QMessageBox.warning(self._host.window(), _("Organisation settings"), str(exc))
            return
        if dialog.exec() and dialog.changed:
            self._host.reload_client_file()  # the national-number field follows the setting
