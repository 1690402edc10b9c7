"""Configurable products on the storefront: `ConfigurableProduct` with its options, swatches and
variants, and the selected options of a configurable cart line or wish list item.

The configuration of every parent in an answer is loaded in one batch
(`engine.configurable.load_configurations`); the children's prices go through the catalog's
pricing loader (`final.price_book`), so a listing of configurables costs a fixed number of
queries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

import strawberry
from strawberry.dataloader import DataLoader

from engine import catalog, configurable
from engine.configurable import Configuration, OptionValue
from graph import permissions
from graph.catalog import (
    HIDDEN_PRICE_RANGE,
    CatalogLoaders,
    PhysicalProductInterface,
    PriceRange,
    ProductInterface,
    ProductPrice,
    ProductPrices,
    ProductStockStatus,
    RoutableProduct,
    SimpleProduct,
    price_range_of,
    product_of,
)
from graph.context import Context, Info
from graph.errors import UserError
from graph.limits import SKU, SMALLINT, length
from graph.media import MediaGalleryInterface, media_gallery
from graph.uids import encode_uid
from models import CatalogProductEntity, SwatchType

SWATCH_IMAGE = "/media/attribute/swatch/swatch_image/30x20"
SWATCH_THUMB = "/media/attribute/swatch/swatch_thumb/110x90"


class ConfigurableLoaders:
    """Per-request loaders: each parent's configuration for the request's store view."""

    def __init__(self, context: Context) -> None:
        async def load(parent_ids: list[int]) -> list[Configuration]:
            store = await context.store()
            return await configurable.load_configurations(
                parent_ids, store.store_id, store.website.website_id
            )

        self.configuration: DataLoader[int, Configuration] = DataLoader(load_fn=load)


async def configuration(info: Info, parent_id: int) -> Configuration:
    return await info.context.loaders_for(ConfigurableLoaders).configuration.load(parent_id)


# --- swatches ------------------------------------------------------------------------------------


@strawberry.interface(description="Swatch data of a configurable option value.")
class SwatchDataInterface:
    value: str | None = strawberry.field(
        description="The value can be represented as color (HEX code), image link, or text."
    )


@strawberry.type(description="An image swatch.")
class ImageSwatchData(SwatchDataInterface):
    thumbnail: str | None = strawberry.field(
        description="The URL assigned to the thumbnail of the swatch image."
    )


@strawberry.type(description="A text swatch.")
class TextSwatchData(SwatchDataInterface):
    pass


@strawberry.type(description="A color swatch.")
class ColorSwatchData(SwatchDataInterface):
    pass


def swatch_of(value: OptionValue) -> SwatchDataInterface | None:
    swatch = value.swatch
    if swatch is None:
        return None
    if swatch.type is SwatchType.COLOR:
        return ColorSwatchData(value=swatch.value)
    if swatch.type is SwatchType.IMAGE:
        path = swatch.value or ""
        return ImageSwatchData(value=f"{SWATCH_IMAGE}{path}", thumbnail=f"{SWATCH_THUMB}{path}")
    return TextSwatchData(value=swatch.value)


# --- options and variants ------------------------------------------------------------------------


@strawberry.type(description="Contains the index number assigned to a configurable product option.")
class ConfigurableProductOptionsValues:
    default_label: str | None = strawberry.field(
        description="The label of the product on the default store."
    )
    label: str | None = strawberry.field(description="The label of the product.")
    store_label: str | None = strawberry.field(
        description="The label of the product on the current store."
    )
    swatch_data: SwatchDataInterface | None = strawberry.field(
        description="Swatch data for a configurable product option."
    )
    uid: strawberry.ID | None = strawberry.field(
        description="The unique ID for a `ConfigurableProductOptionsValues` object."
    )
    use_default_value: bool | None = strawberry.field(
        description="Indicates whether to use the default_label."
    )
    value_index: int | None = strawberry.field(
        description="A unique index number assigned to the configurable product option.",
        deprecation_reason="Use `uid` instead.",
    )

    @classmethod
    def of(cls, value: OptionValue) -> ConfigurableProductOptionsValues:
        return cls(
            default_label=value.default_label,
            label=value.store_label,
            store_label=value.store_label,
            swatch_data=swatch_of(value),
            uid=strawberry.ID(value.uid),
            use_default_value=True,
            value_index=value.value_index,
        )


@strawberry.type(description="Defines configurable attributes for the specified product.")
class ConfigurableProductOptions:
    attribute_code: str | None = strawberry.field(
        description="A string that identifies the attribute."
    )
    attribute_id: str | None = strawberry.field(
        description="The ID assigned to the attribute.",
        deprecation_reason="Use `attribute_uid` instead.",
    )
    attribute_id_v2: int | None = strawberry.field(
        description="The ID assigned to the attribute.",
        deprecation_reason="Use `attribute_uid` instead.",
    )
    attribute_uid: strawberry.ID = strawberry.field(
        description="The unique ID for an `Attribute` object."
    )
    id: int | None = strawberry.field(
        description="The configurable option ID number assigned by the system.",
        deprecation_reason="Use `uid` instead.",
    )
    label: str | None = strawberry.field(
        description="A displayed string that describes the configurable product option."
    )
    position: int | None = strawberry.field(
        description="A number that indicates the order in which the attribute is displayed."
    )
    product_id: int | None = strawberry.field(
        description="This is the same as a product's `id` field.",
        deprecation_reason="`product_id` is not needed and can be obtained from its parent.",
    )
    uid: strawberry.ID = strawberry.field(
        description="The unique ID for a `ConfigurableProductOptions` object."
    )
    use_default: bool | None = strawberry.field(
        description="Indicates whether the option is the default."
    )
    values: list[ConfigurableProductOptionsValues | None] | None = strawberry.field(
        description="An array that defines the `value_index` codes assigned to the configurable "
        "product."
    )

    @classmethod
    def of(
        cls, attribute: configurable.ConfigurableAttribute, parent_id: int
    ) -> ConfigurableProductOptions:
        return cls(
            attribute_code=attribute.attribute_code,
            attribute_id=str(attribute.attribute_id),
            attribute_id_v2=attribute.attribute_id,
            attribute_uid=strawberry.ID(encode_uid(attribute.attribute_id)),
            id=attribute.product_super_attribute_id,
            label=attribute.label,
            position=attribute.position,
            product_id=parent_id,
            uid=strawberry.ID(encode_uid(attribute.product_super_attribute_id)),
            use_default=attribute.use_default,
            values=[ConfigurableProductOptionsValues.of(v) for v in attribute.values],
        )


@strawberry.type(description="Contains details about a configurable product attribute option.")
class ConfigurableAttributeOption:
    code: str | None = strawberry.field(description="The ID assigned to the attribute.")
    label: str | None = strawberry.field(
        description="A string that describes the configurable attribute option."
    )
    uid: strawberry.ID = strawberry.field(
        description="The unique ID for a `ConfigurableAttributeOption` object."
    )
    value_index: int | None = strawberry.field(
        description="A unique index number assigned to the configurable product option."
    )


@strawberry.type(description="Contains all the simple product variants of a configurable product.")
class ConfigurableVariant:
    attributes: list[ConfigurableAttributeOption | None] | None = strawberry.field(
        description="An array of configurable attribute options."
    )
    product: SimpleProduct | None = strawberry.field(
        description="An array of linked simple products."
    )


def _simple(variant: configurable.Variant) -> SimpleProduct | None:
    product = product_of(variant.product)
    return product if isinstance(product, SimpleProduct) else None


def variant_of(config: Configuration, variant: configurable.Variant) -> ConfigurableVariant:
    attributes: list[ConfigurableAttributeOption | None] = []
    for attribute in config.attributes:
        index = variant.options.get(attribute.attribute_id)
        if index is None:
            continue
        value = config.option_label(attribute.attribute_id, index)
        attributes.append(
            ConfigurableAttributeOption(
                code=attribute.attribute_code,
                label=value.store_label if value is not None else None,
                uid=strawberry.ID(configurable.option_uid(attribute.attribute_id, index)),
                value_index=index,
            )
        )
    return ConfigurableVariant(attributes=attributes, product=_simple(variant))


async def _selection_media(
    root: ConfigurableProductOptionsSelection, info: Info
) -> list[MediaGalleryInterface | None] | None:
    """Magento's `SelectionMediaGallery`: the gallery of every buyable child the selection
    narrows to, child by child, an image shown once (same file at the same position)."""
    seen: set[tuple[str | None, int | None]] = set()
    result: list[MediaGalleryInterface | None] = []
    for product in root.products:
        for image in await media_gallery(info, product):
            key = (image.url, image.position)
            if key not in seen:
                seen.add(key)
                result.append(image)
    return result


@strawberry.type(
    description="Contains metadata corresponding to the selected configurable options."
)
class ConfigurableProductOptionsSelection:
    # The buyable children carrying every selected option value (all of them with no selection).
    products: strawberry.Private[tuple[CatalogProductEntity, ...]]
    media_gallery: list[MediaGalleryInterface | None] | None = strawberry.field(
        resolver=_selection_media,
        description="Product images and videos corresponding to the specified configurable "
        "options selection.",
    )
    variant: SimpleProduct | None = strawberry.field(
        description="A variant represented by the specified configurable options selection."
    )


# --- the product ---------------------------------------------------------------------------------


async def _configurable_options(
    root: ConfigurableProduct, info: Info
) -> list[ConfigurableProductOptions | None] | None:
    config = await configuration(info, root.row.entity_id)
    return [ConfigurableProductOptions.of(a, root.row.entity_id) for a in config.attributes]


async def _variants(root: ConfigurableProduct, info: Info) -> list[ConfigurableVariant | None]:
    config = await configuration(info, root.row.entity_id)
    return [variant_of(config, v) for v in config.variants]


async def _selection(
    root: ConfigurableProduct,
    info: Info,
    option_value_uids: Annotated[
        list[strawberry.ID] | None,
        strawberry.argument(
            name="configurableOptionValueUids",
            description=(
                "The `uid`s of the option values the shopper has chosen so far (at most"
                " one per configurable attribute)."
            ),
        ),
    ] = None,
) -> ConfigurableProductOptionsSelection | None:
    """The variant the option values select, when they name one value of every attribute."""
    config = await configuration(info, root.row.entity_id)
    chosen: dict[int, int] = {}
    for index, uid in enumerate(option_value_uids or []):
        decoded = configurable.decode_option_uid(str(uid), f"configurableOptionValueUids.{index}")
        if decoded is not None:
            chosen[decoded[0]] = decoded[1]
    found = config.child_for(chosen)
    variant = found if found is not None and found.salable else None
    return ConfigurableProductOptionsSelection(
        products=tuple(v.product for v in config.narrowed_to(chosen)),
        variant=_simple(variant) if variant is not None else None,
    )


async def _configurable_price_range(root: ConfigurableProduct, info: Info) -> PriceRange:
    """Min and max over the children a shopper can buy, each priced for the caller's group
    (special, tier/group and catalog rule prices), as Magento's configurable price range."""
    if not await permissions.can_show_price(info, root.row.entity_id):
        return HIDDEN_PRICE_RANGE
    config = await configuration(info, root.row.entity_id)
    loader = info.context.loaders_for(CatalogLoaders).pricing
    variants = config.variants
    pricings = await loader.load_many([v.product for v in variants])
    store = await info.context.store()
    span = configurable.price_span(
        config, {v.product.entity_id: p for v, p in zip(variants, pricings, strict=True)}
    )
    if span is None:
        return price_range_of(await loader.load(root.row), store)
    currency = store.website.base_currency_code
    return PriceRange(
        minimum_price=ProductPrice.of(span.minimum, currency),
        maximum_price=ProductPrice.of(span.maximum, currency),
    )


