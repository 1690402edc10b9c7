"""Category permissions, as Adobe Commerce's `Magento_CatalogPermissions`: per category, website
(or all) and customer group (or all), whether shoppers may browse the category and its products,
see product prices and add products to the cart; each grant ALLOW, DENY or "use parent".

Off unless `catalog/magento_catalogpermissions/enabled` is set for the store view; then every
storefront read goes through a `CatalogAccess` for the caller's store view and customer group.

How a grant is decided for a category (Magento's category indexer, `Indexer\\AbstractAction`):
1. At the category itself, the most specific applicable row wins, whole: one naming the group
   over one for all groups, then one naming the website over one for all websites. Rows whose
   three grants are all "use parent" are ignored, as Magento's indexer ignores them.
2. A grant left at "use parent" (or a category with no applicable row) takes the parent
   category's decision for the same website and group, up the path.
3. What is still undecided at the top of the path falls to the configured default for the store
   view and group (`grant_*`: 0 no, 1 everyone, 2 the groups listed in `grant_*_groups`).
After inheritance, as Magento's index: browsing denied also denies prices, and prices denied also
deny adding to the cart.

Magento's indexer inherits a "use parent" grant only from the parent's row of the very same scope
(a group-specific row does not fall back to the parent's all-groups row, it falls to the
configured default). We resolve "use parent" against the parent's decision for the shopper's
website and group, which is what the admin form says the value means.

A product (Magento's product index, `magento_catalogpermissions_index_product`) takes, for each
grant, the most permissive decision among its active categories under the store's root that have
a decision (their own rows or an ancestor's; categories without any are left out, as the product
index joins only indexed categories), then the same browse → prices → cart chain; a product in no
such category takes the configured defaults directly. So a product is listed when any of its
categories may be browsed, and hidden when a permission denies one of them and no other allows."""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, TypeVar, cast

from tortoise.expressions import Q, Subquery
from tortoise.models import Model
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from engine.cache import Cache
from engine.config import ConfigPath
from engine.errors import NoSuchEntity, Problem, ProblemCode, Problems
from engine.invalidation import Topic, current_cache, read, touch
from engine.stores import StoresSnapshot, StoreView
from models import (
    CatalogCategoryEntity,
    CatalogCategoryProduct,
    CustomerEntity,
    CustomerGroup,
    Grant,
    MagentoCatalogpermissions,
    StoreGroup,
)
from models.catalog import DEFAULT_CATEGORY_ID
from models.groups import NOT_LOGGED_IN_GROUP_ID
from models.stores import ADMIN_WEBSITE_ID

M = TypeVar("M", bound=Model)

# Magento_CatalogPermissionsGraphQl `BulkPermissionsPrecursor`: the sku the shopper sent.
CANNOT_ADD_TO_CART = 'You cannot add "{sku}" to the cart.'
# `ConfigInterface::GRANT_*`.
GRANT_NONE, GRANT_ALL, GRANT_CUSTOMER_GROUP = "0", "1", "2"


def cannot_add_to_cart(sku: str) -> str:
    return CANNOT_ADD_TO_CART.format(sku=sku)


# --- decisions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Grants:
    """A category's decision for one website and group: each grant ALLOW, DENY, or None where
    nothing decided it (the configured default applies)."""

    browse: Grant | None = None
    prices: Grant | None = None
    checkout: Grant | None = None

    def chained(self) -> Grants:
        """Browsing denied denies prices; prices denied deny the cart (Magento's index)."""
        prices = Grant.DENY if self.browse is Grant.DENY else self.prices
        checkout = Grant.DENY if prices is Grant.DENY else self.checkout
        return Grants(self.browse, prices, checkout)


@dataclass(frozen=True)
class Access:
    """What the shopper may do with a product or in a category."""

    browse: bool
    prices: bool
    checkout: bool


@dataclass(frozen=True)
class Rule:
    """One stored `magento_catalogpermissions` row, as the resolution reads it."""

    permission_id: int
    category_id: int
    website_id: int | None
    customer_group_id: int | None
    browse: Grant
    prices: Grant
    checkout: Grant

    def applies_to(self, website_id: int, group_id: int) -> bool:
        return (self.website_id is None or self.website_id == website_id) and (
            self.customer_group_id is None or self.customer_group_id == group_id
        )

    @property
    def decides_anything(self) -> bool:
        return any(g is not Grant.PARENT for g in (self.browse, self.prices, self.checkout))

    def specificity(self) -> tuple[bool, bool]:
        """Sort key: a group-specific row beats an all-groups one, then a website-specific one
        beats an all-websites one."""
        return (self.customer_group_id is not None, self.website_id is not None)


