"""Catalog types: the storefront's `ProductInterface` family, prices and the category tree, and
the admin's products and categories with their inputs and outputs.

Other domains present a product with `product_of(row)`; every field that needs more than the
product row (categories, stock, prices' store) loads it through `CatalogLoaders`, so a list of
products costs one query per field, never one per product."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.dataloader import DataLoader

from engine import catalog, prices, product_attributes
from engine.cms import blocks as cms_blocks
from engine.config import ConfigPath
from engine.navigation import aggregations as navigation
from engine.pagination import Page, PageRequest
from engine.pricing import final as final_pricing
from graph import permissions
from graph.arguments import CURRENT_PAGE, PAGE_SIZE
from graph.attributes import AttributeValueInput, AttributeValueInterface, values_to_graph
from graph.cms import CmsBlock
from graph.common import (
    ComplexTextValue,
    FilterEqualTypeInput,
    FilterMatchTypeInput,
    FilterRangeTypeInput,
    Money,
    SearchResultPageInfo,
    SortEnum,
)
from graph.context import Context, Info
from graph.errors import UserError
from graph.limits import LONG_TEXT, QUANTITY, SKU, SMALLINT, length
from graph.media import (
    MediaGalleryEntry,
    MediaGalleryInterface,
    ProductImage,
    media_gallery,
    media_gallery_entries,
    product_image,
)
from graph.navigation import (
    Aggregation,
    AggregationsFilterInput,
    SearchScope,
    SortFields,
)
from graph.product_attributes import CustomAttribute
from graph.routing import RoutableInterface, RouteHit, UrlRewriteEntityTypeEnum
from graph.uids import encode_uid
from models import CatalogCategoryEntity, CataloginventoryStockItem, CatalogProductEntity
from models.catalog import ProductStatus, ProductType, Visibility
from models.groups import NOT_LOGGED_IN_GROUP_ID

if TYPE_CHECKING:
    from engine.stores import StoreView


class CatalogLoaders:
    """The catalog's per-request DataLoaders (`info.context.loaders_for(CatalogLoaders)`)."""

    def __init__(self, context: Context) -> None:
        self.stock: DataLoader[int, CataloginventoryStockItem | None] = DataLoader(
            load_fn=catalog.load_stock_items
        )
        self.product_categories: DataLoader[int, list[CatalogCategoryEntity]] = DataLoader(
            load_fn=catalog.load_product_categories
        )
        self.children: DataLoader[int, list[CatalogCategoryEntity]] = DataLoader(
            load_fn=catalog.load_children
        )
        self.all_children: DataLoader[int, list[CatalogCategoryEntity]] = DataLoader(
            load_fn=catalog.load_all_children
        )
        self.product_count: DataLoader[int, int] = DataLoader(load_fn=catalog.load_product_counts)
        self.category: DataLoader[int, CatalogCategoryEntity | None] = DataLoader(
            load_fn=catalog.load_categories
        )
        self.pricing: DataLoader[CatalogProductEntity, final_pricing.ProductPricing] = DataLoader(
            load_fn=lambda rows: _load_pricing(context, rows),
            cache_key_fn=lambda row: row.entity_id,
        )

        async def load_texts(product_ids: list[int]) -> list[dict[str, str]]:
            store = await context.store()
            return await product_attributes.load_texts(product_ids, store.store_id)

        self.texts: DataLoader[int, dict[str, str]] = DataLoader(load_fn=load_texts)
        self.custom_attributes: DataLoader[int, list[product_attributes.ShownAttribute]] = (
            DataLoader(load_fn=product_attributes.load_custom_attributes)
        )


async def caller_group_id(context: Context) -> int:
    """The caller's customer group: the customer's own, NOT LOGGED IN for guests (and admins)."""
    viewer = await context.viewer()
    if viewer.customer_id is None:
        return NOT_LOGGED_IN_GROUP_ID
    customer = await context.loaders.customer.load(viewer.customer_id)
    return NOT_LOGGED_IN_GROUP_ID if customer is None else customer.group_id  # type: ignore[attr-defined]


async def pricing_scope(context: Context) -> tuple[int, int, date]:
    """Whose prices a storefront answer shows: (website id, the caller's group, the website's
    local day by the services' clock)."""
    store = await context.store()
    day = prices.local_today(store.website.timezone, context.services.clock.now())
    return store.website.website_id, await caller_group_id(context), day


async def _load_pricing(
    context: Context, rows: list[CatalogProductEntity]
) -> list[final_pricing.ProductPricing]:
    """DataLoader batch: the pricing of products for the caller's group, website and day."""
    website_id, group_id, day = await pricing_scope(context)
    book = await final_pricing.price_book(rows, website_id, group_id, day)
    return [book.of(row) for row in rows]


def _magento_date(value: date | None) -> str | None:
    """Magento returns product dates as stored datetimes: `2024-01-31 00:00:00`."""
    return None if value is None else f"{value.isoformat()} 00:00:00"


# --- prices -------------------------------------------------------------------------------------


@strawberry.type(description="A single FPT that can be applied to a product price.")
class FixedProductTax:
    amount: Money | None = strawberry.field(description="The amount of the Fixed Product Tax.")
    label: str | None = strawberry.field(
        description="The display label assigned to the Fixed Product Tax."
    )


@strawberry.type(description="Contains the discount applied to a product price.")
class ProductDiscount:
    amount_off: float | None = strawberry.field(description="The actual value of the discount.")
    percent_off: float | None = strawberry.field(description="The discount expressed a percentage.")


@strawberry.type(description="Represents a product price.")
class ProductPrice:
    discount: ProductDiscount | None = strawberry.field(
        description="The price discount. Represents the difference between the regular and "
        "final price."
    )
    final_price: Money = strawberry.field(
        description="The final price of the product after applying discounts."
    )
    fixed_product_taxes: list[FixedProductTax | None] | None = strawberry.field(
        description="An array of the multiple Fixed Product Taxes that can be applied to a "
        "product price."
    )
    regular_price: Money = strawberry.field(description="The regular price of the product.")

    @classmethod
    def of(cls, view: prices.PriceView, currency: str) -> ProductPrice:
        return cls(
            discount=ProductDiscount(
                amount_off=float(view.amount_off), percent_off=float(view.percent_off)
            ),
            final_price=Money.of(view.final_price, currency),
            fixed_product_taxes=[],
            regular_price=Money.of(view.regular_price, currency),
        )


@strawberry.type(
    description="Contains the price range for a product. If the product has a single price, the "
    "minimum and maximum price will be the same."
)
class PriceRange:
    maximum_price: ProductPrice | None = strawberry.field(
        description="The highest possible price for the product."
    )
    minimum_price: ProductPrice = strawberry.field(
        description="The lowest possible price for the product."
    )


@strawberry.type(description="Defines a price based on the quantity purchased.")
class TierPrice:
    discount: ProductDiscount | None = strawberry.field(
        description="The price discount that this tier represents."
    )
    final_price: Money | None = strawberry.field(
        description="The price of the product at this tier."
    )
    quantity: float | None = strawberry.field(
        description="The minimum number of items that must be purchased to qualify for this "
        "price tier."
    )


@strawberry.type(
    description="Deprecated. Use `ProductPrice` instead. Defines the price of a product as well "
    "as any tax-related adjustments."
)
class Price:
    amount: Money | None = strawberry.field(
        description="The price of a product plus a three-letter currency code.",
        deprecation_reason="Use `ProductPrice` instead.",
    )


