"""The catalog: products, categories and their links.

Storefront reads (`search_products`, `search_categories`) see only what a shopper may: enabled
products sold on the store's website and visible in the catalog (or, for a text search, in
search), and active categories under the store's root."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum, StrEnum
from typing import Any, cast

from tortoise.expressions import Case, F, Q, RawSQL, Subquery, When
from tortoise.functions import Lower
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from engine import attributes, product_attributes
from engine.attributes import AttributeValueData, ParsedValue, StoredValue
from engine.errors import InputInvalid, NoSuchEntity, Problem, ProblemCode, Problems
from engine.invalidation import Topic, touch
from engine.pagination import Page, PageRequest, paginate
from engine.permissions import CatalogAccess
from engine.pricing import rule_index
from engine.routing import rewrites
from engine.targetrule import index as targetrule_index
from models import (
    CatalogCategoryEntity,
    CatalogCategoryProduct,
    CataloginventoryStockItem,
    CatalogProductEntity,
    CatalogProductEntityInt,
    CatalogProductSuperLink,
    CatalogProductWebsite,
    EavAttribute,
    EavAttributeSet,
    EntityType,
    FrontendInput,
    StoreGroup,
    StoreWebsite,
    TaxClass,
    UrlEntityType,
)
from models.catalog import (
    DEFAULT_CATEGORY_ID,
    DEFAULT_PRODUCT_ATTRIBUTE_SET_ID,
    ROOT_CATEGORY_ID,
    ProductStatus,
    ProductType,
    Visibility,
)
from models.groups import NOT_LOGGED_IN_GROUP_ID


async def load_products(product_ids: Sequence[int]) -> list[CatalogProductEntity | None]:
    """DataLoader batch: products in the order asked, `None` where missing."""
    rows = {
        p.entity_id: p for p in await CatalogProductEntity.filter(entity_id__in=list(product_ids))
    }
    return [rows.get(product_id) for product_id in product_ids]


async def load_stock_items(
    product_ids: Sequence[int],
) -> list[CataloginventoryStockItem | None]:
    """DataLoader batch: each product's stock item, `None` where it has none."""
    rows = {
        s.product_id: s  # type: ignore[attr-defined]
        for s in await CataloginventoryStockItem.filter(product_id__in=list(product_ids))
    }
    return [rows.get(product_id) for product_id in product_ids]


def is_in_stock(item: CataloginventoryStockItem | None) -> bool:
    """In stock unless a managed stock item says otherwise (no item: stock is not tracked)."""
    return item is None or not item.manage_stock or item.is_in_stock


async def load_product_categories(
    product_ids: Sequence[int],
) -> list[list[CatalogCategoryEntity]]:
    """DataLoader batch: the active categories each product is assigned to, by path."""
    links = await CatalogCategoryProduct.filter(
        product_id__in=list(product_ids), category__is_active=True, category__level__gte=1
    ).select_related("category")
    by_product: dict[int, list[CatalogCategoryEntity]] = defaultdict(list)
    for link in links:
        by_product[link.product_id].append(link.category)  # type: ignore[attr-defined]
    return [
        sorted(by_product.get(product_id, []), key=lambda c: (c.level, c.position, c.entity_id))
        for product_id in product_ids
    ]


async def load_categories(category_ids: Sequence[int]) -> list[CatalogCategoryEntity | None]:
    """DataLoader batch: categories in the order asked, `None` where missing."""
    rows = {
        c.entity_id: c for c in await CatalogCategoryEntity.filter(entity_id__in=list(category_ids))
    }
    return [rows.get(category_id) for category_id in category_ids]


async def load_children(category_ids: Sequence[int]) -> list[list[CatalogCategoryEntity]]:
    """DataLoader batch: each category's active children, by position."""
    rows = await CatalogCategoryEntity.filter(
        parent_id__in=list(category_ids), is_active=True
    ).order_by("position", "entity_id")
    by_parent: dict[int, list[CatalogCategoryEntity]] = defaultdict(list)
    for row in rows:
        by_parent[row.parent_id].append(row)
    return [by_parent.get(category_id, []) for category_id in category_ids]


# --- product search -----------------------------------------------------------------------------


class ProductSortField(StrEnum):
    NAME = "name"
    POSITION = "position"
    PRICE = "price"
    RELEVANCE = "relevance"


@dataclass(frozen=True)
class ProductOrder:
    field: ProductSortField
    descending: bool = False


@dataclass(frozen=True)
class ProductSearch:
    """What a storefront `products` query asks for; `None` means "no such filter".

    - `search`: every word must occur, case-insensitively, in the name or the sku.
    - `category_ids`: products assigned to one of these categories or to a descendant of one
      (Magento installs categories as anchors, which show their children's products).
    - `name`: every word must occur, case-insensitively, in the name.
    - `price_from`/`price_to`: bounds, both inclusive, on the final price (Magento filters its
      price index, which holds the final price)."""

    search: str | None = None
    skus: tuple[str, ...] | None = None
    category_ids: tuple[int, ...] | None = None
    name: str | None = None
    url_keys: tuple[str, ...] | None = None
    price_from: Decimal | None = None
    price_to: Decimal | None = None
    # Filters on attributes no product has (`description`, `short_description`): nothing matches.
    match_nothing: bool = False
    # Select attributes (code, option ids): a product matches each when it holds one of the
    # options, or, for a configurable, when a child a shopper can buy holds one (Magento indexes
    # a parent with its children's values, one attribute at a time).
    attribute_options: tuple[tuple[str, tuple[int, ...]], ...] = ()


async def _ints(query: Any) -> list[int]:
    """A one-column `values_list(..., flat=True)` query's values (tortoise types them as
    tuples)."""
    return [int(v) for v in cast(list[Any], await query)]


def _words(text: str) -> list[str]:
    return [w for w in text.split() if w]


def _sql_number(amount: Decimal) -> float:
    """A bound compared with a numeric expression. SQLite stores decimals as text, and a
    Decimal parameter is bound as text, which never compares as a number there; a float is
    compared numerically by both backends (PostgreSQL reads it back as the same decimal)."""
    return float(amount)


def numeric(column: str) -> Case:
    """A decimal column as a number in SQL (tortoise casts decimal columns inside `Case`)."""
    condition: dict[str, Any] = {f"{column}__isnull": False}
    return Case(When(Q(**condition), then=F(column)), default=F(column))


