"""Magento configuration paths this service reads, with Magento's defaults.

Values live in `core_config_data` by scope (default, websites, stores); a store-view lookup
falls back: store → website → default → the default declared here, as Magento's ScopeConfig does."""

from __future__ import annotations

from enum import StrEnum


class ConfigPath(StrEnum):
    DEFAULT_GROUP = "customer/create_account/default_group"
    CONFIRM_ACCOUNT = "customer/create_account/confirm"
    SHARE_CUSTOMER_GROUP = "customer/account_information/graphql_share_customer_group"
    ACCOUNT_SHARE_SCOPE = "customer/account_share/scope"
    PASSWORD_MIN_LENGTH = "customer/password/minimum_password_length"
    PASSWORD_CHARACTER_CLASSES = "customer/password/required_character_classes_number"
    LOCKOUT_FAILURES = "customer/password/lockout_failures"
    LOCKOUT_MINUTES = "customer/password/lockout_threshold"
    STREET_LINES = "customer/address/street_lines"
    NEWSLETTER_ACTIVE = "newsletter/general/active"
    NEWSLETTER_GUEST_SUBSCRIBE = "newsletter/subscription/allow_guest_subscribe"
    NEWSLETTER_CONFIRM = "newsletter/subscription/confirm"
    SHARE_ACTIVE_SEGMENTS = "customer/magento_customersegment/share_active_segments"
    SHARE_APPLIED_CART_RULE = "promo/graphql/share_applied_cart_rule"
    DEFAULT_DISPLAY_CURRENCY = "currency/options/default"


# `customer/account_share/scope`: 1 = accounts are per website (Magento's default), 0 = global.
ACCOUNT_SHARE_WEBSITE = "1"

DEFAULTS: dict[ConfigPath, str] = {
    ConfigPath.DEFAULT_GROUP: "1",
    ConfigPath.CONFIRM_ACCOUNT: "0",
    ConfigPath.SHARE_CUSTOMER_GROUP: "1",
    ConfigPath.ACCOUNT_SHARE_SCOPE: ACCOUNT_SHARE_WEBSITE,
    ConfigPath.PASSWORD_MIN_LENGTH: "8",
    ConfigPath.PASSWORD_CHARACTER_CLASSES: "3",
    ConfigPath.LOCKOUT_FAILURES: "10",
    ConfigPath.LOCKOUT_MINUTES: "10",
    ConfigPath.STREET_LINES: "2",
    ConfigPath.NEWSLETTER_ACTIVE: "1",
    ConfigPath.NEWSLETTER_GUEST_SUBSCRIBE: "1",
    ConfigPath.NEWSLETTER_CONFIRM: "0",
    ConfigPath.SHARE_ACTIVE_SEGMENTS: "1",
    ConfigPath.SHARE_APPLIED_CART_RULE: "1",
    ConfigPath.DEFAULT_DISPLAY_CURRENCY: "USD",
}


class Scope(StrEnum):
    DEFAULT = "default"
    WEBSITES = "websites"
    STORES = "stores"
