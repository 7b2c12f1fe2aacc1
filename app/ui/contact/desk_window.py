"""The permanence desk: open a walk-in or telephone session, add visitors and callers to the
queue (arrival time, name or anonymous, language, question), call the next one with F2, find
or register their file with a few fields, and end the visit with its outcome (recorded as a
"permanence" contact for a known client). Closing the session shows the summary."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
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
from sqlalchemy.orm import Session

from app.db import SessionFactory
from app.i18n import _, format_datetime, format_number
from app.language_names import display_name, interpreter_note
from app.models import DeskSession
from app.models.agenda_enums import DeskKind, VisitCategory, VisitOutcome
from app.services.contact import appointments, contact_policy, permanence
from app.services.privacy.access import Actor
from app.ui.caseload.client_picker import ClientPicker
from app.ui.contact.desk_register import DeskRegistration
from app.ui.contact.desk_summary import summary_text
from app.ui.fields import error_label
from app.ui.form_dialog import commit_or_report, joined
from app.ui.language_picker import LanguageBox

T = TypeVar("T")
INTERPRETER_STYLE = "color: #8a4b00; font-weight: bold; font-size: 13pt;"
SPEAKS_STYLE = "font-weight: bold; font-size: 13pt;"


@dataclass(frozen=True)
class OpenDesk:
    """The desk session being served, as the window keeps it between actions."""

    id: int
    opened_at: dt.datetime

    @classmethod
    def of(cls, desk: DeskSession | None) -> OpenDesk | None:
        return cls(desk.id, desk.opened_at) if desk is not None else None


class DeskWindow(QDialog):
    def __init__(
        self, sessions: SessionFactory, actor: Callable[[], Actor], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("desk_window")
        self.setWindowTitle(_("Permanence desk"))
        self._sessions, self._actor = sessions, actor
        me = actor()
        with sessions() as session:
            self.desk = OpenDesk.of(permanence.current(session, me))
            points = contact_policy.load(session).contact_points
        self.summary: permanence.Summary | None = None
        # opening
        self.kind = QComboBox()
        for kind in DeskKind:
            self.kind.addItem(kind.label, kind.value)
        self.location = QComboBox()
        self.location.setEditable(True)
        for point in points:
            self.location.addItem(point.name)
        self.open_button = QPushButton(_("&Open the desk"))
        self.open_button.clicked.connect(self.open_desk)
        self.opening = QGroupBox(_("Open a session"))
        opening = QFormLayout(self.opening)
        opening.addRow(_("Kind:"), self.kind)
        opening.addRow(_("Place:"), self.location)
        opening.addRow(self.open_button)
        # arriving
        self.name = QLineEdit()
        self.name.setObjectName("visitor_name")
        self.name.setPlaceholderText(_("empty: anonymous"))
        self.language = LanguageBox()
        self.language.ensure_listed()  # the desk picks languages all day: listed at once
        self.language.setObjectName("visitor_language")
        self.category = QComboBox()
        self.category.setObjectName("visitor_category")
        for category in VisitCategory:
            self.category.addItem(category.label, category.value)
        self.add_button = QPushButton(_("&Add to the queue"))
        self.add_button.setObjectName("add_visitor")
        self.add_button.clicked.connect(self.add_visitor)
        self.name.returnPressed.connect(self.add_visitor)
        arriving = QGroupBox(_("Arrives"))
        row = QFormLayout(arriving)
        row.addRow(_("&Name:"), self.name)
        row.addRow(_("&Language:"), self.language)
        row.addRow(_("&Question:"), self.category)
        row.addRow(self.add_button)
        self.queue = QTableWidget(0, 4)
        self.queue.setObjectName("desk_queue")
        self.queue.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.queue.verticalHeader().hide()
        self.queue.horizontalHeader().setStretchLastSection(True)
        self.queue.setHorizontalHeaderLabels(
            [_("Arrived"), _("Name"), _("Language"), _("Question")]
        )
        self.next_button = QPushButton(_("&Next (F2)"))
        self.next_button.setObjectName("next_visitor")
        self.next_button.clicked.connect(self.call_next)
        self.next_action = QAction(self, shortcut=QKeySequence("F2"))
        self.next_action.triggered.connect(self.call_next)
        self.addAction(self.next_action)
        # serving
        self.serving = QLabel()
        self.serving.setObjectName("serving")
        self.picker = ClientPicker(sessions)
        self.picker.setObjectName("desk_client")
        self.picker.picked.connect(self._client_picked)
        # what the desk worker must not miss while serving: in which language, and whether
        # the file asks for an interpreter (names, not codes; read out by screen readers)
        self.speaks = QLabel()
        self.speaks.setObjectName("desk_visitor_language")
        self.speaks.setStyleSheet(SPEAKS_STYLE)
        self.speaks.hide()
        self.interpreter = QLabel()
        self.interpreter.setObjectName("desk_interpreter")
        self.interpreter.setStyleSheet(INTERPRETER_STYLE)
        self.interpreter.hide()
        self.new_file = DeskRegistration(sessions, actor, self._show, self._serving_id)
        self.new_file.chosen.connect(self._file_chosen)
        self.register_button = self.new_file.button
        self.outcome = QComboBox()
        self.outcome.setObjectName("visit_outcome")
        for outcome in VisitOutcome:
            self.outcome.addItem(outcome.label, outcome.value)
        self.note = QLineEdit()
        self.finish_button = QPushButton(_("&Finish the visit"))
        self.finish_button.setObjectName("finish_visit")
        self.finish_button.clicked.connect(self.finish)
        self.serving_box = QGroupBox(_("Serving"))
        serving = QFormLayout(self.serving_box)
        serving.addRow(self.serving)
        flags = QHBoxLayout()
        flags.addWidget(self.speaks)
        flags.addWidget(self.interpreter)
        flags.addStretch(1)
        serving.addRow(flags)
        serving.addRow(_("Find the &client:"), self.picker)
        serving.addRow(_("or new:"), self.new_file)
        serving.addRow(_("&Outcome:"), self.outcome)
        serving.addRow(_("No&te:"), self.note)
        serving.addRow(self.finish_button)
        self.close_button = QPushButton(_("&Close the session…"))
        self.close_button.setObjectName("close_desk")
        self.close_button.clicked.connect(self.close_desk)
        self.error = error_label()
        self.status = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.opening)
        top = QHBoxLayout()
        top.addWidget(arriving, 1)
        right = QVBoxLayout()
        right.addWidget(self.queue)
        buttons = QHBoxLayout()
        buttons.addWidget(self.next_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        right.addLayout(buttons)
        top.addLayout(right, 2)
        layout.addLayout(top)
        layout.addWidget(self.serving_box)
        layout.addWidget(self.error)
        layout.addWidget(self.status)
        self.resize(1000, 680)
        self.refresh()

    def _act(self, work: Callable[[Session], T]) -> T | None:
        """Run one desk step in a session of its own and commit; a refusal is shown under the
        desk and closing the session rolls it back, nothing changes. `work` returns plain
        values (ids, text), never an object of the closed session."""
        self.error.hide()
        with self._sessions() as session:
            return commit_or_report(session, lambda: work(session), self._show)

    def _show(self, errors: dict[str, str]) -> None:
        self.error.setText(joined(errors))
        self.error.show()

    def open_desk(self) -> None:
        desk = self._act(lambda session: OpenDesk.of(permanence.open_desk(
            session, self._actor(), DeskKind(self.kind.currentData()), self.location.currentText())))  # fmt: skip
        if desk is not None:
            self.desk = desk
            self.refresh()
            self.name.setFocus()

    def add_visitor(self) -> None:
        if self.desk is None:
            return
        desk_id = self.desk.id
        if self._act(lambda session: permanence.add_visitor(
                session, self._actor(), desk_id, name=self.name.text(), language=self.language.text_value(),
                category=self.category.currentData()).id):  # fmt: skip
            self.name.clear()
            self.language.set_code(None)
            self.refresh()
            self.name.setFocus()

    def call_next(self) -> None:
        if self.desk is None:
            return
        desk_id = self.desk.id
        self._act(lambda session: permanence.call_next(session, self._actor(), desk_id) is not None)
        self.refresh()
        self.picker.setFocus()

    def _client_picked(self, client_id: int | None) -> None:
        """A client who needs an interpreter says so (and in which language) once found.
        Once the visit has a file, the new-file row is emptied and closed: left filled in,
        it would invite a second file for the same person."""
        if client_id is not None:
            self.new_file.clear()
        self.new_file.setEnabled(client_id is None)
        with self._sessions() as session:
            needed = appointments.interpreter(session, client_id)
        note = interpreter_note(needed.language) if needed is not None else ""
        self.interpreter.setText("⚠ " + note if note else "")
        self.interpreter.setAccessibleName(note)
        self.interpreter.setVisible(needed is not None)

    def register(self) -> None:
        self.new_file.register()

    def _serving_id(self) -> int | None:
        if self.desk is None:
            return None
        with self._sessions() as session:
            visit = permanence.serving(session, self.desk.id)
            return visit.id if visit is not None else None

    def _file_chosen(self, client_id: int, text: str, what: str) -> None:
        """The visitor's file, new or found: the visit is for them; the desk says where the
        file went (a new one may wait for a referent, out of the desk worker's reach)."""
        self.picker.set_client(client_id, text)
        self._client_picked(client_id)
        self.status.setText(what)
        self.picker.setFocus()

    def finish(self) -> None:
        if self.desk is None:
            return
        desk_id, client_id = self.desk.id, self.picker.client_id()
        with self._sessions() as session:
            visit = permanence.serving(session, desk_id)
            if visit is None:
                return
            visit_id = visit.id
            self.error.hide()
            finished = commit_or_report(session, lambda: permanence.finish(
                session, self._actor(), visit_id, outcome=self.outcome.currentData(), client_id=client_id,
                note=self.note.text()).id, self._show)  # fmt: skip
        if finished is not None:
            self.picker.clear()
            self.picker.setEditText("")
            self._client_picked(None)
            self.note.clear()
            self.refresh()
            self.next_button.setFocus()

    def close_desk(self) -> None:
        if self.desk is None:
            return
        desk_id = self.desk.id
        summary = self._act(lambda session: permanence.close_desk(session, self._actor(), desk_id))
        if summary is not None:
            self.summary, self.desk = summary, None
            self.refresh()
            box = QMessageBox(
                QMessageBox.Icon.Information,
                _("Session summary"),
                summary_text(summary),
                parent=self,
            )
            box.setObjectName("desk_summary")
            box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            box.open()

    def _show_language(self, code: str | None) -> None:
        text = _("Speaks: {language}").format(language=display_name(code)) if code else ""
        self.speaks.setText(text)
        self.speaks.setAccessibleName(text)
        self.speaks.setVisible(bool(text))

    def refresh(self) -> None:
        open_ = self.desk is not None
        self.opening.setVisible(not open_)
        for widget in (self.add_button, self.next_button, self.close_button, self.name):
            widget.setEnabled(open_)
        rows: list[tuple[str, ...]] = []
        serving_text: str | None = None
        speaks: str | None = None
        if self.desk is not None:
            with self._sessions() as session:
                for visit in permanence.waiting(session, self.desk.id):
                    rows.append((format_datetime(visit.arrived_at, "HH:mm"), visit.visitor_name or _("anonymous"),
                                 display_name(visit.language) or "—",
                                 VisitCategory(visit.category).label))  # fmt: skip
                serving = permanence.serving(session, self.desk.id)
                if serving is not None:
                    serving_text = _("Serving {name} ({question}), waited since {time}").format(
                        name=serving.visitor_name or _("anonymous"), question=VisitCategory(serving.category).label,
                        time=format_datetime(serving.arrived_at, "HH:mm"))  # fmt: skip
                    speaks = serving.language
                    if speaks:
                        serving_text += " · " + display_name(speaks)
        self.queue.setRowCount(len(rows))
        for row, cells in enumerate(rows):
            for column, text in enumerate(cells):
                self.queue.setItem(row, column, QTableWidgetItem(text))
        self.queue.resizeColumnsToContents()
        self.serving_box.setEnabled(serving_text is not None)
        self._show_language(speaks if serving_text is not None else None)
        self.serving.setText(
            serving_text or _("Nobody is being served. Press F2 for the next visitor.")
        )
        if self.desk is not None:
            self.status.setText(_("Session open since {time} · waiting: {n}").format(
                time=format_datetime(self.desk.opened_at, "HH:mm"), n=format_number(len(rows))))  # fmt: skip
        else:
            self.status.setText("")
