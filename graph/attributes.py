"""Custom attribute values (Magento's `AttributeValueInterface` family) and their inputs."""

from __future__ import annotations

from collections.abc import Sequence

import strawberry

from engine.attributes import AttributeValueData, StoredValue


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