def final_price_expression(
    today: date, website_id: int = 0, group_id: int = NOT_LOGGED_IN_GROUP_ID
) -> RawSQL:
    """SQL for `engine.pricing.final` at one unit, as Magento's price index holds it: the lowest
    of the regular price, the special price valid `today`, the tier/group prices for qty 1 of
    `group_id` or ALL GROUPS on the website or all websites (none when the group is excluded on
    the website), and the catalog-rule price of `today` (`catalogrule_product_price`), rounded
    to cents. Only integers and a date are put in the text, so nothing needs quoting."""
    day = today.isoformat()
    website, group = int(website_id), int(group_id)
    product = "catalog_product_entity"
    price = f"CAST({product}.price AS NUMERIC)"
    return RawSQL(
        "(SELECT ROUND(MIN(candidates.amount), 2) FROM ("
        f"SELECT {price} AS amount"
        f" UNION ALL SELECT CAST({product}.special_price AS NUMERIC)"
        f" WHERE {product}.special_price IS NOT NULL"
        f" AND ({product}.special_from_date IS NULL OR {product}.special_from_date <= '{day}')"
        f" AND ({product}.special_to_date IS NULL OR {product}.special_to_date >= '{day}')"
        " UNION ALL SELECT CASE WHEN tp.percentage_value IS NULL"
        " THEN CAST(tp.value AS NUMERIC)"
        f" ELSE {price} * (100 - CAST(tp.percentage_value AS NUMERIC)) / 100.0 END"
        " FROM catalog_product_entity_tier_price tp"
        f" WHERE tp.entity_id = {product}.entity_id AND tp.website_id IN (0, {website})"
        f" AND (tp.all_groups OR tp.customer_group_id = {group})"
        " AND CAST(tp.qty AS NUMERIC) <= 1"
        " AND NOT EXISTS (SELECT 1 FROM customer_group_excluded_website xw"
        f" WHERE xw.customer_group_id = {group} AND xw.website_id = {website})"
        " UNION ALL SELECT CAST(rp.rule_price AS NUMERIC) FROM catalogrule_product_price rp"
        f" WHERE rp.product_id = {product}.entity_id AND rp.rule_date = '{day}'"
        f" AND rp.website_id = {website} AND rp.customer_group_id = {group}"
        ") AS candidates)"
    )


async def _descendants(category_ids: Sequence[int]) -> list[int]:
    """The categories and every category below them."""
    roots = await CatalogCategoryEntity.filter(entity_id__in=list(category_ids))
    if not roots:
        return []
    below_any = Q(*(Q(path__startswith=f"{root.path}/") for root in roots), join_type="OR")
    below = await _ints(CatalogCategoryEntity.filter(below_any).values_list("entity_id", flat=True))
    return sorted({r.entity_id for r in roots} | set(below))


def salable_children(website_id: int) -> QuerySet[CatalogProductEntity]:
    """Products a configurable can sell as one of its children: enabled, on the website, and
    not out of stock (`configurable.Variant.salable` in SQL)."""
    return CatalogProductEntity.filter(
        in_stock_filter(),
        status=ProductStatus.ENABLED,
        entity_id__in=Subquery(
            CatalogProductWebsite.filter(website_id=website_id).values("product_id")
        ),
    )


async def _attribute_filter(website_id: int, code: str, option_ids: tuple[int, ...]) -> Q:
    """Products holding one of these options of a select attribute, themselves or through a
    salable child (store 0 values); nothing for an attribute that is not a select."""
    attribute = await EavAttribute.get_or_none(
        entity_type_id=EntityType.CATALOG_PRODUCT,
        attribute_code=code,
        frontend_input=FrontendInput.SELECT,
    )
    if attribute is None or not option_ids:
        return Q(entity_id__in=[])
    holders = CatalogProductEntityInt.filter(
        attribute_id=attribute.attribute_id, store_id=0, value__in=list(option_ids)
    ).values("entity_id")
    children = salable_children(website_id).filter(entity_id__in=Subquery(holders))
    parents = CatalogProductSuperLink.filter(
        product_id__in=Subquery(children.values("entity_id"))
    ).values("parent_id")
    return Q(entity_id__in=Subquery(holders)) | Q(entity_id__in=Subquery(parents))


def in_stock_filter() -> Q:
    """Products that are not out of stock: without a managed stock item saying so."""
    return ~Q(
        entity_id__in=Subquery(
            CataloginventoryStockItem.filter(manage_stock=True, is_in_stock=False).values(
                "product_id"
            )
        )
    )


async def product_query(
    website_id: int,
    criteria: ProductSearch,
    today: date,
    group_id: int = NOT_LOGGED_IN_GROUP_ID,
    access: CatalogAccess | None = None,
    *,
    show_out_of_stock: bool = True,
    with_price: bool = False,
) -> tuple[QuerySet[CatalogProductEntity], list[int]]:
    """Every product the storefront `products` query matches (unordered, unpaginated), with
    the categories searched (the filter's and their descendants). `show_out_of_stock` is
    `cataloginventory/options/show_out_of_stock`; `with_price` annotates `final_price`."""
    visibility = (
        (Visibility.IN_SEARCH, Visibility.BOTH)
        if criteria.search
        else (Visibility.IN_CATALOG, Visibility.BOTH)
    )
    query: QuerySet[CatalogProductEntity] = CatalogProductEntity.filter(
        status=ProductStatus.ENABLED,
        visibility__in=visibility,
        entity_id__in=Subquery(
            CatalogProductWebsite.filter(website_id=website_id).values("product_id")
        ),
    )
    if not show_out_of_stock:
        query = query.filter(in_stock_filter())
    if criteria.match_nothing:
        query = query.filter(entity_id__in=[])
    if access is not None:  # category permissions: only products the shopper may browse
        query = access.restrict_products(query)
    for code, option_ids in criteria.attribute_options:
        query = query.filter(await _attribute_filter(website_id, code, option_ids))
    if criteria.skus is not None:
        query = query.filter(sku__in=list(criteria.skus))
    if criteria.url_keys is not None:
        query = query.filter(url_key__in=list(criteria.url_keys))
    if criteria.name is not None:
        for word in _words(criteria.name):
            query = query.filter(name__icontains=word)
    if criteria.search:
        for word in _words(criteria.search):
            query = query.filter(Q(name__icontains=word) | Q(sku__icontains=word))
    category_ids: list[int] = []
    if criteria.category_ids is not None:
        category_ids = await _descendants(criteria.category_ids)
        query = query.filter(
            entity_id__in=Subquery(
                CatalogCategoryProduct.filter(category_id__in=category_ids or [0]).values(
                    "product_id"
                )
            )
        )
    needs_price = with_price or criteria.price_from is not None or criteria.price_to is not None
    if needs_price:
        query = query.annotate(final_price=final_price_expression(today, website_id, group_id))
        if criteria.price_from is not None:
            query = query.filter(final_price__gte=_sql_number(criteria.price_from))
        if criteria.price_to is not None:
            query = query.filter(final_price__lte=_sql_number(criteria.price_to))
    return query, category_ids


