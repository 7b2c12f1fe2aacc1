"""Reading a backup archive that may have been crafted: every member's size is checked from the
archive's own directory before a byte of it is read, and counted again while it is read (a
header that lies), the manifest is capped before it is parsed, and a database is only unpacked
when the folder has room for it. Each refusal names the problem; nothing is written before it.

Traject stores the members of its backups uncompressed (an encrypted database does not
compress), so a member that would unpack to far more than it takes in the archive is not one of
Traject's: that is how a deflate bomb is refused before it writes anything.
"""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

from app.i18n import _, format_number
from app.private_files import atomic_write
from app.services.errors import ServiceError

MANIFEST = "manifest.json"
DATABASE = "traject.db"
KEYS = "traject.keys"

#: A manifest lists a few dozen tables and two checksums: a few kB.
MAX_MANIFEST = 1 << 20
#: A key file holds one slot per account and a recovery slot.
MAX_KEYS = 4 << 20
#: Far beyond the largest caseload (100,000 clients take a few hundred MB).
MAX_DATABASE = 64 << 30
#: How much larger than its packed size a member may unpack; a deflated SQLite file of real
#: data stays well under this, a deflate bomb is a thousand times larger.
MAX_RATIO = 50
#: Room left free beside the database after unpacking, for SQLite's own files.
FREE_MARGIN = 64 << 20
_LIMITS = {MANIFEST: MAX_MANIFEST, KEYS: MAX_KEYS, DATABASE: MAX_DATABASE}
_BLOCK = 1 << 20


class BackupError(ServiceError):
    """A backup that cannot be written, read or restored; the message says why and what to do."""


def megabytes(size: int) -> str:
    return _("{n} MB").format(n=format_number(round(size / 1e6, 1)))


def checked_member(zipped: zipfile.ZipFile, name: str, archive: Path) -> zipfile.ZipInfo:
    """The directory entry of `name`, refused when it claims a size no Traject backup has."""
    info = zipped.getinfo(name)  # KeyError: not a Traject backup
    limit = _LIMITS[name]
    if info.file_size > limit:
        raise BackupError(
            _("{path} is not a Traject backup: its part {member} would be {size}, more than "
              "Traject ever writes there ({limit}). Nothing was changed; use another backup.")
            .format(path=archive, member=name, size=megabytes(info.file_size),
                    limit=megabytes(limit))
        )  # fmt: skip
    packed = max(info.compress_size, 1)
    if info.compress_type != zipfile.ZIP_STORED and info.file_size > packed * MAX_RATIO:
        raise BackupError(
            _("{path} is not a Traject backup: its part {member} would unpack from {packed} "
              "to {size}, which Traject's backups never do. Nothing was changed; use another "
              "backup.").format(path=archive, member=name, packed=megabytes(packed),
                                size=megabytes(info.file_size))
        )  # fmt: skip
    return info


def blocks(zipped: zipfile.ZipFile, name: str, archive: Path) -> Iterator[bytes]:
    """The member's content in blocks, stopped as soon as it runs past the size its entry
    declared (the checks above trusted that size)."""
    info = checked_member(zipped, name, archive)
    seen = 0
    with zipped.open(info) as member:
        for block in iter(lambda: member.read(_BLOCK), b""):
            seen += len(block)
            if seen > info.file_size:
                raise BackupError(
                    _("{path} is damaged: its part {member} holds more than its header says. "
                      "Nothing was changed; use another backup.").format(path=archive, member=name)
                )  # fmt: skip
            yield block


def read_manifest_bytes(zipped: zipfile.ZipFile, archive: Path) -> bytes:
    return b"".join(blocks(zipped, MANIFEST, archive))


def sha256(zipped: zipfile.ZipFile, name: str, archive: Path) -> str:
    digest = hashlib.sha256()
    for block in blocks(zipped, name, archive):
        digest.update(block)
    return digest.hexdigest()


def require_room(zipped: zipfile.ZipFile, archive: Path, folder: Path) -> None:
    """Refuse before unpacking when the database would not fit in `folder`."""
    needed = sum(checked_member(zipped, n, archive).file_size for n in (DATABASE, KEYS)
                 if n in zipped.namelist())  # fmt: skip
    free = shutil.disk_usage(folder).free
    if needed + FREE_MARGIN > free:
        raise BackupError(
            _("Restoring this backup needs {needed} of free space in {folder}; there is "
              "{free}. Free some space and try again; nothing was changed.").format(
                needed=megabytes(needed + FREE_MARGIN), folder=folder, free=megabytes(free))
        )  # fmt: skip


def extract(zipped: zipfile.ZipFile, name: str, target: Path, archive: Path) -> None:
    """Unpack a member to `target` (the user's alone), whole or not at all."""
    with atomic_write(target) as out:
        for block in blocks(zipped, name, archive):
            out.write(block)
