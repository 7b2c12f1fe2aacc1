"""Enumerations of the domain, stored by value, each with a translatable label."""

from __future__ import annotations

import enum

from app.i18n import N_, DocumentSpeech, _

_LABELS: dict[type[enum.Enum], dict[str, str]] = {}


class LabelledEnum(enum.StrEnum):
    """A string enum whose members carry an English source label for the catalogs."""

    @property
    def label(self) -> str:
        return _(_LABELS[type(self)][self.value])

    @property
    def source_label(self) -> str:
        """The English label as written in the catalogs, for another catalog (a document)."""
        return _LABELS[type(self)][self.value]

    def label_in(self, speech: DocumentSpeech) -> str:
        """The label as a document writes it: from the document's own catalog, whatever the
        interface speaks."""
        return speech.gettext(self.source_label)

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]


def _labelled(cls: type[LabelledEnum], labels: dict[str, str]) -> type[LabelledEnum]:
    missing = {m.value for m in cls} - labels.keys()
    if missing:
        raise TypeError(f"{cls.__name__} lacks labels for {sorted(missing)}")
    _LABELS[cls] = labels
    return cls


class CounsellorRole(LabelledEnum):
    COUNSELLOR = "counsellor"
    TEAM_LEAD = "team_lead"
    ADMIN = "admin"


