"""The offer catalogue as a file: `resources/offers/sample.yaml` ships with Traject and is loaded
into a new database once; an administrator exports the catalogue (YAML or JSON, the same
layout) and imports the organisation's own. Every entry is checked like the admin's form
(`offer_fields`), and an import with one bad entry changes nothing.

Format 2 gives the texts a client reads per language (`what_to_bring: {nl: …, fr: …, en: …}`);
a format 1 file, with one plain text each, is still read (the text is in the offer's first
language)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from app.i18n import _
from app.models import Offer
from app.models.enums import AuditAction
from app.package_data import resources
from app.services import org_settings
from app.services.data_files import load_yaml
from app.services.errors import ServiceError
from app.services.privacy import access, audit
from app.services.privacy.access import Actor
from app.services.referrals.offer_fields import COLUMNS, TEXT_FIELDS, checked_offer, offer_texts
from app.services.reliability.whole_file import write_whole

SAMPLE_CATALOGUE = resources() / "offers" / "sample.yaml"
FORMAT = 2
#: Formats this Traject reads: 1 had one plain text per field.
READS = (1, 2)
#: A catalogue of a thousand offers takes well under 1 MB; reading is refused far above that.
MAX_FILE_SIZE = 5_000_000
#: Set once the sample was loaded, so an administrator who removed it does not get it back.
SAMPLE_LOADED = "offer_sample_loaded"


class CatalogueInvalid(ServiceError):
    """A catalogue file that cannot be used; the message lists every problem."""


@dataclass(frozen=True)
class ImportSummary:
    added: int
    updated: int
    unchanged: int


def read(path: Path) -> tuple[list[dict[str, Any]], bool]:
    """The checked entries of a catalogue file and whether it is sample data."""
    try:
        if path.stat().st_size > MAX_FILE_SIZE:
            raise CatalogueInvalid(
                _("{file} is larger than {mb} MB; an offer catalogue is far smaller. Choose the "
                  "catalogue file.").format(file=path.name, mb=MAX_FILE_SIZE // 1_000_000)
            )  # fmt: skip
        document = load_yaml(path.read_text(encoding="utf-8"))  # JSON is YAML too
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise CatalogueInvalid(_("Cannot read the catalogue {file}: {reason}")
                               .format(file=path.name, reason=getattr(exc, "strerror", None) or exc)) from None  # fmt: skip
    if not isinstance(document, dict) or not isinstance(document.get("offers"), list):
        raise CatalogueInvalid(_("{file} is not an offer catalogue: it needs a list “offers”.")
                               .format(file=path.name))  # fmt: skip
    if document.get("format", FORMAT) not in READS:
        raise CatalogueInvalid(_("{file} has catalogue format {found}; this Traject reads formats {wanted}.")
                               .format(file=path.name, found=document.get("format"),
                                       wanted=", ".join(map(str, READS))))  # fmt: skip
    entries: list[dict[str, Any]] = []
    problems: list[str] = []
    codes: set[str] = set()
    for number, raw in enumerate(document["offers"], start=1):
        if not isinstance(raw, dict):
            problems.append(_("Offer {n}: not a set of fields.").format(n=number))
            continue
        values, errors = checked_offer(_from_file(raw))
        if values.get("code") in codes:
            errors["code"] = _("Code: “{code}” appears twice in the file.").format(
                code=values["code"]
            )
        unknown = {str(name) for name in raw} - {*COLUMNS, "type"}
        if unknown:
            errors["file"] = _("unknown fields {names}.").format(names=", ".join(sorted(unknown)))
        if errors:
            label = raw.get("code") or raw.get("name") or ""
            label = label if isinstance(label, str | int) else ""  # not a list's whole text
            problems += [_("Offer {n} ({label}): {problem}").format(n=number, label=label, problem=msg)
                         for msg in errors.values()]  # fmt: skip
            continue
        codes.add(values["code"])
        entries.append(values)
    if problems:
        raise CatalogueInvalid("\n".join(problems))
    return entries, bool(document.get("sample", False))


def _from_file(raw: Mapping[str, Any]) -> dict[str, Any]:
    values = {key: raw.get(key) for key in COLUMNS if key != "offer_type"}
    values["offer_type"] = raw.get("type", raw.get("offer_type"))
    return values


def load_sample(session: Session) -> int:
    """Load the shipped sample into a new database (once); returns how many offers."""
    if org_settings.get(session, SAMPLE_LOADED) == "1":
        return 0
    if session.scalar(select(func.count()).select_from(Offer)):
        return 0
    entries, _sample = read(SAMPLE_CATALOGUE)
    session.add_all(Offer(**values, is_sample=True) for values in entries)
    org_settings.put(session, SAMPLE_LOADED, "1")
    session.flush()
    return len(entries)


def import_file(session: Session, actor: Actor, path: Path) -> ImportSummary:
    """Add or update offers by code (the administrator's; the caller commits). All or nothing."""
    access.require_admin(actor)
    entries, sample = read(path)
    existing = {offer.code: offer for offer in session.scalars(select(Offer))}
    added = updated = unchanged = 0
    for values in entries:
        offer = existing.get(values["code"])
        if offer is None:
            session.add(Offer(**values, is_sample=sample))
            added += 1
            continue
        changed = any(getattr(offer, key) != value for key, value in values.items())
        if changed or offer.is_sample != sample:
            for key, value in values.items():
                setattr(offer, key, value)
            offer.is_sample = sample
            updated += 1
        else:
            unchanged += 1
    session.flush()
    audit.record(session, AuditAction.CHANGE, counsellor_id=actor.counsellor_id,
                 detail=f"offers: imported {added} new, {updated} changed")  # fmt: skip
    return ImportSummary(added, updated, unchanged)


def export_file(session: Session, path: Path) -> int:
    """Write the whole catalogue (JSON for a .json file, else YAML); returns how many offers."""
    offers = list(
        session.scalars(select(Offer).order_by(Offer.region, Offer.offer_type, Offer.code))
    )
    rows = []
    for offer in offers:
        row: dict[str, Any] = {"code": offer.code, "type": offer.offer_type}
        row.update(
            {key: getattr(offer, key) for key in COLUMNS if key not in ("code", "offer_type")}
        )
        row.update({key: offer_texts(offer, key) for key in TEXT_FIELDS})
        rows.append({key: value for key, value in row.items() if value not in (None, "", [], {})})
    document = {"format": FORMAT, "sample": bool(offers) and all(o.is_sample for o in offers),
                "offers": rows}  # fmt: skip
    if path.suffix.lower() == ".json":
        text = json.dumps(document, ensure_ascii=False, indent=2)
    else:
        text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
    write_whole(
        path, text.encode("utf-8"), _("Cannot write {file} ({reason}); choose another place.")
    )
    return len(offers)


def holds_samples(session: Session) -> bool:
    """Whether the catalogue still holds sample offers (the dialog says so until replaced)."""
    return bool(session.scalar(select(exists().where(Offer.is_sample.is_(True)))))
