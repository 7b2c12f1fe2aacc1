"""Choosing languages by name: type part of a name ("Turk", "turc", "Türkçe") or a code and
choose from the list that drops down, with the arrow keys and Enter. `LanguageBox` holds one
language (a combo box: its arrow lists every language, the frequent ones first);
`LanguagesEdit` holds several, separated by commas, each completed the same way. Both show
names in the interface language and give codes (see `app.language_names`).

Qt's own completer filters on one text; this one filters on every name a language has (in
the interface language, in English, in its own) and ignores case and diacritics, so the
model is filtered here and the completer shows it as it is (UnfilteredPopupCompletion).
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import (
    QAbstractProxyModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QFocusEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QCompleter, QLineEdit, QWidget

from app.i18n import _, current_language, is_right_to_left
from app.language_names import FREQUENT, choices, code_for, display_name
from app.models.text import fold

CODE_ROLE = Qt.ItemDataRole.UserRole
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 1
#: Separators between several languages (the Arabic comma too)
SEPARATORS = re.compile(r"[,;،]")
AnyIndex = QModelIndex | QPersistentModelIndex


class LanguageFilter(QSortFilterProxyModel):
    """The languages whose names contain what is typed; names that start with it first, then
    names with a word that starts with it, then the frequent languages, then the others."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.query = ""
        self._rank = {code: i for i, code in enumerate(FREQUENT)}

    def set_query(self, text: str) -> None:
        self.query = fold(text.strip())
        self.invalidate()
        self.sort(0)

    def filterAcceptsRow(self, row: int, parent: AnyIndex) -> bool:
        search = self.sourceModel().index(row, 0, parent).data(SEARCH_ROLE)
        return bool(search) and bool(self.query) and self.query in search

    def _key(self, index: AnyIndex) -> tuple[int, int, int]:
        name = fold(index.data())
        if name.startswith(self.query):
            kind = 0
        elif any(word.startswith(self.query) for word in re.split(r"[\s\-()]+", name)):
            kind = 1
        else:
            kind = 2
        return kind, self._rank.get(index.data(CODE_ROLE), len(self._rank)), index.row()

    def lessThan(self, left: AnyIndex, right: AnyIndex) -> bool:
        return self._key(left) < self._key(right)


def language_model(model: QStandardItemModel, *, empty: bool) -> None:
    """Fill `model`: no language (when `empty`), the frequent languages, then every language
    in alphabetical order of its name; only the alphabetical rows are searched (once each)."""
    model.clear()
    if empty:
        item = QStandardItem("—")
        item.setData(None, CODE_ROLE)
        item.setData(_("No language"), Qt.ItemDataRole.AccessibleTextRole)
        model.appendRow(item)
    for code in FREQUENT:
        item = QStandardItem(display_name(code))
        item.setData(code, CODE_ROLE)
        model.appendRow(item)
    separator = QStandardItem()
    separator.setData("separator", Qt.ItemDataRole.AccessibleDescriptionRole)  # as QComboBox's
    separator.setFlags(Qt.ItemFlag.NoItemFlags)
    model.appendRow(separator)
    for language in choices():
        item = QStandardItem(language.name)
        item.setData(language.code, CODE_ROLE)
        item.setData(language.search, SEARCH_ROLE)
        model.appendRow(item)


def language_completer(source: QStandardItemModel, widget: QWidget) -> QCompleter:
    """A completer over the searched rows of `source`, for `widget`, filtered as typed."""
    proxy = LanguageFilter(widget)
    proxy.setSourceModel(source)
    completer = QCompleter(proxy, widget)
    completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setMaxVisibleItems(12)
    completer.setWidget(widget)
    return completer


def _show_completions(completer: QCompleter, text: str) -> None:
    proxy = completer.model()
    assert isinstance(proxy, LanguageFilter)
    proxy.set_query(text)
    popup = popup_of(completer)
    if proxy.rowCount() and proxy.query:
        completer.complete()
        popup.setCurrentIndex(QModelIndex())  # nothing chosen until an arrow key says so
    else:
        popup.hide()


def popup_of(completer: QCompleter) -> QAbstractItemView:
    popup = completer.popup()
    assert popup is not None  # a popup completer always has its list
    return popup


def _chosen_code(completer: QCompleter, text: str) -> Any:
    """The code of the row chosen in the completer's list (the one highlighted when it was
    activated; by its name when none is)."""
    index = popup_of(completer).currentIndex()
    return _code_of(completer, index) if index.isValid() else code_for(text)


def _code_of(completer: QCompleter, index: QModelIndex) -> Any:
    """The code of a row in the completer's list (its own model over the filter)."""
    completion = completer.completionModel()
    if isinstance(completion, QAbstractProxyModel) and index.model() is completion:
        index = completion.mapToSource(index)
    proxy = completer.model()
    assert isinstance(proxy, LanguageFilter)
    return proxy.mapToSource(index).data(CODE_ROLE)