async def search_products(
    website_id: int,
    criteria: ProductSearch,
    order: Sequence[ProductOrder],
    page: PageRequest,
    today: date,
    group_id: int = NOT_LOGGED_IN_GROUP_ID,
    access: CatalogAccess | None = None,
    *,
    show_out_of_stock: bool = True,
) -> Page[CatalogProductEntity]:
    """One page of the storefront `products` query (see `ProductSearch` for each filter), with
    prices (filter and sort) for a shopper of `group_id`; out-of-stock products only with
    `show_out_of_stock`.

    The default order is relevance then id when there is a text search, category position then
    id when filtering by category, and id otherwise; every order ends with the id, so pages are
    stable."""
    page.validate()
    query, category_ids = await product_query(
        website_id,
        criteria,
        today,
        group_id,
        access,
        show_out_of_stock=show_out_of_stock,
        with_price=any(o.field is ProductSortField.PRICE for o in order),
    )

    orderings: list[str] = []
    effective = list(order)
    if not effective:
        if criteria.search:
            effective = [ProductOrder(ProductSortField.RELEVANCE, descending=True)]
        elif category_ids:
            effective = [ProductOrder(ProductSortField.POSITION)]
    for item in effective:
        sign = "-" if item.descending else ""
        if item.field is ProductSortField.NAME:
            query = query.annotate(sort_name=Lower("name"))
            orderings.append(f"{sign}sort_name")
        elif item.field is ProductSortField.PRICE:
            orderings.append(f"{sign}final_price")
        elif item.field is ProductSortField.POSITION:
            if category_ids:
                ids = ",".join(str(int(i)) for i in category_ids)
                query = query.annotate(
                    sort_position=RawSQL(
                        "(SELECT MIN(ccp.position) FROM catalog_category_product ccp "
                        "WHERE ccp.product_id = catalog_product_entity.entity_id "
                        f"AND ccp.category_id IN ({ids}))"
                    )
                )
                orderings.append(f"{sign}sort_position")
        elif item.field is ProductSortField.RELEVANCE and criteria.search:
            text = criteria.search.strip()
            query = query.annotate(
                relevance=Case(
                    # constants as SQL: a bound parameter would be typed as text by PostgreSQL
                    When(Q(sku__iexact=text), then=RawSQL("3")),  # type: ignore[arg-type]
                    When(Q(name__iexact=text), then=RawSQL("2")),  # type: ignore[arg-type]
                    When(Q(name__istartswith=text), then=RawSQL("1")),  # type: ignore[arg-type]
                    default=RawSQL("0"),  # type: ignore[arg-type]
                )
            )
            orderings.append(f"{sign}relevance")
    orderings.append("entity_id")
    return await paginate(query.order_by(*orderings), page)


# --- category search ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CategorySearch:
    """What a storefront `categories` query asks for; `None` means "no such filter". With no
    filter at all, Magento answers with the store's root category.

    - `name`: every word must occur, case-insensitively, in the name.
    - `url_paths`: the url keys from below the root down to the category, joined by "/"."""

    ids: tuple[int, ...] | None = None
    parent_ids: tuple[int, ...] | None = None
    name: str | None = None
    url_keys: tuple[str, ...] | None = None
    url_paths: tuple[str, ...] | None = None

    @property
    def is_empty(self) -> bool:
        return all(
            v is None for v in (self.ids, self.parent_ids, self.name, self.url_keys, self.url_paths)
        )


async def store_root_category(group_id: int) -> CatalogCategoryEntity:
    """The root category of a store group (Default Category when it names none)."""
    group = await StoreGroup.get_or_none(group_id=group_id)
    root_id = group.root_category_id if group and group.root_category_id else DEFAULT_CATEGORY_ID
    return await CatalogCategoryEntity.get(entity_id=root_id)


def url_paths(
    categories: Sequence[CatalogCategoryEntity], root: CatalogCategoryEntity
) -> dict[int, str]:
    """Magento's `url_path` of each category below `root`: its ancestors' url keys and its own,
    from the root's children down."""
    keys = {c.entity_id: c.url_key or "" for c in categories}
    root_depth = len(root.path.split("/"))
    result: dict[int, str] = {}
    for category in categories:
        ids = [int(i) for i in category.path.split("/")][root_depth:]
        if ids and all(keys.get(i) for i in ids):
            result[category.entity_id] = "/".join(keys[i] for i in ids)
    return result


async def category_ids_by_url_path(group_id: int, paths: Sequence[str]) -> tuple[int, ...]:
    """The ids of the store's categories with these `url_path`s (`men/shirts`)."""
    root = await store_root_category(group_id)
    below = await CatalogCategoryEntity.filter(path__startswith=f"{root.path}/")
    wanted = set(paths)
    return tuple(sorted(i for i, p in url_paths(below, root).items() if p in wanted))


async def search_categories(
    group_id: int,
    criteria: CategorySearch,
    page: PageRequest,
    access: CatalogAccess | None = None,
) -> Page[CatalogCategoryEntity]:
    """One page of the store's active categories matching `criteria`, by level, position, id
    (only those the shopper may browse, with category permissions)."""
    page.validate()
    root = await store_root_category(group_id)
    query = CatalogCategoryEntity.filter(is_active=True)
    if access is not None:
        query = access.restrict_categories(query)
    if criteria.is_empty:
        query = query.filter(entity_id=root.entity_id)
    else:
        query = query.filter(Q(entity_id=root.entity_id) | Q(path__startswith=f"{root.path}/"))
    if criteria.ids is not None:
        query = query.filter(entity_id__in=list(criteria.ids))
    if criteria.parent_ids is not None:
        query = query.filter(parent_id__in=list(criteria.parent_ids))
    if criteria.name is not None:
        for word in _words(criteria.name):
            query = query.filter(name__icontains=word)
    if criteria.url_keys is not None:
        query = query.filter(url_key__in=list(criteria.url_keys))
    if criteria.url_paths is not None:
        below = await CatalogCategoryEntity.filter(path__startswith=f"{root.path}/")
        wanted = set(criteria.url_paths)
        matching = [i for i, p in url_paths(below, root).items() if p in wanted]
        query = query.filter(entity_id__in=matching or [0])
    return await paginate(query.order_by("level", "position", "entity_id"), page)


