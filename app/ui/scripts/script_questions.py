"""One question of a guided script as the counsellor answers it: radio buttons for yes/no and
single choice, check boxes for multiple choice, a line for text, numbers and dates, and a line
for what the client said where the script asks for it. Every change is emitted at once, so the
wizard can save it; each widget is reachable and operable by keyboard alone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, date_hint, format_date
from app.services.scripts.definition import Question, QuestionType
from app.services.validation import typed_date
from app.ui.fields import error_label


class _OptionText(QLabel):
    """The text of an answer, beside its box: wraps, and a click on it is a click on the box."""

    def __init__(self, button: QAbstractButton) -> None:
        super().__init__()
        self._button = button
        self.setWordWrap(True)
        self.setObjectName(f"{button.objectName()}_text")

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._button.isEnabled():
            self._button.setFocus(Qt.FocusReason.MouseFocusReason)
            self._button.click()
        super().mousePressEvent(event)


class QuestionWidget(QWidget):
    """Emits `answered(question_id, value, note)` when the answer or the note changes."""

    answered = Signal(str, object, object)

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = question
        self.setObjectName(f"question_{question.id}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        self.label = QLabel()
        self.label.setWordWrap(True)
        font = self.label.font()
        font.setBold(True)
        self.label.setFont(font)
        layout.addWidget(self.label)
        self.buttons: dict[str, QAbstractButton] = {}
        self.option_texts: dict[str, QLabel] = {}
        self.line: QLineEdit | None = None
        self._group: QButtonGroup | None = None
        self._filling = False
        if question.type in (QuestionType.YES_NO, QuestionType.SINGLE_CHOICE):
            self._group = QButtonGroup(self)
            for value in question.values():
                button = QRadioButton()
                self._group.addButton(button)
                self._add_button(layout, value, button)
            self._group.buttonToggled.connect(self._button_toggled)
        elif question.type == QuestionType.MULTIPLE_CHOICE:
            for value in question.values():
                box = QCheckBox()
                box.toggled.connect(self._changed)
                self._add_button(layout, value, box)
        else:
            self.line = QLineEdit()
            self.line.setObjectName(f"answer_{question.id}")
            self.line.editingFinished.connect(self._line_finished)
            layout.addWidget(self.line)
            self.label.setBuddy(self.line)
        self.note: QLineEdit | None = None
        if question.note:
            self.note = QLineEdit()
            self.note.setObjectName(f"note_{question.id}")
            self.note.editingFinished.connect(self._line_finished)
            layout.addWidget(self.note)
        self.error = error_label()
        layout.addWidget(self.error)
        self._saved_line = self._saved_note = ""
        self._date_refused = False
        self.retranslate()

    def _add_button(self, layout: QVBoxLayout, value: str, button: QAbstractButton) -> None:
        """The box and, beside it, its text in a label that wraps (a check box's own text
        does not, and the sources' answers are long); clicking the text ticks the box."""
        button.setObjectName(f"answer_{self.question.id}_{value}")
        button.setProperty("answer_value", value)
        text = _OptionText(button)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(text, 1)
        layout.addLayout(row)
        self.buttons[value] = button
        self.option_texts[value] = text

    def retranslate(self) -> None:
        self.label.setText(_(self.question.text))
        for value, button in self.buttons.items():
            text = _(self.question.option_text(value))
            self.option_texts[value].setText(text)
            button.setAccessibleName(text)
            button.setToolTip(text)
        if self.line is not None:
            if self.question.type == QuestionType.DATE:
                self.line.setPlaceholderText(date_hint())
            elif self.question.type == QuestionType.NUMBER:
                self.line.setPlaceholderText(_("a number"))
            self.line.setAccessibleName(_(self.question.text))
        if self.note is not None:
            self.note.setPlaceholderText(_("What the client said (optional)"))
            self.note.setAccessibleName(_("What the client said"))

    # --- showing a stored answer ----------------------------------------------------------
    def set_answer(self, value: Any, note: str | None) -> None:
        self._filling = True
        chosen = set(value if isinstance(value, list) else ([value] if value is not None else []))
        if self._group is not None:
            self._group.setExclusive(False)  # so that "no answer yet" can be shown again
        for key, button in self.buttons.items():
            button.setChecked(key in chosen)
        if self._group is not None:
            self._group.setExclusive(True)
        if self.line is not None:
            self._saved_line = self._shown(value)
            self.line.setText(self._saved_line)
        if self.note is not None:
            self._saved_note = note or ""
            self.note.setText(self._saved_note)
        self._filling = False

    def _shown(self, value: Any) -> str:
        if value is None:
            return ""
        if self.question.type == QuestionType.DATE:
            try:
                return format_date(dt.date.fromisoformat(str(value)), "short")
            except ValueError:
                return str(value)
        return str(value)

    def first_input(self) -> QWidget:
        """Where focus goes when the question is reached."""
        if self.buttons:
            checked = [b for b in self.buttons.values() if b.isChecked()]
            return checked[0] if checked else next(iter(self.buttons.values()))
        assert self.line is not None
        return self.line

    # --- answering ----------------------------------------------------------------------
    def value(self) -> Any:
        if self.question.type == QuestionType.MULTIPLE_CHOICE:
            return [key for key, box in self.buttons.items() if box.isChecked()]
        if self.buttons:
            return next((key for key, b in self.buttons.items() if b.isChecked()), None)
        assert self.line is not None
        text = self.line.text().strip()
        if self.question.type == QuestionType.DATE and text:
            try:
                day = typed_date(text)
            except ValueError:
                return text  # `_line_finished` says what is wrong before anything is sent
            return day.isoformat() if day is not None else None
        return text

    def date_problem(self) -> str:
        """What is wrong with a typed date, in the form the window uses (the interface
        language's short date): "" when it is a date or nothing is typed."""
        if self.question.type != QuestionType.DATE or self.line is None:
            return ""
        try:
            typed_date(self.line.text())
        except ValueError as exc:
            return _("{question}: {problem}").format(question=_(self.question.text), problem=exc)
        return ""

    def note_text(self) -> str | None:
        return self.note.text().strip() if self.note is not None else None

    def _button_toggled(self, _button: QAbstractButton, checked: bool) -> None:
        if checked:
            self._changed()

    def _line_finished(self) -> None:
        line = self.line.text() if self.line is not None else ""
        note = self.note.text() if self.note is not None else ""
        problem = self.date_problem()
        if problem:  # the text stays as typed, nothing is sent; Next waits for a date
            self.show_error(problem)
            self._date_refused = True
            return
        if self._date_refused:  # corrected, perhaps back to the answer already saved
            self._date_refused = False
            self.show_error("")
        if (line, note) != (self._saved_line, self._saved_note):
            self._saved_line, self._saved_note = line, note
            self._changed()

    def _changed(self) -> None:
        if not self._filling:
            self.answered.emit(self.question.id, self.value(), self.note_text())

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
