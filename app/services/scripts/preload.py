"""Loading the guided scripts on a thread of their own once the window is up: parsing their
YAML and checking them against the JSON Schema (about a tenth of a second, most of it
importing jsonschema) is then done before the counsellor opens the first client file, whose
conversations list needs them, instead of while they wait for it. The names of every
language in the interface language (CLDR, for the language pickers) are read there too."""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Sequence

log = logging.getLogger("traject.scripts")


def load_scripts_in_background(modules: Sequence[str] = ()) -> threading.Thread:
    """Start the thread; `modules` are imported there too (the window's client file: their
    classes are defined, nothing is made), so the first file opened only builds and reads."""

    def load() -> None:
        try:
            from app.services.scripts.loader import default_catalogue

            default_catalogue()
            from app.language_names import choices

            choices()  # every language's names, for the first language picker
            from app.models import load_all

            load_all()  # the models a client file reads
            import phonenumbers  # noqa: F401 - a file shows its phone numbers the national way

            for name in modules:
                importlib.import_module(name)
        except Exception:  # whoever needs these loads them again and reports it
            log.debug("Loading the scripts in the background failed", exc_info=True)

    thread = threading.Thread(target=load, name="traject-scripts", daemon=True)
    thread.start()
    return thread
