"""Definitions of custom customer, address and product attributes (Magento's `eav_attribute`
with `customer_eav_attribute` or `catalog_eav_attribute`, and options), as admins create and
change them. A product attribute's `sort_order` is its `catalog_eav_attribute.position`.

The input type fixes the backend table for good, as in Magento, so it cannot change later. Options
that stored values still use cannot be removed: that would leave values pointing at nothing."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tortoise.transactions import in_transaction

from engine.attributes import VALUE_TABLES
from engine.errors import NoSuchEntity, Problem, ProblemCode, Problems
from engine.invalidation import Topic, touch
from models import (
    BackendType,
    CatalogEavAttribute,
    CatalogProductEntity,
    CustomerAddressEntity,
    CustomerEavAttribute,
    CustomerEntity,
    EavAttribute,
    EavAttributeOption,
    EavAttributeOptionValue,
    EntityType,
    FrontendInput,
)

CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,59}$")

BACKEND_OF: dict[FrontendInput, BackendType] = {
    FrontendInput.TEXT: BackendType.VARCHAR,
    FrontendInput.TEXTAREA: BackendType.TEXT,
    FrontendInput.SELECT: BackendType.INT,
    FrontendInput.MULTISELECT: BackendType.VARCHAR,
    FrontendInput.BOOLEAN: BackendType.INT,
    FrontendInput.DATE: BackendType.DATETIME,
    FrontendInput.DATETIME: BackendType.DATETIME,
}

# Static columns of each entity: a custom attribute cannot take their names.
RESERVED_CODES: dict[EntityType, frozenset[str]] = {
    EntityType.CUSTOMER: frozenset(CustomerEntity._meta.db_fields) | {"group_id", "website_id"},
    EntityType.CUSTOMER_ADDRESS: frozenset(CustomerAddressEntity._meta.db_fields)
    | {"parent_id", "country_code"},
    EntityType.CATALOG_PRODUCT: frozenset(CatalogProductEntity._meta.db_fields)
    | {"category_ids", "website_ids", "quantity_and_stock_status", "qty", "is_in_stock"},
}

# Flags of `customer_eav_attribute` and of `catalog_eav_attribute`: each applies to its own kind.
CUSTOMER_FLAGS = (
    "is_visible",
    "is_used_in_grid",
    "is_filterable_in_grid",
    "is_used_for_customer_segment",
)
CATALOG_FLAGS = (
    "is_used_for_promo_rules",
    "is_filterable",
    "is_searchable",
    "used_in_product_listing",
    "is_visible_on_front",
)


@dataclass(frozen=True)
class OptionData:
    label: str
    sort_order: int = 0
    option_id: int | None = None  # an existing option to keep; None adds one


@dataclass(frozen=True)
class AttributeChanges:
    """What an admin sends; `None` leaves a value as it is (creation needs the identity fields)."""

    entity_type: EntityType | None = None
    code: str | None = None
    frontend_input: FrontendInput | None = None
    label: str | None = None
    is_required: bool | None = None
    default_value: str | None = None
    sort_order: int | None = None
    is_visible: bool | None = None
    is_used_in_grid: bool | None = None
    is_filterable_in_grid: bool | None = None
    is_used_for_customer_segment: bool | None = None
    is_used_for_promo_rules: bool | None = None
    is_filterable: bool | None = None
    is_searchable: bool | None = None
    used_in_product_listing: bool | None = None
    is_visible_on_front: bool | None = None
    options: Sequence[OptionData] | None = None


@dataclass(frozen=True)
class OptionView:
    option_id: int
    label: str
    sort_order: int


@dataclass(frozen=True)
class AttributeView:
    """An attribute with its settings: `settings` for customer and address attributes,
    `catalog` for product attributes."""

    attribute: EavAttribute
    settings: CustomerEavAttribute | None
    catalog: CatalogEavAttribute | None
    options: tuple[OptionView, ...]

    @property
    def sort_order(self) -> int:
        if self.catalog is not None:
            return self.catalog.position
        return self.settings.sort_order if self.settings is not None else 0


def not_found(attribute_id: int) -> NoSuchEntity:
    return NoSuchEntity(
        Problem(
            ProblemCode.NOT_FOUND, f'Could not find an attribute with ID "{attribute_id}"', "uid"
        )
    )


async def _views(attributes: Sequence[EavAttribute]) -> list[AttributeView]:
    ids = [a.attribute_id for a in attributes]
    settings = {s.attribute_id: s for s in await CustomerEavAttribute.filter(attribute_id__in=ids)}  # type: ignore[attr-defined]
    catalog = {s.attribute_id: s for s in await CatalogEavAttribute.filter(attribute_id__in=ids)}  # type: ignore[attr-defined]
    options: dict[int, list[OptionView]] = {i: [] for i in ids}
    labels = {
        v.option_id: v.value  # type: ignore[attr-defined]
        for v in await EavAttributeOptionValue.filter(option__attribute_id__in=ids, store_id=0)
    }
    for option in await EavAttributeOption.filter(attribute_id__in=ids).order_by(
        "sort_order", "option_id"
    ):
        options[option.attribute_id].append(  # type: ignore[attr-defined]
            OptionView(option.option_id, labels.get(option.option_id, ""), option.sort_order)
        )
    return [
        AttributeView(
            a,
            settings.get(a.attribute_id),
            catalog.get(a.attribute_id),
            tuple(options[a.attribute_id]),
        )
        for a in attributes
    ]


async def list_attributes(entity_type: EntityType) -> list[AttributeView]:
    rows = await EavAttribute.filter(entity_type_id=entity_type, is_user_defined=True)
    views = await _views(rows)
    return sorted(views, key=lambda v: (v.sort_order, v.attribute.attribute_code))


async def get(attribute_id: int) -> AttributeView:
    row = await EavAttribute.get_or_none(attribute_id=attribute_id, is_user_defined=True)
    if row is None:
        raise not_found(attribute_id)
    return (await _views([row]))[0]


async def _options_in_use(attribute: EavAttribute) -> set[int]:
    table = VALUE_TABLES[attribute.entity_type_id][attribute.backend_type]
    used: set[int] = set()
    for value in await table.filter(attribute_id=attribute.attribute_id).values_list(
        "value", flat=True
    ):
        used.update(int(v) for v in str(value).split(",") if v.isdigit())
    return used


async def _validate(changes: AttributeChanges, existing: AttributeView | None) -> Problems:
    problems = Problems()
    if existing is None:
        code = changes.code or ""
        if not CODE_PATTERN.match(code):
            problems.add(
                ProblemCode.INVALID,
                f'Attribute code "{code}" is invalid. Please use only letters (a-z), numbers (0-9) '
                "or underscore (_) in this field, the first character should be a letter, and at "
                "most 60 characters.",
                "input.code",
            )
        elif changes.entity_type is not None and code in RESERVED_CODES[changes.entity_type]:
            problems.add(
                ProblemCode.ALREADY_EXISTS,
                f'"{code}" is a system attribute of this entity.',
                "input.code",
            )
        elif await EavAttribute.exists(entity_type_id=changes.entity_type, attribute_code=code):
            problems.add(
                ProblemCode.ALREADY_EXISTS,
                f'An attribute with the code "{code}" already exists.',
                "input.code",
            )
        if not (changes.label or "").strip():
            problems.add(ProblemCode.REQUIRED, '"label" is required.', "input.label")
    elif changes.label is not None and not changes.label.strip():
        problems.add(ProblemCode.REQUIRED, '"label" cannot be empty.', "input.label")
    entity_type = changes.entity_type or (
        EntityType(existing.attribute.entity_type_id) if existing else None
    )
    is_product = entity_type is EntityType.CATALOG_PRODUCT
    for flag in CATALOG_FLAGS if not is_product else CUSTOMER_FLAGS:
        if getattr(changes, flag) is not None:
            problems.add(
                ProblemCode.INVALID,
                f'"{flag}" applies only to '
                + ("customer and address attributes." if is_product else "product attributes."),
                f"input.{flag}",
            )
    frontend_input = changes.frontend_input or (
        existing.attribute.frontend_input if existing else None
    )
    has_options = frontend_input in (FrontendInput.SELECT, FrontendInput.MULTISELECT)
    if changes.options is not None:
        if not has_options:
            problems.add(
                ProblemCode.INVALID,
                "Only select and multiselect attributes have options.",
                "input.options",
            )
        known = {o.option_id for o in existing.options} if existing else set()
        for index, option in enumerate(changes.options):
            if not option.label.strip():
                problems.add(
                    ProblemCode.REQUIRED, "An option needs a label.", f"input.options.{index}.label"
                )
            if option.option_id is not None and option.option_id not in known:
                problems.add(
                    ProblemCode.NOT_FOUND,
                    f'The attribute has no option "{option.option_id}".',
                    f"input.options.{index}.value",
                )
        if existing is not None:
            kept = {o.option_id for o in changes.options if o.option_id is not None}
            for option_id in sorted((known - kept) & await _options_in_use(existing.attribute)):
                problems.add(
                    ProblemCode.IN_USE,
                    f'Option "{option_id}" is still used by stored values and cannot be removed.',
                    "input.options",
                )
    return problems


async def _save_options(attribute_id: int, options: Sequence[OptionData]) -> None:
    kept = {o.option_id for o in options if o.option_id is not None}
    await (
        EavAttributeOption.filter(attribute_id=attribute_id)
        .exclude(option_id__in=list(kept))
        .delete()
    )
    for option in options:
        if option.option_id is None:
            row = await EavAttributeOption.create(
                attribute_id=attribute_id, sort_order=option.sort_order
            )
            await EavAttributeOptionValue.create(
                option_id=row.option_id, store_id=0, value=option.label.strip()
            )
            continue
        await EavAttributeOption.filter(option_id=option.option_id).update(
            sort_order=option.sort_order
        )
        await EavAttributeOptionValue.filter(option_id=option.option_id, store_id=0).update(
            value=option.label.strip()
        )


def _customer_settings(changes: AttributeChanges) -> dict[str, Any]:
    names = ("sort_order", *CUSTOMER_FLAGS)
    return {f: getattr(changes, f) for f in names if getattr(changes, f) is not None}


def _catalog_settings(changes: AttributeChanges) -> dict[str, Any]:
    settings: dict[str, Any] = {
        f: getattr(changes, f) for f in CATALOG_FLAGS if getattr(changes, f) is not None
    }
    if changes.sort_order is not None:
        settings["position"] = changes.sort_order
    return settings


async def create(changes: AttributeChanges) -> AttributeView:
    assert changes.entity_type is not None
    assert changes.frontend_input is not None
    async with in_transaction():
        (await _validate(changes, None)).raise_if_any()
        attribute = await EavAttribute.create(
            entity_type_id=changes.entity_type,
            attribute_code=changes.code,
            backend_type=BACKEND_OF[changes.frontend_input],
            frontend_input=changes.frontend_input,
            frontend_label=(changes.label or "").strip(),
            is_required=bool(changes.is_required),
            is_user_defined=True,
            default_value=changes.default_value,
        )
        if changes.entity_type is EntityType.CATALOG_PRODUCT:
            await CatalogEavAttribute.create(
                attribute_id=attribute.attribute_id, **_catalog_settings(changes)
            )
        else:
            await CustomerEavAttribute.create(
                attribute_id=attribute.attribute_id, **_customer_settings(changes)
            )
        await _save_options(attribute.attribute_id, changes.options or ())
        touch(Topic.SEGMENTS)  # the attributes and options segment conditions are read with
    return await get(attribute.attribute_id)


async def update(attribute_id: int, changes: AttributeChanges) -> AttributeView:
    async with in_transaction():
        existing = await get(attribute_id)
        (await _validate(changes, existing)).raise_if_any()
        attribute = existing.attribute
        if changes.label is not None:
            attribute.frontend_label = changes.label.strip()
        if changes.is_required is not None:
            attribute.is_required = changes.is_required
        if changes.default_value is not None:
            # tortoise types a nullable TextField as `str`
            attribute.default_value = changes.default_value or None  # type: ignore[assignment]
        await attribute.save()
        if existing.catalog is not None:
            catalog_settings = _catalog_settings(changes)
            if catalog_settings:
                await CatalogEavAttribute.filter(attribute_id=attribute_id).update(
                    **catalog_settings
                )
        else:
            settings = _customer_settings(changes)
            if settings:
                await CustomerEavAttribute.filter(attribute_id=attribute_id).update(**settings)
        if changes.options is not None:
            await _save_options(attribute_id, changes.options)
        touch(Topic.SEGMENTS)
    return await get(attribute_id)


async def delete(attribute_id: int) -> AttributeView:
    """Delete the attribute with its options and every stored value (the value tables cascade)."""
    async with in_transaction():
        existing = await get(attribute_id)
        await existing.attribute.delete()
        touch(Topic.SEGMENTS)
    return existing
