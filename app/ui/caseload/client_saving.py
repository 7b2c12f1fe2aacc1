"""Saving one edited field of the client file: the write in its own session, a colleague's
earlier save compared field by field, a refusal shown under the field (what was typed stays)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QLabel, QWidget
from sqlalchemy.exc import OperationalError

from app.db import SessionFactory
from app.services.caseload import clients
from app.services.errors import (
    Conflict,
    EditConflict,
    NotFound,
    ServiceError,
    ValidationFailed,
    storage_problem,
)
from app.ui.caseload.conflict_dialog import EditConflictDialog
from app.ui.fields import DateField, FieldEditor

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from app.services.privacy.access import Actor
    from app.ui.caseload.client_header import ClientHeader


class FieldSaving(QWidget):
    """The client file's saving half (`ClientPanel` sets these attributes up)."""

    client_id: int | None
    fields: dict[str, FieldEditor]
    header: ClientHeader
    title: QLabel
    _sessions: SessionFactory
    _actor: Callable[[], Actor]
    _version: int | None
    _read: dict[str, Any]
    client_changed: SignalInstance

    if TYPE_CHECKING:  # ClientPanel's

        def reload(self) -> None: ...

    def _save(self, field: str, value: Any) -> None:
        if self.client_id is None:
            return
        editor = self.fields[field]
        if isinstance(value, DateField.Unparsable):
            editor.show_error(editor.bad_date_message())  # type: ignore[attr-defined]
            return
        client_id = self.client_id
        changes, version, base = {field: value}, self._version, {field: self._read.get(field)}
        while True:
            try:
                saved = self._write(client_id, changes, version, base)
                break
            except EditConflict as exc:  # a colleague saved this field first: compare, choose
                dialog = EditConflictDialog(str(exc), exc.fields, self)
                chosen = dialog.values() if dialog.exec() else None
                dialog.deleteLater()
                if chosen is None:  # keep theirs: nothing of mine is written
                    self.reload()
                    return
                changes, version = chosen, exc.version
                base = {c.field: c.theirs for c in exc.fields}
            except ValidationFailed as exc:
                for name, message in exc.errors.items():
                    (self.fields.get(name) or editor).show_error(message)
                return
            except (Conflict, NotFound) as exc:
                self.reload()
                self.header.show_message(str(exc))
                return
            except ServiceError as exc:  # not allowed (any more) to change this file
                editor.show_error(str(exc))
                return
            except (OperationalError, OSError) as exc:  # a full or failing disk: the typing stays
                problem = storage_problem(exc)
                if problem is None:
                    raise
                editor.show_error(problem)
                return
        read_version = self._version
        self._version, values, title = saved
        if read_version is not None and self._version != read_version + 1:
            self.reload()  # merged with a colleague's save: show their other changes too
            self.client_changed.emit(client_id)
            return
        for name, shown_value in values.items():
            self._read[name] = shown_value
            if name in changes:
                self.fields[name].accept(shown_value)
            else:
                self.fields[name].set_value(shown_value)
        self.title.setText(title)
        self.header.interpreter.setVisible(bool(self._read.get("interpreter_needed")))
        self.client_changed.emit(client_id)

    def _write(
        self, client_id: int, changes: dict[str, Any], version: int | None, base: dict[str, Any]
    ) -> tuple[int, dict[str, Any], str]:
        """One save in its own session (a refusal leaves nothing written: leaving the `with`
        rolls back): the new version, the stored values of the changed and derived fields, and
        the name."""
        with self._sessions() as session:
            client = clients.update_client(session, client_id, changes, expected_version=version,
                                           base=base, actor=self._actor())  # fmt: skip
            session.commit()
            names = [*changes, *(n for n in ("email_status",) if n not in changes)]
            return client.version, {n: getattr(client, n) for n in names}, client.full_name
