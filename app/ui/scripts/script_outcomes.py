"""Which outcomes followed which answers in guided conversations, for team leads: e.g. for
each objection to the mandatory e-mail address, how many conversations ended with the client
using e-mail, a B-ICT course, a registration without e-mail. Counts only, no names; the table
can be copied into a spreadsheet."""

from __future__ import annotations

import textwrap

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.db import SessionFactory
from app.i18n import _, format_number, format_percent, ngettext
from app.services.clock import local_today
from app.services.errors import ServiceError
from app.services.privacy.access import Actor
from app.services.scripts import statistics
from app.services.scripts.loader import default_catalogue
from app.services.scripts.statistics import OutcomeTable, Row
from app.ui.clipboard import copy_text
from app.ui.labels import colon
from app.ui.period_picker import PeriodPicker
from app.ui.qt_values import python_date

COLUMN_WIDTH, ROW_WIDTH = 18, 36  # characters per line of a column and a row heading


def _heading(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


class ScriptOutcomesDialog(QDialog):
    def __init__(
        self, sessions: SessionFactory, actor: Actor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._sessions, self._actor = sessions, actor
        self.table_data: OutcomeTable | None = None
        self.setWindowTitle(_("Conversation outcomes"))
        self.script = QComboBox()
        self.script.setObjectName("outcomes_script")
        for script in sorted(default_catalogue().scripts.values(), key=lambda s: s.id):
            if script.statistics is not None:
                self.script.addItem(_(script.title), script.id)
        day = local_today()
        today = QDate(day.year, day.month, day.day)
        self.period = PeriodPicker(today.addYears(-1), today)
        self.period.show_clicked.connect(self.refresh)
        self.since, self.until = self.period.since, self.period.until
        form = QFormLayout()
        form.addRow(colon(_("Script")), self.script)
        form.addRow(colon(_("Finished between")), self.period)
        self.summary = QLabel()
        self.summary.setObjectName("outcomes_summary")
        self.summary.setWordWrap(True)
        self.table = QTableWidget()
        self.table.setObjectName("outcomes_table")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        copy = QPushButton(_("Copy the table"))
        copy.setObjectName("outcomes_copy")
        copy.clicked.connect(self.copy)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(copy, 0, Qt.AlignmentFlag.AlignRight)
        self.resize(1100, 560)
        self.refresh()

    def refresh(self) -> None:
        self.table.clear()
        self.table.setRowCount(0)
        self.table.setColumnCount(0)
        self.table_data = None
        script_id = self.script.currentData()
        if script_id is None:
            self.summary.setText(_("No script keeps outcome statistics."))
            return
        script = default_catalogue().get(script_id)
        try:
            with self._sessions() as session:
                found = statistics.outcome_table(session, self._actor, script,
                                                 python_date(self.since.date()),
                                                 python_date(self.until.date()))  # fmt: skip
        except ServiceError as exc:
            self.summary.setText(str(exc))
            return
        self.table_data = found
        office = self._actor.office or _("all offices")
        self.summary.setText(
            ngettext("{n} finished conversation ({office}), by answer to: {question}",
                     "{n} finished conversations ({office}), by answer to: {question}",
                     found.total.runs).format(n=format_number(found.total.runs), office=office,
                                              question=_(found.by_text)))  # fmt: skip
        self._fill(found)

    def _fill(self, found: OutcomeTable) -> None:
        headings = [_("Conversations"), *(_(c.text) for c in found.columns)]
        rows = [*found.rows, found.total]
        self.table.setColumnCount(len(headings))
        self.table.setRowCount(len(rows))
        for col, text in enumerate(headings):
            item = QTableWidgetItem(_heading(text, COLUMN_WIDTH))
            item.setToolTip(text)
            self.table.setHorizontalHeaderItem(col, item)
        for r, row in enumerate(rows):
            heading = QTableWidgetItem(_heading(_(row.text), ROW_WIDTH))
            heading.setToolTip(_(row.text))
            if row is found.total:
                font = heading.font()
                font.setBold(True)
                heading.setFont(font)
            self.table.setVerticalHeaderItem(r, heading)
            self.table.setItem(r, 0, self._cell(format_number(row.runs)))
            for c, count in enumerate(row.counts, start=1):
                self.table.setItem(r, c, self._cell(self._share(count, row)))
        self.table.resizeColumnsToContents()
        self.table.resizeRowsToContents()

    @staticmethod
    def _share(count: int, row: Row) -> str:
        if not row.runs:
            return format_number(count)
        return f"{format_number(count)} ({format_percent(count / row.runs)})"

    @staticmethod
    def _cell(text: str) -> QTableWidgetItem:
        item = QTableWidgetItem(text)
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return item

    def as_text(self) -> str:
        """The table as tab-separated lines, the counts as plain numbers (for a spreadsheet)."""
        if self.table_data is None:
            return ""
        found = self.table_data
        lines = ["\t".join(["", _("Conversations"), *(_(c.text) for c in found.columns)])]
        for row in (*found.rows, found.total):
            lines.append("\t".join([_(row.text), str(row.runs), *(str(n) for n in row.counts)]))
        return "\n".join(lines) + "\n"

    def copy(self) -> None:
        copy_text(self.as_text())
