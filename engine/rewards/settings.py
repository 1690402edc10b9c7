"""The `magento_reward/*` settings as they apply to one website. An empty value means "not
set": no threshold, no cap, no expiry, no points for an action (Magento's `etc/config.xml`)."""

from __future__ import annotations

from dataclasses import dataclass

from engine.config import ConfigPath
from engine.stores import StoresSnapshot, StoreView


def website_store(stores: StoresSnapshot, website_id: int) -> StoreView | None:
    """A store view of the website, for reading website-scoped settings (the default one)."""
    ours = [s for s in stores.stores if s.website.website_id == website_id]
    if not ours:
        return None
    return next((s for s in ours if s.is_default_group and s.is_default_store), ours[0])


def _number(stores: StoresSnapshot, path: ConfigPath, store: StoreView | None) -> int | None:
    """A whole number setting; empty, zero, negative or not a number: not set."""
    text = stores.config_value(path, store).strip()
    try:
        value = int(float(text))
    except ValueError:
        return None
    return value if value > 0 else None


@dataclass(frozen=True)
class RewardSettings:
    enabled: bool
    """`is_enabled` (global) and `is_enabled_on_front` (website): Magento's `isEnabledOnFront`."""
    publish_history: bool
    min_points_balance: int | None
    max_points_balance: int | None
    expiration_days: int | None
    dynamic_expiry: bool
    points_order: bool
    points_register: int | None
    points_newsletter: int | None
    points_invitation_customer: int | None
    points_invitation_customer_limit: int | None
    points_invitation_order: int | None
    points_invitation_order_limit: int | None
    invitation_order_each: bool
    points_review: int | None
    points_review_limit: int | None
    subscribe_by_default: bool


def for_website(stores: StoresSnapshot, website_id: int) -> RewardSettings:
    store = website_store(stores, website_id)

    def number(path: ConfigPath) -> int | None:
        return _number(stores, path, store)

    return RewardSettings(
        enabled=stores.config_flag(ConfigPath.REWARD_ENABLED)
        and stores.config_flag(ConfigPath.REWARD_ENABLED_ON_FRONT, store),
        publish_history=stores.config_flag(ConfigPath.REWARD_PUBLISH_HISTORY, store),
        min_points_balance=number(ConfigPath.REWARD_MIN_POINTS_BALANCE),
        max_points_balance=number(ConfigPath.REWARD_MAX_POINTS_BALANCE),
        expiration_days=number(ConfigPath.REWARD_EXPIRATION_DAYS),
        dynamic_expiry=stores.config_value(ConfigPath.REWARD_EXPIRY_CALCULATION, store).strip()
        == "dynamic",
        points_order=stores.config_flag(ConfigPath.REWARD_POINTS_ORDER, store),
        points_register=number(ConfigPath.REWARD_POINTS_REGISTER),
        points_newsletter=number(ConfigPath.REWARD_POINTS_NEWSLETTER),
        points_invitation_customer=number(ConfigPath.REWARD_POINTS_INVITATION_CUSTOMER),
        points_invitation_customer_limit=number(ConfigPath.REWARD_POINTS_INVITATION_CUSTOMER_LIMIT),
        points_invitation_order=number(ConfigPath.REWARD_POINTS_INVITATION_ORDER),
        points_invitation_order_limit=number(ConfigPath.REWARD_POINTS_INVITATION_ORDER_LIMIT),
        invitation_order_each=stores.config_value(
            ConfigPath.REWARD_POINTS_INVITATION_ORDER_FREQUENCY, store
        ).strip()
        == "*",
        points_review=number(ConfigPath.REWARD_POINTS_REVIEW),
        points_review_limit=number(ConfigPath.REWARD_POINTS_REVIEW_LIMIT),
        subscribe_by_default=stores.config_flag(ConfigPath.REWARD_SUBSCRIBE_BY_DEFAULT),
    )
