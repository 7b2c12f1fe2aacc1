"""The caseload window's menu actions for oversight: the audit trail and the retention review
(team leads), and the organisation's national-number setting (administrators). A mixin of
`MainWindow`; the services check each role again."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from app.i18n import _
from app.services import org_settings
from app.services.errors import ServiceError


class OversightActions:
    """Needs the window's session, actor(), national_number_action and client panel."""

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

    def _toggle_national_number(self, enabled: bool) -> None:
        try:
            org_settings.set_national_number_enabled(self.session, enabled, actor=self.actor())
            self.session.commit()
        except ServiceError as exc:
            self.session.rollback()
            self.national_number_action.blockSignals(True)
            self.national_number_action.setChecked(not enabled)
            self.national_number_action.blockSignals(False)
            QMessageBox.warning(self, _("Record national numbers (needs a legal basis)"), str(exc))
            return
        if self._panel is not None:
            self._panel.reload()
