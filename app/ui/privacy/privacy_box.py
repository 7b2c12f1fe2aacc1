"""The privacy side of a client file: consents per purpose, the data export (right of access),
and erasure (team leads), each through the GDPR services."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.db import SessionFactory
from app.i18n import _, format_date
from app.models.enums import ConsentPurpose
from app.private_files import write_text
from app.services.clock import local_today
from app.services.errors import ServiceError
from app.services.privacy import consents, gdpr
from app.services.privacy.access import Actor
from app.services.validation import field_label
from app.ui.form_dialog import FormDialog
from app.ui.labels import colon
from app.ui.qt_values import box_layout, full_year, python_date, qt_date


class ConsentDialog(FormDialog):
    def __init__(
        self, sessions: SessionFactory, actor: Actor, client_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(["partner", "note"], parent)
        self._sessions, self._actor, self._client_id = sessions, actor, client_id
        self.setWindowTitle(_("Record a consent"))
        self.purpose = QComboBox()
        self.purpose.setObjectName("consent_purpose")
        for purpose in ConsentPurpose:
            self.purpose.addItem(purpose.label, purpose.value)
        self.given_on = full_year(QDateEdit(qt_date(local_today())))
        self.given_on.setCalendarPopup(True)
        self.form.insertRow(0, _("Purpose:"), self.purpose)
        self.form.insertRow(1, colon(field_label("given_on")), self.given_on)

    def _submit(self) -> None:
        with self._sessions() as session:
            recorded = self.commit_or_show(session, lambda: consents.record(
                session, self._actor, self._client_id, ConsentPurpose(self.purpose.currentData()),
                partner=self.value("partner"), given_on=python_date(self.given_on.date()),
                note=self.value("note")))  # fmt: skip
        if recorded is not None:
            self.accept()


class EraseDialog(FormDialog):
    """Names what will be lost and asks for the reason before anything is erased."""

    def __init__(self, name: str, summary: dict[str, int], parent: QWidget | None = None) -> None:
        super().__init__(["reason"], parent)
        self.setWindowTitle(_("Erase this client's data"))
        lost = "\n".join(f"• {table}: {n}" for table, n in sorted(summary.items()))
        intro = QLabel(_("Erasing removes everything about {name} for good; it cannot be undone. "
                         "Lost:\n{lost}\nThe audit trail keeps only an anonymous record.").format(
                             name=name, lost=lost))  # fmt: skip
        intro.setWordWrap(True)
        box_layout(self).insertWidget(0, intro)
        self.reason = ""

    def _submit(self) -> None:
        self.reason = self.value("reason")
        self.accept()


class PrivacyBox(QGroupBox):
    erased = Signal(int)

    def __init__(self, sessions: SessionFactory, actor: Callable[[], Actor]) -> None:
        super().__init__()
        self._sessions, self._actor = sessions, actor
        self._client_id: int | None = None
        self._client_name = ""
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("consents")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMaximumHeight(150)
        self.add = QPushButton()
        self.add.setObjectName("add_consent")
        self.withdraw = QPushButton()
        self.export = QPushButton()
        self.export.setObjectName("export_data")
        self.erase = QPushButton()
        self.erase.setObjectName("erase_client")
        self.add.clicked.connect(self._add)
        self.withdraw.clicked.connect(self._withdraw)
        self.export.clicked.connect(self._export)
        self.erase.clicked.connect(self._erase)
        buttons = QGridLayout()  # two by two: the client file is a narrow column
        for i, button in enumerate((self.add, self.withdraw, self.export, self.erase)):
            buttons.addWidget(button, i // 2, i % 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(_("Privacy and consent"))
        self.table.setHorizontalHeaderLabels(
            [_("Purpose"), field_label("partner"), _("Since"), _("Withdrawn")]
        )
        self.add.setText(_("Record consent…"))
        self.withdraw.setText(_("Withdraw"))
        self.export.setText(_("Export data…"))
        self.erase.setText(_("Erase…"))

    def show_client(self, client_id: int | None, name: str = "") -> None:
        self._client_id, self._client_name = client_id, name
        self.setVisible(client_id is not None)
        if client_id is None:
            return
        with self._sessions() as session:
            rows = [(consent.id, (consent.purpose.label, consent.partner or "", format_date(consent.given_on),
                                  format_date(consent.withdrawn_on)))
                    for consent in consents.of_client(session, client_id)]  # fmt: skip
        self.table.setRowCount(len(rows))
        for i, (consent_id, cells) in enumerate(rows):
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, consent_id)
                self.table.setItem(i, col, item)
        self.table.resizeColumnsToContents()
        actor = self._actor()
        self.erase.setEnabled(actor.is_team_lead or actor.is_admin)

    def _add(self) -> None:
        if self._client_id is None:
            return
        if ConsentDialog(self._sessions, self._actor(), self._client_id, self).exec():
            self.show_client(self._client_id, self._client_name)

    def _withdraw(self) -> None:
        item = self.table.item(self.table.currentRow(), 0)
        if item is None:
            return
        try:  # a refusal leaves nothing written: leaving the `with` rolls the session back
            with self._sessions() as session:
                consents.withdraw(session, self._actor(), int(item.data(Qt.ItemDataRole.UserRole)))
                session.commit()
        except ServiceError as exc:
            QMessageBox.warning(self, _("Withdraw"), str(exc))
        self.show_client(self._client_id, self._client_name)

    def _export(self) -> None:
        if self._client_id is None:
            return
        from app.services.caseload import clients
        from app.services.documents.file_names import file_name

        with self._sessions() as session:
            dossier = clients.dossiers(session, {self._client_id}).get(self._client_id)
        target, chosen = QFileDialog.getSaveFileName(
            self,
            _("Export this client's data"),
            file_name("data_export", dossier=dossier),
            _("PDF, readable (*.pdf);;JSON, for another system (*.json)"),
        )
        if not target:
            return
        try:  # the export is recorded only once the file is written
            with self._sessions() as session:
                data = gdpr.export_data(session, self._actor(), self._client_id)
                if target.lower().endswith(".json") or "json" in chosen.lower():
                    write_text(Path(target), json.dumps(data, ensure_ascii=False, indent=2))
                else:
                    from app.services.documents.postal import organisation_country
                    from app.services.privacy.export_pdf import write_export_pdf

                    write_export_pdf(data, Path(target), data["client"].get("contact_language"),
                                     organisation_country(session))  # fmt: skip
                session.commit()
        except (ServiceError, OSError) as exc:
            QMessageBox.warning(self, _("Export this client's data"), str(exc))

    def _erase(self) -> None:
        if self._client_id is None:
            return
        client_id = self._client_id
        try:
            with self._sessions() as session:
                summary = gdpr.erasure_summary(session, self._actor(), client_id)
        except ServiceError as exc:
            QMessageBox.warning(self, _("Erase this client's data"), str(exc))
            return
        dialog = EraseDialog(self._client_name, summary, self)
        if not dialog.exec():
            return
        try:  # a refusal leaves nothing written: leaving the `with` rolls the session back
            with self._sessions() as session:
                gdpr.erase(session, self._actor(), client_id, dialog.reason)
                session.commit()
        except ServiceError as exc:
            QMessageBox.warning(self, _("Erase this client's data"), str(exc))
            return
        self.erased.emit(client_id)