class LanguageBox(QComboBox):
    """One language, typed or chosen. `chosen` gives the code, None for no language, or the
    text typed when it names no language (the service says why it is refused)."""

    chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None, *, empty: bool = True) -> None:
        super().__init__(parent)
        self._empty = empty
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(16)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(16)
        self.languages = QStandardItemModel(self)
        self.setModel(self.languages)
        # the combo box's own completer would write the first name that starts with the text
        self.setCompleter(None)  # type: ignore[arg-type]  # Qt takes None: no completer
        self.completer_ = language_completer(self.languages, self.line)
        self.completer_.activated.connect(self._completed)
        self._code: str | None = None
        self._sent: object = None
        self.line.textEdited.connect(self._edited)
        self.line.editingFinished.connect(self._finished)
        self.activated.connect(self._activated)
        self.retranslate()

    def ensure_listed(self) -> None:
        """Every language is listed when first needed (typing, the arrow button), not when
        the field is made: a client file opens without naming ~600 languages per picker."""
        if self.languages.rowCount() == 0:
            self.blockSignals(True)
            language_model(self.languages, empty=self._empty)
            self.blockSignals(False)
            self._show(self._code)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.ensure_listed()  # the arrow keys step through the list
        super().focusInEvent(event)

    def showPopup(self) -> None:
        self.ensure_listed()
        super().showPopup()

    def _edited(self, text: str) -> None:
        if self.languages.rowCount() == 0:
            self.ensure_listed()
            self.line.setText(text)  # as typed, not the name of the language shown before
        _show_completions(self.completer_, text)

    @property
    def line(self) -> QLineEdit:
        line = self.lineEdit()
        assert line is not None  # editable
        return line

    def retranslate(self) -> None:
        """The names in the interface language; the language chosen stays chosen."""
        self.blockSignals(True)
        self.languages.clear()  # listed anew in the new language when next needed
        self.blockSignals(False)
        self.line.setPlaceholderText(_("Type a language or a code"))
        self._show(self._code)

    def set_code(self, code: str | None) -> None:
        """Show a stored code by its name (a code without a name stays as it is)."""
        self._sent = code or None
        self._show(code)

    def _show(self, code: str | None) -> None:
        self._code = code or None
        self.blockSignals(True)
        if not self.languages.rowCount():
            self.setCurrentIndex(-1)
        elif self._code is None:
            self.setCurrentIndex(0 if self._empty else -1)
        else:
            self.setCurrentIndex(self.findData(self._code, CODE_ROLE))
        self.blockSignals(False)
        self.line.setText(display_name(self._code) if self._code else "")

    def code(self) -> str | None:
        return self._code

    def value(self) -> object:
        """The code of what the field says, None when it is empty, else the text as typed."""
        text = self.line.text().strip()
        if not text or text == "—":
            return None
        if self._code and text == display_name(self._code):
            return self._code
        return code_for(text) or text

    def text_value(self) -> str | None:
        """`value` as a text: the code, or what is typed when it names no language."""
        value = self.value()
        return None if value is None else str(value)

    def _completed(self, text: str) -> None:
        self._take(_chosen_code(self.completer_, text))

    def _activated(self, index: int) -> None:
        self._take(self.itemData(index, CODE_ROLE))

    def _finished(self) -> None:
        if popup_of(self.completer_).isVisible():
            return  # Enter in the list chooses there (`_completed`)
        value = self.value()
        if value is None or value == self._code or code_for(str(value)) is not None:
            self._take(value)  # shown by its name
        else:
            self._send(value)  # names no language: the text stays, the refusal says why

    def _take(self, code: Any) -> None:
        popup_of(self.completer_).hide()
        self._show(code)
        self._send(code)

    def _send(self, value: object) -> None:
        if value != self._sent:
            self._sent = value
            self.chosen.emit(value)


class LanguagesEdit(QLineEdit):
    """Several languages, separated by commas: each is completed as it is typed. `chosen` gives
    the list of codes (an item that names no language stays as typed)."""

    chosen = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.languages = QStandardItemModel(self)
        self.completer_ = language_completer(self.languages, self)
        self.completer_.activated.connect(self._completed)
        self._codes: list[str] = []
        self.textEdited.connect(self._edited)
        self.editingFinished.connect(self._finished)
        self.retranslate()

    def retranslate(self) -> None:
        self.languages.clear()  # listed anew in the new language when next needed
        self.setPlaceholderText(_("Type languages, separated by commas"))
        self.setToolTip(
            _("Type part of a language's name or its code and choose it from the list; "
              "separate several languages with commas.")
        )  # fmt: skip
        self.set_codes(self._codes)

    @staticmethod
    def separator() -> str:
        return "، " if is_right_to_left(current_language()) else ", "

    def set_codes(self, codes: list[str] | None) -> None:
        self._codes = list(codes or [])
        self.setText(self.separator().join(display_name(code) for code in self._codes))

    def items(self) -> list[str]:
        return [item.strip() for item in SEPARATORS.split(self.text()) if item.strip()]

    def value(self) -> list[str]:
        """The codes of the languages typed, in order, once each; an item that names no
        language stays as typed (the service says why it is refused)."""
        shown = {display_name(code): code for code in self._codes}
        found = [shown.get(item) or code_for(item) or item for item in self.items()]
        return list(dict.fromkeys(found))

    def _edited(self, text: str) -> None:
        if self.languages.rowCount() == 0:  # listed when first needed, as LanguageBox
            language_model(self.languages, empty=False)
        last = SEPARATORS.split(text[: self.cursorPosition()])[-1]
        _show_completions(self.completer_, last)

    def _completed(self, text: str) -> None:
        code = _chosen_code(self.completer_, text)
        before = self.text()[: self.cursorPosition()]
        after = self.text()[self.cursorPosition() :]
        kept = [item.strip() for item in SEPARATORS.split(before)[:-1] if item.strip()]
        rest = [item.strip() for item in SEPARATORS.split(after)[1:] if item.strip()]
        head = self.separator().join([*kept, display_name(code)]) + self.separator()
        self.setText(head + self.separator().join(rest))
        self.setCursorPosition(len(head))
        popup_of(self.completer_).hide()

    def _finished(self) -> None:
        if popup_of(self.completer_).isVisible():
            return
        value = self.value()
        if value != self._codes:
            self.chosen.emit(value)

    def accept_codes(self, codes: list[str]) -> None:
        """The list as stored (after a save): shown by names, in the stored order."""
        self.set_codes(codes)
