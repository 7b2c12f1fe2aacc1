"""The audit trail for team leads and administrators: who did what to which file and when,
filtered by client, counsellor, action and dates."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.db import SessionFactory
from app.i18n import _, format_datetime, ngettext
from app.models.enums import AuditAction
from app.services.caseload import clients, counsellors
from app.services.clock import local_today, start_of_local_day
from app.services.errors import NotFound, ServiceError
from app.services.privacy import access
from app.services.privacy.access import Actor
from app.ui.fields import ERROR_STYLE
from app.ui.period_picker import PeriodPicker
from app.ui.qt_values import python_date, qt_date

LIMIT = 500


class AuditDialog(QDialog):
    def __init__(
        self, sessions: SessionFactory, actor: Actor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._sessions, self._actor = sessions, actor
        self.setWindowTitle(_("Audit trail"))
        self.dossier = QLineEdit()
        self.dossier.setObjectName("audit_dossier")
        self.dossier.setPlaceholderText("T-2026-000123")
        self.counsellor = QComboBox()
        self.counsellor.addItem(_("Everyone"), None)
        with sessions() as session:
            choices = counsellors.counsellor_choices(session)
        for counsellor_id, name in choices:
            self.counsellor.addItem(name, counsellor_id)
        self.action = QComboBox()
        self.action.setObjectName("audit_action")
        self.action.addItem(_("All actions"), None)
        for action in AuditAction:
            self.action.addItem(action.label, action.value)
        today = qt_date(local_today())  # the counsellor's day, as the stored times are read
        self.period = PeriodPicker(today.addDays(-30), today)
        self.period.show_clicked.connect(self.refresh)
        self.since, self.until = self.period.since, self.period.until
        self.message = QLabel()
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("audit_table")
        self.table.setHorizontalHeaderLabels(
            [_("When"), _("Who"), _("What"), _("Dossier"), _("Details")]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        form = QFormLayout()
        form.addRow(_("Dossier:"), self.dossier)
        form.addRow(_("Counsellor:"), self.counsellor)
        form.addRow(_("Action:"), self.action)
        form.addRow(_("From – to:"), self.period)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.table)
        self.resize(900, 560)
        self.refresh()

    def refresh(self) -> None:
        self.message.setStyleSheet("")
        filters: dict[str, object] = {"limit": LIMIT}
        if self.counsellor.currentData() is not None:
            filters["counsellor_id"] = int(self.counsellor.currentData())
        if self.action.currentData() is not None:
            filters["actions"] = [AuditAction(self.action.currentData())]
        filters["since"] = start_of_local_day(python_date(self.since.date()))
        filters["until"] = start_of_local_day(python_date(self.until.date()) + dt.timedelta(days=1))
        with self._sessions() as session:
            if self.dossier.text().strip():
                try:
                    filters["client_id"] = clients.by_dossier(
                        session, self.dossier.text().strip()
                    ).id
                except NotFound as exc:
                    self._error(str(exc))
                    return
            try:
                rows = access.audit_trail(session, self._actor, **filters)
            except ServiceError as exc:
                self._error(str(exc))
                return
            ids = {r.client_id for r in rows if r.client_id is not None}
            dossiers = clients.dossiers(session, ids)
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            dossier = dossiers.get(row.client_id, _("(erased)")) if row.client_id else ""
            cells = (
                format_datetime(row.at),
                row.counsellor or "",
                row.action.label,
                dossier,
                row.description,
            )
            for col, text in enumerate(cells):
                self.table.setItem(i, col, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.message.setText(ngettext("{n} entry", "{n} entries", len(rows)).format(n=len(rows))
                             + (" " + _("(the newest {limit})").format(limit=LIMIT) if len(rows) == LIMIT else ""))  # fmt: skip

    def _error(self, text: str) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(text)
        self.table.setRowCount(0)
