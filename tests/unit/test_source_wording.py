"""The scripts keep the source's wording: every checklist question and follow-up of source 004,
and its tip, appear in the Dutch script as the counsellor and the client read it."""

from __future__ import annotations

import re

import pytest

from app.i18n import _, set_language
from app.services.scripts.definition import Script
from app.services.scripts.loader import load_catalogue

# Extracted from ../shared/domain/sources/004_d40091a92a714efb.txt, "Checklist inschatting"
# and "Hou bij je inschatting ook rekening met deze tips!"
DIGITAL_PROFILE_SOURCE = [
    "Onderstaande checklist helpt jou door te vragen en uit te maken welk digitaal profiel de klant heeft.",
    "De bevraging kan in een face-to-face gesprek of telefonisch gebeuren.",
    "Je kan dit ook schriftelijk laten invullen door de klant, bv. tijdens een infosessie.",
    "Je zoekt uit in welke mate hij in staat is om digitaal te solliciteren en de digitale VDAB-tools te gebruiken.",
    "1. Heb je een e-mailadres?",
    "hoe vaak gebruik je dit?",
    "kan je er mails mee ontvangen/lezen/verzenden?",
    "Op welk toestel lees je je mails?",
    "kan je bijlagen verzenden?",
    "Doe je dit helemaal zelf of is er iemand die je daar bij helpt?",
    "2. Heb je het digitaal startpakket ontvangen en doorgenomen?",
    "waarom wel / niet ?",
    "indien niet : Wat lukte er niet",
    "Gebruik je de computer, tablet, smartphone bijvoorbeeld om op internet",
    "werk te zoeken",
    "betalingen te doen",
    "administratie te doen",
    "online aankopen te doen",
    "uitstapjes te organiseren",
    "sociale media gebruiken en te mailen of chatten met vrienden",
    "informatie op te zoeken",
    "Welke websites bezoek je regelmatig? (bvb. immo, mutualiteit,  belastingen, openingsuren en "
    "contactinformatie van winkels, online shoppen,...)?",
    "4. Heb je thuis een internet abonnement?",
    "Indien neen, zijn er dan andere plaatsen waar je op internet gaat (vb bibliotheek, familie, werkwinkel,…)?",
    "5. Indien je het internet gebruikt om werk te zoeken,",
    "Gebruik je de VDAB-website?",
    "Welke informatie heb je daar al gevonden?",
    "welke andere websites gebruik je nog? vb. Vacature, Job@, Monster, interimbureaus,...",
    "Heb je al gewerkt in Mijn loopbaan van VDAB?",
    "Wees ervan bewust dat mensen het soms wel kunnen maar niet over de middelen beschikken.  Deze mensen "
    "hebben andere ondersteuning nodig op het vlak van welzijn.  Maak hen er attent op waar ze gratis op "
    "internet kunnen.",
]  # fmt: skip


# Extracted from ../shared/domain/sources/002_69229e019a09984a.txt (tips for client managers)
# and 000_bc16c0815408b149.txt (Katrien, on the conditions around a vacancy)
NEWCOMER_SOURCE = [
    "Verschillende vormen van contact zijn belangrijk om aan een relatie te kunnen bouwen. "
    "Inventariseer welk contact past bij de persoon om wie het gaat.",
    "Bekijk samen met deze mensen of zij vragen hebben over hun financiële situatie.",
    "Als mensen uiteindelijk niet kiezen voor een activiteit of baan of iets anders wat jullie "
    "eigenlijk hadden bedacht, probeer dan te achterhalen wat de werkelijke reden is.",
    "een vacature kan op het eerste zicht perfect bij iemand passen, maar die persoon moet "
    "bijvoorbeeld ook wel ter plekke geraken.",
    "kinderopvang",
    "geld om te reizen",
    "onjuiste informatie",
]


def normal(text: str) -> str:
    """Case, spacing and the odd stray space before punctuation aside."""
    text = " ".join(text.replace("…", "...").lower().split())
    return re.sub(r"\s+([?:!,.;])", r"\1", text)


def dutch_texts(script: Script) -> str:
    set_language("nl")
    texts = [script.title, script.description]
    for step in script.steps:
        texts += [step.title, *step.guidance]
        for question in step.questions:
            texts += [question.text, *question.guidance]
            texts += [question.option_text(v) for v in question.values()]
    return "\n".join(normal(_(t)) for t in texts if t)


@pytest.mark.parametrize(
    ("script_id", "source"),
    [("digital-profile", DIGITAL_PROFILE_SOURCE), ("newcomer-first-contact", NEWCOMER_SOURCE)],
)
def test_every_item_of_the_source_is_in_the_dutch_script(script_id: str, source: list[str]) -> None:
    corpus = dutch_texts(load_catalogue().get(script_id))
    missing = [item for item in source if normal(item).rstrip("?,.: ") not in corpus]
    assert missing == []
