"""Creating, changing and closing client files, with validation of every field.

A change is validated as a whole against the client's resulting state (so cross-field rules
such as national number vs. date of birth hold); if any field is invalid nothing changes.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.i18n import _
from app.models import Client
from app.models.enums import (
    AssignmentReason,
    AuditAction,
    ClientStatus,
    DiplomaRecognition,
    DutchLevel,
    EducationLevel,
    EmailStatus,
    EmploymentSituation,
    ReferredBy,
)
from app.services import org_settings, write_lock
from app.services import validation as v
from app.services.caseload import assignments, client_conditions, edit_conflicts
from app.services.clock import local_today
from app.services.errors import Conflict, NotFound, ValidationFailed
from app.services.privacy import access, audit
from app.services.privacy.access import Actor

_TEXT_FIELDS: dict[str, tuple[bool, int]] = {  # field: (required, max length)
    "given_name": (True, 200),
    "family_name": (True, 200),
    "street": (False, 200),
    "house_number": (False, 20),
    "municipality": (False, 100),
    "profession": (False, 200),
    "desired_occupation": (False, 200),
    "preferred_office": (False, 200),  # the office the client wants; dispatch weighs it first
}
#: Fields whose value is one of an enum's members (the UI shows them as choices).
ENUM_FIELDS: dict[str, type[enum.Enum]] = {
    "email_status": EmailStatus,
    "dutch_level": DutchLevel,
    "education_level": EducationLevel,
    "diploma_recognition": DiplomaRecognition,
    "employment_situation": EmploymentSituation,
    "status": ClientStatus,
}
#: How the client came to us and how to speak with them (sources 001, 002): a yes/no flag,
#: an optional choice and the service or person who sent them.
INTAKE_FIELDS = frozenset(["interpreter_needed", "referred_by", "referred_by_detail"])
EDITABLE_FIELDS = frozenset(
    [*_TEXT_FIELDS, *ENUM_FIELDS, "birth_date", "national_number", "phone", "phone_alt",
     "email", "postal_code", "country", "contact_language", "other_languages",
     *client_conditions.FIELDS, *INTAKE_FIELDS]
)  # fmt: skip
WITHOUT_EMAIL = {EmailStatus.WITHOUT_EMAIL_TRAINING, EmailStatus.WITHOUT_EMAIL_UNABLE}
RETRY = -1  # `expected_version` of the one new attempt after a colleague's write won the race


def get_client(session: Session, client_id: int) -> Client:
    client = session.get(Client, client_id)
    if client is None:
        raise NotFound(_("This client file no longer exists."))
    return client


def by_dossier(session: Session, dossier: str) -> Client:
    client = session.scalar(select(Client).where(Client.dossier == dossier.strip().upper()))
    if client is None:
        raise NotFound(_("No client with dossier number {dossier}.").format(dossier=dossier))
    return client


def _next_client_id(session: Session) -> int:
    """Never the id of an erased client: SQLite would reuse the highest id once its row is
    gone, and the new client would inherit the old one's audit entries ("who looked")."""
    from app.models import AuditEntry

    highest = session.scalar(select(func.max(Client.id))) or 0
    in_trail = session.scalar(select(func.max(AuditEntry.client_id))) or 0
    return max(highest, in_trail) + 1


def next_dossier_number(session: Session, year: int) -> str:
    prefix = f"T-{year}-"
    last = session.scalar(select(func.max(Client.dossier)).where(Client.dossier.like(prefix + "%")))
    sequence = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{sequence:06d}"


def _text(field: str, value: str | None, required: bool, length: int) -> str | None:
    if required:
        return v.required_text(field, value, length)
    return v.optional_text(field, value, length)


def _enum_value(field: str, enum_class: type[enum.Enum], value: Any) -> enum.Enum:
    try:
        return enum_class(value)
    except ValueError:
        raise v.FieldInvalid(field, _("choose one of the listed values.")) from None


def _flag(field: str, value: Any) -> bool:
    """A yes/no that is always known (stored not null)."""
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    if text in ("yes", "true", "1"):
        return True
    if text in ("no", "false", "0", ""):
        return False
    raise v.FieldInvalid(field, _("answer yes or no."))


def _referred_by(value: Any) -> ReferredBy | None:
    """Nobody recorded yet (empty), or one of who may send a client."""
    if value in (None, ""):
        return None
    return _enum_value("referred_by", ReferredBy, value)  # type: ignore[return-value]


