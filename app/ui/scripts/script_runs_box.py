"""The guided conversations of a client file: the runs so far (newest first, unfinished ones
marked), opening one (resuming it, or showing its result), starting a script on a chosen
channel — an unfinished run of the same script is resumed instead of started twice (`begin`,
also used by the window's Conversations menu) — and the chosen script on paper for this
client (in the client's language, the dossier in the file name)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.db import SessionFactory
from app.i18n import _, format_datetime
from app.models import ScriptRun
from app.models.enums import ScriptChannel
from app.services.caseload import clients
from app.services.errors import ServiceError
from app.services.privacy.access import Actor
from app.services.scripts import runs
from app.services.scripts.definition import Script
from app.services.scripts.loader import Catalogue, default_catalogue
from app.ui.fields import error_label
from app.ui.scripts.script_result import script_result_label
from app.ui.scripts.script_wizard import ScriptWizard


@dataclass(frozen=True)
class Opening:
    """What opening the wizard on a run needs, read in the action's session."""

    run_id: int
    script_id: str
    script_version: int
    client_name: str

    @classmethod
    def of(cls, run: ScriptRun, client_name: str) -> Opening:
        return cls(run.id, run.script_id, run.script_version, client_name)


def begin(
    sessions: SessionFactory, actor: Actor, client_id: int, script: Script, channel: ScriptChannel
) -> Opening:
    """The client's unfinished run of the script, or a new one (committed); a refusal
    (ServiceError) leaves nothing written."""
    with sessions() as session:
        run = runs.unfinished(session, client_id, script.id)
        if run is None:
            run = runs.start(session, actor, client_id, script, channel)
            session.commit()
        return Opening.of(run, clients.get_client(session, client_id).full_name)


def resumes(sessions: SessionFactory, client_id: int | None, script_id: str | None) -> bool:
    """Whether starting this script with the client resumes an unfinished run."""
    if client_id is None or script_id is None:
        return False
    with sessions() as session:
        return runs.unfinished(session, client_id, script_id) is not None


