"""Where order documents meet reward points, store credit and invitations, through HTTP: an
invoice's money total leaves out what the balances paid, a credit memo gives back its share of
the store credit and points (`give_back.balances`) and refunds the rest in money, and an order
earns its purchase points and the inviter's order reward when an invoice pays it in full, once.
Worked examples: every amount by hand in a comment. Flat-rate shipping is 5.00 per item."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from engine.invitations import codes
from engine.uids import encode_uid
from models import (
    CustomerEntity,
    MagentoCustomerbalanceHistory,
    MagentoInvitation,
    MagentoReward,
    MagentoRewardHistory,
    SalesOrder,
    SalesOrderItem,
    SalesruleCoupon,
)
from tests.factories import make_customer, token_for
from tests.graphql import gql
from tests.rewards_support import (
    APPLY_CREDIT,
    APPLY_POINTS,
    EARN,
    SPEND,
    adjust,
    config,
    give_credit,
    rate,
    set_status,
)
from tests.test_cart_discounts import APPLY_COUPON
from tests.test_invitations import REGISTER, account, invite
from tests.test_order_documents import coupon_rule
from tests.test_orders_support import make_cart, make_product
from tests.test_rewards import points
from tests.test_store_credit import credit

PLACE = """
mutation ($id: String!) {
  placeOrder(input: {cart_id: $id}) {
    orderV2 { id number total { grand_total { value } total_reward_points { value }
      subtotal { value } total_shipping { value } discounts { amount { value } }
      total_store_credit { value } } }
  }
}
"""
ORDER_FIELDS = "state total_invoiced total_paid total_refunded"
INVOICE = (
    """
mutation ($input: AdminInvoiceOrderInput!) {
  adminInvoiceOrder(input: $input) {
    invoice { total { grand_total { value } } }
    order { """
    + ORDER_FIELDS
    + """ }
    user_errors { code message path }
  }
}
"""
)
REFUND = (
    """
