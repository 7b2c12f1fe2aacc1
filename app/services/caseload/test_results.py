"""Test results in a client's file (source 000): cognitive skills tests, reading and writing
tests, language entry tests and certified language tests — which test, the language tested,
the level reached and/or pass or fail, when, and who administered it. Recorded and corrected
by whoever may work on the file, removed only by a team lead or an administrator (like any
removal from a file), every change audited without its content.

`measured_level` is what letters and scripts use instead of the level a client declared:
the level of the latest language test (certified or entry) in that language that was not
failed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import _
from app.language_names import display_name
from app.models.enums import AuditAction
from app.models.results import CEFR_LEVELS, TestKind, TestResult
from app.services import validation as v
from app.services.clock import local_today
from app.services.errors import Conflict, NotFound, ValidationFailed
from app.services.privacy import access, audit
from app.services.privacy.access import Actor

FIELDS = ("kind", "language", "level", "passed", "taken_on", "taken_by", "note")
#: How "passed" is given: yes, no, or not known (a placement test has no pass mark).
PASSED = {"yes": True, "no": False, "unknown": None, "": None}


@dataclass(frozen=True)
class MeasuredLevel:
    """A level a test measured: "B1, certified language test, 12/03/2026"."""

    language: str
    level: str
    kind: TestKind
    taken_on: dt.date
    taken_by: str | None


def _kind(value: Any, errors: dict[str, str]) -> TestKind | None:
    try:
        return TestKind(value.value if isinstance(value, TestKind) else str(value or ""))
    except ValueError:
        errors["kind"] = _("Test: choose which kind of test was taken.")
        return None


def _level(value: Any, errors: dict[str, str]) -> str | None:
    text = str(value or "").strip().upper()
    if not text:
        return None
    if text not in CEFR_LEVELS:
        errors["level"] = _("Level: choose one of {levels}, or leave it empty.").format(
            levels=", ".join(CEFR_LEVELS)
        )
    return text


def _passed(value: Any, errors: dict[str, str]) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    key = str(value).strip().lower()
    if key not in PASSED:
        errors["passed"] = _("Passed: choose yes, no or not known.")
        return None
    return PASSED[key]


def _taken_on(value: Any, errors: dict[str, str], today: dt.date) -> dt.date | None:
    label = v.field_label("taken_on")
    if isinstance(value, str) and value.strip():
        try:
            value = v.typed_date(value)
        except ValueError as exc:  # the form the field expects, or a day that does not exist
            errors["taken_on"] = v.labelled(label, str(exc))
            return None
    if not isinstance(value, dt.date):
        errors["taken_on"] = v.labelled(label, _("give the day the test was taken."))
        return None
    if value > today:
        errors["taken_on"] = v.labelled(label, _("a test result cannot come from the future."))
    return value


def checked(raw: Mapping[str, Any], today: dt.date | None = None) -> dict[str, Any]:
    """The values to store, or ValidationFailed naming each field that is wrong."""
    errors: dict[str, str] = {}
    kind = _kind(raw.get("kind"), errors)
    values: dict[str, Any] = {"kind": kind}
    try:
        values["language"] = v.language_code("language", raw.get("language"))
    except v.FieldInvalid as exc:
        errors["language"] = str(exc)
    if kind is not None and kind.is_language_test and not values.get("language"):
        errors.setdefault("language", _("Language: say which language was tested, e.g. {name}.")
                          .format(name=display_name("nl")))  # fmt: skip
    values["level"] = _level(raw.get("level"), errors)
    values["passed"] = _passed(raw.get("passed"), errors)
    values["taken_on"] = _taken_on(raw.get("taken_on"), errors, today or local_today())
    for field, limit in (("taken_by", 200), ("note", 2000)):
        try:
            values[field] = v.optional_text(field, raw.get(field), limit)
        except v.FieldInvalid as exc:
            errors[field] = str(exc)
    if not errors and values["level"] is None and values["passed"] is None and not values["note"]:
        errors["level"] = _(
            "Outcome: give the level reached, whether the test was passed, or a note."
        )
    if errors:
        raise ValidationFailed(errors)
    return values


def get(session: Session, result_id: int) -> TestResult:
    result = session.get(TestResult, result_id)
    if result is None:
        raise NotFound(_("This test result no longer exists."))
    return result


def record(session: Session, actor: Actor, client_id: int, raw: Mapping[str, Any]) -> TestResult:
    """Add a test result to the file; the caller commits."""
    access.require_file(session, actor, client_id)
    result = TestResult(client_id=client_id, counsellor_id=actor.counsellor_id, **checked(raw))
    session.add(result)
    session.flush()
    audit.record(session, AuditAction.CHANGE, counsellor_id=actor.counsellor_id, client_id=client_id,
                 detail=f"test result {result.kind.value} added")  # fmt: skip
    return result


def correct(session: Session, actor: Actor, result_id: int, raw: Mapping[str, Any],
            *, version: int | None = None) -> TestResult:  # fmt: skip
    """Correct a result (all its fields, as `record` checks them); the caller commits."""
    result = get(session, result_id)
    access.require_file(session, actor, result.client_id)
    if version is not None and result.version != version:
        raise Conflict(_("Someone else changed this test result in the meantime; open it again."))
    values = checked(raw)
    changed = [field for field in FIELDS if getattr(result, field) != values[field]]
    for field in changed:
        setattr(result, field, values[field])
    session.flush()
    if changed:
        audit.record(session, AuditAction.CHANGE, counsellor_id=actor.counsellor_id,
                     client_id=result.client_id,
                     detail=f"test result changed: {audit.changed_fields(changed)}")  # fmt: skip
    return result


def delete(session: Session, actor: Actor, result_id: int) -> None:
    """Remove a result recorded by mistake: team leads and administrators, as for any
    removal from a file (a team server refuses it to others too)."""
    access.require_oversight(actor, _("Only a team lead or an administrator can remove a test result; correct it instead."))  # fmt: skip
    result = get(session, result_id)
    access.require_file(session, actor, result.client_id)
    client_id, kind = result.client_id, result.kind
    session.delete(result)
    session.flush()
    audit.record(session, AuditAction.CHANGE, counsellor_id=actor.counsellor_id, client_id=client_id,
                 detail=f"test result {kind.value} removed")  # fmt: skip


def of_client(session: Session, actor: Actor, client_id: int) -> list[TestResult]:
    """The client's test results, the newest first."""
    access.require_file(session, actor, client_id)
    query = (
        select(TestResult)
        .where(TestResult.client_id == client_id)
        .order_by(TestResult.taken_on.desc(), TestResult.id.desc())
    )
    return list(session.scalars(query))