class ScriptRunsBox(QGroupBox):
    """`changed` when a finished run may have changed the client file (not on every answer)."""

    changed = Signal()

    def __init__(
        self, sessions: SessionFactory, actor: Callable[[], Actor],
        catalogue: Catalogue | None = None, parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("script_runs")
        self._sessions, self._actor = sessions, actor
        self.catalogue = catalogue or default_catalogue()
        self.client_id: int | None = None
        self.wizard: ScriptWizard | None = None
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("script_runs_table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMaximumHeight(150)
        self.table.activated.connect(lambda index: self.open_run(self._run_ids[index.row()]))
        self.script = QComboBox()
        self.script.setObjectName("script_choice")
        self.channel = QComboBox()
        self.channel.setObjectName("script_channel")
        self.start_button = QPushButton()
        self.start_button.setObjectName("script_start")
        self.start_button.clicked.connect(self.start)
        self.paper_button = QPushButton()
        self.paper_button.setObjectName("script_paper")
        self.paper_button.clicked.connect(self.print_blank)
        self.script.currentIndexChanged.connect(self._update_start_text)
        self.script_label, self.channel_label = QLabel(), QLabel()
        self.script_label.setBuddy(self.script)
        self.channel_label.setBuddy(self.channel)
        choose = QFormLayout()  # two rows: the client file panel is narrow
        channel_row = QHBoxLayout()
        channel_row.addWidget(self.channel, 1)
        channel_row.addWidget(self.start_button)
        channel_row.addWidget(self.paper_button)
        choose.addRow(self.script_label, self.script)
        choose.addRow(self.channel_label, channel_row)
        self.error = error_label()
        self.note = QLabel()
        self.note.setObjectName("script_note")
        self.note.setWordWrap(True)
        self.note.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(choose)
        layout.addWidget(self.error)
        layout.addWidget(self.note)
        self._run_ids: list[int] = []
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(_("Guided conversations"))
        self.table.setHorizontalHeaderLabels([_("Started"), _("Script"), _("Channel"), _("Result")])
        self.script_label.setText(_("&Script:"))
        self.channel_label.setText(_("C&hannel:"))
        self.paper_button.setText(_("On &paper…"))
        self.paper_button.setToolTip(
            _("Print the chosen script as a blank questionnaire for this client")
        )
        current_script, current_channel = self.script.currentData(), self.channel.currentData()
        self.script.blockSignals(True)
        self.script.clear()
        for item in sorted(self.catalogue.scripts.values(), key=lambda s: _(s.title)):
            self.script.addItem(_(item.title), item.id)
        self.script.setCurrentIndex(max(0, self.script.findData(current_script)))
        self.script.blockSignals(False)
        self.channel.clear()
        for channel in ScriptChannel:
            self.channel.addItem(channel.label, channel.value)
        self.channel.setCurrentIndex(max(0, self.channel.findData(current_channel)))
        self._update_start_text()
        self.show_client(self.client_id)  # the wizard follows the language on its own

    def show_client(self, client_id: int | None) -> None:
        if client_id != self.client_id:
            self.note.hide()  # another client's saved form
        self.client_id = client_id
        self.setEnabled(client_id is not None)
        self.error.hide()
        rows: list[tuple[int, list[str]]] = []  # the table keeps ids and texts only
        if client_id is not None:
            with self._sessions() as session:
                rows = [(run.id, self._row(run)) for run in runs.of_client(session, client_id)]
        self._run_ids = [run_id for run_id, _texts in rows]
        self.table.setRowCount(len(rows))
        for i, (_run_id, texts) in enumerate(rows):
            for column, text in enumerate(texts):
                self.table.setItem(i, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self._update_start_text()

    def _row(self, run: ScriptRun) -> list[str]:
        script = self.catalogue.scripts.get(run.script_id)
        title = _(script.title) if script else run.script_id
        if run.finished_at is None:
            result = _("unfinished, can be resumed")
        elif script is None:
            result = run.result or ""
        else:
            result = _(script_result_label(script, run.override_result or run.result or ""))
            if run.override_result:
                result += " " + _("(your judgement)")
        return [format_datetime(run.started_at, "short"), f"{title} v{run.script_version}",
                ScriptChannel(run.channel).label, result]  # fmt: skip

    def _update_start_text(self) -> None:
        resume = resumes(self._sessions, self.client_id, self.script.currentData())
        self.start_button.setText(_("&Resume") if resume else _("S&tart"))

    def print_blank(self) -> None:
        """The chosen script on paper, in the client's language, the dossier in its name."""
        if self.client_id is None:
            return
        from app.ui.scripts.blank_form import BlankFormDialog

        with self._sessions() as session:
            client = clients.get_client(session, self.client_id)
            language, dossier, name = client.contact_language, client.dossier, client.full_name
        dialog = BlankFormDialog(self, catalogue=self.catalogue, script_id=self.script.currentData(),
                                 language=language, dossier=dossier, client_name=name)  # fmt: skip
        if dialog.exec() and dialog.saved is not None:
            self.note.setText(_("Saved as {file}.").format(file=dialog.saved))
            self.note.show()

    # --- opening the wizard ---------------------------------------------------------------
    def start(self) -> None:
        if self.client_id is None:
            return
        client_id, script = self.client_id, self.catalogue.get(self.script.currentData())
        channel = ScriptChannel(self.channel.currentData())
        try:
            opening = begin(self._sessions, self._actor(), client_id, script, channel)
        except ServiceError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self._open(opening)

    def open_run(self, run_id: int) -> None:
        try:
            actor = self._actor()
            with self._sessions() as session:
                run = runs.get(session, actor, run_id)
                opening = Opening.of(run, clients.get_client(session, run.client_id).full_name)
        except ServiceError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self._open(opening)

    def _open(self, opening: Opening) -> None:
        script = self.catalogue.scripts.get(opening.script_id)
        if script is None or script.version != opening.script_version:
            self.error.setText(_("This run used version {version} of a script Traject no longer "
                                 "has; its answers are kept in the file.").format(version=opening.script_version))  # fmt: skip
            self.error.show()
            return
        if self.wizard is not None:
            self.wizard.close()
        self.wizard = ScriptWizard(self._sessions, self._actor, opening.run_id, script,
                                   opening.client_name, self)  # fmt: skip
        self.wizard.setWindowFlag(Qt.WindowType.Window)
        self.wizard.run_changed.connect(self._run_changed)
        self.wizard.show()
        self.show_client(self.client_id)

    def _run_changed(self, _run_id: int) -> None:
        self.show_client(self.client_id)
        if self.wizard is not None and self.wizard.run_finished:
            self.changed.emit()  # finishing and its actions may change client file fields
