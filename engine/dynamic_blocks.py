"""Dynamic blocks, as Adobe Commerce's `Magento_Banner` with `Magento_BannerCustomerSegment`: admin
CRUD of `magento_banner*`, and what the storefront's `dynamicBlocks` shows a shopper.

What a shopper sees (`storefront_blocks`), each rule documented once here:
- Only enabled blocks with content for the store view: the store's own row, else the default
  (store 0) row; a block whose content is empty there is not shown (`Banner::getStoreContent` and
  the section data's `!empty($content)`).
- Locations: a block lists the locations it may show in (`types`); an empty list is "any
  location". A filter of locations keeps blocks listing any of them (or listing none).
- Relations to rules, as the Dynamic Blocks Rotator widget's three display modes (the storefront
  enum is that widget's): `CART_PRICE_RULE_RELATED` shows blocks related to a cart rule applied
  to the shopper's cart (`quote.applied_rule_ids` as the last totals collection stored it);
  `CATALOG_PRICE_RULE_RELATED` shows blocks related to a catalog rule in force today (the
  website's local date) for the shopper's website and customer group (`catalogrule_product`,
  which is what Magento's `catalogrule_group_website` is built from); `SPECIFIED` shows blocks
  related to no rule, plus related blocks whose rule applies as above (the widget's "fixed"
  mode, `Banner\\Model\\Banner\\Data::getFixedBanners`). Magento's GraphQL module only checks
  that a relation exists, which shows a "10% off with this rule" block to everyone; that is not
  kept. `dynamic_block_uids` narrows every type (Magento reads it for SPECIFIED only).
- Segments: a block restricted to segments shows only to shoppers in one of them, evaluated live
  on the store's website (customers by account; guests by the visitor their
  `X-Magento-Visitor` session names); a block with no segments shows to everyone
  (`BannerSegmentLink::addBannerSegmentFilter`). Segments are evaluated only when a candidate
  block is restricted, whatever `share_active_segments` says (the storefront never sees which).
- Order: `sort_order`, then id. Pages as Magento's collection: `pageSize`/`currentPage` below 1
  are input errors, a page past the last one gives the last page.

The enabled blocks are loaded once per process and `Topic.PROMOTIONS`/`Topic.SEGMENTS` version
(every write here touches PROMOTIONS; deleting a rule or a segment removes its links)."""

from __future__ import annotations

import logging
import math
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from engine.cache import Cache
from engine.errors import NoSuchEntity, Problem, ProblemCode, Problems
from engine.invalidation import Topic, current_cache, touch
from engine.pagination import Page, PageRequest, paginate
from engine.segments.compare import local_date
from engine.segments.eligibility import current_segment_ids
from engine.stores import StoresSnapshot
from models import MagentoCustomersegmentSegment, Quote
from models.banners import (
    MagentoBanner,
    MagentoBannerCatalogrule,
    MagentoBannerContent,
    MagentoBannerCustomersegment,
    MagentoBannerSalesrule,
)
from models.pricing import Catalogrule, CatalogruleProduct
from models.salesrules import Salesrule
from models.stores import ADMIN_STORE_ID

log = logging.getLogger(__name__)

NAME_MAX_LENGTH = 255


class Location(StrEnum):
    """Where a block may show; the values are Magento's `magento_banner.types` codes."""

    CONTENT = "content"
    HEADER = "header"
    FOOTER = "footer"
    LEFT = "leftcolumn"
    RIGHT = "rightcolumn"


class BlockType(StrEnum):
    """The storefront's `DynamicBlockTypeEnum` (the widget's display mode)."""

    SPECIFIED = "SPECIFIED"
    CART_PRICE_RULE_RELATED = "CART_PRICE_RULE_RELATED"
    CATALOG_PRICE_RULE_RELATED = "CATALOG_PRICE_RULE_RELATED"


