"""Small helpers the tests share."""

from __future__ import annotations

from app.models import Counsellor
from app.services.privacy.access import Actor


def actor(person: Counsellor) -> Actor:
    """The person as the services' acting counsellor."""
    return Actor(person.id, person.role, person.office)