# --- admin: products ----------------------------------------------------------------------------


class Keep(Enum):
    """Marks a field an update leaves as it is (distinct from `None`, which clears it)."""

    KEEP = "keep"


KEEP = Keep.KEEP

SKU_MAX_LENGTH = 64
TAXABLE_GOODS_TAX_CLASS_ID = 2
PRODUCT_NOT_FOUND = (
    "The product that was requested doesn't exist. Verify the product and try again."
)
URL_KEY_TAKEN = "The value specified in the URL Key field would generate a URL that already exists."
DATES_OUT_OF_ORDER = "Make sure the To Date is later than or the same as the From Date."
NOT_NEGATIVE = "Please enter a number 0 or greater in this field."

# Magento's frontend labels, which its "must be set" and "isn't unique" messages name.
PRODUCT_LABELS = {"sku": "SKU", "name": "Product Name", "price": "Price"}
TEXT_LABELS = {"meta_title": "Meta Title", "meta_description": "Meta Description"}


@dataclass(frozen=True)
class ProductChanges:
    """What an admin sends for one product. `KEEP` leaves a value as it is; `None` clears a
    nullable one. Lists (websites, categories, custom attributes) replace what is stored;
    custom attributes replace only the codes they name."""

    sku: str | Keep = KEEP
    name: str | Keep = KEEP
    type_id: ProductType | Keep = KEEP
    attribute_set_id: int | Keep = KEEP
    url_key: str | Keep | None = KEEP
    price: Decimal | Keep = KEEP
    special_price: Decimal | Keep | None = KEEP
    special_from_date: date | Keep | None = KEEP
    special_to_date: date | Keep | None = KEEP
    weight: Decimal | Keep | None = KEEP
    visibility: Visibility | Keep = KEEP
    status: ProductStatus | Keep = KEEP
    tax_class_id: int | Keep | None = KEEP
    website_ids: tuple[int, ...] | Keep = KEEP
    category_ids: tuple[int, ...] | Keep = KEEP
    qty: Decimal | Keep = KEEP
    is_in_stock: bool | Keep = KEEP
    custom_attributes: tuple[AttributeValueData, ...] | Keep = KEEP
    # Magento_Catalog's text attributes (`product_attributes.TEXT_CODES`); None or "" clears one.
    description: str | Keep | None = KEEP
    short_description: str | Keep | None = KEEP
    meta_title: str | Keep | None = KEEP
    meta_keyword: str | Keep | None = KEEP
    meta_description: str | Keep | None = KEEP

    def texts(self) -> dict[str, str | None]:
        """The text attributes this change sets or clears."""
        return {
            code: value
            for code in product_attributes.TEXT_CODES
            if (value := getattr(self, code)) is not KEEP
        }


@dataclass(frozen=True)
class ProductDetails:
    """A product with what the admin sees beside its row."""

    product: CatalogProductEntity
    website_ids: tuple[int, ...]
    category_ids: tuple[int, ...]
    stock: CataloginventoryStockItem | None
    custom_attributes: tuple[StoredValue, ...]
    texts: dict[str, str]


def product_not_found(path: str = "uid") -> NoSuchEntity:
    return NoSuchEntity(Problem(ProblemCode.NOT_FOUND, PRODUCT_NOT_FOUND, path))


def format_url_key(text: str) -> str:
    """Magento's `Product\\Url::formatUrlKey`: lowercase ASCII words joined by hyphens."""
    spelled = text.replace("ß", "ss").replace("Æ", "AE").replace("æ", "ae").replace("ø", "o")
    ascii_text = unicodedata.normalize("NFKD", spelled).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


async def product_details(products: Sequence[CatalogProductEntity]) -> list[ProductDetails]:
    """Each product's websites, categories, stock, custom and text attributes, in six
    queries."""
    ids = [p.entity_id for p in products]
    websites: dict[int, list[int]] = defaultdict(list)
    for product_id, website_id in (
        await CatalogProductWebsite.filter(product_id__in=ids)
        .order_by("website_id")
        .values_list("product_id", "website_id")
    ):
        websites[product_id].append(website_id)
    categories: dict[int, list[int]] = defaultdict(list)
    for product_id, category_id in (
        await CatalogCategoryProduct.filter(product_id__in=ids)
        .order_by("category_id")
        .values_list("product_id", "category_id")
    ):
        categories[product_id].append(category_id)
    stock = {
        s.product_id: s  # type: ignore[attr-defined]
        for s in await CataloginventoryStockItem.filter(product_id__in=ids)
    }
    values = await attributes.load(EntityType.CATALOG_PRODUCT, ids)
    texts = await product_attributes.load_texts(ids)
    return [
        ProductDetails(
            p,
            tuple(websites[p.entity_id]),
            tuple(categories[p.entity_id]),
            stock.get(p.entity_id),
            tuple(values[p.entity_id]),
            texts[index],
        )
        for index, p in enumerate(products)
    ]


async def get_product(product_id: int) -> ProductDetails:
    row = await CatalogProductEntity.get_or_none(entity_id=product_id)
    if row is None:
        raise product_not_found()
    return (await product_details([row]))[0]


@dataclass(frozen=True)
class ProductFilter:
    """The admin's product list filter; `None` means "no such filter"."""

    skus: tuple[str, ...] | None = None
    sku_contains: str | None = None
    name_contains: str | None = None
    type_ids: tuple[ProductType, ...] | None = None
    statuses: tuple[ProductStatus, ...] | None = None
    price_from: Decimal | None = None
    price_to: Decimal | None = None
    category_ids: tuple[int, ...] | None = None
    website_ids: tuple[int, ...] | None = None