def parse_locations(types: str | None) -> tuple[Location, ...]:
    """`magento_banner.types` as locations in the enum's order; unknown codes are ignored."""
    codes = {code.strip().lower() for code in (types or "").split(",")}
    return tuple(location for location in Location if location.value in codes)


def dump_locations(locations: Sequence[Location]) -> str | None:
    """Locations as `magento_banner.types` (None for "any location")."""
    chosen = set(locations)
    return ",".join(loc.value for loc in Location if loc in chosen) or None


# --- admin ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContentDraft:
    """A block's HTML for one store view; store 0 is the default for every store view."""

    store_id: int
    html: str


@dataclass(frozen=True)
class BlockChanges:
    """What an admin sends; `None` leaves a value as it is, a list replaces the stored one."""

    name: str | None = None
    is_enabled: bool | None = None
    sort_order: int | None = None
    locations: Sequence[Location] | None = None
    contents: Sequence[ContentDraft] | None = None
    segment_ids: Sequence[int] | None = None
    cart_rule_ids: Sequence[int] | None = None
    catalog_rule_ids: Sequence[int] | None = None


@dataclass(frozen=True)
class BlockFilter:
    name_contains: str | None = None
    ids: Sequence[int] | None = None
    is_enabled: bool | None = None


@dataclass(frozen=True)
class BlockDetails:
    """A block with everything linked to it, for admins."""

    row: MagentoBanner
    locations: tuple[Location, ...]
    contents: tuple[ContentDraft, ...]
    segment_ids: tuple[int, ...]
    cart_rule_ids: tuple[int, ...]
    catalog_rule_ids: tuple[int, ...]


def not_found(banner_id: int, path: str = "uid") -> NoSuchEntity:
    return NoSuchEntity(
        Problem(
            ProblemCode.NOT_FOUND, f'Could not find a dynamic block with ID "{banner_id}"', path
        )
    )


async def get(banner_id: int, path: str = "uid") -> MagentoBanner:
    row = await MagentoBanner.get_or_none(banner_id=banner_id)
    if row is None:
        raise not_found(banner_id, path)
    return row


async def page(filter_: BlockFilter, request: PageRequest) -> Page[MagentoBanner]:
    query = MagentoBanner.all().order_by("sort_order", "banner_id")
    if filter_.name_contains:
        query = query.filter(name__icontains=filter_.name_contains)
    if filter_.ids is not None:
        query = query.filter(banner_id__in=list(filter_.ids))
    if filter_.is_enabled is not None:
        query = query.filter(is_enabled=filter_.is_enabled)
    return await paginate(query, request)


async def details(rows: Sequence[MagentoBanner]) -> list[BlockDetails]:
    """Each block with its locations, contents (default first, then by store id) and links."""
    ids = [row.banner_id for row in rows]
    contents: dict[int, list[ContentDraft]] = {banner_id: [] for banner_id in ids}
    for banner_id, store_id, html in (
        await MagentoBannerContent.filter(banner_id__in=ids)
        .order_by("store_id")
        .values_list("banner_id", "store_id", "banner_content")
    ):
        contents[int(banner_id)].append(ContentDraft(int(store_id), str(html or "")))
    segments = await _links(MagentoBannerCustomersegment, "segment_id", ids)
    cart_rules = await _links(MagentoBannerSalesrule, "rule_id", ids)
    catalog_rules = await _links(MagentoBannerCatalogrule, "rule_id", ids)
    return [
        BlockDetails(
            row=row,
            locations=parse_locations(row.types),
            contents=tuple(contents[row.banner_id]),
            segment_ids=tuple(segments[row.banner_id]),
            cart_rule_ids=tuple(cart_rules[row.banner_id]),
            catalog_rule_ids=tuple(catalog_rules[row.banner_id]),
        )
        for row in rows
    ]


LinkModel = (
    type[MagentoBannerCustomersegment]
    | type[MagentoBannerSalesrule]
    | type[MagentoBannerCatalogrule]
)


