"""Team → Absence and cover…: "away from … to …" for oneself (or, as a team lead, for a
counsellor of the office), covered by one colleague or spread over the office by load. Each
client's backup and the reason it was chosen are shown before anything is changed; the
absences now and to come are listed, each with "Undo cover"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.db import SessionFactory
from app.i18n import _, isolated, ngettext
from app.services.caseload import counsellors
from app.services.clock import local_today
from app.services.errors import ServiceError, ValidationFailed
from app.services.privacy.access import Actor
from app.services.team import absence
from app.services.validation import field_label
from app.ui.fields import error_label
from app.ui.form_dialog import commit_or_report, joined
from app.ui.labels import colon
from app.ui.qt_values import full_year, python_date, qt_date

DEFAULT_DAYS = 5


def _item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(isolated(text))
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


class AbsenceDialog(QDialog):
    def __init__(
        self, sessions: SessionFactory, actor: Actor, parent: QWidget | None = None,
        *, today: Callable[[], dt.date] = local_today,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("absence_dialog")
        self.setWindowTitle(_("Absence and cover"))
        self._sessions, self._actor, self._today = sessions, actor, today
        self.changed = False
        self.who = QComboBox()
        self.who.setObjectName("absence_who")
        self.away_from, self.away_to = full_year(QDateEdit()), full_year(QDateEdit())
        for edit, name in ((self.away_from, "away_from"), (self.away_to, "away_to")):
            edit.setObjectName(name)
            edit.setCalendarPopup(True)
            edit.setAccessibleName(field_label(name))
        first = today()
        self.away_from.setDate(qt_date(first))
        self.away_to.setDate(qt_date(first + dt.timedelta(days=DEFAULT_DAYS - 1)))
        self.period = QLabel()
        self.period.setObjectName("absence_period")
        self.period.setWordWrap(True)
        self.spread = QRadioButton(_("&Spread over colleagues of the same office by load"))
        self.spread.setObjectName("cover_spread")
        self.one = QRadioButton(_("&One colleague:"))
        self.one.setObjectName("cover_one")
        self.colleague = QComboBox()
        self.colleague.setObjectName("cover_colleague")
        self.colleague.setAccessibleName(_("Colleague who covers every client"))
        self.how = QButtonGroup(self)
        self.how.addButton(self.spread)
        self.how.addButton(self.one)
        self.spread.setChecked(True)
        self.error = error_label()
        self.error.setObjectName("absence_error")
        self.preview = _table([_("Dossier"), _("Client"), _("Backup"), _("Why")])
        self.preview.setObjectName("cover_preview")
        self.preview.setAccessibleName(_("Who covers each client"))
        self.count = QLabel()
        self.confirm = QPushButton(_("&Cover these clients"))
        self.confirm.setObjectName("cover_confirm")
        self.confirm.clicked.connect(self.declare)
        self.absences = _table([_("Who is away"), _("Period"), _("Clients covered")])
        self.absences.setObjectName("absences_list")
        self.absences.setAccessibleName(_("Current and coming absences"))
        self.undo_button = QPushButton(_("&Undo cover"))
        self.undo_button.setObjectName("undo_cover")
        self.undo_button.clicked.connect(self.undo_selected)
        self._listed: list[tuple[int, str, str]] = []  # id, who, period
        self._build()
        self._fill_people()
        for signal in (self.who.currentIndexChanged, self.colleague.currentIndexChanged,
                       self.away_from.dateChanged, self.away_to.dateChanged,
                       self.how.buttonToggled):  # fmt: skip
            signal.connect(self.refresh_preview)
        self.refresh_preview()
        self.refresh_absences()
        self.resize(820, 640)

    def _build(self) -> None:
        form = QFormLayout()
        who_label = QLabel(colon(_("&Who is away")))
        who_label.setBuddy(self.who)
        form.addRow(who_label, self.who)
        dates = QHBoxLayout()
        for text, edit in ((colon(_("Away &from")), self.away_from),
                           (colon(_("Away un&til")), self.away_to)):  # fmt: skip
            label = QLabel(text)
            label.setBuddy(edit)
            dates.addWidget(label)
            dates.addWidget(edit)
        dates.addStretch(1)
        form.addRow(dates)
        form.addRow(self.period)
        cover = QGroupBox(_("Cover"))
        column = QVBoxLayout(cover)
        column.addWidget(self.spread)
        one_row = QHBoxLayout()
        one_row.addWidget(self.one)
        one_row.addWidget(self.colleague, 1)
        column.addLayout(one_row)
        preview_label = QLabel(colon(_("&Preview: who covers each client")))
        preview_label.setBuddy(self.preview)
        actions = QHBoxLayout()
        actions.addWidget(self.count, 1)
        actions.addWidget(self.confirm)
        listed = QGroupBox(_("Current and coming absences"))
        below = QVBoxLayout(listed)
        below.addWidget(self.absences)
        below.addWidget(self.undo_button, alignment=Qt.AlignmentFlag.AlignRight)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(cover)
        layout.addWidget(self.error)
        layout.addWidget(preview_label)
        layout.addWidget(self.preview, 2)
        layout.addLayout(actions)
        layout.addWidget(listed, 1)
        layout.addWidget(buttons)

    def _fill_people(self) -> None:
        """Oneself; a team lead anyone of their office (every office without one)."""
        with self._sessions() as session:
            choices = counsellors.counsellor_choices(session)
            away = absence.who_may_be_away(session, self._actor)
        for counsellor_id, name in away:
            self.who.addItem(name, counsellor_id)
        self.who.setCurrentIndex(max(self.who.findData(self._actor.counsellor_id), 0))
        self.who.setEnabled(self.who.count() > 1)
        self._choices = choices
        self._fill_colleagues()
        self.who.currentIndexChanged.connect(self._fill_colleagues)

    def _fill_colleagues(self) -> None:
        """Every active colleague of whoever is away, the one chosen before kept."""
        kept = self.colleague.currentData()
        self.colleague.blockSignals(True)
        self.colleague.clear()
        for counsellor_id, name in self._choices:
            if counsellor_id != self.who.currentData():
                self.colleague.addItem(name, counsellor_id)
        self.colleague.setCurrentIndex(max(self.colleague.findData(kept), 0))
        self.colleague.blockSignals(False)

    # --- the plan ----------------------------------------------------------------------
    def _inputs(self) -> tuple[int, dt.date, dt.date, int | None] | None:
        counsellor_id = self.who.currentData()
        if counsellor_id is None:
            return None
        backup = self.colleague.currentData() if self.one.isChecked() else None
        return (int(counsellor_id), python_date(self.away_from.date()),
                python_date(self.away_to.date()), int(backup) if backup is not None else None)  # fmt: skip

    def refresh_preview(self) -> None:
        """Who would cover each client, as the inputs stand (nothing is changed)."""
        self.colleague.setEnabled(self.one.isChecked())
        inputs = self._inputs()
        self.preview.setRowCount(0)
        self.confirm.setEnabled(False)
        if inputs is None:
            return
        counsellor_id, first, last, backup = inputs
        self.period.setText(absence.period_text(first, last) if first <= last else "")
        try:
            with self._sessions() as session:
                choices = absence.plan(session, self._actor, counsellor_id, first, last, backup,
                                       today=self._today())  # fmt: skip
        except ValidationFailed as exc:
            self._say(joined(exc.errors))
            return
        except ServiceError as exc:
            self._say(str(exc))
            return
        self._say("")
        self.preview.setRowCount(len(choices))
        for row, choice in enumerate(choices):
            for column, text in enumerate((choice.dossier, choice.client_name,
                                           choice.backup_name, choice.reason)):  # fmt: skip
                self.preview.setItem(row, column, _item(text))
        self.count.setText(ngettext("{n} active client to cover", "{n} active clients to cover",
                                    len(choices)).format(n=len(choices)))  # fmt: skip
        self.confirm.setEnabled(True)

    def _say(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))
        if message:
            self.count.setText("")

    def declare(self) -> None:
        inputs = self._inputs()
        if inputs is None:
            return
        counsellor_id, first, last, backup = inputs
        with self._sessions() as session:
            declared = commit_or_report(session, lambda: absence.declare(
                session, self._actor, counsellor_id, first, last, backup, today=self._today()),
                lambda errors: self._say(joined(errors)))  # fmt: skip
        if declared is None:
            return
        self.changed = True
        self.refresh_absences()
        self.refresh_preview()  # the period is now taken: says so
        self.count.setText(ngettext("Cover arranged for {n} client.",
                                    "Cover arranged for {n} clients.", len(declared.choices))
                           .format(n=len(declared.choices)))  # fmt: skip

    # --- absences now and to come -------------------------------------------------------
    def refresh_absences(self) -> None:
        with self._sessions() as session:
            views = absence.current_and_coming(session, today=self._today())
        self._listed = [(view.id, view.counsellor_name,
                         absence.period_text(view.starts_on, view.ends_on)) for view in views]  # fmt: skip
        self.absences.setRowCount(len(views))
        for row, view in enumerate(views):
            for column, text in enumerate((view.counsellor_name,
                                           absence.period_text(view.starts_on, view.ends_on),
                                           str(view.covered))):  # fmt: skip
                self.absences.setItem(row, column, _item(text))
        if views:
            self.absences.selectRow(0)
        self.undo_button.setEnabled(bool(views))

    def undo_selected(self) -> None:
        row = self.absences.currentRow()
        if not 0 <= row < len(self._listed):
            return
        absence_id, name, period = self._listed[row]
        asked = QMessageBox.question(self, _("Undo cover"), _(
            "Undo the cover of {name}'s absence ({period})? Every backup period it arranged "
            "ends today, and the colleagues are told.").format(name=name, period=period))  # fmt: skip
        if asked != QMessageBox.StandardButton.Yes:
            return
        with self._sessions() as session:
            ended = commit_or_report(session, lambda: absence.undo(
                session, self._actor, absence_id, today=self._today()),
                lambda errors: self._say(joined(errors)))  # fmt: skip
        if ended is None:
            return
        self.changed = True
        self.refresh_absences()
        self.refresh_preview()
        self.count.setText(ngettext("Cover undone: {n} backup period ended.",
                                    "Cover undone: {n} backup periods ended.", ended)
                           .format(n=ended))  # fmt: skip
