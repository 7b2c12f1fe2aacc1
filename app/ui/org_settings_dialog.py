"""The organisation's settings for administrators: recording and exporting national numbers,
how long closed files are kept, the contact policy (`policy_settings`) and the letterhead of
referral letters (`letterhead_settings`) on one page, the dispatch rules of new dossiers
(`team.dispatch_rules_page`) on another. Refusals appear under the setting they concern and the
dialog stays open with what was chosen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.db import SessionFactory
from app.i18n import _
from app.services import org_settings
from app.services.contact import contact_policy
from app.services.errors import ServiceError, ValidationFailed
from app.services.privacy.access import Actor
from app.services.referrals import letterhead
from app.services.team import dispatch_rules
from app.ui.contact.policy_settings import PolicySettings
from app.ui.fields import error_label
from app.ui.labels import colon
from app.ui.referrals.letterhead_settings import LetterheadSettings
from app.ui.team.dispatch_rules_page import DispatchRulesPage

DISPATCH_ROOM = (960, 620)  # width, height the dispatch rules page asks of the dialog


class OrgSettingsDialog(QDialog):
    def __init__(
        self, sessions: SessionFactory, actor: Actor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._sessions, self._actor = sessions, actor
        self.setWindowTitle(_("Organisation settings"))
        self.setMinimumWidth(480)
        with sessions() as session:
            policy = org_settings.policy(session)
        self.record_number = QCheckBox(
            org_settings.setting_label(org_settings.NATIONAL_NUMBER_ENABLED)
        )
        self.record_number.setChecked(policy.national_number_enabled)
        self.export_number = QCheckBox(
            org_settings.setting_label(org_settings.EXPORT_NATIONAL_NUMBER)
        )
        self.export_number.setChecked(policy.export_national_number)
        self.retention = QSpinBox(minimum=org_settings.RETENTION_RANGE[0],
                                  maximum=org_settings.RETENTION_RANGE[-1], value=policy.retention_years)  # fmt: skip
        self.retention.setAccessibleName(org_settings.setting_label(org_settings.RETENTION_YEARS))
        self.errors = {key: error_label() for key in org_settings.SETTINGS}
        self.general_error = error_label()
        note = QLabel(_("Record national numbers only when your organisation has a legal basis for "
                        "it. Closed files older than the retention period appear in the review list "
                        "for erasure."))  # fmt: skip
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.record_number)
        form.addRow(self.errors[org_settings.NATIONAL_NUMBER_ENABLED])
        form.addRow(self.export_number)
        form.addRow(self.errors[org_settings.EXPORT_NATIONAL_NUMBER])
        form.addRow(colon(org_settings.setting_label(org_settings.RETENTION_YEARS)), self.retention)
        form.addRow(self.errors[org_settings.RETENTION_YEARS])
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        self.policy = PolicySettings(sessions)
        self.letterhead = LetterheadSettings(sessions)
        columns = QHBoxLayout()
        columns.addWidget(self.policy)
        columns.addWidget(self.letterhead, 0, Qt.AlignmentFlag.AlignTop)
        general = QWidget()
        page = QVBoxLayout(general)
        page.addWidget(note)
        page.addLayout(form)
        page.addLayout(columns)
        self.dispatch = DispatchRulesPage(sessions)
        self.tabs = QTabWidget()
        self.tabs.addTab(general, _("&General"))
        self.tabs.addTab(self.dispatch, _("&Dispatch of new dossiers"))
        self.tabs.currentChanged.connect(self._room_for_tab)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)
        self.changed: list[str] = []

    def _room_for_tab(self) -> None:
        """The dispatch rules hold two tables: room for their columns, within the screen
        (1280 x 720 included); the general page needs less, so the dialog may shrink again."""
        if self.tabs.currentWidget() is not self.dispatch:
            self.setMinimumSize(480, 0)
            return
        screen = self.screen().availableGeometry()
        wide, high = min(DISPATCH_ROOM[0], screen.width()), min(DISPATCH_ROOM[1], screen.height())
        self.setMinimumSize(wide, high)
        self.resize(max(self.width(), wide), max(self.height(), high))

    def _submit(self) -> None:
        changes = {org_settings.NATIONAL_NUMBER_ENABLED: self.record_number.isChecked(),
                   org_settings.EXPORT_NATIONAL_NUMBER: self.export_number.isChecked(),
                   org_settings.RETENTION_YEARS: self.retention.value(), **self.policy.changes(),
                   **self.letterhead.changes(), **self.dispatch.changes()}  # fmt: skip
        try:  # a refusal leaves nothing written: leaving the `with` rolls the session back
            with self._sessions() as session:
                changed = org_settings.update(session, changes, actor=self._actor)
                session.commit()
        except ValidationFailed as exc:
            self._show(exc.errors)
            return
        except ServiceError as exc:
            self._show({"": str(exc)})
            return
        self.changed = changed
        self.accept()

    def _show(self, errors: dict[str, str]) -> None:
        self.policy.show_errors(errors)
        self.letterhead.show_errors(errors)
        self.dispatch.show_errors(errors)
        if dispatch_rules.DISPATCH_RULES in errors:
            self.tabs.setCurrentWidget(self.dispatch)
        for key, label in self.errors.items():
            label.setText(errors.get(key, ""))
            label.setVisible(key in errors)
        self.general_error.setText(" ".join(m for k, m in errors.items()
                                            if k not in self.errors and k not in contact_policy.SPECS
                                            and k not in letterhead.SPECS
                                            and k not in dispatch_rules.SPECS))  # fmt: skip
        self.general_error.setVisible(bool(self.general_error.text()))