async def _configurable_price(root: ConfigurableProduct, info: Info) -> ProductPrices | None:
    """The deprecated `price` from the children's prices (`price_range`'s)."""
    return ProductPrices.of(await _configurable_price_range(root, info))


async def _configurable_stock_status(
    root: ConfigurableProduct, info: Info
) -> ProductStockStatus | None:
    """In stock when the parent's own stock says so and some child can be bought."""
    item = await info.context.loaders_for(CatalogLoaders).stock.load(root.row.entity_id)
    config = await configuration(info, root.row.entity_id)
    salable = catalog.is_in_stock(item) and bool(config.variants)
    return ProductStockStatus.IN_STOCK if salable else ProductStockStatus.OUT_OF_STOCK


async def _no_tiers(root: ConfigurableProduct) -> list[None] | None:
    return []


@strawberry.type(
    description="Defines basic features of a configurable product and its simple product variants."
)
class ConfigurableProduct(ProductInterface, RoutableProduct, PhysicalProductInterface):
    price: ProductPrices | None = strawberry.field(
        resolver=_configurable_price,
        description="Indicates the price of an item.",
        deprecation_reason="Use `price_range` for product price information.",
    )
    price_range: PriceRange = strawberry.field(
        resolver=_configurable_price_range, description="The range of prices for the product"
    )
    stock_status: ProductStockStatus | None = strawberry.field(
        resolver=_configurable_stock_status, description="Stock status of the product"
    )
    configurable_options: list[ConfigurableProductOptions | None] | None = strawberry.field(
        resolver=_configurable_options,
        description="An array of options for the configurable product.",
    )
    variants: list[ConfigurableVariant | None] | None = strawberry.field(
        resolver=_variants, description="An array of simple product variants."
    )
    configurable_product_options_selection: ConfigurableProductOptionsSelection | None = (
        strawberry.field(
            resolver=_selection,
            description="An array of media gallery items and other details about selected "
            "configurable product options as well as details about remaining selectable options.",
        )
    )


