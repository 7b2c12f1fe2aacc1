"""`traject offers` lists (and for administrators exports or imports) the offer catalogue;
`traject letter DOSSIER --offer OFFER` writes a referral letter for the client's referral to
that offer, in the partner's or the client's language; `traject letter DOSSIER --unreached`
the letter "we could not reach you" in the client's language (recorded as a letter sent)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.i18n import _, ngettext, pgettext
from app.language_names import display_name


def add_parsers(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    from app.models.enums import Province
    from app.models.practical import REGIONS, OfferType

    offers_parser = sub.add_parser(
        "offers", parents=[common], help=_("list the offer catalogue with each offer's id")
    )
    offers_parser.add_argument("--province", metavar=pgettext("placeholder", "P"), choices=[r.value for r in REGIONS],
                        help=_("only this region: {choices}").format(choices=", ".join(p.value for p in Province)))  # fmt: skip
    offers_parser.add_argument("--type", dest="offer_type", metavar=pgettext("placeholder", "T"), choices=[t.value for t in OfferType],
                        help=_("only this type: {choices}").format(choices=", ".join(t.value for t in OfferType)))  # fmt: skip
    offers_parser.add_argument(
        "--format", choices=("table", "json"), default="table", help=_("output format")
    )
    group = offers_parser.add_mutually_exclusive_group()
    group.add_argument(
        "--export",
        metavar=pgettext("placeholder", "FILE"),
        help=_("write the whole catalogue (.yaml or .json)"),
    )
    group.add_argument("--import", dest="import_file", metavar=pgettext("placeholder", "FILE"),
                       help=_("add or update offers from a catalogue file (administrators)"))  # fmt: skip
    letter_parser = sub.add_parser(
        "letter", parents=[common], help=_("write a referral letter as PDF")
    )
    letter_parser.add_argument(
        "dossier", metavar=pgettext("placeholder", "DOSSIER"), help=_("the client's dossier number")
    )
    kind = letter_parser.add_mutually_exclusive_group(required=True)
    kind.add_argument(
        "--offer", metavar=pgettext("placeholder", "OFFER"), help=_("the offer's id or code")
    )
    kind.add_argument("--unreached", action="store_true",
                      help=_("the letter “we could not reach you”, in the client's language"))  # fmt: skip
    # `--lang L` (shared by every command) also chooses the letter's language; by default the
    # partner's, or the client's for their copy
    letter_parser.add_argument("--copy", choices=("partner", "client"), default="partner",
                        help=_("the partner's letter or the client's copy"))  # fmt: skip
    letter_parser.add_argument("--leave-out", metavar=pgettext("placeholder", "FIELD"), action="append", default=[],
                        help=_("leave an empty field out of the letter (repeat for more)"))  # fmt: skip
    letter_parser.add_argument("--large", action="store_true", help=_("larger type (client copy)"))
    letter_parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar=pgettext("placeholder", "FILE"),
        help=_("the PDF to write"),
    )
    offers_parser.set_defaults(handler=offers)
    letter_parser.set_defaults(handler=letter)


def offers(url: str, args: argparse.Namespace) -> int:
    from app.cli.opening import actor_of, opened
    from app.models.practical import OfferType, region_label
    from app.services.referrals import offer_catalogue
    from app.services.referrals import offers as offer_service

    with opened(url) as db, db.database.sessions() as session:
        if args.import_file:
            summary = offer_catalogue.import_file(
                session, actor_of(db, session), Path(args.import_file)
            )
            session.commit()
            print(_("Imported: {added} new, {updated} changed, {unchanged} unchanged.").format(
                added=summary.added, updated=summary.updated, unchanged=summary.unchanged))  # fmt: skip
            return 0
        if args.export:
            count = offer_catalogue.export_file(session, Path(args.export))
            print(ngettext("Wrote {n} offer to {file}.", "Wrote {n} offers to {file}.", count)
                  .format(n=count, file=args.export))  # fmt: skip
            return 0
        found = offer_service.search(session, region=args.province, offer_type=args.offer_type)
        if args.format == "json":
            rows = [{"id": o.id, "code": o.code, "type": o.offer_type, "name": o.name,
                     "provider": o.provider, "region": o.region, "address": offer_service.address_lines(o),
                     "contact_person": o.contact_person, "phone": o.phone, "email": o.email,
                     "languages": o.languages, "sample": o.is_sample} for o in found]  # fmt: skip
            json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
            print()
            return 0
        for o in found:
            sample = " " + _("(sample)") if o.is_sample else ""
            print(f"{o.id:>5}  {o.code:<44} {OfferType(o.offer_type).label:<30} "
                  f"{region_label(o.region):<18} {o.name} — {o.provider}{sample}")  # fmt: skip
        print(ngettext("{n} offer", "{n} offers", len(found)).format(n=len(found)))
    return 0


def letter(url: str, args: argparse.Namespace) -> int:
    from app.cli.opening import actor_of, opened
    from app.services.referrals import letters

    target = Path(args.output)
    if args.unreached:
        return unreached_letter(url, args, target)
    with opened(url) as db, db.database.sessions() as session:
        actor = actor_of(db, session)
        referral = letters.referral_for(session, actor, args.dossier, args.offer)
        draft = letters.prepare(session, actor, referral.id, args.copy, args.lang)
        data = letters.finalise(
            session, actor, draft, left_out=set(args.leave_out), large=args.large
        )
        letters.write_file(target, data)
        session.commit()  # the audit entry of the print
    print(_("Wrote the {copy} letter in {language} to {file}.").format(
        copy=args.copy, language=display_name(draft.language), file=target))  # fmt: skip
    return 0


def unreached_letter(url: str, args: argparse.Namespace, target: Path) -> int:
    from app.cli.opening import actor_of, opened
    from app.services.caseload import clients
    from app.services.contact import unreached_letter as letter_service

    with opened(url) as db, db.database.sessions() as session:
        actor = actor_of(db, session)
        client = clients.by_dossier(session, args.dossier)
        language = letter_service.write(session, actor, client.id, target, language=args.lang)
        session.commit()  # the letter sent and the audit entry of the print
    print(_("Wrote the letter “we could not reach you” in {language} to {file}.").format(
        language=display_name(language), file=target))  # fmt: skip
    return 0
