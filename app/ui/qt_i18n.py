"""Qt's own translations (standard buttons and dialogs), kept in step with the UI language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.i18n import LANGUAGES

_installed: list[QTranslator] = []


def install_qt_translations(language: str) -> None:
    app = QCoreApplication.instance()
    if app is None:
        return
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    translator = QTranslator(app)
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(language), "qtbase", "_", path):
        app.installTranslator(translator)
        _installed.append(translator)
    # the same locale as Babel's (nl_BE, fr_BE, en_GB): date edits show dates as labels do
    QLocale.setDefault(QLocale(LANGUAGES.get(language, language)))
