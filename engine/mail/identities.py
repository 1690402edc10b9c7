"""Magento's "Store Email Addresses" (`trans_email/ident_*`): the named senders a setting such as
`customer/password/forgot_email_identity` chooses among."""

from __future__ import annotations

from engine.config import ConfigPath
from engine.mail.message import Address
from engine.stores import StoresSnapshot, StoreView

# identity code -> (name path, e-mail path), in Magento's order.
IDENTITIES: dict[str, tuple[ConfigPath, ConfigPath]] = {
    "general": (ConfigPath.IDENTITY_GENERAL_NAME, ConfigPath.IDENTITY_GENERAL_EMAIL),
    "sales": (ConfigPath.IDENTITY_SALES_NAME, ConfigPath.IDENTITY_SALES_EMAIL),
    "support": (ConfigPath.IDENTITY_SUPPORT_NAME, ConfigPath.IDENTITY_SUPPORT_EMAIL),
    "custom1": (ConfigPath.IDENTITY_CUSTOM1_NAME, ConfigPath.IDENTITY_CUSTOM1_EMAIL),
    "custom2": (ConfigPath.IDENTITY_CUSTOM2_NAME, ConfigPath.IDENTITY_CUSTOM2_EMAIL),
}


def sender(setting: ConfigPath, stores: StoresSnapshot, store: StoreView) -> Address:
    """The sender a setting names for this store view (the general contact when it names none
    known, as Magento's `SenderResolver` falls back)."""
    code = stores.config_value(setting, store)
    name_path, email_path = IDENTITIES.get(code, IDENTITIES["general"])
    return Address(stores.config_value(name_path, store), stores.config_value(email_path, store))