async def admin_products(filter_: ProductFilter, page: PageRequest) -> Page[CatalogProductEntity]:
    """One page of products by id; the price range filters the regular price and the category
    filter matches products assigned directly to one of the categories."""
    query = CatalogProductEntity.all()
    if filter_.skus is not None:
        query = query.filter(sku__in=list(filter_.skus))
    if filter_.sku_contains:
        query = query.filter(sku__icontains=filter_.sku_contains)
    if filter_.name_contains:
        query = query.filter(name__icontains=filter_.name_contains)
    if filter_.type_ids is not None:
        query = query.filter(type_id__in=list(filter_.type_ids))
    if filter_.statuses is not None:
        query = query.filter(status__in=list(filter_.statuses))
    if filter_.price_from is not None or filter_.price_to is not None:
        query = query.annotate(price_number=numeric("price"))
    if filter_.price_from is not None:
        query = query.filter(price_number__gte=_sql_number(filter_.price_from))
    if filter_.price_to is not None:
        query = query.filter(price_number__lte=_sql_number(filter_.price_to))
    if filter_.category_ids is not None:
        query = query.filter(
            entity_id__in=Subquery(
                CatalogCategoryProduct.filter(
                    category_id__in=list(filter_.category_ids) or [0]
                ).values("product_id")
            )
        )
    if filter_.website_ids is not None:
        query = query.filter(
            entity_id__in=Subquery(
                CatalogProductWebsite.filter(
                    website_id__in=list(filter_.website_ids) or [0]
                ).values("product_id")
            )
        )
    return await paginate(query.order_by("entity_id"), page)


@dataclass
class _Batch:
    """What validating a batch of product changes needs to know, loaded once."""

    existing_by_sku: dict[str, CatalogProductEntity]
    url_keys: dict[str, int]  # url key -> product id
    attribute_set_ids: set[int]
    website_ids: set[int]
    category_ids: set[int]
    tax_class_ids: set[int]


async def _batch_context(changes: Sequence[ProductChanges]) -> _Batch:
    skus = [c.sku for c in changes if isinstance(c.sku, str)]
    return _Batch(
        existing_by_sku={p.sku: p for p in await CatalogProductEntity.filter(sku__in=skus)},
        url_keys={
            key: product_id
            for product_id, key in await CatalogProductEntity.filter(
                url_key__isnull=False
            ).values_list("entity_id", "url_key")
        },
        attribute_set_ids=set(
            await _ints(
                EavAttributeSet.filter(entity_type_id=EntityType.CATALOG_PRODUCT).values_list(
                    "attribute_set_id", flat=True
                )
            )
        ),
        website_ids=set(
            await _ints(StoreWebsite.filter(website_id__gt=0).values_list("website_id", flat=True))
        ),
        category_ids=set(
            await _ints(
                CatalogCategoryEntity.filter(level__gte=1).values_list("entity_id", flat=True)
            )
        ),
        tax_class_ids=set(
            await _ints(TaxClass.filter(class_type="PRODUCT").values_list("class_id", flat=True))
        ),
    )


def _value(change: Any, current: Any) -> Any:
    return current if change is KEEP else change


@dataclass(frozen=True)
class _Planned:
    """One validated row: the product to update (None: create) and its parsed values."""

    changes: ProductChanges
    existing: CatalogProductEntity | None
    url_key: str | None
    values: list[ParsedValue]


async def _validate_products(
    items: Sequence[tuple[ProductChanges, CatalogProductEntity | None]],
    prefix: str,
    *,
    indexed: bool,
) -> tuple[list[_Planned], Problems]:
    """Validate a batch at once: `prefix`, the row index when `indexed`, and the field make each
    problem's path; skus and url keys must be unique within the batch and the catalog."""
    problems = Problems()
    context = await _batch_context([c for c, _ in items])
    planned: list[_Planned] = []
    batch_skus: dict[str, int] = {}
    batch_url_keys: dict[str, int] = {}
    for index, (changes, existing) in enumerate(items):
        where = f"{prefix}.{index}" if indexed else prefix
        creating = existing is None
        own_id = existing.entity_id if existing else None
        for field_name in ("sku", "name", "price"):
            value = getattr(changes, field_name)
            if (creating and value is KEEP) or (isinstance(value, str) and not value.strip()):
                problems.add(
                    ProblemCode.REQUIRED,
                    f'The value of attribute "{PRODUCT_LABELS[field_name]}" must be set',
                    f"{where}.{field_name}",
                )
        if isinstance(changes.sku, str) and changes.sku.strip():
            sku = changes.sku.strip()
            if len(sku) > SKU_MAX_LENGTH:
                problems.add(
                    ProblemCode.TOO_LONG,
                    f"SKU length should be {SKU_MAX_LENGTH} characters maximum.",
                    f"{where}.sku",
                )
            other = context.existing_by_sku.get(sku)
            if (other is not None and other.entity_id != own_id) or sku in batch_skus:
                problems.add(
                    ProblemCode.ALREADY_EXISTS,
                    'The value of the "SKU" attribute isn\'t unique',
                    f"{where}.sku",
                )
            batch_skus.setdefault(sku, index)
        if isinstance(changes.name, str) and len(changes.name.strip()) > 255:
            problems.add(
                ProblemCode.TOO_LONG,
                "Product Name length should be 255 characters maximum.",
                f"{where}.name",
            )
        for code in product_attributes.VARCHAR_TEXT_CODES:
            text = getattr(changes, code)
            if isinstance(text, str) and len(text) > 255:
                label = TEXT_LABELS[code]
                problems.add(
                    ProblemCode.TOO_LONG,
                    f"{label} length should be 255 characters maximum.",
                    f"{where}.{code}",
                )
        for field_name in ("price", "special_price", "weight"):
            value = getattr(changes, field_name)
            if isinstance(value, Decimal) and (not value.is_finite() or value < 0):
                problems.add(ProblemCode.INVALID, NOT_NEGATIVE, f"{where}.{field_name}")
        if isinstance(changes.qty, Decimal) and not changes.qty.is_finite():
            problems.add(
                ProblemCode.INVALID, "Please enter a valid number in this field.", f"{where}.qty"
            )
        start = _value(changes.special_from_date, existing.special_from_date if existing else None)
        end = _value(changes.special_to_date, existing.special_to_date if existing else None)
        if start is not None and end is not None and end < start:
            problems.add(ProblemCode.INVALID, DATES_OUT_OF_ORDER, f"{where}.special_to_date")
        # url key: given, kept, or made from the name on creation (as Magento does)
        url_key: str | None
        if changes.url_key is KEEP:
            url_key = (
                existing.url_key
                if existing
                else format_url_key(changes.name)
                if isinstance(changes.name, str)
                else None
            )
        else:
            url_key = None if changes.url_key is None else format_url_key(changes.url_key) or None
        if url_key is not None and (changes.url_key is not KEEP or creating):
            taken_by = context.url_keys.get(url_key)
            if (taken_by is not None and taken_by != own_id) or url_key in batch_url_keys:
                problems.add(ProblemCode.ALREADY_EXISTS, URL_KEY_TAKEN, f"{where}.url_key")
            batch_url_keys.setdefault(url_key, index)
        if isinstance(changes.attribute_set_id, int) and (
            changes.attribute_set_id not in context.attribute_set_ids
        ):
            problems.add(
                ProblemCode.NOT_FOUND,
                f'The attribute set with a "{changes.attribute_set_id}" ID doesn\'t exist. '
                "Verify the attributeSet and try again.",
                f"{where}.attribute_set_id",
            )
        if isinstance(changes.tax_class_id, int) and (
            changes.tax_class_id not in context.tax_class_ids
        ):
            problems.add(
                ProblemCode.NOT_FOUND,
                f"No such entity with class_id = {changes.tax_class_id}",
                f"{where}.tax_class_id",
            )
        if isinstance(changes.website_ids, tuple):
            for i, website_id in enumerate(changes.website_ids):
                if website_id not in context.website_ids:
                    problems.add(
                        ProblemCode.NOT_FOUND,
                        f"The website with id {website_id} that was requested wasn't found. "
                        "Verify the website and try again.",
                        f"{where}.website_uids.{i}",
                    )
        if isinstance(changes.category_ids, tuple):
            for i, category_id in enumerate(changes.category_ids):
                if category_id not in context.category_ids:
                    problems.add(
                        ProblemCode.NOT_FOUND,
                        f"No such entity with id = {category_id}",
                        f"{where}.category_uids.{i}",
                    )
        parsed: list[ParsedValue] = []
        if isinstance(changes.custom_attributes, tuple):
            parsed, found = await attributes.validate(
                EntityType.CATALOG_PRODUCT,
                changes.custom_attributes,
                f"{where}.custom_attributes",
                creating=creating,
            )
            problems.items.extend(found)
        elif creating:
            _, found = await attributes.validate(
                EntityType.CATALOG_PRODUCT, (), f"{where}.custom_attributes", creating=True
            )
            problems.items.extend(found)
        planned.append(_Planned(changes, existing, url_key, parsed))
    return planned, problems


