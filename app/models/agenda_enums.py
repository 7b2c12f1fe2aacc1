"""What appointments and permanence desks are made of: the channel and purpose of an
appointment, the kind of desk, what a visitor asks about and how the visit ended."""

from __future__ import annotations

from app.i18n import N_
from app.models.enums import ContactChannel, LabelledEnum, _labelled


class AppointmentChannel(LabelledEnum):
    IN_PERSON = "in_person"
    PHONE = "phone"
    VIDEO = "video"
    HOME_VISIT = "home_visit"

    @property
    def contact_channel(self) -> ContactChannel:
        """The contact channel the organisation's policy allows or forbids for this one."""
        return ContactChannel(self.value)


class AppointmentPurpose(LabelledEnum):
    INTAKE = "intake"
    FOLLOW_UP = "follow_up"
    INFORMATION_SESSION = "information_session"
    COGNITIVE_TEST = "cognitive_test"
    READING_WRITING_TEST = "reading_writing_test"
    ENTRY_TEST = "entry_test"
    CERTIFIED_LANGUAGE_TEST = "certified_language_test"
    PARTNER_INTAKE = "partner_intake"


class VideoPlatform(LabelledEnum):
    """Where a video appointment takes place; the link itself is stored beside it."""

    TEAMS = "teams"
    ZOOM = "zoom"
    GOOGLE_MEET = "google_meet"
    JITSI = "jitsi"
    WEBEX = "webex"
    WHATSAPP = "whatsapp"
    OTHER = "other"


class DeskKind(LabelledEnum):
    WALK_IN = "walk_in"
    TELEPHONE = "telephone"


class VisitCategory(LabelledEnum):
    """What a visitor or caller at the permanence desk asks about."""

    REGISTRATION = "registration"
    JOB_SEARCH = "job_search"
    TRAINING = "training"
    DUTCH_COURSE = "dutch_course"
    INCOME = "income"
    DOCUMENTS = "documents"
    DIGITAL_HELP = "digital_help"
    OTHER = "other"


class VisitOutcome(LabelledEnum):
    ANSWERED = "answered"
    APPOINTMENT_MADE = "appointment_made"
    REFERRED = "referred"
    DETAILS_UPDATED = "details_updated"
    SENT_ELSEWHERE = "sent_elsewhere"


_labelled(
    VideoPlatform,
    {
        "teams": N_("Microsoft Teams"),
        "zoom": N_("Zoom"),
        "google_meet": N_("Google Meet"),
        "jitsi": N_("Jitsi Meet"),
        "webex": N_("Webex"),
        "whatsapp": N_("WhatsApp video"),
        "other": N_("Other platform"),
    },
)
_labelled(
    AppointmentChannel,
    {
        "in_person": N_("In person"),
        "phone": N_("Phone"),
        "video": N_("Video call"),
        "home_visit": N_("Home visit"),
    },
)
_labelled(
    AppointmentPurpose,
    {
        "intake": N_("Intake"),
        "follow_up": N_("Follow-up"),
        "information_session": N_("Information session"),
        "cognitive_test": N_("Cognitive test"),
        "reading_writing_test": N_("Reading and writing test"),
        "entry_test": N_("Entry test"),
        "certified_language_test": N_("Certified language test"),
        "partner_intake": N_("Intake at a partner"),
    },
)
_labelled(DeskKind, {"walk_in": N_("Walk-in desk"), "telephone": N_("Telephone hours")})
_labelled(
    VisitCategory,
    {
        "registration": N_("Registration"),
        "job_search": N_("Looking for work"),
        "training": N_("Training and retraining"),
        "dutch_course": N_("Dutch course"),
        "income": N_("Income and benefits"),
        "documents": N_("Letters and documents"),
        "digital_help": N_("Help with computer or phone"),
        "other": N_("Other question"),
    },
)
_labelled(
    VisitOutcome,
    {
        "answered": N_("Question answered"),
        "appointment_made": N_("Appointment made"),
        "referred": N_("Referred"),
        "details_updated": N_("Contact details updated"),
        "sent_elsewhere": N_("Sent to another service"),
    },
)
