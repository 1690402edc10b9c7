"""Configurable products, as Magento_ConfigurableProduct: a parent configured by select
attributes (`catalog_product_super_attribute`, labels per store), its simple children
(`catalog_product_super_link`, mirrored in `catalog_product_relation`), each child carrying one
option of every configurable attribute in `catalog_product_entity_int`, and the options' swatches
(`eav_attribute_option_swatch`).

A configurable product has no price of its own: it sells one child at the child's final price
(`pricing/final.py`), and its price range is the min/max over the children a shopper can buy
(enabled, on the website, in stock). The selection a storefront sends is a list of option value
uids, base64 of `configurable/<attribute_id>/<value_index>` (Magento's `SelectionUidFormatter`)."""

from __future__ import annotations

import base64
import binascii
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from tortoise.transactions import in_transaction

from engine import catalog, prices
from engine.errors import DomainError, InputInvalid, NoSuchEntity, Problem, ProblemCode, Problems
from engine.invalidation import Topic, touch
from engine.pricing import final as final_pricing
from engine.pricing import rule_index
from models import (
    CataloginventoryStockItem,
    CatalogProductEntity,
    CatalogProductEntityInt,
    CatalogProductRelation,
    CatalogProductSuperAttribute,
    CatalogProductSuperAttributeLabel,
    CatalogProductSuperLink,
    CatalogProductWebsite,
    EavAttribute,
    EavAttributeOption,
    EavAttributeOptionSwatch,
    EavAttributeOptionValue,
    EntityType,
    FrontendInput,
    SwatchType,
)
from models.catalog import ProductStatus, ProductType

OPTION_PREFIX = "configurable"
CHOOSE_OPTIONS = "You need to choose options for your item."


# --- option uids ---------------------------------------------------------------------------------


def option_uid(attribute_id: int, value_index: int) -> str:
    """Magento's uid of a configurable option value: base64 of
    `configurable/<attribute_id>/<value_index>`."""
    return base64.b64encode(f"{OPTION_PREFIX}/{attribute_id}/{value_index}".encode()).decode()


def decode_option_uid(uid: str, path: str) -> tuple[int, int] | None:
    """(attribute id, value index) of a configurable option uid; `None` for a uid of another
    kind of option (a custom option), Magento's "Value of uid ... is incorrect." for garbage."""
    try:
        raw = base64.b64decode(uid, validate=True).decode("ascii")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise InputInvalid(
            Problem(ProblemCode.INVALID_UID, f'Value of uid "{uid}" is incorrect.', path)
        ) from None
    parts = raw.split("/")
    if parts[0] != OPTION_PREFIX:
        return None
    if len(parts) != 3 or not parts[1].isdigit() or not parts[2].isdigit():
        raise InputInvalid(
            Problem(ProblemCode.INVALID_UID, f'Value of uid "{uid}" is incorrect.', path)
        )
    return int(parts[1]), int(parts[2])


# --- reading -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Swatch:
    type: SwatchType
    value: str | None


@dataclass(frozen=True)
class OptionValue:
    """One value of a configurable attribute that some child carries."""

    attribute_id: int
    value_index: int
    default_label: str
    store_label: str
    sort_order: int
    swatch: Swatch | None

    @property
    def uid(self) -> str:
        return option_uid(self.attribute_id, self.value_index)


@dataclass(frozen=True)
class ConfigurableAttribute:
    product_super_attribute_id: int
    attribute_id: int
    attribute_code: str
    label: str
    position: int
    use_default: bool
    values: tuple[OptionValue, ...]


@dataclass(frozen=True)
class Variant:
    """A child with its option of every configurable attribute (attribute id -> option id)."""

    product: CatalogProductEntity
    options: Mapping[int, int]
    stock: CataloginventoryStockItem | None
    on_website: bool

    @property
    def salable(self) -> bool:
        return (
            self.product.status == ProductStatus.ENABLED
            and self.on_website
            and catalog.is_in_stock(self.stock)
        )