_COLUMNS = (
    "type_id",
    "price",
    "special_price",
    "special_from_date",
    "special_to_date",
    "weight",
    "visibility",
    "status",
)


async def _write(plan: _Planned, default_website_id: int) -> int:
    """Write one validated row inside the caller's transaction; the product's id."""
    changes, product = plan.changes, plan.existing
    if product is None:
        product = CatalogProductEntity(
            attribute_set_id=DEFAULT_PRODUCT_ATTRIBUTE_SET_ID,
            tax_class_id=TAXABLE_GOODS_TAX_CLASS_ID,
        )
    if isinstance(changes.sku, str):
        product.sku = changes.sku.strip()
    if isinstance(changes.name, str):
        product.name = changes.name.strip()
    if isinstance(changes.attribute_set_id, int):
        product.attribute_set_id = changes.attribute_set_id
    if changes.tax_class_id is not KEEP:
        product.tax_class_id = changes.tax_class_id
    product.url_key = plan.url_key
    for column in _COLUMNS:
        value = getattr(changes, column)
        if value is not KEEP:
            setattr(product, column, value)
    creating = plan.existing is None
    await product.save()
    product_id = product.entity_id
    websites = changes.website_ids
    if creating and websites is KEEP:
        websites = (default_website_id,)
    if isinstance(websites, tuple):
        await (
            CatalogProductWebsite.filter(product_id=product_id)
            .exclude(website_id__in=list(websites))
            .delete()
        )
        have = set(
            await _ints(
                CatalogProductWebsite.filter(product_id=product_id).values_list(
                    "website_id", flat=True
                )
            )
        )
        for website_id in dict.fromkeys(websites):
            if website_id not in have:
                await CatalogProductWebsite.create(product_id=product_id, website_id=website_id)
    if isinstance(changes.category_ids, tuple):
        await (
            CatalogCategoryProduct.filter(product_id=product_id)
            .exclude(category_id__in=list(changes.category_ids))
            .delete()
        )
        have = set(
            await _ints(
                CatalogCategoryProduct.filter(product_id=product_id).values_list(
                    "category_id", flat=True
                )
            )
        )
        for category_id in dict.fromkeys(changes.category_ids):
            if category_id not in have:
                await CatalogCategoryProduct.create(category_id=category_id, product_id=product_id)
    stock = await CataloginventoryStockItem.get_or_none(product_id=product_id)
    if stock is None:
        stock = CataloginventoryStockItem(product_id=product_id, qty=Decimal(0), manage_stock=True)
    if isinstance(changes.qty, Decimal):
        stock.qty = changes.qty
    wanted = changes.is_in_stock if isinstance(changes.is_in_stock, bool) else True
    if isinstance(changes.is_in_stock, bool) or isinstance(changes.qty, Decimal) or creating:
        # Magento's `verifyStock`: managed stock without quantity is out of stock.
        stock.is_in_stock = wanted and (not stock.manage_stock or Decimal(stock.qty) > 0)
    await stock.save()
    if plan.values:
        await attributes.save(EntityType.CATALOG_PRODUCT, product_id, plan.values)
    if texts := changes.texts():
        await product_attributes.save_texts(product_id, texts)
    return product_id


async def _default_website_id() -> int:
    website = await StoreWebsite.filter(is_default=True).first()
    return website.website_id if website else 1


async def create_product(changes: ProductChanges) -> ProductDetails:
    async with in_transaction():
        planned, problems = await _validate_products([(changes, None)], "input", indexed=False)
        problems.raise_if_any()
        product_id = await _write(planned[0], await _default_website_id())
        await rule_index.reindex_products([product_id])  # catalog rules match it or not
        await targetrule_index.reindex_products([product_id])  # related product rules too
        await rewrites.refresh_products([product_id])
        touch(Topic.SEGMENTS)  # product attributes and categories conditions read
    return await get_product(product_id)


async def update_product(product_id: int, changes: ProductChanges) -> ProductDetails:
    async with in_transaction():
        existing = await CatalogProductEntity.get_or_none(entity_id=product_id)
        if existing is None:
            raise product_not_found()
        planned, problems = await _validate_products([(changes, existing)], "input", indexed=False)
        problems.raise_if_any()
        await _write(planned[0], await _default_website_id())
        await rule_index.reindex_products([product_id])
        await targetrule_index.reindex_products([product_id])
        await rewrites.refresh_products([product_id])
        touch(Topic.SEGMENTS)
    return await get_product(product_id)


