"""The guided-script wizard a counsellor runs with a client: one step at a time with the guidance
beside it, back and next, the progress, follow-up questions appearing as soon as an earlier
answer makes them relevant, and every answer saved (and committed) the moment it is given, so a
closed window or a killed process loses nothing and the run resumes where it stopped. The last
page is the result with its reasons and the suggested actions (`script_result`)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.db import SessionFactory
from app.i18n import _
from app.services.errors import ServiceError
from app.services.privacy.access import Actor
from app.services.scripts import engine, runs
from app.services.scripts.definition import Script, Step
from app.ui.fields import error_label
from app.ui.qt_i18n import FollowsLanguage
from app.ui.scripts.script_questions import QuestionWidget
from app.ui.scripts.script_result import ScriptResultPage


def _scrolling(content: QWidget) -> QScrollArea:
    """`content` in a vertical scroll area that gives it the area's width."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(content)
    return scroll


class ScriptWizard(FollowsLanguage, QDialog):
    """Runs `script` for an open or finished run; `run_changed` after each stored change. The
    wizard keeps the run's id, its answers and whether it is finished, never the run itself:
    each answer, the finish and each action is saved in a session of its own."""

    run_changed = Signal(int)

    def __init__(
        self, sessions: SessionFactory, actor: Callable[[], Actor], run_id: int, script: Script,
        client_name: str, parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("script_wizard")
        self._sessions, self._actor, self.run_id, self.script = sessions, actor, run_id, script
        self.run_finished = False
        self._client_name = client_name
        self.resize(980, 640)
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        self.progress_text = QLabel()
        self.progress_text.setObjectName("wizard_progress")
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        for widget in (self.heading, self.progress_text, self.progress):
            layout.addWidget(widget)
        self.pages = QStackedWidget()
        layout.addWidget(self.pages, 1)
        self.questions_page = QSplitter(Qt.Orientation.Horizontal)
        self.step_stack = QStackedWidget()  # one scrolling page per step: each its own height
        self.guidance_box = QGroupBox()
        guidance_layout = QVBoxLayout(self.guidance_box)
        self.guidance = QLabel()
        self.guidance.setObjectName("wizard_guidance")
        self.guidance.setWordWrap(True)
        self.guidance.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.guidance.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        guidance_layout.addWidget(_scrolling(self.guidance))  # a step's tips can be long
        self.questions_page.addWidget(self.step_stack)
        self.questions_page.addWidget(self.guidance_box)
        self.questions_page.setStretchFactor(0, 3)
        self.questions_page.setStretchFactor(1, 2)
        self.questions_page.setSizes([600, 380])
        self.questions_page.setChildrenCollapsible(False)
        self.result_page = ScriptResultPage(sessions, actor)
        self.result_page.changed.connect(lambda: self.run_changed.emit(self.run_id))
        self.pages.addWidget(self.questions_page)
        self.pages.addWidget(self.result_page)
        self.message = error_label()
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.back = QPushButton()
        self.back.setObjectName("wizard_back")
        self.back.clicked.connect(self.go_back)
        self.next = QPushButton()
        self.next.setObjectName("wizard_next")
        self.next.setDefault(True)
        self.next.clicked.connect(self.go_next)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.close)
        buttons.addWidget(self.back)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.next)
        layout.addLayout(buttons)
        self.current = script.steps[0].id  # the step shown, or the last one under the result
        self.widgets: dict[str, QuestionWidget] = {}
        self._step_titles: dict[str, QLabel] = {}
        self._step_areas: dict[str, QScrollArea] = {}
        for step in script.steps:
            self._step_areas[step.id] = _scrolling(self._make_step_page(step))
            self.step_stack.addWidget(self._step_areas[step.id])
        self._load_answers()
        self.retranslate()
        if self.run_finished:
            self.show_result()
        else:
            self.show_step(self._resume_step())

    def _make_step_page(self, step: Step) -> QWidget:
        page = QWidget()
        page.setObjectName(f"step_{step.id}")
        column = QVBoxLayout(page)
        title = QLabel()
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        title.setFont(font)
        title.setWordWrap(True)
        column.addWidget(title)
        for question in step.questions:
            widget = QuestionWidget(question)
            widget.answered.connect(self._answered)
            column.addWidget(widget)
            self.widgets[question.id] = widget
        column.addStretch(1)
        self._step_titles[step.id] = title
        return page

    def retranslate(self) -> None:
        self.setWindowTitle(_(self.script.title))
        self.heading.setText(_("{script} with {client}").format(
            script=_(self.script.title), client=self._client_name))  # fmt: skip
        self.guidance_box.setTitle(_("Guidance for you"))
        self.back.setText(_("&Back"))
        self.close_button.setText(_("Close (answers are kept)"))
        for step in self.script.steps:
            self._step_titles[step.id].setText(_(step.title))
        for widget in self.widgets.values():
            widget.retranslate()
        self.result_page.retranslate()
        self._update_chrome()

    # --- state ----------------------------------------------------------------------------
    def _load_answers(self) -> None:
        actor = self._actor()
        with self._sessions() as session:
            run = runs.get(session, actor, self.run_id)
            self.run_finished = run.finished_at is not None
            self.answers = runs.answers(session, self.run_id)
            notes = runs.notes(session, self.run_id)
        for question_id, widget in self.widgets.items():
            widget.set_answer(self.answers.get(question_id), notes.get(question_id))

    def _visible(self) -> list[tuple[Step, list[str]]]:
        return [(step, [q.id for q in questions])
                for step, questions in engine.visible(self.script, self.answers)]  # fmt: skip

    def _resume_step(self) -> str:
        """The first step with a question not answered yet (where the run stopped)."""
        shown = self._visible()
        for step, question_ids in shown:
            if any(q not in self.answers for q in question_ids):
                return step.id
        return shown[-1][0].id

    @property
    def step_ids(self) -> list[str]:
        return [step.id for step, _questions in self._visible()]

    def show_step(self, step_id: str) -> None:
        self.current = step_id
        self.pages.setCurrentWidget(self.questions_page)
        self.step_stack.setCurrentWidget(self._step_areas[step_id])
        self._show_relevant()
        self._update_chrome()
        first = next((w for w in self._current_widgets() if w.isVisibleTo(self)), None)
        if first is not None:
            first.first_input().setFocus(Qt.FocusReason.OtherFocusReason)

    def _current_widgets(self) -> list[QuestionWidget]:
        step = next(s for s in self.script.steps if s.id == self.current)
        return [self.widgets[q.id] for q in step.questions]

    def _show_relevant(self) -> None:
        shown = {q for _step, ids in self._visible() for q in ids}
        for question_id, widget in self.widgets.items():
            widget.setVisible(question_id in shown)

    def _update_chrome(self) -> None:
        on_result = self.pages.currentWidget() is self.result_page
        ids = self.step_ids
        position = ids.index(self.current) + 1 if self.current in ids else len(ids)
        if on_result:
            self.progress_text.setText(_("Result"))
            self.progress.setRange(0, 1)
            self.progress.setValue(1)
        else:
            step = next(s for s in self.script.steps if s.id == self.current)
            self.progress_text.setText(_("Step {n} of {total}: {title}").format(
                n=position, total=len(ids), title=_(step.title)))  # fmt: skip
            self.progress.setRange(0, len(ids))
            self.progress.setValue(position - 1)
            guidance = [*step.guidance]
            for widget in self._current_widgets():
                if widget.isVisibleTo(self):
                    guidance += widget.question.guidance
            self.guidance.setText(
                "\n\n".join(_(g) for g in guidance) or _("No guidance for this step.")
            )
        self.back.setEnabled(not on_result and position > 1)
        self.next.setVisible(not on_result)
        last = position == len(ids)
        self.next.setText(_("&Finish and show the result") if last else _("&Next"))

    # --- answering and moving -------------------------------------------------------------
    def _answered(self, question_id: str, value: object, note: object) -> None:
        widget = self.widgets[question_id]
        try:
            actor = self._actor()
            with self._sessions() as session:  # a refusal leaves nothing written
                run = runs.get(session, actor, self.run_id)
                runs.answer(session, actor, run, self.script, question_id, value,
                            note=note if isinstance(note, str) else None)  # fmt: skip
                session.commit()
                self.answers = runs.answers(session, self.run_id)
        except ServiceError as exc:  # a ValidationFailed says every field's message
            widget.show_error(str(exc))
            return
        widget.show_error("")
        self._show_relevant()
        self._update_chrome()
        self.run_changed.emit(self.run_id)

    def go_next(self) -> None:
        focused = self.focusWidget()
        if focused is not None and hasattr(focused, "editingFinished"):
            focused.editingFinished.emit()  # a line typed in and not left yet is saved first
        if any(w.error.isVisible() for w in self._current_widgets() if w.isVisibleTo(self)):
            return
        ids = self.step_ids
        index = ids.index(self.current) if self.current in ids else len(ids) - 1
        if index + 1 < len(ids):
            self.show_step(ids[index + 1])
        else:
            self.finish()

    def go_back(self) -> None:
        ids = self.step_ids
        if self.pages.currentWidget() is self.result_page:
            self.show_step(ids[-1])
            return
        index = ids.index(self.current) if self.current in ids else 0
        if index > 0:
            self.show_step(ids[index - 1])

    def finish(self) -> None:
        try:
            actor = self._actor()
            with self._sessions() as session:
                runs.finish(session, actor, runs.get(session, actor, self.run_id), self.script)
                session.commit()
        except ServiceError as exc:
            self.message.setText(str(exc))
            self.message.show()
            return
        self.run_finished = True
        self.message.hide()
        self.run_changed.emit(self.run_id)
        self.show_result()

    def show_result(self) -> None:
        self.current = self.step_ids[-1]
        self.result_page.show_run(self.run_id, self.script)
        self.pages.setCurrentWidget(self.result_page)
        self._update_chrome()
        self.result_page.setFocus(Qt.FocusReason.OtherFocusReason)
        self.focusNextChild()
        self.result_page.focus_first_action()  # the suggested step: Enter takes it