@dataclass(frozen=True)
class CategoryNode:
    category_id: int
    parent_ids: tuple[int, ...]  # from the tree root down, the category itself excluded
    is_active: bool


@dataclass(frozen=True)
class Catalog:
    """Every permission row and the category tree: what a resolution starts from."""

    rules: Mapping[int, tuple[Rule, ...]]  # by category id
    categories: tuple[CategoryNode, ...]  # parents before children
    versions: tuple[int, ...] = ()


def _decide(own: Grant, parent: Grant | None) -> Grant | None:
    return parent if own is Grant.PARENT else own


def resolve(catalog: Catalog, website_id: int, group_id: int) -> dict[int, Grants]:
    """Every category with a decision for this website and group (its own rows or an
    ancestor's), before the browse → prices → cart chain. Categories absent: no decision."""
    decided: dict[int, Grants] = {}
    for node in catalog.categories:
        parent = decided.get(node.parent_ids[-1]) if node.parent_ids else None
        candidates = [
            r
            for r in catalog.rules.get(node.category_id, ())
            if r.decides_anything and r.applies_to(website_id, group_id)
        ]
        if candidates:
            # max() keeps the first of equals: rows are read in id order
            rule = max(candidates, key=Rule.specificity)
            inherited = parent or Grants()
            decided[node.category_id] = Grants(
                _decide(rule.browse, inherited.browse),
                _decide(rule.prices, inherited.prices),
                _decide(rule.checkout, inherited.checkout),
            )
        elif parent is not None:
            decided[node.category_id] = parent
    return decided


@dataclass(frozen=True)
class Defaults:
    """The configured grants for one store view and group."""

    browse: bool
    prices: bool
    checkout: bool


def _configured(
    stores: StoresSnapshot, store: StoreView, mode: ConfigPath, groups: ConfigPath, group_id: int
) -> bool:
    """Magento's `Helper\\Data::isAllowedGrant`."""
    value = stores.config_value(mode, store).strip()
    if value == GRANT_CUSTOMER_GROUP:
        listed = {g.strip() for g in stores.config_value(groups, store).split(",")}
        return str(group_id) in listed
    return value == GRANT_ALL


def defaults(stores: StoresSnapshot, store: StoreView, group_id: int) -> Defaults:
    return Defaults(
        browse=_configured(
            stores,
            store,
            ConfigPath.GRANT_CATEGORY_VIEW,
            ConfigPath.GRANT_CATEGORY_VIEW_GROUPS,
            group_id,
        ),
        prices=_configured(
            stores,
            store,
            ConfigPath.GRANT_PRODUCT_PRICE,
            ConfigPath.GRANT_PRODUCT_PRICE_GROUPS,
            group_id,
        ),
        checkout=_configured(
            stores,
            store,
            ConfigPath.GRANT_CHECKOUT_ITEMS,
            ConfigPath.GRANT_CHECKOUT_ITEMS_GROUPS,
            group_id,
        ),
    )


def enabled(stores: StoresSnapshot, store: StoreView) -> bool:
    return stores.config_flag(ConfigPath.CATEGORY_PERMISSIONS_ENABLED, store)


def _allowed(grant: Grant | None, default: bool) -> bool:
    return grant is Grant.ALLOW if grant is not None else default


