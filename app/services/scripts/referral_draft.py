"""What the referral form starts with when a guided conversation suggests a referral: the offer
of the suggested type in the client's province, the reason written from the run's result and
its reasons (and the flag that suggested it), what was agreed in the conversation (the agreed
outcomes, the texts the actions take, the action points made, the other actions taken), the
follow-up date, and the letter fields the file already says are absent (a client registered
without an e-mail address is not asked for one again). Saving makes the referral from the run
and notes the action in it. The reason and the agreement are written in the language of the
partner's letter, where they are printed (not the interface's); the caller commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import LANGUAGES, DocumentSpeech, _, document_language, interface_speech
from app.models import ActionPoint, Client, Offer, Referral, ScriptRun
from app.models.enums import ConsentPurpose, EmailStatus
from app.models.practical import OfferType
from app.services.caseload import clients
from app.services.errors import ValidationFailed
from app.services.privacy.access import Actor
from app.services.referrals import offers, referrals
from app.services.scripts import actions, engine, runs
from app.services.scripts.conditions import conclusions
from app.services.scripts.definition import Action, QuestionType, Script

#: E-mail statuses that say the client has no address of their own, on purpose (source 004).
WITHOUT_EMAIL = (EmailStatus.WITHOUT_EMAIL_TRAINING, EmailStatus.WITHOUT_EMAIL_UNABLE)


@dataclass(frozen=True)
class ReferralDraft:
    """A referral the counsellor still reads, edits and saves (`save`)."""

    run_id: int
    action_id: str
    client_id: int
    offer_type: OfferType
    offer_id: int | None  # the type's offer in the client's province; None: the catalogue has none
    where: str  # the client's province, named, for "no offer in …"
    reason: str
    agreed: str
    follow_up_on: dt.date
    left_out: frozenset[str]  # letter fields known to be absent: not asked for again
    language: str  # of the reason and the agreement: the partner letter's, where they print


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?…:;" else text + "."


def province_offer(session: Session, client: Client, offer_type: OfferType) -> Offer | None:
    """The offer of this type in the client's province (the organisation's own before samples)."""
    if client.province is None:
        return None
    found = offers.suggestions(session, client, offer_type)
    first = found[0] if found else None
    if (
        first is None
        or first.offer_type != offer_type.value
        or first.region != client.province.value
    ):
        return None
    return first


def reason_text(script: Script, run: ScriptRun, action: Action, speech: DocumentSpeech) -> str:
    """The script's result (the counsellor's own judgement when there is one) with the reasons
    that produced it, and the flags the action was suggested for, as sentences to edit."""
    result_id = run.override_result or run.result or ""
    label = next((r.label for r in script.results if r.id == result_id), result_id)
    parts = [
        speech.gettext("{script}: {result}.").format(
            script=speech.gettext(script.title), result=speech.gettext(label)
        )
    ]
    if run.override_result and run.override_reason:
        parts.append(_sentence(run.override_reason))
    else:
        parts += [_sentence(speech.gettext(r)) for r in run.result_reasons or ()]
    flagged = {id_ for kind, id_, _path in conclusions(action.when, "") if kind == "flag"}
    for raised in run.flags or []:
        flag = next((f for f in script.flags if f.id == raised.get("id")), None)
        if flag is None or flag.id not in flagged:
            continue
        why = " ".join(_sentence(speech.gettext(r)) for r in raised.get("reasons") or ())
        label = speech.gettext(flag.label)
        parts.append(
            speech.gettext("{flag}: {reasons}").format(flag=label, reasons=why)
            if why
            else _sentence(label)
        )
    return " ".join(p for p in parts if p)


def _answer_text(script: Script, question_id: str, value: Any, speech: DocumentSpeech) -> str:
    question = script.question(question_id)
    if question.type == QuestionType.DATE:
        return speech.format_date(dt.date.fromisoformat(str(value)), "long")
    if question.type in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE):
        chosen = value if isinstance(value, list) else [value]
        return "; ".join(speech.gettext(question.option_text(str(v))) for v in chosen)
    return str(value)


def _taken(run: ScriptRun) -> list[str]:
    return [str(t.get("action")) for t in run.actions_taken or []]


def _done_text(action: Action, speech: DocumentSpeech) -> str | None:
    """An action already taken in the run, as an agreement (None: said elsewhere or not one)."""
    if action.kind == "email_status" and action.email_status:
        return speech.gettext("E-mail status: {status}.").format(
            status=EmailStatus(action.email_status).label_in(speech)
        )
    if action.kind == "consent" and action.consent:
        return speech.gettext("Consent recorded: {purpose}.").format(
            purpose=ConsentPurpose(action.consent).label_in(speech)
        )
    if action.kind == "print" and action.sheet == "free_internet_places":
        return speech.gettext("The client received the places with free internet on paper.")
    return None


def agreed_text(
    session: Session,
    script: Script,
    run: ScriptRun,
    answers: Mapping[str, Any],
    action_id: str,
    speech: DocumentSpeech,
) -> str:
    """One line per agreement: the outcome answers the script counts (e.g. what was agreed in
    the e-mail guide), the texts and dates the suggested actions take from the answers (unless
    the action point made from them says it), the action points made in the run, and the other
    actions already taken."""
    counted = engine.relevant_answers(script, answers)
    taken = _taken(run)
    asked = list(script.statistics.count) if script.statistics else []
    for action in script.actions:
        if not (action.kind == "action_point" and action.id in taken):
            asked += [q for q in (action.text_from, action.due_from) if q]
    lines: list[str] = []
    for question_id in dict.fromkeys(asked):
        if counted.get(question_id) in (None, "", []):
            continue
        text = speech.gettext(script.question(question_id).text).rstrip(" ?:\u00a0\u202f")
        answer = _answer_text(script, question_id, counted[question_id], speech)
        lines.append(speech.gettext("{question}: {answer}").format(question=text, answer=answer))
    points = session.scalars(select(ActionPoint).where(ActionPoint.script_run_id == run.id)
                             .order_by(ActionPoint.id))  # fmt: skip
    for point in points:
        if point.due_on is None:
            lines.append(speech.gettext("Action point: {title}").format(title=point.title))
        else:
            lines.append(speech.gettext("Action point: {title} (by {date})").format(
                title=point.title, date=speech.format_date(point.due_on, "long")))  # fmt: skip
    by_id = {a.id: a for a in script.actions}
    for taken_id in taken:
        done = by_id.get(taken_id)
        said = _done_text(done, speech) if done is not None and done.id != action_id else None
        if said:
            lines.append(said)
    return "\n".join(dict.fromkeys(lines))


def partner_language(offer: Offer | None) -> str:
    """The language the partner's letter is written in (as `letters.default_language`): the
    offer's first interface language, else the default."""
    spoken = (offer.languages or []) if offer is not None else []
    return next((c for c in spoken if c in LANGUAGES), None) or document_language(None)


