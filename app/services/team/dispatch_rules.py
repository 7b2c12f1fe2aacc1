"""The organisation's dispatch rules (source 003): how new dossiers find their referent.

Stored as one organisation setting, `dispatch_rules`, a JSON object; `org_settings.update`
checks it through `SPECS` (administrators, audited) and `load` checks it again when read, so a
value written by hand or by an older version never breaks a dispatch (it falls back to the
defaults). Every part may be left out:

    {
      "offices": {"Gent": ["9000", "90*", "Zelzate"]},   office -> the municipalities and postal
                                                        codes it serves ("90*": every code
                                                        starting with 90)
      "specialisms": {"anna": ["lasser", "bouw"]},     login -> profession / desired occupation
                                                        keywords (a keyword matches a part of
                                                        the words, accents and case ignored)
      "languages": {"anna": ["ar", "fr"]},             login -> the languages they speak
      "maximum": 30,                                   the most open files per counsellor
      "maximum_by_login": {"anna": 20},                a counsellor's own maximum
      "order": ["office", "specialism", "language", "load"],   which criterion weighs first
      "office_only": true                               a client whose office is known goes to
                                                        a counsellor of that office only
    }

A client's office is their preferred office (`clients.preferred_office`), else the office that
serves their postal code or municipality. "load" weighs the share of one's maximum already
taken: the least loaded first.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from app.i18n import N_, _, format_number
from app.models import OrgSetting
from app.models.text import fold
from app.services import validation as v
from app.services.contact.contact_policy import Spec

DISPATCH_RULES = "dispatch_rules"
OFFICE, SPECIALISM, LANGUAGE, LOAD = "office", "specialism", "language", "load"
CRITERIA = (OFFICE, SPECIALISM, LANGUAGE, LOAD)
DEFAULT_MAXIMUM = 150  # a full-time caseload in Flemish and Brussels services; set your own
MAXIMUM_RANGE = range(1, 1001)
MAX_CHARS = 64_000  # a large team's rules take a few kB; more is a mistake or an attack
_LOGIN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
_POSTAL = re.compile(r"^[0-9]{1,6}\*?$")


def criterion_label(criterion: str) -> str:
    return {OFFICE: _("Office"), SPECIALISM: _("Profession"), LANGUAGE: _("Language"),
            LOAD: _("Open caseload")}[criterion]  # fmt: skip


@dataclass(frozen=True)
class DispatchRules:
    offices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    specialisms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    languages: dict[str, tuple[str, ...]] = field(default_factory=dict)
    maximum: int = DEFAULT_MAXIMUM
    maximum_by_login: dict[str, int] = field(default_factory=dict)
    order: tuple[str, ...] = CRITERIA
    office_only: bool = True

    def maximum_of(self, login: str) -> int:
        return self.maximum_by_login.get(login, self.maximum)

    def office_serving(self, postal_code: str | None, municipality: str | None) -> str | None:
        """The office that serves this address: an exact postal code or municipality first,
        then the longest postal code prefix."""
        code, place = (postal_code or "").strip(), fold(municipality)
        best: tuple[int, str] | None = None
        for office, areas in self.offices.items():
            for area in areas:
                if area.endswith("*"):
                    if (
                        code
                        and code.startswith(area[:-1])
                        and (best is None or len(area) > best[0])
                    ):
                        best = (len(area), office)
                elif (code and area == code) or (place and fold(area) == place):
                    return office
        return best[1] if best else None

    def as_json(self) -> str:
        return json.dumps({
            "offices": {k: list(a) for k, a in self.offices.items()},
            "specialisms": {k: list(a) for k, a in self.specialisms.items()},
            "languages": {k: list(a) for k, a in self.languages.items()},
            "maximum": self.maximum, "maximum_by_login": self.maximum_by_login,
            "order": list(self.order), "office_only": self.office_only,
        }, ensure_ascii=False, sort_keys=True)  # fmt: skip


def _problem(label: str, part: str, fix: str) -> ValueError:
    return ValueError(_("{setting}, {part}: {fix}").format(setting=label, part=part, fix=fix))


def _words(items: Any) -> tuple[str, ...]:
    values = items.split(",") if isinstance(items, str) else items
    if not isinstance(values, list | tuple) or not all(
        isinstance(x, str | int) and not isinstance(x, bool) for x in values
    ):
        raise TypeError
    return tuple(dict.fromkeys(" ".join(str(x).split()) for x in values if str(x).strip()))


def _login(label: str, part: str, login: Any) -> str:
    text = str(login).strip().lower()
    if not _LOGIN.match(text):
        raise _problem(label, part, _("“{login}” is not a login; use the counsellor's login.")
                       .format(login=login))  # fmt: skip
    return text


def _maximum(label: str, part: str, value: Any) -> int:
    text = str(value).strip()
    whole = text.isascii() and text.isdecimal() and len(text) <= 4  # not "²", not 10**5000
    if isinstance(value, bool) or not whole or int(text) not in MAXIMUM_RANGE:
        raise _problem(label, part, _("give a whole number from {low} to {high}.").format(
            low=MAXIMUM_RANGE[0], high=MAXIMUM_RANGE[-1]))  # fmt: skip
    return int(text)


def parse_rules(label: str, value: Any) -> DispatchRules:
    """The rules in `value` (JSON text or a mapping), or ValueError naming the part to fix."""
    too_long = ValueError(_("{setting}: the rules are longer than {most} characters; shorten "
                            "them (a team's rules take a few thousand).").format(
        setting=label, most=format_number(MAX_CHARS)))  # fmt: skip
    not_json = ValueError(_("{setting}: write the rules as a JSON object, e.g. {example}.")
                          .format(setting=label, example='{"maximum": 30}'))  # fmt: skip
    if isinstance(value, str | bytes) and len(value) > MAX_CHARS:
        raise too_long
    try:
        data = json.loads(value) if isinstance(value, str | bytes) else value
    except (ValueError, RecursionError):  # RecursionError: nested thousands of levels deep
        raise not_json from None
    if data is None or data == "" or (isinstance(value, str | bytes) and not value.strip()):
        data = {}
    if not isinstance(data, dict):
        raise not_json
    try:
        rules = _parse(label, data)
    except (TypeError, RecursionError):  # a mapping given directly, of the wrong shape inside
        raise not_json from None
    if len(rules.as_json()) > MAX_CHARS:
        raise too_long
    return rules


def _parse(label: str, data: dict[Any, Any]) -> DispatchRules:
    unknown = sorted(str(k) for k in data if k not in {
        "offices", "specialisms", "languages", "maximum", "maximum_by_login", "order",
        "office_only"})  # fmt: skip
    if unknown:
        raise _problem(label, ", ".join(unknown), _("not a part of the rules; use offices, "
                       "specialisms, languages, maximum, maximum_by_login, order, office_only."))  # fmt: skip
    parts = {key: data.get(key) or {} for key in ("offices", "specialisms", "languages",
                                                   "maximum_by_login")}  # fmt: skip
    if any(not isinstance(p, dict) for p in parts.values()):
        raise ValueError(_("{setting}: offices, specialisms, languages and maximum_by_login "
                           "each map a name to its values.").format(setting=label))  # fmt: skip
    offices: dict[str, tuple[str, ...]] = {}
    for office, areas in parts["offices"].items():
        name = " ".join(str(office).split())
        try:
            cleaned = _words(areas)
        except TypeError:
            cleaned = ()
        if not name or len(name) > 200 or not cleaned:
            raise _problem(label, _("Offices"), _("give each office a name and the postal "
                           "codes or municipalities it serves.").format())  # fmt: skip
        for area in cleaned:
            if area[:1].isdigit() and not _POSTAL.match(area):
                raise _problem(label, name, _("“{area}” is not a postal code; write 9000, or "
                               "90* for every code starting with 90.").format(area=area))  # fmt: skip
        offices[name] = cleaned
    specialisms: dict[str, tuple[str, ...]] = {}
    for login, words in parts["specialisms"].items():
        key = _login(label, _("Specialisms"), login)
        try:
            specialisms[key] = tuple(w for w in _words(words) if len(w) <= 100)
        except TypeError:
            raise _problem(label, key, _("list the keywords, separated by commas.")) from None
    languages: dict[str, tuple[str, ...]] = {}
    for login, codes in parts["languages"].items():
        key = _login(label, _("Languages"), login)
        try:
            found = [v.language_code("languages", code) for code in _words(codes)]
        except (TypeError, v.FieldInvalid):
            raise _problem(label, key, _("name each language, e.g. Arabic, French or ar, fr.")) from None  # fmt: skip
        languages[key] = tuple(dict.fromkeys(c for c in found if c))
    by_login = {_login(label, _("Maximum per counsellor"), login):
                _maximum(label, str(login), most) for login, most in parts["maximum_by_login"].items()}  # fmt: skip
    order = data.get("order") or list(CRITERIA)
    if (not isinstance(order, list | tuple) or not all(isinstance(c, str) for c in order)
            or sorted(order) != sorted(CRITERIA)):  # fmt: skip
        raise _problem(label, _("Order"), _("name each of {criteria} once.").format(
            criteria=", ".join(CRITERIA)))  # fmt: skip
    office_only = data.get("office_only", True)
    if not isinstance(office_only, bool):
        raise _problem(label, "office_only", _("give true or false."))
    return DispatchRules(offices, specialisms, languages,
                         _maximum(label, _("Maximum"), data.get("maximum", DEFAULT_MAXIMUM)),
                         by_login, tuple(order), office_only)  # fmt: skip


def _stored_form(label: str, value: Any) -> str:
    return parse_rules(label, value).as_json()


SPECS: dict[str, Spec] = {
    DISPATCH_RULES: Spec(N_("Dispatch rules"), _stored_form, DispatchRules().as_json()),
}


def load(session: Session) -> DispatchRules:
    """The rules in force; the defaults when none are stored or what is stored is not valid."""
    return load_checked(session)[0]


def load_checked(session: Session) -> tuple[DispatchRules, str | None]:
    """The rules in force, and when the stored value is not valid (written by hand, or by an
    older version) why, with the defaults used instead: for where the rules are shown."""
    row = session.get(OrgSetting, DISPATCH_RULES)
    if row is None:
        return DispatchRules(), None
    try:
        return parse_rules(_(SPECS[DISPATCH_RULES].label), row.value), None
    except ValueError as exc:
        return DispatchRules(), _("{problem} Until this is corrected, dispatch uses the default "
                                  "rules.").format(problem=exc)  # fmt: skip


def counsellor_logins(session: Session) -> list[tuple[str, str]]:
    """(login, name) of every active counsellor, by name: the rows of the rules page."""
    from sqlalchemy import select

    from app.models import Counsellor
    from app.services.caseload.counsellors import full_names

    rows = session.execute(
        select(Counsellor.id, Counsellor.login).where(Counsellor.active.is_(True))
    )
    logins = {row.id: row.login for row in rows}
    names = full_names(session, set(logins))
    return sorted(((login, names.get(i, login)) for i, login in logins.items()),
                  key=lambda pair: (fold(pair[1]), pair[0]))  # fmt: skip


def team_offices(session: Session) -> list[str]:
    """The offices the team has: those of active counsellors and those the rules name."""
    from sqlalchemy import select

    from app.models import Counsellor

    found = set(session.scalars(select(Counsellor.office).where(
        Counsellor.active.is_(True), Counsellor.office.is_not(None)).distinct()))  # fmt: skip
    found |= set(load(session).offices)
    return sorted((o for o in found if o), key=fold)