@dataclass(frozen=True)
class CatalogAccess:
    """Category permissions for one store view and customer group, resolved."""

    store_id: int
    website_id: int
    group_id: int
    defaults: Defaults
    # Categories with a decision, chained (browse → prices → cart).
    decided: Mapping[int, Grants]
    # Active categories under the store's root: those a product's permissions are read from.
    product_categories: frozenset[int]
    # Of those, the ones with a decision, and the ones a product may be browsed through.
    decided_product_categories: frozenset[int]
    browsable_product_categories: frozenset[int]
    # Categories whose browsing is decided either way (for category listings).
    browse_allowed: frozenset[int]
    browse_denied: frozenset[int]

    def category(self, category_id: int) -> Access:
        grants = self.decided.get(category_id, Grants())
        return Access(
            _allowed(grants.browse, self.defaults.browse),
            _allowed(grants.prices, self.defaults.prices),
            _allowed(grants.checkout, self.defaults.checkout),
        )

    def can_browse_category(self, category_id: int) -> bool:
        return self.category(category_id).browse

    def product(self, category_ids: Iterable[int]) -> Access:
        """A product's access from the categories it is assigned to."""
        counted = [c for c in category_ids if c in self.decided_product_categories]
        if not counted:
            return Access(self.defaults.browse, self.defaults.prices, self.defaults.checkout)
        accesses = [self.category(c) for c in counted]
        browse = any(a.browse for a in accesses)
        prices = browse and any(a.prices for a in accesses)
        checkout = prices and any(a.checkout for a in accesses)
        return Access(browse, prices, checkout)

    def restrict_products(self, query: QuerySet[M]) -> QuerySet[M]:
        """Only products that may be browsed (`query` over `catalog_product_entity`)."""
        through_allowed = Q(
            entity_id__in=Subquery(
                CatalogCategoryProduct.filter(
                    category_id__in=sorted(self.browsable_product_categories) or [0]
                ).values("product_id")
            )
        )
        if not self.defaults.browse:
            return query.filter(through_allowed)
        undecided = Q(
            entity_id__not_in=Subquery(
                CatalogCategoryProduct.filter(
                    category_id__in=sorted(self.decided_product_categories) or [0]
                ).values("product_id")
            )
        )
        return query.filter(through_allowed | undecided)

    def restrict_categories(self, query: QuerySet[M]) -> QuerySet[M]:
        """Only categories that may be browsed (`query` over `catalog_category_entity`)."""
        if self.defaults.browse:
            return query.exclude(entity_id__in=sorted(self.browse_denied) or [0])
        return query.filter(entity_id__in=sorted(self.browse_allowed) or [0])


def build_access(
    catalog: Catalog, store: StoreView, group_id: int, root_id: int, configured: Defaults
) -> CatalogAccess:
    website_id = store.website.website_id
    decided = {c: g.chained() for c, g in resolve(catalog, website_id, group_id).items()}
    root_ids = next(
        ((*n.parent_ids, root_id) for n in catalog.categories if n.category_id == root_id),
        (1, root_id),
    )
    # The product index joins active categories strictly below the store's root.
    under_root = frozenset(
        n.category_id
        for n in catalog.categories
        if n.is_active and n.parent_ids[: len(root_ids)] == root_ids
    )

    def browse(category_id: int) -> bool:
        return _allowed(decided[category_id].browse, configured.browse)

    decided_for_products = frozenset(c for c in under_root if c in decided)
    return CatalogAccess(
        store_id=store.store_id,
        website_id=website_id,
        group_id=group_id,
        defaults=configured,
        decided=MappingProxyType(decided),
        product_categories=under_root,
        decided_product_categories=decided_for_products,
        browsable_product_categories=frozenset(c for c in decided_for_products if browse(c)),
        browse_allowed=frozenset(c for c in decided if browse(c)),
        browse_denied=frozenset(c for c in decided if not browse(c)),
    )


# --- loading, memoized ----------------------------------------------------------------------------


async def load_catalog(versions: tuple[int, ...] = ()) -> Catalog:
    rules: dict[int, list[Rule]] = {}
    for row in await MagentoCatalogpermissions.all().order_by("permission_id"):
        category_id = int(row.category_id)  # type: ignore[attr-defined]
        rules.setdefault(category_id, []).append(
            Rule(
                permission_id=row.permission_id,
                category_id=category_id,
                website_id=row.website_id,
                customer_group_id=row.customer_group_id,
                browse=Grant(row.grant_catalog_category_view),
                prices=Grant(row.grant_catalog_product_price),
                checkout=Grant(row.grant_checkout_items),
            )
        )
    rows = cast(
        list[tuple[Any, Any, Any]],
        await CatalogCategoryEntity.all()
        .order_by("level", "entity_id")
        .values_list("entity_id", "path", "is_active"),
    )
    nodes = []
    for entity_id, path, is_active in rows:
        ids = tuple(int(i) for i in str(path).split("/") if i)
        nodes.append(CategoryNode(int(entity_id), ids[:-1], bool(is_active)))
    return Catalog(
        MappingProxyType({c: tuple(r) for c, r in rules.items()}), tuple(nodes), versions
    )


# Per cache (a test's fresh cache never sees another's): the catalog, and resolved accesses.
_catalogs: weakref.WeakKeyDictionary[Cache, Catalog] = weakref.WeakKeyDictionary()
_accesses: weakref.WeakKeyDictionary[Cache, dict[tuple[Any, ...], CatalogAccess]] = (
    weakref.WeakKeyDictionary()
)
_ACCESS_LIMIT = 256


