"""Importing clients from a counsellor's spreadsheet: columns recognised by their Dutch, French
or English headers (or mapped by hand), each row checked exactly like a client typed in, and
every other row reported with its line, column and reason in the interface language. A person
already in the caseload (same national number, or same name and date of birth) is never added
twice. A sheet holds at most MAX_ROWS rows. The good rows are committed in batches so that
others can keep working, and the import stays all or nothing for the person importing (see
`import_runs`). A cell that a spreadsheet program would run as a formula is imported as the
text it is, with a warning.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.i18n import _, format_number, ngettext
from app.models import Assignment, Client
from app.models.enums import AssignmentRole
from app.models.people import client_sort_name
from app.models.text import fold
from app.services import org_settings
from app.services import validation as v
from app.services.caseload import clients
from app.services.errors import ServiceError, ValidationFailed
from app.services.privacy.access import Actor
from app.services.reliability import import_runs
from app.services.reliability.spreadsheet import FORMULA_START, Sheet, csv_bytes

MAX_ROWS = 50_000
_PHONE_LIKE = re.compile(r"^\+[\d\s./()-]+$")  # "+32 470…" starts with "+" and is no formula

#: Headers as counsellors write them, per field, in nl, fr and en (compared folded, without
#: punctuation: "E-mail", "e-mail" and "Email" are one header).
HEADERS: dict[str, tuple[str, ...]] = {
    "given_name": ("voornaam", "voornamen", "prenom", "prenoms", "first name", "firstname",
                   "given name"),
    "family_name": ("achternaam", "familienaam", "naam", "nom", "nom de famille", "last name",
                    "lastname", "surname", "family name"),
    "birth_date": ("geboortedatum", "geboren", "date de naissance", "ne le", "nee le",
                   "birth date", "date of birth", "birthdate", "dob"),
    "national_number": ("rijksregisternummer", "rijksregister", "rrn", "insz", "bsn",
                        "numero de registre national", "registre national", "niss",
                        "national number", "national register number"),
    "phone": ("gsm", "telefoon", "telefoonnummer", "tel", "mobiel", "gsm nummer", "telephone",
              "portable", "phone", "mobile", "phone number"),
    "email": ("e mail", "email", "mail", "e mailadres", "mailadres", "courriel",
              "adresse e mail", "e mail address", "email address"),
    "street": ("straat", "rue", "street"),
    "house_number": ("huisnummer", "nummer", "nr", "numero", "house number"),
    "postal_code": ("postcode", "code postal", "cp", "postal code", "zip", "zip code"),
    "municipality": ("gemeente", "woonplaats", "stad", "plaats", "commune", "localite", "ville",
                     "municipality", "city", "town"),
    "contact_language": ("taal", "contacttaal", "voertaal", "langue", "langue de contact",
                         "language", "contact language"),
    "preferred_office": ("kantoor", "voorkeurkantoor", "voorkeur kantoor", "agence", "bureau",
                         "office", "preferred office"),
}  # fmt: skip
IMPORTABLE = tuple(HEADERS)
DATE_FORMATS = {  # the pattern a cell must have, and how it is read
    re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$"): "%d/%m/%Y",
    re.compile(r"^\d{1,2}-\d{1,2}-\d{4}$"): "%d-%m-%Y",
    re.compile(r"^\d{1,2}\.\d{1,2}\.\d{4}$"): "%d.%m.%Y",
    re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$"): "%Y-%m-%d",
}
_NL_POSTAL = re.compile(r"^\s*[1-9]\d{3}\s?[A-Za-z]{2}\s*$")


def header_key(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", fold(text)).split())


@cache
def _header_lookup() -> dict[str, str]:
    return {header_key(alias): name for name, aliases in HEADERS.items() for alias in aliases}


def guess_mapping(headers: list[str]) -> dict[int, str]:
    """Column index -> field for the headers Traject recognises (the first column wins)."""
    mapping: dict[int, str] = {}
    for index, header in enumerate(headers):
        name = _header_lookup().get(header_key(header))
        if name and name not in mapping.values():
            mapping[index] = name
    return mapping


class TooManyRows(ServiceError):
    """The sheet is over MAX_ROWS rows; nothing is imported."""


@dataclass(frozen=True)
class Rejected:
    line: int
    column: str  # the header as written in the file ("" when the row as a whole is wrong)
    reason: str
    cells: tuple[str, ...]


@dataclass
class ImportReport:
    rows: int = 0
    imported: list[tuple[int, str]] = field(default_factory=list)  # (line, new dossier)
    rejected: list[Rejected] = field(default_factory=list)
    warnings: list[Rejected] = field(default_factory=list)  # imported, but worth a look
    notes: list[str] = field(default_factory=list)

    @property
    def rejected_lines(self) -> list[int]:
        return sorted({r.line for r in self.rejected})

    @property
    def exit_code(self) -> int:
        return 3 if self.rejected else 0


def check_size(sheet: Sheet, name: str) -> None:
    if len(sheet.rows) > MAX_ROWS:
        raise TooManyRows(
            _("{file} has {n} rows; Traject imports at most {most} at a time, so nothing was "
              "imported. Split the sheet into files of at most {most} rows and import them one "
              "after the other.").format(file=name, n=format_number(len(sheet.rows)),
                                         most=format_number(MAX_ROWS))
        )  # fmt: skip


def parse_date(text: str) -> dt.date | None:
    """A date as Belgian and Dutch sheets write it; None when the cell is empty. Raises
    FieldInvalid for anything else, or a day that does not exist (31/02)."""
    text = text.strip()
    if not text:
        return None
    for pattern, fmt in DATE_FORMATS.items():
        if pattern.match(text):
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                break
    raise v.FieldInvalid(
        "birth_date",
        _("“{value}” is not a date; write it as dd/mm/yyyy, for example 30/07/1985.").format(
            value=text
        ),
    )


def phone_number(text: str) -> str:
    """Belgian numbers as they are; a Dutch number written the Dutch way (06 12345678) is
    recognised too. Anything else is left for the validator to explain."""
    import phonenumbers

    text = text.strip()
    for region in ("BE", "NL"):
        try:
            parsed = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(parsed):
            return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))
    return text


@cache
def _language_names() -> dict[str, str]:
    from babel import Locale

    names: dict[str, str] = {}
    for ui in ("en", "fr", "nl"):
        for code, name in Locale.parse(ui).languages.items():
            if "_" not in code:
                names.setdefault(fold(name), code)
    return names


def language(text: str) -> str:
    """A language code from a code or a language's name in nl, fr or en (Arabisch, arabe)."""
    text = text.strip()
    return _language_names().get(fold(text), text)