def measured_level(session: Session, client_id: int, language: str = "nl") -> MeasuredLevel | None:
    """The level of `language` a test measured: of the certified and entry tests in that
    language with a level, the latest one (on one day the certified test first) that was not
    failed — a failed B1 exam does not measure B1. None when no test measured one. No access
    check: the caller has already opened the file (a letter, a guided conversation)."""
    query = (
        select(TestResult)
        .where(
            TestResult.client_id == client_id,
            TestResult.kind.in_([TestKind.CERTIFIED_LANGUAGE, TestKind.ENTRY]),
            TestResult.level.is_not(None),
            TestResult.passed.is_not(False),
        )
        .order_by(TestResult.taken_on.desc(), TestResult.id.desc())
    )
    found = [r for r in session.scalars(query) if _same_language(r.language, language)]
    if not found:
        return None
    day = found[0].taken_on
    best = next(
        (r for r in found if r.taken_on == day and r.kind == TestKind.CERTIFIED_LANGUAGE), found[0]
    )
    assert best.level is not None
    return MeasuredLevel(language, best.level, best.kind, best.taken_on, best.taken_by)


def language_choices(session: Session, client_id: int) -> list[str]:
    """The languages a test is likely in: Dutch, French and English, then the client's own."""
    from app.models import Client

    client = session.get(Client, client_id)
    own = [client.contact_language, *(client.other_languages or [])] if client else []
    return list(dict.fromkeys(["nl", "fr", "en", *(c for c in own if c)]))


def _same_language(code: str | None, language: str) -> bool:
    return (code or "").replace("-", "_").split("_")[0].lower() == language.lower()


#: Declared Dutch levels (`DutchLevel` values) from which a client reads a short practical
#: text in Dutch (what to bring to an appointment).
READS_DUTCH = frozenset({"a2", "b1", "b2", "c1", "c2", "native"})


def measured_dutch_level(session: Session, client_id: int) -> str | None:
    """The Dutch level a test measured as a `DutchLevel` value ("b1"), else None — what a
    guided conversation is given (`scripts.engine`, `measured_level`)."""
    measured = measured_level(session, client_id, "nl")
    return measured.level.lower() if measured is not None else None
