"""The scripts keep the source's wording: every checklist question and follow-up of source 004
and its tip, every response technique and every tip of its resistance guide, and the tips of
source 002, appear in the Dutch scripts as the counsellor and the client read them."""

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


# Extracted from ../shared/domain/sources/004_d40091a92a714efb.txt, "E-mailadres verplicht: omgaan
# met weerstanden bij klanten": the general tips, every response technique, every objection and
# every one of its tips (sub-headings such as "Stel hulp voor" lead the tip they introduce).
RESISTANCE_SOURCE = [
    "Klanten moeten sinds juni 2016 een uniek e-mailadres opgeven wanneer ze zich voor de eerste keer inschrijven bij VDAB.",
    "VDAB legt werkzoekenden voortaan op om niet langer hun brievenbus maar hun mailbox in de gaten te houden.",
    "Het missen van een afspraak heeft consequenties. Het is belangrijk dat de werkzoekende dit goed begrijpt.",
    "En ja, hier zal in het begin weerstand op zijn bij een aantal van onze klanten...",
    "Besef dat mensen die hun gewoonten moeten aanpassen, bijvoorbeeld eet- of leefgewoonten, doorgaans weerstand "
    "ervaren om die verandering echt blijvend door te voeren, zelfs als die verandering voor hun bestwil is.",
    "Gedragsverandering is moeilijk.",
    "Omgaan met weerstand begint al bij de start van elk gesprek",
    "Ga in contact met de klant die tegenover je zit, zoek (opnieuw) de juiste aansluiting.",
    "Laat merken dat je interesse en begrip hebt voor zijn situatie en hoe hij die ervaart.  Zo heb je invloed op "
    "het verminderen of wegnemen van weerstand.",
    "Zet je coachende vaardigheden in!",
    "Hoe reageer je op weerstand?",
    "Weerstand heeft te maken met angst voor het onbekende, maar ook met je beknot voelen in je vrijheid.",
    "De kunst van reageren op weerstand is vooral de vinger op de zere plek leggen.",
    "Je moet erachter zien te komen wat de betrokkene als bezwaarlijk in de situatie ervaart.",
    # the six responses
    "Benoem  : zeg hardop dat je weerstand merkt. Geef je klant de kans om te reageren en aan te geven wat zijn "
    "bezwaren zijn.",
    "Erken : toon begrip voor de weerstand.",
    "Gehoord en erkend worden neemt vaak al een groot deel van de weerstand weg.",
    "Bevraag : vraag door naar de bezwaren die de klant heeft. Zo krijg je de kans om op de bezwaren in te gaan.",
    "Meegaan in de bezwaren : daarmee vergroot je de bezwaren eigenlijk uit. Dat is vaak ook weer niet de "
    "bedoeling, dus op dat moment zal de ander iets gaan toegeven.",
    "Vermijden : Ga niet in op de bezwaren. Spreek eventueel af dat je ze parkeert om er later nog op terug te komen.",
    "Draagvlak creëren : zoek met de werkzoekende naar de voordelen voor hemzelf. Dat vermindert de weerstand enorm.",
    "Mogelijke bezwaren",
    "Bedenk vooreerst dat niemand graag met zijn beperkingen geconfronteerd wordt.",
    # Niet met e-mail vertrouwd zijn
    "Niet met e-mail vertrouwd zijn",
    "Zoek naar voordelen van het hebben van een e-mailadres die niets met werk zoeken te maken hebben en bevraag "
    "hoe hij/zij hier mee omgaat",
    "Vb inloggen op facebook, op webshops, op … gebeurt ook met je mail adres.",
    "Je kan je instellingen zo aanpassen dat je dan de interessante berichten in je mailbox krijgt en geen info "
    "misloopt, bevestigingen van bestellingen komen ook binnen via je mailbox,...",
    "Toon een aantal dingen op de computer die binnen het bereik van de klant komen nadat deze met e-mail heeft "
    "leren werken. (probeer voorbeelden te geven die de klant ook echt als een meerwaarde zal beschouwen).",
    "Stel hulp voor",
    "Hoe kunnen we je dan helpen om te zorgen dat je toch regelmatig je mails raadpleegt ? Wat heb je nodig?",
    # Niet goed overweg kunnen met PC
    "Niet goed overweg kunnen met PC",
    "Stel de werkzoekende op zijn gemak",
    "Het is geen schande om iets niet te kunnen, er zijn heel veel mensen die nooit de kans gekregen hebben om dit "
    "te leren.",
    "Digitale ongeletterdheid is een vorm van moderne ongeletterdheid.",
    "Waar men het vroeger enkel over lezen, schrijven en rekenen had, spelen digitale vaardigheden in onze moderne "
    "maatschappij een grote rol. Dit is een kans !",
    "Er zijn veel voordelen aan het kunnen werken met e-mail.  We willen jou hierbij graag ondersteunen.",
    "Zoek naar voordelen van het hebben van een E-mailadres die niets met werk zoeken te maken hebben en bevraag "
    "hoe hij/zij hier mee omgaat.",
    "Maak de link met werk, bespreek de voordelen",
    "Werkgevers gebruiken dit als communicatiemiddel om bvb uurroosters door te sturen (in schoonmaakbedrijven,...).",
    "Het is dus niet alleen nodig om te solliciteren, maar ook op je werk moet je er mee kunnen werken!",
    "Belicht de voordelen bij solliciteren",
    "Op sommige vacatures kan je meteen solliciteren via een online formulier, maar even vaak kan je enkel via mail "
    "reageren.  Dan heb je een professioneel E-mailadres nodig.",
    "Bedenk dat mail onmiddellijk aankomt bij de werkgever, via de post duurt dit een paar dagen.",
    "Moedig aan om hun netwerk in te schakelen",
    "Bespreek hoe kinderen, partner, familieleden, vrienden kunnen ondersteunen in het leren werken met E-mail. "
    "Help hen om te durven om hulp te vragen.",
    "Verwijs eventueel door naar een cursus Basis ICT (B-ICT) bij partners",
    "Het provinciaal overzicht vind je op de gerelateerde pagina Mediageletterdheid en digitale vaardigheden - "
    "Opleiding Basis ICT",
    # Weigeren om e-mail te gebruiken
    "Weigeren om e-mail te gebruiken",
    "Bevraag!",
    "Wat denkt de klant dat er zal gebeuren als hij zijn mailadres gaat gebruiken voor zijn zoektocht naar werk ?",
    "Hoe denkt hij het aan te pakken zonder mailadres ?",
    "Stel gerust",
    "VDAB heeft je mailadres nodig om werkzoekenden te bereiken, afspraken te maken, vacatures door te sturen.",
    "Wat er verandert voor de klant kan je nalezen op de gerelateerde pagina E-mailadres verplicht.",
    "Wat als?",
    'Bevraag concreet op de situatie van de klant: "wat als je je mailadres NIET gebruikt, wat als je het wel '
    'gebruikt".  Zorg dat hij goed de consequenties begrijpt.',
    "Vermoed je onwil?",
    "Merk je dat de klant echt weigert om zijn mail adres op te geven maar het wèl gebruikt voor andere zaken?",
    "Je kan steeds beslissen om je klant formeel op te gaan volgen.",
    "Maak hierbij gebruik van de Werkpunten en Opdrachten in de flap 'Dienstverlening' in MLB en kies een gepaste "
    "opdracht uit om de werkzoekende een stap verder te krijgen. Zorg voor concrete en gedragen afspraken.",
    # Kijkt nooit naar zijn mails, vindt mails voorbijgestreefd
    "Kijkt nooit naar zijn mails, vindt mails voorbijgestreefd",
    "Geef aan",
    "Het mailadres is hier een login. En ja, mails worden nog wel verzonden in specifieke gevallen, ook al gebeurt "
    "veel van onze communicatie via andere sociale media.",
    "Vergelijk met andere toepassingen waar we ons e-mailadres ook nodig hebben om in te loggen zoals tax-on-web, "
    "online shopping, bibliotheek, etc...",
    "Vraag door",
    "Hoe communiceert de klant dan wel ? Winkelt de klant wel eens online ? Wanneer heeft hij zijn e-mail moeten "
    "opgeven?",
    "Probeer helder te krijgen wat de weerstand precies inhoudt. Misschien is er een ruimer probleem met plannen en "
    "organiseren?",
    "Wijs ook op onderstaande",
    "Ook VDAB volgt als overheidsinstantie de trends en zet volop in op digitale tools en media voor haar contact "
    "met klanten. Inloggen met e-mail is daar een onderdeel van.",
    "We trachten zoveel mogelijk digitaal aan te bieden, zodat we meer tijd overhouden voor de klanten die ons ècht "
    "nodig hebben.  We ondersteunen klanten tijdens onze bemiddelingsgesprekken, of sturen diegenen met een "
    "grotere achterstand door naar een cursus B-ICT bij partners.",
    "Het is alleen in het voordeel van de klant om mee te zijn met de trends zodat men niet uitgesloten wordt van "
    "informatie.  Dit niet willen leren is vandaag een beetje als niet kunnen lezen/schrijven.  VDAB wil haar "
    "klanten graag helpen om dit ook te kunnen!",
    # Niet in het bezit van pc, tablet,.. - Geen internetabonnement
    "Niet in het bezit van pc, tablet,.. - Geen internetabonnement",
    "Verwijs de werkzoekende de inschrijvingspc's in de Werkwinkel, de bibliotheek, buurtwerking,... om een "
    "computer te gebruiken !",
    # Laat zich ondersteunen door familie, vrienden, inloggen zonder e-mail niet meer mogelijk?
    "Laat zich ondersteunen door familie, vrienden, inloggen zonder e-mail niet meer mogelijk?",
    "De groep werkzoekenden die digitaal ongeletterd zijn, of werkzoekenden met beperkte digitale competenties "
    "hebben ondersteuning nodig in het gebruik van Mijn Loopbaan.",
    "Deze hulp kan geboden worden vanuit zijn formele of informele netwerk: huisgenoten, familie, kennissen, "
    "buurtwerkers,...",
    "Inloggen in MLB kan vanaf nu nog enkel met een e-mailadres.",
    "Ga daarom na bij je klant wie hem kan ondersteunen bij het ontvangen van e-mails van VDAB.",
    "Indien bvb één van de gezinsleden de werkzoekende hierin helpt, bevraag de mogelijkheid om de mails van VDAB "
    "via deze persoon te ontvangen.",
    "Wijs op het voordeel om op deze manier nog zèlf en wanneer het hem uitkomt in Mijn Loopbaan te kunnen werken "
    "met zijn ondersteuner.",
    "Lukt dit ècht niet, dan kan hij altijd terecht bij zijn VDAB-bemiddelaar.",
    "Deze zal samen met de werkzoekende afspreken hoe deze best kan ondersteund worden.",
    "Dit kan betekenen dat de VDAB bemiddelaar de klant inschrijft zonder e-mailadres met één van volgende redenen",
    "1. Gaat eerst opleiding volgen",
    "2. Niet in staat om met e-mail te leren werken",
    "De klant heeft dan enkel toegang tot Mijn Loopbaan met tussenkomst van VDAB.",
]  # fmt: skip


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
    [
        ("digital-profile", DIGITAL_PROFILE_SOURCE),
        ("newcomer-first-contact", NEWCOMER_SOURCE),
        ("resistance-to-email", RESISTANCE_SOURCE),
    ],
)
def test_every_item_of_the_source_is_in_the_dutch_script(script_id: str, source: list[str]) -> None:
    corpus = dutch_texts(load_catalogue().get(script_id))
    missing = [item for item in source if normal(item).rstrip("?,.: ") not in corpus]
    assert missing == []
