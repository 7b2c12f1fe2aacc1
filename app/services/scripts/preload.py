"""Loading the guided scripts on a thread of their own once the window is up: parsing their
YAML and checking them against the JSON Schema (about a tenth of a second, most of it
importing jsonschema) is then done before the counsellor opens the first client file, whose
conversations list needs them, instead of while they wait for it."""

from __future__ import annotations

import logging
import threading

log = logging.getLogger("traject.scripts")


def load_scripts_in_background() -> threading.Thread:
    def load() -> None:
        try:
            from app.services.scripts.loader import default_catalogue

            default_catalogue()
        except Exception:  # whoever needs the scripts loads them again and reports it
            log.debug("Loading the scripts in the background failed", exc_info=True)

    thread = threading.Thread(target=load, name="traject-scripts", daemon=True)
    thread.start()
    return thread
