"""The dispatch inbox for team leads: the dossiers waiting for a referent, the counsellor the
organisation's rules propose for each and why. The team lead may choose another counsellor for
the selected dossier (the combo under the table; Enter or F2 in the table goes there), then
assigns all or the selected dossiers. Afterwards the list shows what is left, with the reason
nobody was chosen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.db import SessionFactory
from app.i18n import _, format_number, ngettext
from app.language_names import display_name
from app.services.errors import ServiceError, ValidationFailed
from app.services.privacy.access import Actor
from app.services.team import dispatch
from app.ui.fields import error_label

COUNSELLOR_COLUMN, REASON_COLUMN = 5, 6
WIDEST_COLUMN = 220  # px; longer texts are elided, whole in their tooltip


class _Table(QTableWidget):
    """Enter or F2 on a row takes the keyboard to the row's counsellor choice."""

    def __init__(self, dialog: DispatchDialog) -> None:
        super().__init__(0, 7)
        self._dialog = dialog

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2):
            self._dialog.counsellor.setFocus()  # the arrow keys choose there; Alt+Down opens it
            return
        super().keyPressEvent(event)


class DispatchDialog(QDialog):
    def __init__(
        self, sessions: SessionFactory, actor: Actor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dispatch_dialog")
        self.setWindowTitle(_("Dispatch inbox"))
        self._sessions, self._actor = sessions, actor
        self.proposal: dispatch.Proposal | None = None
        self.overrides: dict[int, int | None] = {}
        self.count = QLabel()
        self.count.setObjectName("dispatch_count")
        self.count.setWordWrap(True)
        self.table = _Table(self)
        self.table.setObjectName("dispatch_table")
        self.table.setAccessibleName(_("Dossiers waiting for a referent"))
        self.table.setHorizontalHeaderLabels([
            _("Dossier"), _("Name"), _("Municipality"), _("Language"), _("Profession"),
            _("Proposed counsellor"), _("Reason")])  # fmt: skip
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(
            REASON_COLUMN, QHeaderView.ResizeMode.Stretch
        )
        self.table.currentCellChanged.connect(lambda row, *_rest: self._follow(row))
        self.counsellor = QComboBox()
        self.counsellor.setObjectName("dispatch_counsellor")
        self.counsellor.activated.connect(self._chosen)
        chooser = QLabel(_("&Counsellor for the selected dossier:"))
        chooser.setBuddy(self.counsellor)
        self.beyond = QCheckBox(_("Go beyond a counsellor's maximum where I chose so"))
        self.outcome = QLabel()
        self.outcome.setObjectName("dispatch_result")
        self.outcome.setWordWrap(True)
        self.errors = error_label()
        self.assign_all = QPushButton(_("Assign &all"))
        self.assign_all.clicked.connect(lambda: self.assign(selected_only=False))
        self.assign_selected = QPushButton(_("Assign &selected"))
        self.assign_selected.clicked.connect(lambda: self.assign(selected_only=True))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.assign_selected, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.assign_all, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(chooser)
        row.addWidget(self.counsellor, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.count)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.beyond)
        layout.addWidget(self.errors)
        layout.addWidget(self.outcome)
        layout.addWidget(buttons)
        self.resize(1100, 600)
        self.reload()

    # --- the list ------------------------------------------------------------------------
    def reload(self) -> None:
        with self._sessions() as session:
            self.proposal = dispatch.prepare(session, self._actor)
        self.overrides = {}
        proposal = self.proposal
        away = proposal.away()
        self.counsellor.clear()
        self.counsellor.addItem(_("Nobody yet (stays in the inbox)"), None)
        for person in proposal.team.counsellors:
            load = proposal.team.loads.get(person.counsellor_id, 0)
            label = _("{name}, {office}: {open} of {maximum} open").format(
                name=person.name, office=person.office or _("no office"),
                open=format_number(load), maximum=format_number(proposal.rules.maximum_of(person.login)))  # fmt: skip
            if person.counsellor_id in away:
                label += " " + _("(away today)")
            self.counsellor.addItem(label, person.counsellor_id)
        self.table.setRowCount(len(proposal.waiting))
        for n, client in enumerate(proposal.waiting):
            cells = [client.dossier, client.name, client.municipality or "",
                     display_name(client.language) if client.language else "",
                     client.profession or client.desired_occupation or "", "", ""]  # fmt: skip
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(n, column, item)
            self._show_choice(n)
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        for column in range(REASON_COLUMN):  # the reason is what a team lead reads: room for it
            header.resizeSection(column, min(header.sectionSize(column), WIDEST_COLUMN))
        header.setSectionResizeMode(REASON_COLUMN, QHeaderView.ResizeMode.Stretch)
        self._count()
        if proposal.waiting:
            self.table.setCurrentCell(0, 0)
        self._follow(self.table.currentRow())

    def _name(self, counsellor_id: int | None) -> str:
        assert self.proposal is not None
        person = next((c for c in self.proposal.team.counsellors
                       if c.counsellor_id == counsellor_id), None)  # fmt: skip
        return f"{person.name} ({person.office})" if person and person.office else (
            person.name if person else "—")  # fmt: skip

    def choice(self, row: int) -> int | None:
        assert self.proposal is not None
        decision = self.proposal.decisions[row]
        return self.overrides.get(decision.client_id, decision.counsellor_id)

    def _show_choice(self, row: int) -> None:
        assert self.proposal is not None
        decision = self.proposal.decisions[row]
        chosen = decision.client_id in self.overrides
        who = self.choice(row)
        self.table.item(row, COUNSELLOR_COLUMN).setText(self._name(who))  # type: ignore[union-attr]
        self.table.item(row, COUNSELLOR_COLUMN).setToolTip(self._name(who))  # type: ignore[union-attr]
        reason = dispatch.Reason("chosen").text() if chosen else decision.reason()
        self.table.item(row, REASON_COLUMN).setText(reason)  # type: ignore[union-attr]
        self.table.item(row, REASON_COLUMN).setToolTip(decision.reason())  # type: ignore[union-attr]

    def _count(self) -> None:
        assert self.proposal is not None
        total = len(self.proposal.waiting)
        given = sum(1 for n in range(total) if self.choice(n) is not None)
        text = ngettext("{n} dossier waits for a referent", "{n} dossiers wait for a referent",
                        total).format(n=format_number(total))  # fmt: skip
        text += "; " + ngettext("{n} has a counsellor chosen.", "{n} have a counsellor chosen.",
                                given).format(n=format_number(given))  # fmt: skip
        self.count.setText(text if total else _("No dossier waits for a referent."))
        for button in (self.assign_all, self.assign_selected):
            button.setEnabled(given > 0)

    def _follow(self, row: int) -> None:
        valid = self.proposal is not None and 0 <= row < len(self.proposal.waiting)
        self.counsellor.setEnabled(valid)
        if valid:
            self.counsellor.setCurrentIndex(max(0, self.counsellor.findData(self.choice(row))))
            client = self.proposal.waiting[row]  # type: ignore[union-attr]
            self.counsellor.setAccessibleName(
                _("Counsellor for {dossier}").format(dossier=client.dossier)
            )

    def _chosen(self, index: int) -> None:
        row = self.table.currentRow()
        if self.proposal is None or row < 0:
            return
        decision = self.proposal.decisions[row]
        wanted = self.counsellor.itemData(index)
        if wanted == decision.counsellor_id:
            self.overrides.pop(decision.client_id, None)
        else:
            self.overrides[decision.client_id] = wanted
        self._show_choice(row)
        self._count()

    # --- assigning -----------------------------------------------------------------------
    def assign(self, *, selected_only: bool) -> dispatch.Applied | None:
        assert self.proposal is not None
        rows = sorted({i.row() for i in self.table.selectedIndexes()}) if selected_only \
            else range(len(self.proposal.waiting))  # fmt: skip
        decisions = []
        overrides: dict[int, int] = {}
        for row in rows:
            decision = self.proposal.decisions[row]
            who = self.choice(row)
            if who is None:
                continue
            decisions.append(decision)
            if decision.client_id in self.overrides:
                overrides[decision.client_id] = who
        try:
            with self._sessions() as session:
                applied = dispatch.apply(session, self._actor, decisions, overrides,
                                         allow_over_maximum=self.beyond.isChecked())  # fmt: skip
                session.commit()
        except ValidationFailed as exc:
            self.errors.setText("\n".join(exc.errors.values()))
            self.errors.show()
            return None
        except dispatch.ReferentMeanwhile as exc:
            self.reload()  # the inbox as it is now: those given a referent have left it
            self.outcome.clear()
            self.errors.setText(str(exc))
            self.errors.show()
            return None
        except ServiceError as exc:
            self.errors.setText(str(exc))
            self.errors.show()
            return None
        self.errors.hide()
        self.reload()
        assert self.proposal is not None
        self.outcome.setText(dispatch.summary(applied, len(self.proposal.waiting)))
        return applied