async def delete_product(product_id: int) -> CatalogProductEntity:
    """Delete a product; its links, stock and attribute values go with it (cascades)."""
    async with in_transaction():
        existing = await CatalogProductEntity.get_or_none(entity_id=product_id)
        if existing is None:
            raise product_not_found()
        await existing.delete()
        await rewrites.remove(UrlEntityType.PRODUCT, [product_id])
        touch(Topic.SEGMENTS)
    return existing


async def upsert_products(rows: Sequence[ProductChanges]) -> list[ProductDetails]:
    """Create or update each row by sku in one transaction. Every row is validated first
    (problems carry `input.<index>`); if any row is bad, nothing is written."""
    async with in_transaction():
        skus = [r.sku.strip() for r in rows if isinstance(r.sku, str)]
        existing = {p.sku: p for p in await CatalogProductEntity.filter(sku__in=skus)}
        items = [(r, existing.get(r.sku.strip()) if isinstance(r.sku, str) else None) for r in rows]
        planned, problems = await _validate_products(items, "input", indexed=True)
        problems.raise_if_any()
        default_website = await _default_website_id()
        ids = [await _write(plan, default_website) for plan in planned]
        await rule_index.reindex_products(ids)
        await targetrule_index.reindex_products(ids)
        await rewrites.refresh_products(ids)
        touch(Topic.SEGMENTS)
    products = {p.entity_id: p for p in await CatalogProductEntity.filter(entity_id__in=ids)}
    return await product_details([products[i] for i in ids])


# --- admin: categories --------------------------------------------------------------------------

CATEGORY_URL_KEY_TAKEN = "URL key for specified store already exists."
PARENT_NOT_FOUND = "Sorry, but we can't find the new parent category you selected."
MOVE_INTO_CHILD = "Operation do not allow to move a parent category to any of children category"
ROOT_NOT_DELETABLE = "Can't delete root category."


@dataclass(frozen=True)
class CategoryChanges:
    """What an admin sends for a category; `KEEP` leaves a value as it is. A new `parent_id`
    moves the category with its subtree; `position` None means last among its siblings."""

    name: str | Keep = KEEP
    parent_id: int | Keep = KEEP
    position: int | Keep | None = KEEP
    url_key: str | Keep | None = KEEP
    is_active: bool | Keep = KEEP
    include_in_menu: bool | Keep = KEEP
    # Display columns: None clears one; `display_mode` is PRODUCTS, PAGE or PRODUCTS_AND_PAGE.
    description: str | Keep | None = KEEP
    image: str | Keep | None = KEEP
    display_mode: str | Keep = KEEP
    meta_title: str | Keep | None = KEEP
    meta_keywords: str | Keep | None = KEEP
    meta_description: str | Keep | None = KEEP
    landing_page: int | Keep | None = KEEP


DISPLAY_MODES = ("PRODUCTS", "PAGE", "PRODUCTS_AND_PAGE")
DISPLAY_COLUMNS = (
    "description",
    "image",
    "display_mode",
    "meta_title",
    "meta_keywords",
    "meta_description",
    "landing_page",
)


def _display_problems(changes: CategoryChanges) -> list[Problem]:
    if isinstance(changes.display_mode, str) and changes.display_mode not in DISPLAY_MODES:
        return [
            Problem(
                ProblemCode.INVALID,
                f"The display mode must be one of {', '.join(DISPLAY_MODES)}.",
                "input.display_mode",
            )
        ]
    return []


def _apply_display(row: CatalogCategoryEntity, changes: CategoryChanges) -> None:
    for column in DISPLAY_COLUMNS:
        value = getattr(changes, column)
        if value is not KEEP:
            setattr(row, column, value)


def category_not_found(category_id: int, path: str = "uid") -> NoSuchEntity:
    return NoSuchEntity(
        Problem(ProblemCode.NOT_FOUND, f"No such entity with id = {category_id}", path)
    )


async def get_category(category_id: int) -> CatalogCategoryEntity:
    row = await CatalogCategoryEntity.get_or_none(entity_id=category_id)
    if row is None:
        raise category_not_found(category_id)
    return row


async def category_tree(root_id: int) -> list[CatalogCategoryEntity]:
    """A category and everything below it, active or not, parents before children."""
    root = await get_category(root_id)
    below = await CatalogCategoryEntity.filter(path__startswith=f"{root.path}/").order_by(
        "level", "position", "entity_id"
    )
    return [root, *below]


async def load_all_children(category_ids: Sequence[int]) -> list[list[CatalogCategoryEntity]]:
    """DataLoader batch: each category's children, active or not, by position."""
    rows = await CatalogCategoryEntity.filter(parent_id__in=list(category_ids)).order_by(
        "position", "entity_id"
    )
    by_parent: dict[int, list[CatalogCategoryEntity]] = defaultdict(list)
    for row in rows:
        by_parent[row.parent_id].append(row)
    return [by_parent.get(category_id, []) for category_id in category_ids]


async def load_product_counts(category_ids: Sequence[int]) -> list[int]:
    """DataLoader batch: how many products are assigned directly to each category."""
    counts: dict[int, int] = defaultdict(int)
    for category_id in await _ints(
        CatalogCategoryProduct.filter(category_id__in=list(category_ids)).values_list(
            "category_id", flat=True
        )
    ):
        counts[category_id] += 1
    return [counts[category_id] for category_id in category_ids]


async def _forbidden_to_delete() -> set[int]:
    """Magento's `isForbiddenToDelete`: the tree root and every store group's root."""
    roots = await _ints(StoreGroup.all().values_list("root_category_id", flat=True))
    return {ROOT_CATEGORY_ID, *(r for r in roots if r)}