@dataclass(frozen=True)
class Configuration:
    """A configurable product as a storefront of one store view sees it."""

    parent_id: int
    attributes: tuple[ConfigurableAttribute, ...]
    children: tuple[Variant, ...]
    """Every linked child, by entity id, whatever its state."""
    labels: Mapping[tuple[int, int], OptionValue]
    """Every option any child carries, by (attribute id, option id)."""

    @property
    def variants(self) -> tuple[Variant, ...]:
        """The children a shopper can buy (Magento's `variants` with out-of-stock products
        hidden, `cataloginventory/options/show_out_of_stock` off)."""
        return tuple(v for v in self.children if v.salable)

    def option_label(self, attribute_id: int, value_index: int) -> OptionValue | None:
        return self.labels.get((attribute_id, value_index))

    def child(self, product_id: int) -> Variant | None:
        return next((v for v in self.children if v.product.entity_id == product_id), None)

    def narrowed_to(self, selection: Mapping[int, int]) -> tuple[Variant, ...]:
        """The buyable children carrying every selected option (Magento's
        `availableSelectionProducts`): all of them when nothing is selected."""
        return tuple(
            v for v in self.variants if all(v.options.get(a) == o for a, o in selection.items())
        )

    def child_for(self, selection: Mapping[int, int]) -> Variant | None:
        """The child carrying exactly these options of every configurable attribute."""
        wanted = {a.attribute_id for a in self.attributes}
        if set(selection) != wanted:
            return None
        for variant in self.children:
            if all(variant.options.get(a) == o for a, o in selection.items()):
                return variant
        return None


def _label(labels: Mapping[int, str], store_id: int) -> str | None:
    return labels.get(store_id) or labels.get(0)


