"""The client file: editable fields grouped as a counsellor reads them, saved as they are made."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import OperationalError

from app.db import SessionFactory
from app.i18n import _
from app.models import Client
from app.services import org_settings
from app.services.caseload import client_conditions, clients
from app.services.errors import (
    Conflict,
    EditConflict,
    NotFound,
    ServiceError,
    ValidationFailed,
    storage_problem,
)
from app.services.privacy.access import Actor, BreakGlassRequired
from app.services.validation import display_phone, field_label
from app.ui.caseload.assignment_box import AssignmentBox
from app.ui.caseload.conflict_dialog import EditConflictDialog
from app.ui.caseload.timeline_box import TimelineBox
from app.ui.fields import (
    ChecksField,
    ChoiceField,
    DateField,
    FieldEditor,
    MaskedField,
    TextField,
    YesNoField,
    enum_choices,
)
from app.ui.privacy.file_access import BreakGlassDialog, WhoLookedBox
from app.ui.privacy.privacy_box import PrivacyBox
from app.ui.scripts.script_runs_box import ScriptRunsBox


def _country_choices() -> list[tuple[Any, str]]:
    return [("BE", _("Belgium")), ("NL", _("Netherlands"))]


GROUPS: list[tuple[str, list[str]]] = [
    ("identity", ["given_name", "family_name", "birth_date", "national_number"]),
    ("contact", ["phone", "phone_alt", "email", "email_status", "contact_language", "other_languages"]),
    ("address", ["street", "house_number", "postal_code", "municipality", "country"]),
    ("work", ["employment_situation", "profession", "desired_occupation", "dutch_level",
              "education_level", "diploma_recognition", "status"]),
    ("reach", ["contact_channels", "key_person"]),
    ("conditions", ["driving_licence", "transport", "max_travel_minutes", "working_hours"]),
]  # fmt: skip


def group_titles() -> dict[str, str]:
    return {"identity": _("Identity"), "contact": _("Contact"), "address": _("Address"),
            "work": _("Work, language and education"), "reach": _("How to reach the client"),
            "conditions": _("Practical conditions for work")}  # fmt: skip


class ClientPanel(QScrollArea):
    """Shows one client; every field saves on its own when edited."""

    client_changed = Signal(int)
    client_erased = Signal(int)

    def __init__(
        self, sessions: SessionFactory, actor: Callable[[], Actor], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._sessions = sessions
        self._actor = actor
        self.client_id: int | None = None
        self.closed_client_id: int | None = None  # shown by name only, until a reason is given
        self._version: int | None = None
        self._read: dict[str, Any] = {}
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
        self.open_anyway = QPushButton()
        self.open_anyway.setObjectName("open_with_reason")
        self.open_anyway.clicked.connect(self.open_with_reason)
        self.open_anyway.hide()
        outer.addWidget(self.title)
        outer.addWidget(self.subtitle)
        outer.addWidget(self.banner)
        outer.addWidget(self.open_anyway, alignment=Qt.AlignmentFlag.AlignLeft)
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
                if isinstance(self.fields[name], ChecksField):  # the boxes get the full width
                    form.addRow(label)
                    form.addRow(self.fields[name])
                else:
                    form.addRow(label, self.fields[name])
            self._boxes[key] = box
            outer.addWidget(box)
        self.assignments = AssignmentBox(sessions, actor)
        self.assignments.changed.connect(self._assignments_changed)
        outer.addWidget(self.assignments)
        self.scripts = ScriptRunsBox(sessions, actor)
        self.scripts.changed.connect(self._scripts_changed)
        outer.addWidget(self.scripts)
        self.timeline = TimelineBox(sessions, actor)
        outer.addWidget(self.timeline)
        self.looked = WhoLookedBox(sessions, actor)
        outer.addWidget(self.looked)
        self.privacy = PrivacyBox(sessions, actor)
        self.privacy.erased.connect(self._erased)
        outer.addWidget(self.privacy)
        outer.addStretch(1)
        for editor in self.fields.values():
            editor.committed.connect(self._save)
        self.retranslate()
        self.show_client(None)

    def minimumSizeHint(self) -> QSize:
        """Never narrower than the form needs: the splitter gives way, nothing is cut off."""
        hint = super().minimumSizeHint()
        body = self.widget()
        if body is None:  # the form is set in __init__; nothing to measure before that
            return hint
        needed = body.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width()
        return QSize(max(hint.width(), needed + 2 * self.frameWidth()), hint.height())

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
        fields["key_person"] = TextField("key_person")
        fields["max_travel_minutes"] = TextField("max_travel_minutes")
        fields["driving_licence"] = YesNoField("driving_licence")
        for name, enum_class in client_conditions.LIST_FIELDS.items():
            fields[name] = ChecksField(name, enum_class, columns=2)
        return fields

    def retranslate(self) -> None:
        titles = group_titles()
        for key, box in self._boxes.items():
            box.setTitle(titles[key])
        for name, label in self._labels.items():
            label.setText(field_label(name) + ":")
            self.fields[name].retranslate()
        self.fields["key_person"].editor.setToolTip(
            _("Someone who can pass on a message, with how to reach them")
        )
        self.fields["other_languages"].editor.setToolTip(
            _("Language codes separated by commas, e.g. ar, fr, en")
        )
        self.assignments.retranslate()
        self.scripts.retranslate()
        self.looked.retranslate()
        self.privacy.retranslate()
        self.timeline.retranslate()
        self.open_anyway.setText(_("Open with a reason…"))
        if self.client_id is None and self.closed_client_id is None:
            self.title.setText(_("No client selected"))
            self.subtitle.setText(_("Choose a client in the list, or create one with Ctrl+N."))

    # --- showing ----------------------------------------------------------------------
    def show_client(self, client_id: int | None, *, reason: str | None = None) -> None:
        """Open a client's file; the audit trail records it. Someone else's client is shown by
        name only until a reason is given (`open_with_reason`)."""
        self.banner.hide()
        self.open_anyway.hide()
        self.closed_client_id = None
        if client_id is None:
            self._clear()
            return
        closed: tuple[str, str, str] | None = None  # name, dossier, why it stays closed
        gone: str | None = None  # why there is no file to show
        name = ""
        with self._sessions() as session:
            try:
                client = clients.open_file(session, client_id, actor=self._actor(), reason=reason)
                session.commit()
            except (BreakGlassRequired, ValidationFailed) as exc:  # or the reason was too short
                session.rollback()
                why = (
                    " ".join(exc.errors.values()) if isinstance(exc, ValidationFailed) else str(exc)
                )
                shown = clients.get_client(session, client_id)
                closed = (shown.full_name, shown.dossier, why)
            except NotFound as exc:
                session.rollback()
                gone = str(exc)
            else:
                self.client_id = client_id
                self._fill(client, org_settings.national_number_enabled(session))
                name = client.full_name
        if closed is not None:
            self._show_closed(client_id, *closed)
        elif gone is not None:
            self._clear()
            self.banner.setText(gone)
            self.banner.show()
        else:
            self._show_boxes(client_id, name)

    def reload(self) -> None:
        """Read the open file again (after a conflict or a setting changed); not a new view."""
        if self.client_id is None:
            return
        client_id = self.client_id
        name: str | None = None
        with self._sessions() as session:
            try:
                client = clients.get_client(session, client_id)
            except NotFound:
                pass
            else:
                self._fill(client, org_settings.national_number_enabled(session))
                name = client.full_name
        if name is None:
            self.show_client(None)
            return
        self._show_boxes(client_id, name)

    def show_in_new_language(self) -> None:
        """After `retranslate` on a switch of language: the dates and names of the open file
        again; what is typed in a field and not yet saved stays as typed (unlike `reload`)."""
        if self.client_id is None:
            return
        client_id = self.client_id
        with self._sessions() as session:
            client = clients.get_client(session, client_id)
            self._show_dossier_and_province(client)
            name = client.full_name
        self.timeline.show_client(client_id)
        self.looked.show_client(client_id)
        self.privacy.show_client(client_id, name)

    def _show_boxes(self, client_id: int, name: str) -> None:
        """The sections under the fields, each reading in a session of its own."""
        self.assignments.show_client(client_id)
        self.scripts.show_client(client_id)
        self.timeline.show_client(client_id)
        self.looked.show_client(client_id)
        self.privacy.show_client(client_id, name)

    def _clear(self) -> None:
        self.client_id = None
        self._version = None
        self._read = {}
        for box in self._boxes.values():
            box.setEnabled(False)
        for editor in self.fields.values():
            editor.set_value(None)
        self.retranslate()
        self.assignments.show_client(None)
        self.scripts.show_client(None)
        self.timeline.show_client(None)
        self.looked.show_client(None)
        self.privacy.show_client(None)

    def _show_closed(self, client_id: int, name: str, dossier: str, message: str) -> None:
        self._clear()
        self.closed_client_id = client_id
        self.title.setText(name)
        self.subtitle.setText(_("Dossier {dossier}").format(dossier=dossier))
        self.banner.setText(message)
        self.banner.show()
        self.open_anyway.show()

    def open_with_reason(self) -> None:
        if self.closed_client_id is None:
            return
        client_id = self.closed_client_id
        dialog = BreakGlassDialog(self.title.text(), self)
        if dialog.exec():
            self.show_client(client_id, reason=dialog.reason)

    def _fill(self, client: Client, national_number_allowed: bool) -> None:
        """The fields of `client`, read in the action's session (still open)."""
        for box in self._boxes.values():
            box.setEnabled(True)
        self._version = client.version
        self._read = {name: getattr(client, name) for name in self.fields}  # what saves compare
        self.title.setText(client.full_name)
        for name, editor in self.fields.items():
            editor.set_value(getattr(client, name))
        self.fields["national_number"].setVisible(national_number_allowed)
        self._labels["national_number"].setVisible(national_number_allowed)
        self._show_dossier_and_province(client)

    def _show_dossier_and_province(self, client: Client) -> None:
        self.subtitle.setText(_("Dossier {dossier}").format(dossier=client.dossier))
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
                self.banner.setText(str(exc))
                self.banner.show()
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

    def _erased(self, client_id: int) -> None:
        self._clear()
        self.client_erased.emit(client_id)

    def _scripts_changed(self) -> None:
        """A finished run may have filled in fields (e-mail status, channels, conditions)."""
        self.reload()
        if self.client_id is not None:
            self.client_changed.emit(self.client_id)

    def _assignments_changed(self) -> None:
        if self.client_id is not None:
            self.client_changed.emit(self.client_id)