async def _validate_category(
    changes: CategoryChanges, existing: CatalogCategoryEntity | None
) -> tuple[CatalogCategoryEntity | None, str | None, Problems]:
    """The new parent (when it changes), the url key to store, and every problem."""
    problems = Problems()
    if (existing is None and changes.name is KEEP) or (
        isinstance(changes.name, str) and not changes.name.strip()
    ):
        problems.add(
            ProblemCode.REQUIRED, 'The value of attribute "Name" must be set', "input.name"
        )
    elif isinstance(changes.name, str) and len(changes.name.strip()) > 255:
        problems.add(
            ProblemCode.TOO_LONG, "Name length should be 255 characters maximum.", "input.name"
        )
    parent: CatalogCategoryEntity | None = None
    parent_id = changes.parent_id
    if existing is None and parent_id is KEEP:
        parent_id = DEFAULT_CATEGORY_ID
    if isinstance(parent_id, int) and (existing is None or parent_id != existing.parent_id):
        parent = await CatalogCategoryEntity.get_or_none(entity_id=parent_id)
        if parent is None:
            problems.add(ProblemCode.NOT_FOUND, PARENT_NOT_FOUND, "input.parent_uid")
        elif existing is not None and (
            parent.entity_id == existing.entity_id or parent.path.startswith(f"{existing.path}/")
        ):
            problems.add(ProblemCode.INVALID, MOVE_INTO_CHILD, "input.parent_uid")
            parent = None
    if isinstance(changes.position, int) and changes.position < 0:
        problems.add(ProblemCode.INVALID, NOT_NEGATIVE, "input.position")
    url_key: str | None
    if changes.url_key is KEEP:
        url_key = (
            existing.url_key
            if existing
            else format_url_key(changes.name)
            if isinstance(changes.name, str)
            else None
        )
    else:
        url_key = None if changes.url_key is None else format_url_key(changes.url_key) or None
    parent_after = (
        parent.entity_id if parent else existing.parent_id if existing else DEFAULT_CATEGORY_ID
    )
    if url_key is not None:
        taken = CatalogCategoryEntity.filter(parent_id=parent_after, url_key=url_key)
        if existing is not None:
            taken = taken.exclude(entity_id=existing.entity_id)
        if await taken.exists():
            problems.add(ProblemCode.ALREADY_EXISTS, CATEGORY_URL_KEY_TAKEN, "input.url_key")
    return parent, url_key, problems


async def _adjust_children_count(path: str, delta: int) -> None:
    """Magento's `children_count` counts every descendant: change it on each ancestor in
    `path` (a path of ids, the category itself excluded by the caller)."""
    ids = [int(i) for i in path.split("/") if i]
    if ids and delta:
        await CatalogCategoryEntity.filter(entity_id__in=ids).update(
            children_count=F("children_count") + delta
        )


async def _next_position(parent_id: int) -> int:
    last = await CatalogCategoryEntity.filter(parent_id=parent_id).order_by("-position").first()
    return 1 if last is None else last.position + 1


async def create_category(changes: CategoryChanges) -> CatalogCategoryEntity:
    async with in_transaction():
        parent, url_key, problems = await _validate_category(changes, None)
        problems.items.extend(_display_problems(changes))
        problems.raise_if_any()
        assert parent is not None
        assert isinstance(changes.name, str)
        position = changes.position if isinstance(changes.position, int) else None
        row = await CatalogCategoryEntity.create(
            parent_id=parent.entity_id,
            path=parent.path,  # completed below, once the id is known
            level=parent.level + 1,
            position=position if position is not None else await _next_position(parent.entity_id),
            name=changes.name.strip(),
            url_key=url_key,
            is_active=changes.is_active if isinstance(changes.is_active, bool) else True,
            include_in_menu=changes.include_in_menu
            if isinstance(changes.include_in_menu, bool)
            else True,
        )
        row.path = f"{parent.path}/{row.entity_id}"
        row.display_mode = "PRODUCTS"
        _apply_display(row, changes)
        await row.save(update_fields=["path", *DISPLAY_COLUMNS])
        await _adjust_children_count(parent.path, 1)
        await rewrites.refresh_categories([row.entity_id])
        touch(Topic.SEGMENTS)  # category conditions read the tree
    return await get_category(row.entity_id)


async def update_category(category_id: int, changes: CategoryChanges) -> CatalogCategoryEntity:
    """Change a category; a new parent moves it with its subtree (paths and levels rewritten,
    `children_count` moved from the old ancestors to the new ones)."""
    async with in_transaction():
        row = await get_category(category_id)
        if row.entity_id == ROOT_CATEGORY_ID and changes.parent_id is not KEEP:
            raise InputInvalid(Problem(ProblemCode.PROTECTED, MOVE_INTO_CHILD, "input.parent_uid"))
        parent, url_key, problems = await _validate_category(changes, row)
        problems.items.extend(_display_problems(changes))
        problems.raise_if_any()
        _apply_display(row, changes)
        if isinstance(changes.name, str):
            row.name = changes.name.strip()
        row.url_key = url_key
        if isinstance(changes.is_active, bool):
            row.is_active = changes.is_active
        if isinstance(changes.include_in_menu, bool):
            row.include_in_menu = changes.include_in_menu
        if parent is not None:
            subtree = row.children_count + 1
            old_path, old_level = row.path, row.level
            await _adjust_children_count(old_path.rsplit("/", 1)[0], -subtree)
            new_path = f"{parent.path}/{row.entity_id}"
            level_delta = parent.level + 1 - old_level
            for child in await CatalogCategoryEntity.filter(path__startswith=f"{old_path}/"):
                child.path = new_path + child.path[len(old_path) :]
                child.level += level_delta
                await child.save(update_fields=["path", "level"])
            row.parent_id = parent.entity_id
            row.path, row.level = new_path, parent.level + 1
            await _adjust_children_count(parent.path, subtree)
            if changes.position is KEEP:
                row.position = await _next_position(parent.entity_id)
        if changes.position is not KEEP:
            row.position = (
                changes.position
                if isinstance(changes.position, int)
                else await _next_position(row.parent_id)
            )
        await row.save()
        await rewrites.refresh_categories([category_id])  # its subtree's URLs move with it
        touch(Topic.SEGMENTS)
    return await get_category(category_id)


async def delete_category(category_id: int) -> list[int]:
    """Delete a category with its whole subtree (product links go with them); the ids deleted,
    the category's first. Roots of the tree and of store groups cannot be deleted."""
    async with in_transaction():
        row = await get_category(category_id)
        if row.entity_id in await _forbidden_to_delete():
            raise InputInvalid(Problem(ProblemCode.PROTECTED, ROOT_NOT_DELETABLE, "uid"))
        below = await _ints(
            CatalogCategoryEntity.filter(path__startswith=f"{row.path}/")
            .order_by("level", "position", "entity_id")
            .values_list("entity_id", flat=True)
        )
        ids = [row.entity_id, *below]
        linked = await _ints(
            CatalogCategoryProduct.filter(category_id__in=ids)
            .distinct()
            .values_list("product_id", flat=True)
        )
        await CatalogCategoryEntity.filter(entity_id__in=ids).delete()
        await rewrites.remove(UrlEntityType.CATEGORY, ids)
        await rule_index.reindex_products(linked)  # catalog rules on categories
        await targetrule_index.reindex_products(linked)
        await _adjust_children_count(row.path.rsplit("/", 1)[0], -len(ids))
        touch(Topic.SEGMENTS)
    return ids
