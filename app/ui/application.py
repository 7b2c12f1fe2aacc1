"""Starting the desktop app: QApplication, translations, database, first start, the window."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QTimer, qVersion
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from app import __version__, crash_report, startup
from app.config import APP_NAME, PASSWORD_ENV, USER_ENV
from app.db import DatabaseError, is_encrypted_url, open_database, sqlite_path
from app.db_server import is_server_url
from app.i18n import _, current_language, is_ui_language, set_language
from app.package_data import resources
from app.services.caseload import counsellors
from app.services.errors import NotFound, ServiceError
from app.ui.main_window import MainWindow
from app.ui.qt_i18n import install_qt_translations
from app.ui.reliability.crash_shower import crash_shower
from app.ui.ui_settings import UiSettings

if TYPE_CHECKING:
    from app.services.privacy.signing_in import SignInTarget


def make_qt_app() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        app = QApplication(sys.argv[:1])
        app.setApplicationName(APP_NAME)
        app.setApplicationVersion(__version__)
        app.setOrganizationName(APP_NAME)
    # the icon of every window, drawn from the SVG by Qt's icon engine at each size asked for
    app.setWindowIcon(QIcon(str(resources() / "icons" / "traject.svg")))
    # Wayland and the task bar match the window to the installed traject.desktop entry
    app.setDesktopFileName("traject")
    return app


def choose_language(option: str | None, settings: UiSettings) -> str:
    stored = settings.text("language")
    if option and is_ui_language(option):
        return set_language(option)
    if stored and is_ui_language(stored):
        return set_language(stored)
    return set_language(QLocale.system().name())


def open_main_window(url: str, settings: UiSettings) -> MainWindow:
    """The window on `url`; an encrypted database is signed in to with the credentials in
    TRAJECT_USER and TRAJECT_PASSWORD (screenshots, the benchmark)."""
    if is_server_url(url):
        from app.services.privacy.login_throttle import LoginThrottle
        from app.services.team.server_vault import ServerVault

        on_server = ServerVault(url)
        on_server.unlock(os.environ.get(USER_ENV, ""), os.environ.get(PASSWORD_ENV, ""),
                         LoginThrottle())  # fmt: skip
        assert on_server.database is not None
        return MainWindow(on_server.database, settings, on_server)
    if not is_encrypted_url(url):
        return MainWindow(open_database(url), settings)
    from app.services.privacy import vault as vault_service
    from app.services.privacy.login_throttle import LoginThrottle

    path = sqlite_path(url)
    assert path is not None
    vault = vault_service.sign_in(path, os.environ.get(USER_ENV, ""),
                                  os.environ.get(PASSWORD_ENV, ""), LoginThrottle())  # fmt: skip
    assert vault.database is not None
    return MainWindow(vault.database, settings, vault)


def _sign_in(url: str) -> SignInTarget | None:
    """First start (set up) or login: the unlocked vault, or None when the person cancels."""
    from app.services.privacy import vault as vault_service
    from app.ui.privacy.sign_in import LoginDialog

    if is_server_url(url):
        from app.services.team.server_vault import ServerVault

        on_server = LoginDialog(ServerVault(url))
        return on_server.vault if on_server.exec() else None

    path = sqlite_path(url)
    assert path is not None
    if not vault_service.exists(path):
        from app.ui.privacy.first_start import FirstStartDialog, RecoveryKeyDialog

        setup = FirstStartDialog(path)
        if not setup.exec() or setup.vault is None:
            return None
        RecoveryKeyDialog(setup.vault.organisation, setup.recovery_key).exec()
        return setup.vault
    login = LoginDialog(vault_service.locked(path))
    return login.vault if login.exec() else None


def _ensure_counsellor(window: MainWindow) -> bool:
    """On first start there is nobody yet: ask for the counsellor's own profile."""
    with window.sessions() as session:
        if counsellors.any_active(session):
            return True
    from app.ui.caseload.dialogs import CounsellorDialog

    dialog = CounsellorDialog(window.sessions, first=True, parent=window)
    if not dialog.exec():
        return False
    window.fill_counsellors()
    return True


UPKEEP_DELAY_MS = 2000  # the file check waits until the first searches have been answered
LOG_DELAY_MS = 100  # after the first frame


