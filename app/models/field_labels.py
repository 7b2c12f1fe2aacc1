"""The labels of the client's and other records' fields, as English message ids: shared by
the validators' messages, the screens and the client's data export (so they are in the
`documents` catalogs too)."""

from __future__ import annotations

from app.i18n import N_

#: Field labels (translate them where they are shown).
FIELD_LABELS: dict[str, str] = {
    "given_name": N_("Given name"),
    "family_name": N_("Family name"),
    "birth_date": N_("Date of birth"),
    "national_number": N_("National number"),
    "phone": N_("Phone"),
    "phone_alt": N_("Other phone"),
    "email": N_("E-mail"),
    "email_status": N_("E-mail status"),
    "street": N_("Street"),
    "house_number": N_("Number"),
    "postal_code": N_("Postal code"),
    "municipality": N_("Municipality"),
    "country": N_("Country"),
    "contact_language": N_("Contact language"),
    "other_languages": N_("Other languages"),
    "dutch_level": N_("Dutch level"),
    "education_level": N_("Education level"),
    "diploma_recognition": N_("Diploma recognition"),
    "profession": N_("Profession"),
    "desired_occupation": N_("Desired occupation"),
    "employment_situation": N_("Employment situation"),
    "contact_channels": N_("Channels the client uses"),
    "key_person": N_("Key person"),
    "driving_licence": N_("Driving licence"),
    "transport": N_("Means of transport"),
    "max_travel_minutes": N_("Longest travel time (minutes)"),
    "working_hours": N_("Hours the client can work"),
    "status": N_("Status"),
    "name": N_("Name of the offer"),
    "provider": N_("Provider"),
    "languages": N_("Languages"),
    "referent": N_("Referent"),
    "backup": N_("Backup"),
    "login": N_("Login"),
    "full_name": N_("Full name"),
    "office": N_("Office"),
    "organisation": N_("Organisation"),
    "password": N_("Password"),
    "password_repeat": N_("Repeat the password"),
    "recovery_key": N_("Recovery key"),
    "reason": N_("Reason"),
    "partner": N_("Partner"),
    "note": N_("Note"),
    "given_on": N_("Date"),
    "title": N_("Title"),
    "due_on": N_("Due on"),
}
