"""Another process holding a database's write lock, as a long import does between batches."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_HOLD = """
import sqlite3, sys, time
if len(sys.argv) > 2:  # an encrypted file: its raw key in hex
    import sqlcipher3
    connection = sqlcipher3.connect(sys.argv[1], isolation_level=None)
    connection.execute(f"PRAGMA key = \\"x'{sys.argv[2]}'\\"")
else:
    connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.read()
"""


@contextmanager
def write_lock_held(path: Path, key: bytes | None = None) -> Iterator[None]:
    """A separate process takes the write lock of `path` (encrypted: with `key`) and keeps it
    for the block."""
    extra = [key.hex()] if key else []
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(path), *extra],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        yield
    finally:
        assert holder.stdin is not None and holder.stdout is not None
        holder.stdin.close()
        holder.wait(timeout=30)
        holder.stdout.close()