@strawberry.type(description="Deprecated.")
class ProductPrices:
    maximalPrice: Price | None = strawberry.field(
        description="The highest possible final price for all the options defined within a "
        "composite product. If you are specifying a price range, this would be the `to` value.",
        deprecation_reason="Use `PriceRange.maximum_price` instead.",
    )
    minimalPrice: Price | None = strawberry.field(
        description="The lowest possible final price for all the options defined within a "
        "composite product. If you are specifying a price range, this would be the `from` value.",
        deprecation_reason="Use `PriceRange.minimum_price` instead.",
    )
    regularPrice: Price | None = strawberry.field(
        description="The base price of a product.",
        deprecation_reason="Use `regular_price` from `PriceRange.minimum_price` or "
        "`PriceRange.maximum_price` instead.",
    )

    @classmethod
    def of(cls, price_range: PriceRange) -> ProductPrices:
        """Magento's deprecated `price` from the same prices as `price_range`: the regular price
        (the lowest child's for a configurable, `ConfigurableRegularPrice::getAmount`), and the
        lowest and highest final price."""
        low = price_range.minimum_price
        high = price_range.maximum_price or low
        return cls(
            maximalPrice=Price(amount=high.final_price),
            minimalPrice=Price(amount=low.final_price),
            regularPrice=Price(amount=low.regular_price),
        )


@strawberry.enum(
    description="This enumeration states whether a product stock status is in stock or out of stock"
)
class ProductStockStatus(Enum):
    IN_STOCK = strawberry.enum_value("IN_STOCK", description="The product is in stock.")
    OUT_OF_STOCK = strawberry.enum_value("OUT_OF_STOCK", description="The product is out of stock.")


def price_range_of(pricing: final_pricing.ProductPricing, store: StoreView) -> PriceRange:
    """A simple product has one price, its final price for one unit: minimum and maximum are the
    same."""
    view = pricing.view()
    currency = store.website.base_currency_code
    return PriceRange(
        minimum_price=ProductPrice.of(view, currency), maximum_price=ProductPrice.of(view, currency)
    )


def price_tiers_of(pricing: final_pricing.ProductPricing, store: StoreView) -> list[TierPrice]:
    currency = store.website.base_currency_code
    return [
        TierPrice(
            discount=ProductDiscount(
                amount_off=float(tier.amount_off), percent_off=float(tier.percent_off)
            ),
            final_price=Money.of(tier.final_price, currency),
            quantity=float(tier.quantity),
        )
        for tier in pricing.tier_views()
    ]


# --- products -----------------------------------------------------------------------------------


async def _product_categories(
    root: ProductInterface, info: Info
) -> list[Annotated[CategoryInterface, strawberry.lazy("graph.catalog")] | None] | None:
    rows = await info.context.loaders_for(CatalogLoaders).product_categories.load(
        root.row.entity_id
    )
    return [CategoryTree.of(row) for row in await permissions.browsable(info, rows)]


async def _price_range(root: ProductInterface, info: Info) -> PriceRange:
    """The final price for the caller's group (tier/group price for one unit, special price,
    catalog rules), on the store's website and its local day."""
    if not await permissions.can_show_price(info, root.row.entity_id):
        return HIDDEN_PRICE_RANGE  # category permissions hide prices, as Magento
    pricing = await info.context.loaders_for(CatalogLoaders).pricing.load(root.row)
    return price_range_of(pricing, await info.context.store())


async def _price(root: ProductInterface, info: Info) -> ProductPrices | None:
    return ProductPrices.of(await _price_range(root, info))


async def _text(root: ProductInterface, info: Info, code: str) -> str | None:
    texts = await info.context.loaders_for(CatalogLoaders).texts.load(root.row.entity_id)
    return texts.get(code)


async def _description(root: ProductInterface, info: Info) -> ComplexTextValue | None:
    html = await _text(root, info, "description")
    return None if html is None else ComplexTextValue(html=html)


async def _short_description(root: ProductInterface, info: Info) -> ComplexTextValue | None:
    html = await _text(root, info, "short_description")
    return None if html is None else ComplexTextValue(html=html)


async def _meta_title(root: ProductInterface, info: Info) -> str | None:
    return await _text(root, info, "meta_title")


async def _meta_keyword(root: ProductInterface, info: Info) -> str | None:
    return await _text(root, info, "meta_keyword")


async def _meta_description(root: ProductInterface, info: Info) -> str | None:
    return await _text(root, info, "meta_description")


async def _custom_attributes(root: ProductInterface, info: Info) -> list[CustomAttribute | None]:
    """magento2-pwa's: the product's user-defined attributes holding a value."""
    shown = await info.context.loaders_for(CatalogLoaders).custom_attributes.load(
        root.row.entity_id
    )
    return [CustomAttribute.of(s) for s in shown]


def _weight(root: ProductInterface) -> float | None:
    return None if root.row.weight is None else float(root.row.weight)


async def _price_tiers(root: ProductInterface, info: Info) -> list[TierPrice | None] | None:
    """The tier and group prices of the caller's group (its own rows and ALL GROUPS) on the
    store's website: the lowest price per quantity, by quantity."""
    if not await permissions.can_show_price(info, root.row.entity_id):
        return []
    pricing = await info.context.loaders_for(CatalogLoaders).pricing.load(root.row)
    return list(price_tiers_of(pricing, await info.context.store()))


async def _special_price(root: ProductInterface, info: Info) -> float | None:
    if root.row.special_price is None or not await permissions.can_show_price(
        info, root.row.entity_id
    ):
        return None
    return float(root.row.special_price)


# Category permissions hiding prices: Magento's `PriceRangeDataProvider::formatEmptyResult`.
HIDDEN_PRICE_RANGE = PriceRange(
    minimum_price=ProductPrice(
        discount=None,
        final_price=Money(currency=None, value=None),
        fixed_product_taxes=[],
        regular_price=Money(currency=None, value=None),
    ),
    maximum_price=ProductPrice(
        discount=None,
        final_price=Money(currency=None, value=None),
        fixed_product_taxes=[],
        regular_price=Money(currency=None, value=None),
    ),
)


async def _stock_status(root: ProductInterface, info: Info) -> ProductStockStatus | None:
    item = await info.context.loaders_for(CatalogLoaders).stock.load(root.row.entity_id)
    return (
        ProductStockStatus.IN_STOCK
        if catalog.is_in_stock(item)
        else ProductStockStatus.OUT_OF_STOCK
    )


async def _image(root: ProductInterface, info: Info) -> ProductImage | None:
    return await product_image(info, root.row, "image")


async def _small_image(root: ProductInterface, info: Info) -> ProductImage | None:
    return await product_image(info, root.row, "small_image")


async def _thumbnail(root: ProductInterface, info: Info) -> ProductImage | None:
    return await product_image(info, root.row, "thumbnail")


async def _media_gallery(
    root: ProductInterface, info: Info
) -> list[MediaGalleryInterface | None] | None:
    return list(await media_gallery(info, root.row))


async def _media_gallery_entries(
    root: ProductInterface, info: Info
) -> list[MediaGalleryEntry | None] | None:
    return list(await media_gallery_entries(info, root.row))


async def show_out_of_stock(info: Info) -> bool:
    """`cataloginventory/options/show_out_of_stock` for the store view (off: listings leave
    out-of-stock products out, as Magento)."""
    stores = await info.context.stores()
    return stores.config_flag(ConfigPath.SHOW_OUT_OF_STOCK, await info.context.store())


def _rating_summary() -> float:
    """Magento's `rating_summary` of a product without reviews."""
    return 0.0


