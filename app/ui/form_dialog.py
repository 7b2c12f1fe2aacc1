"""The base of Traject's small forms: line edits whose service errors appear under the fields
they concern, and a general message for the rest."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import OperationalError

from app.i18n import _
from app.services.errors import ServiceError, ValidationFailed, storage_problem
from app.services.validation import field_label
from app.ui.fields import error_label
from app.ui.labels import colon

T = TypeVar("T")


class Transaction(Protocol):
    """All `commit_or_report` does with the session of the user action that calls it."""

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


def commit_or_report(
    session: Transaction, action: Callable[[], T], report: Callable[[dict[str, str]], object]
) -> T | None:
    """Run a service call in `session` (the user action's own, opened by the caller with
    `with sessions() as session:`) and commit; on refusal (or a full disk) roll back and
    `report` the messages by field ("" for a message that concerns no one field). None when
    refused."""
    try:
        result = action()
        session.commit()
    except ValidationFailed as exc:
        session.rollback()
        report(exc.errors)
        return None
    except ServiceError as exc:
        session.rollback()
        report({"": str(exc)})
        return None
    except (OperationalError, OSError) as exc:  # a full or failing disk: say so, keep the form
        session.rollback()
        message = storage_problem(exc)
        if message is None:
            raise
        report({"": message})
        return None
    return result


def joined(errors: dict[str, str]) -> str:
    """The messages of a refusal as one line, for forms with one message label."""
    return " ".join(errors.values())


class FormDialog(QDialog):
    """A form of line edits whose service errors appear under the fields they concern."""

    def __init__(
        self, fields: list[str], parent: QWidget | None = None, *, secret: tuple[str, ...] = ()
    ) -> None:
        super().__init__(parent)
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        self.form = QFormLayout()
        for name in fields:
            edit = QLineEdit()
            edit.setObjectName(f"new_{name}")
            edit.setAccessibleName(field_label(name))
            if name in secret:
                edit.setEchoMode(QLineEdit.EchoMode.Password)
            error = error_label()
            self.edits[name], self.errors[name] = edit, error
            self.form.addRow(colon(field_label(name)), edit)
            self.form.addRow("", error)
        self.general_error = error_label(hidden=False)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

    def value(self, name: str) -> str:
        return self.edits[name].text()

    def show_errors(self, errors: dict[str, str]) -> None:
        for name, label in self.errors.items():
            label.setVisible(name in errors)
            label.setText(errors.get(name, ""))
        self.general_error.setText(" ".join(m for f, m in errors.items() if f not in self.errors))
        # wrapped messages need more height than the form's size hint says
        layout = self.layout()
        needed = layout.totalHeightForWidth(self.width()) if layout is not None else 0
        if needed > self.height():
            self.resize(self.width(), needed)

    def passwords_differ(self) -> bool:
        """True, with the message under the repeat field, when the two entries differ."""
        if self.value("password") == self.value("password_repeat"):
            return False
        self.show_errors({"password_repeat": field_label("password_repeat") + ": "
                          + _("type the same password twice.")})  # fmt: skip
        return True

    def commit_or_show(self, session: Transaction, action: Callable[[], T]) -> T | None:
        """Run a service call and commit; on refusal roll back and show why under the fields."""
        return commit_or_report(session, action, self.show_errors)

    def _submit(self) -> None:
        raise NotImplementedError
