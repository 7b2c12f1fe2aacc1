"""The caseload window's menu actions for oversight: the audit trail, the retention review
and the outcomes of guided conversations (team leads), and the organisation's settings
(administrators). A mixin of `MainWindow`; the services check each role again."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

from app.i18n import _
from app.services.errors import ServiceError
from app.services.privacy.access import Actor


class OversightActions:
    """Needs the window's sessions(), actor() and client panel."""

    def _build_oversight_actions(self) -> None:
        self.audit_action = QAction(self)
        self.audit_action.triggered.connect(self.show_audit_trail)
        self.retention_action = QAction(self)
        self.retention_action.triggered.connect(self.show_retention_review)
        self.outcomes_action = QAction(self)
        self.outcomes_action.triggered.connect(self.show_script_outcomes)
        self.org_settings_action = QAction(self)
        self.org_settings_action.triggered.connect(self.show_org_settings)

    def _retranslate_oversight(self) -> None:
        self.audit_action.setText(_("&Audit trail…"))
        self.retention_action.setText(_("Files past &retention…"))
        self.outcomes_action.setText(_("Conversation &outcomes…"))
        self.org_settings_action.setText(_("&Organisation settings…"))

    def _enable_oversight(self, actor: Actor | None) -> None:
        self.audit_action.setEnabled(actor is not None and (actor.is_team_lead or actor.is_admin))
        self.retention_action.setEnabled(self.audit_action.isEnabled())
        self.outcomes_action.setEnabled(actor is not None and actor.is_team_lead)
        self.org_settings_action.setEnabled(actor is not None and actor.is_admin)

    def show_script_outcomes(self) -> None:
        from app.ui.scripts.script_outcomes import ScriptOutcomesDialog

        try:
            dialog = ScriptOutcomesDialog(self.sessions, self.actor(), self)
        except ServiceError as exc:
            QMessageBox.warning(self, _("Conversation outcomes"), str(exc))
            return
        dialog.exec()

    def show_audit_trail(self) -> None:
        from app.ui.privacy.audit_view import AuditDialog

        try:
            actor = self.actor()
            dialog = AuditDialog(self.sessions, actor, self)
        except ServiceError as exc:
            QMessageBox.warning(self, _("Audit trail"), str(exc))
            return
        dialog.exec()

    def show_retention_review(self) -> None:
        from app.ui.privacy.retention_view import RetentionDialog

        RetentionDialog(self.sessions, self.actor(), self.open_client, self).exec()

    def show_org_settings(self) -> None:
        from app.ui.org_settings_dialog import OrgSettingsDialog

        try:
            dialog = OrgSettingsDialog(self.sessions, self.actor(), self)
        except ServiceError as exc:
            QMessageBox.warning(self, _("Organisation settings"), str(exc))
            return
        if dialog.exec() and dialog.changed and self._panel is not None:
            self._panel.reload()  # the national-number field follows the setting
