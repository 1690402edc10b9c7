"""The `magento_invitation/*` settings of one store view (`Model/Config.php`)."""

from __future__ import annotations

from dataclasses import dataclass

from engine.config import ConfigPath
from engine.stores import StoresSnapshot, StoreView


@dataclass(frozen=True)
class InvitationSettings:
    enabled_on_front: bool
    use_inviter_group: bool
    required_for_registration: bool
    allow_customer_message: bool
    max_per_send: int

    @classmethod
    def of(cls, store: StoreView, stores: StoresSnapshot) -> InvitationSettings:
        """`isEnabledOnFront` = `enabled` (default scope) and `enabled_on_front` (website);
        a maximum per send below 1 counts as 1 (`getMaxInvitationsPerSend`)."""
        try:
            max_per_send = stores.config_int(ConfigPath.INVITATION_MAX_PER_SEND, store)
        except ValueError:
            max_per_send = 1
        return cls(
            enabled_on_front=stores.config_flag(ConfigPath.INVITATION_ENABLED)
            and stores.config_flag(ConfigPath.INVITATION_ENABLED_ON_FRONT, store),
            use_inviter_group=stores.config_flag(ConfigPath.INVITATION_USE_INVITER_GROUP, store),
            required_for_registration=stores.config_flag(ConfigPath.INVITATION_REQUIRED, store),
            allow_customer_message=stores.config_flag(ConfigPath.INVITATION_ALLOW_MESSAGE, store),
            max_per_send=max(1, max_per_send),
        )
