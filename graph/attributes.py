"""Custom attribute values (Magento's `AttributeValueInterface` family) and their inputs."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

import strawberry

from engine.attribute_metadata import AttributeView
from engine.attributes import AttributeValueData, StoredValue
from graph.errors import UserError
from graph.limits import LONG_TEXT, SMALLINT
from graph.uids import encode_uid
from models import EntityType


@strawberry.interface(description="The value of a custom attribute.")
class AttributeValueInterface:
    code: strawberry.ID = strawberry.field(description="The attribute code.")


@strawberry.type(description="The value of a text, number, date or boolean custom attribute.")
class AttributeValue(AttributeValueInterface):
    value: str = strawberry.field(description="The attribute value.")


@strawberry.interface(description="An option chosen for a select or multiselect attribute.")
class AttributeSelectedOptionInterface:
    label: str = strawberry.field(description="The attribute selected option label.")
    value: str = strawberry.field(description="The attribute selected option value.")


@strawberry.type(description="An option chosen for a select or multiselect attribute.")
class AttributeSelectedOption(AttributeSelectedOptionInterface):
    pass


@strawberry.type(description="The options chosen for a select or multiselect custom attribute.")
class AttributeSelectedOptions(AttributeValueInterface):
    selected_options: list[AttributeSelectedOptionInterface | None] = strawberry.field(
        description="The chosen options."
    )


@strawberry.input(
    description="Specifies selected option for a select or multiselect attribute value."
)
class AttributeInputSelectedOption:
    value: str = strawberry.field(description="The attribute option value.")


@strawberry.input(description="Specifies the value for attribute.")
class AttributeValueInput:
    attribute_code: str = strawberry.field(description="The code of the attribute.")
    selected_options: list[AttributeInputSelectedOption | None] | None = strawberry.field(
        default=None,
        description="An array containing selected options for a select or multiselect attribute.",
    )
    value: str | None = strawberry.field(
        default=None, description="The value assigned to the attribute."
    )


@strawberry.type(
    description="Specifies the attribute code and value of a customer address attribute."
)
class CustomerAddressAttribute:
    attribute_code: str | None = strawberry.field(
        description="The name assigned to the customer address attribute."
    )
    value: str | None = strawberry.field(
        description="The value assigned to the customer address attribute."
    )


@strawberry.input(description="Specifies the attribute code and value of a customer attribute.")
class CustomerAddressAttributeInput:
    attribute_code: str = strawberry.field(description="The name assigned to the attribute.")
    value: str = strawberry.field(description="The value assigned to the attribute.")


def values_to_graph(values: Sequence[StoredValue]) -> list[AttributeValueInterface | None]:
    result: list[AttributeValueInterface | None] = []
    for stored in values:
        if stored.options is None:
            result.append(AttributeValue(code=strawberry.ID(stored.code), value=stored.value or ""))
        else:
            result.append(
                AttributeSelectedOptions(
                    code=strawberry.ID(stored.code),
                    selected_options=[
                        AttributeSelectedOption(label=label, value=value)
                        for value, label in stored.options
                    ],
                )
            )
    return result


def values_to_legacy(values: Sequence[StoredValue]) -> list[CustomerAddressAttribute | None]:
    """The deprecated `{attribute_code, value}` pairs; options as their comma-joined ids."""
    return [
        CustomerAddressAttribute(
            attribute_code=stored.code,
            value=stored.value
            if stored.options is None
            else ",".join(value for value, _ in stored.options),
        )
        for stored in values
    ]


def values_from_input(
    inputs: Sequence[AttributeValueInput | None] | None,
    legacy: Sequence[CustomerAddressAttributeInput | None] | None = None,
) -> list[AttributeValueData] | None:
    """Engine values from `custom_attributes(V2)` input; `None` when neither list was sent."""
    if inputs is None and legacy is None:
        return None
    result = [
        AttributeValueData(
            attribute_code=item.attribute_code,
            value=item.value,
            selected_options=None
            if item.selected_options is None
            else tuple(o.value for o in item.selected_options if o is not None),
        )
        for item in inputs or ()
        if item is not None
    ]
    result.extend(
        AttributeValueData(attribute_code=item.attribute_code, value=item.value)
        for item in legacy or ()
        if item is not None
    )
    return result


@strawberry.enum(description="Which entity a custom attribute belongs to.")
class CustomAttributeEntityEnum(Enum):
    CUSTOMER = strawberry.enum_value("CUSTOMER", description="Attributes of customer accounts.")
    CUSTOMER_ADDRESS = strawberry.enum_value(
        "CUSTOMER_ADDRESS", description="Attributes of customer addresses."
    )
    CATALOG_PRODUCT = strawberry.enum_value(
        "CATALOG_PRODUCT", description="Attributes of catalog products."
    )


@strawberry.enum(description="How a custom attribute's value is entered, and so how it is stored.")
class CustomAttributeInputEnum(Enum):
    TEXT = strawberry.enum_value("text", description="One line of text (stored as varchar).")
    TEXTAREA = strawberry.enum_value("textarea", description="Longer text (stored as text).")
    SELECT = strawberry.enum_value("select", description="One option (stored as its id).")
    MULTISELECT = strawberry.enum_value(
        "multiselect", description="Several options (stored as comma-separated ids)."
    )
    BOOLEAN = strawberry.enum_value("boolean", description="Yes or no (stored as 1 or 0).")
    DATE = strawberry.enum_value("date", description="A calendar date.")
    DATETIME = strawberry.enum_value("datetime", description="A date and time.")


@strawberry.type(description="One choice of a select or multiselect custom attribute.")
class CustomAttributeOption:
    value: strawberry.ID = strawberry.field(
        description="The option id, which stored values and `selected_options` use."
    )
    label: str = strawberry.field(description="The option's admin label.")
    sort_order: int = strawberry.field(description="The option's position in lists.")


@strawberry.type(
    description="A custom customer, address or product attribute's definition "
    "(admin token required)."
)
class CustomAttributeMetadata:
    uid: strawberry.ID = strawberry.field(description="The unique ID of the attribute.")
    code: str = strawberry.field(description="The attribute code clients send values under.")
    entity_type: CustomAttributeEntityEnum = strawberry.field(
        description="The entity it belongs to."
    )
    frontend_input: CustomAttributeInputEnum = strawberry.field(
        description="The input type; fixed after creation."
    )
    label: str = strawberry.field(description="The attribute's label.")
    is_required: bool = strawberry.field(description="Whether every entity must have a value.")
    default_value: str | None = strawberry.field(description="The value forms start with.")
    sort_order: int = strawberry.field(description="The attribute's position in forms and lists.")
    is_visible: bool = strawberry.field(description="Whether storefront forms show it.")
    is_used_in_grid: bool = strawberry.field(description="Whether admin grids show it.")
    is_filterable_in_grid: bool = strawberry.field(description="Whether admin grids filter by it.")
    is_used_for_customer_segment: bool = strawberry.field(
        description="Whether segment conditions can use it (Magento's 'Use in Customer Segment')."
    )
    is_used_for_promo_rules: bool | None = strawberry.field(
        description="Product attributes: whether price rule and segment conditions can use it "
        "(Magento's 'Use for Promo Rule Conditions'); null for other entities."
    )
    is_filterable: bool | None = strawberry.field(
        description="Product attributes: whether layered navigation filters by it; null for "
        "other entities."
    )
    is_searchable: bool | None = strawberry.field(
        description="Product attributes: whether search looks into it; null for other entities."
    )
    used_in_product_listing: bool | None = strawberry.field(
        description="Product attributes: whether product lists load it; null for other entities."
    )
    is_visible_on_front: bool | None = strawberry.field(
        description="Product attributes: whether the product page shows it (Magento's 'Visible "
        "on Catalog Pages on Storefront'); null for other entities."
    )
    options: list[CustomAttributeOption] = strawberry.field(
        description="The choices of a select or multiselect attribute; empty otherwise."
    )

    @classmethod
    def of(cls, view: AttributeView) -> CustomAttributeMetadata:
        attribute, settings, catalog = view.attribute, view.settings, view.catalog
        return cls(
            uid=strawberry.ID(encode_uid(attribute.attribute_id)),
            code=attribute.attribute_code,
            entity_type=CustomAttributeEntityEnum(EntityType(attribute.entity_type_id).name),
            frontend_input=CustomAttributeInputEnum(attribute.frontend_input.value),
            label=attribute.frontend_label,
            is_required=attribute.is_required,
            default_value=attribute.default_value,
            sort_order=view.sort_order,
            # Product attributes have no storefront form or customer grid: shown, not in grids.
            is_visible=settings.is_visible if settings else True,
            is_used_in_grid=settings.is_used_in_grid if settings else False,
            is_filterable_in_grid=settings.is_filterable_in_grid if settings else False,
            is_used_for_customer_segment=settings.is_used_for_customer_segment
            if settings
            else False,
            is_used_for_promo_rules=catalog.is_used_for_promo_rules if catalog else None,
            is_filterable=catalog.is_filterable if catalog else None,
            is_searchable=catalog.is_searchable if catalog else None,
            used_in_product_listing=catalog.used_in_product_listing if catalog else None,
            is_visible_on_front=catalog.is_visible_on_front if catalog else None,
            options=[
                CustomAttributeOption(
                    value=strawberry.ID(str(o.option_id)), label=o.label, sort_order=o.sort_order
                )
                for o in view.options
            ],
        )


@strawberry.input(description="An option of a select or multiselect attribute.")
class CustomAttributeOptionInput:
    value: strawberry.ID | None = strawberry.field(
        default=None, description="An existing option's id to keep; omit to add a new option."
    )
    label: str = strawberry.field(description="The option's label.")
    sort_order: int = strawberry.field(
        metadata=SMALLINT, default=0, description="The option's position."
    )


@strawberry.input(description="A new custom attribute.")
class CustomAttributeCreateInput:
    entity_type: CustomAttributeEntityEnum = strawberry.field(
        description="The entity it belongs to."
    )
    code: str = strawberry.field(
        description="Lowercase letters, digits and underscores, starting with a letter; at most 60."
    )
    frontend_input: CustomAttributeInputEnum = strawberry.field(
        description="The input type, which also fixes how values are stored."
    )
    label: str = strawberry.field(description="The attribute's label.")
    is_required: bool = strawberry.field(default=False, description="Whether a value is required.")
    default_value: str | None = strawberry.field(
        metadata=LONG_TEXT, default=None, description="The default value."
    )
    sort_order: int = strawberry.field(
        metadata=SMALLINT, default=0, description="The position in forms and lists."
    )
    is_visible: bool = strawberry.field(default=True, description="Shown in storefront forms.")
    is_used_in_grid: bool = strawberry.field(default=False, description="Shown in admin grids.")
    is_filterable_in_grid: bool = strawberry.field(
        default=False, description="Filterable in admin grids."
    )
    is_used_for_customer_segment: bool = strawberry.field(
        default=False, description="Usable in segment conditions."
    )
    is_used_for_promo_rules: bool | None = strawberry.field(
        default=None, description="Product attributes only: usable in promo rule conditions."
    )
    is_filterable: bool | None = strawberry.field(
        default=None, description="Product attributes only: filterable in layered navigation."
    )
    is_searchable: bool | None = strawberry.field(
        default=None, description="Product attributes only: searchable."
    )
    used_in_product_listing: bool | None = strawberry.field(
        default=None, description="Product attributes only: loaded in product lists."
    )
    is_visible_on_front: bool | None = strawberry.field(
        default=None, description="Product attributes only: shown on the product page."
    )
    options: list[CustomAttributeOptionInput] | None = strawberry.field(
        default=None, description="The choices of a select or multiselect attribute."
    )


@strawberry.input(description="Changes to a custom attribute; omitted fields stay as they are.")
class CustomAttributeUpdateInput:
    label: str | None = strawberry.field(default=None, description="A new label.")
    is_required: bool | None = strawberry.field(default=None, description="Whether required.")
    default_value: str | None = strawberry.field(
        metadata=LONG_TEXT,
        default=None,
        description="A new default value; an empty string clears it.",
    )
    sort_order: int | None = strawberry.field(
        metadata=SMALLINT, default=None, description="A new position."
    )
    is_visible: bool | None = strawberry.field(
        default=None, description="Shown in storefront forms."
    )
    is_used_in_grid: bool | None = strawberry.field(
        default=None, description="Shown in admin grids."
    )
    is_filterable_in_grid: bool | None = strawberry.field(
        default=None, description="Filterable in admin grids."
    )
    is_used_for_customer_segment: bool | None = strawberry.field(
        default=None, description="Usable in segment conditions."
    )
    is_used_for_promo_rules: bool | None = strawberry.field(
        default=None, description="Product attributes only: usable in promo rule conditions."
    )
    is_filterable: bool | None = strawberry.field(
        default=None, description="Product attributes only: filterable in layered navigation."
    )
    is_searchable: bool | None = strawberry.field(
        default=None, description="Product attributes only: searchable."
    )
    used_in_product_listing: bool | None = strawberry.field(
        default=None, description="Product attributes only: loaded in product lists."
    )
    is_visible_on_front: bool | None = strawberry.field(
        default=None, description="Product attributes only: shown on the product page."
    )
    options: list[CustomAttributeOptionInput] | None = strawberry.field(
        default=None,
        description="Replaces the option list: options named by `value` are kept and relabelled, "
        "others added; options left out are removed unless stored values still use them.",
    )


@strawberry.type(description="The result of an admin mutation on a custom attribute.")
class CustomAttributeOutput:
    attribute: CustomAttributeMetadata | None = strawberry.field(
        description="The attribute after the change; null when the input was refused."
    )
    user_errors: list[UserError] = strawberry.field(description="Every problem with the input.")


@strawberry.type(description="The result of deleting a custom attribute.")
class DeleteCustomAttributeOutput:
    deleted_uid: strawberry.ID | None = strawberry.field(
        description="The uid of the deleted attribute; null when nothing was deleted."
    )
    user_errors: list[UserError] = strawberry.field(description="Why nothing was deleted.")