def row_values(cells: list[str], mapping: Mapping[int, str]) -> dict[str, Any]:
    """The client fields of one row, converted to what the client form would hold."""
    values: dict[str, Any] = {}
    for index, name in mapping.items():
        cell = cells[index].strip() if index < len(cells) else ""
        if not cell:
            continue
        if name == "birth_date":
            values[name] = parse_date(cell)
        elif name == "phone":
            values[name] = phone_number(cell)
        elif name == "contact_language":
            values[name] = language(cell)
        else:
            values[name] = cell
    if _NL_POSTAL.match(str(values.get("postal_code", ""))):
        values["country"] = "NL"
    return values


class _Duplicates:
    """People already in the caseload or earlier in the file."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.seen: dict[tuple[Any, ...], int] = {}

    def keys(self, values: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        keys: list[tuple[Any, ...]] = []
        if values.get("national_number"):
            keys.append(("nn", re.sub(r"\D", "", str(values["national_number"]))))
        if values.get("birth_date") and values.get("given_name") and values.get("family_name"):
            sort_name = client_sort_name(values["family_name"], values["given_name"])
            keys.append(("name", sort_name, values["birth_date"]))
        return keys

    def earlier(self, values: Mapping[str, Any]) -> str | None:
        for key in self.keys(values):
            if key in self.seen:
                return _(
                    "the same person as line {line} of this file; it is imported once."
                ).format(line=self.seen[key])
            if self._in_caseload(key):
                return _("this person is already in the caseload (same {what}); nothing was added.").format(
                    what=_("national number") if key[0] == "nn" else _("name and date of birth"))  # fmt: skip
        return None

    def _in_caseload(self, key: tuple[Any, ...]) -> bool:
        if key[0] == "nn":
            query = select(Client.id).where(Client.national_number == key[1])
        else:
            query = select(Client.id).where(Client.sort_name == key[1], Client.birth_date == key[2])
        return self.session.scalar(query.limit(1)) is not None

    def remember(self, values: Mapping[str, Any], line: int) -> None:
        for key in self.keys(values):
            self.seen.setdefault(key, line)


def import_sheet(
    session: Session, sheet: Sheet, mapping: Mapping[int, str], *, actor: Actor,
    referent_id: int | None, today: dt.date, dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:  # fmt: skip
    """Import the good rows in committed batches (see the module's docstring); a dry run rolls
    each batch back. If anything fails, or `progress` raises to cancel, what this import added
    is removed again before the exception goes on.

    Without `referent_id` the new files wait in the dispatch inbox. While the run lasts they
    are the importing counsellor's (the run marks its clients in their referent period, so a
    failed run can remove them); that period is removed when the run has become final."""
    check_size(sheet, _("The sheet"))
    report = ImportReport(rows=len(sheet.rows))
    mapping = dict(mapping)
    column_of = {
        name: sheet.headers[index] for index, name in mapping.items() if index < len(sheet.headers)
    }
    if "national_number" in mapping.values() and not org_settings.national_number_enabled(session):
        mapping = {i: n for i, n in mapping.items() if n != "national_number"}
        report.notes.append(
            _("The column “{column}” was not imported: this organisation does not record "
              "national numbers.").format(column=column_of["national_number"])
        )  # fmt: skip
    with import_runs.one_at_a_time(session):
        if not dry_run:
            removed = import_runs.remove(session, import_runs.tagged(), actor.counsellor_id)
            if removed:
                report.notes.append(ngettext(
                    "{n} client left behind by an interrupted import was removed first.",
                    "{n} clients left behind by an interrupted import were removed first.",
                    removed).format(n=format_number(removed)))  # fmt: skip
        run = import_runs.Run(session, actor.counsellor_id, dry_run=dry_run)
        try:
            _import_rows(session, sheet, mapping, column_of, report, actor,
                         actor.counsellor_id if referent_id is None else referent_id, today,
                         run, progress)  # fmt: skip
        except BaseException:
            run.undo()
            raise
    if referent_id is None and not dry_run and report.imported:
        _to_dispatch(session, report, actor, today)
    return report


def _to_dispatch(session: Session, report: ImportReport, actor: Actor, today: dt.date) -> None:
    """The files of a finished run without a referent named go to the dispatch inbox: their
    run-time referent periods go, in one transaction (a team server lets a team lead or an
    administrator remove a period; for anyone else the files stay theirs, and the note says)."""
    dossiers = [dossier for _line, dossier in report.imported]
    ids = select(Client.id).where(Client.dossier.in_(dossiers))
    result: Any = session.execute(
        delete(Assignment).where(Assignment.client_id.in_(ids),
                                 Assignment.role == AssignmentRole.REFERENT,
                                 Assignment.counsellor_id == actor.counsellor_id,
                                 Assignment.starts_on == today, Assignment.ends_on.is_(None)),
        execution_options={"synchronize_session": False},
    )  # fmt: skip
    removed = int(result.rowcount)
    session.commit()
    if removed == len(dossiers):
        report.notes.append(ngettext(
            "The new file waits in the dispatch inbox for a referent.",
            "The new files wait in the dispatch inbox for a referent.", removed))  # fmt: skip
    else:
        report.notes.append(ngettext(
            "{n} new file stays in your caseload: only a team lead or an administrator can "
            "leave files for dispatch here.",
            "{n} new files stay in your caseload: only a team lead or an administrator can "
            "leave files for dispatch here.",
            len(dossiers) - removed).format(n=format_number(len(dossiers) - removed)))  # fmt: skip


def _import_rows(
    session: Session, sheet: Sheet, mapping: Mapping[int, str], column_of: Mapping[str, str],
    report: ImportReport, actor: Actor, referent_id: int, today: dt.date,
    run: import_runs.Run, progress: Callable[[int, int], None] | None,
) -> None:  # fmt: skip
    duplicates = _Duplicates(session)
    total = len(sheet.rows)
    run.begin_batch()
    for done, (line, cells) in enumerate(sheet.rows, start=1):
        client_id = _import_row(session, line, cells, mapping, column_of, duplicates, report,
                                actor, referent_id, today)  # fmt: skip
        if client_id is not None:
            run.added(client_id)
        if done == total or run.batch_full:
            run.end_batch()
            if progress is not None:
                progress(done, total)
            if done < total:
                run.next_batch()
        elif progress is not None and done % 50 == 0:
            progress(done, total)
    run.finish()


def _formula_warnings(
    line: int, cells: list[str], mapping: Mapping[int, str], column_of: Mapping[str, str]
) -> list[Rejected]:
    found = []
    for index, name in mapping.items():
        cell = cells[index] if index < len(cells) else ""
        if cell.startswith(FORMULA_START) and not (name == "phone" and _PHONE_LIKE.match(cell)):
            found.append(Rejected(line, column_of.get(name, ""), _(
                "“{value}” starts with “{char}”, so a spreadsheet program could run it as a "
                "formula; it was imported as text. Check that it is what the client's file "
                "should say.").format(value=cell, char=cell[0]), tuple(cells)))  # fmt: skip
    return found


def _import_row(
    session: Session, line: int, cells: list[str], mapping: Mapping[int, str],
    column_of: Mapping[str, str], duplicates: _Duplicates, report: ImportReport, actor: Actor,
    referent_id: int, today: dt.date,
) -> int | None:  # fmt: skip
    """The new client's id, or None when the row is refused (one savepoint per row, so a
    refused row leaves no trace)."""

    def reject(field_name: str | None, reason: str) -> None:
        report.rejected.append(
            Rejected(line, column_of.get(field_name or "", ""), reason, tuple(cells))
        )

    try:
        values = row_values(cells, mapping)
    except v.FieldInvalid as exc:
        reject(exc.field, str(exc))
        return None
    duplicate = duplicates.earlier(values)
    if duplicate:
        reject(None, duplicate)
        return None
    try:
        with session.begin_nested():
            client = clients.create_client(
                session, values, actor=actor, referent_id=referent_id, today=today
            )
    except ValidationFailed as exc:
        for field_name, message in exc.errors.items():
            reject(field_name, message)
        return None
    duplicates.remember(values, line)
    report.imported.append((line, client.dossier))
    report.warnings.extend(_formula_warnings(line, cells, mapping, column_of))
    return client.id


def rejected_csv(sheet: Sheet, report: ImportReport) -> bytes:
    """The refused rows as they were, plus a column with the reasons, to fix and import again
    (Excel opens it with its accents: UTF-8 with a BOM, `;` between cells)."""
    reasons: dict[int, list[str]] = {}
    for item in report.rejected:
        reasons.setdefault(item.line, []).append(item.reason)
    rows: list[list[str]] = [[*sheet.headers, _("Reason refused")]]
    for line, cells in sheet.rows:
        if line in reasons:
            padded = cells + [""] * (len(sheet.headers) - len(cells))
            rows.append([*padded, " | ".join(reasons[line])])
    return csv_bytes(rows, sheet.delimiter or ";")


def report_csv(report: ImportReport) -> bytes:
    """Every refused row, then every warning, with line, column and reason."""
    rows: list[list[object]] = [[_("Line"), _("Column"), _("Reason")]]
    rows += [[item.line, item.column, item.reason] for item in report.rejected + report.warnings]
    return csv_bytes(rows)
