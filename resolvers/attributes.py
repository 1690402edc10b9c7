"""Custom attribute definitions for admins: list, create, update, delete."""

from __future__ import annotations

from typing import Annotated

import strawberry

from engine import attribute_metadata
from engine.attribute_metadata import AttributeChanges, OptionData
from engine.errors import DomainError, InputInvalid, Problem, ProblemCode
from engine.uids import parse_id
from graph.attributes import (
    CustomAttributeCreateInput,
    CustomAttributeEntityEnum,
    CustomAttributeMetadata,
    CustomAttributeOptionInput,
    CustomAttributeOutput,
    CustomAttributeUpdateInput,
    DeleteCustomAttributeOutput,
)
from graph.context import Info
from graph.errors import UserError
from graph.uids import decode_uid, encode_uid
from models import EntityType, FrontendInput
from resolvers.access import require_admin


def _options(options: list[CustomAttributeOptionInput] | None) -> list[OptionData] | None:
    if options is None:
        return None
    result = []
    for index, option in enumerate(options):
        option_id = None
        if option.value is not None:
            option_id = parse_id(str(option.value))
            if option_id is None:
                raise InputInvalid(
                    Problem(
                        ProblemCode.INVALID,
                        f'"{option.value}" is not an option id.',
                        f"input.options.{index}.value",
                    )
                )
        result.append(OptionData(option.label, option.sort_order, option_id))
    return result


@strawberry.type
class Query:
    @strawberry.field(
        description="Custom attribute definitions of customers, addresses or products "
        "(admin token required)."
    )
    async def adminCustomAttributes(
        self,
        info: Info,
        entity_type: Annotated[
            CustomAttributeEntityEnum,
            strawberry.argument(
                description="Whether to list customer, customer address or product attributes."
            ),
        ],
    ) -> list[CustomAttributeMetadata]:
        await require_admin(info)
        views = await attribute_metadata.list_attributes(EntityType[entity_type.name])
        return [CustomAttributeMetadata.of(v) for v in views]


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Create a custom attribute (admin token required).")
    async def adminCreateCustomAttribute(
        self,
        info: Info,
        input: Annotated[
            CustomAttributeCreateInput,
            strawberry.argument(
                description="The new attribute's code, entity type, input type and options."
            ),
        ],
    ) -> CustomAttributeOutput:
        await require_admin(info)
        entity_type = EntityType[input.entity_type.name]
        # The customer-only flags have defaults in the input; they mean nothing for products.
        customer = entity_type is not EntityType.CATALOG_PRODUCT
        try:
            view = await attribute_metadata.create(
                AttributeChanges(
                    entity_type=entity_type,
                    code=input.code,
                    frontend_input=FrontendInput[input.frontend_input.name],
                    label=input.label,
                    is_required=input.is_required,
                    default_value=input.default_value,
                    sort_order=input.sort_order,
                    is_visible=input.is_visible if customer else None,
                    is_used_in_grid=input.is_used_in_grid if customer else None,
                    is_filterable_in_grid=input.is_filterable_in_grid if customer else None,
                    is_used_for_customer_segment=input.is_used_for_customer_segment
                    if customer
                    else None,
                    is_used_for_promo_rules=input.is_used_for_promo_rules,
                    is_filterable=input.is_filterable,
                    is_searchable=input.is_searchable,
                    used_in_product_listing=input.used_in_product_listing,
                    is_visible_on_front=input.is_visible_on_front,
                    options=_options(input.options),
                )
            )
        except DomainError as error:
            return CustomAttributeOutput(attribute=None, user_errors=UserError.from_error(error))
        return CustomAttributeOutput(attribute=CustomAttributeMetadata.of(view), user_errors=[])

    @strawberry.mutation(description="Change a custom attribute (admin token required).")
    async def adminUpdateCustomAttribute(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID,
            strawberry.argument(description="The `uid` of the custom attribute to change."),
        ],
        input: Annotated[
            CustomAttributeUpdateInput,
            strawberry.argument(description="The attribute's new values."),
        ],
    ) -> CustomAttributeOutput:
        await require_admin(info)
        try:
            view = await attribute_metadata.update(
                decode_uid(uid),
                AttributeChanges(
                    label=input.label,
                    is_required=input.is_required,
                    default_value=input.default_value,
                    sort_order=input.sort_order,
                    is_visible=input.is_visible,
                    is_used_in_grid=input.is_used_in_grid,
                    is_filterable_in_grid=input.is_filterable_in_grid,
                    is_used_for_customer_segment=input.is_used_for_customer_segment,
                    is_used_for_promo_rules=input.is_used_for_promo_rules,
                    is_filterable=input.is_filterable,
                    is_searchable=input.is_searchable,
                    used_in_product_listing=input.used_in_product_listing,
                    is_visible_on_front=input.is_visible_on_front,
                    options=_options(input.options),
                ),
            )
        except DomainError as error:
            return CustomAttributeOutput(attribute=None, user_errors=UserError.from_error(error))
        return CustomAttributeOutput(attribute=CustomAttributeMetadata.of(view), user_errors=[])

    @strawberry.mutation(
        description="Delete a custom attribute and every value stored for it "
        "(admin token required)."
    )
    async def adminDeleteCustomAttribute(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID,
            strawberry.argument(description="The `uid` of the custom attribute to delete."),
        ],
    ) -> DeleteCustomAttributeOutput:
        await require_admin(info)
        try:
            view = await attribute_metadata.delete(decode_uid(uid))
        except DomainError as error:
            return DeleteCustomAttributeOutput(
                deleted_uid=None, user_errors=UserError.from_error(error)
            )
        return DeleteCustomAttributeOutput(
            deleted_uid=strawberry.ID(encode_uid(view.attribute.attribute_id)), user_errors=[]
        )