async def _links(model: LinkModel, column: str, banner_ids: Sequence[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {banner_id: [] for banner_id in banner_ids}
    rows = (
        await model.filter(banner_id__in=list(banner_ids))
        .order_by(column)
        .values_list("banner_id", column)
    )
    for banner_id, linked_id in rows:
        found[int(banner_id)].append(int(linked_id))
    return found


async def _missing(model: type[Salesrule] | type[Catalogrule], ids: set[int]) -> set[int]:
    if not ids:
        return set()
    present = await model.filter(rule_id__in=sorted(ids)).values_list("rule_id")
    return ids - {int(row[0]) for row in present}


async def _validate(changes: BlockChanges, stores: StoresSnapshot, creating: bool) -> Problems:
    problems = Problems()
    if changes.name is not None or creating:
        name = (changes.name or "").strip()
        if not name:
            problems.add(
                ProblemCode.REQUIRED, '"name" is required. Enter and try again.', "input.name"
            )
        elif len(name) > NAME_MAX_LENGTH:
            problems.add(
                ProblemCode.TOO_LONG,
                f"Name is more than {NAME_MAX_LENGTH} characters. Enter a shorter name.",
                "input.name",
            )
    known_stores = {store.store_id for store in stores.stores} | {ADMIN_STORE_ID}
    seen: set[int] = set()
    for index, content in enumerate(changes.contents or ()):
        path = f"input.contents.{index}.store_uid"
        if content.store_id not in known_stores:
            problems.add(
                ProblemCode.NOT_FOUND,
                f'Could not find a store with ID "{content.store_id}"',
                path,
            )
        elif content.store_id in seen:
            problems.add(
                ProblemCode.INVALID,
                f'The content of store "{content.store_id}" is given twice.',
                path,
            )
        seen.add(content.store_id)
    wanted = set(changes.segment_ids or ())
    existing = (
        {
            int(row[0])
            for row in await MagentoCustomersegmentSegment.filter(
                segment_id__in=sorted(wanted)
            ).values_list("segment_id")
        }
        if wanted
        else set()
    )
    for index, segment_id in enumerate(changes.segment_ids or ()):
        if segment_id not in existing:
            problems.add(
                ProblemCode.NOT_FOUND,
                f'Could not find a customer segment with ID "{segment_id}"',
                f"input.segment_uids.{index}",
            )
    missing_cart = await _missing(Salesrule, set(changes.cart_rule_ids or ()))
    for index, rule_id in enumerate(changes.cart_rule_ids or ()):
        if rule_id in missing_cart:
            problems.add(
                ProblemCode.NOT_FOUND,
                f'Could not find a cart price rule with ID "{rule_id}"',
                f"input.cart_rule_uids.{index}",
            )
    missing_catalog = await _missing(Catalogrule, set(changes.catalog_rule_ids or ()))
    for index, rule_id in enumerate(changes.catalog_rule_ids or ()):
        if rule_id in missing_catalog:
            problems.add(
                ProblemCode.NOT_FOUND,
                f'Could not find a catalog price rule with ID "{rule_id}"',
                f"input.catalog_rule_uids.{index}",
            )
    return problems


async def _write_links(banner_id: int, changes: BlockChanges) -> None:
    if changes.contents is not None:
        await MagentoBannerContent.filter(banner_id=banner_id).delete()
        for content in sorted(changes.contents, key=lambda c: c.store_id):
            await MagentoBannerContent.create(
                banner_id=banner_id, store_id=content.store_id, banner_content=content.html
            )
    if changes.segment_ids is not None:
        await MagentoBannerCustomersegment.filter(banner_id=banner_id).delete()
        for segment_id in sorted(set(changes.segment_ids)):
            await MagentoBannerCustomersegment.create(banner_id=banner_id, segment_id=segment_id)
    if changes.cart_rule_ids is not None:
        await MagentoBannerSalesrule.filter(banner_id=banner_id).delete()
        for rule_id in sorted(set(changes.cart_rule_ids)):
            await MagentoBannerSalesrule.create(banner_id=banner_id, rule_id=rule_id)
    if changes.catalog_rule_ids is not None:
        await MagentoBannerCatalogrule.filter(banner_id=banner_id).delete()
        for rule_id in sorted(set(changes.catalog_rule_ids)):
            await MagentoBannerCatalogrule.create(banner_id=banner_id, rule_id=rule_id)


async def create(changes: BlockChanges, stores: StoresSnapshot) -> MagentoBanner:
    async with in_transaction():
        (await _validate(changes, stores, creating=True)).raise_if_any()
        row = await MagentoBanner.create(
            name=(changes.name or "").strip(),
            is_enabled=True if changes.is_enabled is None else changes.is_enabled,
            types=dump_locations(changes.locations or ()),
            sort_order=changes.sort_order or 0,
        )
        await _write_links(row.banner_id, changes)
        touch(Topic.PROMOTIONS)
    return row


async def update(banner_id: int, changes: BlockChanges, stores: StoresSnapshot) -> MagentoBanner:
    async with in_transaction():
        row = await get(banner_id)
        (await _validate(changes, stores, creating=False)).raise_if_any()
        if changes.name is not None:
            row.name = changes.name.strip()
        if changes.is_enabled is not None:
            row.is_enabled = changes.is_enabled
        if changes.sort_order is not None:
            row.sort_order = changes.sort_order
        if changes.locations is not None:
            row.types = dump_locations(changes.locations)
        await row.save()
        await _write_links(banner_id, changes)
        touch(Topic.PROMOTIONS)
    return row


async def delete(banner_id: int) -> MagentoBanner:
    """Delete a block with its contents and links."""
    async with in_transaction():
        row = await get(banner_id)
        await row.delete()
        touch(Topic.PROMOTIONS)
    return row


# --- storefront -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """An enabled block as the storefront filters it."""

    banner_id: int
    sort_order: int
    locations: frozenset[Location]
    contents: Mapping[int, str]
    segment_ids: frozenset[int]
    cart_rule_ids: frozenset[int]
    catalog_rule_ids: frozenset[int]

    def content_for(self, store_id: int) -> str:
        """The store view's content, else the default; "" when neither has any."""
        own = self.contents.get(store_id)
        return own if own else self.contents.get(ADMIN_STORE_ID, "")

    def shows_in(self, locations: frozenset[Location]) -> bool:
        return not locations or not self.locations or not self.locations.isdisjoint(locations)

    @property
    def related(self) -> bool:
        return bool(self.cart_rule_ids or self.catalog_rule_ids)


@dataclass(frozen=True)
class EnabledBlocks:
    blocks: tuple[Block, ...]
    versions: tuple[int, ...] | None = None


async def load_enabled_blocks(versions: tuple[int, ...] | None = None) -> EnabledBlocks:
    rows = await MagentoBanner.filter(is_enabled=True).order_by("sort_order", "banner_id")
    if not rows:
        return EnabledBlocks((), versions)
    found = await details(rows)
    blocks = tuple(
        Block(
            banner_id=item.row.banner_id,
            sort_order=item.row.sort_order,
            locations=frozenset(item.locations),
            contents=MappingProxyType({c.store_id: c.html for c in item.contents}),
            segment_ids=frozenset(item.segment_ids),
            cart_rule_ids=frozenset(item.cart_rule_ids),
            catalog_rule_ids=frozenset(item.catalog_rule_ids),
        )
        for item in found
    )
    return EnabledBlocks(blocks, versions)


_SCOPES = [(Topic.PROMOTIONS.value, ""), (Topic.SEGMENTS.value, "")]
_memo: weakref.WeakKeyDictionary[Cache, EnabledBlocks] = weakref.WeakKeyDictionary()


async def enabled_blocks() -> EnabledBlocks:
    """The enabled blocks, memoized per process by the PROMOTIONS and SEGMENTS versions of the
    enclosing tracking block's cache (read before loading); loaded fresh without a cache."""
    cache = current_cache()
    if cache is None:
        return await load_enabled_blocks()
    try:
        versions = await cache.versions(_SCOPES)
    except Exception:  # a cache outage must not fail the request: load from the database
        log.warning("cache unavailable: dynamic blocks loaded without memo", exc_info=True)
        return await load_enabled_blocks()
    found = _memo.get(cache)
    if found is not None and found.versions == versions and min(versions, default=0) > 0:
        return found
    loaded = await load_enabled_blocks(versions)
    _memo[cache] = loaded
    return loaded


@dataclass(frozen=True)
class CartScope:
    """The cart PWA Studio names in `DynamicBlocksFilterInput.cart_id` (found and authorized for
    the caller): the rules its last totals applied, and whose cart it is (the customer, or the
    guest's visitor), for the segments."""

    quote_id: int
    customer_id: int | None
    visitor_id: int | None
    applied_rule_ids: frozenset[int]

    @classmethod
    def of(cls, quote: Quote) -> CartScope:
        return cls(
            quote_id=quote.entity_id,
            customer_id=quote.customer_id,  # type: ignore[attr-defined]
            visitor_id=quote.visitor_id,  # type: ignore[attr-defined]
            applied_rule_ids=_rule_ids(quote.applied_rule_ids),
        )


@dataclass(frozen=True)
class BlockQuery:
    """The storefront's `DynamicBlocksFilterInput`; empty locations or ids do not filter.
    PWA Studio's `cart_id` and `product_uid` (in no Magento schema) narrow to that cart's
    shopper and rules, and to the catalog rules of that product (see `storefront_blocks`)."""

    type: BlockType
    locations: Sequence[Location] = ()
    banner_ids: Sequence[int] | None = None
    cart: CartScope | None = None
    product_id: int | None = None


@dataclass(frozen=True)
class Shopper:
    """Who asks, and where: the store view's website and timezone, the customer group, and the
    customer (None for a guest, whose visitor, if known, is `visitor_id`)."""

    store_id: int
    website_id: int
    timezone: str
    group_id: int
    customer_id: int | None
    visitor_id: int | None
    now: datetime


@dataclass(frozen=True)
class ShownBlock:
    banner_id: int
    html: str


async def applied_cart_rule_ids(customer_id: int | None) -> frozenset[int]:
    """The rules applied to the customer's active cart (`quote.applied_rule_ids`, as the last
    totals collection stored it), when the query names no cart. A guest then has none."""
    if customer_id is None:
        return frozenset()
    quote = (
        await Quote.filter(customer_id=customer_id, is_active=True)
        .order_by("-updated_at", "-entity_id")
        .first()
    )
    return frozenset() if quote is None else _rule_ids(quote.applied_rule_ids)


def _rule_ids(applied: str | None) -> frozenset[int]:
    return frozenset(int(part) for part in (applied or "").split(",") if part.strip().isdigit())


async def catalog_rules_in_force(
    rule_ids: Sequence[int], shopper: Shopper, product_id: int | None = None
) -> frozenset[int]:
    """Which of `rule_ids` are in force today (the website's local date) for the shopper's
    website and group: indexed for at least one product (for `product_id` when given) with
    today within their dates."""
    if not rule_ids:
        return frozenset()
    today = local_date(shopper.now, shopper.timezone)
    matches = CatalogruleProduct.filter(
        rule_id__in=sorted(rule_ids),
        website_id=shopper.website_id,
        customer_group_id=shopper.group_id,
        rule__is_active=True,
    )
    if product_id is not None:
        matches = matches.filter(product_id=product_id)
    found = (
        await matches.filter(Q(from_date__isnull=True) | Q(from_date__lte=today))
        .filter(Q(to_date__isnull=True) | Q(to_date__gte=today))
        .distinct()
        .values_list("rule_id")
    )
    return frozenset(int(row[0]) for row in found)


async def storefront_blocks(
    query: BlockQuery, shopper: Shopper, request: PageRequest
) -> Page[ShownBlock]:
    """One page of the blocks `shopper` may see (see the module for every rule). With a cart
    (`query.cart`), the cart-rule relations read that cart's applied rules and the segments are
    those of the cart's shopper (its customer, or the guest visitor it was made by, with the cart
    itself for cart conditions); with a product (`query.product_id`), a catalog-rule relation
    holds only for a rule in force for that product."""
    request.validate()
    wanted_ids = None if not query.banner_ids else frozenset(query.banner_ids)
    locations = frozenset(query.locations)
    candidates = [
        block
        for block in (await enabled_blocks()).blocks
        if (wanted_ids is None or block.banner_id in wanted_ids)
        and block.shows_in(locations)
        and block.content_for(shopper.store_id)
        and _of_type(block, query.type)
    ]
    candidates = await _related_in_force(candidates, query, shopper)
    if any(block.segment_ids for block in candidates):
        cart = query.cart
        customer_id = shopper.customer_id if cart is None else cart.customer_id
        visitor_id = shopper.visitor_id if cart is None else cart.visitor_id
        segment_ids = frozenset(
            await current_segment_ids(
                shopper.website_id,
                customer_id=customer_id,
                quote_id=None if cart is None else cart.quote_id,
                visitor_id=None if customer_id is not None else visitor_id,
                now=shopper.now,
            )
        )
        candidates = [
            block
            for block in candidates
            if not block.segment_ids or not block.segment_ids.isdisjoint(segment_ids)
        ]
    return _page(
        [ShownBlock(b.banner_id, b.content_for(shopper.store_id)) for b in candidates], request
    )


def _of_type(block: Block, type_: BlockType) -> bool:
    if type_ is BlockType.CART_PRICE_RULE_RELATED:
        return bool(block.cart_rule_ids)
    if type_ is BlockType.CATALOG_PRICE_RULE_RELATED:
        return bool(block.catalog_rule_ids)
    return True


async def _related_in_force(
    candidates: list[Block], query: BlockQuery, shopper: Shopper
) -> list[Block]:
    """Keep the blocks whose relation to rules lets them show now (see the module)."""
    type_ = query.type
    check_cart = type_ is not BlockType.CATALOG_PRICE_RULE_RELATED
    check_catalog = type_ is not BlockType.CART_PRICE_RULE_RELATED
    applied: frozenset[int] = frozenset()
    if check_cart and any(block.cart_rule_ids for block in candidates):
        applied = (
            await applied_cart_rule_ids(shopper.customer_id)
            if query.cart is None
            else query.cart.applied_rule_ids
        )
    in_force: frozenset[int] = frozenset()
    if check_catalog:
        wanted = sorted({rule for block in candidates for rule in block.catalog_rule_ids})
        in_force = await catalog_rules_in_force(wanted, shopper, query.product_id)

    def shows(block: Block) -> bool:
        cart = check_cart and not block.cart_rule_ids.isdisjoint(applied)
        catalog = check_catalog and not block.catalog_rule_ids.isdisjoint(in_force)
        if type_ is BlockType.SPECIFIED:
            return not block.related or cart or catalog
        return cart or catalog

    return [block for block in candidates if shows(block)]


def _page(items: list[ShownBlock], request: PageRequest) -> Page[ShownBlock]:
    """Magento's collection paging: a page past the last one is the last page."""
    last = max(1, math.ceil(len(items) / request.page_size))
    current = min(request.current_page, last)
    start = (current - 1) * request.page_size
    return Page(items[start : start + request.page_size], len(items), request.page_size, current)
