"""Qt's own translations (standard buttons and dialogs), kept in step with the UI language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

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
    QLocale.setDefault(QLocale(language))