async def load_configurations(
    parent_ids: Sequence[int], store_id: int, website_id: int
) -> list[Configuration]:
    """DataLoader batch: the configuration of each parent in the order asked (an empty one for a
    product that is not configurable). Seven queries, whatever the number of parents."""
    ids = list(dict.fromkeys(parent_ids))
    supers = await CatalogProductSuperAttribute.filter(product_id__in=ids).order_by(
        "position", "product_super_attribute_id"
    )
    links = await CatalogProductSuperLink.filter(parent_id__in=ids).order_by("product_id")
    child_ids = list({link.product_id for link in links})  # type: ignore[attr-defined]
    attribute_ids = list({s.attribute_id for s in supers})  # type: ignore[attr-defined]
    attributes = {
        a.attribute_id: a for a in await EavAttribute.filter(attribute_id__in=attribute_ids)
    }
    super_labels: dict[int, dict[int, str]] = defaultdict(dict)
    use_default: dict[int, bool] = {}
    for row in await CatalogProductSuperAttributeLabel.filter(
        product_super_attribute_id__in=[s.product_super_attribute_id for s in supers],
        store_id__in=[0, store_id],
    ):
        sid = row.product_super_attribute_id  # type: ignore[attr-defined]
        if row.store_id == 0:
            use_default[sid] = row.use_default
        if row.value and not row.use_default:
            super_labels[sid][row.store_id] = row.value
    children = {p.entity_id: p for p in await CatalogProductEntity.filter(entity_id__in=child_ids)}
    values: dict[int, dict[int, int]] = defaultdict(dict)
    for value_row in await CatalogProductEntityInt.filter(
        entity_id__in=child_ids, attribute_id__in=attribute_ids, store_id=0
    ):
        if value_row.value is not None:
            values[value_row.entity_id][value_row.attribute_id] = value_row.value  # type: ignore[attr-defined]
    stock = {
        s.product_id: s  # type: ignore[attr-defined]
        for s in await CataloginventoryStockItem.filter(product_id__in=child_ids)
    }
    sold_here = CatalogProductWebsite.filter(product_id__in=child_ids, website_id=website_id)
    on_website = {
        int(v) for v in cast(list[Any], await sold_here.values_list("product_id", flat=True))
    }
    option_ids = {o for per in values.values() for o in per.values()}
    options = {
        o.option_id: o for o in await EavAttributeOption.filter(option_id__in=list(option_ids))
    }
    option_labels: dict[int, dict[int, str]] = defaultdict(dict)
    for label in await EavAttributeOptionValue.filter(
        option_id__in=list(option_ids), store_id__in=[0, store_id]
    ):
        option_labels[label.option_id][label.store_id] = label.value  # type: ignore[attr-defined]
    swatches: dict[int, dict[int, Swatch]] = defaultdict(dict)
    for swatch in await EavAttributeOptionSwatch.filter(
        option_id__in=list(option_ids), store_id__in=[0, store_id]
    ):
        swatches[swatch.option_id][swatch.store_id] = Swatch(  # type: ignore[attr-defined]
            SwatchType(swatch.type), swatch.value
        )

    by_parent: dict[int, list[Variant]] = defaultdict(list)
    for link in links:
        child = children.get(link.product_id)  # type: ignore[attr-defined]
        if child is not None:
            by_parent[link.parent_id].append(  # type: ignore[attr-defined]
                Variant(
                    child,
                    values.get(child.entity_id, {}),
                    stock.get(child.entity_id),
                    child.entity_id in on_website,
                )
            )
    supers_of: dict[int, list[CatalogProductSuperAttribute]] = defaultdict(list)
    for s in supers:
        supers_of[s.product_id].append(s)  # type: ignore[attr-defined]

    result: dict[int, Configuration] = {}
    for parent_id in ids:
        variants = tuple(by_parent.get(parent_id, ()))
        salable = [v for v in variants if v.salable]
        configured: list[ConfigurableAttribute] = []
        every: dict[tuple[int, int], OptionValue] = {}
        for s in supers_of.get(parent_id, ()):
            attribute = attributes[s.attribute_id]  # type: ignore[attr-defined]
            for v in variants:
                option_id = v.options.get(attribute.attribute_id)
                if option_id is None or (attribute.attribute_id, option_id) in every:
                    continue
                option = options.get(option_id)
                labels = option_labels.get(option_id, {})
                default = labels.get(0, "")
                per_store = swatches.get(option_id, {})
                every[(attribute.attribute_id, option_id)] = OptionValue(
                    attribute.attribute_id,
                    option_id,
                    default,
                    labels.get(store_id) or default,
                    option.sort_order if option is not None else 0,
                    per_store.get(store_id) or per_store.get(0),
                )
            used = {
                v.options[attribute.attribute_id]
                for v in salable
                if attribute.attribute_id in v.options
            }
            option_values = [every[(attribute.attribute_id, o)] for o in used]
            option_values.sort(key=lambda v: (v.sort_order, v.value_index))
            sid = s.product_super_attribute_id
            configured.append(
                ConfigurableAttribute(
                    sid,
                    attribute.attribute_id,
                    attribute.attribute_code,
                    _label(super_labels.get(sid, {}), store_id) or attribute.frontend_label,
                    s.position,
                    use_default.get(sid, True),
                    tuple(option_values),
                )
            )
        result[parent_id] = Configuration(parent_id, tuple(configured), variants, every)
    return [result[parent_id] for parent_id in parent_ids]


async def configuration_of(parent_id: int, store_id: int, website_id: int) -> Configuration:
    return (await load_configurations([parent_id], store_id, website_id))[0]


# --- prices ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PriceSpan:
    """`price_range` of a configurable: the lowest and highest price over its buyable children
    (regular and final apart, as Magento's `ConfigurableRegularPrice` and `getMinimalPrice`)."""

    minimum: prices.PriceView
    maximum: prices.PriceView


async def product_options(parent_id: int, child_id: int, store_id: int) -> dict[str, object]:
    """Magento's `sales_order_item.product_options` of a configurable parent row: the chosen
    child and the label and value of each configurable attribute (`attributes_info`)."""
    config = (await load_configurations([parent_id], store_id, 0))[0]
    child = config.child(child_id)
    options = dict(child.options) if child is not None else {}
    info: list[dict[str, object]] = []
    for attribute in config.attributes:
        index = options.get(attribute.attribute_id)
        if index is None:
            continue
        value = config.option_label(attribute.attribute_id, index)
        info.append(
            {
                "label": attribute.label,
                "value": value.store_label if value is not None else str(index),
                "option_id": attribute.attribute_id,
                "option_value": index,
            }
        )
    return {
        "info_buyRequest": {
            "product": parent_id,
            "super_attribute": {str(a): str(o) for a, o in options.items()},
        },
        "attributes_info": info,
        "simple_name": child.product.name if child is not None else None,
        "simple_sku": child.product.sku if child is not None else None,
    }


