"""Store configuration for the storefront (`StoreConfig`), websites and settings for admins."""

from __future__ import annotations

import strawberry

from engine.config import ConfigPath
from engine.stores import StoresSnapshot, StoreView, WebsiteView
from graph.enums import described_enum
from graph.errors import UserError
from graph.limits import LONG_TEXT, length
from graph.uids import encode_uid


@strawberry.type(description="Contains information about a store's configuration.")
class StoreConfig:
    base_currency_code: str | None = strawberry.field(description="The base currency code.")
    code: str | None = strawberry.field(
        description="A code assigned to the store to identify it.",
        deprecation_reason="Use `store_code` instead.",
    )
    default_display_currency_code: str | None = strawberry.field(
        description="The default display currency code."
    )
    enable_guest_checkout_login: bool | None = strawberry.field(
        description="Configuration data from checkout/options/enable_guest_checkout_login: "
        "whether `isEmailAvailable` tells whether an account exists (off: it always answers "
        "true)."
    )
    graphql_share_customer_group: bool | None = strawberry.field(
        description="Configuration data from "
        "customer/account_information/graphql_share_customer_group"
    )
    id: int | None = strawberry.field(
        description="The ID number assigned to the store.",
        deprecation_reason="Use `store_code` instead.",
    )
    is_default_store: bool | None = strawberry.field(
        description="Indicates whether the store view has been designated as the default within "
        "the store group."
    )
    is_default_store_group: bool | None = strawberry.field(
        description="Indicates whether the store group has been designated as the default within "
        "the website."
    )
    locale: str | None = strawberry.field(description="The store locale.")
    share_active_segments: bool | None = strawberry.field(
        description="Configuration data from customer/magento_customersegment/share_active_segments"
    )
    share_applied_cart_rule: bool | None = strawberry.field(
        description="Configuration data from promo/graphql/share_applied_cart_rule"
    )
    store_code: strawberry.ID | None = strawberry.field(
        description="The unique ID of the store view."
    )
    store_group_code: strawberry.ID | None = strawberry.field(
        description="The unique ID assigned to the store group. In the Admin, this is called the "
        "Store Name."
    )
    store_group_name: str | None = strawberry.field(
        description="The label assigned to the store group."
    )
    store_name: str | None = strawberry.field(description="The label assigned to the store view.")
    store_sort_order: int | None = strawberry.field(description="The store view sort order.")
    timezone: str | None = strawberry.field(description="The time zone of the store.")
    website_code: strawberry.ID | None = strawberry.field(
        description="The unique ID for the website."
    )
    website_id: int | None = strawberry.field(
        description="The ID number assigned to the website store.",
        deprecation_reason="The field should not be used on the storefront.",
    )
    website_name: str | None = strawberry.field(description="The label assigned to the website.")

    @classmethod
    def of(cls, store: StoreView, stores: StoresSnapshot) -> StoreConfig:
        def flag(path: ConfigPath) -> bool:
            return stores.config_flag(path, store)

        return cls(
            base_currency_code=store.website.base_currency_code,
            code=store.code,
            default_display_currency_code=stores.config_value(
                ConfigPath.DEFAULT_DISPLAY_CURRENCY, store
            ),
            enable_guest_checkout_login=flag(ConfigPath.GUEST_CHECKOUT_LOGIN),
            graphql_share_customer_group=flag(ConfigPath.SHARE_CUSTOMER_GROUP),
            id=store.store_id,
            is_default_store=store.is_default_store,
            is_default_store_group=store.is_default_group,
            locale=store.locale,
            share_active_segments=flag(ConfigPath.SHARE_ACTIVE_SEGMENTS),
            share_applied_cart_rule=flag(ConfigPath.SHARE_APPLIED_CART_RULE),
            store_code=strawberry.ID(store.code),
            store_group_code=strawberry.ID(store.group_code),
            store_group_name=store.group_name,
            store_name=store.name,
            store_sort_order=store.sort_order,
            timezone=store.website.timezone,
            website_code=strawberry.ID(store.website.code),
            website_id=store.website.website_id,
            website_name=store.website.name,
        )


