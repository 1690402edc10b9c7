"""Reward points through HTTP, with Magento_Reward's arithmetic worked by hand (reference B.2,
B.5, B.6, B.9): exchange rates per website and group, both directions and their rounding, the
redemption threshold, all-or-nothing spending on a cart, the cap, the earning actions, and
points given back when an order is canceled. Examples are numbered (#n) as the README and the
report count them. Prices: flat-rate shipping is 5.00 per item, no tax in Texas."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from engine.rewards.rates import Rate
from engine.uids import decode_uid, encode_uid
from models import (
    MagentoReward,
    MagentoRewardHistory,
    MagentoRewardRate,
    RateDirection,
    SalesOrder,
)
from tests.factories import make_customer, token_for
from tests.graphql import gql
from tests.rewards_support import (
    APPLY_POINTS,
    EARN,
    REMOVE_POINTS,
    SPEND,
    adjust,
    cart_of,
    config,
    give_credit,
    place,
    rate,
    rewards_of,
    set_status,
)
from tests.test_orders_support import make_cart, make_product

W1 = encode_uid(1)


async def points(customer_id: int) -> int:
    row = await MagentoReward.get_or_none(customer_id=customer_id, website_id=1)
    return row.points_balance if row is not None else 0


# --- exchange rates -------------------------------------------------------------------------


async def test_rates_follow_group_then_website(client: Any, admin_token: str) -> None:
    """#1-#4: (W0,G0) 100 pts = $1, (W1,G0) 50 pts = $1, (W0,G2) 10 pts = $1, (W1,G1) $5 = 1 pt.
    General (G1) in website 1: the website's own rate (50) beats the all-websites one; Wholesale
    (G2): its group's rate (10) beats the website's, as `ORDER BY customer_group_id DESC,
    website_id DESC`. A missing earning rate reads {0, 0}."""
    await rate(client, admin_token, SPEND, 100, 1)
    await rate(client, admin_token, SPEND, 50, 1, website=1)
    await rate(client, admin_token, SPEND, 10, 1, group=2)
    await rate(client, admin_token, EARN, 1, 5, website=1, group=1)
    general = await make_customer("ann@example.com", group_id=1)
    wholesale = await make_customer("bob@example.com", group_id=2)

    ann = await rewards_of(client, await token_for(general))
    bob = await rewards_of(client, await token_for(wholesale))

    assert ann["exchange_rates"] == {
        "earning": {"points": 1.0, "currency_amount": 5.0},  # #1
        "redemption": {"points": 50.0, "currency_amount": 1.0},  # #2 website beats all
    }
    assert bob["exchange_rates"] == {
        "earning": {"points": 0.0, "currency_amount": 0.0},  # #3 no rate for G2
        "redemption": {"points": 10.0, "currency_amount": 1.0},  # #4 group beats website
    }
    assert ann["balance"] == {"points": 0.0, "money": {"value": 0.0, "currency": "USD"}}
    assert ann["subscription_status"] == {
        "balance_updates": "SUBSCRIBED",
        "points_expiration_notifications": "SUBSCRIBED",
    }


async def test_adobe_example_seven_points_a_dollar(client: Any, admin_token: str) -> None:
    """#5-#8 (reference B.9 examples 1 and 2): 7 points = $1, $5 = 1 point; 200 points are worth
    int(200/7)*1 = $28. A $30 cart (25.00 + 5.00 shipping): 28 < 30, so 7*ceil(28/1) = 196 points
    pay $28 and the grand total is 30 - 28 = $2; 4 points stay, worth int(4/7) = $0."""
    await rate(client, admin_token, SPEND, 7, 1, website=1, group=1)
    await rate(client, admin_token, EARN, 1, 5, website=1, group=1)
    ann = await make_customer()
    token = await token_for(ann)
    result = await adjust(client, admin_token, ann, 200, "welcome")
    assert result["user_errors"] == []
    before = await rewards_of(client, token)
    assert before["balance"] == {"points": 200.0, "money": {"value": 28.0, "currency": "USD"}}
    assert before["balance_history"] == [
        {
            "points_change": 200.0,
            "change_reason": "Updated by moderator",
            "balance": {"points": 200.0, "money": {"value": 28.0}},
        }
    ]
    _, masked = await make_cart([(await make_product("lamp", "25.00"), "1")], customer=ann)
    assert (await cart_of(client, masked, token))["prices"]["grand_total"]["value"] == 30.0

    applied = await gql(client, APPLY_POINTS, {"id": masked}, token=token)

    assert applied.data == {
        "applyRewardPointsToCart": {
            "cart": {
                "prices": {"grand_total": {"value": 2.0}},
                "applied_reward_points": {"points": 196.0, "money": {"value": 28.0}},
            }
        }
    }
    order = await place(client, masked, token)
    assert order["total"] == {
        "grand_total": {"value": 2.0},
        "total_reward_points": {"value": 28.0},
        "total_store_credit": {"value": 0.0},
    }
    after = await rewards_of(client, token)
    assert after["balance"] == {"points": 4.0, "money": {"value": 0.0, "currency": "USD"}}
    assert after["balance_history"][0] == {
        "points_change": -196.0,
        "change_reason": f"Redeemed for order #{order['number']}",
        "balance": {"points": 4.0, "money": {"value": 0.0}},
    }


async def test_adobe_example_all_points_under_the_total(client: Any, admin_token: str) -> None:
    """#9 (reference B.9 example 3): (W0,G0) 100 points = $1 and 200 points on a $105 cart: all
    200 points pay $2, the grand total is 103."""
    await rate(client, admin_token, SPEND, 100, 1)
    ann = await make_customer()
    token = await token_for(ann)
    await adjust(client, admin_token, ann, 200)
    _, masked = await make_cart([(await make_product("lamp", "100.00"), "1")], customer=ann)

    await gql(client, APPLY_POINTS, {"id": masked}, token=token)

    assert await cart_of(client, masked, token) == {
        "prices": {"grand_total": {"value": 103.0}},
        "applied_reward_points": {"points": 200.0, "money": {"value": 2.0, "currency": "USD"}},
        "applied_store_credit": {
            "enabled": True,
            "applied_balance": {"value": 0.0},
            "current_balance": {"value": 0.0},
        },
    }


async def test_points_charged_round_up_to_whole_blocks(client: Any, admin_token: str) -> None:
    """#10-#11 (reference B.9 example 4, scaled): 100 points = $10, 250 points are worth
    int(250/100)*10 = $20 >= the $15 cart (10.00 + 5.00), so the cart costs 100*ceil(15/10) =
    200 points for $15 and its grand total is 0; 50 points stay after the order."""
    await rate(client, admin_token, SPEND, 100, 10)
    ann = await make_customer()
    token = await token_for(ann)
    await adjust(client, admin_token, ann, 250)
    _, masked = await make_cart([(await make_product("mug", "10.00"), "1")], customer=ann)

    await gql(client, APPLY_POINTS, {"id": masked}, token=token)
    cart = await cart_of(client, masked, token)

    assert cart["prices"]["grand_total"]["value"] == 0.0
    assert cart["applied_reward_points"] == {
        "points": 200.0,
        "money": {"value": 15.0, "currency": "USD"},
    }
    await place(client, masked, token)
    assert await points(ann.entity_id) == 50


async def test_partial_blocks_are_not_spent(client: Any, admin_token: str) -> None:
    """#12: 100 points = $1, 250 points on a $105 cart: the balance is worth int(250/100) = $2,
    less than the total, so min(100*ceil(2/1), 250) = 200 points pay $2 (grand total 103) and
    the 50 points of the partial block stay."""
    await rate(client, admin_token, SPEND, 100, 1)
    ann = await make_customer()
    token = await token_for(ann)
    await adjust(client, admin_token, ann, 250)
    _, masked = await make_cart([(await make_product("lamp", "100.00"), "1")], customer=ann)

    await gql(client, APPLY_POINTS, {"id": masked}, token=token)
    order = await place(client, masked, token)

    assert order["total"]["grand_total"] == {"value": 103.0}
    assert order["total"]["total_reward_points"] == {"value": 2.0}
    assert await points(ann.entity_id) == 50


async def test_threshold_for_spending(client: Any, admin_token: str) -> None:
    """#13-#14: with `min_points_balance` 500, 200 points are below the threshold: applying is
    silent and the cart stays at 105. With 600 points (worth $6) they apply: 99."""
    await rate(client, admin_token, SPEND, 100, 1)
    await config(client, admin_token, "REWARD_MIN_POINTS_BALANCE", "500")
    ann = await make_customer()
    token = await token_for(ann)
    await adjust(client, admin_token, ann, 200)
    _, masked = await make_cart([(await make_product("lamp", "100.00"), "1")], customer=ann)

    below = await gql(client, APPLY_POINTS, {"id": masked}, token=token)
    assert below.errors == []
    assert below.data["applyRewardPointsToCart"]["cart"] == {  # type: ignore[index]
        "prices": {"grand_total": {"value": 105.0}},
        "applied_reward_points": None,
    }
    await adjust(client, admin_token, ann, 400)
    above = await gql(client, APPLY_POINTS, {"id": masked}, token=token)
    assert above.data["applyRewardPointsToCart"]["cart"] == {  # type: ignore[index]
        "prices": {"grand_total": {"value": 99.0}},
        "applied_reward_points": {"points": 600.0, "money": {"value": 6.0}},
    }


async def test_removing_points_restores_the_total(client: Any, admin_token: str) -> None:
    await rate(client, admin_token, SPEND, 100, 1)
    ann = await make_customer()
    token = await token_for(ann)
    await adjust(client, admin_token, ann, 300)
    _, masked = await make_cart([(await make_product("lamp", "100.00"), "1")], customer=ann)
    await gql(client, APPLY_POINTS, {"id": masked}, token=token)

    removed = await gql(client, REMOVE_POINTS, {"id": masked}, token=token)

    assert removed.data == {
        "removeRewardPointsFromCart": {
            "cart": {"prices": {"grand_total": {"value": 105.0}}, "applied_reward_points": None}
        }
    }
    assert await points(ann.entity_id) == 300


# --- earning ----------------------------------------------------------------------------------


async def order_paid(client: Any, admin: str, customer: Any, price: str, sku: str) -> str:
    token = await token_for(customer)
    _, masked = await make_cart([(await make_product(sku, price), "1")], customer=customer)
    order = await place(client, masked, token)
    await invoice(client, admin, order["number"])
    return str(order["number"])


async def invoice(client: Any, admin: str, number: str) -> None:
    """The admin invoices the whole order: it is paid in full."""
    uid = encode_uid((await SalesOrder.get(increment_id=number)).entity_id)
    response = await gql(
        client,
        "mutation ($uid: ID!) { adminInvoiceOrder(input: {order_uid: $uid}) "
        "{ user_errors { message } } }",
        {"uid": uid},
        token=admin,
    )
    assert response.errors == [], response.errors
    assert response.data == {"adminInvoiceOrder": {"user_errors": []}}


async def test_purchase_points_by_group(client: Any, admin_token: str) -> None:
    """#15-#16 (reference B.9 example 5): an order of 52.00 + 5.00 shipping becomes paid: amount
    57 - 5 = 52. General (G1, $5 = 1 point): int(52/5)*1 = 10 points; Wholesale (G2, all-websites
    rate $1 = 2 points): int(52/1)*2 = 104 points."""
    await config(client, admin_token, "REWARD_POINTS_ORDER", "1")
    await rate(client, admin_token, EARN, 1, 5, website=1, group=1)
    await rate(client, admin_token, EARN, 2, 1, group=2)
    ann = await make_customer("ann@example.com", group_id=1)
    bob = await make_customer("bob@example.com", group_id=2)

    number = await order_paid(client, admin_token, ann, "52.00", "lamp")
    await order_paid(client, admin_token, bob, "52.00", "desk")

    assert await points(ann.entity_id) == 10
    assert await points(bob.entity_id) == 104
    history = (await rewards_of(client, await token_for(ann)))["balance_history"]
    assert history == [
        {
            "points_change": 10.0,
            "change_reason": f"Earned points for order #{number}",
            "balance": {"points": 10.0, "money": {"value": 0.0}},
        }
    ]


async def test_purchase_points_floor_and_paid_twice(client: Any, admin_token: str) -> None:
    """#17: 4.99 paid (9.99 less 5.00 shipping) is under one $5 block: int(4.99/5) = 0 points and
    no history. An order moving on to complete earns nothing more (once per order)."""
    await config(client, admin_token, "REWARD_POINTS_ORDER", "1")
    await rate(client, admin_token, EARN, 1, 5)
    ann = await make_customer()
    number = await order_paid(client, admin_token, ann, "4.99", "pen")
    bob = await make_customer("bob@example.com")
    second = await order_paid(client, admin_token, bob, "20.00", "book")
    await set_status(client, admin_token, second, "complete")

    assert await points(ann.entity_id) == 0
    assert await MagentoRewardHistory.filter(reward__customer_id=ann.entity_id).count() == 0
    assert number
    assert await points(bob.entity_id) == 4  # int(20/5)*1, once


async def test_money_paid_with_points_earns_nothing(client: Any, admin_token: str) -> None:
    """#18: 200 points (100 = $1) pay $2 of a 57.00 order (52.00 + 5.00): 55.00 is paid, less
    shipping 50.00, int(50/5) = 10 points: the $2 of points earned none."""
    await config(client, admin_token, "REWARD_POINTS_ORDER", "1")
    await rate(client, admin_token, SPEND, 100, 1)
    await rate(client, admin_token, EARN, 1, 5)
    ann = await make_customer()
    token = await token_for(ann)
    await adjust(client, admin_token, ann, 200)
    _, masked = await make_cart([(await make_product("lamp", "52.00"), "1")], customer=ann)
    await gql(client, APPLY_POINTS, {"id": masked}, token=token)
    order = await place(client, masked, token)
    assert order["total"]["grand_total"] == {"value": 55.0}

    await invoice(client, admin_token, order["number"])

    assert await points(ann.entity_id) == 10


async def test_no_purchase_points_unless_configured(client: Any, admin_token: str) -> None:
    """`points/order` is unset by default (Magento's config.xml): nothing is earned."""
    await rate(client, admin_token, EARN, 1, 5)
    ann = await make_customer()
    await order_paid(client, admin_token, ann, "52.00", "lamp")
    assert await points(ann.entity_id) == 0


async def test_balance_cap(client: Any, admin_token: str) -> None:
    """#19-#20: with the cap at 150, +200 adds 150 (50 cropped); another +10 adds 0 but still
    writes its capped row, as Magento's `afterSave`."""
    await config(client, admin_token, "REWARD_MAX_POINTS_BALANCE", "150")
    ann = await make_customer()

    first = await adjust(client, admin_token, ann, 200, "bonus")
    second = await adjust(client, admin_token, ann, 10)

    assert first["reward_points"]["balances"] == [{"website_uid": W1, "points": 150}]
    assert second["reward_points"]["history"] == [
        {
            "action": "ADMIN",
            "change_reason": "Updated by moderator",
            "points_change": 0,
            "points_balance": 150,
            "comment": None,
            "is_expiry": False,
        },
        {
            "action": "ADMIN",
            "change_reason": "Updated by moderator",
            "points_change": 150,
            "points_balance": 150,
            "comment": "bonus",
            "is_expiry": False,
        },
    ]
    capped = await MagentoRewardHistory.filter(reward__customer_id=ann.entity_id).order_by(
        "history_id"
    )
    assert [row.additional_data for row in capped] == [
        '{"cropped_points": 50, "is_capped_reward": 1}',
        '{"cropped_points": 10, "is_capped_reward": 1}',
    ]


REGISTER = """
mutation ($input: CustomerCreateInput!) {
  createCustomerV2(input: $input) { customer { email } }
}
"""
SUBSCRIBE = "mutation ($email: String!) { subscribeEmailToNewsletter(email: $email) { status } }"


async def test_registration_points(client: Any, admin_token: str) -> None:
    """#21: `points/register` 50: an account created on the storefront earns 50 points, once."""
    await config(client, admin_token, "REWARD_POINTS_REGISTER", "50")
    variables = {
        "input": {
            "email": "new@example.com",
            "firstname": "New",
            "lastname": "Comer",
            "password": "Secret-Pass-123",
        }
    }
    created = await gql(client, REGISTER, variables)
    assert created.errors == []

    reward = await MagentoReward.get(customer__email="new@example.com")
    assert reward.points_balance == 50
    rows = await MagentoRewardHistory.filter(reward_id=reward.reward_id).values_list(
        "action", "points_delta"
    )
    assert rows == [(2, 50)]


async def test_newsletter_points_for_a_first_subscription(client: Any, admin_token: str) -> None:
    """#22: `points/newsletter` 20: the customer's first subscription earns 20 points."""
    await config(client, admin_token, "REWARD_POINTS_NEWSLETTER", "20")
    ann = await make_customer()
    token = await token_for(ann)

    subscribed = await gql(client, SUBSCRIBE, {"email": "ann@example.com"}, token=token)

    assert subscribed.data == {"subscribeEmailToNewsletter": {"status": "SUBSCRIBED"}}
    history = (await rewards_of(client, token))["balance_history"]
    assert history == [
        {
            "points_change": 20.0,
            "change_reason": "Signed up for newsletter with email ann@example.com",
            "balance": {"points": 20.0, "money": {"value": 0.0}},
        }
    ]


# --- cancel -----------------------------------------------------------------------------------


async def test_cancel_returns_points(client: Any, admin_token: str) -> None:
    """#23: 300 points (100 = $1) pay $3 of a 105.00 order (102.00 left); canceling it gives the
    300 points back ("Reverted from incomplete order #N"); a second cancel gives nothing."""
    await rate(client, admin_token, SPEND, 100, 1)
    ann = await make_customer()
    token = await token_for(ann)
    await adjust(client, admin_token, ann, 300)
    _, masked = await make_cart([(await make_product("lamp", "100.00"), "1")], customer=ann)
    await gql(client, APPLY_POINTS, {"id": masked}, token=token)
    order = await place(client, masked, token)
    assert order["total"]["grand_total"] == {"value": 102.0}
    assert await points(ann.entity_id) == 0

    await set_status(client, admin_token, order["number"], "canceled")
    await set_status(client, admin_token, order["number"], "canceled")

    assert await points(ann.entity_id) == 300
    history = (await rewards_of(client, token))["balance_history"]
    assert [(h["points_change"], h["change_reason"]) for h in history] == [
        (300.0, f"Reverted from incomplete order #{order['number']}"),
        (-300.0, f"Redeemed for order #{order['number']}"),
        (300.0, "Updated by moderator"),
    ]


# --- settings ---------------------------------------------------------------------------------


async def test_disabled_on_the_storefront(client: Any, admin_token: str) -> None:
    """`is_enabled_on_front` 0: `reward_points` is null and applying answers null, no error."""
    await config(client, admin_token, "REWARD_ENABLED_ON_FRONT", "0", website=1)
    ann = await make_customer()
    token = await token_for(ann)
    _, masked = await make_cart([(await make_product("lamp", "100.00"), "1")], customer=ann)

    assert await rewards_of(client, token) is None
    applied = await gql(client, APPLY_POINTS, {"id": masked}, token=token)
    assert (applied.errors, applied.data) == ([], {"applyRewardPointsToCart": None})


async def test_history_hidden_when_not_published(client: Any, admin_token: str) -> None:
    """`publish_history` 0: `balance_history` is [] (Magento's test, not null as its doc says)."""
    await config(client, admin_token, "REWARD_PUBLISH_HISTORY", "0")
    ann = await make_customer()
    await adjust(client, admin_token, ann, 10)
    assert (await rewards_of(client, await token_for(ann)))["balance_history"] == []


STORE_CONFIG = """
{ storeConfig { magento_reward_general_is_enabled magento_reward_general_min_points_balance
  magento_reward_points_register magento_reward_points_order } }
"""


async def test_store_config_fields(client: Any, admin_token: str) -> None:
    await config(client, admin_token, "REWARD_POINTS_REGISTER", "25")
    response = await gql(client, STORE_CONFIG)
    assert response.data == {
        "storeConfig": {
            "magento_reward_general_is_enabled": "1",
            "magento_reward_general_min_points_balance": None,
            "magento_reward_points_register": "25",
            "magento_reward_points_order": None,
        }
    }


# --- bad input --------------------------------------------------------------------------------


async def test_adjustments_refused(client: Any, admin_token: str) -> None:
    ann = await make_customer()
    await adjust(client, admin_token, ann, 5)
    path = "input.points_delta"
    assert (await adjust(client, admin_token, ann, 1.5))["user_errors"] == [
        {"code": "INVALID", "message": "Reward points must be a whole number.", "path": path}
    ]
    assert (await adjust(client, admin_token, ann, 0))["user_errors"] == [
        {"code": "INVALID", "message": "The points change cannot be 0.", "path": path}
    ]
    assert (await adjust(client, admin_token, ann, -6))["user_errors"] == [
        {
            "code": "INVALID",
            "message": "The reward points balance cannot be negative (it is 5).",
            "path": path,
        }
    ]
    assert await points(ann.entity_id) == 5
    assert await MagentoRewardHistory.all().count() == 1


async def test_rates_refused(client: Any, admin_token: str) -> None:
    zero = await rate(client, admin_token, SPEND, 0, 0)
    assert zero == {
        "rate": None,
        "user_errors": [
            {
                "code": "INVALID",
                "message": "Please enter a number greater than 0 in this field.",
                "path": "input.points",
            },
            {
                "code": "INVALID",
                "message": "Please enter a number greater than 0 in this field.",
                "path": "input.currency_amount",
            },
        ],
    }
    first = await rate(client, admin_token, SPEND, 10, 1, group=1)
    assert first["user_errors"] == []
    assert first["rate"]["customer_group_uid"] == encode_uid(1)
    assert first["rate"]["website_uid"] is None
    again = await rate(client, admin_token, SPEND, 20, 1, group=1)
    assert again == {
        "rate": None,
        "user_errors": [
            {
                "code": "ALREADY_EXISTS",
                "message": "The rate with the same website, customer group and direction or "
                "covering rate already exists.",
                "path": "input.direction",
            }
        ],
    }
    assert await MagentoRewardRate.all().count() == 1


async def test_applying_points_refused(client: Any, admin_token: str) -> None:
    ann = await make_customer()
    token = await token_for(ann)
    _, guest_cart = await make_cart([(await make_product("lamp", "100.00"), "1")])
    _, empty = await make_cart([], customer=ann)

    as_guest = await gql(client, APPLY_POINTS, {"id": guest_cart})
    assert as_guest.messages == ["The current customer isn't authorized."]
    assert as_guest.errors[0]["extensions"]["category"] == "graphql-authorization"
    not_theirs = await gql(client, APPLY_POINTS, {"id": guest_cart}, token=token)
    assert not_theirs.messages == [
        f'The current user cannot perform operations on cart "{guest_cart}"'
    ]
    on_empty = await gql(client, APPLY_POINTS, {"id": empty}, token=token)
    assert on_empty.messages == [
        "The cart is empty. Add products before paying with reward points or store credit."
    ]
    assert on_empty.errors[0]["extensions"]["category"] == "graphql-input"


# --- arithmetic (unit) ------------------------------------------------------------------------


def test_rate_arithmetic() -> None:
    spend = Rate(1, 0, 0, RateDirection.TO_CURRENCY, 7, Decimal(1))
    earn = Rate(2, 0, 0, RateDirection.TO_POINTS, 1, Decimal(5))
    assert spend.to_currency(200) == Decimal(28)  # int(200/7)*1
    assert spend.to_currency(6) == Decimal(0)
    assert spend.points_for(Decimal(28)) == 196  # 7*ceil(28/1)
    assert spend.points_for(Decimal("1.50")) == 14  # 7*ceil(1.5)
    assert earn.to_points(Decimal("52.00")) == 10  # int(52/5)*1
    assert earn.to_points(Decimal("4.99")) == 0  # below one block
    assert earn.to_points(Decimal("5.00")) == 1


DELETE_RATE = """
mutation ($uid: ID!) {
  adminDeleteRewardRate(uid: $uid) { rate { points } user_errors { code message path } }
}
"""
RATES = "{ adminRewardRates { uid direction points currency_amount } }"
ADMIN_HISTORY = """
query ($uid: ID!) {
  adminCustomerRewardPoints(customer_uid: $uid) { balances { points } history { points_change } }
  adminCustomerStoreCreditHistory(customer_uid: $uid) { action balance_change balance }
}
"""


async def test_rates_listed_and_deleted(client: Any, admin_token: str) -> None:
    saved = await rate(client, admin_token, EARN, 3, 2.5)
    uid = saved["rate"]["uid"]
    assert (await gql(client, RATES, token=admin_token)).data == {
        "adminRewardRates": [
            {"uid": uid, "direction": "CURRENCY_TO_POINTS", "points": 3, "currency_amount": 2.5}
        ]
    }

    deleted = await gql(client, DELETE_RATE, {"uid": uid}, token=admin_token)
    again = await gql(client, DELETE_RATE, {"uid": uid}, token=admin_token)

    assert deleted.data == {"adminDeleteRewardRate": {"rate": {"points": 3}, "user_errors": []}}
    assert again.data == {
        "adminDeleteRewardRate": {
            "rate": None,
            "user_errors": [
                {
                    "code": "NOT_FOUND",
                    "message": f'Could not find a reward exchange rate with ID "{decode_uid(uid)}"',
                    "path": "uid",
                }
            ],
        }
    }


async def test_admin_history_of_both_balances(client: Any, admin_token: str) -> None:
    ann = await make_customer()
    await adjust(client, admin_token, ann, 40)
    await adjust(client, admin_token, ann, -15)
    await give_credit(ann, "12.5")
    answer = await gql(client, ADMIN_HISTORY, {"uid": encode_uid(ann.entity_id)}, token=admin_token)
    assert answer.data == {
        "adminCustomerRewardPoints": {
            "balances": [{"points": 25}],
            "history": [{"points_change": -15}, {"points_change": 40}],
        },
        "adminCustomerStoreCreditHistory": [
            {"action": "Created", "balance_change": 12.5, "balance": 12.5}
        ],
    }
