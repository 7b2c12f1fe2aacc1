"""The main window: search, filters, the caseload table and the open client file.

The window's other sides are controllers in `app/ui/window/` (contacts and agenda, referrals,
oversight, languages, locking, backups and restore); each sees the window through a narrow
Protocol (`app/ui/window/host.py`). The client file and the dialogs are built (and their
modules imported) the first time they are needed: the caseload is what a counsellor waits for
at start.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from app.db import Database
from app.i18n import _
from app.services.errors import Forbidden, ServiceError
from app.services.privacy.access import Actor
from app.ui.caseload.cache_warmer import CacheWarmer
from app.ui.caseload.caseload_model import CaseloadModel
from app.ui.caseload.caseload_widgets import CaseloadTable, NoClientOpen, SearchBox
from app.ui.caseload.filter_panel import FilterPanel
from app.ui.qt_i18n import FollowsLanguage
from app.ui.ui_settings import UiSettings
from app.ui.window import memory
from app.ui.window.activity import ActivityController
from app.ui.window.backups import BackupController
from app.ui.window.conversations import ConversationController
from app.ui.window.dispatch import DispatchController
from app.ui.window.figures import StatusFigures
from app.ui.window.file_side import FileSide
from app.ui.window.host import STATUS_MS
from app.ui.window.languages import LanguageController
from app.ui.window.live import LiveUpdates
from app.ui.window.locking import LockController
from app.ui.window.long_actions import LongActions
from app.ui.window.oversight import OversightController
from app.ui.window.referrals import ReferralController
from app.ui.window.restore import RestoreController
from app.ui.window.team import TeamController
from app.ui.window.working_as import WorkingAs

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.privacy.signing_in import SignInTarget as Vault
    from app.services.reliability.startup_check import Health
    from app.ui.caseload.client_panel import ClientPanel
    from app.ui.window.file_layout import FileLayoutController

SEARCH_DELAY_MS = 150
CONTINUITY_DELAY_MS = 500  # after the window is up
CLIENT_FILE = "app.ui.caseload.client_panel"  # imported while the counsellor looks
WARM_UP_DELAY_MS = 200  # reading what searches read once, after the first frame


class MainWindow(FollowsLanguage, QMainWindow):
    """The caseload window; on an encrypted caseload (`vault`) it can lock and be unlocked."""

    def __init__(
        self, database: Database, settings: UiSettings, vault: Vault | None = None
    ) -> None:
        super().__init__()
        self.vault = vault
        self._database = database
        self.settings = settings
        self._closed = False
        self._long_actions = LongActions()
        self.model = CaseloadModel(self.sessions, self)
        self.search = SearchBox(self)
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.working_as = WorkingAs(self, vault)
        self.counsellor = self.working_as.combo
        self.filters = FilterPanel()
        self.table = CaseloadTable(self, self.model)
        # left to right, which is also the order of the Tab key: filters (and today's list,
        # under them, so the caseload keeps its width), the caseload, the client file; the
        # layout (app/ui/window/file_layout.py) narrows the caseload or gives the file a page
        self.left = QSplitter(Qt.Orientation.Vertical)
        self.left.addWidget(self.filters)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.left)
        self.splitter.addWidget(self.table)
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.figures = StatusFigures(self, self.statusBar(), self.model.matching_count)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.cache_warmer = CacheWarmer(self)
        self._scripts_loading: threading.Thread | None = None
        self._build_parts()
        self.body = self.file_layout.page(self.splitter)  # under the tabs of the file's own tab
        self.stack.addWidget(self.body)
        self.search.textChanged.connect(self._search_typed)
        self.filters.changed.connect(self.apply_filter)
        self.working_as.chosen.connect(self._counsellor_chosen)
        self.working_as.added.connect(self._update_role_actions)  # the first administrator
        self.table.selectionModel().currentRowChanged.connect(self.file.row_changed)
        self.model.modelReset.connect(self.figures.later)
        self.fill_counsellors()
        memory.restore(self, self.splitter, self.filters, settings,
                       lambda client_id: self.open_client(client_id, show_file=False))  # fmt: skip
        self.retranslate()
        self.table.fit_headers()
        self.file_layout.apply()
        self.apply_filter()
        # typing finds a client: the search has the focus once the window shows (a focused
        # table would make its first row current, and so open a file nobody asked for)
        QTimer.singleShot(0, self.focus_search)
        self.live = LiveUpdates(self)
        QTimer.singleShot(0, self.live.start)  # a team server: colleagues' changes show here
        QTimer.singleShot(CONTINUITY_DELAY_MS, self.figures.update_continuity)
        QTimer.singleShot(WARM_UP_DELAY_MS, self.warm_up)

    def _build_parts(self) -> None:
        """The toolbar, the controllers and the menus they fill, in the menu bar's order."""
        self.toolbar = toolbar = QToolBar()
        toolbar.setObjectName("main_toolbar")
        toolbar.setMovable(False)
        toolbar.addWidget(self.search)
        toolbar.addSeparator()
        toolbar.addWidget(self.working_as.label)
        toolbar.addWidget(self.counsellor)
        self.addToolBar(toolbar)
        self.search.setMinimumWidth(360)
        self.new_client_action = QAction(self, shortcut=QKeySequence(QKeySequence.StandardKey.New))
        self.new_client_action.triggered.connect(self.new_client)
        self.quit_action = QAction(self, shortcut=QKeySequence(QKeySequence.StandardKey.Quit))
        self.quit_action.triggered.connect(self.close)
        self.locking = LockController(self, self.vault)
        self.oversight = OversightController(self)
        self.backups = BackupController(self, self._damage_found)
        self.restoring = RestoreController(self, self.backups)
        self.file_menu = menu = self.menuBar().addMenu("")
        menu.addActions(
            [
                self.new_client_action,
                self.backups.import_action,
                self.working_as.new_counsellor_action,
            ]
        )
        menu.addSeparator()
        menu.addActions([self.backups.backup_action, self.backups.restore_action])
        menu.addSeparator()
        menu.addActions([self.oversight.audit_action, self.oversight.retention_action])
        menu.addSeparator()
        menu.addActions([self.locking.lock_action, self.quit_action])
        self.file: FileSide = FileSide(self, self.menuBar())
        self.file_layout: FileLayoutController = self.file.layout
        self.splitter.addWidget(self.file.no_client)
        if self.database.is_server:  # backed up where it runs; accounts are added with `user add`
            for action in (self.backups.backup_action, self.backups.restore_action,
                           self.working_as.new_counsellor_action):  # fmt: skip
                action.setEnabled(False)
        self.activity = ActivityController(self, self.menuBar())
        self.referrals = ReferralController(self, self.menuBar(), self.activity.changed)
        self.conversations = ConversationController(self, self.menuBar())
        self.conversations.menu.addSeparator()
        self.conversations.menu.addAction(self.oversight.outcomes_action)
        self.team = TeamController(self, self.menuBar())
        self.team.menu.addSeparator()
        self.dispatch = DispatchController(self)
        self.dispatch.add_to(self.team.menu)
        self.settings_menu = self.menuBar().addMenu("")
        self.settings_menu.addAction(self.oversight.org_settings_action)
        self.settings_menu.addActions([self.locking.idle_action, self.backups.folder_action])
        self.languages = LanguageController(self.settings, self.settings_menu.addMenu(""), self)
        QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search)
        self.left.addWidget(self.activity.today_box)
        self.left.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 4)  # a wider window widens the file more
        self.splitter.setSizes([170, 810, 460])

    def retranslate(self) -> None:
        title = _("Traject — caseload")
        if self.vault is not None:
            title += " — " + self.vault.organisation
        elif self.database.is_plain_sqlite:
            title += "  " + _("[unencrypted database]")
        self.setWindowTitle(title)
        self.search.setPlaceholderText(_("Search name, dossier number, phone or e-mail (Ctrl+F)"))
        self.search.setAccessibleName(_("Search clients"))
        self.file_menu.setTitle(_("&File"))
        self.settings_menu.setTitle(_("&Settings"))
        self.new_client_action.setText(_("&New client…"))
        self.quit_action.setText(_("&Quit"))
        for part in (self.working_as, self.locking, self.oversight, self.backups, self.activity, self.referrals,
                     self.conversations, self.team, self.languages, self.file_layout, self.dispatch):  # fmt: skip
            part.retranslate()
        self.table.setAccessibleName(_("Caseload"))
        self.filters.retranslate()
        self.model.retranslate()
        self.file.retranslate()
        self.figures.later()

    def language_changed(self) -> None:
        """Qt's LanguageChange (see `apply_language`): texts, dates and direction anew."""
        self.languages.language_changed()
        self.retranslate()
        if self.file.panel is not None:
            self.file.panel.show_in_new_language()
        self.model.layoutChanged.emit()  # dates and labels in the new language
        self.table.fit_headers()

    # --- what the controllers ask (app/ui/window/host.py) -----------------------------
    def sessions(self) -> Session:
        """A new session for one user action (the window's SessionFactory); refused while the
        caseload is locked or closed, so a timer or a late click cannot read it."""
        if self.locked:
            raise Forbidden(_("The caseload is locked; sign in first."))
        if self._closed:  # restored: the window is about to close
            raise Forbidden(_("This caseload was closed."))
        return self.database.sessions()

    def actor(self) -> Actor:
        """Who is working: the signed-in counsellor, or the one chosen under "Working as"."""
        if self.locked:  # nothing may read the closed database (a language switch, a timer)
            raise Forbidden(_("The caseload is locked; sign in first."))
        counsellor_id = self.acting_counsellor_id()
        if counsellor_id is None:
            raise Forbidden(_("Choose who you are under “Working as” first."))
        with self.sessions() as session:
            return Actor.load(session, counsellor_id)

    def window(self) -> QMainWindow:
        """Itself (Qt's top-level window of a top-level window), typed as a main window."""
        return self

    @property
    def database(self) -> Database:
        if self.vault is not None and self.vault.database is not None:
            return self.vault.database
        return self._database

    @property
    def locked(self) -> bool:
        return self.vault is not None and self.vault.locked

    @property
    def database_closed(self) -> bool:
        return self._closed

    def show_status(self, text: str, milliseconds: int = STATUS_MS) -> None:
        self.statusBar().showMessage(text, milliseconds)

    def selected_client(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.client_id(index.row()) if index.isValid() else None

    def refresh_caseload(self) -> None:
        if self.locked or self._closed:  # locked while a dialog was open: shown at sign-in
            return
        self.model.refresh()
        self.activity.today.refresh()
        self.figures.now()

    def activity_changed(self) -> None:
        """A colleague's appointment, contact or referral: Today and the agenda."""
        if not (self.locked or self._closed):
            self.activity.changed(None)

    # --- the client file (app/ui/window/file_side.py) ------------------------------------
    @property
    def panel(self) -> ClientPanel:
        return self.file.built()

    @property
    def no_client(self) -> NoClientOpen:
        return self.file.no_client

    def open_client_id(self) -> int | None:
        return self.file.client_id()

    def open_client(self, client_id: int, *, show_file: bool = True) -> None:
        self.file.open(client_id, show_file=show_file)

    def open_current_client(self) -> None:
        self.file.open_current()

    def client_activity_changed(self, client_id: int) -> None:
        self.file.activity_changed(client_id)

    def reload_client_file(self) -> None:
        self.file.reload()

    @property
    def long_actions(self) -> LongActions:
        return self._long_actions

    def _stop_reading(self) -> None:
        """Nothing reads the caseload, nothing about a client is shown (locked or closed)."""
        self.live.stop()
        self.figures.clear()
        self.cache_warmer.stop()
        self.activity.close_agenda()
        self.conversations.close_wizard()
        self.file.close()
        self.model.clear()
        self.activity.today.clear()

    def hide_clients(self, cover: QWidget) -> None:
        self._stop_reading()
        self.search.blockSignals(True)  # no search runs on the database being closed
        self.search.clear()
        self.search.blockSignals(False)
        self._search_timer.stop()
        self.menuBar().setEnabled(False)
        self.toolbar.hide()
        if self.stack.indexOf(cover) < 0:
            self.stack.addWidget(cover)
        self.stack.setCurrentWidget(cover)

    def show_clients(self) -> None:
        self._database = self.database
        self.live.start()
        self.fill_counsellors()
        self.stack.setCurrentWidget(self.body)
        self.menuBar().setEnabled(True)
        self.toolbar.show()
        self.apply_filter()
        self.activity.today.refresh()
        self.figures.now()
        self.focus_search()
        self.warm_up()

    def close_database(self) -> None:
        """Close the caseload for good (a restore, the end of the run)."""
        if self._closed:
            return
        self.backups.stop()
        self._stop_reading()  # not even for a change of language
        if self.vault is not None:
            self.vault.lock()
        else:
            self._database.close()
        self._closed = True

    def _damage_found(self, health: Health) -> None:
        self.restoring.offer_restore(health)

    # --- filtering --------------------------------------------------------------------
    def acting_counsellor_id(self) -> int | None:
        return self.working_as.counsellor_id()

    def apply_search_now(self) -> None:
        if self._search_timer.isActive():
            self._search_timer.stop()
            self.apply_filter()

    def apply_filter(self) -> None:
        current = self.open_client_id()
        self.model.set_filter(
            self.filters.caseload_filter(self.search.text(), self.acting_counsellor_id())
        )
        row = self.model.row_of(current) if current is not None else None
        if row is not None:
            self.select_row(row)

    def clear_search(self) -> None:
        self.search.clear()
        self.apply_search_now()
        self.focus_search()

    def _search_typed(self) -> None:
        self.file_layout.show_list()  # the results, when the file has a page of its own
        self._search_timer.start()

    def focus_search(self) -> None:
        self.file_layout.show_list()
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def select_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            index = self.model.index(row, 0)
            flags = (
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows
            )
            self.table.selectionModel().setCurrentIndex(index, flags)
            self.table.scrollTo(index)

    # --- counsellors, clients ---------------------------------------------------------
    def fill_counsellors(self) -> None:
        self.working_as.fill()
        self._update_role_actions()

    def _update_role_actions(self) -> None:
        """Offer what the working counsellor's role allows (the services check it again)."""
        try:
            actor: Actor | None = self.actor()
        except ServiceError:
            actor = None
        self.oversight.offer_for(actor)
        self.team.offer_for(actor)
        self.dispatch.offer_for(actor)

    def _counsellor_chosen(self) -> None:
        self._update_role_actions()
        self.apply_filter()
        self.activity.today.refresh()
        panel = self.file.panel
        if panel is not None:  # what the file may show depends on who is working
            panel.show_client(panel.client_id or panel.closed_client_id)

    def new_client(self) -> None:
        from app.ui.caseload.dialogs import NewClientDialog

        dialog = NewClientDialog(self.sessions, self.actor(), self)
        accepted = dialog.exec()
        if accepted and dialog.waiting_dossier is not None:
            self.show_status(_("New file {dossier}: it waits for a referent (the team leads "
                               "assign one).").format(dossier=dialog.waiting_dossier))  # fmt: skip
            self.model.refresh()
        elif accepted and dialog.file_id is not None:
            self.model.refresh()
            self.open_client(dialog.file_id)
            self.panel.focus_first_field()

    # --- after the first frame -------------------------------------------------------
    def warm_up(self) -> None:
        """After the first frame: the pages searches read, and the guided scripts."""
        hidden = self.stack.currentWidget() is not self.body  # the lock screen: no reading
        if not (self.locked or self._closed or hidden):
            self.cache_warmer.start(self.sessions)
            if self._scripts_loading is None:
                from app.services.scripts.preload import load_scripts_in_background

                self._scripts_loading = load_scripts_in_background([CLIENT_FILE])

    def closeEvent(self, event: QCloseEvent) -> None:
        self.file_layout.remember()
        wide = self.splitter if not self.table.is_compact and self.table.isVisible() else None
        memory.remember(self, wide, self.filters, self.settings)
        self.backups.finish_jobs()  # a backup in progress is finished, not torn off
        super().closeEvent(event)