async def _root_id(store: StoreView) -> int:
    """The store group's root category (Default Category when it names none)."""
    group = await StoreGroup.get_or_none(group_id=store.group_id)
    return group.root_category_id if group and group.root_category_id else DEFAULT_CATEGORY_ID


async def catalog_access(
    stores: StoresSnapshot, store: StoreView, group_id: int
) -> CatalogAccess | None:
    """The caller's category permissions, or None when they are off for the store view.

    Memoized in the process by the versions of `Topic.PROMOTIONS` (permission rows) and
    `Topic.SEGMENTS` (category writes bump it), read before the data."""
    if not enabled(stores, store):
        return None
    configured = defaults(stores, store, group_id)
    root_id = await _root_id(store)
    cache = current_cache()
    versions = await read((Topic.PROMOTIONS, ""), (Topic.SEGMENTS, "")) if cache else ()
    if cache is None or not versions or min(versions) <= 0:
        return build_access(await load_catalog(), store, group_id, root_id, configured)
    catalog = _catalogs.get(cache)
    if catalog is None or catalog.versions != versions:
        catalog = await load_catalog(versions)
        _catalogs[cache] = catalog
        _accesses.pop(cache, None)
    memo = _accesses.setdefault(cache, {})
    key = (versions, store.store_id, group_id, root_id, configured)
    found = memo.get(key)
    if found is None:
        if len(memo) >= _ACCESS_LIMIT:
            memo.clear()
        found = memo[key] = build_access(catalog, store, group_id, root_id, configured)
    return found


def forget() -> None:
    """Drop every memo (tests)."""
    _catalogs.clear()
    _accesses.clear()


async def product_category_ids(product_ids: Sequence[int]) -> dict[int, list[int]]:
    """The categories each product is assigned to (one query)."""
    rows = cast(
        list[tuple[Any, Any]],
        await CatalogCategoryProduct.filter(product_id__in=list(product_ids)).values_list(
            "product_id", "category_id"
        ),
    )
    result: dict[int, list[int]] = {product_id: [] for product_id in product_ids}
    for product_id, category_id in rows:
        result.setdefault(int(product_id), []).append(int(category_id))
    return result


async def product_access(
    access: CatalogAccess | None, product_ids: Sequence[int]
) -> dict[int, Access]:
    """Each product's access; everything allowed when permissions are off."""
    if access is None:
        return {p: Access(True, True, True) for p in product_ids}
    links = await product_category_ids(product_ids)
    return {p: access.product(links.get(p, ())) for p in product_ids}


async def group_of_customer(customer_id: int | None) -> int:
    """A customer's group; NOT LOGGED IN (0) for guests."""
    if customer_id is None:
        return NOT_LOGGED_IN_GROUP_ID
    row = await CustomerEntity.get_or_none(entity_id=customer_id)
    return NOT_LOGGED_IN_GROUP_ID if row is None else int(row.group_id)  # type: ignore[attr-defined]


async def may_add_to_cart(
    stores: StoresSnapshot, store: StoreView, customer_id: int | None, product_id: int
) -> bool:
    """Magento_CatalogPermissionsGraphQl's `PermissionsProcessor`: the product's cart grant for
    the cart owner's group (always, when permissions are off)."""
    if not enabled(stores, store):
        return True
    access = await catalog_access(stores, store, await group_of_customer(customer_id))
    return (await product_access(access, [product_id]))[product_id].checkout


# --- admin ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PermissionInput:
    """One row of a category's permissions as an admin sends it."""

    website_id: int | None = None
    customer_group_id: int | None = None
    browse: Grant = Grant.PARENT
    prices: Grant = Grant.PARENT
    checkout: Grant = Grant.PARENT


DUPLICATE_SCOPE = "A permission for this website and customer group is already in the list."


def category_not_found(category_id: int, path: str = "category_uid") -> NoSuchEntity:
    return NoSuchEntity(
        Problem(ProblemCode.NOT_FOUND, f"No such entity with id = {category_id}", path)
    )


async def _category(category_id: int) -> CatalogCategoryEntity:
    row = await CatalogCategoryEntity.get_or_none(entity_id=category_id)
    if row is None:
        raise category_not_found(category_id)
    return row


