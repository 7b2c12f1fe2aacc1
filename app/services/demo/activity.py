"""The demo caseload's activity: contact attempts and contacts, appointments (past ones done
or missed, planned ones in the coming two weeks, at the demo contact points within office
hours and never overlapping), and digital-profile results for about half the active clients.

Clients with a weaker digital profile are reached less often on remote channels, as sources
000 and 004 describe, so the reach monitor has a divide to show. Deterministic per seed.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlalchemy.orm import Session

from app.models import Appointment, Contact, ScriptRun
from app.models.agenda_enums import AppointmentChannel, AppointmentPurpose
from app.models.enums import (
    AppointmentStatus,
    ClientStatus,
    ContactChannel,
    ContactDirection,
    ContactOutcome,
)
from app.services import org_settings
from app.services.clock import DEFAULT_TIME_ZONE
from app.services.contact import contact_policy, contacts

ZONE = ZoneInfo(DEFAULT_TIME_ZONE)
CONTACT_POINTS = [
    {"name": "Contactpunt Brussel-Centrum", "address": "Anspachlaan 65\n1000 Brussel"},
    {"name": "Contactpunt Anderlecht", "address": "Dapperheidsplein 1\n1070 Anderlecht"},
    {"name": "Werkwinkel Leuven", "address": "Diestsevest 32\n3000 Leuven"},
]
PROFILES = [("self_reliant", 40), ("basic_skills", 35), ("low_literate", 25)]
REACH = {"self_reliant": 0.8, "basic_skills": 0.6, "low_literate": 0.3, None: 0.55}
CHANNELS = [(ContactChannel.PHONE, 55), (ContactChannel.SMS, 12), (ContactChannel.EMAIL, 10),
            (ContactChannel.MESSAGING_APP, 10), (ContactChannel.VIDEO, 5),
            (ContactChannel.IN_PERSON, 6), (ContactChannel.LETTER, 2)]  # fmt: skip
FAILED = [(ContactOutcome.NO_ANSWER, 55), (ContactOutcome.VOICEMAIL, 25),
          (ContactOutcome.MESSAGE_SENT, 15), (ContactOutcome.WRONG_NUMBER, 5)]  # fmt: skip
SLOTS = [dt.time(h, m) for h in range(9, 16) for m in (0, 30)]  # 09:00 to 15:30


def _pick(rng: random.Random, table: list[tuple[Any, int]]) -> Any:
    return rng.choices([v for v, _w in table], weights=[w for _v, w in table])[0]


def _local(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=ZONE).astimezone(dt.UTC)


def _workday(rng: random.Random, start: dt.date, days: int) -> dt.date:
    day = start + dt.timedelta(days=rng.randrange(max(days, 1)))
    while day.isoweekday() > 5:
        day += dt.timedelta(days=1)
    return day


class ActivityMaker:
    """Makes the rows batch by batch, remembering which agenda slots are taken."""

    def __init__(self, session: Session, rng: random.Random, today: dt.date) -> None:
        self.session, self.rng, self.today = session, rng, today
        self.taken: set[tuple[int, dt.date, dt.time]] = set()
        self.counts = {"contacts": 0, "appointments": 0, "runs": 0}
        from app.services.scripts.loader import default_catalogue

        self.profile_version = default_catalogue().get("digital-profile").version
        org_settings.put(session, contact_policy.CONTACT_POINTS, json.dumps(CONTACT_POINTS))

    def add(self, batch: list[dict[str, Any]], referents: dict[int, int]) -> None:
        contacts: list[dict[str, Any]] = []
        appointments: list[dict[str, Any]] = []
        runs: list[dict[str, Any]] = []
        for client in batch:
            counsellor = referents.get(client["id"])
            if counsellor is None or client["status"] == ClientStatus.CLOSED:
                continue
            created = client["created_at"].date()
            profile = None
            if client["status"] == ClientStatus.ACTIVE and self.rng.random() < 0.55:
                profile = _pick(self.rng, PROFILES)
                runs.append(self._run(client["id"], counsellor, created, profile))
            contacts += self._contacts(client["id"], counsellor, created, profile)
            appointments += self._appointments(client, counsellor, created)
        for model, rows, key in ((Contact, contacts, "contacts"), (ScriptRun, runs, "runs"),
                                 (Appointment, appointments, "appointments")):  # fmt: skip
            if rows:
                self.session.execute(insert(model), rows)
                self.counts[key] += len(rows)

    def _run(
        self, client_id: int, counsellor: int, created: dt.date, profile: str
    ) -> dict[str, Any]:
        day = created + dt.timedelta(
            days=self.rng.randint(0, max(0, min(60, (self.today - created).days)))
        )
        at = _local(day, self.rng.choice(SLOTS))
        return {"script_id": "digital-profile", "script_version": self.profile_version,
                "client_id": client_id, "counsellor_id": counsellor, "channel": "in_person",
                "started_at": at, "finished_at": at + dt.timedelta(minutes=20), "result": profile,
                "result_reasons": [], "flags": [], "actions_taken": [], "version": 1}  # fmt: skip

    def _contacts(self, client_id: int, counsellor: int, created: dt.date,
                  profile: str | None) -> list[dict[str, Any]]:  # fmt: skip
        rng, rows = self.rng, []
        span = min((self.today - created).days, 240)
        quiet = rng.randint(31, 120) if rng.random() < 0.1 else 0  # not reached for a while
        days = [
            rng.randint(0, max(span, 0))
            for _n in range(_pick(rng, [(0, 8), (1, 22), (2, 25), (3, 20), (5, 15), (8, 10)]))
        ]
        if not quiet and rng.random() < 0.9:  # this month's call, tried again until reached
            ago = rng.randint(0, min(27, span))
            for _try in range(rng.randint(1, 3)):
                days.append(ago)
                if rng.random() < REACH[profile]:
                    break
                ago = max(0, ago - rng.randint(1, 4))
        for n, ago in enumerate(sorted(days, reverse=True)):
            channel = _pick(rng, CHANNELS)
            last = n == len(days) - 1
            reached = ago >= quiet and (
                rng.random() < REACH[profile]
                or (last and ago < 28 and rng.random() < REACH[profile] / 2)
            )
            if reached:
                outcome = ContactOutcome.REACHED
            else:  # an outcome the channel can have (no voicemail for an e-mail); one draw, as before
                fitting = [(o, w) for o, w in FAILED if o in contacts.outcomes_for(channel)]
                if not fitting:  # nobody fails to meet someone in person: that was a call
                    channel = ContactChannel.PHONE
                    fitting = [(o, w) for o, w in FAILED if o in contacts.outcomes_for(channel)]
                outcome = _pick(rng, fitting)
            rows.append({"client_id": client_id, "counsellor_id": counsellor,
                         "occurred_at": _local(self.today - dt.timedelta(days=ago), rng.choice(SLOTS) if ago else dt.time(8)),
                         "channel": channel, "direction": ContactDirection.OUTGOING, "reached": reached,
                         "outcome": outcome, "duration_minutes": rng.randint(3, 25) if reached else None,
                         "note": None, "version": 1})  # fmt: skip
        return rows

    def _appointments(self, client: dict[str, Any], counsellor: int,
                      created: dt.date) -> list[dict[str, Any]]:  # fmt: skip
        rng, rows = self.rng, []
        plans: list[tuple[dt.date, AppointmentStatus]] = []
        if rng.random() < 0.35:
            for _n in range(rng.randint(1, 2)):
                day = _workday(rng, max(created, self.today - dt.timedelta(days=90)),
                               min(90, (self.today - created).days))  # fmt: skip
                if day < self.today:
                    plans.append((day, _pick(rng, [(AppointmentStatus.DONE, 80),
                                                   (AppointmentStatus.NO_SHOW, 12),
                                                   (AppointmentStatus.CANCELLED_BY_CLIENT, 8)])))  # fmt: skip
        if client["status"] == ClientStatus.ACTIVE and rng.random() < 0.06:
            plans.append((_workday(rng, self.today, 14), AppointmentStatus.PLANNED))
        for day, status in plans:
            free = [s for s in SLOTS if (counsellor, day, s) not in self.taken]
            if not free:
                continue
            slot = rng.choice(free)
            self.taken.add((counsellor, day, slot))
            channel = _pick(rng, [(AppointmentChannel.IN_PERSON, 60), (AppointmentChannel.PHONE, 25),
                                  (AppointmentChannel.VIDEO, 10), (AppointmentChannel.HOME_VISIT, 5)])  # fmt: skip
            rows.append({
                "client_id": client["id"], "counsellor_id": counsellor, "starts_at": _local(day, slot),
                "duration_minutes": 30 if channel == AppointmentChannel.PHONE else 60,
                "channel": channel, "status": status, "note": None, "version": 1,
                "location": rng.choice(CONTACT_POINTS)["name"] if channel == AppointmentChannel.IN_PERSON else None,
                "purpose": _pick(rng, [(AppointmentPurpose.FOLLOW_UP, 60), (AppointmentPurpose.INTAKE, 15),
                                       (AppointmentPurpose.ENTRY_TEST, 8), (AppointmentPurpose.INFORMATION_SESSION, 7),
                                       (AppointmentPurpose.READING_WRITING_TEST, 5),
                                       (AppointmentPurpose.PARTNER_INTAKE, 5)]),
            })  # fmt: skip
        return rows
