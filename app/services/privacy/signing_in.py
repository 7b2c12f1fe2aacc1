"""What the window signs in to, locks and signs in to again: an encrypted file's `Vault`
(privacy.vault) or a team server's `ServerVault` (team.server_vault)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from app.models.enums import AuditAction

if TYPE_CHECKING:
    from app.db import Database
    from app.models import Counsellor
    from app.services.privacy.login_throttle import LoginThrottle


class SignInTarget(Protocol):
    database: Database | None
    counsellor_id: int | None
    audit_warnings: list[str]
    lock_not_recorded: bool

    @property
    def locked(self) -> bool: ...

    @property
    def organisation(self) -> str: ...

    def unlock(
        self, login: str, password: str, throttle: LoginThrottle,
        action: AuditAction = AuditAction.LOGIN,
    ) -> Counsellor: ...  # fmt: skip

    def lock(self) -> None: ...

    def copy_key(self) -> bytearray: ...