# --- selected options of a cart line or wish list item -------------------------------------------


@strawberry.type(description="Contains details about a selected configurable option.")
class SelectedConfigurableOption:
    configurable_product_option_uid: strawberry.ID = strawberry.field(
        description="The unique ID for a `ConfigurableProductOptions` object."
    )
    configurable_product_option_value_uid: strawberry.ID = strawberry.field(
        description="The unique ID for a `ConfigurableProductOptionsValues` object."
    )
    id: int = strawberry.field(
        description="The ID of the configurable option.",
        deprecation_reason="Use `SelectedConfigurableOption.configurable_product_option_uid` "
        "instead.",
    )
    option_label: str = strawberry.field(description="The display text for the option.")
    value_id: int = strawberry.field(
        description="The ID of the selected value.",
        deprecation_reason="Use `SelectedConfigurableOption.configurable_product_option_value_uid` "
        "instead.",
    )
    value_label: str = strawberry.field(
        description="The display name of the selected configurable option."
    )


def selected_options(
    config: Configuration, options: dict[int, int] | Sequence[tuple[int, int]]
) -> list[SelectedConfigurableOption | None]:
    """The chosen value of each configurable attribute, in the attributes' order."""
    chosen = dict(options)
    result: list[SelectedConfigurableOption | None] = []
    for attribute in config.attributes:
        index = chosen.get(attribute.attribute_id)
        if index is None:
            continue
        value = config.option_label(attribute.attribute_id, index)
        result.append(
            SelectedConfigurableOption(
                configurable_product_option_uid=strawberry.ID(
                    encode_uid(attribute.product_super_attribute_id)
                ),
                configurable_product_option_value_uid=strawberry.ID(
                    configurable.option_uid(attribute.attribute_id, index)
                ),
                id=attribute.product_super_attribute_id,
                option_label=attribute.label,
                value_id=index,
                value_label=value.store_label if value is not None else str(index),
            )
        )
    return result


