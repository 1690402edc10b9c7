"""Event-driven re-evaluation (Magento's `Customer::processEvent`), through HTTP: every write a
segment condition can see re-evaluates, for that customer only, the segments listening to its
event, so stored membership, the storefront answer and the history change the moment the
mutation returns."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from engine.cache import Cache
from engine.invalidation import Topic, tracking
from engine.segments import events, membership
from engine.segments.changes import TRIGGER_REFRESH
from models import (
    CustomerEntity,
    MagentoCustomersegmentCustomer,
    MagesegCustomersegmentHistory,
    Wishlist,
)
from tests.factories import PASSWORD, make_address, make_customer, token_for
from tests.graphql import gql
from tests.test_carts import ADD, ADDRESS, MERGE, PAYMENT, REMOVE, SHIPPING_ADDRESS, make_product
from tests.test_carts import UPDATE as UPDATE_ITEMS
from tests.test_cli import run
from tests.test_orders_support import admin_order_input
from tests.test_segments_support import (
    combine,
    create_segment,
    leaf,
    member_emails,
    wait_refreshed,
)

CUSTOMER_SEGMENTS = "{ customer { segments { uid } } }"
UPDATE_CUSTOMER = """
mutation ($input: CustomerUpdateInput!) { updateCustomerV2(input: $input) { customer { email } } }
"""
CREATE_CUSTOMER = """
mutation ($input: CustomerCreateInput!) { createCustomerV2(input: $input) { customer { email } } }
"""
UPDATE_EMAIL = """
mutation ($email: String!, $password: String!) {
  updateCustomerEmail(email: $email, password: $password) { customer { email } }
}
"""
ADMIN_UPDATE_CUSTOMER = """
mutation ($uid: ID!, $input: AdminCustomerUpdateInput!) {
  adminUpdateCustomer(uid: $uid, input: $input) { user_errors { code message path } }
}
"""
ADMIN_DELETE_CUSTOMER = """
mutation ($uid: ID!) { adminDeleteCustomer(uid: $uid) { user_errors { message } } }
"""
CREATE_ADDRESS = """
mutation ($input: CustomerAddressInput!) { createCustomerAddress(input: $input) { uid } }
"""
UPDATE_ADDRESS = """
mutation ($uid: ID!, $input: CustomerAddressInput) {
  updateCustomerAddressV2(uid: $uid, input: $input) { uid }
}
"""
DELETE_ADDRESS = "mutation ($uid: ID!) { deleteCustomerAddressV2(uid: $uid) }"
SUBSCRIBE = """
mutation ($email: String!) { subscribeEmailToNewsletter(email: $email) { status } }
"""
CUSTOMER_CART = "{ customerCart { id } }"
WISHLIST_ID = "{ customer { wishlists { id items_v2 { items { id } } } } }"
ADD_TO_WISHLIST = """
mutation ($id: ID!, $items: [WishlistItemInput!]!) {
  addProductsToWishlist(wishlistId: $id, wishlistItems: $items) { user_errors { message } }
}
"""
REMOVE_FROM_WISHLIST = """
mutation ($id: ID!, $ids: [ID!]!) {
  removeProductsFromWishlist(wishlistId: $id, wishlistItemsIds: $ids) {
    user_errors { message }
  }
}
"""
TRACK = "mutation ($sku: String!) { trackViewedProduct(sku: $sku) }"
SHIPPING_METHOD = """
mutation ($id: String!) {
  setShippingMethodsOnCart(input: {cart_id: $id, shipping_methods: [
    {carrier_code: "flatrate", method_code: "flatrate"}]}) { cart { id } }
}
"""
BILLING_SAME = """
mutation ($id: String!) {
  setBillingAddressOnCart(input: {cart_id: $id, billing_address: {same_as_shipping: true}}) {
    cart { id }
  }
}
"""
PLACE = "mutation ($cart: String!) { placeOrder(input: {cart_id: $cart}) { orderV2 { id } } }"
ADMIN_CREATE_ORDER = """
mutation ($input: AdminOrderCreateInput!) {
  adminCreateOrder(input: $input) { order { id } user_errors { message } }
}
"""
ADMIN_ORDER_STATUS = """
mutation ($uid: ID!, $status: String!) {
  adminUpdateOrderStatus(uid: $uid, status: $status) { user_errors { message } }
}
"""
SIGN_IN = """
mutation ($email: String!, $password: String!) {
  generateCustomerToken(email: $email, password: $password) { token }
}
"""
GUEST_CART = "mutation { createGuestCart { cart { id } } }"
SAVE_CONFIG = """
mutation ($path: ConfigPathEnum!, $value: String) {
  adminSaveConfig(input: {path: $path, value: $value}) { user_errors { message } }
}
"""

NAMED_ZED = combine(leaf("CUSTOMER_ATTRIBUTE", "firstname", "IS", "Zed"))
NAMED_ANN = combine(leaf("CUSTOMER_ATTRIBUTE", "firstname", "IS", "Ann"))
SUBSCRIBED = combine(leaf("CUSTOMER_NEWSLETTER", None, None, "1"))
TWO_LINES = combine(leaf("CART_LINE_ITEMS", None, "GREATER_OR_EQUAL", "2"))
ONE_LINE = combine(leaf("CART_LINE_ITEMS", None, "GREATER_OR_EQUAL", "1"))
ORDERED = combine(
    {"type": "ORDERS_NUMBER", "aggregator": "ALL", "operator": "GREATER_OR_EQUAL", "value": ["1"]}
)
ENTERED, EXITED = "entered", "exited"


def sub(type_: str, *children: dict[str, Any], **fields: Any) -> dict[str, Any]:
    node: dict[str, Any] = {"type": type_, "aggregator": "ALL", "conditions": list(children)}
    for key, value in fields.items():
        node[key] = [value] if key == "value" else value
    return node


def sku(code: str) -> dict[str, Any]:
    return leaf("PRODUCT_ATTRIBUTE", "sku", "IS", code)


@dataclass
class Seen:
    """What one customer looks like to the admin, the storefront and the history."""

    members: dict[str, list[str]]
    live: list[str]
    history: list[tuple[str, str, str]]


class Watch:
    """Segments under watch: their stored members, the customer's live answer, and the history
    rows written since the last look (segment name, change, trigger)."""

    def __init__(self, client: Any, admin_token: str) -> None:
        self.client = client
        self.admin_token = admin_token
        self.uids: dict[str, str] = {}
        self.names: dict[int, str] = {}
        self.mark = 0

    async def segment(self, name: str, conditions: dict[str, Any], **overrides: Any) -> str:
        created = await create_segment(
            self.client, self.admin_token, conditions, name=name, **overrides
        )
        self.uids[name] = created["uid"]
        self.names[int(created["id"])] = name
        await self.forget_history()
        return str(created["uid"])

    async def forget_history(self) -> None:
        last = await MagesegCustomersegmentHistory.all().order_by("-history_id").first()
        self.mark = 0 if last is None else last.history_id

    async def look(self, token: str | None) -> Seen:
        members = {
            name: await member_emails(self.client, self.admin_token, uid)
            for name, uid in self.uids.items()
        }
        live: list[str] = []
        if token is not None:
            response = await gql(self.client, CUSTOMER_SEGMENTS, token=token)
            assert response.errors == [], response.errors
            by_uid = {uid: name for name, uid in self.uids.items()}
            live = [by_uid[s["uid"]] for s in response.data["customer"]["segments"]]  # type: ignore[index]
        rows = (
            await MagesegCustomersegmentHistory.filter(history_id__gt=self.mark)
            .order_by("history_id")
            .values_list("segment_id", "change", "trigger")
        )
        await self.forget_history()
        history = [(self.names[int(s)], str(c), str(t)) for s, c, t in rows]
        return Seen(members, live, history)


async def ok(client: Any, document: str, variables: dict[str, Any], token: str | None) -> Any:
    response = await gql(client, document, variables, token=token)
    assert response.errors == [], response.errors
    return response.data


# --- the customer ------------------------------------------------------------------------------


async def test_a_customer_update_re_evaluates_at_once(client: Any, admin_token: str) -> None:
    ann = await make_customer()
    token = await token_for(ann)
    watch = Watch(client, admin_token)
    await watch.segment("zed", NAMED_ZED)

    before = await watch.look(token)
    await ok(client, UPDATE_CUSTOMER, {"input": {"firstname": "Zed"}}, token)
    after = await watch.look(token)
    await ok(client, UPDATE_CUSTOMER, {"input": {"firstname": "Ann"}}, token)
    back = await watch.look(token)

    assert (before.members, before.live, before.history) == ({"zed": []}, [], [])
    assert after.members == {"zed": ["ann@example.com"]}
    assert after.live == ["zed"]
    assert after.history == [("zed", ENTERED, events.CUSTOMER_SAVE)]
    assert (back.members, back.live) == ({"zed": []}, [])
    assert back.history == [("zed", EXITED, events.CUSTOMER_SAVE)]


async def test_a_new_account_and_a_new_email(client: Any, admin_token: str) -> None:
    watch = Watch(client, admin_token)
    await watch.segment("zed", NAMED_ZED)
    await watch.segment("new mail", combine(leaf("CUSTOMER_ATTRIBUTE", "email", "CONTAINS", "new")))

    await ok(
        client,
        CREATE_CUSTOMER,
        {
            "input": {
                "firstname": "Zed",
                "lastname": "Lee",
                "email": "zed@example.com",
                "password": PASSWORD,
            }
        },
        None,
    )
    created = await watch.look(None)
    zed = await CustomerEntity.get(email="zed@example.com")
    token = await token_for(zed)
    await watch.forget_history()
    await ok(client, UPDATE_EMAIL, {"email": "zed.new@example.com", "password": PASSWORD}, token)
    renamed = await watch.look(token)

    assert created.members == {"zed": ["zed@example.com"], "new mail": []}
    assert created.history == [("zed", ENTERED, events.CUSTOMER_SAVE)]
    assert renamed.members == {
        "zed": ["zed.new@example.com"],
        "new mail": ["zed.new@example.com"],
    }
    assert renamed.live == ["zed", "new mail"]
    assert renamed.history == [("new mail", ENTERED, events.CUSTOMER_SAVE)]


async def test_admin_group_change_and_store_credit(client: Any, admin_token: str) -> None:
    ann = await make_customer()
    token = await token_for(ann)
    watch = Watch(client, admin_token)
    await watch.segment("wholesale", combine(leaf("CUSTOMER_ATTRIBUTE", "group_id", "IS", "2")))
    await watch.segment(
        "credit", combine(leaf("CUSTOMER_STORE_CREDIT", None, "GREATER_OR_EQUAL", "10"))
    )

    await ok(
        client, ADMIN_UPDATE_CUSTOMER, {"uid": "MQ==", "input": {"group_uid": "Mg=="}}, admin_token
    )
    grouped = await watch.look(token)
    await ok(
        client,
        ADMIN_UPDATE_CUSTOMER,
        {"uid": "MQ==", "input": {"store_credit": [{"store_credit_delta": 12}]}},
        admin_token,
    )
    credited = await watch.look(token)

    assert grouped.members == {"wholesale": ["ann@example.com"], "credit": []}
    assert grouped.history == [("wholesale", ENTERED, events.CUSTOMER_SAVE)]
    assert credited.members == {"wholesale": ["ann@example.com"], "credit": ["ann@example.com"]}
    assert credited.live == ["wholesale", "credit"]
    assert credited.history == [("credit", ENTERED, events.BALANCE_SAVE)]


async def test_addresses_created_updated_and_deleted(client: Any, admin_token: str) -> None:
    ann = await make_customer()
    token = await token_for(ann)
    watch = Watch(client, admin_token)
    await watch.segment(
        "parisian",
        combine(sub("CUSTOMER_ADDRESS", leaf("ADDRESS_ATTRIBUTE", "city", "IS", "Paris"))),
    )
    address = {
        "firstname": "Ann",
        "lastname": "Lee",
        "street": ["1 Rue de Rivoli"],
        "city": "Paris",
        "postcode": "75001",
        "country_code": "FR",
        "telephone": "5550100",
    }

    created = await ok(client, CREATE_ADDRESS, {"input": address}, token)
    uid = created["createCustomerAddress"]["uid"]
    entered = await watch.look(token)
    await ok(client, UPDATE_ADDRESS, {"uid": uid, "input": {"city": "Lyon"}}, token)
    moved = await watch.look(token)
    again = await ok(client, CREATE_ADDRESS, {"input": address}, token)
    await watch.forget_history()
    await ok(client, DELETE_ADDRESS, {"uid": again["createCustomerAddress"]["uid"]}, token)
    deleted = await watch.look(token)

    assert (entered.members, entered.live) == ({"parisian": ["ann@example.com"]}, ["parisian"])
    assert entered.history == [("parisian", ENTERED, events.ADDRESS_SAVE)]
    assert (moved.members, moved.live) == ({"parisian": []}, [])
    assert moved.history == [("parisian", EXITED, events.ADDRESS_SAVE)]
    assert (deleted.members, deleted.live) == ({"parisian": []}, [])
    assert deleted.history == [("parisian", EXITED, events.ADDRESS_DELETE)]


async def test_newsletter_subscription_both_ways(client: Any, admin_token: str) -> None:
    ann = await make_customer()
    token = await token_for(ann)
    watch = Watch(client, admin_token)
    await watch.segment("subscribed", SUBSCRIBED)

    await ok(client, SUBSCRIBE, {"email": "ann@example.com"}, token)
    subscribed = await watch.look(token)
    await ok(client, UPDATE_CUSTOMER, {"input": {"is_subscribed": False}}, token)
    unsubscribed = await watch.look(token)

    assert (subscribed.members, subscribed.live) == (
        {"subscribed": ["ann@example.com"]},
        ["subscribed"],
    )
    assert subscribed.history == [("subscribed", ENTERED, events.NEWSLETTER_SAVE)]
    assert (unsubscribed.members, unsubscribed.live) == ({"subscribed": []}, [])
    assert unsubscribed.history == [("subscribed", EXITED, events.CUSTOMER_SAVE)]


async def test_only_the_segments_listening_are_re_evaluated(client: Any, admin_token: str) -> None:
    """A segment on the first name does not listen to newsletter saves: its stored rows stay as
    they were (here made stale on purpose) when the customer subscribes."""
    ann = await make_customer()
    token = await token_for(ann)
    watch = Watch(client, admin_token)
    await watch.segment("ann", NAMED_ANN)
    await watch.segment("subscribed", SUBSCRIBED)
    await MagentoCustomersegmentCustomer.filter(customer_id=ann.entity_id).delete()

    await ok(client, SUBSCRIBE, {"email": "ann@example.com"}, token)
    seen = await watch.look(token)

    assert seen.members == {"ann": [], "subscribed": ["ann@example.com"]}
    assert seen.live == ["ann", "subscribed"]  # the live answer evaluates everything
    assert seen.history == [("subscribed", ENTERED, events.NEWSLETTER_SAVE)]


async def test_sign_in_re_evaluates_every_segment(client: Any, admin_token: str) -> None:
    ann = await make_customer()
    watch = Watch(client, admin_token)
    await watch.segment("ann", NAMED_ANN)
    await MagentoCustomersegmentCustomer.filter(customer_id=ann.entity_id).delete()

    signed = await ok(client, SIGN_IN, {"email": "ann@example.com", "password": PASSWORD}, None)
    seen = await watch.look(signed["generateCustomerToken"]["token"])

    assert seen.members == {"ann": ["ann@example.com"]}
    assert seen.history == [("ann", ENTERED, events.CUSTOMER_LOGIN)]


async def test_a_deleted_customer_leaves_with_history(client: Any, admin_token: str) -> None:
    await make_customer()
    watch = Watch(client, admin_token)
    await watch.segment("ann", NAMED_ANN)

    await ok(client, ADMIN_DELETE_CUSTOMER, {"uid": "MQ=="}, admin_token)
    seen = await watch.look(None)

    assert seen.members == {"ann": []}
    assert seen.history == [("ann", EXITED, events.CUSTOMER_SAVE)]


async def test_with_global_accounts_every_website_is_re_evaluated(
    client: Any, admin_token: str
) -> None:
    await ok(
        client,
        'mutation { adminCreateWebsite(input: {code: "second", name: "Second", '
        'store_code: "second_en"}) { user_errors { message } } }',
        {},
        admin_token,
    )
    await ok(client, SAVE_CONFIG, {"path": "ACCOUNT_SHARE_SCOPE", "value": "0"}, admin_token)
    ann = await make_customer()
    token = await token_for(ann)
    watch = Watch(client, admin_token)
    await watch.segment("zed", NAMED_ZED, website_uids=["MQ==", "Mg=="])

    await ok(client, UPDATE_CUSTOMER, {"input": {"firstname": "Zed"}}, token)
    seen = await watch.look(token)
    rows = (
        await MagentoCustomersegmentCustomer.all()
        .order_by("website_id")
        .values_list("customer_id", "website_id")
    )

    assert rows == [(ann.entity_id, 1), (ann.entity_id, 2)]
    assert seen.history == [
        ("zed", ENTERED, events.CUSTOMER_SAVE),
        ("zed", ENTERED, events.CUSTOMER_SAVE),
    ]
    assert seen.live == ["zed"]


# --- carts ---------------------------------------------------------------------------------------


async def customer_cart(client: Any, token: str) -> str:
    data = await ok(client, CUSTOMER_CART, {}, token)
    return str(data["customerCart"]["id"])


async def test_cart_items_added_updated_and_removed(client: Any, admin_token: str) -> None:
    await make_product("mug", "10.00")
    await make_product("tea", "5.00")
    ann = await make_customer()
    token = await token_for(ann)
    cart = await customer_cart(client, token)
    watch = Watch(client, admin_token)
    await watch.segment("two lines", TWO_LINES)

    items = [{"sku": "mug", "quantity": 1}, {"sku": "tea", "quantity": 1}]
    added = await ok(client, ADD, {"id": cart, "items": items}, token)
    entered = await watch.look(token)
    lines = added["addProductsToCart"]["cart"]["items"]
    await ok(
        client,
        UPDATE_ITEMS,
        {
            "input": {
                "cart_id": cart,
                "cart_items": [{"cart_item_uid": lines[0]["uid"], "quantity": 0}],
            }
        },
        token,
    )
    updated = await watch.look(token)
    await ok(client, ADD, {"id": cart, "items": [{"sku": "mug", "quantity": 1}]}, token)
    await watch.forget_history()
    await ok(
        client,
        REMOVE,
        {"input": {"cart_id": cart, "cart_item_uid": lines[1]["uid"]}},
        token,
    )
    removed = await watch.look(token)

    assert (entered.members, entered.live) == ({"two lines": ["ann@example.com"]}, ["two lines"])
    assert entered.history == [("two lines", ENTERED, events.QUOTE_SAVE)]
    assert (updated.members, updated.live) == ({"two lines": []}, [])
    assert updated.history == [("two lines", EXITED, events.QUOTE_SAVE)]
    assert (removed.members, removed.live) == ({"two lines": []}, [])
    assert removed.history == [("two lines", EXITED, events.QUOTE_SAVE)]


async def test_cart_addresses_and_methods(client: Any, admin_token: str) -> None:
    """Each of the checkout steps re-evaluates: shown by a stale row being repaired each time,
    and by the shipping amount a segment reads."""
    await make_product("mug", "10.00")
    ann = await make_customer()
    token = await token_for(ann)
    cart = await customer_cart(client, token)
    await ok(client, ADD, {"id": cart, "items": [{"sku": "mug", "quantity": 1}]}, token)
    watch = Watch(client, admin_token)
    await watch.segment("one line", ONE_LINE)
    await watch.segment(
        "shipping", combine(leaf("CART_AMOUNT", "shipping", "GREATER_OR_EQUAL", "5"))
    )

    async def repaired(document: str, variables: dict[str, Any]) -> Seen:
        await MagentoCustomersegmentCustomer.filter(customer_id=ann.entity_id).delete()
        await watch.forget_history()
        await ok(client, document, variables, token)
        return await watch.look(token)

    shipping = await repaired(
        SHIPPING_ADDRESS,
        {"input": {"cart_id": cart, "shipping_addresses": [{"address": ADDRESS}]}},
    )
    billing = await repaired(BILLING_SAME, {"id": cart})
    method = await repaired(SHIPPING_METHOD, {"id": cart})
    payment = await repaired(PAYMENT, {"id": cart, "code": "checkmo"})

    for seen in (shipping, billing):
        assert seen.members == {"one line": ["ann@example.com"], "shipping": []}
        assert seen.history == [("one line", ENTERED, events.QUOTE_SAVE)]
    for seen in (method, payment):
        assert seen.members == {"one line": ["ann@example.com"], "shipping": ["ann@example.com"]}
        assert seen.live == ["one line", "shipping"]
        assert seen.history == [
            ("one line", ENTERED, events.QUOTE_SAVE),
            ("shipping", ENTERED, events.QUOTE_SAVE),
        ]


async def test_merging_a_guest_cart(client: Any, admin_token: str) -> None:
    await make_product("mug", "10.00")
    await make_product("tea", "5.00")
    ann = await make_customer()
    token = await token_for(ann)
    cart = await customer_cart(client, token)
    await ok(client, ADD, {"id": cart, "items": [{"sku": "mug", "quantity": 1}]}, token)
    guest = (await ok(client, GUEST_CART, {}, None))["createGuestCart"]["cart"]["id"]
    await ok(client, ADD, {"id": guest, "items": [{"sku": "tea", "quantity": 1}]}, None)
    watch = Watch(client, admin_token)
    await watch.segment("two lines", TWO_LINES)

    await ok(client, MERGE, {"source": guest, "destination": cart}, token)
    seen = await watch.look(token)

    assert (seen.members, seen.live) == ({"two lines": ["ann@example.com"]}, ["two lines"])
    assert seen.history == [("two lines", ENTERED, events.QUOTE_SAVE)]


# --- wish lists and views ------------------------------------------------------------------------


async def test_wish_list_added_and_removed(client: Any, admin_token: str) -> None:
    await make_product("mug", "10.00")
    ann = await make_customer()
    token = await token_for(ann)
    wishlist_id = (await ok(client, WISHLIST_ID, {}, token))["customer"]["wishlists"][0]["id"]
    watch = Watch(client, admin_token)
    await watch.segment(
        "wants mug", combine(sub("PRODUCT_LIST", sku("mug"), operator="IS", value="wishlist"))
    )

    await ok(
        client,
        ADD_TO_WISHLIST,
        {"id": wishlist_id, "items": [{"sku": "mug", "quantity": 1}]},
        token,
    )
    added = await watch.look(token)
    item_ids = [
        i["id"]
        for i in (await ok(client, WISHLIST_ID, {}, token))["customer"]["wishlists"][0]["items_v2"][
            "items"
        ]
    ]
    await ok(client, REMOVE_FROM_WISHLIST, {"id": wishlist_id, "ids": item_ids}, token)
    removed = await watch.look(token)

    assert await Wishlist.all().count() == 1
    assert (added.members, added.live) == ({"wants mug": ["ann@example.com"]}, ["wants mug"])
    assert added.history == [("wants mug", ENTERED, events.WISHLIST_RENEWED)]
    assert (removed.members, removed.live) == ({"wants mug": []}, [])
    assert removed.history == [("wants mug", EXITED, events.WISHLIST_RENEWED)]


async def test_a_product_view(client: Any, admin_token: str) -> None:
    await make_product("mug", "10.00")
    ann = await make_customer()
    token = await token_for(ann)
    watch = Watch(client, admin_token)
    await watch.segment(
        "saw mug",
        combine(sub("PRODUCT_HISTORY", sku("mug"), operator="IS", value="viewed_history")),
    )

    await ok(client, TRACK, {"sku": "mug"}, token)
    seen = await watch.look(token)

    assert (seen.members, seen.live) == ({"saw mug": ["ann@example.com"]}, ["saw mug"])
    assert seen.history == [("saw mug", ENTERED, events.PRODUCT_VIEW)]


# --- orders --------------------------------------------------------------------------------------


async def test_placing_an_order(client: Any, admin_token: str) -> None:
    """The order enters the order segment; the cart it converted leaves the cart segment."""
    await make_product("mug", "10.00")
    ann = await make_customer()
    await make_address(ann)
    token = await token_for(ann)
    cart = await customer_cart(client, token)
    await ok(client, ADD, {"id": cart, "items": [{"sku": "mug", "quantity": 1}]}, token)
    await ok(
        client,
        SHIPPING_ADDRESS,
        {"input": {"cart_id": cart, "shipping_addresses": [{"address": ADDRESS}]}},
        token,
    )
    await ok(client, BILLING_SAME, {"id": cart}, token)
    await ok(client, SHIPPING_METHOD, {"id": cart}, token)
    await ok(client, PAYMENT, {"id": cart, "code": "checkmo"}, token)
    watch = Watch(client, admin_token)
    await watch.segment("ordered", ORDERED)
    await watch.segment("cart", ONE_LINE)

    before = await watch.look(token)
    await ok(client, PLACE, {"cart": cart}, token)
    after = await watch.look(token)

    assert (before.members, before.live) == ({"ordered": [], "cart": ["ann@example.com"]}, ["cart"])
    assert (after.members, after.live) == (
        {"ordered": ["ann@example.com"], "cart": []},
        ["ordered"],
    )
    assert after.history == [
        ("ordered", ENTERED, events.ORDER_SAVE),
        ("cart", EXITED, events.QUOTE_SAVE),
    ]


async def test_admin_order_create_and_status_change(client: Any, admin_token: str) -> None:
    ann = await make_customer()
    token = await token_for(ann)
    await make_product("SKU-A", "10.00")
    watch = Watch(client, admin_token)
    await watch.segment("ordered", ORDERED)
    await watch.segment(
        "big spender",
        combine(
            sub(
                "SALES_AMOUNT",
                leaf("ORDER_STATUS", None, "IS", "complete"),
                attribute="total",
                operator="GREATER_OR_EQUAL",
                value="10",
            )
        ),
    )

    created = await ok(
        client,
        ADMIN_CREATE_ORDER,
        {"input": admin_order_input(status="pending", created_at=None)},
        admin_token,
    )
    uid = created["adminCreateOrder"]["order"]["id"]
    placed = await watch.look(token)
    await ok(client, ADMIN_ORDER_STATUS, {"uid": uid, "status": "complete"}, admin_token)
    completed = await watch.look(token)

    assert placed.members == {"ordered": ["ann@example.com"], "big spender": []}
    assert placed.history == [("ordered", ENTERED, events.ORDER_SAVE)]
    assert completed.members == {
        "ordered": ["ann@example.com"],
        "big spender": ["ann@example.com"],
    }
    assert completed.live == ["ordered", "big spender"]
    assert completed.history == [("big spender", ENTERED, events.ORDER_SAVE)]


ADMIN_INVOICE = """
mutation ($uid: ID!) { adminInvoiceOrder(input: {order_uid: $uid}) { user_errors { message } } }
"""
ADMIN_SHIP = """
mutation ($uid: ID!) { adminShipOrder(input: {order_uid: $uid}) { user_errors { message } } }
"""
ADMIN_REFUND = """
mutation ($uid: ID!) { adminRefundOrder(input: {order_uid: $uid}) { user_errors { message } } }
"""


async def test_invoice_ship_and_refund_move_the_order_through_status_segments(
    client: Any, admin_token: str
) -> None:
    """Segment conditions over orders see the statuses Magento's documents leave: invoiced and
    shipped is complete, refunded in full is closed."""
    ann = await make_customer()
    token = await token_for(ann)
    await make_product("SKU-A", "10.00")
    watch = Watch(client, admin_token)
    complete = leaf("ORDER_STATUS", None, "IS", "complete")
    closed = leaf("ORDER_STATUS", None, "IS", "closed")
    await watch.segment(
        "complete", combine(sub("ORDERS_NUMBER", complete, operator="GREATER_OR_EQUAL", value="1"))
    )
    await watch.segment(
        "closed", combine(sub("ORDERS_NUMBER", closed, operator="GREATER_OR_EQUAL", value="1"))
    )
    created = await ok(
        client,
        ADMIN_CREATE_ORDER,
        {"input": admin_order_input(status="pending", created_at=None)},
        admin_token,
    )
    uid = created["adminCreateOrder"]["order"]["id"]
    await ok(client, ADMIN_INVOICE, {"uid": uid}, admin_token)
    invoiced = await watch.look(token)
    await ok(client, ADMIN_SHIP, {"uid": uid}, admin_token)
    shipped = await watch.look(token)
    await ok(client, ADMIN_REFUND, {"uid": uid}, admin_token)
    refunded = await watch.look(token)

    assert invoiced.members == {"complete": [], "closed": []}
    assert shipped.members == {"complete": ["ann@example.com"], "closed": []}
    assert shipped.history == [("complete", ENTERED, events.ORDER_SAVE)]
    assert refunded.members == {"complete": [], "closed": ["ann@example.com"]}
    assert sorted(refunded.history) == [
        ("closed", ENTERED, events.ORDER_SAVE),
        ("complete", EXITED, events.ORDER_SAVE),
    ]


async def test_an_order_import(
    client: Any, admin_token: str, database_url: str, tmp_path: Path
) -> None:
    await make_customer()
    await make_customer("bob@example.com", firstname="Bob")
    await make_product("SKU-A", "10.00")
    watch = Watch(client, admin_token)
    await watch.segment("ordered", ORDERED)
    file = tmp_path / "orders.jsonl"
    file.write_text(
        "".join(
            json.dumps(record) + "\n"
            for record in (
                admin_order_input(increment_id="100"),
                admin_order_input(increment_id="101"),
                admin_order_input(
                    increment_id="102", customer_email="guest@example.com", is_guest=True
                ),
            )
        ),
        encoding="utf-8",
    )

    result = await run("import", "orders", str(file), "--database-url", database_url)
    seen = await watch.look(None)

    assert result.returncode == 0, result.stderr
    assert seen.members == {"ordered": ["ann@example.com"]}
    assert seen.history == [("ordered", ENTERED, events.ORDER_SAVE)]


# --- guests and the cache ------------------------------------------------------------------------


async def test_guest_writes_mark_their_cart_and_visitor_changed(db: Any) -> None:
    """Guests have nothing stored: their cart and views are marked changed for cached answers."""
    from engine import carts, views
    from engine.auth import GUEST
    from engine.stores import load_snapshot

    await make_product("mug", "10.00")
    stores = await load_snapshot()
    store = stores.default_store()
    cache = Cache.create(None, "guest-test")
    async with tracking(cache):
        created = await carts.create_guest_cart(GUEST, store, None, None)
    quote_id = created.quote.entity_id
    quote_scope = (Topic.QUOTE.value, str(quote_id))
    (before,) = await cache.versions([quote_scope])
    async with tracking(cache):
        await carts.set_guest_email(
            carts.CartRef(created.masked_id, GUEST, store), "guest@example.com"
        )
    (after,) = await cache.versions([quote_scope])
    async with tracking(cache):
        tracked = await views.track(
            "mug",
            store_id=store.store_id,
            website_id=1,
            customer_id=None,
            session_id=created.visitor_session_id,
        )
    assert tracked.visit is not None
    visitor_scope = (Topic.VISITOR.value, str(tracked.visit.visitor.visitor_id))
    (visitor_version,) = await cache.versions([visitor_scope])
    async with tracking(cache):
        await views.track(
            "mug",
            store_id=store.store_id,
            website_id=1,
            customer_id=None,
            session_id=created.visitor_session_id,
        )
    (visitor_again,) = await cache.versions([visitor_scope])

    assert after != before
    assert visitor_again != visitor_version
    assert await MagesegCustomersegmentHistory.all().count() == 0


async def test_revoking_a_token_marks_the_customer_changed(client: Any, db: Any) -> None:
    from engine import auth

    ann = await make_customer()
    cache = Cache.create(None, "revoke-test")
    token = await token_for(ann, timedelta(hours=1))
    viewer = await auth.authenticate(token)
    scope = (Topic.CUSTOMER.value, str(ann.entity_id))
    (before,) = await cache.versions([scope])
    async with tracking(cache):
        assert viewer.token_id is not None
        await auth.revoke_token(viewer.token_id)
    (after,) = await cache.versions([scope])

    assert after != before


CREATE_GROUP = """
mutation ($code: String!) {
  adminCreateCustomerGroup(input: {code: $code}) {
    customer_group { uid id }
    user_errors { message }
  }
}
"""
DELETE_GROUP = """
mutation ($uid: ID!) { adminDeleteCustomerGroup(uid: $uid) { deleted_uid user_errors { message } } }
"""


async def _customer_in_new_group(client: Any, admin_token: str) -> tuple[str, str, int]:
    await make_customer()
    created = await ok(client, CREATE_GROUP, {"code": "Resellers"}, admin_token)
    group = created["adminCreateCustomerGroup"]["customer_group"]
    await ok(
        client,
        ADMIN_UPDATE_CUSTOMER,
        {"uid": "MQ==", "input": {"group_uid": group["uid"]}},
        admin_token,
    )
    return group["uid"], "ann@example.com", int(group["id"])


async def test_deleting_a_group_moves_its_customers_and_re_evaluates_them(
    client: Any, admin_token: str
) -> None:
    group_uid, ann, group_id = await _customer_in_new_group(client, admin_token)
    watch = Watch(client, admin_token)
    await watch.segment(
        "resellers", combine(leaf("CUSTOMER_ATTRIBUTE", "group_id", "IS", str(group_id)))
    )
    await watch.segment("general", combine(leaf("CUSTOMER_ATTRIBUTE", "group_id", "IS", "1")))

    await ok(client, DELETE_GROUP, {"uid": group_uid}, admin_token)
    moved = await watch.look(None)

    assert moved.members == {"resellers": [], "general": [ann]}
    assert moved.history == [
        ("general", ENTERED, events.CUSTOMER_SAVE),
        ("resellers", EXITED, events.CUSTOMER_SAVE),
    ]


async def test_deleting_a_large_group_queues_the_listening_segments_instead(
    client: Any, admin_token: str, monkeypatch: Any
) -> None:
    group_uid, ann, _ = await _customer_in_new_group(client, admin_token)
    watch = Watch(client, admin_token)
    general = await watch.segment(
        "general", combine(leaf("CUSTOMER_ATTRIBUTE", "group_id", "IS", "1"))
    )
    monkeypatch.setattr(membership, "BULK_LIMIT", 0)

    await ok(client, DELETE_GROUP, {"uid": group_uid}, admin_token)
    await wait_refreshed(client, admin_token, general)
    moved = await watch.look(None)

    # Not re-evaluated one by one in the deleting transaction: the refresh found Ann.
    assert moved.members == {"general": [ann]}
    assert moved.history == [("general", ENTERED, TRIGGER_REFRESH)]


async def test_a_customer_import(
    client: Any, admin_token: str, database_url: str, tmp_path: Path
) -> None:
    """Customers created or changed by `mageseg import customers` enter and leave segments
    as after any customer save."""
    zed = await make_customer("zed@example.com", firstname="Zed")
    watch = Watch(client, admin_token)
    await watch.segment("zed", NAMED_ZED)
    await watch.segment("ann", NAMED_ANN)
    await watch.look(None)
    file = tmp_path / "customers.csv"
    file.write_text(
        "email,_website,_store,firstname,lastname\n"
        "ann@example.com,base,default,Ann,Lee\n"
        "zed@example.com,base,default,Zoe,Lee\n",
        encoding="utf-8",
    )

    result = await run("import", "customers", str(file), "--database-url", database_url)
    seen = await watch.look(None)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Imported 1, updated 1, skipped 0, failed 0."
    assert seen.members == {"zed": [], "ann": ["ann@example.com"]}
    assert sorted(seen.history) == [
        ("ann", ENTERED, events.CUSTOMER_SAVE),
        ("zed", EXITED, events.CUSTOMER_SAVE),
    ]
    assert (await CustomerEntity.get(entity_id=zed.entity_id)).firstname == "Zoe"
