"""A balance is never spent twice: one customer with two carts, each showing the whole balance
applied, places both at once through two application instances on one database. One order is
placed; the other is refused with Magento's message, its cart left as it was, and the balance
ends at 0, never below. On PostgreSQL (`MAGESEG_TEST_DATABASE_URL`) the two transactions really
interleave; on SQLite they run one after the other and must give the same answer."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aiohttp.test_utils import TestClient

from models import MagentoCustomerbalance, MagentoReward, MagentoRewardHistory, SalesOrder
from tests.factories import make_customer, token_for
from tests.graphql import gql
from tests.rewards_support import APPLY_CREDIT, APPLY_POINTS, SPEND, adjust, give_credit, rate
from tests.test_orders_limits import clients, race  # noqa: F401 - the two-instance fixture
from tests.test_orders_support import make_cart, make_product

NOT_ENOUGH_POINTS = "You don't have enough reward points to pay for this purchase."
NOT_ENOUGH_CREDIT = "You do not have enough store credit to complete this order."
REFUSED = {"category": "graphql-input", "error_code": "UNDEFINED"}


async def two_carts(client: TestClient[Any, Any], apply: str) -> tuple[list[Any], Any]:
    ann = await make_customer()
    token = await token_for(ann)
    lamp = await make_product("lamp", "100.00")
    carts = []
    for _ in range(2):
        quote, masked = await make_cart([(lamp, "1")], customer=ann)
        carts.append((quote.entity_id, masked, token))
    return carts, ann


async def test_points_are_spent_once(
    clients: tuple[TestClient[Any, Any], TestClient[Any, Any]],  # noqa: F811
    admin_token: str,
) -> None:
    """300 points at 100 = $1 pay $3 of each 105.00 cart: one order at 102.00, one refused."""
    one, _ = clients
    await rate(one, admin_token, SPEND, 100, 1)
    carts, ann = await two_carts(one, APPLY_POINTS)
    await adjust(one, admin_token, ann, 300)
    for _, masked, token in carts:
        shown = await gql(one, APPLY_POINTS, {"id": masked}, token=token)
        assert shown.data["applyRewardPointsToCart"]["cart"]["prices"] == {  # type: ignore[index]
            "grand_total": {"value": 102.0}
        }

    placed, refused, changed = await race(clients, carts)

    assert placed == [102.0]
    assert refused == [(NOT_ENOUGH_POINTS, REFUSED)]
    assert changed == 0
    assert (await MagentoReward.get(customer_id=ann.entity_id)).points_balance == 0
    spent = await MagentoRewardHistory.filter(action=1).values_list("points_delta", flat=True)
    assert spent == [-300]
    assert await SalesOrder.all().count() == 1


async def test_store_credit_is_spent_once(
    clients: tuple[TestClient[Any, Any], TestClient[Any, Any]],  # noqa: F811
    admin_token: str,
) -> None:
    """60.00 of credit on each 105.00 cart: one order at 45.00, one refused."""
    one, _ = clients
    carts, ann = await two_carts(one, APPLY_CREDIT)
    await give_credit(ann, "60")
    for _, masked, token in carts:
        shown = await gql(one, APPLY_CREDIT, {"id": masked}, token=token)
        assert shown.data["applyStoreCreditToCart"]["cart"]["prices"] == {  # type: ignore[index]
            "grand_total": {"value": 45.0}
        }

    placed, refused, changed = await race(clients, carts)

    assert placed == [45.0]
    assert refused == [(NOT_ENOUGH_CREDIT, REFUSED)]
    assert changed == 0
    row = await MagentoCustomerbalance.get(customer_id=ann.entity_id)
    assert row.amount == Decimal(0)
    assert await SalesOrder.all().count() == 1
