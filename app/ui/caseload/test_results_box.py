"""The client file's test results (source 000): the tests taken, newest first — when, which
test, the language, the level, passed or not, and by whom — and a form to add one or correct
the chosen one, usable from the keyboard alone (Alt+letter to each field, Enter to save).
A team lead or an administrator may remove a result recorded by mistake.

Self-contained like the timeline: it takes the session factory and the actor and is shown a
client with `show_client`; it opens a session per action and keeps none."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.db import SessionFactory
from app.i18n import _, current_locale, date_hint, format_date, isolated
from app.models.results import CEFR_LEVELS, TestKind
from app.services.caseload import test_results
from app.services.errors import ServiceError
from app.services.privacy.access import Actor
from app.services.validation import field_label
from app.ui.form_dialog import commit_or_report

_FORM = ("kind", "language", "level", "passed", "taken_on", "taken_by", "note")


class TestResultsBox(QGroupBox):
    __test__ = False  # not a pytest class, whatever its name
    changed = Signal()

    def __init__(
        self, sessions: SessionFactory, actor: Callable[[], Actor], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("test_results")
        self._sessions, self._actor = sessions, actor
        self.client_id: int | None = None
        self.editing: tuple[int, int] | None = None  # the result being corrected, its version
        self.result_ids: list[int] = []
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("test_results_table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # no word cut off
        header.setStretchLastSection(True)
        self.table.setMinimumHeight(110)
        self.table.doubleClicked.connect(lambda _index: self.correct_chosen())
        self.inputs: dict[str, QComboBox | QLineEdit] = {
            "kind": QComboBox(), "language": QComboBox(), "level": QComboBox(),
            "passed": QComboBox(), "taken_on": QLineEdit(), "taken_by": QLineEdit(),
            "note": QLineEdit(),
        }  # fmt: skip
        self.labels: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name in _FORM:
            widget = self.inputs[name]
            widget.setObjectName(f"test_{name}")
            if isinstance(widget, QLineEdit):
                widget.returnPressed.connect(self.save)
            label = QLabel()
            label.setBuddy(widget)
            self.labels[name] = label
            form.addRow(label, widget)
        self.error = QLabel()
        self.error.setObjectName("test_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        self.save_button = QPushButton()
        self.save_button.setObjectName("test_save")
        self.save_button.clicked.connect(self.save)
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.clear_form)
        self.correct_button = QPushButton()
        self.correct_button.setObjectName("test_correct")
        self.correct_button.clicked.connect(self.correct_chosen)
        self.remove_button = QPushButton()
        self.remove_button.setObjectName("test_remove")
        self.remove_button.clicked.connect(self.remove_chosen)
        rows = QHBoxLayout()
        rows.addWidget(self.correct_button)
        rows.addWidget(self.remove_button)
        rows.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(rows)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        order = [self.table, self.correct_button, self.remove_button,
                 *(self.inputs[name] for name in _FORM), self.save_button, self.cancel_button]  # fmt: skip
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)
        self.retranslate()
        self.show_client(None)

    # --- texts ------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setTitle(_("Test results"))
        mnemonics = {"kind": _("&Test:"), "language": _("La&nguage:"), "level": _("Le&vel:"),
                     "passed": _("&Passed:"), "taken_on": _("Ta&ken on:"), "taken_by": _("Taken &by:"),
                     "note": _("Not&e:")}  # fmt: skip
        for name, label in self.labels.items():
            label.setText(mnemonics[name])
            self.inputs[name].setAccessibleName(field_label(name))
        self.table.setHorizontalHeaderLabels([field_label("taken_on"), field_label("kind"),
                                              field_label("language"), field_label("level"),
                                              field_label("passed"), field_label("taken_by")])  # fmt: skip
        self.table.setAccessibleName(_("Test results"))
        self.correct_button.setText(_("&Correct the chosen result"))
        self.remove_button.setText(_("Re&move…"))
        self.cancel_button.setText(_("Clear the form"))
        self._fill_choices()
        self._set_save_text()
        line = self.inputs["taken_on"]
        assert isinstance(line, QLineEdit)
        line.setPlaceholderText(date_hint())

    def _set_save_text(self) -> None:
        self.save_button.setText(
            _("&Save the correction") if self.editing else _("&Add the result")
        )

    def _fill_choices(self, languages: list[str] | None = None) -> None:
        kind, language, level, passed = (
            self.inputs[n] for n in ("kind", "language", "level", "passed")
        )
        assert isinstance(kind, QComboBox) and isinstance(language, QComboBox)
        assert isinstance(level, QComboBox) and isinstance(passed, QComboBox)
        chosen = {n: self._value(n) for n in ("kind", "language", "level", "passed")}
        names = current_locale().languages
        if languages is None:
            languages = [str(language.itemData(i)) for i in range(1, language.count())]
        for combo, items in (
            (kind, [(k.value, k.label) for k in TestKind]),
            (language, [("", "—"), *((c, self._language_name(c, names)) for c in languages)]),
            (level, [("", "—"), *((lv, lv) for lv in CEFR_LEVELS)]),
            (passed, [("unknown", _("Not known")), ("yes", _("Yes")), ("no", _("No"))]),
        ):
            combo.clear()
            for data, text in items:
                combo.addItem(text, data)
        for name, value in chosen.items():
            box = self.inputs[name]
            assert isinstance(box, QComboBox)
            box.setCurrentIndex(max(0, box.findData(value)))

    @staticmethod
    def _language_name(code: str, names: Any) -> str:
        name = names.get(code.replace("-", "_").split("_")[0], code)
        return str(name[:1].upper() + name[1:])

    # --- showing ----------------------------------------------------------------------
    def show_client(self, client_id: int | None) -> None:
        self.client_id = client_id
        self.setEnabled(client_id is not None)
        self.clear_form()
        rows: list[tuple[int, list[str]]] = []
        languages: list[str] = []
        oversight = False
        if client_id is not None:
            actor = self._actor()
            oversight = actor.is_team_lead or actor.is_admin
            try:
                with self._sessions() as session:
                    found = test_results.of_client(session, actor, client_id)
                    languages = test_results.language_choices(session, client_id)
                    rows = [(r.id, self._row(r)) for r in found]
            except ServiceError:  # a file that is not open to this counsellor shows nothing
                rows = []
        self.result_ids = [result_id for result_id, _cells in rows]
        self.table.setRowCount(len(rows))
        for row, (_result_id, cells) in enumerate(rows):
            for column, text in enumerate(cells):
                item = QTableWidgetItem(isolated(text))
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        self._fill_choices(languages)
        self.correct_button.setEnabled(bool(rows))
        self.remove_button.setVisible(oversight)
        self.remove_button.setEnabled(bool(rows))

    def _row(self, result: Any) -> list[str]:
        names = current_locale().languages
        passed = {True: _("Yes"), False: _("No"), None: "—"}[result.passed]
        return [format_date(result.taken_on, "short"), TestKind(result.kind).label,
                self._language_name(result.language, names) if result.language else "—",
                result.level or "—", passed, result.taken_by or ""]  # fmt: skip

    # --- the form ---------------------------------------------------------------------
    def _value(self, name: str) -> Any:
        widget = self.inputs[name]
        return widget.currentData() if isinstance(widget, QComboBox) else widget.text()

    def values(self) -> dict[str, Any]:
        return {name: self._value(name) for name in _FORM}

    def clear_form(self) -> None:
        self.editing = None
        for widget in self.inputs.values():
            if isinstance(widget, QComboBox):
                widget.setCurrentIndex(0)
            else:
                widget.clear()
        self.error.hide()
        self._set_save_text()

    def _chosen(self) -> int | None:
        row = self.table.currentRow()
        return self.result_ids[row] if 0 <= row < len(self.result_ids) else None

    def correct_chosen(self) -> None:
        """Load the chosen result into the form; saving then corrects it."""
        result_id = self._chosen()
        if result_id is None:
            return
        with self._sessions() as session:
            result = test_results.get(session, result_id)
            shown = {"kind": TestKind(result.kind).value, "language": result.language or "",
                     "level": result.level or "", "taken_by": result.taken_by or "",
                     "passed": {True: "yes", False: "no", None: "unknown"}[result.passed],
                     "taken_on": format_date(result.taken_on, "short"), "note": result.note or ""}  # fmt: skip
            self.editing = (result.id, result.version)
        for name, value in shown.items():
            widget = self.inputs[name]
            if isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(0, widget.findData(value)))
            else:
                widget.setText(value)
        self._set_save_text()
        self.inputs["kind"].setFocus(Qt.FocusReason.OtherFocusReason)

    def save(self) -> None:
        if self.client_id is None:
            return
        client_id, values, editing = self.client_id, self.values(), self.editing
        with self._sessions() as session:

            def act() -> object:
                if editing is None:
                    return test_results.record(session, self._actor(), client_id, values)
                return test_results.correct(
                    session, self._actor(), editing[0], values, version=editing[1]
                )

            saved = commit_or_report(session, act, self._report)
        if saved is None:
            return  # what was typed stays in the form
        self.show_client(client_id)
        self.changed.emit()

    def _report(self, errors: dict[str, str]) -> None:
        self.error.setText("\n".join(errors.values()))
        self.error.show()
        first = next((name for name in _FORM if name in errors), None)
        if first is not None:
            self.inputs[first].setFocus(Qt.FocusReason.OtherFocusReason)

    def remove_chosen(self) -> None:
        result_id, client_id = self._chosen(), self.client_id
        if result_id is None or client_id is None:
            return
        row = self.table.currentRow()
        items = [self.table.item(row, column) for column in range(4)]
        what = " · ".join(item.text() for item in items if item is not None)
        asked = QMessageBox.question(self, _("Remove test result"),
                                     _("Remove this test result from the file? {result}\nIt cannot be brought back; "
                                       "the audit trail keeps that it was removed.").format(result=what))  # fmt: skip
        if asked != QMessageBox.StandardButton.Yes:
            return
        with self._sessions() as session:

            def act() -> bool:
                test_results.delete(session, self._actor(), result_id)
                return True

            removed = commit_or_report(session, act, self._report)
        if removed:
            self.show_client(client_id)
            self.changed.emit()
