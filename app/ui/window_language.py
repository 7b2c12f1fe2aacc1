"""The caseload window's language side: Settings → Language (each language in its own name,
listed when the menu first opens) and what the window does when the language changes.
A mixin of `MainWindow`."""

from __future__ import annotations

from PySide6.QtGui import QAction

from app.i18n import current_language, language_names
from app.ui.qt_i18n import apply_language


class LanguageActions:
    """Needs the window's settings, language_menu, language_group, retranslate(), table,
    model and _panel."""

    def switch_language(self, code: str) -> None:
        """Store the choice and switch every open window to it; nothing typed is lost."""
        language = apply_language(code)
        self.settings.set("language", language)

    def _fill_language_menu(self) -> None:
        if self.language_group.actions():
            return
        for code, name in language_names().items():  # each language in its own name
            action = QAction(name, self, checkable=True, checked=code == current_language())
            action.setData(code)
            action.triggered.connect(lambda _checked, c=code: self.switch_language(c))
            self.language_group.addAction(action)
            self.language_menu.addAction(action)

    def language_changed(self) -> None:
        """Qt's LanguageChange (see `apply_language`): texts, dates and direction anew."""
        self._fill_language_menu()
        for action in self.language_group.actions():
            action.setChecked(action.data() == current_language())
        self.retranslate()
        if self._panel is not None:
            self._panel.show_in_new_language()
        self.model.layoutChanged.emit()  # dates and labels in the new language
        self.table.fit_headers()
