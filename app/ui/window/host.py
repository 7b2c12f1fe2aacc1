"""What the caseload window's controllers may ask of the window: each controller types its
host with one of these Protocols, never as the window itself, so it can reach only this."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow, QWidget
    from sqlalchemy.orm import Session

    from app.db import Database
    from app.services.privacy.access import Actor
    from app.services.privacy.signing_in import SignInTarget as Vault
    from app.ui.ui_settings import UiSettings
    from app.ui.window.long_actions import LongActions

#: How long a message stays in the status bar.
STATUS_MS = 15000


class WindowHost(Protocol):
    """Every controller's view of the window: sessions, who works, the selected client."""

    settings: UiSettings

    def sessions(self) -> Session:
        """A new session for one user action; refused while the caseload is locked."""
        ...

    def actor(self) -> Actor: ...

    def window(self) -> QMainWindow:
        """The window itself, as the parent of dialogs (QWidget.window)."""
        ...

    def show_status(self, text: str, milliseconds: int = STATUS_MS) -> None: ...

    def selected_client(self) -> int | None: ...

    def open_client(self, client_id: int) -> None: ...

    def refresh_caseload(self) -> None:
        """Clients were added or changed elsewhere: the table, its counts, today's list."""
        ...

    @property
    def locked(self) -> bool: ...

    @property
    def long_actions(self) -> LongActions:
        """Around an action that keeps its session while the event loop turns."""
        ...


class ActivityHost(WindowHost, Protocol):
    def client_activity_changed(self, client_id: int) -> None:
        """A contact, an appointment or a referral of this client: its open file shows it."""
        ...


class OversightHost(WindowHost, Protocol):
    def reload_client_file(self) -> None:
        """The organisation's settings changed what the open file shows."""
        ...


class FileHost(WindowHost, Protocol):
    """The window as the backups, the import and the restore see it."""

    vault: Vault | None

    @property
    def database(self) -> Database: ...

    @property
    def database_closed(self) -> bool: ...

    def close_database(self) -> None: ...


class LockHost(WindowHost, Protocol):
    """The window as locking sees it: what to hide while locked, what to show after."""

    @property
    def database(self) -> Database: ...

    def hide_clients(self, cover: QWidget) -> None:
        """Nothing about a client stays visible or reads the database; `cover` (the lock
        screen) takes the caseload's place, without menus or toolbar."""
        ...

    def show_clients(self) -> None:
        """After a sign-in: the caseload of whoever signed in, in place of the cover."""
        ...


class FiguresHost(WindowHost, Protocol):
    @property
    def database_closed(self) -> bool: ...

    def acting_counsellor_id(self) -> int | None: ...


class ConversationHost(WindowHost, Protocol):
    """The window as the Conversations menu sees it: the open file and its refresh."""

    def open_client_id(self) -> int | None:
        """The client whose file is open (not someone else's shown by name only)."""
        ...

    def reload_client_file(self) -> None:
        """A conversation was started or finished: the open file's runs and fields anew."""
        ...

    def client_activity_changed(self, client_id: int) -> None:
        """A referral or action point made in a conversation: the file's timeline."""
        ...
