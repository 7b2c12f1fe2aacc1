"""The guided scripts load on a thread of their own after the window is up, once."""

from __future__ import annotations

import threading

from app.services.scripts import loader
from app.services.scripts.preload import load_scripts_in_background


def test_the_scripts_load_once_on_a_thread_and_whoever_asks_meanwhile_waits() -> None:
    loader._default_catalogue.cache_clear()
    seen: list[loader.Catalogue] = []
    thread = load_scripts_in_background()
    asker = threading.Thread(target=lambda: seen.append(loader.default_catalogue()))
    asker.start()  # asks while the first may still be loading: gets the same catalogue
    thread.join(timeout=60)
    asker.join(timeout=60)
    assert not thread.is_alive() and not asker.is_alive()
    assert loader._default_catalogue.cache_info().misses == 1
    assert seen == [loader.default_catalogue()] and seen[0] is loader.default_catalogue()
    assert {"digital-profile"} <= set(seen[0].scripts) and seen[0].errors == []
