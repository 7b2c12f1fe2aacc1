"""The client file: editable fields grouped as a counsellor reads them, saved as they are made."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app.i18n import _
from app.models import Client
from app.services import clients, org_settings
from app.services.errors import Conflict, NotFound, ValidationFailed
from app.services.validation import display_phone, field_label
from app.ui.assignment_box import AssignmentBox
from app.ui.fields import ChoiceField, DateField, FieldEditor, MaskedField, TextField, enum_choices


def _country_choices() -> list[tuple[Any, str]]:
    return [("BE", _("Belgium")), ("NL", _("Netherlands"))]


GROUPS: list[tuple[str, list[str]]] = [
    ("identity", ["given_name", "family_name", "birth_date", "national_number"]),
    ("contact", ["phone", "phone_alt", "email", "email_status", "contact_language", "other_languages"]),
    ("address", ["street", "house_number", "postal_code", "municipality", "country"]),
    ("work", ["employment_situation", "profession", "desired_occupation", "dutch_level",
              "education_level", "diploma_recognition", "status"]),
]  # fmt: skip


def group_titles() -> dict[str, str]:
    return {"identity": _("Identity"), "contact": _("Contact"), "address": _("Address"),
            "work": _("Work, language and education")}  # fmt: skip


class ClientPanel(QScrollArea):
    """Shows one client; every field saves on its own when edited."""

    client_changed = Signal(int)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.client_id: int | None = None
        self._version: int | None = None
        self.setWidgetResizable(True)
        # the form follows the panel's width; long choices elide instead of widening it
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        self.setWidget(body)
        outer = QVBoxLayout(body)
        self.title = QLabel()
        self.title.setObjectName("client_title")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.title.setContentsMargins(0, 0, 8, 0)
        self.subtitle = QLabel()
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("color: #8a4b00;")
        self.banner.hide()
        outer.addWidget(self.title)
        outer.addWidget(self.subtitle)
        outer.addWidget(self.banner)
        self.fields: dict[str, FieldEditor] = self._make_fields()
        self._labels: dict[str, QLabel] = {}
        self._boxes: dict[str, QGroupBox] = {}
        for key, names in GROUPS:
            box = QGroupBox()
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for name in names:
                label = QLabel()
                label.setBuddy(self.fields[name].editor)
                self._labels[name] = label
                form.addRow(label, self.fields[name])
            self._boxes[key] = box
            outer.addWidget(box)
        self.assignments = AssignmentBox(session)
        self.assignments.changed.connect(self._assignments_changed)
        outer.addWidget(self.assignments)
        outer.addStretch(1)
        for editor in self.fields.values():
            editor.committed.connect(self._save)
        self.retranslate()
        self.show_client(None)

    def _make_fields(self) -> dict[str, FieldEditor]:
        fields: dict[str, FieldEditor] = {}
        for name in ("given_name", "family_name", "street", "house_number", "municipality",
                     "profession", "desired_occupation", "email", "postal_code", "contact_language"):  # fmt: skip
            fields[name] = TextField(name)
        fields["phone"] = TextField("phone", display=display_phone)
        fields["phone_alt"] = TextField("phone_alt", display=display_phone)
        fields["other_languages"] = TextField("other_languages", display=", ".join)
        fields["birth_date"] = DateField("birth_date")
        fields["national_number"] = MaskedField("national_number")
        for name, enum_class in clients.ENUM_FIELDS.items():
            fields[name] = ChoiceField(name, enum_choices(enum_class))
        fields["country"] = ChoiceField("country", _country_choices)
        return fields

    def retranslate(self) -> None:
        titles = group_titles()
        for key, box in self._boxes.items():
            box.setTitle(titles[key])
        for name, label in self._labels.items():
            label.setText(field_label(name) + ":")
            self.fields[name].retranslate()
        self.fields["other_languages"].editor.setToolTip(
            _("Language codes separated by commas, e.g. ar, fr, en")
        )
        self.assignments.retranslate()
        if self.client_id is None:
            self.title.setText(_("No client selected"))
            self.subtitle.setText(_("Choose a client in the list, or create one with Ctrl+N."))

    # --- showing ----------------------------------------------------------------------
    def show_client(self, client_id: int | None) -> None:
        self.banner.hide()
        self.client_id = client_id
        enabled = client_id is not None
        for box in self._boxes.values():
            box.setEnabled(enabled)
        if client_id is None:
            self._version = None
            self.retranslate()
            self.assignments.show_client(None)
            return
        try:
            client = clients.get_client(self._session, client_id)
        except NotFound as exc:
            self.client_id = None
            self.show_client(None)
            self.banner.setText(str(exc))
            self.banner.show()
            return
        self._fill(client)
        self.assignments.show_client(client_id)

    def _fill(self, client: Client) -> None:
        self._version = client.version
        self.title.setText(client.full_name)
        self.subtitle.setText(_("Dossier {dossier}").format(dossier=client.dossier))
        for name, editor in self.fields.items():
            editor.set_value(getattr(client, name))
        allowed = org_settings.national_number_enabled(self._session)
        self.fields["national_number"].setVisible(allowed)
        self._labels["national_number"].setVisible(allowed)
        province = client.province.label if client.province else ""
        self.fields["postal_code"].editor.setToolTip(province)

    def focus_first_field(self) -> None:
        self.fields["given_name"].editor.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # --- saving -----------------------------------------------------------------------
    def _save(self, field: str, value: Any) -> None:
        if self.client_id is None:
            return
        editor = self.fields[field]
        if isinstance(value, DateField.Unparsable):
            editor.show_error(editor.bad_date_message())  # type: ignore[attr-defined]
            return
        try:
            client = clients.update_client(
                self._session, self.client_id, {field: value}, expected_version=self._version
            )
            self._session.commit()
        except ValidationFailed as exc:
            self._session.rollback()
            for name, message in exc.errors.items():
                (self.fields.get(name) or editor).show_error(message)
            return
        except (Conflict, NotFound) as exc:
            self._session.rollback()
            self.show_client(self.client_id)
            self.banner.setText(str(exc))
            self.banner.show()
            return
        self._version = client.version
        editor.accept(getattr(client, field))
        for derived in ("email_status",):
            self.fields[derived].set_value(getattr(client, derived))
        self.title.setText(client.full_name)
        self.client_changed.emit(client.id)

    def _assignments_changed(self) -> None:
        if self.client_id is not None:
            self.client_changed.emit(self.client_id)
