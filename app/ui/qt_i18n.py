"""Qt's own translations (standard buttons and dialogs), kept in step with the UI language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app import pseudo_locale
from app.i18n import LANGUAGES, PSEUDO_LOCALE

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
