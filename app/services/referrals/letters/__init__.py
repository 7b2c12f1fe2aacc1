"""Referral letters (ReportLab): the formal letter for the partner, in the partner's language,
and the client's plain-language copy, in the client's. A letter is prepared from a referral
whose consent is recorded, previewed with every missing field marked, and finalised only when
each required field is filled or explicitly left out. `batch` writes the week's letters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import DOCUMENT_LANGUAGES, LANGUAGES, N_, _, document_language
from app.models import Client, Counsellor, Offer, OrgSetting, Referral
from app.models.enums import AuditAction
from app.services.clock import local_today
from app.services.errors import NotFound, ValidationFailed
from app.services.privacy import access, audit
from app.services.privacy.access import Actor
from app.services.referrals import offers, referrals
from app.services.referrals.letters import layout, templates
from app.services.referrals.letters.content import LetterContent, gather
from app.services.reliability.whole_file import write_whole

COPIES = templates.KINDS  # "partner", "client"
CHUNK = 500  # ids per IN (…) list
WRITE_FAILED = N_("Cannot write {file} ({reason}); choose another place.")


class LetterIncomplete(ValidationFailed):
    """Required fields are empty and were not left out; `missing` names them."""

    def __init__(self, missing: list[str], labels: list[str]) -> None:
        self.missing = missing
        super().__init__({"letter": _("Fill in or leave out before the letter is final: {fields}.")
                          .format(fields=", ".join(labels))})  # fmt: skip


@dataclass(frozen=True)
class Draft:
    referral_id: int
    client_id: int
    copy: str
    template: templates.Template
    content: LetterContent

    @property
    def language(self) -> str:
        return self.content.language

    def missing(self, left_out: Collection[str] = ()) -> list[str]:
        return layout.missing_fields(self.template, self.content, left_out)

    def label(self, field: str) -> str:
        """A field's label as the letter writes it (its language's catalog)."""
        return self.content.speech.gettext(self.template.labels.get(field, field))

    def preview(self, left_out: Collection[str] = (), large: bool = False) -> bytes:
        return layout.render(self.template, self.content,
                             layout.Options(final=False, left_out=frozenset(left_out), large=large))  # fmt: skip


def languages(copy: str) -> tuple[str, ...]:
    """The languages a copy can be written in: partners read an interface language."""
    return tuple(LANGUAGES) if copy == "partner" else tuple(DOCUMENT_LANGUAGES)


def default_language(session: Session, referral: Referral, copy: str) -> str:
    offer = offers.get(session, referral.offer_id)
    partner = next((c for c in offer.languages or [] if c in LANGUAGES), None)
    if copy == "partner":
        return partner or document_language(None)
    client = session.get(Client, referral.client_id)
    return document_language(client.contact_language if client else None, partner)


def prepare(session: Session, actor: Actor, referral_id: int, copy: str,
            language: str | None = None, today: dt.date | None = None) -> Draft:  # fmt: skip
    if copy not in COPIES:
        raise ValidationFailed({"copy": _("--copy: choose partner or client.")})
    referral = referrals.get(session, referral_id)
    access.require_file(session, actor, referral.client_id)
    # held while the letter is gathered: the session's identity map then answers the next
    # look-ups of the offer, the client and the settings without a round trip each
    _held = hold(session, [referral])
    if not referrals.has_consent(session, referral):
        raise ValidationFailed(
            {
                "consent": _(
                    "Consent: record the client's consent to share the data with this partner before a letter is made."
                )
            }
        )
    if language is not None and language not in languages(copy):
        raise ValidationFailed({"language": _("Language: a {copy} letter can be written in {languages}.")
                                .format(copy=copy, languages=", ".join(languages(copy)))})  # fmt: skip
    language = language or default_language(session, referral, copy)
    content = gather(session, referral, language, today or local_today())
    return Draft(referral.id, referral.client_id, copy, templates.load(copy), content)


def hold(session: Session, chosen: Collection[Referral]) -> list[object]:
    """The rows letters of these referrals read (their clients, offers and referents, and the
    organisation's settings), loaded in a few statements; the caller keeps the list while it
    prepares the letters, so each look-up finds its row in the session."""
    if not chosen:
        return []
    held: list[object] = list(session.scalars(select(OrgSetting)))
    for model, ids in ((Client, {r.client_id for r in chosen}), (Offer, {r.offer_id for r in chosen}),
                       (Counsellor, {r.counsellor_id for r in chosen if r.counsellor_id})):  # fmt: skip
        ordered = sorted(ids)
        for start in range(0, len(ordered), CHUNK):
            held += session.scalars(
                select(model).where(model.id.in_(ordered[start : start + CHUNK]))
            )
    return held


def check_final(draft: Draft, left_out: Collection[str] = ()) -> None:
    """Refuses while a required field is empty and not left out."""
    missing = draft.missing(left_out)
    if missing:
        raise LetterIncomplete(missing, [f"{draft.label(f)} ({f})" for f in missing])


def render_final(draft: Draft, left_out: Collection[str] = (), large: bool = False) -> bytes:
    """The final letter's PDF (no database: a batch renders it in another process)."""
    return layout.render(draft.template, draft.content,
                         layout.Options(final=True, left_out=frozenset(left_out), large=large))  # fmt: skip


def record_print(session: Session, actor: Actor, draft: Draft) -> None:
    """Which letter was printed, never its content; the caller commits."""
    audit.record(session, AuditAction.PRINT, counsellor_id=actor.counsellor_id, client_id=draft.client_id,
                 detail=f"referral letter {draft.referral_id} {draft.copy} {draft.language}")  # fmt: skip


def finalise(session: Session, actor: Actor, draft: Draft, left_out: Collection[str] = (),
             large: bool = False) -> bytes:  # fmt: skip
    """The final letter; refused while a required field is empty and not left out. Audited
    (which letter, never its content); the caller commits."""
    check_final(draft, left_out)
    data = render_final(draft, left_out, large)
    record_print(session, actor, draft)
    return data


def write_file(target: Path, data: bytes) -> None:
    """The letter, whole or not at all."""
    write_whole(target, data, _(WRITE_FAILED))


def referral_for(session: Session, actor: Actor, dossier: str, offer_ref: str) -> Referral:
    """The client's newest referral to that offer (for `traject letter DOSSIER --offer`)."""
    client = session.scalar(select(Client).where(Client.dossier == dossier.strip()))
    if client is None:
        raise NotFound(_("There is no client with dossier {dossier}.").format(dossier=dossier))
    access.require_file(session, actor, client.id)
    offer: Offer = offers.find(session, offer_ref)
    referral = session.scalar(select(Referral).where(Referral.client_id == client.id, Referral.offer_id == offer.id)
                              .order_by(Referral.created_at.desc(), Referral.id.desc()).limit(1))  # fmt: skip
    if referral is None:
        raise NotFound(_("Dossier {dossier} has no referral to “{offer}”; make the referral in the client's file first.")
                       .format(dossier=dossier, offer=offer.name))  # fmt: skip
    return referral
