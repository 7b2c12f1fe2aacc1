"""The caseload window's menu actions for oversight: the audit trail and the retention review
(team leads), and the organisation's settings (administrators). A mixin of
`MainWindow`; the services check each role again."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from app.i18n import _
from app.services.errors import ServiceError


class OversightActions:
    """Needs the window's session, actor() and client panel."""

    def show_audit_trail(self) -> None:
        from app.ui.audit_view import AuditDialog

        try:
            actor = self.actor()
            dialog = AuditDialog(self.session, actor, self)
        except ServiceError as exc:
            QMessageBox.warning(self, _("Audit trail"), str(exc))
            return
        dialog.exec()

    def show_retention_review(self) -> None:
        from app.ui.retention_view import RetentionDialog

        RetentionDialog(self.session, self.actor(), self.open_client, self).exec()

    def show_org_settings(self) -> None:
        from app.ui.org_settings_dialog import OrgSettingsDialog

        try:
            dialog = OrgSettingsDialog(self.session, self.actor(), self)
        except ServiceError as exc:
            QMessageBox.warning(self, _("Organisation settings"), str(exc))
            return
        if dialog.exec() and dialog.changed and self._panel is not None:
            self._panel.reload()  # the national-number field follows the setting