def _validate(
    session: Session, changes: Mapping[str, Any], current: Mapping[str, Any], today: dt.date
) -> dict[str, Any]:
    """Validated, normalised values for `changes`; raises ValidationFailed listing every field."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    merged = {**current, **changes}
    out: dict[str, Any] = {}
    errors: dict[str, str] = {}

    def check(field: str, fn: Callable[[], Any]) -> None:
        if field not in changes:
            return
        try:
            out[field] = fn()
        except v.FieldInvalid as exc:
            errors[exc.field] = str(exc)

    for field, (required, length) in _TEXT_FIELDS.items():
        check(field, partial(_text, field, changes.get(field), required, length))
    for field, enum_class in ENUM_FIELDS.items():
        check(field, partial(_enum_value, field, enum_class, changes.get(field)))
    check("birth_date", lambda: v.birth_date(changes["birth_date"], today))
    check("phone", lambda: v.phone("phone", changes["phone"]))
    check("phone_alt", lambda: v.phone("phone_alt", changes["phone_alt"]))
    check("email", lambda: v.email(changes["email"]))
    check(
        "contact_language", lambda: v.language_code("contact_language", changes["contact_language"])
    )
    check("other_languages", lambda: _languages(changes["other_languages"]))
    check("country", lambda: _country(changes["country"]))
    check("interpreter_needed", lambda: _flag("interpreter_needed", changes["interpreter_needed"]))
    check("referred_by", lambda: _referred_by(changes["referred_by"]))
    check("referred_by_detail",
          lambda: v.optional_text("referred_by_detail", changes["referred_by_detail"], 200))  # fmt: skip
    for field, checked in client_conditions.validators(dict(changes)).items():
        check(field, checked)
    if "postal_code" in changes or "country" in changes:
        country = out.get("country", merged.get("country") or "BE")
        code = merged.get("postal_code")
        try:
            out["postal_code"] = v.postal_code(code, country) if code else None
        except v.FieldInvalid as exc:
            errors["postal_code"] = str(exc)
        else:
            code = out["postal_code"]
            out["province"] = v.province_for_postal_code(code) if code and country == "BE" else None
    if "national_number" in changes or "birth_date" in changes:
        _check_national_number(session, changes, merged, out, errors)
    _check_email_status(changes, merged, out, errors)
    if errors:
        raise ValidationFailed(errors)
    return out


def _check_national_number(
    session: Session,
    changes: Mapping[str, Any],
    merged: Mapping[str, Any],
    out: dict[str, Any],
    errors: dict[str, str],
) -> None:
    wanted = merged.get("national_number")
    if (
        wanted
        and "national_number" in changes
        and not org_settings.national_number_enabled(session)
    ):
        errors["national_number"] = f"{v.field_label('national_number')}: " + _(
            "this organisation does not record national numbers; an administrator can "
            "switch them on in Settings where a legal basis exists."
        )
        return
    try:
        number, issuer = v.national_number(wanted, out.get("birth_date", merged.get("birth_date")))
    except v.FieldInvalid as exc:
        # a changed birth date that contradicts the stored number is the date's problem
        field = "national_number" if "national_number" in changes else "birth_date"
        errors[field] = (
            str(exc)
            if field == "national_number"
            else (
                f"{v.field_label('birth_date')}: "
                + _("it does not match the national number on file; check both.")
            )
        )
        return
    out["national_number"], out["national_number_country"] = number, issuer


def _check_email_status(
    changes: Mapping[str, Any],
    merged: Mapping[str, Any],
    out: dict[str, Any],
    errors: dict[str, str],
) -> None:
    """E-mail address *or* an e-mail status: an address means 'has e-mail'."""
    address = out.get("email", merged.get("email"))
    status = out.get("email_status", merged.get("email_status"))
    if "email" in changes and address and "email_status" not in changes:
        out["email_status"] = EmailStatus.HAS_EMAIL
    elif address and status in WITHOUT_EMAIL:
        errors["email_status"] = f"{v.field_label('email_status')}: " + _(
            "a client registered without e-mail cannot have an address; clear the e-mail "
            "field first."
        )


def _languages(value: Any) -> list[str]:
    items = value.replace(";", ",").split(",") if isinstance(value, str) else list(value or [])
    codes = [v.language_code("other_languages", str(item)) for item in items if str(item).strip()]
    return list(dict.fromkeys(code for code in codes if code))


def _country(value: Any) -> str:
    code = str(value or "").strip().upper()
    if code not in {"BE", "NL"}:
        raise v.FieldInvalid("country", _("choose Belgium (BE) or the Netherlands (NL)."))
    return code


def _current_values(client: Client) -> dict[str, Any]:
    return {field: getattr(client, field) for field in EDITABLE_FIELDS}


def create_client(
    session: Session,
    values: Mapping[str, Any],
    *,
    actor: Actor,
    referent_id: int | None,
    reason: AssignmentReason = AssignmentReason.DISPATCH,
    today: dt.date | None = None,
) -> Client:
    """A new client file, with its first referent or (`referent_id` None) waiting in the
    team leads' dispatch inbox for one; the dossier number is assigned here."""
    today = today or local_today()
    defaults = {"given_name": "", "family_name": "", "country": "BE"}
    validated = _validate(session, {**defaults, **values}, {}, today)
    if session.get_bind().dialect.name == "postgresql":
        # a team server counts over every client, which a counsellor may not read (0009); its
        # sequence never hands out a key twice, an erased client's included
        dossier = session.scalar(select(func.traject_next_dossier(today.year)))
        client = Client(dossier=dossier, **validated)
    else:
        write_lock.hold(session, Client.__tablename__)  # another process may add one meanwhile
        client = Client(id=_next_client_id(session),
                        dossier=next_dossier_number(session, today.year), **validated)  # fmt: skip
    session.add(client)
    session.flush()
    # recorded first: on a team server only the account that created a file may give it its
    # first referent or write into it before someone follows it (0013, traject_unassigned)
    audit.record(session, AuditAction.CREATE, counsellor_id=actor.counsellor_id, client_id=client.id,
                 detail=audit.changed_fields(k for k, value in validated.items() if value not in (None, "", [])))  # fmt: skip
    if referent_id is not None:
        assignments.start_referent(session, client.id, referent_id, reason=reason, on=today)
    return client