class ClientStatus(LabelledEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    CLOSED = "closed"


class EmailStatus(LabelledEnum):
    UNKNOWN = "unknown"
    HAS_EMAIL = "has_email"
    VIA_SUPPORT_PERSON = "via_support_person"
    WITHOUT_EMAIL_TRAINING = "without_email_training"
    WITHOUT_EMAIL_UNABLE = "without_email_unable"


class DutchLevel(LabelledEnum):
    UNKNOWN = "unknown"
    NONE = "none"
    A1 = "a1"
    A2 = "a2"
    B1 = "b1"
    B2 = "b2"
    C1 = "c1"
    C2 = "c2"
    NATIVE = "native"


class EducationLevel(LabelledEnum):
    UNKNOWN = "unknown"
    NONE = "none"
    PRIMARY = "primary"
    LOWER_SECONDARY = "lower_secondary"
    UPPER_SECONDARY = "upper_secondary"
    HIGHER_PROFESSIONAL = "higher_professional"
    UNIVERSITY = "university"


class DiplomaRecognition(LabelledEnum):
    NOT_APPLICABLE = "not_applicable"
    NOT_STARTED = "not_started"
    REQUESTED = "requested"
    RECOGNISED = "recognised"
    PARTIALLY_RECOGNISED = "partially_recognised"
    REFUSED = "refused"


class EmploymentSituation(LabelledEnum):
    UNKNOWN = "unknown"
    UNEMPLOYED = "unemployed"
    ZERO_HOURS_CONTRACT = "zero_hours_contract"
    TEMPORARY_CONTRACT = "temporary_contract"
    PART_TIME = "part_time"
    EMPLOYED = "employed"
    SELF_EMPLOYED = "self_employed"
    LOST_INCOME = "lost_income"
    IN_TRAINING = "in_training"


class AssignmentRole(LabelledEnum):
    REFERENT = "referent"
    BACKUP = "backup"


class AssignmentReason(LabelledEnum):
    DISPATCH = "dispatch"
    REASSIGNMENT = "reassignment"
    ABSENCE_COVER = "absence_cover"
    SPECIALISED_SERVICE = "specialised_service"


class Province(LabelledEnum):
    BRUSSELS = "brussels"
    WALLOON_BRABANT = "walloon_brabant"
    FLEMISH_BRABANT = "flemish_brabant"
    ANTWERP = "antwerp"
    LIMBURG = "limburg"
    LIEGE = "liege"
    NAMUR = "namur"
    HAINAUT = "hainaut"
    LUXEMBOURG = "luxembourg"
    WEST_FLANDERS = "west_flanders"
    EAST_FLANDERS = "east_flanders"


class ContactChannel(LabelledEnum):
    PHONE = "phone"
    SMS = "sms"
    EMAIL = "email"
    MESSAGING_APP = "messaging_app"
    VIDEO = "video"
    CHAT = "chat"
    IN_PERSON = "in_person"
    HOME_VISIT = "home_visit"
    LETTER = "letter"
    KEY_PERSON = "key_person"
    PERMANENCE = "permanence"


class ContactDirection(LabelledEnum):
    OUTGOING = "outgoing"
    INCOMING = "incoming"


class ContactOutcome(LabelledEnum):
    REACHED = "reached"
    NO_ANSWER = "no_answer"
    VOICEMAIL = "voicemail"
    MESSAGE_SENT = "message_sent"
    WRONG_NUMBER = "wrong_number"
    RETURNED_CALL = "returned_call"


class AppointmentStatus(LabelledEnum):
    PLANNED = "planned"
    DONE = "done"
    NO_SHOW = "no_show"
    CANCELLED_BY_CLIENT = "cancelled_by_client"
    CANCELLED_BY_US = "cancelled_by_us"
    MOVED = "moved"


class ReferralStatus(LabelledEnum):
    DRAFT = "draft"
    SENT = "sent"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    STARTED = "started"
    COMPLETED = "completed"
    DROPPED_OUT = "dropped_out"


class ActionPointStatus(LabelledEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class ReferredBy(LabelledEnum):
    """Who sent the client to us (source 001): the public employment service, an employer
    service point, the social welfare centre, the client themself…"""

    SELF = "self"
    EMPLOYMENT_SERVICE = "employment_service"
    EMPLOYER_SERVICE_POINT = "employer_service_point"
    WELFARE_CENTRE = "welfare_centre"
    MUNICIPALITY = "municipality"
    SCHOOL = "school"
    PARTNER = "partner"
    OTHER = "other"


_labelled(
    CounsellorRole,
    {"counsellor": N_("Counsellor"), "team_lead": N_("Team lead"), "admin": N_("Administrator")},
)
_labelled(ClientStatus, {"active": N_("Active"), "paused": N_("Paused"), "closed": N_("Closed")})
_labelled(
    EmailStatus,
    {
        "unknown": N_("Not asked yet"),
        "has_email": N_("Has an e-mail address"),
        "via_support_person": N_("Receives mail via a support person"),
        "without_email_training": N_("Without e-mail: will first follow training"),
        "without_email_unable": N_("Without e-mail: not able to learn to work with e-mail"),
    },
)
_labelled(
    DutchLevel,
    {
        "unknown": N_("Unknown"),
        "none": N_("No Dutch yet"),
        "a1": "A1",
        "a2": "A2",
        "b1": "B1",
        "b2": "B2",
        "c1": "C1",
        "c2": "C2",
        "native": N_("Native speaker"),
    },
)
_labelled(
    EducationLevel,
    {
        "unknown": N_("Unknown"),
        "none": N_("No formal education"),
        "primary": N_("Primary school"),
        "lower_secondary": N_("Lower secondary"),
        "upper_secondary": N_("Upper secondary"),
        "higher_professional": N_("Higher education (bachelor)"),
        "university": N_("University (master or higher)"),
    },
)
_labelled(
    DiplomaRecognition,
    {
        "not_applicable": N_("Not applicable"),
        "not_started": N_("Not started"),
        "requested": N_("Requested"),
        "recognised": N_("Recognised"),
        "partially_recognised": N_("Partially recognised"),
        "refused": N_("Refused"),
    },
)
_labelled(
    EmploymentSituation,
    {
        "unknown": N_("Unknown"),
        "unemployed": N_("Unemployed"),
        "zero_hours_contract": N_("Zero-hours contract"),
        "temporary_contract": N_("Temporary contract"),
        "part_time": N_("Part-time job"),
        "employed": N_("Employed"),
        "self_employed": N_("Self-employed"),
        "lost_income": N_("Lost income"),
        "in_training": N_("In training"),
    },
)
_labelled(AssignmentRole, {"referent": N_("Referent"), "backup": N_("Backup")})
_labelled(
    AssignmentReason,
    {
        "dispatch": N_("Dispatch after registration"),
        "reassignment": N_("Reassignment"),
        "absence_cover": N_("Absence cover"),
        "specialised_service": N_("Specialised service"),
    },
)
_labelled(
    Province,
    {
        "brussels": N_("Brussels"),
        "walloon_brabant": N_("Walloon Brabant"),
        "flemish_brabant": N_("Flemish Brabant"),
        "antwerp": N_("Antwerp"),
        "limburg": N_("Limburg"),
        "liege": N_("Liège"),
        "namur": N_("Namur"),
        "hainaut": N_("Hainaut"),
        "luxembourg": N_("Luxembourg"),
        "west_flanders": N_("West Flanders"),
        "east_flanders": N_("East Flanders"),
    },
)
_labelled(
    ContactChannel,
    {
        "phone": N_("Phone"),
        "sms": N_("SMS"),
        "email": N_("E-mail"),
        "messaging_app": N_("WhatsApp or other messaging app"),
        "video": N_("Video call"),
        "chat": N_("Chat"),
        "in_person": N_("In person at a contact point"),
        "home_visit": N_("Home visit"),
        "letter": N_("Letter"),
        "key_person": N_("Through a key person"),
        "permanence": N_("Permanence desk"),
    },
)
_labelled(ContactDirection, {"outgoing": N_("Outgoing"), "incoming": N_("Incoming")})
_labelled(
    ContactOutcome,
    {
        "reached": N_("Reached"),
        "no_answer": N_("No answer"),
        "voicemail": N_("Voicemail"),
        "message_sent": N_("Message sent"),
        "wrong_number": N_("Wrong number"),
        "returned_call": N_("Returned call"),
    },
)
_labelled(
    AppointmentStatus,
    {
        "planned": N_("Planned"),
        "done": N_("Done"),
        "no_show": N_("No-show"),
        "cancelled_by_client": N_("Cancelled by the client"),
        "cancelled_by_us": N_("Cancelled by us"),
        "moved": N_("Moved"),
    },
)
_labelled(
    ReferralStatus,
    {
        "draft": N_("Draft"),
        "sent": N_("Sent"),
        "accepted": N_("Accepted"),
        "refused": N_("Refused"),
        "started": N_("Started"),
        "completed": N_("Completed"),
        "dropped_out": N_("Dropped out"),
    },
)
_labelled(
    ReferredBy,
    {
        "self": N_("On their own initiative"),
        "employment_service": N_("Public employment service (VDAB, Actiris, Forem, UWV)"),
        "employer_service_point": N_("Employer service point"),
        "welfare_centre": N_("Social welfare centre (OCMW, CPAS)"),
        "municipality": N_("Municipality"),
        "school": N_("School or training centre"),
        "partner": N_("Partner organisation"),
        "other": N_("Other"),
    },
)
_labelled(ActionPointStatus, {"open": N_("Open"), "done": N_("Done"), "cancelled": N_("Cancelled")})


class AuditAction(LabelledEnum):
    """What the audit trail records (never the values of personal data, only that it happened)."""

    VIEW = "view"
    CREATE = "create"
    CHANGE = "change"
    EXPORT = "export"
    PRINT = "print"
    ERASE = "erase"
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOCK = "lock"
    UNLOCK = "unlock"
    BREAK_GLASS = "break_glass"
    ACCOUNT = "account"
    SETTING = "setting"
    BACKUP = "backup"
    RESTORE = "restore"
    IMPORT_TRAIL = "import_trail"


_labelled(
    AuditAction,
    {
        "view": N_("Viewed the file"),
        "create": N_("Created"),
        "change": N_("Changed"),
        "export": N_("Exported"),
        "print": N_("Printed"),
        "erase": N_("Erased"),
        "login": N_("Signed in"),
        "login_failed": N_("Failed sign-in"),
        "lock": N_("Locked"),
        "unlock": N_("Unlocked"),
        "break_glass": N_("Opened someone else's file"),
        "account": N_("Account change"),
        "setting": N_("Setting change"),
        "backup": N_("Backed up"),
        "restore": N_("Restored from a backup"),
        "import_trail": N_("Moved onto the team server from a database file"),
    },
)


class ConsentPurpose(LabelledEnum):
    SHARE_WITH_PARTNER = "share_with_partner"
    MESSAGES_VIA_SUPPORT_PERSON = "messages_via_support_person"
    WHATSAPP = "whatsapp"
    KEY_PERSON = "key_person"


_labelled(
    ConsentPurpose,
    {
        "share_with_partner": N_("Share the listed data with a named partner"),
        "messages_via_support_person": N_("Messages through a support person"),
        "whatsapp": N_("Contact through WhatsApp"),
        "key_person": N_("Contact through a key person"),
    },
)


class ScriptChannel(LabelledEnum):
    """How a guided script was run with the client."""

    IN_PERSON = "in_person"
    PHONE = "phone"
    VIDEO = "video"
    PAPER = "paper"


_labelled(
    ScriptChannel,
    {
        "in_person": N_("In person"),
        "phone": N_("By phone"),
        "video": N_("Video call"),
        "paper": N_("On paper"),
    },
)
