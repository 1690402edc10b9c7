"""The authorization matrix over every root field of the schema, read from the schema itself, so
a new operation cannot ship unclassified. Per-operation ownership (customer A against customer B's
address, and so on) is tested with each domain."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
)

from engine.auth import INVALID_TOKEN
from graph.schema import build_schema
from models import CustomerEntity, CustomerGroup, EavAttribute, Integration, StoreWebsite
from tests.factories import make_customer, token_for
from tests.graphql import gql

SCHEMA = build_schema()._schema
assert SCHEMA.query_type is not None
assert SCHEMA.mutation_type is not None
ROOTS: dict[str, tuple[str, GraphQLField]] = {
    **{name: ("query", field) for name, field in SCHEMA.query_type.fields.items()},
    **{name: ("mutation", field) for name, field in SCHEMA.mutation_type.fields.items()},
}

# Storefront operations anyone may call, as Magento.
PUBLIC = {
    "storeConfig",
    "customerGroup",
    "isEmailAvailable",
    "generateCustomerToken",
    "subscribeEmailToNewsletter",
    "products",
    "categories",
    "categoryList",
    "dynamicBlocks",
    "route",
    "cmsPage",
    "cmsBlocks",
    "availableStores",
    "currency",
    "countries",
    "country",
    "recaptchaV3Config",
    "requestPasswordResetEmail",
    "resetPassword",
    "contactUs",
    # mageseg extension: what a signup page shows of an invitation, by its secret code.
    "invitation",
}
# Only guests: a signed-in customer or an admin token is refused.
GUESTS_ONLY = {"createCustomer", "createCustomerV2", "createCustomerWithInvitation"}
# Only the token's own customer.
CUSTOMERS_ONLY = {
    "customer",
    "revokeCustomerToken",
    "updateCustomer",
    "updateCustomerV2",
    "updateCustomerEmail",
    "changeCustomerPassword",
    "deleteCustomer",
    "createCustomerAddress",
    "updateCustomerAddress",
    "updateCustomerAddressV2",
    "deleteCustomerAddress",
    "deleteCustomerAddressV2",
    "mergeCarts",
    "customerOrders",
    "sendInvitations",
    "customerInvitations",
}
# Only the token's own customer, refused with Magento's wish list message.
WISHLIST_OWNERS = {
    "addProductsToWishlist",
    "removeProductsFromWishlist",
    "createWishlist",
    "updateWishlist",
}
# Shoppers, signed in or guests: only an admin token is refused.
SHOPPERS = {"trackViewedProduct", "createGuestCart", "createEmptyCart", "customerSegments"}
# Whoever holds the cart: a guest cart's masked id, or the token of the customer owning the cart;
# admin tokens are refused (ownership itself is tested in tests/test_carts*.py).
CART_HOLDERS = {
    "cart",
    "addProductsToCart",
    "addConfigurableProductsToCart",
    "addSimpleProductsToCart",
    "setGiftOptionsOnCart",
    "updateCartItems",
    "removeItemFromCart",
    "setShippingAddressesOnCart",
    "setBillingAddressOnCart",
    "setShippingMethodsOnCart",
    "setPaymentMethodOnCart",
    "setGuestEmailOnCart",
    "placeOrder",
    "applyCouponToCart",
    "applyCouponsToCart",
    "removeCouponFromCart",
    "removeCouponsFromCart",
}
# Only signed-in customers, refused with Magento's `customerCart` message.
CUSTOMER_CART = {"customerCart"}
# A customer's own cart paying with reward points or store credit: guests and admins are refused
# with each module's message, a customer naming an unknown cart gets the cart's refusal.
CUSTOMER_CART_PAYMENTS = {
    "applyRewardPointsToCart": "The current customer isn't authorized.",
    "removeRewardPointsFromCart": "The current customer isn't authorized.",
    "applyStoreCreditToCart": "Please specify a valid customer",
    "removeStoreCreditFromCart": "Please specify a valid customer",
}
# Admin-only root fields start with `admin`; `explainCartRules` is the deprecated former name of
# `adminExplainCartRules`.
ADMIN_ONLY = {name for name in ROOTS if name.startswith("admin")} | {"explainCartRules"}


def placeholder(kind: GraphQLInputType) -> str:
    """A literal of the right shape, so that a call is valid GraphQL and reaches its resolver."""
    if isinstance(kind, GraphQLNonNull):
        return placeholder(kind.of_type)
    if isinstance(kind, GraphQLList):
        return f"[{placeholder(kind.of_type)}]"
    if isinstance(kind, GraphQLEnumType):
        return next(iter(kind.values))
    if isinstance(kind, GraphQLInputObjectType):
        required = [
            f"{name}: {placeholder(field.type)}"
            for name, field in kind.fields.items()
            if isinstance(field.type, GraphQLNonNull)
        ]
        return "{" + ", ".join(required) + "}"
    assert isinstance(kind, GraphQLScalarType)
    return {"Int": "1", "Float": "1.5", "Boolean": "false", "ID": '"MQ=="'}.get(
        kind.name, '"x@example.com"'
    )


def call(name: str) -> str:
    operation, field = ROOTS[name]
    args = [
        f"{arg}: {placeholder(spec.type)}"
        for arg, spec in field.args.items()
        if isinstance(spec.type, GraphQLNonNull)
    ]
    arguments = f"({', '.join(args)})" if args else ""
    selection = "" if _is_leaf(field) else " { __typename }"
    return f"{operation} {{ {name}{arguments}{selection} }}"


def _is_leaf(field: GraphQLField) -> bool:
    kind: Any = field.type
    while isinstance(kind, GraphQLNonNull | GraphQLList):
        kind = kind.of_type
    return isinstance(kind, GraphQLScalarType | GraphQLEnumType)


async def snapshot() -> tuple[int, ...]:
    return tuple(
        [
            await model.all().count()
            for model in (CustomerEntity, CustomerGroup, EavAttribute, Integration, StoreWebsite)
        ]
    )


def test_every_root_field_is_classified() -> None:
    classified = (
        PUBLIC
        | GUESTS_ONLY
        | CUSTOMERS_ONLY
        | WISHLIST_OWNERS
        | SHOPPERS
        | CART_HOLDERS
        | CUSTOMER_CART
        | set(CUSTOMER_CART_PAYMENTS)
        | ADMIN_ONLY
    )
    assert set(ROOTS) - classified == set()
    assert classified - set(ROOTS) == set()


# Subscriptions (over WebSocket) for admins only; the refusals are tested in
# tests/test_live_subscription.py, since a subscription cannot be sent as a POST.
ADMIN_SUBSCRIPTIONS = {"adminSegmentMembershipChanged", "segmentMembershipChanged"}


def test_every_root_field_outside_the_storefront_starts_with_admin() -> None:
    """One naming rule: a root field only admins may call starts with `admin`; the exceptions
    are deprecated former names kept for one release."""
    deprecated = {
        name
        for root in (SCHEMA.query_type, SCHEMA.mutation_type, SCHEMA.subscription_type)
        if root is not None
        for name, field in root.fields.items()
        if field.deprecation_reason
    }
    assert {n for n in ADMIN_ONLY if not n.startswith("admin")} <= deprecated
    assert {n for n in ADMIN_SUBSCRIPTIONS if not n.startswith("admin")} <= deprecated


def test_every_subscription_field_is_classified() -> None:
    assert SCHEMA.subscription_type is not None
    assert set(SCHEMA.subscription_type.fields) == ADMIN_SUBSCRIPTIONS


@pytest.mark.parametrize("name", sorted(ADMIN_ONLY))
async def test_admin_operations_refuse_guests_and_customers(
    name: str, client: Any, admin_token: str
) -> None:
    customer_token = await token_for(await make_customer())
    before = await snapshot()
    for token in (None, customer_token):
        response = await gql(client, call(name), token=token)
        assert response.status == 401, response.errors
        assert response.categories == ["graphql-authorization"]
        assert response.data is None or response.data == {name: None}
    assert await snapshot() == before
    as_admin = await gql(client, call(name), token=admin_token)
    assert as_admin.data is not None, as_admin.errors  # the call was valid and ran
    assert "graphql-authorization" not in as_admin.categories
    assert "graphql-authentication" not in as_admin.categories


@pytest.mark.parametrize("name", sorted(CUSTOMERS_ONLY))
async def test_customer_operations_refuse_guests_and_admins(
    name: str, client: Any, admin_token: str
) -> None:
    before = await snapshot()
    for token in (None, admin_token):
        response = await gql(client, call(name), token=token)
        assert response.categories == ["graphql-authorization"]
        assert response.messages == ["The current customer isn't authorized."]
    assert await snapshot() == before


@pytest.mark.parametrize("name", sorted(GUESTS_ONLY))
async def test_guest_operations_refuse_signed_in_callers(
    name: str, client: Any, admin_token: str
) -> None:
    customer_token = await token_for(await make_customer())
    before = await snapshot()
    for token in (customer_token, admin_token):
        response = await gql(client, call(name), token=token)
        assert response.categories == ["graphql-authorization"]
    assert await snapshot() == before


@pytest.mark.parametrize("name", sorted(WISHLIST_OWNERS))
async def test_wishlist_operations_refuse_guests_and_admins(
    name: str, client: Any, admin_token: str
) -> None:
    before = await snapshot()
    for token in (None, admin_token):
        response = await gql(client, call(name), token=token)
        assert response.status == 401
        assert response.categories == ["graphql-authorization"]
        assert response.messages == ["The current user cannot perform operations on wishlist"]
    assert await snapshot() == before


@pytest.mark.parametrize("name", sorted(SHOPPERS))
async def test_shopper_operations_refuse_only_admins(
    name: str, client: Any, admin_token: str
) -> None:
    customer_token = await token_for(await make_customer())
    before = await snapshot()
    response = await gql(client, call(name), token=admin_token)
    assert response.status == 401
    assert response.categories == ["graphql-authorization"]
    assert response.messages == ["The current customer isn't authorized."]
    assert await snapshot() == before
    for token in (None, customer_token):
        response = await gql(client, call(name), token=token)
        assert response.data is not None, response.errors  # the call was valid and ran
        assert "graphql-authorization" not in response.categories
        assert "graphql-authentication" not in response.categories


@pytest.mark.parametrize("name", sorted(CART_HOLDERS))
async def test_cart_operations_refuse_admins_and_unknown_carts(
    name: str, client: Any, admin_token: str
) -> None:
    customer_token = await token_for(await make_customer())
    before = await snapshot()
    response = await gql(client, call(name), token=admin_token)
    assert response.status == 401
    assert response.categories == ["graphql-authorization"]
    assert response.messages == ["The current customer isn't authorized."]
    for token in (None, customer_token):
        response = await gql(client, call(name), token=token)
        assert len(response.errors) == 1
        assert response.categories[0] in {"graphql-no-such-entity", "graphql-input"}
    assert await snapshot() == before


@pytest.mark.parametrize("name", sorted(CUSTOMER_CART_PAYMENTS))
async def test_cart_payments_refuse_guests_admins_and_unknown_carts(
    name: str, client: Any, admin_token: str
) -> None:
    customer_token = await token_for(await make_customer())
    before = await snapshot()
    for token in (None, admin_token):
        response = await gql(client, call(name), token=token)
        assert response.categories == ["graphql-authorization"]
        assert response.messages == [CUSTOMER_CART_PAYMENTS[name]]
    response = await gql(client, call(name), token=customer_token)
    assert response.categories == ["graphql-no-such-entity"]
    assert await snapshot() == before


@pytest.mark.parametrize("name", sorted(CUSTOMER_CART))
async def test_customer_cart_refuses_guests_and_admins(
    name: str, client: Any, admin_token: str
) -> None:
    before = await snapshot()
    for token in (None, admin_token):
        response = await gql(client, call(name), token=token)
        assert response.categories == ["graphql-authorization"]
        assert response.messages == ["The request is allowed for logged in customer"]
    assert await snapshot() == before


@pytest.mark.parametrize(
    "name",
    sorted(
        PUBLIC
        | CUSTOMERS_ONLY
        | WISHLIST_OWNERS
        | SHOPPERS
        | CART_HOLDERS
        | CUSTOMER_CART
        | set(CUSTOMER_CART_PAYMENTS)
        | ADMIN_ONLY
    ),
)
async def test_a_bad_token_is_refused_everywhere_it_is_read(name: str, client: Any) -> None:
    response = await gql(client, call(name), token="forged-token")
    if name in {
        "storeConfig",
        "isEmailAvailable",
        "generateCustomerToken",
        "availableStores",
        "countries",
        "country",
        "currency",
        "recaptchaV3Config",
        "requestPasswordResetEmail",
        "resetPassword",
        "contactUs",
    }:
        # These never look at the caller, as in Magento (store and directory data; the
        # password reset and the contact form name their account or sender in their input).
        assert INVALID_TOKEN not in response.messages
    else:
        assert response.messages == [INVALID_TOKEN]
        assert response.categories == ["graphql-authentication"]
        assert response.status == 401