def price_span(
    configuration: Configuration, pricings: Mapping[int, final_pricing.ProductPricing]
) -> PriceSpan | None:
    """The span over the buyable children, each priced for one unit by its `ProductPricing`
    (`final.price_book`, by child id); `None` when no child can be bought."""
    variants = configuration.variants
    if not variants:
        return None
    regulars = [pricings[v.product.entity_id].regular for v in variants]
    finals = [pricings[v.product.entity_id].final() for v in variants]
    return PriceSpan(
        prices.view_between(min(regulars), min(finals)),
        prices.view_between(max(regulars), max(finals)),
    )


# --- admin -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttributeChoice:
    """A configurable attribute of a parent: the attribute code, its position and an optional
    product-specific label."""

    attribute_code: str
    position: int = 0
    label: str | None = None


@dataclass(frozen=True)
class ConfigurableChanges:
    """The configurable attributes and the children (by sku) of a parent, replacing what was
    stored."""

    attributes: Sequence[AttributeChoice]
    child_skus: Sequence[str]


async def set_configuration(
    parent_id: int, changes: ConfigurableChanges, path: str = "input"
) -> None:
    """Make the product `parent_id` configurable by `changes.attributes` with the children
    `changes.child_skus`, replacing its previous configuration. Every problem is reported at once;
    nothing changes unless all is well. Runs inside the caller's transaction or opens one."""
    async with in_transaction():
        parent = await CatalogProductEntity.get_or_none(entity_id=parent_id)
        if parent is None:
            raise catalog.product_not_found(f"{path}.uid")
        problems = Problems()
        codes = [a.attribute_code for a in changes.attributes]
        found = {
            a.attribute_code: a
            for a in await EavAttribute.filter(
                entity_type_id=EntityType.CATALOG_PRODUCT, attribute_code__in=codes
            )
        }
        if not changes.attributes:
            problems.add(
                ProblemCode.REQUIRED,
                "A configurable product needs at least one configurable attribute.",
                f"{path}.attributes",
            )
        if len(set(codes)) != len(codes):
            problems.add(ProblemCode.INVALID, "An attribute is named twice.", f"{path}.attributes")
        for index, choice in enumerate(changes.attributes):
            attribute = found.get(choice.attribute_code)
            where = f"{path}.attributes.{index}.attribute_code"
            if attribute is None:
                problems.add(
                    ProblemCode.NOT_FOUND,
                    f'The attribute with a "{choice.attribute_code}" attributeCode doesn\'t exist.',
                    where,
                )
            elif attribute.frontend_input != FrontendInput.SELECT:
                problems.add(
                    ProblemCode.INVALID,
                    f'Attribute "{choice.attribute_code}" is not a select attribute and cannot '
                    "configure a product.",
                    where,
                )
        skus = list(changes.child_skus)
        children = {p.sku: p for p in await CatalogProductEntity.filter(sku__in=skus)}
        child_values: dict[int, dict[int, int]] = defaultdict(dict)
        attribute_ids = [a.attribute_id for a in found.values()]
        for value_row in await CatalogProductEntityInt.filter(
            entity_id__in=[c.entity_id for c in children.values()],
            attribute_id__in=attribute_ids,
            store_id=0,
        ):
            if value_row.value is not None:
                child_values[value_row.entity_id][value_row.attribute_id] = value_row.value  # type: ignore[attr-defined]
        seen: dict[tuple[int, ...], str] = {}
        for index, sku in enumerate(skus):
            where = f"{path}.child_skus.{index}"
            child = children.get(sku)
            if child is None:
                problems.add(
                    ProblemCode.NOT_FOUND, f'Could not find a product with SKU "{sku}"', where
                )
                continue
            if child.type_id not in (ProductType.SIMPLE, ProductType.VIRTUAL):
                problems.add(
                    ProblemCode.INVALID,
                    f'Product "{sku}" is not a simple or virtual product.',
                    where,
                )
                continue
            if child.entity_id == parent_id:
                problems.add(ProblemCode.INVALID, "A product cannot be its own child.", where)
                continue
            own = child_values.get(child.entity_id, {})
            missing = [
                a.attribute_code
                for a in changes.attributes
                if a.attribute_code in found and found[a.attribute_code].attribute_id not in own
            ]
            if missing:
                problems.add(
                    ProblemCode.REQUIRED,
                    f'Product "{sku}" has no value for the configurable attribute(s) '
                    f"{', '.join(missing)}.",
                    where,
                )
                continue
            key = tuple(
                own[found[a.attribute_code].attribute_id]
                for a in changes.attributes
                if a.attribute_code in found
            )
            if key in seen:
                problems.add(
                    ProblemCode.INVALID,
                    f'Products "{seen[key]}" and "{sku}" have the same values of the '
                    "configurable attributes.",
                    where,
                )
            seen.setdefault(key, sku)
        problems.raise_if_any()

        await CatalogProductSuperAttribute.filter(product_id=parent_id).delete()
        await CatalogProductSuperLink.filter(parent_id=parent_id).delete()
        await CatalogProductRelation.filter(parent_id=parent_id).delete()
        for choice in changes.attributes:
            row = await CatalogProductSuperAttribute.create(
                product_id=parent_id,
                attribute_id=found[choice.attribute_code].attribute_id,
                position=choice.position,
            )
            await CatalogProductSuperAttributeLabel.create(
                product_super_attribute_id=row.product_super_attribute_id,
                store_id=0,
                use_default=choice.label is None,
                value=choice.label,
            )
        for sku in dict.fromkeys(skus):
            child_id = children[sku].entity_id
            await CatalogProductSuperLink.create(product_id=child_id, parent_id=parent_id)
            await CatalogProductRelation.create(parent_id=parent_id, child_id=child_id)
        if parent.type_id != ProductType.CONFIGURABLE:
            parent.type_id = ProductType.CONFIGURABLE
            await parent.save(update_fields=["type_id", "updated_at"])
        await rule_index.reindex_products([parent_id, *(c.entity_id for c in children.values())])
        touch(Topic.SEGMENTS)


