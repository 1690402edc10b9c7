"""Websites, store views and configuration, read as one cached snapshot.

Every storefront request needs its store view (from the `Store` header) and a few config values;
the snapshot makes both a dictionary lookup. Writes to these tables call `invalidate_stores`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from engine.cache import Cache, Family
from engine.config import DEFAULTS, ConfigPath, Scope
from engine.errors import InputInvalid, NoSuchEntity, Problem, ProblemCode
from engine.invalidation import record
from models import CoreConfigData, Store, StoreGroup, StoreWebsite
from models.stores import ADMIN_WEBSITE_ID


@dataclass(frozen=True)
class WebsiteView:
    website_id: int
    code: str
    name: str
    base_currency_code: str
    timezone: str
    is_default: bool
    sort_order: int


@dataclass(frozen=True)
class StoreView:
    store_id: int
    code: str
    name: str
    sort_order: int
    locale: str
    is_active: bool
    group_id: int
    group_code: str
    group_name: str
    is_default_store: bool
    is_default_group: bool
    website: WebsiteView
    # The store group's root category (Default Category, 2, when it names none).
    root_category_id: int = 2


@dataclass(frozen=True)
class StoresSnapshot:
    websites: tuple[WebsiteView, ...]
    stores: tuple[StoreView, ...]
    # (scope, scope_id, path) -> value
    config: tuple[tuple[tuple[str, int, str], str | None], ...]

    def website(self, website_id: int) -> WebsiteView:
        for website in self.websites:
            if website.website_id == website_id:
                return website
        raise NoSuchEntity(
            Problem(ProblemCode.NOT_FOUND, f'Could not find a website with ID "{website_id}"')
        )

    def default_store(self) -> StoreView:
        default_website = next(w for w in self.websites if w.is_default)
        return next(
            s
            for s in self.stores
            if s.website.website_id == default_website.website_id and s.is_default_store
        )

    def store_by_code(self, code: str | None) -> StoreView:
        """The store view a storefront request addresses; `None` means the default one."""
        if code is None or code == "":
            return self.default_store()
        for store in self.stores:
            if store.code == code and store.website.website_id != ADMIN_WEBSITE_ID:
                if store.is_active:
                    return store
                break
        raise InputInvalid(Problem(ProblemCode.INVALID, "Requested store is not found", "Store"))

    @cached_property
    def _config_by_scope(self) -> dict[tuple[str, int, str], str | None]:
        return dict(self.config)

    def config_value(self, path: ConfigPath, store: StoreView | None = None) -> str:
        values = self._config_by_scope
        candidates = [(Scope.DEFAULT.value, 0)]
        if store is not None:
            candidates = [
                (Scope.STORES.value, store.store_id),
                (Scope.WEBSITES.value, store.website.website_id),
                *candidates,
            ]
        for scope, scope_id in candidates:
            value = values.get((scope, scope_id, path.value))
            if value is not None:
                return value
        return DEFAULTS[path]

    def config_flag(self, path: ConfigPath, store: StoreView | None = None) -> bool:
        return self.config_value(path, store).strip() not in {"", "0", "false"}

    def config_int(self, path: ConfigPath, store: StoreView | None = None) -> int:
        return int(self.config_value(path, store))


async def _load_snapshot() -> StoresSnapshot:
    website_rows = await StoreWebsite.all().order_by("sort_order", "website_id")
    websites = {
        w.website_id: WebsiteView(
            website_id=w.website_id,
            code=w.code,
            name=w.name,
            base_currency_code=w.base_currency_code,
            timezone=w.timezone,
            is_default=w.is_default,
            sort_order=w.sort_order,
        )
        for w in website_rows
    }
    default_group_of = {w.website_id: w.default_group_id for w in website_rows}
    groups = {g.group_id: g for g in await StoreGroup.all()}
    stores = []
    for s in await Store.all().order_by("sort_order", "store_id"):
        group = groups[s.group_id]  # type: ignore[attr-defined]
        website = websites[s.website_id]  # type: ignore[attr-defined]
        stores.append(
            StoreView(
                store_id=s.store_id,
                code=s.code,
                name=s.name,
                sort_order=s.sort_order,
                locale=s.locale,
                is_active=s.is_active,
                group_id=group.group_id,
                group_code=group.code,
                group_name=group.name,
                is_default_store=group.default_store_id == s.store_id,
                is_default_group=default_group_of[website.website_id] == group.group_id,
                website=website,
                root_category_id=group.root_category_id or 2,
            )
        )
    config = tuple(((c.scope, c.scope_id, c.path), c.value) for c in await CoreConfigData.all())
    return StoresSnapshot(tuple(websites.values()), tuple(stores), config)


async def load_snapshot() -> StoresSnapshot:
    """A fresh snapshot read from the database, bypassing the cache (background jobs)."""
    return await _load_snapshot()


async def snapshot(cache: Cache) -> StoresSnapshot:
    # Memoized in the process: read on every request, and big to fetch and unpickle each time.
    return await cache.get_or_load(
        Family.STORES, "snapshot", _load_snapshot, memo=True, observe=_observe
    )


def _observe(scope: tuple[str, str], version: int) -> None:
    record([scope], [version])


async def invalidate_stores(cache: Cache) -> None:
    await cache.invalidate(Family.STORES)
