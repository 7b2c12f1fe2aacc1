"""Writing a document a person asked for (a letter, a calendar, a catalogue, a sheet) whole or
not at all, readable by them alone, through the one atomic-write helper (`app.private_files`);
a failure is a sentence naming the file, and leaves the earlier file and no temporary one."""

from __future__ import annotations

from pathlib import Path

from app.private_files import write_bytes
from app.services.errors import ServiceError


def write_whole(target: Path, data: bytes, failure: str) -> None:
    """`failure` is the message on an OSError, with {file} and {reason} placeholders."""
    try:
        write_bytes(target, data)
    except OSError as exc:
        raise ServiceError(failure.format(file=target, reason=exc.strerror or exc)) from None