async def url_suffix(info: Info, path: ConfigPath) -> str:
    """The store view's product or category URL suffix (`.html`)."""
    return (await info.context.stores()).config_value(path, await info.context.store())


async def _product_url_suffix(root: ProductInterface, info: Info) -> str | None:
    return await url_suffix(info, ConfigPath.PRODUCT_URL_SUFFIX)


async def _product_relative_url(root: ProductInterface, info: Info) -> str | None:
    """The URL `route` answered with, else the product's own: its URL key and suffix."""
    if root.route_hit is not None:
        return root.route_hit.relative_url
    if not root.row.url_key:
        return None
    return root.row.url_key + await url_suffix(info, ConfigPath.PRODUCT_URL_SUFFIX)


def _product_redirect_code(root: ProductInterface) -> int:
    return 0 if root.route_hit is None else root.route_hit.redirect_code


def _product_type() -> UrlRewriteEntityTypeEnum | None:
    return UrlRewriteEntityTypeEnum.PRODUCT


async def _relation(root: ProductInterface, info: Info, kind: str) -> list[ProductInterface | None]:
    from engine.targetrule.lists import ListType
    from graph.targetrule import related_products_of  # it imports this module

    return await related_products_of(root, info, ListType(kind))


async def _related_products(root: ProductInterface, info: Info) -> list[ProductInterface | None]:
    return await _relation(root, info, "related")


async def _upsell_products(root: ProductInterface, info: Info) -> list[ProductInterface | None]:
    return await _relation(root, info, "upsell")


async def _crosssell_products(root: ProductInterface, info: Info) -> list[ProductInterface | None]:
    return await _relation(root, info, "crosssell")


@strawberry.interface(description="Contains fields that are common to all types of products.")
class ProductInterface:
    row: strawberry.Private[CatalogProductEntity]
    # How `route(url)` reached the product (None when it was not asked for through `route`).
    route_hit: strawberry.Private[RouteHit | None]
    categories: (
        list[Annotated[CategoryInterface, strawberry.lazy("graph.catalog")] | None] | None
    ) = strawberry.field(
        resolver=_product_categories, description="The categories assigned to a product."
    )
    custom_attributes: list[CustomAttribute | None] = strawberry.field(
        resolver=_custom_attributes,
        description="List of product custom attributes details.",
        deprecation_reason="Use Adobe Commerce `custom_attributesV2` query instead",
    )
    description: ComplexTextValue | None = strawberry.field(
        resolver=_description,
        description="Detailed information about the product. The value can include simple HTML "
        "tags.",
    )
    id: int | None = strawberry.field(
        description="The ID number assigned to the product.",
        deprecation_reason="Use the `uid` field instead.",
    )
    image: ProductImage | None = strawberry.field(
        resolver=_image, description="The relative path to the main image on the product page."
    )
    media_gallery: list[MediaGalleryInterface | None] | None = strawberry.field(
        resolver=_media_gallery, description="An array of media gallery objects."
    )
    media_gallery_entries: list[MediaGalleryEntry | None] | None = strawberry.field(
        resolver=_media_gallery_entries,
        description="An array of MediaGalleryEntry objects.",
        deprecation_reason="Use `media_gallery` instead.",
    )
    meta_description: str | None = strawberry.field(
        resolver=_meta_description,
        description="A brief overview of the product for search results listings, maximum 255 "
        "characters.",
    )
    meta_keyword: str | None = strawberry.field(
        resolver=_meta_keyword,
        description="A comma-separated list of keywords that are visible only to search engines.",
    )
    meta_title: str | None = strawberry.field(
        resolver=_meta_title,
        description="A string that is displayed in the title bar and tab of the browser and in "
        "search results lists.",
    )
    name: str | None = strawberry.field(
        description="The product name. Customers use this name to identify the product."
    )
    price: ProductPrices | None = strawberry.field(
        resolver=_price,
        description="Indicates the price of an item.",
        deprecation_reason="Use `price_range` for product price information.",
    )
    price_range: PriceRange = strawberry.field(
        resolver=_price_range, description="The range of prices for the product"
    )
    price_tiers: list[TierPrice | None] | None = strawberry.field(
        resolver=_price_tiers, description="An array of `TierPrice` objects."
    )
    rating_summary: float = strawberry.field(
        resolver=_rating_summary,
        description="The average of all the ratings given to the product (0 without reviews; "
        "mageseg keeps no reviews).",
    )
    short_description: ComplexTextValue | None = strawberry.field(
        resolver=_short_description,
        description="A short description of the product. Its use depends on the theme.",
    )
    sku: str | None = strawberry.field(
        description="A number or code assigned to a product to identify the product, options, "
        "price, and manufacturer."
    )
    small_image: ProductImage | None = strawberry.field(
        resolver=_small_image,
        description="The relative path to the small image, which is used on catalog pages.",
    )
    special_from_date: str | None = strawberry.field(
        description="The beginning date that a product has a special price.",
        deprecation_reason="The field should not be used on the storefront.",
    )
    special_price: float | None = strawberry.field(
        resolver=_special_price, description="The discounted price of the product."
    )
    special_to_date: str | None = strawberry.field(
        description="The end date for a product with a special price."
    )
    stock_status: ProductStockStatus | None = strawberry.field(
        resolver=_stock_status, description="Stock status of the product"
    )
    thumbnail: ProductImage | None = strawberry.field(
        resolver=_thumbnail, description="The relative path to the product's thumbnail image."
    )
    type_id: str | None = strawberry.field(
        description="One of simple, virtual, bundle, downloadable, grouped, or configurable.",
        deprecation_reason="Use `__typename` instead.",
    )
    uid: strawberry.ID = strawberry.field(
        description="The unique ID for a `ProductInterface` object."
    )
    url_key: str | None = strawberry.field(
        description="The part of the URL that identifies the product"
    )
    url_suffix: str | None = strawberry.field(
        resolver=_product_url_suffix,
        description="The part of the product URL that is appended after the url key",
    )
    # Product relations (`Magento_RelatedProductGraphQl`, rules by `Magento_TargetRuleGraphQl`).
    related_products: (
        list[Annotated[ProductInterface, strawberry.lazy("graph.catalog")] | None] | None
    ) = strawberry.field(resolver=_related_products, description="An array of related products.")
    upsell_products: (
        list[Annotated[ProductInterface, strawberry.lazy("graph.catalog")] | None] | None
    ) = strawberry.field(resolver=_upsell_products, description="An array of up-sell products.")
    crosssell_products: (
        list[Annotated[ProductInterface, strawberry.lazy("graph.catalog")] | None] | None
    ) = strawberry.field(
        resolver=_crosssell_products, description="An array of cross-sell products."
    )


@strawberry.type(description="A product page reached through `route` (`RoutableInterface`).")
class RoutableProduct(RoutableInterface):
    """The `RoutableInterface` fields of a product type (put it after `ProductInterface` in the
    bases of a product type that Magento makes routable)."""

    redirect_code: int = strawberry.field(
        resolver=_product_redirect_code, description="Contains 0 when there is no redirect error."
    )
    relative_url: str | None = strawberry.field(
        resolver=_product_relative_url,
        description="The internal relative URL. If the specified URL is a redirect, the query "
        "returns the redirected URL, not the original.",
    )
    type: UrlRewriteEntityTypeEnum | None = strawberry.field(
        resolver=_product_type, description="One of PRODUCT, CATEGORY, or CMS_PAGE."
    )


@strawberry.interface(description="Contains attributes specific to tangible products.")
class PhysicalProductInterface:
    weight: float | None = strawberry.field(
        resolver=_weight, description="The weight of the item, in units defined by the store."
    )


