"""Start-up cost control: the garbage collector is paused while Traject imports and builds.

Start-up creates several hundred thousand long-lived objects (SQLAlchemy, the models, Qt
wrappers) and no garbage worth collecting; letting the collector scan them repeatedly costs
about a tenth of the cold start. Once the window is up, the survivors are moved to the
permanent generation (`gc.freeze`), so later collections — during typing in a 100,000-client
caseload — do not rescan them either, and collection resumes.
"""

from __future__ import annotations

import gc


def pause_collector() -> None:
    gc.disable()


def resume_collector() -> None:
    """Idempotent: safe to call from every path that ends start-up."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