def _open_window(url: str, settings: UiSettings) -> MainWindow | int:
    """The window, signed in to and shown; an exit code when the person stops or it fails."""
    vault = None
    try:
        if is_encrypted_url(url) or is_server_url(url):
            vault = _sign_in(url)
            if vault is None or vault.database is None:
                return 0
            window = MainWindow(vault.database, settings, vault)
        else:
            window = MainWindow(open_database(url), settings)
    except (DatabaseError, ServiceError) as exc:
        QMessageBox.critical(None, _("Traject cannot open the database"), str(exc))
        return 1
    window.show()
    if vault is None and not _ensure_counsellor(window):
        window.close()
        window.close_database()
        return 0
    if window.database.backup_before_migration is not None:
        window.statusBar().showMessage(
            _("The database was upgraded; a copy of the old one is at {path}.").format(
                path=window.database.backup_before_migration), 15000)  # fmt: skip
    return window


def _start_log_file(folder: Path) -> None:
    with contextlib.suppress(OSError):
        crash_report.start_logging(folder)


def run_app(url: str, lang: str | None, settings_path: Path | None = None) -> int:
    app = make_qt_app()
    settings = UiSettings(settings_path)
    install_qt_translations(choose_language(lang, settings))
    try:
        found = crash_report.log_dir()
        crash_report.trace_faults(found)
        log_folder: Path | None = found
    except OSError:
        log_folder = None  # no log folder is no reason not to work
    shown: list[MainWindow] = []  # the window now open (a restore opens a new one)
    uninstall = crash_report.install(
        crash_shower(lambda: shown[-1] if shown else None,
                     lambda: None, log_folder),  # each action's session rolls itself back
        extra={"Qt": qVersion()},
    )  # fmt: skip
    restored = None
    try:
        while True:
            window = _open_window(url, settings)
            if isinstance(window, int):
                return window
            shown.append(window)
            if restored is not None:
                window.restoring.note_restore(*restored)
            startup.resume_collector()
            if log_folder is not None:  # the log file once the window is up (stderr until then)
                QTimer.singleShot(LOG_DELAY_MS, lambda: _start_log_file(log_folder))
            QTimer.singleShot(UPKEEP_DELAY_MS, window.backups.start_upkeep)
            code = app.exec()
            window.close_database()
            if not window.restoring.reopen_requested:
                return code
            restored = (window.restoring.reopen_note, window.restoring.restored_detail)
    finally:
        uninstall()


def _work_as_referent(window: MainWindow, client_id: int) -> None:
    """On a plain demo database the screenshot works as the client's referent, so the file
    shows (signed in, the window works as whoever signed in)."""
    from app.services.caseload.assignments import current_referent

    with window.sessions() as session:
        referent = current_referent(session, client_id)
    index = window.counsellor.findData(referent.counsellor_id) if referent else -1
    if window.vault is None and index >= 0:
        window.counsellor.setCurrentIndex(index)
        window.counsellor.activated.emit(index)


def _save_png(window: MainWindow, target: Path) -> None:
    """The window as a PNG, written whole and 0600 (it shows clients' names)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    from app.private_files import write_bytes

    png = QByteArray()
    buffer = QBuffer(png)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if window.grab().save(buffer, "PNG"):
        with contextlib.suppress(OSError):
            write_bytes(target, bytes(png.data()))
            return
    raise DatabaseError(_("Could not write {file}.").format(file=target))


def take_screenshot(
    url: str,
    file: str,
    view: str,
    lang: str | None,
    settings_path: Path | None = None,
    size: tuple[int, int] = (1440, 880),
) -> int:
    """Render a view offscreen to a PNG: `caseload` or `client:DOSSIER`, at `size` pixels."""
    app = make_qt_app()
    settings = UiSettings(settings_path or Path(file).with_suffix(".screenshot.ini"))
    install_qt_translations(set_language(lang) if lang else current_language())
    window = open_main_window(url, settings)
    try:
        window.resize(*size)
        if view.startswith("client:"):
            from app.services.caseload import clients

            try:
                with window.sessions() as session:
                    client = clients.by_dossier(session, view.split(":", 1)[1])
            except NotFound as exc:
                raise DatabaseError(str(exc)) from None
            _work_as_referent(window, client.id)
            window.open_client(client.id)
        elif view != "caseload":
            raise DatabaseError(
                _("Unknown view “{view}”; use caseload or client:DOSSIER.").format(view=view)
            )
        elif window.model.rowCount():
            first = window.model.client_id(0)
            if first is not None:
                _work_as_referent(window, first)
            window.select_row(0)
        window.figures.now()
        window.show()
        for _round in range(3):
            app.processEvents()
        QTimer.singleShot(0, app.quit)
        app.exec()
        _save_png(window, Path(file))
    finally:
        window.close()
        if window.vault is not None:
            window.vault.lock()
        else:
            window.database.close()
        Path(settings.path).unlink(missing_ok=True)
    print(file)
    return 0