async def configure_products(
    setups: Sequence[tuple[str, ConfigurableChanges]],
) -> list[CatalogProductEntity]:
    """Bulk: configure each parent (by sku) as `set_configuration` does, all in one transaction;
    every problem of every row is reported (paths `input.<row>...`) and nothing is written
    unless all rows are valid."""
    problems: list[Problem] = []
    parents: list[CatalogProductEntity] = []
    async with in_transaction():
        for index, (sku, changes) in enumerate(setups):
            path = f"input.{index}"
            parent = await CatalogProductEntity.get_or_none(sku=sku)
            if parent is None:
                problems.append(
                    Problem(
                        ProblemCode.NOT_FOUND,
                        f'Could not find a product with SKU "{sku}"',
                        f"{path}.parent_sku",
                    )
                )
                continue
            try:
                await set_configuration(parent.entity_id, changes, path)
            except DomainError as error:
                problems.extend(error.problems)
                continue
            parent.type_id = ProductType.CONFIGURABLE
            parents.append(parent)
        if problems:  # raised inside: the rows already configured are rolled back
            if {p.code for p in problems} == {ProblemCode.NOT_FOUND}:
                raise NoSuchEntity(problems)
            raise InputInvalid(problems)
    return parents


async def parents_of(child_ids: Sequence[int]) -> dict[int, list[int]]:
    """The configurable parents of each child (`catalog_product_relation`)."""
    result: dict[int, list[int]] = defaultdict(list)
    for row in await CatalogProductRelation.filter(child_id__in=list(child_ids)):
        result[row.child_id].append(row.parent_id)  # type: ignore[attr-defined]
    return result


def not_found(sku: str) -> NoSuchEntity:
    return NoSuchEntity(
        Problem(ProblemCode.NOT_FOUND, f'Could not find a product with SKU "{sku}"', "sku")
    )


ZERO = Decimal(0)