@strawberry.type(
    description="Defines a simple product, which is tangible and is usually sold in single units "
    "or in fixed quantities."
)
class SimpleProduct(ProductInterface, RoutableProduct, PhysicalProductInterface):
    pass


@strawberry.type(
    description="Defines a virtual product, which is a non-tangible product that does not "
    "require shipping and is not kept in inventory."
)
class VirtualProduct(ProductInterface, RoutableProduct):
    pass


def product_of(row: CatalogProductEntity, route_hit: RouteHit | None = None) -> ProductInterface:
    """The storefront type presenting a product row (`SimpleProduct`, `VirtualProduct` or
    `ConfigurableProduct`); `route_hit` when `route(url)` reached it."""
    kind: type[ProductInterface] = SimpleProduct
    if row.type_id == ProductType.VIRTUAL:
        kind = VirtualProduct
    elif row.type_id == ProductType.CONFIGURABLE:
        from graph.configurable import ConfigurableProduct  # it imports this module

        kind = ConfigurableProduct
    return kind(
        row=row,
        route_hit=route_hit,
        id=row.entity_id,
        name=row.name,
        sku=row.sku,
        special_from_date=_magento_date(row.special_from_date),
        special_to_date=_magento_date(row.special_to_date),
        type_id=str(row.type_id),
        uid=strawberry.ID(encode_uid(row.entity_id)),
        url_key=row.url_key,
    )


async def _aggregations(
    root: Products,
    info: Info,
    filter: Annotated[
        AggregationsFilterInput | None,
        strawberry.argument(
            description=(
                "Whether to include only the attributes of the category filter "
                "(`includeDirectChildrenOnly`)."
            )
        ),
    ] = None,
) -> list[Aggregation | None] | None:
    """Layered navigation over every product the query matched (not only this page)."""
    scope = root.scope
    if scope is None:
        return []
    query, _ = await catalog.product_query(
        scope.website_id,
        scope.criteria,
        scope.today,
        scope.group_id,
        scope.access,
        show_out_of_stock=scope.show_out_of_stock,
        with_price=True,
    )
    category_root = await info.context.loaders_for(CatalogLoaders).category.load(
        scope.root_category_id
    )
    if category_root is None:
        return []
    direct = bool(filter and filter.category and filter.category.includeDirectChildrenOnly)
    found = await navigation.aggregate(
        query, category_root, scope.criteria.category_ids or (), direct, scope.website_id
    )
    return [Aggregation.of(a) for a in found]


def _sort_fields(root: Products) -> SortFields | None:
    return SortFields.of(bool(root.scope and root.scope.criteria.search))


@strawberry.type(description="Contains the results of a `products` query.")
class Products:
    scope: strawberry.Private[SearchScope | None]
    aggregations: list[Aggregation | None] | None = strawberry.field(
        resolver=_aggregations,
        description="A bucket that contains the attribute code and label for each filterable "
        "option.",
    )
    sort_fields: SortFields | None = strawberry.field(
        resolver=_sort_fields,
        description="An object that includes the default sort field and all available sort fields.",
    )
    items: list[ProductInterface | None] | None = strawberry.field(
        description="An array of products that match the specified search criteria."
    )
    page_info: SearchResultPageInfo | None = strawberry.field(
        description="An object that includes the page_info and currentPage values specified in "
        "the query."
    )
    total_count: int | None = strawberry.field(
        description="The number of products that are marked as visible. By default, in complex "
        "products, parent products are visible, but their child products are not."
    )

    @classmethod
    def of(cls, page: Page[CatalogProductEntity], scope: SearchScope | None = None) -> Products:
        return cls(
            scope=scope,
            items=[product_of(row) for row in page.items],
            page_info=SearchResultPageInfo.of(page),
            total_count=page.total_count,
        )


@strawberry.input(
    description="Specifies the attribute to use for sorting search results and indicates whether "
    "the results are sorted in ascending or descending order."
)
class ProductAttributeSortInput:
    name: SortEnum | None = strawberry.field(
        default=None, description="Attribute label: Product Name"
    )
    position: SortEnum | None = strawberry.field(
        default=None, description="Sort by the position assigned to each product."
    )
    price: SortEnum | None = strawberry.field(default=None, description="Attribute label: Price")
    relevance: SortEnum | None = strawberry.field(
        default=None, description="Sort by the search relevance score (default)."
    )


@strawberry.input(description="Defines the filters to be used in the search.")
class ProductAttributeFilterInput:
    category_id: FilterEqualTypeInput | None = strawberry.field(
        default=None,
        description="Deprecated: use `category_uid` to filter product by category ID.",
    )
    category_uid: FilterEqualTypeInput | None = strawberry.field(
        default=None,
        description="Filter product by the unique ID for a `CategoryInterface` object.",
    )
    category_url_path: FilterEqualTypeInput | None = strawberry.field(
        default=None, description="Filter product by category URL path."
    )
    color: FilterEqualTypeInput | None = strawberry.field(
        default=None,
        description="Attribute label: Color (option ids, the `value` of its aggregation options); "
        "a configurable matches through a child a shopper can buy.",
    )
    description: FilterMatchTypeInput | None = strawberry.field(
        default=None, description="Attribute label: Description"
    )
    name: FilterMatchTypeInput | None = strawberry.field(
        default=None, description="Attribute label: Product Name"
    )
    price: FilterRangeTypeInput | None = strawberry.field(
        default=None, description="Attribute label: Price"
    )
    short_description: FilterMatchTypeInput | None = strawberry.field(
        default=None, description="Attribute label: Short Description"
    )
    size: FilterEqualTypeInput | None = strawberry.field(
        default=None,
        description="Attribute label: Size (option ids, the `value` of its aggregation options); "
        "a configurable matches through a child a shopper can buy.",
    )
    sku: FilterEqualTypeInput | None = strawberry.field(
        default=None, description="Attribute label: SKU"
    )
    url_key: FilterEqualTypeInput | None = strawberry.field(
        default=None, description="The part of the URL that identifies the product"
    )


# Select attributes the storefront filter declares (Magento declares one field per filterable
# attribute; mageseg's schema is static, so it names those of Magento's sample catalog).
FILTERABLE_SELECTS = ("color", "size")


def sort_of(sort: ProductAttributeSortInput | None) -> tuple[catalog.ProductOrder, ...]:
    """The sort input's fields in the order given, as the engine's orderings."""
    if sort is None:
        return ()
    result = []
    for key, field in (
        ("name", catalog.ProductSortField.NAME),
        ("position", catalog.ProductSortField.POSITION),
        ("price", catalog.ProductSortField.PRICE),
        ("relevance", catalog.ProductSortField.RELEVANCE),
    ):
        direction = getattr(sort, key)
        if direction is not None:
            result.append(catalog.ProductOrder(field, descending=direction is SortEnum.DESC))
    return tuple(result)


# --- categories ---------------------------------------------------------------------------------


@strawberry.type(description="Contains details about the products assigned to a category.")
class CategoryProducts:
    items: list[ProductInterface | None] | None = strawberry.field(
        description="An array of products that are assigned to the category."
    )
    page_info: SearchResultPageInfo | None = strawberry.field(description="Pagination metadata.")
    total_count: int | None = strawberry.field(
        description="The number of products in the category that are marked as visible."
    )


