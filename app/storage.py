"""Where a database may live: never on a network share, where SQLite's WAL cannot work safely.

The file system type comes from psutil's list of mounted partitions (the longest mount point
that contains the path); Windows also marks remote drives and UNC paths.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.i18n import _

NETWORK_FILESYSTEMS = frozenset(
    {"nfs", "nfs4", "cifs", "smb", "smbfs", "smb2", "smb3", "afpfs", "webdav", "davfs",
     "fuse.sshfs", "sshfs", "9p", "afs", "ncpfs", "fuse.rclone", "glusterfs", "fuse.glusterfs",
     "ceph", "lustre", "gpfs"}
)  # fmt: skip


def _mount_of(path: Path, partitions: list[Any] | None) -> Any:
    """The mounted partition that holds `path` (the longest mount point above it)."""
    if partitions is None:
        import psutil

        partitions = psutil.disk_partitions(all=True)
    target = path.resolve()
    holding = [p for p in partitions if Path(p.mountpoint) in (target, *target.parents)]
    return max(holding, key=lambda p: len(p.mountpoint), default=None)


def is_network_share(path: Path, partitions: list[Any] | None = None) -> bool:
    """True for a UNC path or a folder on a network file system; `partitions` for tests."""
    if str(path).startswith(("\\\\", "//")):  # a UNC path
        return True
    part = _mount_of(path, partitions)
    if part is None:
        return False
    return part.fstype.lower() in NETWORK_FILESYSTEMS or "remote" in part.opts.split(",")


def refuse_network_share(path: Path, error: type[Exception]) -> None:
    folder = path.parent if not path.exists() else path
    if is_network_share(folder):
        raise error(
            _("{path} is on a network share. Traject keeps its database on this computer's own "
              "disk (the database's journal does not work over a network); choose a local "
              "folder, and use backups to copy it elsewhere.").format(path=path)
        )  # fmt: skip
