"""The retention review list for team leads: closed files older than the organisation's
retention period (default 5 years), to erase one by one after a look."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.db import SessionFactory
from app.i18n import _, format_date, ngettext
from app.services import org_settings
from app.services.clock import local_today
from app.services.errors import ServiceError
from app.services.privacy import gdpr
from app.services.privacy.access import Actor


class RetentionDialog(QDialog):
    def __init__(self, sessions: SessionFactory, actor: Actor, open_client: Callable[[int], None],
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._sessions, self._actor, self._open_client = sessions, actor, open_client
        self.setWindowTitle(_("Files past the retention period"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("retention_table")
        self.table.setHorizontalHeaderLabels([_("Dossier"), _("Closed on"), _("Name")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.cellDoubleClicked.connect(lambda row, _col: self._open(row))
        show = QPushButton(_("Open the file (to erase it there)"))
        show.clicked.connect(lambda: self._open(self.table.currentRow()))
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        layout.addWidget(show)
        self.resize(640, 480)
        self.refresh()

    def refresh(self) -> None:
        with self._sessions() as session:
            try:
                rows = gdpr.due_for_review(session, self._actor, local_today())
            except ServiceError as exc:
                self.summary.setText(str(exc))
                return
            years = org_settings.retention_years(session)
        self.summary.setText(ngettext("{n} closed file is older than {years} years: erase or anonymise it.",
                                      "{n} closed files are older than {years} years: erase or anonymise them.",
                                      len(rows)).format(n=len(rows), years=years))  # fmt: skip
        self.table.setRowCount(len(rows))
        for i, (client_id, dossier, name, closed_on) in enumerate(rows):
            for col, text in enumerate((dossier, format_date(closed_on), name)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, client_id)
                self.table.setItem(i, col, item)
        self.table.resizeColumnsToContents()

    def _open(self, row: int) -> None:
        item = self.table.item(row, 0)
        if item is not None:
            self._open_client(int(item.data(Qt.ItemDataRole.UserRole)))
            self.accept()
