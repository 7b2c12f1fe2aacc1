"""The small forms of the action point list: a new or changed point (title and due date), and
the question a finished point asks — what came of it (done) or why it is no longer needed.
Each keeps what was typed when the service refuses it, and shows why under the field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import QDateEdit, QLabel, QWidget

from app.i18n import _
from app.services.validation import field_label
from app.ui.fields import error_label
from app.ui.form_dialog import FormDialog
from app.ui.labels import colon
from app.ui.qt_values import box_layout, full_year, python_date, qt_date

#: What a submit callback answers: the messages by field, or None when it was saved.
Refusal = dict[str, str] | None


class PointDialog(FormDialog):
    """A point's title and due date; `submit(title, due_on)` saves it."""

    def __init__(
        self, window_title: str, title: str, due_on: dt.date,
        submit: Callable[[str, dt.date], Refusal], parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(["title"], parent)
        self.setObjectName("action_point_dialog")
        self.setWindowTitle(window_title)
        self._submit_values = submit
        self.edits["title"].setText(title)
        self.edits["title"].setMinimumWidth(360)
        self.due_on = full_year(QDateEdit(qt_date(due_on)))
        self.due_on.setObjectName("new_due_on")
        self.due_on.setCalendarPopup(True)
        self.due_on.setAccessibleName(field_label("due_on"))
        self.errors["due_on"] = error_label()
        self.form.addRow(colon(field_label("due_on")), self.due_on)
        self.form.addRow("", self.errors["due_on"])

    def _submit(self) -> None:
        errors = self._submit_values(self.value("title"), python_date(self.due_on.date()))
        if errors:
            self.show_errors(errors)
        else:
            self.accept()


class ClosingDialog(FormDialog):
    """Asks one text about a point being finished: its outcome (`field` "outcome", required
    by the service) or the reason it is no longer needed ("reason", optional);
    `submit(text)` saves it. `show_point` names the point above the field."""

    def __init__(
        self, field: str, window_title: str, submit: Callable[[str], Refusal],
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__([field], parent)
        self.setObjectName(f"action_point_{field}_dialog")
        self.setWindowTitle(window_title)
        self._field = field
        self._submit_text = submit
        self.point = QLabel()
        self.point.setObjectName("action_point_named")
        self.point.setWordWrap(True)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        box_layout(self).insertWidget(0, self.point)
        box_layout(self).insertWidget(1, self.hint)
        self.edits[field].setMinimumWidth(360)
        if field == "outcome":
            self.hint.setText(_("What came of it? For example: “CV sent to three employers”."))
            self.edits[field].setPlaceholderText(_("What came of it"))
        else:
            self.hint.setText(_("Why is it no longer needed? You may leave this empty."))

    def show_point(self, title: str, due: str) -> None:
        text = _("Action point: {title}").format(title=title)
        self.point.setText(f"{text} ({due})" if due else text)

    def _submit(self) -> None:
        errors = self._submit_text(self.value(self._field))
        if errors:
            self.show_errors(errors)
        else:
            self.accept()