async def _category_products(
    root: CategoryInterface,
    info: Info,
    pageSize: Annotated[int | None, PAGE_SIZE] = 20,  # noqa: N803 - Magento's argument name
    currentPage: Annotated[int | None, CURRENT_PAGE] = 1,  # noqa: N803
    sort: Annotated[
        ProductAttributeSortInput | None,
        strawberry.argument(
            description="The attributes to sort the products by, and the direction of each."
        ),
    ] = None,
) -> CategoryProducts | None:
    """The category's storefront products (its subtree's too, as an anchor category)."""
    website_id, group_id, day = await pricing_scope(info.context)
    page = await catalog.search_products(
        website_id,
        catalog.ProductSearch(category_ids=(root.row.entity_id,)),
        sort_of(sort),
        PageRequest(
            20 if pageSize is None else pageSize, 1 if currentPage is None else currentPage
        ),
        day,
        group_id,
        await permissions.catalog_access(info),
        show_out_of_stock=await show_out_of_stock(info),
    )
    return CategoryProducts(
        items=[product_of(row) for row in page.items],
        page_info=SearchResultPageInfo.of(page),
        total_count=page.total_count,
    )


@strawberry.type(
    description="Contains details about an individual category that comprises a breadcrumb."
)
class Breadcrumb:
    category_id: int | None = strawberry.field(
        description="The ID of the category.", deprecation_reason="Use `category_uid` instead."
    )
    category_level: int | None = strawberry.field(description="The category level.")
    category_name: str | None = strawberry.field(description="The display name of the category.")
    category_uid: strawberry.ID = strawberry.field(
        description="The unique ID for a `Breadcrumb` object."
    )
    category_url_key: str | None = strawberry.field(
        description="The url key assigned to the category."
    )
    category_url_path: str | None = strawberry.field(description="The URL path of the category.")


async def _ancestors(info: Info, row: CatalogCategoryEntity) -> list[CatalogCategoryEntity]:
    """The category's ancestors below the tree's root categories (level 2 and down), top first."""
    ids = [int(i) for i in row.path.split("/")][2:-1]
    loaded = await info.context.loaders_for(CatalogLoaders).category.load_many(ids)
    return [c for c in loaded if c is not None]


def _url_path(chain: list[CatalogCategoryEntity]) -> str | None:
    keys = [c.url_key for c in chain]
    return "/".join(k for k in keys if k) if keys and all(keys) else None


async def _breadcrumbs(root: CategoryInterface, info: Info) -> list[Breadcrumb | None] | None:
    """The active ancestors from the top down, without the category itself; null for a
    top-level category, as Magento."""
    ancestors = await _ancestors(info, root.row)
    crumbs: list[Breadcrumb | None] = []
    for index, category in enumerate(ancestors):
        if not category.is_active:
            continue
        crumbs.append(
            Breadcrumb(
                category_id=category.entity_id,
                category_level=category.level,
                category_name=category.name,
                category_uid=strawberry.ID(encode_uid(category.entity_id)),
                category_url_key=category.url_key,
                category_url_path=_url_path(ancestors[: index + 1]),
            )
        )
    return crumbs or None


@strawberry.interface(
    description="Contains the full set of attributes that can be returned in a category search."
)
class CategoryInterface:
    row: strawberry.Private[CatalogCategoryEntity]
    breadcrumbs: list[Breadcrumb | None] | None = strawberry.field(
        resolver=_breadcrumbs, description="An array of breadcrumb items."
    )
    id: int | None = strawberry.field(
        description="An ID that uniquely identifies the category.",
        deprecation_reason="Use `uid` instead.",
    )
    level: int | None = strawberry.field(description="The depth of the category within the tree.")
    name: str | None = strawberry.field(description="The display name of the category.")
    path: str | None = strawberry.field(description="The full category path.")
    position: int | None = strawberry.field(
        description="The position of the category relative to other categories at the same "
        "level in tree."
    )
    products: CategoryProducts | None = strawberry.field(
        resolver=_category_products, description="The list of products assigned to the category."
    )
    uid: strawberry.ID = strawberry.field(
        description="The unique ID for a `CategoryInterface` object."
    )


async def _children(root: CategoryTree, info: Info) -> list[CategoryTree | None] | None:
    rows = await info.context.loaders_for(CatalogLoaders).children.load(root.row.entity_id)
    return [CategoryTree.of(row) for row in await permissions.browsable(info, rows)]


async def _category_url_path(root: CategoryTree, info: Info) -> str | None:
    if not root.row.url_key or root.row.level < 2:
        return None
    return _url_path([*await _ancestors(info, root.row), root.row])


async def _category_url_suffix(root: CategoryTree, info: Info) -> str | None:
    return await url_suffix(info, ConfigPath.CATEGORY_URL_SUFFIX)


async def _category_relative_url(root: CategoryTree, info: Info) -> str | None:
    if root.route_hit is not None:
        return root.route_hit.relative_url
    path = await _category_url_path(root, info)
    return None if path is None else path + await url_suffix(info, ConfigPath.CATEGORY_URL_SUFFIX)


def _category_redirect_code(root: CategoryTree) -> int:
    return 0 if root.route_hit is None else root.route_hit.redirect_code


def _category_type() -> UrlRewriteEntityTypeEnum | None:
    return UrlRewriteEntityTypeEnum.CATEGORY


def _category_image(root: CategoryTree, info: Info) -> str | None:
    """The category image's URL under the media folder (`catalog/category/<file>`)."""
    if not root.row.image:
        return None
    if root.row.image.startswith(("http://", "https://", "/")):
        return root.row.image
    base = info.context.services.media.base_url
    return f"{base if base.endswith('/') else base + '/'}catalog/category/{root.row.image}"


async def _cms_block(root: CategoryTree, info: Info) -> CmsBlock | None:
    """The category's landing-page CMS block, when it is active in the store view."""
    if root.row.landing_page is None:
        return None
    store = await info.context.store()
    block = await cms_blocks.block_for_store(str(root.row.landing_page), store.store_id)
    return None if block is None else CmsBlock.of(block)


@strawberry.type(description="Contains the hierarchy of categories.")
class CategoryTree(CategoryInterface, RoutableInterface):
    # How `route(url)` reached the category (None when it was not asked for through `route`).
    route_hit: strawberry.Private[RouteHit | None]
    children: list[CategoryTree | None] | None = strawberry.field(
        resolver=_children, description="A tree of child categories."
    )
    children_count: str | None = strawberry.field(
        description="The number of categories below this one, at any depth."
    )
    cms_block: CmsBlock | None = strawberry.field(
        resolver=_cms_block, description="Contains a category CMS block."
    )
    description: str | None = strawberry.field(
        description="An optional description of the category."
    )
    display_mode: str | None = strawberry.field(
        description="What the category page shows: PRODUCTS, PAGE (its CMS block) or "
        "PRODUCTS_AND_PAGE."
    )
    image: str | None = strawberry.field(
        resolver=_category_image, description="The URL of the category image."
    )
    include_in_menu: int | None = strawberry.field(
        description="1 when navigation menus show the category, else 0."
    )
    meta_description: str | None = strawberry.field(
        description="A brief description of the category for search results listings."
    )
    meta_keywords: str | None = strawberry.field(description="Keywords for search engines.")
    meta_title: str | None = strawberry.field(
        description="A page title that is indexed by search engines."
    )
    redirect_code: int = strawberry.field(
        resolver=_category_redirect_code, description="Contains 0 when there is no redirect error."
    )
    relative_url: str | None = strawberry.field(
        resolver=_category_relative_url,
        description="The internal relative URL. If the specified URL is a redirect, the query "
        "returns the redirected URL, not the original.",
    )
    type: UrlRewriteEntityTypeEnum | None = strawberry.field(
        resolver=_category_type, description="One of PRODUCT, CATEGORY, or CMS_PAGE."
    )
    url_key: str | None = strawberry.field(
        description="The part of the URL that identifies the category."
    )
    url_path: str | None = strawberry.field(
        resolver=_category_url_path, description="The URL path assigned to the category."
    )
    url_suffix: str | None = strawberry.field(
        resolver=_category_url_suffix,
        description="The part of the category URL that is appended after the url key",
    )

    @classmethod
    def of(cls, row: CatalogCategoryEntity, route_hit: RouteHit | None = None) -> CategoryTree:
        return cls(
            row=row,
            route_hit=route_hit,
            description=row.description,
            display_mode=row.display_mode,
            include_in_menu=1 if row.include_in_menu else 0,
            meta_description=row.meta_description,
            meta_keywords=row.meta_keywords,
            meta_title=row.meta_title,
            id=row.entity_id,
            level=row.level,
            name=row.name,
            path=row.path,
            position=row.position,
            uid=strawberry.ID(encode_uid(row.entity_id)),
            children_count=str(row.children_count),
            url_key=row.url_key,
        )


