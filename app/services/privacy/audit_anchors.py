"""What each account's audit anchor says about the trail: the entries an account saw at its last
sign-in or lock must still be there, unchanged.

An anchor is kept in the account's key slot and authenticated with a key only that account can
derive from its password (`key_slots`). So a counsellor who removes or rewrites entries (even
re-chaining the hashes) and then edits the key file is found out: by `traject check` and at
the next sign-in of every account that had seen those entries. See the README for what this
can and cannot prove on one shared file.
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from app.i18n import _
from app.models import AuditEntry
from app.services.privacy import key_slots, local_anchors
from app.services.privacy.key_slots import Anchor, Opened
from app.services.privacy.keyfile import KeyFile


def _entry_problem(conn: Connection, anchor: Anchor, whose: str) -> tuple[str, str] | None:
    """(kind, sentence) when the entry `anchor` names is gone or not the one it saw."""
    stored = conn.scalar(select(AuditEntry.hash).where(AuditEntry.id == anchor.entry_id))
    if stored is None:
        return "entries removed", _(
            "Audit trail: {whose} saw entry {id} at the last sign-in or lock, and it is no "
            "longer there: entries were removed.").format(whose=whose, id=anchor.entry_id)  # fmt: skip
    if stored != anchor.entry_hash:
        return "trail rewritten", _(
            "Audit trail: entry {id} is not the one {whose} saw at the last sign-in or lock: the "
            "trail was rewritten up to there.").format(whose=whose, id=anchor.entry_id)  # fmt: skip
    return None


def own_problems(
    conn: Connection, keys: KeyFile, login: str, opened: Opened
) -> list[tuple[str, str]]:
    """At sign-in: what the signing-in account's own anchor reveals (it alone can check that
    its anchor is genuine), as (kind, sentence): the kind goes into the audit trail."""
    if opened.anchor_removed:
        return [("anchor removed", _(
            "Audit trail: the anchor of your account was removed from the key file, so audit "
            "entries may have been removed since your last sign-in."))]  # fmt: skip
    anchor = keys.anchor_of(login)
    if not opened.anchor_key:
        return []
    seen_here = local_anchors.highest(keys.database_id, login)
    if seen_here is not None and (anchor is None or anchor.entry_id < seen_here):
        return [("anchor rolled back", _(
            "Audit trail: on this computer your account saw entry {id}, but the key file puts "
            "your anchor further back: someone put an older key file or anchor back, and audit "
            "entries may have been removed.").format(id=seen_here))]  # fmt: skip
    if anchor is None:
        return []
    if not key_slots.anchor_is_genuine(anchor, opened.anchor_key, keys.database_id, login):
        return [("anchor forged", _(
            "Audit trail: the anchor of your account in the key file was changed by someone "
            "else, so audit entries may have been removed or rewritten."))]  # fmt: skip
    problem = _entry_problem(conn, anchor, _("your account"))
    return [problem] if problem else []


def all_problems(conn: Connection, keys: KeyFile) -> list[str]:
    """For `traject check`: every account's anchor against the trail, and anchored slots
    whose anchor is gone. (Whether an anchor is genuine only its own account can tell: that
    is checked at its sign-in.)"""
    problems = []
    for name, anchor in sorted(keys.anchors().items()):
        problem = (
            _entry_problem(conn, anchor, _("the account “{login}”").format(login=name))
            if anchor
            else None
        )
        if problem:
            problems.append(problem[1])
    problems.extend(_("Audit trail: the anchor of the account “{login}” was removed from the key "
                      "file.").format(login=name) for name in keys.anchored_without_anchor())  # fmt: skip
    return problems
