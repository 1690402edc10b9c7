"""The shop the activity happens in: the demo catalog (created on the first load, recognised by
its SKUs afterwards), the brand and color product attributes, and a tax rule linking Magento's
sample CA and NY rates to Retail Customer and Taxable Goods. Then everything the generator needs
is read back, so a later load draws from the catalog as it is, admin edits included."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from models import (
    BackendType,
    CatalogCategoryEntity,
    CatalogEavAttribute,
    CatalogProductEntity,
    CatalogProductSuperLink,
    CatalogProductWebsite,
    CustomerGroup,
    EavAttribute,
    EavAttributeOption,
    EavAttributeOptionSwatch,
    EavAttributeOptionValue,
    EntityType,
    FrontendInput,
    ProductStatus,
    SalesOrderStatusState,
    SwatchType,
    TaxCalculation,
    TaxCalculationRate,
    TaxClass,
    Visibility,
)
from models.catalog import DEFAULT_CATEGORY_ID
from models.groups import RETAIL_CUSTOMER_TAX_CLASS_ID
from seeds import catalog as demo
from seeds import tables
from seeds.activity import Product, Shop
from seeds.promotions import ensure_promotions
from seeds.structure import Catalog
from seeds.writers import after, writer

# Magento's sample rates (`tax_calculation_rate` rows 1 and 2): US-CA and US-NY.
SAMPLE_RATE_IDS = (1, 2)


@dataclass(frozen=True)
class ProductAttributeSpec:
    code: str
    label: str
    position: int
    options: tuple[str, ...]
    swatches: tuple[str, ...] = ()
    """A swatch per option: hex colors are color swatches, anything else text swatches."""


PRODUCT_ATTRIBUTES = (
    ProductAttributeSpec("brand", "Brand", 10, demo.BRANDS),
    ProductAttributeSpec("color", "Color", 20, demo.COLORS, demo.COLOR_HEX),
    ProductAttributeSpec("size", "Size", 30, demo.SIZES, demo.SIZES),
)


@dataclass(frozen=True)
class CatalogReport:
    created: bool
    products: int
    categories: int


async def _product_attribute(spec: ProductAttributeSpec) -> tuple[int, tuple[int, ...]]:
    """The attribute's id and its option ids in `spec.options` order (missing ones added)."""
    attribute = await EavAttribute.get_or_none(
        entity_type_id=EntityType.CATALOG_PRODUCT, attribute_code=spec.code
    )
    if attribute is None:
        attribute = await EavAttribute.create(
            entity_type_id=EntityType.CATALOG_PRODUCT,
            attribute_code=spec.code,
            backend_type=BackendType.INT,
            frontend_input=FrontendInput.SELECT,
            frontend_label=spec.label,
            is_required=False,
            is_user_defined=True,
        )
    await CatalogEavAttribute.get_or_create(
        attribute_id=attribute.attribute_id,
        defaults={
            "is_used_for_promo_rules": True,
            "is_filterable": True,
            "is_searchable": True,
            "used_in_product_listing": True,
            "is_visible_on_front": True,
            "position": spec.position,
        },
    )
    labels = await EavAttributeOptionValue.filter(
        option__attribute_id=attribute.attribute_id, store_id=0
    ).values_list("value", "option_id")
    by_label = {str(label): int(option_id) for label, option_id in labels}
    for position, label in enumerate(spec.options):
        if label not in by_label:
            option = await EavAttributeOption.create(attribute=attribute, sort_order=position)
            await EavAttributeOptionValue.create(option=option, store_id=0, value=label)
            by_label[label] = option.option_id
            if spec.swatches:
                swatch = spec.swatches[position]
                await EavAttributeOptionSwatch.create(
                    option_id=option.option_id,
                    store_id=0,
                    type=SwatchType.COLOR if swatch.startswith("#") else SwatchType.TEXT,
                    value=swatch,
                )
    return attribute.attribute_id, tuple(by_label[label] for label in spec.options)


async def _tax_rule() -> None:
    """Retail Customer x Taxable Goods pays the sample rates (where the rows exist)."""
    classes = set(
        await TaxClass.filter(
            class_id__in=[RETAIL_CUSTOMER_TAX_CLASS_ID, demo.TAXABLE_GOODS_CLASS_ID]
        ).values_list("class_id", flat=True)
    )
    if len(classes) < 2:
        return
    for rate_id in await TaxCalculationRate.filter(
        tax_calculation_rate_id__in=SAMPLE_RATE_IDS
    ).values_list("tax_calculation_rate_id", flat=True):
        await TaxCalculation.get_or_create(
            tax_calculation_rate_id=rate_id,
            customer_tax_class_id=RETAIL_CUSTOMER_TAX_CLASS_ID,
            product_tax_class_id=demo.TAXABLE_GOODS_CLASS_ID,
        )