@strawberry.type(
    description="Contains a collection of `CategoryTree` objects and pagination information."
)
class CategoryResult:
    items: list[CategoryTree | None] | None = strawberry.field(
        description="A list of categories that match the filter criteria."
    )
    page_info: SearchResultPageInfo | None = strawberry.field(
        description="An object that includes the `page_info` and `currentPage` values specified "
        "in the query."
    )
    total_count: int | None = strawberry.field(
        description="The total number of categories that match the criteria."
    )


@strawberry.input(description="Defines the filters to be used in the search.")
class CategoryFilterInput:
    category_uid: FilterEqualTypeInput | None = strawberry.field(
        default=None,
        description="Filter by the unique category ID for a `CategoryInterface` object.",
    )
    ids: FilterEqualTypeInput | None = strawberry.field(
        default=None,
        description="Deprecated: use 'category_uid' to filter uniquely identifiers of categories.",
    )
    name: FilterMatchTypeInput | None = strawberry.field(
        default=None, description="Filter by the display name of the category."
    )
    parent_category_uid: FilterEqualTypeInput | None = strawberry.field(
        default=None,
        description="Filter by the unique parent category ID for a `CategoryInterface` object.",
    )
    parent_id: FilterEqualTypeInput | None = strawberry.field(
        default=None,
        description="Filter by the unique parent category ID for a `CategoryInterface` object.",
    )
    url_key: FilterEqualTypeInput | None = strawberry.field(
        default=None, description="Filter by the part of the URL that identifies the category."
    )
    url_path: FilterEqualTypeInput | None = strawberry.field(
        default=None, description="Filter by the URL path for the category."
    )


# Implementations reached only through an interface; graph/schema.py registers them.
CATALOG_TYPES: list[type] = [SimpleProduct, VirtualProduct, CategoryTree]


# --- admin --------------------------------------------------------------------------------------


@strawberry.enum(description="Magento's product types that mageseg keeps.")
class ProductTypeEnum(Enum):
    SIMPLE = strawberry.enum_value("simple", description="A tangible product, shipped.")
    VIRTUAL = strawberry.enum_value("virtual", description="A non-tangible product, not shipped.")
    CONFIGURABLE = strawberry.enum_value(
        "configurable",
        description="A parent sold as one of its simple children, chosen by select attributes.",
    )


@strawberry.enum(description="Where a product is shown (Magento's `Product\\Visibility`).")
class ProductVisibilityEnum(Enum):
    NOT_VISIBLE = strawberry.enum_value(1, description="Not visible individually.")
    IN_CATALOG = strawberry.enum_value(2, description="In catalog listings only.")
    IN_SEARCH = strawberry.enum_value(3, description="In search results only.")
    BOTH = strawberry.enum_value(4, description="In catalog listings and search.")


@strawberry.enum(description="Whether a product can be shown and sold.")
class ProductStatusEnum(Enum):
    ENABLED = strawberry.enum_value(1, description="Enabled.")
    DISABLED = strawberry.enum_value(2, description="Disabled: hidden from the storefront.")


@strawberry.type(description="A product as admins manage it (admin token required).")
class AdminProduct:
    uid: strawberry.ID = strawberry.field(description="The unique ID of the product.")
    id: int = strawberry.field(description="Magento's numeric `entity_id`.")
    sku: str = strawberry.field(description="The stock keeping unit, unique.")
    name: str = strawberry.field(description="The product name.")
    type_id: ProductTypeEnum = strawberry.field(description="The product type.")
    attribute_set_id: int = strawberry.field(description="The attribute set (4 is Default).")
    url_key: str | None = strawberry.field(description="The part of the URL naming the product.")
    price: float = strawberry.field(description="The regular price, in the base currency.")
    special_price: float | None = strawberry.field(description="The special price, if any.")
    special_from_date: str | None = strawberry.field(
        description="The first day of the special price (YYYY-MM-DD), if bounded."
    )
    special_to_date: str | None = strawberry.field(
        description="The last day of the special price (YYYY-MM-DD), if bounded."
    )
    weight: float | None = strawberry.field(description="The weight, if any.")
    visibility: ProductVisibilityEnum = strawberry.field(description="Where it is shown.")
    status: ProductStatusEnum = strawberry.field(description="Enabled or disabled.")
    tax_class_id: int | None = strawberry.field(description="The product tax class, if any.")
    website_uids: list[strawberry.ID] = strawberry.field(description="The websites selling it.")
    category_uids: list[strawberry.ID] = strawberry.field(
        description="The categories it is assigned to."
    )
    qty: float = strawberry.field(description="The quantity in stock.")
    is_in_stock: bool = strawberry.field(description="The stock status.")
    custom_attributes: list[AttributeValueInterface | None] = strawberry.field(
        description="The product's custom attribute values."
    )
    description: str | None = strawberry.field(description="The description (HTML), if any.")
    short_description: str | None = strawberry.field(
        description="The short description (HTML), if any."
    )
    meta_title: str | None = strawberry.field(description="The meta title, if any.")
    meta_keyword: str | None = strawberry.field(description="The meta keywords, if any.")
    meta_description: str | None = strawberry.field(description="The meta description, if any.")
    created_at: str = strawberry.field(description="When it was created (ISO 8601).")
    updated_at: str = strawberry.field(description="When it last changed (ISO 8601).")

    @classmethod
    def of(cls, details: catalog.ProductDetails) -> AdminProduct:
        p, stock = details.product, details.stock
        return cls(
            uid=strawberry.ID(encode_uid(p.entity_id)),
            id=p.entity_id,
            sku=p.sku,
            name=p.name,
            type_id=ProductTypeEnum[ProductType(p.type_id).name],
            attribute_set_id=p.attribute_set_id,  # type: ignore[attr-defined]
            url_key=p.url_key,
            price=float(p.price),
            special_price=None if p.special_price is None else float(p.special_price),
            special_from_date=None
            if p.special_from_date is None
            else p.special_from_date.isoformat(),
            special_to_date=None if p.special_to_date is None else p.special_to_date.isoformat(),
            weight=None if p.weight is None else float(p.weight),
            visibility=ProductVisibilityEnum[Visibility(p.visibility).name],
            status=ProductStatusEnum[ProductStatus(p.status).name],
            tax_class_id=p.tax_class_id,  # type: ignore[attr-defined]
            website_uids=[strawberry.ID(encode_uid(i)) for i in details.website_ids],
            category_uids=[strawberry.ID(encode_uid(i)) for i in details.category_ids],
            qty=float(stock.qty) if stock else 0.0,
            is_in_stock=catalog.is_in_stock(stock),
            custom_attributes=values_to_graph(details.custom_attributes),
            description=details.texts.get("description"),
            short_description=details.texts.get("short_description"),
            meta_title=details.texts.get("meta_title"),
            meta_keyword=details.texts.get("meta_keyword"),
            meta_description=details.texts.get("meta_description"),
            created_at=p.created_at.isoformat(),
            updated_at=p.updated_at.isoformat(),
        )


