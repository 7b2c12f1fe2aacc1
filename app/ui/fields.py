"""Editable field widgets with their label and the validation message shown beneath them."""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, date_hint, format_date
from app.models.enums import LabelledEnum
from app.services.validation import (
    date_format_message,
    field_label,
    labelled,
    mask_national_number,
    typed_date,
)
from app.ui.language_picker import LanguageBox, LanguagesEdit

ERROR_STYLE = "color: #b00020;"


def error_label(*, hidden: bool = True) -> QLabel:
    """A wrapping message line in the error colour, for under a field or a form; hidden until
    there is something to say, unless it is an empty line that keeps its place."""
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    if hidden:
        label.hide()
    return label


class FieldEditor(QWidget):
    """One field: an editor plus a message line. Emits `committed(field, value)` on edit."""

    committed = Signal(str, object)

    def __init__(self, field: str, editor: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.editor = editor
        self.editor.setObjectName(f"field_{field}")
        self.message = QLabel(self)
        self.message.setObjectName(f"error_{field}")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(editor)
        layout.addWidget(self.message)
        self.editor.setAccessibleName(field_label(field))

    def show_error(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        self.editor.setProperty("invalid", True)
        self.editor.setStyleSheet("border: 1px solid #b00020;")

    def clear_error(self) -> None:
        self.message.clear()
        self.message.hide()
        self.editor.setStyleSheet("")

    @property
    def has_error(self) -> bool:
        return self.message.isVisible() or bool(self.message.text())

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def accept(self, value: Any) -> None:
        """The save succeeded: show the value as stored (normalised)."""
        self.set_value(value)

    def retranslate(self) -> None:
        self.editor.setAccessibleName(field_label(self.field))


class TextField(FieldEditor):
    def __init__(
        self, field: str, parent: QWidget | None = None, display: Callable[[Any], str] = str
    ) -> None:
        super().__init__(field, QLineEdit(), parent)
        self.line: QLineEdit = self.editor  # type: ignore[assignment]
        self._display = display
        self._shown = ""
        self._value: Any = None
        self.line.editingFinished.connect(self._finished)
        # Qt sends editingFinished only for text changed since it last did: Return on the same
        # text after a failed save (a full disk) must still try again
        self._sent: str | None = None
        self.line.returnPressed.connect(self._retry)

    def set_value(self, value: Any) -> None:
        self._value = value
        self._show_value()
        self.clear_error()

    def _show_value(self) -> None:
        self._shown = "" if self._value in (None, "") else self._display(self._value)
        self.line.setText(self._shown)

    def retranslate(self) -> None:
        super().retranslate()
        if self.line.text() == self._shown:  # not being edited: shown in the new format
            self._show_value()

    def _finished(self) -> None:
        text = self.line.text()
        if text != self._shown or self.has_error:
            self._sent = text
            self.committed.emit(self.field, self.parse(text))

    def _retry(self) -> None:
        if self.has_error and self.line.text() == self._sent:
            self.committed.emit(self.field, self.parse(self._sent))

    def parse(self, text: str) -> Any:
        return text


class DateField(TextField):
    """A date typed in the UI locale's short form; a text that is no date is reported here."""

    class Unparsable(str):
        pass

    def __init__(self, field: str, parent: QWidget | None = None) -> None:
        super().__init__(field, parent, display=lambda d: format_date(d, "short"))
        self._problem = ""
        self.line.setPlaceholderText(date_hint())

    def retranslate(self) -> None:
        super().retranslate()
        self.line.setPlaceholderText(date_hint())

    def parse(self, text: str) -> Any:
        try:
            return typed_date(text)
        except ValueError as exc:
            self._problem = str(exc)
            return DateField.Unparsable(text)

    def bad_date_message(self) -> str:
        """What is wrong with the text last typed: the form to type, or the date that does
        not exist ("31/02/1999 does not exist: February 1999 has 28 days.")."""
        return labelled(field_label(self.field), self._problem or date_format_message())


class MaskedLine(QLineEdit):
    """Shows a masked value until it gets focus (national numbers in a shared office)."""

    def __init__(self) -> None:
        super().__init__()
        self.clear_value = ""

    def show_masked(self) -> None:
        self.setText(mask_national_number(self.clear_value))

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.setText(self.clear_value)
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if self.text() == self.clear_value:
            self.show_masked()


class MaskedField(TextField):
    def __init__(self, field: str, parent: QWidget | None = None) -> None:
        FieldEditor.__init__(self, field, MaskedLine(), parent)
        self.line = self.editor  # type: ignore[assignment]
        self._display = str
        self._shown = ""
        self._value = None
        self.line.editingFinished.connect(self._finished)

    def set_value(self, value: Any) -> None:
        line: MaskedLine = self.line  # type: ignore[assignment]
        line.clear_value = self._shown = self._value = value or ""
        if line.hasFocus():
            line.setText(line.clear_value)
        else:
            line.show_masked()
        self.clear_error()


class ChoiceField(FieldEditor):
    """A combo box over an enum's members (labels translated), or over given (value, label)."""

    def __init__(
        self,
        field: str,
        choices: Callable[[], list[tuple[Any, str]]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(field, QComboBox(), parent)
        self.combo: QComboBox = self.editor  # type: ignore[assignment]
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.setMinimumContentsLength(14)
        self._choices = choices
        self._fill()
        self.combo.activated.connect(self._activated)

    def _fill(self) -> None:
        current = self.combo.currentData()
        self.combo.blockSignals(True)
        self.combo.clear()
        for value, label in self._choices():
            self.combo.addItem(label, value)
        if current is not None:
            self.combo.setCurrentIndex(max(0, self.combo.findData(current)))
        self.combo.blockSignals(False)

    def set_value(self, value: Any) -> None:
        data = value.value if isinstance(value, enum.Enum) else value
        self.combo.setCurrentIndex(max(0, self.combo.findData(data)))
        self.clear_error()

    def _activated(self, index: int) -> None:
        self.committed.emit(self.field, self.combo.itemData(index))

    def retranslate(self) -> None:
        super().retranslate()
        self._fill()


def enum_choices(enum_class: type[Any]) -> Callable[[], list[tuple[Any, str]]]:
    return lambda: [(m.value, m.label) for m in enum_class]


class YesNoField(ChoiceField):
    """Yes, no, or not known yet (stored as True, False or None)."""

    def __init__(self, field: str, parent: QWidget | None = None) -> None:
        super().__init__(
            field, lambda: [("", _("Not known")), ("yes", _("Yes")), ("no", _("No"))], parent
        )

    def set_value(self, value: Any) -> None:
        super().set_value({True: "yes", False: "no"}.get(value, ""))


class ChecksField(FieldEditor):
    """Several of an enum's members, as check boxes in columns; every tick saves the list."""

    def __init__(
        self,
        field: str,
        enum_class: type[LabelledEnum],
        columns: int = 3,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(field, QWidget(), parent)
        grid = QGridLayout(self.editor)
        grid.setContentsMargins(0, 0, 0, 0)
        self._enum = enum_class
        self.boxes: dict[str, QCheckBox] = {}
        for i, member in enumerate(enum_class):
            box = QCheckBox()
            box.setObjectName(f"{field}_{member.value}")
            box.toggled.connect(self._toggled)
            grid.addWidget(box, i // columns, i % columns)
            self.boxes[member.value] = box
        self._filling = False
        self.retranslate()

    def set_value(self, value: Any) -> None:
        chosen = set(value or [])
        self._filling = True
        for key, box in self.boxes.items():
            box.setChecked(key in chosen)
        self._filling = False
        self.clear_error()

    def value(self) -> list[str]:
        return [key for key, box in self.boxes.items() if box.isChecked()]

    def _toggled(self) -> None:
        if not self._filling:
            self.committed.emit(self.field, self.value())

    def retranslate(self) -> None:
        super().retranslate()
        for member in self._enum:
            self.boxes[member.value].setText(member.label)


class LanguageField(FieldEditor):
    """One language (the contact language): typed by name or code and chosen from a list,
    shown by its name in the interface language, saved as its code."""

    def __init__(self, field: str, parent: QWidget | None = None) -> None:
        super().__init__(field, LanguageBox(), parent)
        self.box: LanguageBox = self.editor  # type: ignore[assignment]
        self.box.chosen.connect(lambda value: self.committed.emit(self.field, value))

    def set_value(self, value: Any) -> None:
        self.box.set_code(value or None)
        self.clear_error()

    def retranslate(self) -> None:
        super().retranslate()
        if not self.has_error:  # a refused text stays as typed
            self.box.retranslate()


class LanguagesField(FieldEditor):
    """Several languages (the other languages), separated by commas, each completed by name;
    shown by their names, saved as a list of codes."""

    def __init__(self, field: str, parent: QWidget | None = None) -> None:
        super().__init__(field, LanguagesEdit(), parent)
        self.edit: LanguagesEdit = self.editor  # type: ignore[assignment]
        self.edit.chosen.connect(lambda value: self.committed.emit(self.field, value))

    def set_value(self, value: Any) -> None:
        self.edit.set_codes(list(value or []))
        self.clear_error()

    def retranslate(self) -> None:
        super().retranslate()
        if not self.has_error:
            self.edit.retranslate()