async def category_permissions(category_id: int) -> list[MagentoCatalogpermissions]:
    """A category's stored rows, by id."""
    await _category(category_id)
    return await MagentoCatalogpermissions.filter(category_id=category_id).order_by("permission_id")


async def set_category_permissions(
    category_id: int, rows: Sequence[PermissionInput], stores: StoresSnapshot, path: str
) -> list[MagentoCatalogpermissions]:
    """Replace a category's permissions with `rows` (Magento saves the category's whole grid).
    A row keeps its id when its website and group stay; the others are deleted or created.
    Every problem is reported with its row (`<path>.<index>.<field>`); nothing is written then."""
    async with in_transaction():
        await _category(category_id)
        problems = Problems()
        websites = {w.website_id for w in stores.websites if w.website_id != ADMIN_WEBSITE_ID}
        wanted_groups = {r.customer_group_id for r in rows if r.customer_group_id is not None}
        known_groups = {
            int(g)
            for g in cast(
                list[Any],
                await CustomerGroup.filter(customer_group_id__in=sorted(wanted_groups)).values_list(
                    "customer_group_id", flat=True
                ),
            )
        }
        seen: set[tuple[int | None, int | None]] = set()
        for index, row in enumerate(rows):
            if row.website_id is not None and row.website_id not in websites:
                problems.add(
                    ProblemCode.NOT_FOUND,
                    f'Could not find a website with ID "{row.website_id}"',
                    f"{path}.{index}.website_uid",
                )
            if row.customer_group_id is not None and row.customer_group_id not in known_groups:
                problems.add(
                    ProblemCode.NOT_FOUND,
                    f"No such entity with id = {row.customer_group_id}",
                    f"{path}.{index}.customer_group_uid",
                )
            scope = (row.website_id, row.customer_group_id)
            if scope in seen:
                problems.add(ProblemCode.ALREADY_EXISTS, DUPLICATE_SCOPE, f"{path}.{index}")
            seen.add(scope)
        problems.raise_if_any()
        existing = {
            (r.website_id, r.customer_group_id): r
            for r in await MagentoCatalogpermissions.filter(category_id=category_id)
        }
        for scope, stale in existing.items():
            if scope not in seen:
                await stale.delete()
        for row in rows:
            kept = existing.get((row.website_id, row.customer_group_id))
            if kept is None:
                await MagentoCatalogpermissions.create(
                    category_id=category_id,
                    website_id=row.website_id,
                    customer_group_id=row.customer_group_id,
                    grant_catalog_category_view=row.browse,
                    grant_catalog_product_price=row.prices,
                    grant_checkout_items=row.checkout,
                )
            else:
                kept.grant_catalog_category_view = row.browse
                kept.grant_catalog_product_price = row.prices
                kept.grant_checkout_items = row.checkout
                await kept.save()
        touch(Topic.PROMOTIONS)
    return await category_permissions(category_id)


async def delete_permission(permission_id: int) -> MagentoCatalogpermissions:
    async with in_transaction():
        row = await MagentoCatalogpermissions.get_or_none(permission_id=permission_id)
        if row is None:
            raise NoSuchEntity(
                Problem(ProblemCode.NOT_FOUND, f"No such entity with id = {permission_id}", "uid")
            )
        await row.delete()
        touch(Topic.PROMOTIONS)
    return row


async def category_access(
    stores: StoresSnapshot, website_id: int, group_id: int, category_id: int
) -> tuple[bool, Access]:
    """For admins: whether permissions are on for the website's default store view, and what a
    shopper of the group may do in the category there (as if they were on)."""
    await _category(category_id)
    candidates = sorted(
        (s for s in stores.stores if s.website.website_id == website_id),
        key=lambda s: (not (s.is_default_group and s.is_default_store), s.sort_order, s.store_id),
    )
    if website_id == ADMIN_WEBSITE_ID or not candidates:
        raise NoSuchEntity(
            Problem(
                ProblemCode.NOT_FOUND,
                f'Could not find a website with ID "{website_id}"',
                "website_uid",
            )
        )
    store = candidates[0]
    if not await CustomerGroup.exists(customer_group_id=group_id):
        raise NoSuchEntity(
            Problem(
                ProblemCode.NOT_FOUND, f"No such entity with id = {group_id}", "customer_group_uid"
            )
        )
    access = build_access(
        await load_catalog(),
        store,
        group_id,
        await _root_id(store),
        defaults(stores, store, group_id),
    )
    return enabled(stores, store), access.category(category_id)