@strawberry.type(description="A page of products for admins.")
class AdminProducts:
    items: list[AdminProduct] = strawberry.field(description="The products on this page.")
    page_info: SearchResultPageInfo = strawberry.field(description="Pagination metadata.")
    total_count: int = strawberry.field(description="How many products match the filter.")


@strawberry.input(description="Filters for the admin list of products; all must match.")
class AdminProductFilterInput:
    sku: FilterEqualTypeInput | None = strawberry.field(
        default=None, description="Products with exactly these skus."
    )
    sku_match: FilterMatchTypeInput | None = strawberry.field(
        default=None, description="Products whose sku contains this text (case-insensitive)."
    )
    name: FilterMatchTypeInput | None = strawberry.field(
        default=None, description="Products whose name contains this text (case-insensitive)."
    )
    type_id: list[ProductTypeEnum] | None = strawberry.field(
        default=None, description="Products of these types."
    )
    status: list[ProductStatusEnum] | None = strawberry.field(
        default=None, description="Products with these statuses."
    )
    price: FilterRangeTypeInput | None = strawberry.field(
        default=None, description="Products whose regular price is within these bounds (inclusive)."
    )
    category_uid: FilterEqualTypeInput | None = strawberry.field(
        default=None, description="Products assigned directly to one of these categories."
    )
    website_uid: FilterEqualTypeInput | None = strawberry.field(
        default=None, description="Products sold on one of these websites."
    )


@strawberry.input(description="A new product.")
class ProductCreateInput:
    sku: str = strawberry.field(
        metadata=SKU, description="The stock keeping unit; unique, at most 64 characters."
    )
    name: str = strawberry.field(description="The product name.")
    price: float = strawberry.field(description="The regular price, 0 or more.")
    type_id: ProductTypeEnum = strawberry.field(
        default=ProductTypeEnum.SIMPLE, description="The product type."
    )
    attribute_set_id: int | None = strawberry.field(
        metadata=SMALLINT, default=None, description="The attribute set; Default (4) when omitted."
    )
    url_key: str | None = strawberry.field(
        metadata=length(255),
        default=None,
        description="The URL key; made from the name when omitted.",
    )
    special_price: float | None = strawberry.field(default=None, description="A special price.")
    special_from_date: date | None = strawberry.field(
        default=None, description="The first day of the special price."
    )
    special_to_date: date | None = strawberry.field(
        default=None, description="The last day of the special price."
    )
    weight: float | None = strawberry.field(
        metadata=QUANTITY, default=None, description="The weight."
    )
    visibility: ProductVisibilityEnum = strawberry.field(
        default=ProductVisibilityEnum.BOTH, description="Where it is shown."
    )
    status: ProductStatusEnum = strawberry.field(
        default=ProductStatusEnum.ENABLED, description="Enabled or disabled."
    )
    tax_class_id: int | None = strawberry.field(
        default=2, description="The product tax class; Taxable Goods (2) by default."
    )
    website_uids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="The websites selling it; the default website when omitted."
    )
    category_uids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="The categories it is assigned to."
    )
    qty: float | None = strawberry.field(
        metadata=QUANTITY, default=None, description="The quantity in stock (0)."
    )
    is_in_stock: bool | None = strawberry.field(
        default=None,
        description="The stock status; as Magento, a product without quantity is out of stock.",
    )
    custom_attributes: list[AttributeValueInput | None] | None = strawberry.field(
        default=None, description="Custom attribute values."
    )
    description: str | None = strawberry.field(
        metadata=LONG_TEXT, default=None, description="The description (HTML)."
    )
    short_description: str | None = strawberry.field(
        metadata=LONG_TEXT, default=None, description="The short description (HTML)."
    )
    meta_title: str | None = strawberry.field(
        default=None, description="The meta title (at most 255 characters)."
    )
    meta_keyword: str | None = strawberry.field(
        metadata=LONG_TEXT, default=None, description="The meta keywords."
    )
    meta_description: str | None = strawberry.field(
        default=None, description="The meta description (at most 255 characters)."
    )


@strawberry.input(
    description="Changes to a product: omitted fields stay as they are, null clears a nullable "
    "one, lists replace what is stored (custom attributes: only the codes named)."
)
class ProductUpdateInput:
    sku: str | None = strawberry.field(
        metadata=SKU, default=strawberry.UNSET, description="A new sku."
    )
    name: str | None = strawberry.field(default=strawberry.UNSET, description="A new name.")
    price: float | None = strawberry.field(
        default=strawberry.UNSET, description="A new regular price."
    )
    type_id: ProductTypeEnum | None = strawberry.field(
        default=strawberry.UNSET, description="A new product type."
    )
    attribute_set_id: int | None = strawberry.field(
        metadata=SMALLINT, default=strawberry.UNSET, description="A new attribute set."
    )
    url_key: str | None = strawberry.field(
        metadata=length(255), default=strawberry.UNSET, description="A new URL key."
    )
    special_price: float | None = strawberry.field(
        default=strawberry.UNSET, description="A new special price; null removes it."
    )
    special_from_date: date | None = strawberry.field(
        default=strawberry.UNSET, description="The first day of the special price."
    )
    special_to_date: date | None = strawberry.field(
        default=strawberry.UNSET, description="The last day of the special price."
    )
    weight: float | None = strawberry.field(
        metadata=QUANTITY, default=strawberry.UNSET, description="The weight."
    )
    visibility: ProductVisibilityEnum | None = strawberry.field(
        default=strawberry.UNSET, description="Where it is shown."
    )
    status: ProductStatusEnum | None = strawberry.field(
        default=strawberry.UNSET, description="Enabled or disabled."
    )
    tax_class_id: int | None = strawberry.field(
        default=strawberry.UNSET, description="The product tax class; null for none."
    )
    website_uids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET, description="The websites selling it."
    )
    category_uids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET, description="The categories it is assigned to."
    )
    qty: float | None = strawberry.field(
        metadata=QUANTITY, default=strawberry.UNSET, description="The quantity in stock."
    )
    is_in_stock: bool | None = strawberry.field(
        default=strawberry.UNSET, description="The stock status."
    )
    custom_attributes: list[AttributeValueInput | None] | None = strawberry.field(
        default=strawberry.UNSET, description="Custom attribute values to set or clear."
    )
    description: str | None = strawberry.field(
        metadata=LONG_TEXT,
        default=strawberry.UNSET,
        description="The description (HTML); null removes it.",
    )
    short_description: str | None = strawberry.field(
        metadata=LONG_TEXT,
        default=strawberry.UNSET,
        description="The short description (HTML); null removes it.",
    )
    meta_title: str | None = strawberry.field(
        default=strawberry.UNSET, description="The meta title (at most 255 characters)."
    )
    meta_keyword: str | None = strawberry.field(
        metadata=LONG_TEXT, default=strawberry.UNSET, description="The meta keywords."
    )
    meta_description: str | None = strawberry.field(
        default=strawberry.UNSET, description="The meta description (at most 255 characters)."
    )