async def _create_catalog(seed: int, catalog: Catalog, *, today: date, loaded_at: datetime) -> bool:
    """Writes the demo catalog unless one of its SKUs is already there."""
    if await CatalogProductEntity.filter(sku__in=demo.SKUS).exists():
        return False
    parent = await CatalogCategoryEntity.get(entity_id=DEFAULT_CATEGORY_ID)
    siblings: list[int] = await CatalogCategoryEntity.filter(
        parent_id=parent.entity_id
    ).values_list("position", flat=True)  # type: ignore[assignment]
    brand_id, brand_options = await _product_attribute(PRODUCT_ATTRIBUTES[0])
    color_id, color_options = await _product_attribute(PRODUCT_ATTRIBUTES[1])
    size_id, size_options = await _product_attribute(PRODUCT_ATTRIBUTES[2])
    text_ids = await EavAttribute.filter(
        entity_type_id=EntityType.CATALOG_PRODUCT,
        attribute_code__in=["description", "short_description", "meta_description"],
        is_user_defined=False,
    ).values_list("attribute_code", "attribute_id")
    plan = demo.CatalogPlan(
        first_category_id=await after(tables.CATEGORIES),
        first_product_id=await after(tables.PRODUCTS),
        parent_id=parent.entity_id,
        parent_path=parent.path,
        parent_level=parent.level,
        first_position=max((int(p) for p in siblings), default=0) + 1,
        website_ids=(catalog.base.website_id, catalog.wholesale.website_id),
        brand_id=brand_id,
        brand_options=brand_options,
        color_id=color_id,
        color_options=color_options,
        size_id=size_id,
        size_options=size_options,
        text_attribute_ids=tuple(sorted((str(c), int(i)) for c, i in text_ids)),
    )
    await writer().write(demo.catalog_batch(seed, plan, today=today, loaded_at=loaded_at))
    # Magento's children_count counts every descendant, so every ancestor grows.
    ancestors = [int(part) for part in parent.path.split("/")]
    await CatalogCategoryEntity.filter(entity_id__in=ancestors).update(
        children_count=F("children_count") + demo.CATEGORY_COUNT
    )
    return True


def _cents(amount: Decimal | None) -> int | None:
    if amount is None:
        return None
    return int((Decimal(amount) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


async def _products() -> dict[int, tuple[Product, ...]]:
    """Enabled products visible in the catalog, per website."""
    links = (
        await CatalogProductWebsite.filter(
            product__status=ProductStatus.ENABLED,
            product__visibility__not=Visibility.NOT_VISIBLE,
        )
        .order_by("product_id")
        .values_list("website_id", "product_id")
    )
    # The generated history buys a configurable product as its first child (the parent's own
    # color in the smallest size, at the parent's price), the simple product a cart line sells.
    first_child: dict[int, int] = {}
    for child_id, parent_id in (
        await CatalogProductSuperLink.all()
        .order_by("-product_id")
        .values_list("product_id", "parent_id")
    ):
        first_child[int(parent_id)] = int(child_id)
    wanted = sorted({int(product_id) for _, product_id in links})
    rows = {
        p.entity_id: p
        for p in await CatalogProductEntity.filter(
            entity_id__in=wanted + [first_child[w] for w in wanted if w in first_child]
        )
    }
    products = {
        product_id: _product(rows[first_child.get(product_id, product_id)]) for product_id in wanted
    }
    by_website: dict[int, list[Product]] = {}
    for website_id, product_id in links:
        by_website.setdefault(int(website_id), []).append(products[int(product_id)])
    return {website_id: tuple(items) for website_id, items in by_website.items()}


def _product(p: CatalogProductEntity) -> Product:
    return Product(
        product_id=p.entity_id,
        sku=p.sku,
        name=p.name,
        price=_cents(p.price) or 0,
        special_price=_cents(p.special_price),
        special_from=p.special_from_date,
        special_to=p.special_to_date,
        weight=Decimal(p.weight) if p.weight is not None else None,
        tax_class_id=p.tax_class_id,  # type: ignore[attr-defined]
    )


async def _tax_rates() -> dict[tuple[int, int, int], int]:
    rows = await TaxCalculation.filter(
        tax_calculation_rate__tax_country_id="US", tax_calculation_rate__tax_postcode="*"
    ).values_list(
        "customer_tax_class_id",
        "product_tax_class_id",
        "tax_calculation_rate__tax_region_id",
        "tax_calculation_rate__rate",
    )
    return {
        (int(customer), int(product), int(region)): int(Decimal(rate) * 10_000)
        for customer, product, region, rate in rows
    }


async def ensure_shop(
    seed: int, catalog: Catalog, *, today: date, loaded_at: datetime
) -> tuple[Shop, CatalogReport]:
    async with in_transaction():
        created = await _create_catalog(seed, catalog, today=today, loaded_at=loaded_at)
        for spec in PRODUCT_ATTRIBUTES:
            await _product_attribute(spec)
        await _tax_rule()
    if created:
        await ensure_promotions(catalog, today)
    statuses = await SalesOrderStatusState.filter(is_default=True).values_list("state", "status_id")
    shop = Shop(
        products=await _products(),
        group_tax_classes={
            int(group_id): int(class_id)
            for group_id, class_id in await CustomerGroup.all().values_list(
                "customer_group_id", "tax_class_id"
            )
        },
        tax_rates=await _tax_rates(),
        statuses={str(state): str(status) for state, status in statuses},
    )
    report = CatalogReport(
        created=created,
        # Products as a shopper counts them: a configurable's children are not more products.
        products=await CatalogProductEntity.all().count()
        - await CatalogProductSuperLink.all().count(),
        categories=await CatalogCategoryEntity.filter(level__gte=2).count(),
    )
    return shop, report
