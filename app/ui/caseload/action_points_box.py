"""The action points of a client file: the open ones first with their due date (overdue ones
marked in words and colour), then the finished ones with who finished them, when and what
came of it. "New action point…" (Ctrl+Shift+N) makes one by hand; Enter or Space on an open
row asks what came of it and marks it done; on a finished row it offers to reopen it. A
colleague's change in between is reported in the form, and nothing typed is lost."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QFont, QKeyEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app.db import SessionFactory
from app.i18n import _, format_date, format_list, isolated, ngettext
from app.models.enums import ActionPointStatus
from app.services.caseload import action_points
from app.services.caseload.action_points import PointRow
from app.services.clock import local_now, local_today
from app.services.errors import ServiceError
from app.services.privacy.access import Actor
from app.ui.caseload.action_point_dialogs import ClosingDialog, PointDialog, Refusal
from app.ui.fields import error_label
from app.ui.form_dialog import commit_or_report

OVERDUE = QColor("#a33a00")  # the timeline's colour for what needs attention
FINISHED = QColor("#5f6368")
NEW_DUE_DAYS = 14  # a new point is due in two weeks unless another day is chosen
NEW_SHORTCUT = "Ctrl+Shift+N"
WHO_WIDTH = 190  # wraps a name and a date on two lines
S = ActionPointStatus


class PointsTable(QTableWidget):
    """Enter or Space on a row acts on it, once (a plain table activates on Enter only); rows
    grow to their wrapped text whenever the columns' widths change."""

    def __init__(self, rows: int, columns: int) -> None:
        super().__init__(rows, columns)
        self._fit_rows = QTimer(self, singleShot=True, interval=0)
        self._fit_rows.timeout.connect(self.resizeRowsToContents)
        self.horizontalHeader().sectionResized.connect(lambda *_sizes: self._fit_rows.start())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_rows.start()  # once the stretched column has its new width

    def keyPressEvent(self, event: QKeyEvent) -> None:
        keys = (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if event.key() in keys and not event.modifiers() and self.currentRow() >= 0:
            self.activated.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class ActionPointsBox(QGroupBox):
    """`changed` after a point was made, changed or finished (Today and the timeline follow)."""

    changed = Signal()

    def __init__(
        self, sessions: SessionFactory, actor: Callable[[], Actor] | Actor,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("action_points")
        self._sessions = sessions
        self._actor: Callable[[], Actor] = actor if callable(actor) else (lambda: actor)
        self.client_id: int | None = None
        self.points: list[PointRow] = []
        self.summary = QLabel()
        self.summary.setObjectName("action_points_summary")
        self.table = PointsTable(0, 3)
        self.table.setObjectName("action_points_table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the buttons
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        self.table.setMinimumHeight(160)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(2, WHO_WIDTH)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)  # wrapped whole, never cut
        self.table.activated.connect(lambda index: self.act_on(index.row()))
        self.table.currentCellChanged.connect(lambda *_cells: self._update_buttons())
        self.new_button = QPushButton()
        self.new_button.setObjectName("new_action_point")
        self.new_button.clicked.connect(self.new_point)
        self.done_button = QPushButton()
        self.done_button.setObjectName("action_point_done")
        self.done_button.clicked.connect(lambda: self.act_on(self.table.currentRow()))
        self.change_button = QPushButton()
        self.change_button.setObjectName("change_action_point")
        self.change_button.clicked.connect(self.change_point)
        self.drop_button = QPushButton()
        self.drop_button.setObjectName("drop_action_point")
        self.drop_button.clicked.connect(self.drop_point)
        self.new_action = QAction(self)
        self.new_action.setShortcut(QKeySequence(NEW_SHORTCUT))
        self.new_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.new_action.triggered.connect(self.new_point)
        self.addAction(self.new_action)
        self.message = error_label()
        self.message.setObjectName("action_points_message")
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.new_button)
        buttons = QHBoxLayout()
        for button in (self.done_button, self.change_button, self.drop_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.retranslate()
        self.show_client(None)

    def retranslate(self) -> None:
        self.setTitle(_("Action points"))
        self.new_button.setText(_("&New action point… ({key})").format(
            key=QKeySequence(NEW_SHORTCUT).toString(QKeySequence.SequenceFormat.NativeText)))  # fmt: skip
        self.change_button.setText(_("C&hange…"))
        self.drop_button.setText(_("No longer &needed…"))
        self.table.setHorizontalHeaderLabels([_("Due on"), _("Action point"), _("Who and when")])
        self.table.setAccessibleName(_("Action points"))
        self.show_client(self.client_id)  # dates and names in the new language

    # --- showing ----------------------------------------------------------------------
    def show_client(self, client_id: int | None) -> None:
        current = self._current() if client_id == self.client_id else None
        keep = current.id if current is not None else None
        self.client_id = client_id
        self.setEnabled(client_id is not None)
        self.new_action.setEnabled(client_id is not None)
        self.message.hide()
        self.points = []
        if client_id is not None:
            with self._sessions() as session:
                try:
                    self.points = action_points.of_client(session, self._actor(), client_id)
                except ServiceError as exc:  # no longer this counsellor's file to read
                    self.message.setText(str(exc))
                    self.message.show()
        self._fill(keep)

    def refresh(self) -> None:
        self.show_client(self.client_id)

    def _fill(self, keep: int | None) -> None:
        today = local_today()
        self.table.setRowCount(len(self.points))
        for row, point in enumerate(self.points):
            cells, details = self._cells(point, today), self._details(point)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(isolated(text))
                item.setToolTip(details)
                if point.overdue(today):
                    item.setForeground(QBrush(OVERDUE))
                    if column == 0:
                        font = QFont(item.font())
                        font.setBold(True)
                        item.setFont(font)
                elif point.status != S.OPEN:
                    item.setForeground(QBrush(FINISHED))
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        open_points = [p for p in self.points if p.status == S.OPEN]
        overdue = sum(1 for p in open_points if p.overdue(today))
        text = ngettext("{n} open", "{n} open", len(open_points)).format(n=len(open_points))
        if overdue:
            text = format_list([text, ngettext("{n} overdue", "{n} overdue", overdue)
                                .format(n=overdue)])  # fmt: skip
        self.summary.setText(text if self.points else _("No action points yet."))
        ids = [p.id for p in self.points]
        if self.points:
            self.table.setCurrentCell(ids.index(keep) if keep in ids else 0, 0)
        self._update_buttons()

    def _cells(self, point: PointRow, today: dt.date) -> list[str]:
        """The due date (and "overdue" in words), the point with what came of it, and who
        agreed it when, or who finished it when."""
        due = format_date(point.due_on, "short") if point.due_on else _("no date")
        if point.overdue(today):
            due += "\n" + _("overdue")
        title = point.title
        if point.outcome:
            title += "\n" + _("Outcome: {text}").format(text=point.outcome)
        if point.status == S.OPEN:
            made = self._local_day(point.created_at)
            who = _("Agreed {date} by {name}").format(
                date=made, name=isolated(point.made_by) or _("(unknown)")
            )
            if point.from_conversation:
                who += " " + _("(guided conversation)")
        else:
            assert point.done_at is not None  # a finished point knows when
            template = (
                _("Done {date} by {name}")
                if point.status == S.DONE
                else _("No longer needed since {date} ({name})")
            )
            who = template.format(date=self._local_day(point.done_at), name=isolated(point.done_by) or _("(unknown)"))  # fmt: skip
        return [due, title, who]

    def _details(self, point: PointRow) -> str:
        """Everything about a point, for its tooltip: the table wraps, the tooltip never cuts."""
        lines = [point.title]
        if point.due_on is not None:
            lines.append(self._due_text(point))
        made = _("Agreed {date} by {name}").format(date=self._local_day(point.created_at),
                                                  name=point.made_by or _("(unknown)"))  # fmt: skip
        lines.append(made + (" " + _("(guided conversation)") if point.from_conversation else ""))
        if point.done_at is not None:
            template = (
                _("Done {date} by {name}")
                if point.status == S.DONE
                else _("No longer needed since {date} ({name})")
            )
            lines.append(template.format(date=self._local_day(point.done_at), name=point.done_by or _("(unknown)")))  # fmt: skip
        if point.outcome:
            lines.append(_("Outcome: {text}").format(text=point.outcome))
        return "\n".join(lines)

    @staticmethod
    def _local_day(at: dt.datetime) -> str:
        return format_date(at.astimezone(local_now().tzinfo).date(), "short")

    def _current(self) -> PointRow | None:
        row = self.table.currentRow()
        return self.points[row] if 0 <= row < len(self.points) else None

    def _update_buttons(self) -> None:
        point = self._current()
        is_open = point is not None and point.status == S.OPEN
        self.done_button.setText(_("&Done…") if point is None or is_open else _("&Reopen"))
        self.done_button.setEnabled(point is not None)
        self.change_button.setEnabled(is_open)
        self.drop_button.setEnabled(is_open)

    # --- acting -----------------------------------------------------------------------
    def _write(self, call: Callable[[Session, Actor], object]) -> Refusal:
        """Run one change in a session of its own; the refusal by field, or None when saved.
        A refusal that concerns no one field (a colleague's change came first, the file is no
        longer open to this counsellor) reads the list again, so it shows what is stored."""
        refusal: Refusal = None

        def report(errors: dict[str, str]) -> None:
            nonlocal refusal
            refusal = errors

        with self._sessions() as session:
            commit_or_report(session, lambda: call(session, self._actor()), report)
        if refusal is None or "" in refusal:
            self.refresh()
        if refusal is None:
            self.changed.emit()
        return refusal

    def _fresh(self, point_id: int) -> PointRow | None:
        return next((p for p in self.points if p.id == point_id), None)

    def new_point(self) -> None:
        if self.client_id is None:
            return
        client_id = self.client_id
        dialog = PointDialog(_("New action point"), "", local_today() + dt.timedelta(days=NEW_DUE_DAYS),
                             lambda title, due: self._write(lambda s, a: action_points.create(
                                 s, a, client_id, title, due)), self)  # fmt: skip
        dialog.exec()
        dialog.deleteLater()

    def change_point(self) -> None:
        point = self._current()
        if point is None or point.status != S.OPEN:
            return
        version = [point.version]

        def submit(title: str, due: dt.date) -> Refusal:
            refusal = self._write(lambda s, a: action_points.change(
                s, a, point.id, title, due, version=version[0]))  # fmt: skip
            self._follow(point.id, version, refusal)
            return refusal

        due_on = point.due_on or local_today() + dt.timedelta(days=NEW_DUE_DAYS)
        dialog = PointDialog(_("Change the action point"), point.title, due_on, submit, self)
        dialog.exec()
        dialog.deleteLater()

    def act_on(self, row: int) -> None:
        """Enter, Space or "Done…" on a row: done with its outcome, or reopen a finished one."""
        if not 0 <= row < len(self.points):
            return
        point = self.points[row]
        if point.status == S.OPEN:
            self._close(point, "outcome")
            return
        asked = QMessageBox.question(
            self, _("Reopen the action point"),
            _("Reopen “{title}”? What was recorded when it was finished is removed from the "
              "list; the audit trail keeps it.").format(title=point.title),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )  # fmt: skip
        if asked != QMessageBox.StandardButton.Yes:
            return
        refusal = self._write(
            lambda s, a: action_points.reopen(s, a, point.id, version=point.version)
        )
        if refusal:
            self.message.setText(" ".join(refusal.values()))
            self.message.show()

    def drop_point(self) -> None:
        point = self._current()
        if point is not None and point.status == S.OPEN:
            self._close(point, "reason")

    def _close(self, point: PointRow, field: str) -> None:
        """Ask the outcome (done) or the reason (no longer needed), then save it."""
        version = [point.version]
        dialog: ClosingDialog | None = None

        def submit(text: str) -> Refusal:
            if field == "outcome":
                refusal = self._write(lambda s, a: action_points.mark_done(
                    s, a, point.id, text, version=version[0]))  # fmt: skip
            else:
                refusal = self._write(lambda s, a: action_points.cancel(
                    s, a, point.id, text, version=version[0]))  # fmt: skip
            fresh = self._follow(point.id, version, refusal)
            if fresh is not None and dialog is not None:
                dialog.show_point(fresh.title, self._due_text(fresh))
            return refusal

        title = _("Action point done") if field == "outcome" else _("Action point no longer needed")
        dialog = ClosingDialog(field, title, submit, self)
        dialog.show_point(point.title, self._due_text(point))
        dialog.exec()
        dialog.deleteLater()

    def _follow(self, point_id: int, version: list[int], refusal: Refusal) -> PointRow | None:
        """After a refusal, the point as it is stored now: a second OK then applies to what the
        colleague saved (which the form shows), not to what was read before."""
        fresh = self._fresh(point_id) if refusal else None
        if fresh is not None:
            version[0] = fresh.version
        return fresh

    @staticmethod
    def _due_text(point: PointRow) -> str:
        if point.due_on is None:
            return ""
        return _("due {date}").format(date=format_date(point.due_on, "short"))
