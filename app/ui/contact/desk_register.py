"""The permanence desk's "new client" row: the few fields a desk asks (names, birth date,
phone, postal code) and "I will follow this client myself". Before a file is made it looks
for one of the same person and warns (`same_person_warning`); the new file gets the visit's
language and question, and waits for a referent unless the box is ticked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLineEdit, QPushButton, QWidget
from sqlalchemy.orm import Session

from app.db import SessionFactory
from app.i18n import _, date_hint
from app.services import validation
from app.services.caseload import same_person
from app.services.contact import permanence
from app.services.privacy.access import Actor
from app.ui.caseload import same_person_warning
from app.ui.form_dialog import commit_or_report


class DeskRegistration(QWidget):
    """`chosen` (client id, text for the client field, what happened) when the visitor has
    a file now: a new one, or the existing one the desk worker chose to open."""

    chosen = Signal(int, str, str)

    def __init__(
        self, sessions: SessionFactory, actor: Callable[[], Actor],
        report: Callable[[dict[str, str]], object], visit: Callable[[], int | None],
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self._sessions, self._actor, self._report = sessions, actor, report
        self._visit = visit  # the visit being served, whose language and question pass on
        self.given, self.family, self.birth_date = QLineEdit(), QLineEdit(), QLineEdit()
        self.phone, self.postal_code = QLineEdit(), QLineEdit()
        hints = ((self.given, "desk_given", _("Given name")),
                 (self.family, "desk_family", _("Family name")),
                 (self.birth_date, "desk_birth_date", _("Date of birth") + f" ({date_hint()})"),
                 (self.phone, "desk_phone", _("Phone")),
                 (self.postal_code, "desk_postal_code", _("Postal code")))  # fmt: skip
        for edit, name, hint in hints:
            edit.setObjectName(name)
            edit.setPlaceholderText(hint)
            edit.setAccessibleName(hint)  # no label beside them: the row is labelled "or new:"
        self.follow = QCheckBox(_("I will follow this client m&yself"))
        self.follow.setObjectName("desk_follow_myself")
        self.button = QPushButton(_("&Register as new client"))
        self.button.setObjectName("desk_register")
        self.button.clicked.connect(self.register)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for column, edit in enumerate((self.given, self.family, self.birth_date)):
            grid.addWidget(edit, 0, column)
        grid.addWidget(self.phone, 1, 0)
        grid.addWidget(self.postal_code, 1, 1)
        grid.addWidget(self.follow, 1, 2)
        grid.addWidget(self.button, 0, 3, 2, 1)

    def clear(self) -> None:
        for edit in (self.given, self.family, self.birth_date, self.phone, self.postal_code):
            edit.clear()
        self.follow.setChecked(False)

    def register(self) -> None:
        """Warn about a file of the same person, then make the new file (or take the old)."""
        if not self.isEnabled():  # the visit has its file already
            return
        try:
            born = validation.date_field("birth_date", self.birth_date.text())
        except validation.FieldInvalid as exc:
            self._report(exc.errors)
            return
        phones = [self.phone.text()] if self.phone.text().strip() else []
        name = " ".join(f"{self.given.text()} {self.family.text()}".split())
        with self._sessions() as session:
            found = same_person.find(session, self._actor(), given_name=self.given.text(),
                                     family_name=self.family.text(), birth_date=born,
                                     phones=phones)  # fmt: skip
        if found:
            shown = same_person.normalised_phones(phones)
            choice = same_person_warning.ask(self, found, name, born, shown)
            if choice == same_person_warning.Choice.BACK:
                self.given.setFocus()
                return
            if choice == same_person_warning.Choice.OPEN:
                existing = found[0]
                if same_person_warning.may_open(self, self._sessions, self._actor, existing, name):
                    self.clear()
                    self.chosen.emit(existing.client_id, f"{name} — {existing.dossier}",
                                     _("{dossier} is this visitor's file.").format(dossier=existing.dossier))  # fmt: skip
                return
        self._create(self._visit(), born)

    def _create(self, visit_id: int | None, born: dt.date | None) -> None:
        follow = self.follow.isChecked()

        def new_client(session: Session) -> tuple[int, str, str]:
            client = permanence.register(
                session, self._actor(), visit_id, given_name=self.given.text(),
                family_name=self.family.text(), birth_date=born,
                phone=self.phone.text() or None, postal_code=self.postal_code.text() or None,
                follow_myself=follow,
            )  # fmt: skip
            return client.id, client.full_name, client.dossier

        with self._sessions() as session:
            made = commit_or_report(session, lambda: new_client(session), self._report)
        if made is None:
            return
        client_id, name, dossier = made
        where = (
            _("New file {dossier}: you follow this client.")
            if follow
            else _("New file {dossier}: it waits for a referent (the team leads assign one).")
        ).format(dossier=dossier)
        self.clear()
        self.chosen.emit(client_id, f"{name} — {dossier}", where)
