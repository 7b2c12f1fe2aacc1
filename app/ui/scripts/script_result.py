"""The last page of a guided script: the result with the reasons that produced it, the flags,
the counsellor's own judgement with its reason, and a button per suggested action (an action
point, a referral, the e-mail status, a consent, printing the run). A referral opens the
referral form pre-filled from the run, and once saved with the client's consent the letter
preview; the first action not yet taken has the focus, so Enter takes it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.db import SessionFactory
from app.i18n import _
from app.models import ScriptRun
from app.services.errors import ServiceError, ValidationFailed
from app.services.privacy.access import Actor
from app.services.scripts import actions, engine, referral_draft, runs
from app.services.scripts.definition import Action, Script
from app.services.scripts.referral_draft import ReferralDraft
from app.services.validation import field_label
from app.ui.fields import error_label
from app.ui.form_dialog import FormDialog
from app.ui.labels import colon
from app.ui.qt_values import full_year, python_date
from app.ui.referrals.referral_dialog import ReferralDialog, open_letters


class ActionPointDialog(FormDialog):
    """An agreed action point or assignment with its due date."""

    def __init__(self, title: str, due_on: QDate, parent: QWidget | None = None) -> None:
        super().__init__(["title"], parent)
        self.setWindowTitle(_("New action point"))
        self.edits["title"].setText(title)
        self.due_on = full_year(QDateEdit(due_on))
        self.due_on.setObjectName("new_due_on")
        self.due_on.setCalendarPopup(True)
        self.form.addRow(colon(field_label("due_on")), self.due_on)
        self.submit: Callable[[str, QDate], dict[str, str] | None] | None = None

    def _submit(self) -> None:
        assert self.submit is not None
        errors = self.submit(self.value("title"), self.due_on.date())
        if errors:
            self.show_errors(errors)
        else:
            self.accept()


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"• {line}" for line in lines)


@dataclass(frozen=True)
class ShownRun:
    """What the page shows of a finished run, read in one session and kept as plain values
    (the answers of a finished run no longer change): a language switch redraws from it."""

    run_id: int
    answers: dict[str, Any]
    result_reasons: tuple[str, ...]
    override_result: str | None
    override_reason: str | None
    taken: frozenset[str]

    @classmethod
    def of(cls, run: ScriptRun, answers: dict[str, Any]) -> ShownRun:
        return cls(run.id, answers, tuple(run.result_reasons or ()), run.override_result,
                   run.override_reason, frozenset(t["action"] for t in run.actions_taken or []))  # fmt: skip


class ScriptResultPage(QWidget):
    """Shows a finished run; `changed` after an override or an action was taken."""

    changed = Signal()

    def __init__(
        self, sessions: SessionFactory, actor: Callable[[], Actor], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._sessions, self._actor = sessions, actor
        self.shown: ShownRun | None = None
        self.script: Script | None = None
        layout = QVBoxLayout(self)
        self.result = QLabel()
        self.result.setObjectName("script_result")
        font = self.result.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.result.setFont(font)
        self.result.setWordWrap(True)
        self.explanation = QLabel()
        self.reasons = QLabel()
        self.reasons.setObjectName("script_reasons")
        self.flags = QLabel()
        self.flags.setObjectName("script_flags")
        for label in (self.explanation, self.reasons, self.flags):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for widget in (self.result, self.explanation, self.reasons, self.flags):
            layout.addWidget(widget)
        self.override_box = QGroupBox()
        row = QHBoxLayout(self.override_box)
        self.override_result = QComboBox()
        self.override_result.setObjectName("override_result")
        self.override_reason = QLineEdit()
        self.override_reason.setObjectName("override_reason")
        self.override_button = QPushButton()
        self.override_button.setObjectName("override_save")
        self.override_button.clicked.connect(self._override)
        for control in (self.override_result, self.override_reason, self.override_button):
            row.addWidget(control)
        row.setStretchFactor(self.override_reason, 1)
        layout.addWidget(self.override_box)
        self.override_error = error_label()
        layout.addWidget(self.override_error)
        self.actions_box = QGroupBox()
        self.actions_layout = QVBoxLayout(self.actions_box)
        layout.addWidget(self.actions_box)
        self.done = QLabel()
        self.done.setObjectName("action_done")
        self.done.setWordWrap(True)
        layout.addWidget(self.done)
        layout.addStretch(1)
        self.action_buttons: dict[str, QPushButton] = {}
        self.retranslate()

    def retranslate(self) -> None:
        self.override_box.setTitle(_("Your own judgement"))
        self.override_reason.setPlaceholderText(_("Why you choose another result"))
        self.override_reason.setAccessibleName(field_label("reason"))
        self.override_result.setAccessibleName(_("Result"))
        self.override_button.setText(_("Record my judgement"))
        self.actions_box.setTitle(_("Suggested actions"))
        if self.shown is not None and self.script is not None:
            self._draw(self.shown, self.script)

    def show_run(self, run_id: int, script: Script) -> None:
        """Read the run (in a session of its own) and show it."""
        actor = self._actor()  # before the session: the actor may be read in one of its own
        with self._sessions() as session:
            shown = ShownRun.of(runs.get(session, actor, run_id), runs.answers(session, run_id))
        self.shown, self.script = shown, script
        self._draw(shown, script)

    def _draw(self, run: ShownRun, script: Script) -> None:
        outcome = engine.outcome(script, run.answers)
        self.result.setText(_("Result: {result}").format(result=_(outcome.result.label)))
        self.explanation.setText(_(outcome.result.explanation))
        reasons = [_(r) for r in (run.result_reasons or outcome.result.reasons)]
        self.reasons.setText(_("Why:") + "\n" + _bullets(reasons) if reasons else "")
        self.flags.setText("\n".join(
            f"⚑ {_(f.label)}: {_(f.explanation)}\n" + _bullets([_(r) for r in f.reasons])
            for f in outcome.flags))  # fmt: skip
        self.override_result.clear()
        for item in script.results:
            self.override_result.addItem(_(item.label), item.id)
        chosen = run.override_result or outcome.result.id
        self.override_result.setCurrentIndex(self.override_result.findData(chosen))
        if run.override_result:
            self.override_reason.setText(run.override_reason or "")
            self.result.setText(_("Result: {result} (your judgement; computed: {computed})").format(
                result=_(script_result_label(script, run.override_result)),
                computed=_(outcome.result.label)))  # fmt: skip
        self._show_actions(outcome.actions, run.taken)

    def _show_actions(self, suggested: tuple[Action, ...], taken: frozenset[str]) -> None:
        for button in self.action_buttons.values():
            button.deleteLater()
        self.action_buttons = {}
        for action in suggested:
            button = QPushButton(("✓ " if action.id in taken else "") + _(action.label))
            button.setObjectName(f"action_{action.id}")
            button.clicked.connect(lambda _checked=False, a=action: self.take(a))
            self.actions_layout.addWidget(button)
            self.action_buttons[action.id] = button
        self.actions_box.setVisible(bool(suggested))

    # --- the counsellor acts ------------------------------------------------------------
    # Each action reads the run again in a session of its own and commits there; a
    # ServiceError leaves nothing written (closing the session rolls back). No session is open
    # while a form waits for the counsellor.
    def _override(self) -> None:
        assert self.shown is not None and self.script is not None
        run_id, script = self.shown.run_id, self.script
        try:
            actor = self._actor()
            with self._sessions() as session:
                runs.override(session, actor, runs.get(session, actor, run_id), script,
                              self.override_result.currentData(), self.override_reason.text())  # fmt: skip
                session.commit()
        except ValidationFailed as exc:
            self.override_error.setText(str(exc))
            self.override_error.show()
            return
        self.override_error.hide()
        self.show_run(run_id, script)
        self.changed.emit()

    def take(self, action: Action) -> None:
        """Take a suggested action; a form first where it needs more (title, who, file)."""
        assert self.shown is not None and self.script is not None
        run_id, script = self.shown.run_id, self.script
        try:
            if action.kind == "referral":
                said = self._refer(action)
            elif action.kind in ("email_status", "consent", "print"):
                asked = self._ask(action)
                if asked is None:
                    return
                actor = self._actor()
                with self._sessions() as session:
                    run = runs.get(session, actor, run_id)
                    if action.kind == "email_status":
                        said = actions.set_email_status(session, actor, run, script, action.id)
                    elif action.kind == "consent":
                        said = actions.record_consent(session, actor, run, script, action.id,
                                                      asked)  # fmt: skip
                    else:
                        path = Path(asked)
                        from app.services.scripts import run_sheet  # ReportLab: when printing

                        run_sheet.write(session, run, script, path, action)
                        runs.note_action(session, run, action.id, path.name)
                        said = _("Saved as {file}.").format(file=path)
                    session.commit()
            else:
                said = self._action_point(action)
            if not said:
                return
        except ServiceError as exc:
            said = str(exc)
        self.done.setText(said)
        self.show_run(run_id, script)
        self.changed.emit()
        QTimer.singleShot(0, self.focus_first_action)  # the new buttons show after this turn

    def focus_first_action(self) -> None:
        """The first suggested action not taken yet gets the focus (Enter takes it)."""
        taken = self.shown.taken if self.shown is not None else frozenset()
        waiting = [b for a, b in self.action_buttons.items() if a not in taken]
        if waiting:
            waiting[0].setFocus(Qt.FocusReason.OtherFocusReason)

    def _refer(self, action: Action) -> str:
        """The referral form, pre-filled from the run; saved with consent, the letters. While
        the catalogue has no offer of the type in the client's province, the counsellor
        chooses another offer or an action point to find one."""
        assert self.shown is not None and self.script is not None
        run_id, script = self.shown.run_id, self.script
        actor = self._actor()
        with self._sessions() as session:
            made = referral_draft.draft(session, actor, run_id, script, action.id)
        if made.offer_id is None:
            choice = self._no_offer(made)
            if choice is None:
                return ""
            if choice == "find":
                with self._sessions() as session:
                    said = actions.offer_to_find(session, actor, runs.get(session, actor, run_id),
                                                 script, action.id)  # fmt: skip
                    session.commit()
                return said
        dialog = ReferralDialog(self._sessions, actor, made.client_id, parent=self, draft=made)
        if not dialog.exec() or dialog.referral_id is None:
            return ""
        said = _("Referral saved: {offer}.").format(offer=dialog.offer_name)
        if not dialog.consented:
            return (
                said
                + " "
                + _("The letters wait for the client's consent (Referrals, Record consent).")
            )
        self.done.setText(said)
        open_letters(self._sessions, actor, dialog.referral_id, made.left_out, self)
        return said

    def _no_offer(self, made: ReferralDraft) -> str | None:
        """ "choose" (another offer in the form), "find" (an action point) or None (cancelled)."""
        box = QMessageBox(QMessageBox.Icon.Question, _("No offer in the province"),
                          _("The catalogue has no “{type}” offer in {where} yet.").format(
                              type=made.offer_type.label, where=made.where), parent=self)  # fmt: skip
        choose = box.addButton(_("&Choose another offer…"), QMessageBox.ButtonRole.AcceptRole)
        find = box.addButton(
            _("Make an &action point to find one"), QMessageBox.ButtonRole.AcceptRole
        )
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(choose)
        box.exec()
        clicked = box.clickedButton()
        return "choose" if clicked is choose else "find" if clicked is find else None

    def _ask(self, action: Action) -> str | None:
        """What the action needs from the counsellor first: who receives the messages (a
        consent), the file to print to; "" when it needs nothing, None when cancelled."""
        if action.kind == "consent":
            who, ok = QInputDialog.getText(
                self, _(action.label), _("Who receives the messages?"),
                text=actions.proposed_text(action, self._answers()),
            )  # fmt: skip
            return who if ok else None
        if action.kind == "print":
            name, _filter = QFileDialog.getSaveFileName(
                self, _(action.label), "", _("PDF files (*.pdf)")
            )
            return str(Path(name).with_suffix(".pdf")) if name else None
        return ""

    def _action_point(self, action: Action) -> str:
        """The form, whose Save makes the action point in a session of its own."""
        assert self.shown is not None
        run_id, given = self.shown.run_id, self._answers()
        due = actions.due_date(action, given)
        dialog = ActionPointDialog(
            actions.proposed_text(action, given), QDate(due.year, due.month, due.day), self
        )

        def submit(title: str, due_on: QDate) -> dict[str, str] | None:
            try:
                actor = self._actor()
                with self._sessions() as session:
                    actions.action_point(session, actor, runs.get(session, actor, run_id), title,
                                         python_date(due_on), action.id)  # fmt: skip
                    session.commit()
            except ValidationFailed as exc:
                return exc.errors
            return None

        dialog.submit = submit
        if not dialog.exec():
            return ""
        return _("Action point made: {title}.").format(title=dialog.value("title"))

    def _answers(self) -> dict[str, Any]:
        """The run's answers (a finished run's do not change)."""
        assert self.shown is not None
        return self.shown.answers


def script_result_label(script: Script, result_id: str) -> str:
    return next((r.label for r in script.results if r.id == result_id), result_id)
