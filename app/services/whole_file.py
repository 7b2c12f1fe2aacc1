"""Writing a file whole or not at all: a temporary file beside the target, then renamed over
it, so a full disk or a crash never leaves half a PDF, calendar or catalogue behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from app.services.errors import ServiceError


def write_whole(target: Path, data: bytes, failure: str) -> None:
    """`failure` is the message on an OSError, with {file} and {reason} placeholders."""
    temporary: str | None = None
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=".traject-", suffix=target.suffix, dir=target.parent
        )
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        Path(temporary).replace(target)
    except OSError as exc:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        raise ServiceError(failure.format(file=target, reason=exc.strerror or exc)) from None