def known_absent(client: Client) -> frozenset[str]:
    """Letter fields the file says are empty on purpose (registered without an e-mail address)."""
    if client.email_status in WITHOUT_EMAIL and not client.email:
        return frozenset({"email"})
    return frozenset()


def draft(
    session: Session, actor: Actor, run_id: int, script: Script, action_id: str
) -> ReferralDraft:
    """The pre-filled referral for a run's suggested referral action."""
    run = runs.get(session, actor, run_id)
    action = actions.suggested(script, action_id)
    if action.kind != "referral" or action.offer_type is None:
        raise ValidationFailed(
            {"action": _("“{action}” is not a referral.").format(action=_(action.label))}
        )
    client = clients.get_client(session, run.client_id)
    offer_type = OfferType(action.offer_type)
    offer = province_offer(session, client, offer_type)
    answers = runs.answers(session, run.id)
    where = client.province.label if client.province else _("the client's region")
    language = partner_language(offer)
    speech = interface_speech(language)
    return ReferralDraft(run.id, action.id, client.id, offer_type, offer.id if offer else None, where,
                         reason_text(script, run, action, speech),
                         agreed_text(session, script, run, answers, action.id, speech),
                         actions.due_date(action, answers), known_absent(client), language)  # fmt: skip


def save(
    session: Session, actor: Actor, made: ReferralDraft, offer_id: int, values: Mapping[str, Any],
    *, consent: bool,
) -> Referral:  # fmt: skip
    """The referral as the counsellor edited it, linked to the run (its letters show the
    run's result), the action noted in the run; with `consent` the consent recorded today."""
    run = runs.get(session, actor, made.run_id)
    referral = referrals.create(session, actor, made.client_id, offer_id, values,
                                script_run_id=run.id, consent=consent)  # fmt: skip
    runs.note_action(session, run, made.action_id, offers.get(session, offer_id).code)
    return referral
