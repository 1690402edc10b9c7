"""Configurable products for admins: make products configurable and link their children, one
or many at a time (the storefront side lives on `ConfigurableProduct` and the cart)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from engine import configurable
from engine.configurable import AttributeChoice, ConfigurableChanges
from engine.errors import DomainError
from graph.configurable import (
    AdminConfigurableProduct,
    ConfigurableProductSetupInput,
    ConfigureProductsOutput,
)
from graph.context import Info
from graph.errors import UserError
from resolvers.access import require_admin


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Make products configurable by select attributes and link their simple "
        "children, replacing each parent's previous configuration; all rows or none (admin "
        "token required)."
    )
    async def adminConfigureProducts(
        self,
        info: Info,
        input: Annotated[
            list[ConfigurableProductSetupInput],
            strawberry.argument(
                description=(
                    "Each parent product with its configurable attributes and the skus of "
                    "its child products."
                )
            ),
        ],
    ) -> ConfigureProductsOutput:
        await require_admin(info)
        setups = [
            (
                row.parent_sku,
                ConfigurableChanges(
                    [
                        AttributeChoice(a.attribute_code, a.position, a.label)
                        for a in row.attributes
                    ],
                    list(row.child_skus),
                ),
            )
            for row in input
        ]
        try:
            parents = await configurable.configure_products(setups)
        except DomainError as error:
            return ConfigureProductsOutput(products=[], user_errors=UserError.from_error(error))
        store = await info.context.store()
        configs = await configurable.load_configurations(
            [p.entity_id for p in parents], store.store_id, store.website.website_id
        )
        return ConfigureProductsOutput(
            products=[
                AdminConfigurableProduct.of(p.sku, c) for p, c in zip(parents, configs, strict=True)
            ],
            user_errors=[],
        )
