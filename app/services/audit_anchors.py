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
from app.services import key_slots
from app.services.key_slots import Anchor, Opened
from app.services.keyfile import KeyFile


def _entry_problem(conn: Connection, anchor: Anchor, whose: str) -> str | None:
    stored = conn.scalar(select(AuditEntry.hash).where(AuditEntry.id == anchor.entry_id))
    if stored is None:
        return _("Audit trail: {whose} saw entry {id} at the last sign-in or lock, and it is no "
                 "longer there: entries were removed.").format(whose=whose, id=anchor.entry_id)  # fmt: skip
    if stored != anchor.entry_hash:
        return _("Audit trail: entry {id} is not the one {whose} saw at the last sign-in or "
                 "lock: the trail was rewritten up to there.").format(whose=whose, id=anchor.entry_id)  # fmt: skip
    return None


def own_problems(conn: Connection, keys: KeyFile, login: str, opened: Opened) -> list[str]:
    """At sign-in: what the signing-in account's own anchor reveals (it alone can check that
    its anchor is genuine)."""
    whose = _("your account")
    if opened.anchor_removed:
        return [_("Audit trail: the anchor of your account was removed from the key file, so "
                  "audit entries may have been removed since your last sign-in.")]  # fmt: skip
    anchor = keys.anchor_of(login)
    if anchor is None or not opened.anchor_key:
        return []
    if not key_slots.anchor_is_genuine(anchor, opened.anchor_key, keys.database_id, login):
        return [_("Audit trail: the anchor of your account in the key file was changed by "
                  "someone else, so audit entries may have been removed or rewritten.")]  # fmt: skip
    problem = _entry_problem(conn, anchor, whose)
    return [problem] if problem else []


def all_problems(
    conn: Connection, keys: KeyFile, login: str | None = None, opened: Opened | None = None
) -> list[str]:
    """For `traject check`: every account's anchor against the trail, the checking account's
    own also for being genuine, and anchored slots whose anchor is gone."""
    problems = []
    if login is not None and opened is not None:
        problems.extend(own_problems(conn, keys, login, opened))
    for name, anchor in sorted(keys.anchors().items()):
        if anchor is None or name == login:
            continue
        problem = _entry_problem(conn, anchor, _("the account “{login}”").format(login=name))
        if problem:
            problems.append(problem)
    problems.extend(_("Audit trail: the anchor of the account “{login}” was removed from the key "
                      "file.").format(login=name) for name in keys.anchored_without_anchor())  # fmt: skip
    return problems
