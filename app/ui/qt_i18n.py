"""The interface language on the Qt side: Qt's own translations (standard buttons and dialogs),
the layout direction (right to left for Arabic), and switching all of it while windows are open.

`apply_language()` is the one way the language changes in the desktop app. It delivers Qt's
`LanguageChange` event to every window at once; a window or dialog that mixes in
`FollowsLanguage` answers it by calling its own `retranslate()`, which sets its texts again
without touching what the person has typed.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from app import pseudo_locale
from app.i18n import LANGUAGES, PSEUDO_LOCALE, current_language, is_right_to_left, set_language

_installed: list[QTranslator] = []


class PseudoQtTranslator(QTranslator):
    """Qt's own texts (OK, Cancel, the file dialog) in the pseudo-language too."""

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        return pseudo_locale.pseudo(source)

    def isEmpty(self) -> bool:
        return False


def install_qt_translations(language: str) -> None:
    """Qt's catalog, default locale and layout direction for an already active `language`."""
    app = QCoreApplication.instance()
    if app is None:
        return
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    translator = QTranslator(app)
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if language == pseudo_locale.CODE:
        translator = PseudoQtTranslator(app)
        app.installTranslator(translator)
        _installed.append(translator)
    elif translator.load(QLocale(language), "qtbase", "_", path):
        app.installTranslator(translator)
        _installed.append(translator)
    # the same locale as Babel's (nl_BE, fr_BE, en_GB): date edits show dates as labels do
    QLocale.setDefault(QLocale(LANGUAGES.get(language, PSEUDO_LOCALE)))
    if isinstance(app, QGuiApplication):
        right_to_left = is_right_to_left(language)
        app.setLayoutDirection(
            Qt.LayoutDirection.RightToLeft if right_to_left else Qt.LayoutDirection.LeftToRight
        )


def apply_language(code: str | None) -> str:
    """Make `code` the interface language now, in every open window; returns the code used."""
    language = set_language(code)
    install_qt_translations(language)
    if isinstance(QCoreApplication.instance(), QApplication):
        # Qt posts LanguageChange to the windows when a translator changes (not when none
        # does, e.g. between two languages without a Qt catalog): deliver it now, to every
        # window, so the whole interface has switched when this returns
        for window in QApplication.topLevelWidgets():
            QCoreApplication.sendEvent(window, QEvent(QEvent.Type.LanguageChange))
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
    return language


class FollowsLanguage:
    """Mixed into a window or dialog (before its Qt class) that has a `retranslate()`: it is
    called once for each change of language, however many LanguageChange events Qt sends."""

    _translated_into: str | None = None  # unknown until the first change: translate then

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            language = current_language()
            if self._translated_into != language:
                self._translated_into = language
                self.language_changed()
        super().changeEvent(event)  # type: ignore[misc]

    def language_changed(self) -> None:
        self.retranslate()  # type: ignore[attr-defined]
