"""The client file: a header that stays in view, the section bar, and the sections (editable
fields grouped as a counsellor reads them, saved as they are made, and the file's boxes) in
one scrolling page. The sections and their order are `client_sections.SECTIONS`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.db import SessionFactory
from app.i18n import _
from app.models import Client
from app.services import org_settings
from app.services.caseload import clients
from app.services.errors import (
    NotFound,
    ValidationFailed,
)
from app.services.privacy.access import Actor, BreakGlassRequired
from app.services.validation import field_label
from app.ui.caseload.assignment_box import AssignmentBox
from app.ui.caseload.client_fields import (
    GROUPS,
    CheckField,
    field_tooltips,
    group_titles,
    make_fields,
)
from app.ui.caseload.client_header import ClientHeader
from app.ui.caseload.client_saving import FieldSaving
from app.ui.caseload.client_sections import SECTIONS, SectionBar, make_box
from app.ui.caseload.referrals_box import ReferralsBox
from app.ui.caseload.timeline_box import TimelineBox
from app.ui.fields import ChecksField, FieldEditor
from app.ui.labels import colon
from app.ui.privacy.file_access import BreakGlassDialog, WhoLookedBox
from app.ui.privacy.privacy_box import PrivacyBox
from app.ui.scripts.script_runs_box import ScriptRunsBox

SECTION_SPACING = 14


class ClientPanel(FieldSaving):
    """Shows one client; every field saves on its own when edited."""

    client_changed = Signal(int)
    client_erased = Signal(int)
    activity_changed = Signal(int)  # a note, contact or referral added from the file

    def __init__(
        self, sessions: SessionFactory, actor: Callable[[], Actor], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("client_file")
        self._sessions = sessions
        self._actor = actor
        self.client_id: int | None = None
        self.closed_client_id: int | None = None  # shown by name only, until a reason is given
        self._version: int | None = None
        self._read: dict[str, Any] = {}
        self.header = ClientHeader()
        self.title, self.subtitle, self.banner = (
            self.header.title,
            self.header.subtitle,
            self.header.banner,
        )
        self.open_anyway = self.header.open_anyway
        self.open_anyway.clicked.connect(self.open_with_reason)
        self.page = QScrollArea()
        self.page.setObjectName("client_file_scroll")
        self.page.setWidgetResizable(True)
        # the form follows the panel's width; long choices elide instead of widening it
        self.page.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._body = body = QWidget()
        self.page.setWidget(body)
        outer = QVBoxLayout(body)
        outer.setSpacing(SECTION_SPACING)
        self.fields: dict[str, FieldEditor] = make_fields(self._sessions)
        self._labels: dict[str, QLabel] = {}
        self._boxes: dict[str, QGroupBox] = {key: self._group(names) for key, names in GROUPS}
        self.assignments = AssignmentBox(sessions, actor)
        self.assignments.changed.connect(self._assignments_changed)
        self.scripts = ScriptRunsBox(sessions, actor)
        self.scripts.changed.connect(self._scripts_changed)
        self.timeline = TimelineBox(sessions, actor)
        self.timeline.changed.connect(self._activity)
        self.referrals = ReferralsBox(sessions, actor)
        self.referrals.changed.connect(self._referrals_changed)
        self.looked = WhoLookedBox(sessions, actor)
        self.privacy = PrivacyBox(sessions, actor)
        self.privacy.erased.connect(self._erased)
        built_in: dict[str, QWidget] = {"assignments": self.assignments, "scripts": self.scripts,
                                        "timeline": self.timeline, "referrals": self.referrals,
                                        "looked": self.looked, "privacy": self.privacy}  # fmt: skip
        self.boxes: dict[str, Any] = {}  # the sections' own boxes (FileBox), by section key
        self.sections: dict[str, QWidget] = {}
        for section in SECTIONS:
            parts: list[QWidget] = [self._boxes.get(p) or built_in[p] for p in section.parts]
            if section.box is not None:
                self.boxes[section.key] = make_box(section.box, sessions, actor)
                parts.append(self.boxes[section.key])
            self.sections[section.key] = holder = QWidget()
            holder.setObjectName(f"section_{section.key}")
            column = QVBoxLayout(holder)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(SECTION_SPACING)
            for part in parts:
                column.addWidget(part)
            outer.addWidget(holder)
        outer.addStretch(1)
        self.boxes["action_points"].changed.connect(self._action_points_changed)
        self.nav = SectionBar(SECTIONS)
        self.nav.chosen.connect(self.go_to)
        self._jumping = False
        self.page.verticalScrollBar().valueChanged.connect(self._follow_scroll)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.nav)
        row.addWidget(self.page, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.header)
        layout.addLayout(row, 1)
        for editor in self.fields.values():
            editor.committed.connect(self._save)
        self.retranslate()
        self.show_client(None)

    def _group(self, names: list[str]) -> QGroupBox:
        box = QGroupBox()
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for name in names:
            field = self.fields[name]
            if isinstance(field, CheckField):  # a check box says what it is itself
                form.addRow("", field)
                continue
            label = QLabel()
            label.setBuddy(field.editor)
            self._labels[name] = label
            if isinstance(field, ChecksField):  # the boxes get the full width
                form.addRow(label)
                form.addRow(field)
            else:
                form.addRow(label, field)
        return box

    def _form_width(self) -> int:
        needed = (
            self._body.minimumSizeHint().width() + self.page.verticalScrollBar().sizeHint().width()
        )
        return needed + 2 * self.page.frameWidth()

    def minimumSizeHint(self) -> QSize:
        """Never narrower than the form needs: the splitter gives way, nothing is cut off. The
        section bar makes way when the file is that narrow (Alt+1… still reach the sections)."""
        hint = super().minimumSizeHint()
        return QSize(self._form_width(), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.nav.setVisible(
            event.size().width() >= self._form_width() + self.nav.sizeHint().width()
        )

    def retranslate(self) -> None:
        titles = group_titles()
        for key, box in self._boxes.items():
            box.setTitle(titles[key])
        for name, field in self.fields.items():
            if name in self._labels:
                self._labels[name].setText(colon(field_label(name)))
            field.retranslate()
        for name, tip in field_tooltips().items():
            self.fields[name].editor.setToolTip(tip)
        for box in (self.assignments, self.scripts, self.looked, self.privacy, self.timeline,
                    self.referrals, *self.boxes.values()):  # fmt: skip
            box.retranslate()
        self.header.retranslate()
        self.nav.retranslate()
        if self.client_id is None and self.closed_client_id is None:
            self.header.show_nobody()

    # --- sections -----------------------------------------------------------------------
    def go_to(self, key: str) -> None:
        """Bring a section to the top of the file and put the keyboard in it."""
        holder = self.sections[key]
        self._jumping = True
        self.page.verticalScrollBar().setValue(0 if key == SECTIONS[0].key else holder.y())
        self._jumping = False
        self.nav.mark(key)
        target = _first_focusable(holder)
        (target or self.nav).setFocus(Qt.FocusReason.ShortcutFocusReason)

    def to_top(self) -> None:
        self.page.verticalScrollBar().setValue(0)
        self.nav.mark(SECTIONS[0].key)

    def _follow_scroll(self, value: int) -> None:
        if self._jumping:
            return
        shown = SECTIONS[0].key
        for key, holder in self.sections.items():
            if holder.y() <= value + SECTION_SPACING:
                shown = key
        self.nav.mark(shown)

    # --- showing ----------------------------------------------------------------------
    def show_client(self, client_id: int | None, *, reason: str | None = None) -> None:
        """Open a client's file; the audit trail records it. Someone else's client is shown by
        name only until a reason is given (`open_with_reason`)."""
        shown_before = self.client_id or self.closed_client_id
        self.header.hide_message()
        self.closed_client_id = None
        if client_id != shown_before:  # another client starts at the top, under their name
            self.to_top()
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
            self.header.show_message(gone)
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
        self.referrals.show_client(client_id)
        self.looked.show_client(client_id)
        self.privacy.show_client(client_id, name)
        for box in self.boxes.values():
            box.show_client(client_id)

    def activity_shown_anew(self) -> None:
        """A colleague's or another window's contact, appointment or referral of this client."""
        if self.client_id is not None:
            self.timeline.show_client(self.client_id)
            self.referrals.show_client(self.client_id)

    def _show_boxes(self, client_id: int, name: str) -> None:
        """The sections under the fields, each reading in a session of its own."""
        self.header.show_cover(self._sessions, self._actor, client_id)
        self.assignments.show_client(client_id)
        self.scripts.show_client(client_id)
        self.timeline.show_client(client_id)
        self.referrals.show_client(client_id)
        self.looked.show_client(client_id)
        self.privacy.show_client(client_id, name)
        for box in self.boxes.values():
            box.show_client(client_id)

    def _clear(self) -> None:
        self.client_id = None
        self._version = None
        self._read = {}
        self.header.show_cover(self._sessions, self._actor, None)
        for box in self._boxes.values():
            box.setEnabled(False)
        for editor in self.fields.values():
            editor.set_value(None)
        self.retranslate()
        self.assignments.show_client(None)
        self.scripts.show_client(None)
        self.timeline.show_client(None)
        self.referrals.show_client(None)
        self.looked.show_client(None)
        self.privacy.show_client(None)
        for box in self.boxes.values():
            box.show_client(None)

    def _show_closed(self, client_id: int, name: str, dossier: str, message: str) -> None:
        self._clear()
        self.closed_client_id = client_id
        self.title.setText(name)
        self.subtitle.setText(_("Dossier {dossier}").format(dossier=dossier))
        self.header.show_message(message)
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
        self.header.interpreter.setVisible(bool(client.interpreter_needed))
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
        self.to_top()
        self.fields["given_name"].editor.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _erased(self, client_id: int) -> None:
        self._clear()
        self.client_erased.emit(client_id)

    def _scripts_changed(self) -> None:
        """A finished run may have filled in fields (e-mail status, channels, conditions)."""
        self.reload()
        if self.client_id is not None:
            self.client_changed.emit(self.client_id)

    def _activity(self) -> None:
        if self.client_id is not None:
            self.activity_changed.emit(self.client_id)

    def _referrals_changed(self) -> None:
        self.timeline.show_client(self.client_id)
        self._activity()

    def _action_points_changed(self) -> None:
        """The timeline and Today follow; the caseload row too (its overdue filter)."""
        self._referrals_changed()
        self._assignments_changed()

    def _assignments_changed(self) -> None:
        if self.client_id is not None:
            self.client_changed.emit(self.client_id)


def _first_focusable(holder: QWidget) -> QWidget | None:
    """The first widget in `holder` that the Tab key would reach."""
    widget = holder.nextInFocusChain()
    while widget is not None and widget is not holder and holder.isAncestorOf(widget):
        if (widget.isEnabled() and widget.isVisibleTo(holder)
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus):  # fmt: skip
            return widget
        widget = widget.nextInFocusChain()
    return None