@strawberry.input(
    description="One row of a bulk upsert: the product with this sku is updated as "
    "`ProductUpdateInput` would, or created (then `name` and `price` are required)."
)
class ProductUpsertInput(ProductUpdateInput):
    sku: str = strawberry.field(metadata=SKU, description="The sku that identifies the product.")


@strawberry.type(description="The result of an admin mutation on a product.")
class ProductOutput:
    product: AdminProduct | None = strawberry.field(
        description="The product after the change; null when the input was refused."
    )
    user_errors: list[UserError] = strawberry.field(description="Every problem with the input.")


@strawberry.type(description="The result of a bulk product upsert.")
class UpsertProductsOutput:
    products: list[AdminProduct] = strawberry.field(
        description="The products, in input order; empty when any row was refused."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Every problem, with paths naming the row (`input.3.price`)."
    )


@strawberry.type(description="The result of deleting a product.")
class DeleteProductOutput:
    deleted_uid: strawberry.ID | None = strawberry.field(
        description="The uid of the deleted product; null when nothing was deleted."
    )
    user_errors: list[UserError] = strawberry.field(description="Why nothing was deleted.")


async def _admin_product_count(root: AdminCategory, info: Info) -> int:
    return await info.context.loaders_for(CatalogLoaders).product_count.load(root.row.entity_id)


async def _admin_children(root: AdminCategory, info: Info) -> list[AdminCategory]:
    rows = await info.context.loaders_for(CatalogLoaders).all_children.load(root.row.entity_id)
    return [AdminCategory.of(r) for r in rows]


@strawberry.type(description="A category as admins manage it, with its subtree.")
class AdminCategory:
    row: strawberry.Private[CatalogCategoryEntity]
    uid: strawberry.ID = strawberry.field(description="The unique ID of the category.")
    id: int = strawberry.field(description="Magento's numeric `entity_id`.")
    parent_uid: strawberry.ID | None = strawberry.field(
        description="The parent's uid; null for the tree root."
    )
    name: str = strawberry.field(description="The display name.")
    path: str = strawberry.field(
        description="The ids from the root down to the category (`1/2/7`)."
    )
    level: int = strawberry.field(description="The depth in the tree (the root is 0).")
    position: int = strawberry.field(description="The position among its siblings.")
    children_count: int = strawberry.field(
        description="How many categories are below it, at any depth."
    )
    url_key: str | None = strawberry.field(description="The part of the URL naming the category.")
    is_active: bool = strawberry.field(description="Whether the storefront shows it.")
    include_in_menu: bool = strawberry.field(description="Whether navigation menus show it.")
    description: str | None = strawberry.field(description="The HTML description.")
    image: str | None = strawberry.field(description="The image file under `catalog/category/`.")
    display_mode: str = strawberry.field(description="PRODUCTS, PAGE or PRODUCTS_AND_PAGE.")
    meta_title: str | None = strawberry.field(description="The meta title.")
    meta_keywords: str | None = strawberry.field(description="The meta keywords.")
    meta_description: str | None = strawberry.field(description="The meta description.")
    landing_page_uid: strawberry.ID | None = strawberry.field(
        description="The CMS block shown on the category page."
    )
    product_count: int = strawberry.field(
        resolver=_admin_product_count, description="How many products are assigned to it directly."
    )
    children: list[AdminCategory] = strawberry.field(
        resolver=_admin_children, description="Its children, active or not, by position."
    )

    @classmethod
    def of(cls, row: CatalogCategoryEntity) -> AdminCategory:
        return cls(
            row=row,
            uid=strawberry.ID(encode_uid(row.entity_id)),
            id=row.entity_id,
            parent_uid=strawberry.ID(encode_uid(row.parent_id)) if row.parent_id else None,
            name=row.name,
            path=row.path,
            level=row.level,
            position=row.position,
            children_count=row.children_count,
            url_key=row.url_key,
            is_active=row.is_active,
            include_in_menu=row.include_in_menu,
            description=row.description,
            image=row.image,
            display_mode=row.display_mode,
            meta_title=row.meta_title,
            meta_keywords=row.meta_keywords,
            meta_description=row.meta_description,
            landing_page_uid=None
            if row.landing_page is None
            else strawberry.ID(encode_uid(row.landing_page)),
        )


@strawberry.input(description="A new category.")
class CategoryCreateInput:
    name: str = strawberry.field(metadata=length(255), description="The display name.")
    parent_uid: strawberry.ID | None = strawberry.field(
        default=None, description="The parent; Default Category when omitted."
    )
    position: int | None = strawberry.field(
        default=None, description="The position among its siblings; last when omitted."
    )
    url_key: str | None = strawberry.field(
        metadata=length(255),
        default=None,
        description="The URL key; made from the name when omitted.",
    )
    is_active: bool = strawberry.field(default=True, description="Shown on the storefront.")
    include_in_menu: bool = strawberry.field(default=True, description="Shown in menus.")
    description: str | None = strawberry.field(
        default=None, description="The HTML description shown on the category page."
    )
    image: str | None = strawberry.field(
        default=None, description="An image file under the media folder's `catalog/category/`."
    )
    display_mode: str = strawberry.field(
        default="PRODUCTS", description="PRODUCTS, PAGE (its CMS block) or PRODUCTS_AND_PAGE."
    )
    meta_title: str | None = strawberry.field(default=None, description="The meta title.")
    meta_keywords: str | None = strawberry.field(default=None, description="The meta keywords.")
    meta_description: str | None = strawberry.field(
        default=None, description="The meta description."
    )
    landing_page_uid: strawberry.ID | None = strawberry.field(
        default=None, description="The CMS block shown on the category page."
    )


@strawberry.input(
    description="Changes to a category; omitted fields stay as they are. A new parent moves the "
    "category with its subtree."
)
class CategoryUpdateInput:
    name: str | None = strawberry.field(
        metadata=length(255), default=strawberry.UNSET, description="A new name."
    )
    parent_uid: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="A new parent: moves the category."
    )
    position: int | None = strawberry.field(
        default=strawberry.UNSET, description="A new position; null puts it last."
    )
    url_key: str | None = strawberry.field(
        metadata=length(255),
        default=strawberry.UNSET,
        description="A new URL key; null removes it.",
    )
    is_active: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Shown on the storefront."
    )
    include_in_menu: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Shown in menus."
    )
    description: str | None = strawberry.field(
        default=strawberry.UNSET, description="The HTML description; null removes it."
    )
    image: str | None = strawberry.field(
        default=strawberry.UNSET, description="An image file under `catalog/category/`."
    )
    display_mode: str | None = strawberry.field(
        default=strawberry.UNSET, description="PRODUCTS, PAGE or PRODUCTS_AND_PAGE."
    )
    meta_title: str | None = strawberry.field(
        default=strawberry.UNSET, description="The meta title."
    )
    meta_keywords: str | None = strawberry.field(
        default=strawberry.UNSET, description="The meta keywords."
    )
    meta_description: str | None = strawberry.field(
        default=strawberry.UNSET, description="The meta description."
    )
    landing_page_uid: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="The CMS block shown on the category page."
    )


@strawberry.type(description="The result of an admin mutation on a category.")
class CategoryOutput:
    category: AdminCategory | None = strawberry.field(
        description="The category after the change; null when the input was refused."
    )
    user_errors: list[UserError] = strawberry.field(description="Every problem with the input.")


@strawberry.type(description="The result of deleting a category with its subtree.")
class DeleteCategoryOutput:
    deleted_uids: list[strawberry.ID] = strawberry.field(
        description="The uids deleted: the category's first, then its subtree's."
    )
    user_errors: list[UserError] = strawberry.field(description="Why nothing was deleted.")