def open_file(
    session: Session, client_id: int, *, actor: Actor, reason: str | None = None,
    today: dt.date | None = None,
) -> Client:  # fmt: skip
    """The client's file for `actor`, recorded in the audit trail. Someone else's client needs
    a `reason` (BreakGlassRequired says so); the reason is recorded too."""
    if reason is not None:  # first: on a team server the file is readable only after it
        access.break_glass(session, actor, client_id, reason)
    client = get_client(session, client_id)
    access.require_file(session, actor, client_id, today)
    audit.record(session, AuditAction.VIEW, counsellor_id=actor.counsellor_id, client_id=client_id)
    return client


def check_changes(
    session: Session, client_id: int, changes: Mapping[str, Any], today: dt.date | None = None
) -> dict[str, Any]:
    """The values `changes` would store, or ValidationFailed; nothing is changed."""
    client = get_client(session, client_id)
    return _validate(session, changes, _current_values(client), today or local_today())


def update_client(
    session: Session,
    client_id: int,
    changes: Mapping[str, Any],
    *,
    actor: Actor,
    expected_version: int | None = None,
    base: Mapping[str, Any] | None = None,
    today: dt.date | None = None,
) -> Client:
    """Apply `changes` (field → value) if all are valid; the caller commits.

    `expected_version` is the version the editor read. When a colleague saved since, `base`
    (the values the changed fields had when read) decides: fields the colleague left alone
    take my change on top of theirs (edit_conflicts.merge); a field we both changed raises
    EditConflict for a field-by-field comparison, and nothing is written. Without `base`, any
    change since reading is refused (Conflict)."""
    client = get_client(session, client_id)
    access.require_file(session, actor, client_id, today)
    validated = _validate(session, changes, _current_values(client), today or local_today())
    if expected_version is not None and client.version != expected_version:
        if base is None:
            raise Conflict(
                _("Someone else changed this client file meanwhile; it has been reloaded.")
            )
        edit_conflicts.merge(client, validated, base)
    if validated.get("status") == ClientStatus.CLOSED and client.status != ClientStatus.CLOSED:
        validated["closed_on"] = today or local_today()
    elif "status" in validated and validated["status"] != ClientStatus.CLOSED:
        validated["closed_on"] = None
    for field, value in validated.items():
        setattr(client, field, value)
    try:
        session.flush()
        audit.record(session, AuditAction.CHANGE, counsellor_id=actor.counsellor_id,
                     client_id=client_id, detail=audit.changed_fields(validated))  # fmt: skip
    except StaleDataError:
        # a colleague committed between our read and our write: read theirs, compare again
        session.rollback()
        if base is None or expected_version in (None, RETRY):
            raise Conflict(
                _("Someone else changed this client file meanwhile; it has been reloaded.")
            ) from None
        return update_client(session, client_id, changes, actor=actor, base=base, today=today,
                             expected_version=RETRY)  # fmt: skip
    return client


def close_client(
    session: Session, client_id: int, *, actor: Actor, today: dt.date | None = None
) -> Client:
    return update_client(
        session, client_id, {"status": ClientStatus.CLOSED}, actor=actor, today=today
    )


def dossiers(session: Session, ids: set[int]) -> dict[int, str]:
    """Dossier numbers by client id; an erased client has none (it is not found)."""
    rows = session.execute(select(Client.id, Client.dossier).where(Client.id.in_(ids)))
    return {row.id: row.dossier for row in rows}
