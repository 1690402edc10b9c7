"""Cart-rule conditions on custom product attributes of each stored kind, end to end through HTTP:
a number (decimal), a date and a multiselect attribute flagged "Use for Promo Rule Conditions",
a rule created through `adminCreateCartRule` whose conditions (an item FOUND) and actions read
the attribute, and the exact discount a guest cart then shows."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from models import (
    CatalogEavAttribute,
    CatalogProductEntityDatetime,
    CatalogProductEntityDecimal,
    CatalogProductEntityText,
    EavAttribute,
    EavAttributeOption,
)
from models.attributes import BackendType, EntityType, FrontendInput
from tests.test_cart_discounts import cart_of, discounts, item_discounts, make_rule, money
from tests.test_carts import add, guest_cart, make_product


async def _attribute(code: str, backend: BackendType, frontend: FrontendInput) -> EavAttribute:
    attribute = await EavAttribute.create(
        entity_type_id=EntityType.CATALOG_PRODUCT,
        attribute_code=code,
        backend_type=backend,
        frontend_input=frontend,
        frontend_label=code,
    )
    await CatalogEavAttribute.create(attribute=attribute, is_used_for_promo_rules=True)
    return attribute


async def _seed(kind: str) -> tuple[str, list[str]]:
    """Products `hit` and `miss` (40.00 each) with values of a `kind` attribute; the attribute's
    code and the rule value that `hit` satisfies and `miss` does not."""
    hit = await make_product("hit", "40.00")
    miss = await make_product("miss", "40.00")
    if kind == "number":
        # Magento's "price"-type attribute: a decimal; "strength >= 12.5".
        attribute = await _attribute("strength", BackendType.DECIMAL, FrontendInput.TEXT)
        for product, value in ((hit, "12.5"), (miss, "12.49")):
            await CatalogProductEntityDecimal.create(
                attribute=attribute, entity=product, store_id=0, value=Decimal(value)
            )
        return "strength", ["12.5"]
    if kind == "date":
        # "launched on or after 2026-03-01" (a date attribute is compared by its day).
        attribute = await _attribute("launched", BackendType.DATETIME, FrontendInput.DATE)
        for product, day in ((hit, 1), (miss, 28)):
            month = 3 if product is hit else 2
            await CatalogProductEntityDatetime.create(
                attribute=attribute,
                entity=product,
                store_id=0,
                value=datetime(2026, month, day, tzinfo=UTC),
            )
        return "launched", ["2026-03-01"]
    # "materials contains <oak>": the multiselect holds option ids, comma-separated.
    attribute = await _attribute("materials", BackendType.TEXT, FrontendInput.MULTISELECT)
    oak, pine, steel = [await EavAttributeOption.create(attribute=attribute) for _ in range(3)]
    for product, value in (
        (hit, f"{pine.option_id},{oak.option_id}"),
        (miss, f"{pine.option_id},{steel.option_id}"),
    ):
        await CatalogProductEntityText.create(
            attribute=attribute, entity=product, store_id=0, value=value
        )
    return "materials", [str(oak.option_id)]


OPERATORS = {"number": "GREATER_OR_EQUAL", "date": "GREATER_OR_EQUAL", "multiselect": "CONTAINS"}


@pytest.mark.parametrize("kind", ["number", "date", "multiselect"])
async def test_a_rule_on_a_custom_product_attribute(
    client: Any, admin_token: str, kind: str
) -> None:
    code, value = await _seed(kind)
    leaf = {"type": "PRODUCT", "attribute": code, "operator": OPERATORS[kind], "value": value}
    await make_rule(
        client,
        admin_token,
        name="Custom",
        simple_action="BY_PERCENT",
        discount_amount=25,
        labels=[{"label": "Quarter off"}],
        conditions={
            "type": "COMBINE",
            "aggregator": "ALL",
            "value": ["1"],
            "conditions": [
                {"type": "PRODUCT_FOUND", "aggregator": "ALL", "value": ["1"], "conditions": [leaf]}
            ],
        },
        actions={"type": "COMBINE", "conditions": [leaf]},
    )
    # Only `hit` in the cart: found, 2 x 40.00 x 25% = 20.00 off; subtotal 80, grand total 60.
    cart_id = await guest_cart(client)
    await add(client, cart_id, [("hit", 2)])
    cart = await cart_of(client, cart_id)
    assert item_discounts(cart) == {"hit": 20.0}
    assert discounts(cart["prices"]["discounts"]) == [("Quarter off", 20.0, "ITEM", None)]
    assert money(cart, "grand_total") == 60.0
    # `miss` beside it takes nothing (the actions read the attribute too): still 20.00 off.
    await add(client, cart_id, [("miss", 1)])
    cart = await cart_of(client, cart_id)
    assert item_discounts(cart) == {"hit": 20.0, "miss": 0.0}
    assert money(cart, "grand_total") == 100.0  # 120 - 20
    # `miss` alone: the condition fails, no discount.
    other = await guest_cart(client)
    await add(client, other, [("miss", 1)])
    cart = await cart_of(client, other)
    assert item_discounts(cart) == {"miss": 0.0}
    assert cart["prices"]["discounts"] == []
    assert money(cart, "grand_total") == 40.0