mutation ($input: AdminRefundOrderInput!) {
  adminRefundOrder(input: $input) {
    credit_memo { total { subtotal { value } total_shipping { value } grand_total { value } } }
    order { """
    + ORDER_FIELDS
    + """ }
    user_errors { code message path }
  }
}
"""
)
MY_DOCUMENTS = """
{ customer { orders { items { number
  invoices { total { grand_total { value } } }
  credit_memos { total { grand_total { value } } }
} } } }
"""


def money(value: float) -> dict[str, float]:
    return {"value": value}


async def order_with(
    client: Any,
    customer: Any,
    lines: list[tuple[str, str]],
    *,
    use_credit: bool = False,
    use_points: bool = False,
    coupon: str | None = None,
) -> dict[str, Any]:
    """A customer's order of one unit of each `(sku, price)`, paid partly with store credit and
    or points as asked, placed through the storefront."""
    token = await token_for(customer)
    products = [(await make_product(sku, price), "1") for sku, price in lines]
    _, masked = await make_cart(products, customer=customer)
    if coupon is not None:
        applied = await gql(client, APPLY_COUPON, {"id": masked, "code": coupon}, token=token)
        assert applied.errors == [], applied.errors
    for wanted, document in ((use_points, APPLY_POINTS), (use_credit, APPLY_CREDIT)):
        if wanted:
            response = await gql(client, document, {"id": masked}, token=token)
            assert response.errors == [], response.errors
    placed = await gql(client, PLACE, {"id": masked}, token=token)
    assert placed.errors == [], placed.errors
    order: dict[str, Any] = placed.data["placeOrder"]["orderV2"]  # type: ignore[index]
    return order


async def item_uid(number: str, sku: str) -> str:
    order = await SalesOrder.get(increment_id=number)
    item = await SalesOrderItem.get(order_id=order.entity_id, sku=sku, parent_item_id=None)
    return encode_uid(item.item_id)


async def document(client: Any, admin: str, mutation: str, input: dict[str, Any]) -> Any:
    response = await gql(client, mutation, {"input": input}, token=admin)
    assert response.errors == [], response.errors
    (answer,) = response.data.values()  # type: ignore[union-attr]
    assert answer["user_errors"] == [], answer["user_errors"]
    return answer


async def order_uid(number: str) -> str:
    return encode_uid((await SalesOrder.get(increment_id=number)).entity_id)


async def credit_history(customer_id: int) -> list[tuple[int, Decimal]]:
    rows = (
        await MagentoCustomerbalanceHistory.filter(balance__customer_id=customer_id)
        .order_by("history_id")
        .values_list("action", "balance_delta")
    )
    return [(int(action), Decimal(delta)) for action, delta in rows]


async def reward_history(customer_id: int) -> list[tuple[int, int]]:
    rows = (
        await MagentoRewardHistory.filter(reward__customer_id=customer_id)
        .order_by("history_id")
        .values_list("action", "points_delta")
    )
    return [(int(action), int(delta)) for action, delta in rows]


# --- refunds ----------------------------------------------------------------------------------


async def test_invoice_and_full_refund_of_an_order_paid_partly_with_store_credit(
    client: Any, admin_token: str
) -> None:
    ann = await make_customer()
    await give_credit(ann, "30")
    order = await order_with(client, ann, [("lamp", "100.00")], use_credit=True)
    # 100.00 + 5.00 shipping = 105.00, 30.00 of it store credit: 75.00 to pay in money.
    assert order["total"]["grand_total"] == money(75.0)
    uid = await order_uid(order["number"])

    invoiced = await document(client, admin_token, INVOICE, {"order_uid": uid})
    # The invoice is 105.00 gross, less the 30.00 the store credit paid: 75.00 paid.
    assert invoiced["invoice"]["total"]["grand_total"] == money(75.0)
    assert invoiced["order"] == {
        "state": "processing",
        "total_invoiced": 75.0,
        "total_paid": 75.0,
        "total_refunded": 0.0,
    }

    refunded = await document(client, admin_token, REFUND, {"order_uid": uid})
    # The whole 105.00: 30.00 back to store credit (Refunded), 75.00 back in money; closed.
    assert refunded["credit_memo"]["total"] == {
        "subtotal": money(100.0),
        "total_shipping": money(5.0),
        "grand_total": money(75.0),
    }
    assert refunded["order"] == {
        "state": "closed",
        "total_invoiced": 75.0,
        "total_paid": 75.0,
        "total_refunded": 75.0,
    }
    assert await credit(ann.entity_id) == Decimal(30)
    assert await credit_history(ann.entity_id) == [
        (2, Decimal(30)),  # Created
        (3, Decimal(-30)),  # Used
        (4, Decimal(30)),  # Refunded
    ]
    # The customer reads the same money totals on their order's documents.
    mine = await gql(client, MY_DOCUMENTS, token=await token_for(ann))
    assert mine.data == {
        "customer": {
            "orders": {
                "items": [
                    {
                        "number": order["number"],
                        "invoices": [{"total": {"grand_total": money(75.0)}}],
                        "credit_memos": [{"total": {"grand_total": money(75.0)}}],
                    }
                ]
            }
        }
    }


async def test_partial_refunds_give_back_store_credit_in_proportion(
    client: Any, admin_token: str
) -> None:
    ann = await make_customer()
    await give_credit(ann, "22")
    order = await order_with(client, ann, [("lamp", "60.00"), ("desk", "40.00")], use_credit=True)
    # 60 + 40 + 2 x 5.00 shipping = 110.00 gross; 22.00 store credit; 88.00 in money.
    assert order["total"]["grand_total"] == money(88.0)
    uid = await order_uid(order["number"])
    await document(client, admin_token, INVOICE, {"order_uid": uid})

    desk = [{"order_item_uid": await item_uid(order["number"], "desk"), "quantity": 1}]
    first = await document(
        client, admin_token, REFUND, {"order_uid": uid, "items": desk, "shipping_amount": 0}
    )
    # The desk alone: 40.00 of 110.00 gross; its share of the credit 22 x 40 / 110 = 8.00
    # comes back as store credit, 40 - 8 = 32.00 in money.
    assert first["credit_memo"]["total"]["grand_total"] == money(32.0)
    assert first["order"]["state"] == "processing"
    assert first["order"]["total_refunded"] == 32.0
    assert await credit(ann.entity_id) == Decimal(8)

    rest = await document(client, admin_token, REFUND, {"order_uid": uid})
    # The lamp and the 10.00 shipping: 70.00; the last memo takes the credit left, 22 - 8 =
    # 14.00, and 70 - 14 = 56.00 in money. 32 + 56 = 88 = paid: closed.
    assert rest["credit_memo"]["total"]["grand_total"] == money(56.0)
    assert rest["order"]["state"] == "closed"
    assert rest["order"]["total_refunded"] == 88.0
    assert await credit(ann.entity_id) == Decimal(22)
    assert await credit_history(ann.entity_id) == [
        (2, Decimal(22)),
        (3, Decimal(-22)),
        (4, Decimal(8)),
        (4, Decimal(14)),
    ]


async def test_partial_refunds_with_points_follow_refund_automatically(
    client: Any, admin_token: str
) -> None:
    await rate(client, admin_token, SPEND, 100, 1)
    await config(client, admin_token, "REWARD_REFUND_AUTOMATICALLY", "1")
    ann = await make_customer()
    await adjust(client, admin_token, ann, 1100)
    order = await order_with(client, ann, [("lamp", "60.00"), ("desk", "40.00")], use_points=True)
    # 110.00 gross; 1100 points at 100 = $1 pay 11.00; 99.00 in money.
    assert order["total"]["grand_total"] == money(99.0)
    assert order["total"]["total_reward_points"] == money(11.0)
    uid = await order_uid(order["number"])
    invoiced = await document(client, admin_token, INVOICE, {"order_uid": uid})
    assert invoiced["invoice"]["total"]["grand_total"] == money(99.0)

    desk = [{"order_item_uid": await item_uid(order["number"], "desk"), "quantity": 1}]
    first = await document(
        client, admin_token, REFUND, {"order_uid": uid, "items": desk, "shipping_amount": 0}
    )
    # 40 of 110: int(1100 x 40 / 110) = 400 points come back ("Refunded from order"), worth
    # 11 x 40 / 110 = 4.00; 40 - 4 = 36.00 in money.
    assert first["credit_memo"]["total"]["grand_total"] == money(36.0)
    assert await points(ann.entity_id) == 400

    # Refund Reward Points Automatically off (Magento's default): the last memo keeps the
    # points spent, and still refunds only money: 70 - (11 - 4) = 63.00. 36 + 63 = 99: closed.
    await config(client, admin_token, "REWARD_REFUND_AUTOMATICALLY", "0")
    rest = await document(client, admin_token, REFUND, {"order_uid": uid})
    assert rest["credit_memo"]["total"]["grand_total"] == money(63.0)
    assert rest["order"]["state"] == "closed"
    assert rest["order"]["total_refunded"] == 99.0
    assert await points(ann.entity_id) == 400
    assert await reward_history(ann.entity_id) == [(0, 1100), (1, -1100), (9, 400)]
    refreshed = await SalesOrder.get(increment_id=order["number"])
    assert refreshed.reward_points_balance_refund == 400
    assert Decimal(refreshed.base_rwrd_crrncy_amnt_refnded) == Decimal(11)


async def test_refund_of_an_order_with_a_coupon_and_points(client: Any, admin_token: str) -> None:
    await coupon_rule(client, admin_token)
    await rate(client, admin_token, SPEND, 100, 1)
    await config(client, admin_token, "REWARD_REFUND_AUTOMATICALLY", "1")
    ann = await make_customer()
    await adjust(client, admin_token, ann, 900)
    order = await order_with(client, ann, [("lamp", "50.00")], use_points=True, coupon="SAVE10")
    # 50 - 10% = 45.00, shipping 5 - 10% = 4.50: 49.50; 900 points pay 9.00; 40.50 in money.
    assert order["total"]["discounts"] == [{"amount": money(5.5)}]
    assert order["total"]["grand_total"] == money(40.5)
    uid = await order_uid(order["number"])
    invoiced = await document(client, admin_token, INVOICE, {"order_uid": uid})
    assert invoiced["invoice"]["total"]["grand_total"] == money(40.5)

    refunded = await document(client, admin_token, REFUND, {"order_uid": uid})
    # 49.50 gross: the 900 points back, 40.50 in money; closed, the coupon use given back.
    assert refunded["credit_memo"]["total"]["grand_total"] == money(40.5)
    assert refunded["order"]["state"] == "closed"
    assert await points(ann.entity_id) == 900
    assert (await SalesruleCoupon.get(code="SAVE10")).times_used == 0


async def test_an_order_paid_with_store_credit_alone_can_be_refunded(
    client: Any, admin_token: str
) -> None:
    ann = await make_customer()
    await give_credit(ann, "200")
    order = await order_with(client, ann, [("lamp", "100.00")], use_credit=True)
    # 105.00 all paid with store credit: 0.00 in money, 95.00 of credit left.
    assert order["total"]["grand_total"] == money(0.0)
    uid = await order_uid(order["number"])
    invoiced = await document(client, admin_token, INVOICE, {"order_uid": uid})
    assert invoiced["invoice"]["total"]["grand_total"] == money(0.0)
    assert invoiced["order"]["total_paid"] == 0.0

    # Nothing was paid in money, yet the memo gives the 105.00 of credit back (Magento's
    # `forced_can_creditmemo`): 95 + 105 = 200.00; the order is closed.
    refunded = await document(client, admin_token, REFUND, {"order_uid": uid})
    assert refunded["credit_memo"]["total"]["grand_total"] == money(0.0)
    assert refunded["order"]["state"] == "closed"
    assert await credit(ann.entity_id) == Decimal(200)


# --- earning ----------------------------------------------------------------------------------


async def test_points_are_earned_when_the_invoice_pays_the_order_not_before(
    client: Any, admin_token: str
) -> None:
    await config(client, admin_token, "REWARD_POINTS_ORDER", "1")
    await rate(client, admin_token, EARN, 1, 5)
    ann = await make_customer()
    order = await order_with(client, ann, [("lamp", "30.00"), ("desk", "22.00")])
    uid = await order_uid(order["number"])
    # Placed, then processing by status: nothing is paid yet, nothing earned.
    await set_status(client, admin_token, order["number"], "processing")
    assert await points(ann.entity_id) == 0

    lamp = [{"order_item_uid": await item_uid(order["number"], "lamp"), "quantity": 1}]
    await document(client, admin_token, INVOICE, {"order_uid": uid, "items": lamp})
    # Part of the order invoiced: not paid in full, nothing earned.
    assert await points(ann.entity_id) == 0

    await document(client, admin_token, INVOICE, {"order_uid": uid})
    # Paid in full: 30 + 22 + 10.00 shipping = 62.00, less shipping: int(52 / 5) x 1 = 10.
    assert await points(ann.entity_id) == 10
    # Shipped and complete afterwards: once per order.
    await set_status(client, admin_token, order["number"], "complete")
    assert await reward_history(ann.entity_id) == [(8, 10)]


async def test_a_status_declared_complete_order_earns_once(client: Any, admin_token: str) -> None:
    """Without invoices (an imported order, a shop invoicing elsewhere) `complete` declares the
    order paid: it earns then, and only then."""
    await config(client, admin_token, "REWARD_POINTS_ORDER", "1")
    await rate(client, admin_token, EARN, 1, 5)
    ann = await make_customer()
    order = await order_with(client, ann, [("lamp", "52.00")])
    await set_status(client, admin_token, order["number"], "processing")
    assert await points(ann.entity_id) == 0
    await set_status(client, admin_token, order["number"], "complete")
    # 57.00 less 5.00 shipping: int(52 / 5) = 10.
    assert await reward_history(ann.entity_id) == [(8, 10)]


async def test_the_invitees_first_invoiced_order_rewards_the_inviter_once(
    client: Any, admin_token: str
) -> None:
    await config(client, admin_token, "REWARD_POINTS_INVITATION_ORDER", "40")
    inviter = await make_customer()
    await invite(client, inviter, "bea@example.com")
    invitation = await MagentoInvitation.get()
    code = codes.invitation_code(invitation.invitation_id, invitation.protection_code or "")
    assert (await gql(client, REGISTER, {"code": code, "input": account()})).errors == []
    bea = await CustomerEntity.get(email="bea@example.com")

    first = await order_with(client, bea, [("lamp", "30.00"), ("desk", "22.00")])
    uid = await order_uid(first["number"])
    lamp = [{"order_item_uid": await item_uid(first["number"], "lamp"), "quantity": 1}]
    await document(client, admin_token, INVOICE, {"order_uid": uid, "items": lamp})
    # Half invoiced: not paid in full, the inviter has nothing yet.
    assert await MagentoReward.filter(customer_id=inviter.entity_id).count() == 0
    await document(client, admin_token, INVOICE, {"order_uid": uid})
    assert await reward_history(inviter.entity_id) == [(5, 40)]

    # A second paid order of the invitee's: "First" (the default) rewards once per invitation.
    second = await order_with(client, bea, [("pen", "5.00")])
    await document(client, admin_token, INVOICE, {"order_uid": await order_uid(second["number"])})
    await set_status(client, admin_token, first["number"], "complete")
    assert await reward_history(inviter.entity_id) == [(5, 40)]
