"""`make bench`, re-keying: how long removing an account (which re-keys the database and hands the
new key to every other account) takes on the 100,000-client caseload, encrypted; beside it, the
plain file's floor for touching every page once (VACUUM INTO), since a plain file has no key."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from tests.bench.encrypted import ACCOUNT
from tests.bench.run_bench import BENCH_DIR, CLIENTS


def run(plain_path: Path) -> dict[str, float]:
    from app.services.privacy.keyfile import KdfParams, calibrate, key_file_for
    from app.services.privacy.login_throttle import LoginThrottle
    from app.services.privacy.vault import sign_in

    figures: dict[str, float] = {}
    encrypted = BENCH_DIR / f"big-{CLIENTS}-encrypted.db"
    with tempfile.TemporaryDirectory(dir=BENCH_DIR) as folder:
        copy = Path(folder) / "rekey.db"
        shutil.copy(encrypted, copy)
        shutil.copy(key_file_for(encrypted), key_file_for(copy))
        vault = sign_in(copy, ACCOUNT["TRAJECT_USER"], ACCOUNT["TRAJECT_PASSWORD"], LoginThrottle())
        assert vault.database is not None
        params = calibrate()
        with vault.database.sessions() as session:
            vault.add_account(session, login="leaver", full_name="Leaver", password="leaver's password",
                              params=params)  # fmt: skip
            session.commit()
        start = time.perf_counter()
        vault.remove_account("leaver")
        figures["rekey_remove_account_s"] = time.perf_counter() - start
        start = time.perf_counter()
        vault.change_password(
            ACCOUNT["TRAJECT_USER"], ACCOUNT["TRAJECT_PASSWORD"], KdfParams(1, 1024, 1)
        )
        figures["rekey_change_password_s"] = time.perf_counter() - start
        vault.lock()
        size = copy.stat().st_size
        start = time.perf_counter()
        connection = sqlite3.connect(plain_path)
        connection.execute("VACUUM INTO ?", (str(Path(folder) / "plain-copy.db"),))
        connection.close()
        figures["plain_rewrite_every_page_s"] = time.perf_counter() - start
    print(f"re-key on removing an account, {CLIENTS} clients encrypted ({size / 1e6:.0f} MB): "
          f"{figures['rekey_remove_account_s']:.2f} s; on a password change: "
          f"{figures['rekey_change_password_s']:.2f} s; plain file, every page rewritten once "
          f"(VACUUM INTO, no key to change): {figures['plain_rewrite_every_page_s']:.2f} s")  # fmt: skip
    return figures
