"""`storeConfig`, `availableStores`, `currency`, `recaptchaV3Config` and the directory
(`countries`, `country`) for the storefront; websites and configuration for admins."""

from __future__ import annotations

from typing import Annotated, Any, cast

import strawberry

from engine import directory, websites
from engine.config import ConfigPath
from engine.errors import DomainError
from engine.stores import StoresSnapshot, snapshot
from graph.context import Info
from graph.directory import Country, Currency
from graph.errors import UserError
from graph.iso_codes import CURRENCY_CODES
from graph.stores import (
    ConfigPathEnum,
    ConfigValue,
    ConfigValueInput,
    ConfigValueOutput,
    ReCaptchaConfigurationV3,
    StoreConfig,
    Website,
    WebsiteCreateInput,
    WebsiteOutput,
    WebsiteUpdateInput,
)
from graph.uids import decode_uid, encode_uid
from models.stores import ADMIN_WEBSITE_ID
from resolvers.access import require_admin

CURRENCIES = frozenset(CURRENCY_CODES)


def _config_value(stores: StoresSnapshot, path: ConfigPath, website_id: int | None) -> ConfigValue:
    store = None
    if website_id is not None:
        store = next(s for s in stores.stores if s.website.website_id == website_id)
    return ConfigValue(
        path=ConfigPathEnum(path.value),
        value=stores.config_value(path, store),
        website_uid=None if website_id is None else strawberry.ID(encode_uid(website_id)),
    )


