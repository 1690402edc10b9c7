"""Helpers shared by the reward points and store credit tests: settings, rates, balances and
carts, all set through HTTP where a client would."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aiohttp.test_utils import TestClient
from tortoise.transactions import in_transaction

from engine import balance
from engine.stores import load_snapshot
from engine.uids import encode_uid
from models import CustomerEntity, SalesOrder
from tests.graphql import gql

SAVE_CONFIG = """
mutation ($path: ConfigPathEnum!, $value: String, $website: ID) {
  adminSaveConfig(input: {path: $path, value: $value, website_uid: $website}) {
    user_errors { message }
  }
}
"""
SAVE_RATE = """
mutation ($input: RewardExchangeRateInput!, $uid: ID) {
  adminSaveRewardRate(input: $input, uid: $uid) {
    rate { uid website_uid customer_group_uid direction points currency_amount }
    user_errors { code message path }
  }
}
"""
ADJUST = """
mutation ($input: RewardPointsAdjustmentInput!) {
  adminAdjustRewardPoints(input: $input) {
    reward_points {
      balances { website_uid points }
      history { action change_reason points_change points_balance comment is_expiry }
    }
    user_errors { code message path }
  }
}
"""
REWARDS = """
{
  customer {
    reward_points {
      balance { points money { value currency } }
      exchange_rates {
        earning { points currency_amount }
        redemption { points currency_amount }
      }
      subscription_status { balance_updates points_expiration_notifications }
      balance_history { points_change change_reason balance { points money { value } } }
    }
  }
}
"""
CART = """
query ($id: String!) {
  cart(cart_id: $id) {
    prices { grand_total { value } }
    applied_reward_points { points money { value currency } }
    applied_store_credit { enabled applied_balance { value } current_balance { value } }
  }
}
"""
APPLY_POINTS = """
mutation ($id: ID!) {
  applyRewardPointsToCart(cartId: $id) {
    cart { prices { grand_total { value } } applied_reward_points { points money { value } } }
  }
}
"""
REMOVE_POINTS = """
mutation ($id: ID!) {
  removeRewardPointsFromCart(cartId: $id) {
    cart { prices { grand_total { value } } applied_reward_points { points } }
  }
}
"""
APPLY_CREDIT = """
mutation ($id: String!) {
  applyStoreCreditToCart(input: {cart_id: $id}) {
    cart {
      prices { grand_total { value } }
      applied_store_credit { enabled applied_balance { value } current_balance { value } }
    }
  }
}
"""
REMOVE_CREDIT = """
mutation ($id: String!) {
  removeStoreCreditFromCart(input: {cart_id: $id}) {
    cart { prices { grand_total { value } } applied_store_credit { applied_balance { value } } }
  }
}
"""
PLACE = """
mutation ($id: String!) {
  placeOrder(input: {cart_id: $id}) {
    orderV2 {
      number
      total {
        grand_total { value }
        total_reward_points { value }
        total_store_credit { value }
      }
    }
  }
}
"""
STATUS = """
mutation ($uid: ID!, $status: String!) {
  adminUpdateOrderStatus(uid: $uid, status: $status) { user_errors { message } }
}
"""


async def config(
    client: TestClient[Any, Any],
    admin: str,
    path: str,
    value: str | None,
    website: int | None = None,
) -> None:
    variables = {"path": path, "value": value, "website": encode_uid(website) if website else None}
    response = await gql(client, SAVE_CONFIG, variables, token=admin)
    assert response.errors == [], response.errors
    assert response.data["adminSaveConfig"]["user_errors"] == []  # type: ignore[index]


async def rate(
    client: TestClient[Any, Any],
    admin: str,
    direction: str,
    points: float,
    amount: float,
    *,
    website: int | None = None,
    group: int | None = None,
) -> dict[str, Any]:
    variables = {
        "input": {
            "website_uid": encode_uid(website) if website else None,
            "customer_group_uid": encode_uid(group) if group else None,
            "direction": direction,
            "points": points,
            "currency_amount": amount,
        }
    }
    response = await gql(client, SAVE_RATE, variables, token=admin)
    assert response.errors == [], response.errors
    result: dict[str, Any] = response.data["adminSaveRewardRate"]  # type: ignore[index]
    return result


SPEND = "POINTS_TO_CURRENCY"
EARN = "CURRENCY_TO_POINTS"


async def adjust(
    client: TestClient[Any, Any],
    admin: str,
    customer: CustomerEntity,
    delta: float,
    comment: str | None = None,
    website: int | None = None,
) -> dict[str, Any]:
    variables = {
        "input": {
            "customer_uid": encode_uid(customer.entity_id),
            "points_delta": delta,
            "comment": comment,
            "website_uid": encode_uid(website) if website else None,
        }
    }
    response = await gql(client, ADJUST, variables, token=admin)
    assert response.errors == [], response.errors
    result: dict[str, Any] = response.data["adminAdjustRewardPoints"]  # type: ignore[index]
    return result


async def give_credit(customer: CustomerEntity, amount: str, website_id: int = 1) -> None:
    stores = await load_snapshot()
    async with in_transaction():
        await balance.apply(
            customer.entity_id,
            [balance.BalanceChange(website_id, delta=Decimal(amount))],
            website_id,
            stores,
        )


async def cart_of(client: TestClient[Any, Any], masked: str, token: str) -> dict[str, Any]:
    response = await gql(client, CART, {"id": masked}, token=token)
    assert response.errors == [], response.errors
    result: dict[str, Any] = response.data["cart"]  # type: ignore[index]
    return result


async def place(client: TestClient[Any, Any], masked: str, token: str) -> dict[str, Any]:
    response = await gql(client, PLACE, {"id": masked}, token=token)
    assert response.errors == [], response.errors
    result: dict[str, Any] = response.data["placeOrder"]["orderV2"]  # type: ignore[index]
    return result


async def set_status(client: TestClient[Any, Any], admin: str, number: str, status: str) -> None:
    order = await SalesOrder.get(increment_id=number)
    variables = {"uid": encode_uid(order.entity_id), "status": status}
    response = await gql(client, STATUS, variables, token=admin)
    assert response.errors == [], response.errors
    assert response.data["adminUpdateOrderStatus"]["user_errors"] == []  # type: ignore[index]


async def rewards_of(client: TestClient[Any, Any], token: str) -> Any:
    response = await gql(client, REWARDS, token=token)
    assert response.errors == [], response.errors
    return response.data["customer"]["reward_points"]  # type: ignore[index]