@strawberry.type(description="A store view, as admins see it.")
class AdminStoreView:
    uid: strawberry.ID = strawberry.field(description="The unique ID of the store view.")
    code: str = strawberry.field(description="The code clients send in the `Store` header.")
    name: str = strawberry.field(description="The store view's label.")
    is_active: bool = strawberry.field(description="Whether the storefront serves this view.")
    locale: str = strawberry.field(description="The store view's locale.")

    @classmethod
    def of(cls, store: StoreView) -> AdminStoreView:
        return cls(
            uid=strawberry.ID(encode_uid(store.store_id)),
            code=store.code,
            name=store.name,
            is_active=store.is_active,
            locale=store.locale,
        )


@strawberry.type(description="A website, as admins see it (admin token required).")
class Website:
    uid: strawberry.ID = strawberry.field(description="The unique ID of the website.")
    id: int = strawberry.field(description="Magento's numeric `website_id`.")
    code: str = strawberry.field(description="The website's code.")
    name: str = strawberry.field(description="The website's label.")
    base_currency_code: str = strawberry.field(description="The website's base currency.")
    timezone: str = strawberry.field(description="The website's IANA time zone.")
    is_default: bool = strawberry.field(description="Whether this is the default website.")
    store_views: list[AdminStoreView] = strawberry.field(description="The website's store views.")

    @classmethod
    def of(cls, website: WebsiteView, stores: StoresSnapshot) -> Website:
        return cls(
            uid=strawberry.ID(encode_uid(website.website_id)),
            id=website.website_id,
            code=website.code,
            name=website.name,
            base_currency_code=website.base_currency_code,
            timezone=website.timezone,
            is_default=website.is_default,
            store_views=[
                AdminStoreView.of(s)
                for s in stores.stores
                if s.website.website_id == website.website_id
            ],
        )


@strawberry.input(description="A new website, with its store group and first store view.")
class WebsiteCreateInput:
    code: str = strawberry.field(description="Lowercase letters, digits and underscores.")
    name: str = strawberry.field(metadata=length(64), description="The website's label.")
    base_currency_code: str | None = strawberry.field(
        metadata=length(3), default=None, description="USD when omitted."
    )
    timezone: str | None = strawberry.field(
        metadata=length(64), default=None, description="UTC when omitted."
    )
    store_code: str = strawberry.field(description="The code of the website's first store view.")
    store_name: str | None = strawberry.field(default=None, description="The store view's label.")


@strawberry.input(description="Changes to a website; omitted fields stay as they are.")
class WebsiteUpdateInput:
    code: str | None = strawberry.field(default=None, description="A new, unique code.")
    name: str | None = strawberry.field(
        metadata=length(64), default=None, description="A new label."
    )
    base_currency_code: str | None = strawberry.field(
        metadata=length(3), default=None, description="A currency code."
    )
    timezone: str | None = strawberry.field(
        metadata=length(64), default=None, description="An IANA time zone."
    )


@strawberry.type(description="The result of an admin mutation on a website.")
class WebsiteOutput:
    website: Website | None = strawberry.field(
        description="The website after the change; null when the input was refused."
    )
    user_errors: list[UserError] = strawberry.field(description="Every problem with the input.")


ConfigPathEnum = described_enum(
    "ConfigPathEnum",
    {path.name: (path.value, f"Magento's `{path.value}`.") for path in ConfigPath},
    "The Magento configuration settings mageseg reads.",
)


@strawberry.type(description="A configuration value as it applies at one scope.")
class ConfigValue:
    path: ConfigPathEnum = strawberry.field(description="The setting.")  # type: ignore[valid-type]
    value: str = strawberry.field(
        description="Its effective value: the website's own, else the default scope's, "
        "else Magento's default."
    )
    website_uid: strawberry.ID | None = strawberry.field(
        description="The website the value applies to; null for the default scope."
    )


@strawberry.input(description="Sets or clears one configuration value.")
class ConfigValueInput:
    path: ConfigPathEnum = strawberry.field(description="The setting.")  # type: ignore[valid-type]
    value: str | None = strawberry.field(
        metadata=LONG_TEXT,
        default=None,
        description="The new value; null removes it, so the broader scope applies.",
    )
    website_uid: strawberry.ID | None = strawberry.field(
        default=None, description="A website to set it for; the default scope when omitted."
    )


@strawberry.type(description="The result of saving a configuration value.")
class ConfigValueOutput:
    config: ConfigValue | None = strawberry.field(description="The value now in force.")
    user_errors: list[UserError] = strawberry.field(description="Every problem with the input.")