@strawberry.type
class Query:
    @strawberry.field(description="Return details about the store's configuration.")
    async def storeConfig(self, info: Info) -> StoreConfig | None:
        return StoreConfig.of(
            await info.context.store(),
            await info.context.stores(),
            info.context.services.media.base_url,
            info.context.services.customer_token_lifetime.total_seconds(),
        )

    @strawberry.field(
        description="Return a list of available store views and their config information."
    )
    async def availableStores(
        self,
        info: Info,
        useCurrentGroup: Annotated[
            bool | None,
            strawberry.argument(description="Filter store views by the current store group."),
        ] = None,
    ) -> list[StoreConfig | None] | None:
        """The active store views of the caller's website (of its store group only with
        `useCurrentGroup`), as Magento's `AvailableStoresResolver`."""
        store = await info.context.store()
        stores = await info.context.stores()
        return [
            StoreConfig.of(
                view,
                stores,
                info.context.services.media.base_url,
                info.context.services.customer_token_lifetime.total_seconds(),
            )
            for view in stores.stores
            if view.is_active
            and view.website.website_id == store.website.website_id
            and (not useCurrentGroup or view.group_id == store.group_id)
        ]

    @strawberry.field(description="Return information about the store's currency.")
    async def currency(self, info: Info) -> Currency | None:
        store = await info.context.store()
        stores = await info.context.stores()
        allowed = stores.config_value(ConfigPath.CURRENCIES_ALLOWED, store)
        return Currency(
            available_currency_codes=[c for c in allowed.split(",") if c],
            base_currency_code=store.website.base_currency_code,
            default_display_currency_code=stores.config_value(
                ConfigPath.DEFAULT_DISPLAY_CURRENCY, store
            ),
        )

    @strawberry.field(
        description="Returns details about Google reCAPTCHA V3-Invisible configuration."
    )
    async def recaptchaV3Config(self, info: Info) -> ReCaptchaConfigurationV3 | None:
        return ReCaptchaConfigurationV3.of(await info.context.store(), await info.context.stores())

    @strawberry.field(description="The countries query provides information for all countries.")
    async def countries(self, info: Info) -> list[Country | None] | None:
        store = await info.context.store()
        allowed = (await info.context.stores()).config_value(ConfigPath.COUNTRIES_ALLOWED, store)
        rows = await directory.countries(allowed.split(","), store.locale)
        return [Country.of(row) for row in rows]

    @strawberry.field(description="The countries query provides information for a single country.")
    async def country(
        self,
        info: Info,
        id: Annotated[
            str | None,
            strawberry.argument(description="The two-letter code of the country to return."),
        ] = None,
    ) -> Country | None:
        store = await info.context.store()
        allowed = (await info.context.stores()).config_value(ConfigPath.COUNTRIES_ALLOWED, store)
        return Country.of(await directory.country(allowed.split(","), store.locale, id or ""))

    @strawberry.field(description="All websites with their store views (admin token required).")
    async def adminWebsites(self, info: Info) -> list[Website]:
        await require_admin(info)
        stores = await info.context.stores()
        return [Website.of(w, stores) for w in stores.websites if w.website_id != ADMIN_WEBSITE_ID]

    @strawberry.field(
        description="Effective configuration values, at default scope or for one website "
        "(admin token required)."
    )
    async def adminConfig(
        self,
        info: Info,
        website_uid: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description=(
                    "The `uid` of the website whose values to return; default scope when omitted."
                )
            ),
        ] = None,
    ) -> list[ConfigValue]:
        await require_admin(info)
        stores = await info.context.stores()
        website_id = None if website_uid is None else decode_uid(website_uid, "website_uid")
        if website_id is not None:
            stores.website(website_id)
        return [_config_value(stores, path, website_id) for path in ConfigPath]


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Create a website with a store group and its first store view "
        "(admin token required)."
    )
    async def adminCreateWebsite(
        self,
        info: Info,
        input: Annotated[
            WebsiteCreateInput,
            strawberry.argument(
                description=(
                    "The new website's code and name, with its store group and first store view."
                )
            ),
        ],
    ) -> WebsiteOutput:
        await require_admin(info)
        cache = info.context.services.cache
        changes = websites.WebsiteChanges(
            code=input.code,
            name=input.name,
            base_currency_code=input.base_currency_code,
            timezone=input.timezone,
            store_code=input.store_code,
            store_name=input.store_name,
        )
        try:
            row = await websites.create(changes, cache, CURRENCIES)
        except DomainError as error:
            return WebsiteOutput(website=None, user_errors=UserError.from_error(error))
        stores = await snapshot(cache)
        return WebsiteOutput(
            website=Website.of(stores.website(row.website_id), stores), user_errors=[]
        )

    @strawberry.mutation(description="Change a website (admin token required).")
    async def adminUpdateWebsite(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID, strawberry.argument(description="The `uid` of the website to change.")
        ],
        input: Annotated[
            WebsiteUpdateInput, strawberry.argument(description="The website's new values.")
        ],
    ) -> WebsiteOutput:
        await require_admin(info)
        cache = info.context.services.cache
        changes = websites.WebsiteChanges(
            code=input.code,
            name=input.name,
            base_currency_code=input.base_currency_code,
            timezone=input.timezone,
        )
        try:
            row = await websites.update(decode_uid(uid), changes, cache, CURRENCIES)
        except DomainError as error:
            return WebsiteOutput(website=None, user_errors=UserError.from_error(error))
        stores = await snapshot(cache)
        return WebsiteOutput(
            website=Website.of(stores.website(row.website_id), stores), user_errors=[]
        )

    @strawberry.mutation(
        description="Set or clear a configuration value, at default scope or for one website "
        "(admin token required)."
    )
    async def adminSaveConfig(
        self,
        info: Info,
        input: Annotated[
            ConfigValueInput,
            strawberry.argument(
                description=(
                    "The configuration path, the scope and the value to set (null clears it)."
                )
            ),
        ],
    ) -> ConfigValueOutput:
        await require_admin(info)
        cache = info.context.services.cache
        path = ConfigPath(cast(Any, input.path).value)  # graph enum values are the engine's
        try:
            website_id = (
                None
                if input.website_uid is None
                else decode_uid(input.website_uid, "input.website_uid")
            )
            await websites.save_config(
                path, input.value, website_id, await info.context.stores(), cache
            )
        except DomainError as error:
            return ConfigValueOutput(config=None, user_errors=UserError.from_error(error))
        return ConfigValueOutput(
            config=_config_value(await snapshot(cache), path, website_id), user_errors=[]
        )
