"""Access to a client file from the file's side: the reason asked before opening someone else's
client ("break the glass"), and the list of who looked at this file."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QGroupBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.db import SessionFactory
from app.i18n import _, format_datetime
from app.models.enums import AuditAction
from app.services.errors import ServiceError
from app.services.privacy import access
from app.services.privacy.access import Actor
from app.ui.form_dialog import FormDialog
from app.ui.qt_values import box_layout

_SHOWN = 20


class BreakGlassDialog(FormDialog):
    """Asks why a client outside one's caseload is opened; the service records the answer."""

    def __init__(self, client_name: str, parent: QWidget | None = None) -> None:
        super().__init__(["reason"], parent)
        self.setWindowTitle(_("Open someone else's client file"))
        intro = QLabel(_(
            "{name} is not in your caseload. Say why you open this file (for example: "
            "walk-in at the permanence desk, the referent is absent). The reason is recorded "
            "with your name, and the referent can see it."
        ).format(name=client_name))  # fmt: skip
        intro.setWordWrap(True)
        box_layout(self).insertWidget(0, intro)
        self.reason = ""
        self.resize(480, self.sizeHint().height())

    def _submit(self) -> None:
        self.reason = self.value("reason")
        self.accept()  # the service checks the reason; a refusal comes back to the panel


class WhoLookedBox(QGroupBox):
    """The latest views of this file; shown to its referent and team leads only."""

    def __init__(self, sessions: SessionFactory, actor: Callable[[], Actor]) -> None:
        super().__init__()
        self._sessions, self._actor = sessions, actor
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("who_looked")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMaximumHeight(180)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(_("Who looked at this file"))
        self.table.setHorizontalHeaderLabels([_("When"), _("Who"), _("What")])

    def show_client(self, client_id: int | None) -> None:
        rows = []
        if client_id is not None:
            try:
                with self._sessions() as session:
                    rows = access.who_looked(session, self._actor(), client_id)[:_SHOWN]
            except ServiceError:
                rows = []
        self.setVisible(bool(rows))
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            what = row.action.label
            if row.action == AuditAction.BREAK_GLASS and row.description:
                what += f": {row.description}"
            for col, text in enumerate((format_datetime(row.at), row.counsellor or "", what)):
                self.table.setItem(i, col, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
