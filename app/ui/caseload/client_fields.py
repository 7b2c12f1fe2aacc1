"""The client file's editable fields: which editor each field gets and the groups they are
read in (identity, how the client came to us, contact, address, work…)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QCheckBox, QWidget

from app.db import SessionFactory
from app.i18n import _
from app.models.enums import ReferredBy
from app.services.caseload import client_conditions, clients
from app.services.team.dispatch_rules import team_offices  # loaded with the file's modules
from app.services.validation import display_phone, field_label
from app.ui.fields import (
    ChecksField,
    ChoiceField,
    DateField,
    FieldEditor,
    LanguageField,
    LanguagesField,
    MaskedField,
    TextField,
    YesNoField,
    enum_choices,
)

GROUPS: list[tuple[str, list[str]]] = [
    ("identity", ["given_name", "family_name", "birth_date", "national_number"]),
    ("intake", ["referred_by", "referred_by_detail"]),
    ("contact", ["phone", "phone_alt", "email", "email_status", "contact_language",
                 "interpreter_needed", "other_languages"]),
    ("address", ["street", "house_number", "postal_code", "municipality", "country"]),
    ("work", ["employment_situation", "profession", "desired_occupation", "preferred_office",
              "dutch_level", "education_level", "diploma_recognition", "status"]),
    ("reach", ["contact_channels", "key_person"]),
    ("conditions", ["driving_licence", "transport", "max_travel_minutes", "working_hours"]),
]  # fmt: skip


def group_titles() -> dict[str, str]:
    return {"identity": _("Identity"), "intake": _("How the client came to us"),
            "contact": _("Contact"), "address": _("Address"),
            "work": _("Work, language and education"), "reach": _("How to reach the client"),
            "conditions": _("Practical conditions for work")}  # fmt: skip


class CheckField(FieldEditor):
    """A yes/no that is always known, as one check box (its text is the field's label, so a
    screen reader announces what is ticked); every tick saves."""

    def __init__(self, field: str, parent: QWidget | None = None) -> None:
        super().__init__(field, QCheckBox(), parent)
        self.box: QCheckBox = self.editor  # type: ignore[assignment]
        self.box.toggled.connect(self._toggled)
        self._filling = False
        self.retranslate()

    def set_value(self, value: Any) -> None:
        self._filling = True
        self.box.setChecked(bool(value))
        self._filling = False
        self.clear_error()

    def _toggled(self, checked: bool) -> None:
        if not self._filling:
            self.committed.emit(self.field, checked)

    def retranslate(self) -> None:
        super().retranslate()
        self.box.setText(field_label(self.field))


def _country_choices() -> list[tuple[Any, str]]:
    return [("BE", _("Belgium")), ("NL", _("Netherlands"))]


def _referred_by_choices() -> list[tuple[Any, str]]:
    return [("", _("Not recorded")), *enum_choices(ReferredBy)()]


class OfficeField(ChoiceField):
    """The client's preferred office: no preference, or one of the team's offices (an office
    no longer in the list still shows when the file has it). The offices are read when the
    field is first used, not when a file opens: most files are opened to be read."""

    def __init__(self, field: str, sessions: SessionFactory | None) -> None:
        self._sessions = sessions
        self._found: list[str] | None = None  # read once: a change of language relabels only
        super().__init__(field, self._offices)
        self.combo.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._found is None and event.type() in (
            QEvent.Type.FocusIn, QEvent.Type.MouseButtonPress
        ):  # fmt: skip
            self._found = []
            if self._sessions is not None:
                with self._sessions() as session:
                    self._found = team_offices(session)
            shown = self.combo.currentData()
            self._fill()
            self.set_value(shown)
        return super().eventFilter(watched, event)

    def _offices(self) -> list[tuple[Any, str]]:
        return [("", _("No preference")), *((office, office) for office in self._found or [])]

    def set_value(self, value: Any) -> None:
        if value and self.combo.findData(value) < 0:
            self.combo.addItem(value, value)
        super().set_value(value or "")


def make_fields(sessions: SessionFactory | None = None) -> dict[str, FieldEditor]:
    """The editors; with `sessions` the preferred office offers the team's offices."""
    fields: dict[str, FieldEditor] = {}
    for name in ("given_name", "family_name", "street", "house_number", "municipality",
                 "profession", "desired_occupation", "email", "postal_code",
                 "key_person", "max_travel_minutes", "referred_by_detail"):  # fmt: skip
        fields[name] = TextField(name)
    fields["phone"] = TextField("phone", display=display_phone)
    fields["phone_alt"] = TextField("phone_alt", display=display_phone)
    fields["contact_language"] = LanguageField("contact_language")  # names shown, codes stored
    fields["other_languages"] = LanguagesField("other_languages")
    fields["birth_date"] = DateField("birth_date")
    fields["national_number"] = MaskedField("national_number")
    for name, enum_class in clients.ENUM_FIELDS.items():
        fields[name] = ChoiceField(name, enum_choices(enum_class))
    fields["country"] = ChoiceField("country", _country_choices)
    fields["referred_by"] = ChoiceField("referred_by", _referred_by_choices)
    fields["preferred_office"] = OfficeField("preferred_office", sessions)
    fields["driving_licence"] = YesNoField("driving_licence")
    fields["interpreter_needed"] = CheckField("interpreter_needed")
    for name, enum_class in client_conditions.LIST_FIELDS.items():
        fields[name] = ChecksField(name, enum_class, columns=2)
    return fields


def field_tooltips() -> dict[str, str]:
    return {
        "key_person": _("Someone who can pass on a message, with how to reach them"),
        "interpreter_needed": _("The client is best served with an interpreter"),
        "referred_by_detail": _("Which service or person sent the client, e.g. VDAB Gent"),
        "preferred_office": _(
            "The office the client wants to be followed from; a new file goes to a counsellor there"
        ),
    }