CONFIGURABLE_TYPES: list[type] = [
    ConfigurableProduct,
    ImageSwatchData,
    TextSwatchData,
    ColorSwatchData,
]


# --- admin -------------------------------------------------------------------------------------


@strawberry.input(description="A configurable attribute of a parent product.")
class ConfigurableAttributeInput:
    attribute_code: str = strawberry.field(
        metadata=length(255), description="A select product attribute (such as `color` or `size`)."
    )
    position: int = strawberry.field(metadata=SMALLINT, default=0, description="Its display order.")
    label: str | None = strawberry.field(
        metadata=length(255),
        default=None,
        description="A label for this product; the attribute's own when omitted.",
    )


@strawberry.input(
    description="Makes a product configurable: its configurable attributes and its children, "
    "replacing what was stored. Each child must carry a value of every configurable attribute, "
    "and no two children the same values."
)
class ConfigurableProductSetupInput:
    parent_sku: str = strawberry.field(
        metadata=SKU, description="The parent product (made configurable)."
    )
    attributes: list[ConfigurableAttributeInput] = strawberry.field(
        description="The configurable attributes, in display order."
    )
    child_skus: list[str] = strawberry.field(
        metadata=SKU, description="The simple products sold as its variants."
    )


@strawberry.type(description="A configurable attribute of a parent, as stored.")
class AdminConfigurableAttribute:
    attribute_code: str = strawberry.field(description="The attribute code.")
    label: str = strawberry.field(description="The label shown on the storefront.")
    position: int = strawberry.field(description="Its display order.")


@strawberry.type(description="A configurable product with its attributes and children.")
class AdminConfigurableProduct:
    uid: strawberry.ID = strawberry.field(description="The parent's uid.")
    sku: str = strawberry.field(description="The parent's sku.")
    attributes: list[AdminConfigurableAttribute] = strawberry.field(
        description="Its configurable attributes, in display order."
    )
    child_skus: list[str] = strawberry.field(description="The skus of its children.")

    @classmethod
    def of(cls, sku: str, config: Configuration) -> AdminConfigurableProduct:
        return cls(
            uid=strawberry.ID(encode_uid(config.parent_id)),
            sku=sku,
            attributes=[
                AdminConfigurableAttribute(
                    attribute_code=a.attribute_code, label=a.label, position=a.position
                )
                for a in config.attributes
            ],
            child_skus=[v.product.sku for v in config.children],
        )


@strawberry.type(description="The result of configuring products.")
class ConfigureProductsOutput:
    products: list[AdminConfigurableProduct] = strawberry.field(
        description="The configured parents, in input order; empty when any row was refused."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Every problem, with paths naming the row (`input.2.child_skus.0`)."
    )
