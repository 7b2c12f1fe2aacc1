"""What a client can manage for work and how they can be reached, beyond the identity fields:
means of transport, hours they can work, and the partner offer types a referral goes to."""

from __future__ import annotations

from app.i18n import N_
from app.models.enums import LabelledEnum, Province, _labelled


class TransportMeans(LabelledEnum):
    CAR = "car"
    MOPED = "moped"
    BICYCLE = "bicycle"
    PUBLIC_TRANSPORT = "public_transport"
    ON_FOOT = "on_foot"


class WorkingHours(LabelledEnum):
    DAY = "day"
    EVENING = "evening"
    NIGHT = "night"
    WEEKEND = "weekend"
    SHIFTS = "shifts"


class OfferType(LabelledEnum):
    """The kinds of partner offer a client is referred to (source 003 and 004)."""

    DIGITAL_BASIC_SKILLS = "digital_basic_skills"
    DIGITALLY_LOW_LITERATE = "digitally_low_literate"
    BASIC_ICT = "basic_ict"
    DUTCH_SECOND_LANGUAGE = "dutch_second_language"
    DIPLOMA_RECOGNITION = "diploma_recognition"
    WELFARE = "welfare"
    HOUSING = "housing"
    CHILDCARE = "childcare"
    SPECIALISED_GUIDANCE = "specialised_guidance"
    TRAINING = "training"
    JOB_SHOP = "job_shop"


class DutchProvince(LabelledEnum):
    """The regions of the Netherlands an offer can be in (Belgian ones are `Province`)."""

    GRONINGEN = "nl_groningen"
    FRIESLAND = "nl_friesland"
    DRENTHE = "nl_drenthe"
    OVERIJSSEL = "nl_overijssel"
    FLEVOLAND = "nl_flevoland"
    GELDERLAND = "nl_gelderland"
    UTRECHT = "nl_utrecht"
    NOORD_HOLLAND = "nl_noord_holland"
    ZUID_HOLLAND = "nl_zuid_holland"
    ZEELAND = "nl_zeeland"
    NOORD_BRABANT = "nl_noord_brabant"
    LIMBURG = "nl_limburg"


#: Every region an offer can be in: the Belgian provinces, Brussels and the Dutch provinces.
REGIONS: tuple[LabelledEnum, ...] = (*Province, *DutchProvince)


def region_label(code: str) -> str:
    for region in REGIONS:
        if region.value == code:
            return region.label
    return code


_labelled(
    TransportMeans,
    {
        "car": N_("Car"),
        "moped": N_("Moped or motorbike"),
        "bicycle": N_("Bicycle"),
        "public_transport": N_("Public transport"),
        "on_foot": N_("On foot"),
    },
)
_labelled(
    WorkingHours,
    {
        "day": N_("Daytime"),
        "evening": N_("Evenings"),
        "night": N_("Nights"),
        "weekend": N_("Weekends"),
        "shifts": N_("Shifts"),
    },
)
_labelled(
    DutchProvince,
    {
        "nl_groningen": N_("Groningen (NL)"),
        "nl_friesland": N_("Friesland (NL)"),
        "nl_drenthe": N_("Drenthe (NL)"),
        "nl_overijssel": N_("Overijssel (NL)"),
        "nl_flevoland": N_("Flevoland (NL)"),
        "nl_gelderland": N_("Gelderland (NL)"),
        "nl_utrecht": N_("Utrecht (NL)"),
        "nl_noord_holland": N_("North Holland (NL)"),
        "nl_zuid_holland": N_("South Holland (NL)"),
        "nl_zeeland": N_("Zeeland (NL)"),
        "nl_noord_brabant": N_("North Brabant (NL)"),
        "nl_limburg": N_("Limburg (NL)"),
    },
)
_labelled(
    OfferType,
    {
        "digital_basic_skills": N_("Digital basic skills"),
        "digitally_low_literate": N_("Digitally low-literate"),
        "basic_ict": N_("Basic ICT course"),
        "dutch_second_language": N_("Dutch as a second language"),
        "diploma_recognition": N_("Diploma recognition"),
        "welfare": N_("Welfare and income support"),
        "housing": N_("Housing"),
        "childcare": N_("Childcare"),
        "specialised_guidance": N_("Specialised guidance"),
        "training": N_("Training and retraining"),
        "job_shop": N_("Job shop / free internet place"),
    },
)
