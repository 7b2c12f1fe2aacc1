"""The fixed contact person section of a client file: referent, backup, history, continuity."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import object_session

from app.db import SessionFactory
from app.i18n import _, format_date, ngettext
from app.models.enums import AssignmentReason
from app.services.caseload import assignments, continuity, counsellors
from app.services.clock import local_today
from app.services.errors import ServiceError, ValidationFailed
from app.services.privacy.access import Actor
from app.ui.fields import ERROR_STYLE
from app.ui.qt_values import full_year, python_date, qt_date

if TYPE_CHECKING:
    from app.models import Counsellor


def counsellor_labels(
    people: Iterable[Counsellor], exclude: int | None = None
) -> list[tuple[int, str]]:
    """(id, name with office) of `people` (`counsellors.active_counsellors`, read in the
    action's session, still open), for `counsellor_combo`: plain values that outlive the
    session. Two counsellors with the same name are told apart by their login too."""
    people = [person for person in people if person.id != exclude]
    session = object_session(people[0]) if people else None
    labels = counsellors.labelled_with_office(session) if session is not None else {}
    return [(person.id, labels.get(person.id, person.full_name)) for person in people]


def _last_day(period: assignments.AssignmentView) -> dt.date | None:
    """The last day a period was in effect, as people say it (the stored end is the first day
    after it); None while it lasts."""
    if period.ends_on is None:
        return None
    return max(period.ends_on - dt.timedelta(days=1), period.starts_on)


def counsellor_combo(choices: list[tuple[int, str]]) -> QComboBox:
    """An editable, type-to-filter list of counsellors (`counsellor_labels`; item data: id)."""
    combo = QComboBox()
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    for counsellor_id, label in choices:
        combo.addItem(label, counsellor_id)
    completer = combo.completer()
    assert completer is not None  # an editable combo box always has its completer
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    combo.setCurrentIndex(-1)
    return combo


class AssignDialog(QDialog):
    """Choose a counsellor as referent, or as backup until a date; the reason is recorded."""

    def __init__(
        self, sessions: SessionFactory, client_id: int, backup: bool, actor: Actor,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self._sessions, self._client_id, self._backup = sessions, client_id, backup
        self._actor = actor
        self.setWindowTitle(_("Set backup") if backup else _("Change referent"))
        with sessions() as session:
            current = assignments.current_referent(session, client_id)
            choices = counsellor_labels(
                counsellors.active_counsellors(session),
                exclude=current.counsellor_id if current else None,
            )
        self.counsellor = counsellor_combo(choices)
        self.counsellor.setObjectName("assign_counsellor")
        self.reason = QComboBox()
        self.reason.setObjectName("assign_reason")
        for reason in AssignmentReason:
            self.reason.addItem(reason.label, reason.value)
        default = AssignmentReason.ABSENCE_COVER if backup else AssignmentReason.REASSIGNMENT
        self.reason.setCurrentIndex(self.reason.findData(default.value))
        self.until = full_year(QDateEdit())
        self.until.setCalendarPopup(True)
        self.until.setDate(qt_date(local_today() + dt.timedelta(days=14)))
        self.note = QLineEdit()
        self.error = QLabel()
        self.error.setObjectName("assign_error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Counsellor:"), self.counsellor)
        form.addRow(_("Reason:"), self.reason)
        if backup:
            form.addRow(_("Last day (included):"), self.until)
        form.addRow(_("Note:"), self.note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._apply)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _apply(self) -> None:
        index = self.counsellor.findText(self.counsellor.currentText())
        counsellor_id = self.counsellor.itemData(index) if index >= 0 else None
        if counsellor_id is None:
            self.error.setText(_("Counsellor: choose a name from the list."))
            return
        reason = AssignmentReason(self.reason.currentData())
        try:  # a refusal leaves nothing written: leaving the `with` rolls the session back
            with self._sessions() as session:
                if self._backup:
                    # a period's stored end is the first day without cover
                    until = python_date(self.until.date()) + dt.timedelta(days=1)
                    assignments.set_backup(session, self._client_id, counsellor_id, until=until,
                                           reason=reason, note=self.note.text(), actor=self._actor)  # fmt: skip
                else:
                    assignments.assign_referent(session, self._client_id, counsellor_id,
                                                reason=reason, note=self.note.text(), actor=self._actor)  # fmt: skip
                session.commit()
        except ValidationFailed as exc:
            self.error.setText(str(exc))
            return
        except ServiceError as exc:
            self.error.setText(str(exc))
            return
        self.accept()


class AssignmentBox(QGroupBox):
    changed = Signal()

    def __init__(
        self, sessions: SessionFactory, actor: Callable[[], Actor], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._sessions = sessions
        self._actor = actor
        self._client_id: int | None = None
        self.referent = QLabel()
        self.referent.setObjectName("referent_label")
        self.backup = QLabel()
        self.backup.setObjectName("backup_label")
        self.continuity = QLabel()
        self.continuity.setObjectName("continuity_label")
        self.change_referent = QPushButton()
        self.change_referent.setObjectName("change_referent")
        self.set_backup = QPushButton()
        self.end_backup = QPushButton()
        self.change_referent.clicked.connect(lambda: self._open_dialog(backup=False))
        self.set_backup.clicked.connect(lambda: self._open_dialog(backup=True))
        self.end_backup.clicked.connect(self._end_backup)
        self.history = QTableWidget(0, 5)
        self.history.setObjectName("assignment_history")
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.verticalHeader().hide()
        self.history.horizontalHeader().setStretchLastSection(True)
        self.history.setMinimumHeight(120)
        buttons = QHBoxLayout()
        for button in (self.change_referent, self.set_backup, self.end_backup):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.referent)
        layout.addWidget(self.backup)
        layout.addLayout(buttons)
        layout.addWidget(self.history)
        layout.addWidget(self.continuity)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(_("Fixed contact person"))
        self.change_referent.setText(_("Change referent…"))
        self.set_backup.setText(_("Set backup…"))
        self.end_backup.setText(_("End backup"))
        self.history.setHorizontalHeaderLabels(
            [_("Role"), _("Counsellor"), _("From"), _("Last day"), _("Reason")]
        )
        self.show_client(self._client_id)

    def show_client(self, client_id: int | None) -> None:
        self._client_id = client_id
        self.setEnabled(client_id is not None)
        if client_id is None:
            for label in (self.referent, self.backup, self.continuity):
                label.clear()
            self.history.setRowCount(0)
            return
        with self._sessions() as session:
            periods = assignments.history(session, client_id)
            n = continuity.counsellors_for_client(session, client_id)
        today = local_today()
        referent = next((p for p in periods if p.role == "referent" and p.ends_on is None), None)
        backup = next((p for p in periods if p.role == "backup" and p.starts_on <= today
                       and (p.ends_on is None or p.ends_on > today)), None)  # fmt: skip
        self.referent.setText(
            _("Referent: {name}, since {date}").format(name=referent.counsellor_name, date=format_date(referent.starts_on))
            if referent else _("Referent: none — choose one with “Change referent…”.")
        )  # fmt: skip
        self.backup.setText(
            _("Backup: {name}, up to and including {date}").format(
                name=backup.counsellor_name, date=format_date(_last_day(backup)))
            if backup else _("Backup: none")
        )  # fmt: skip
        actor = self._actor()
        lead = actor.is_team_lead
        own = referent is not None and referent.counsellor_id == actor.counsellor_id
        self.change_referent.setEnabled(lead)  # the service refuses the others anyway
        self.set_backup.setEnabled(own or lead)
        self.end_backup.setEnabled(backup is not None and (own or lead))
        self.history.setRowCount(len(periods))
        for row, period in enumerate(periods):
            cells = [period.role.label, period.counsellor_name, format_date(period.starts_on),
                     format_date(_last_day(period)), period.reason.label]  # fmt: skip
            for col, text in enumerate(cells):
                self.history.setItem(row, col, QTableWidgetItem(text))
        self.history.resizeColumnsToContents()
        self.continuity.setText(
            ngettext("Continuity: this client has had {n} counsellor.",
                     "Continuity: this client has had {n} different counsellors.", n).format(n=n)
        )  # fmt: skip

    def _open_dialog(self, backup: bool) -> None:
        if self._client_id is None:
            return
        dialog = AssignDialog(self._sessions, self._client_id, backup, self._actor(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.show_client(self._client_id)
            self.changed.emit()

    def _end_backup(self) -> None:
        if self._client_id is None:
            return
        try:
            with self._sessions() as session:
                assignments.end_backup(session, self._client_id, actor=self._actor())
                session.commit()
        except ServiceError as exc:  # nothing written: leaving the `with` rolled it back
            QMessageBox.warning(self, _("End backup"), str(exc))
            return
        self.show_client(self._client_id)
        self.changed.emit()
