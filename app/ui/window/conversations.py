"""The caseload window's guided conversations: the Conversations menu, with "Start a guided
conversation…" (Ctrl+Shift+G; Ctrl+G is the agenda) for the client whose file is open — the
script and the channel asked, an unfinished run of that script resumed — and "Print a blank
questionnaire…" (any script, any document language, for an information session). The client
file's own "On paper…" prints for that client (`ScriptRunsBox.print_blank`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMenuBar,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.db import SessionFactory
from app.i18n import _
from app.models.enums import ScriptChannel
from app.services.errors import ServiceError
from app.ui.window.activity import may_work_on

if TYPE_CHECKING:
    from app.services.scripts.definition import Script
    from app.ui.scripts.script_wizard import ScriptWizard
    from app.ui.window.host import ConversationHost

SHORTCUT = "Ctrl+Shift+G"


class StartConversationDialog(QDialog):
    """Which script, on which channel, with this client; the button says Start or Resume."""

    def __init__(self, sessions: SessionFactory, client_id: int, client_name: str,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("start_conversation")
        self._sessions, self.client_id = sessions, client_id
        self.setWindowTitle(_("Start a guided conversation"))
        self.script = QComboBox()
        self.script.setObjectName("start_script")
        from app.services.scripts.loader import default_catalogue  # loaded after the first frame

        for item in sorted(default_catalogue().scripts.values(), key=lambda s: _(s.title)):
            self.script.addItem(_(item.title), item.id)
        self.channel = QComboBox()
        self.channel.setObjectName("start_channel")
        for channel in ScriptChannel:
            self.channel.addItem(channel.label, channel.value)
        form = QFormLayout()
        form.addRow(_("Client:"), QLabel(client_name))
        for text, widget in ((_("&Script:"), self.script), (_("C&hannel:"), self.channel)):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.start = buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.start.setObjectName("start_go")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.start.setDefault(True)  # once in the dialog: Enter starts from any field
        self.script.currentIndexChanged.connect(self._update_start)
        self._update_start()
        self.script.setFocus()

    def _update_start(self) -> None:
        from app.ui.scripts.script_runs_box import resumes

        resume = resumes(self._sessions, self.client_id, self.script.currentData())
        self.start.setText(_("&Resume") if resume else _("S&tart"))


class ConversationController(QObject):
    """The Conversations menu and the wizard it opened (one at a time)."""

    def __init__(self, host: ConversationHost, menu_bar: QMenuBar) -> None:
        super().__init__(host.window())
        self._host = host
        self.actions = {
            "start": QAction(host.window(), shortcut=QKeySequence(SHORTCUT)),
            "blank": QAction(host.window()),
        }
        self.actions["start"].triggered.connect(self.start_conversation)
        self.actions["blank"].triggered.connect(self.print_blank)
        self.menu = menu_bar.addMenu("")
        self.menu.addActions(list(self.actions.values()))
        self.wizard: ScriptWizard | None = None
        self._wizard_client: int | None = None

    def retranslate(self) -> None:
        texts = {"start": _("Start a &guided conversation…"),
                 "blank": _("&Print a blank questionnaire…")}  # fmt: skip
        for key, action in self.actions.items():
            action.setText(texts[key])
        self.menu.setTitle(_("Con&versations"))

    def start_conversation(self) -> None:
        """For the open client: the script and channel asked, then the wizard."""
        title = _("Start a guided conversation")
        client_id = self._host.open_client_id()
        if client_id is None:
            QMessageBox.information(self._host.window(), title,
                                    _("Open a client's file first: find the client (Ctrl+F) and press Enter, then {key}.")
                                    .format(key=QKeySequence(SHORTCUT).toString(QKeySequence.SequenceFormat.NativeText)))  # fmt: skip
            return
        if not may_work_on(self._host, client_id, title):
            return
        from app.services.caseload import clients

        with self._host.sessions() as session:
            name = clients.get_client(session, client_id).full_name
        dialog = StartConversationDialog(self._host.sessions, client_id, name, self._host.window())
        if not dialog.exec():
            return
        from app.services.scripts.loader import default_catalogue
        from app.ui.scripts.script_runs_box import begin

        script = default_catalogue().get(dialog.script.currentData())
        try:
            opening = begin(self._host.sessions, self._host.actor(), client_id, script,
                            ScriptChannel(dialog.channel.currentData()))  # fmt: skip
        except ServiceError as exc:
            QMessageBox.warning(self._host.window(), title, str(exc))
            return
        self._open_wizard(opening.run_id, script, opening.client_name, client_id)

    def _open_wizard(self, run_id: int, script: Script, client_name: str, client_id: int) -> None:
        from app.ui.scripts.script_wizard import ScriptWizard

        if self.wizard is not None:
            self.wizard.close()  # its answers are kept; one wizard at a time
        self.wizard = ScriptWizard(self._host.sessions, self._host.actor, run_id, script,
                                   client_name, self._host.window())  # fmt: skip
        self.wizard.setWindowFlag(Qt.WindowType.Window)
        self._wizard_client = client_id
        self.wizard.run_changed.connect(self._run_changed)
        self.wizard.show()
        self._host.reload_client_file()  # the file lists the run (unfinished)

    def _run_changed(self, _run_id: int) -> None:
        if self.wizard is None or not self.wizard.run_finished or self._wizard_client is None:
            return  # an answer: nothing in the file changes until the run is finished
        self._host.reload_client_file()
        self._host.client_activity_changed(self._wizard_client)

    def close_wizard(self) -> None:
        """Before the caseload locks or closes: the wizard shows a client."""
        if self.wizard is not None:
            self.wizard.close()
            self.wizard.deleteLater()
            self.wizard = None

    def print_blank(self) -> None:
        from app.ui.scripts.blank_form import BlankFormDialog

        dialog = BlankFormDialog(self._host.window())
        if dialog.exec() and dialog.saved is not None:
            self._host.show_status(_("Saved as {file}.").format(file=dialog.saved))
