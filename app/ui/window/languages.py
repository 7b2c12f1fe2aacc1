"""Settings → Language: each language in its own name, listed when the menu first opens (each
name costs CLDR data at start-up), and the choice stored and applied to every open window."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QWidget

from app.i18n import _, current_language, language_names
from app.ui.qt_i18n import apply_language
from app.ui.ui_settings import UiSettings


class LanguageController(QObject):
    def __init__(self, settings: UiSettings, menu: QMenu, parent: QWidget) -> None:
        super().__init__(parent)
        self._settings = settings
        self.menu = menu
        self.group = QActionGroup(self)
        self.menu.aboutToShow.connect(self._fill)

    def switch_language(self, code: str) -> None:
        """Store the choice and switch every open window to it; nothing typed is lost."""
        language = apply_language(code)
        self._settings.set("language", language)

    def _fill(self) -> None:
        if self.group.actions():
            return
        for code, name in language_names().items():  # each language in its own name
            action = QAction(name, self.menu, checkable=True, checked=code == current_language())
            action.setData(code)
            action.triggered.connect(lambda _checked, c=code: self.switch_language(c))
            self.group.addAction(action)
            self.menu.addAction(action)

    def retranslate(self) -> None:
        self.menu.setTitle(_("&Language"))

    def language_changed(self) -> None:
        """The language in use checked (the menu is filled by now)."""
        self._fill()
        for action in self.group.actions():
            action.setChecked(action.data() == current_language())
