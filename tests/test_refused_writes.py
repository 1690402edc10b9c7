"""A refused mutation writes nothing: every mutation of the schema (read from its introspection)
is called with input it refuses, as an admin and as a customer, and no table's row count may
change, and no answer may be an `internal` error. Three kinds of input: garbage (uids that are not
base64, negative numbers), plausible values naming things that do not exist (uid of id 999,
unknown SKUs) and strings past every varchar column."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import graphql
import pytest
from aiohttp import web
from tortoise import Tortoise

from engine.uids import encode_uid
from graph.schema import build_schema
from mageseg.app import create_app
from mageseg.settings import Settings
from tests.factories import make_customer, token_for

SCHEMA = build_schema()._schema
MUTATIONS = sorted(SCHEMA.mutation_type.fields)  # type: ignore[union-attr]

GARBAGE = {"ID": '"!!"', "String": '"!!"', "Int": "-1", "Float": "-1.5", "Boolean": "true"}
PLAUSIBLE = {
    "ID": f'"{encode_uid(999)}"',
    "String": '"no-such-thing"',
    "Int": "999",
    "Float": "1",
    "Boolean": "false",
}
# Past every varchar column (strings the engine does not check reach PostgreSQL).
TOO_LONG = {**PLAUSIBLE, "String": '"' + "x" * 300 + '"'}
DATE = '"not a date"'


def literal(type_: Any, scalars: dict[str, str], depth: int = 0) -> str:
    """A GraphQL literal of `type_` with every required field filled from `scalars`."""
    if isinstance(type_, graphql.GraphQLNonNull):
        type_ = type_.of_type
    if isinstance(type_, graphql.GraphQLList):
        return "[" + literal(type_.of_type, scalars, depth) + "]"
    if isinstance(type_, graphql.GraphQLEnumType):
        return next(iter(type_.values))
    if isinstance(type_, graphql.GraphQLInputObjectType):
        fields = [
            f"{name}: {literal(field.type, scalars, depth + 1)}"
            for name, field in type_.fields.items()
            if graphql.is_required_input_field(field) and depth < 4
        ]
        return "{" + ", ".join(fields) + "}"
    return scalars.get(type_.name, DATE)


def call(name: str, scalars: dict[str, str]) -> str:
    field = SCHEMA.mutation_type.fields[name]  # type: ignore[union-attr]
    arguments = ", ".join(
        f"{arg_name}: {literal(arg.type, scalars)}"
        for arg_name, arg in field.args.items()
        if graphql.is_required_argument(arg)
    )
    payload = graphql.get_named_type(field.type)
    selection = ""
    if isinstance(payload, graphql.GraphQLObjectType):
        errors = [
            f"{name} {{ message }}"
            for name in ("user_errors", "errors")
            if name in payload.fields
            and "message"
            in getattr(graphql.get_named_type(payload.fields[name].type), "fields", {})
        ]
        selection = "{ __typename " + " ".join(errors) + " }"
    return f"mutation {{ {name}{f'({arguments})' if arguments else ''} {selection} }}"


async def row_counts() -> dict[str, int]:
    connection = Tortoise.get_connection("default")
    if connection.capabilities.dialect == "postgres":
        sql = "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'"
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    tables = sorted(row["name"] for row in await connection.execute_query_dict(sql))
    counts = ", ".join(f'(SELECT COUNT(*) FROM "{t}") AS "{t}"' for t in tables)
    (row,) = await connection.execute_query_dict(f"SELECT {counts}")
    return {t: int(row[t]) for t in tables}


def refused(body: dict[str, Any], name: str) -> bool:
    """Whether the answer says no: errors, or `user_errors` / line errors in its payload."""
    if body.get("errors"):
        return True
    payload = (body.get("data") or {}).get(name)
    return isinstance(payload, dict) and bool(
        payload.get("user_errors") or payload.get("errors") or payload.get("error")
    )


# Mutations that accept these inputs (nothing required, or values that are fine as they are:
# a name, a config value, a SKU): their writes are not refusals.
ACCEPTED = {
    "adminApplyCatalogRules",
    "adminCreateCategory",
    "adminCreateCmsBlock",
    "adminCreateCmsPage",
    "adminCreateCustomerGroup",
    "adminCreateDynamicBlock",
    "adminCreateProduct",
    "adminCreateRelatedProductRule",
    "adminCreateSegment",
    "adminReindexRelatedProductRules",
    "adminSaveConfig",
    "adminSaveRewardRate",
    "adminUpsertProducts",
    "createEmptyCart",
    "createGuestCart",
    "deleteCustomer",
    "revokeCustomerToken",
    "updateCustomerV2",
}


@pytest.fixture
def app(settings: Settings, db: Any) -> web.Application:
    """No background runner: their own writes (run rows, refresh passes) would be counted."""
    quiet = replace(
        settings, refresh_in_process=False, time_in_process=False, webhooks_in_process=False
    )
    return create_app(quiet, manage_database=False)


@pytest.mark.parametrize("caller", ["admin", "customer"])
@pytest.mark.parametrize("kind", ["garbage", "plausible", "too long"])
async def test_refused_mutations_write_nothing(
    client: Any, admin_token: str, caller: str, kind: str
) -> None:
    customer = await make_customer()
    token = admin_token if caller == "admin" else await token_for(customer)
    scalars = {"garbage": GARBAGE, "plausible": PLAUSIBLE, "too long": TOO_LONG}[kind]
    crashed: list[tuple[str, list[str]]] = []
    wrote: list[tuple[str, dict[str, tuple[int, int]]]] = []
    accepted: list[str] = []
    for name in MUTATIONS:
        if name in {"deleteCustomer", "revokeCustomerToken"}:
            continue  # they would end the caller's session
        before = await row_counts()
        response = await client.post(
            "/graphql",
            json={"query": call(name, scalars)},
            headers={"Authorization": f"Bearer {token}"},
        )
        body = await response.json()
        internal = [
            e["message"]
            for e in body.get("errors") or []
            if e.get("extensions", {}).get("category") == "internal"
        ]
        if internal:
            crashed.append((name, internal))
        if not refused(body, name):
            accepted.append(name)
            continue
        after = await row_counts()
        if after != before:
            changed = {t: (before[t], after[t]) for t in after if after[t] != before.get(t)}
            wrote.append((name, changed))
    print(kind, caller, "accepted", accepted)
    assert crashed == []
    assert wrote == []
    assert set(accepted) <= ACCEPTED


ADD_TO_WISHLIST = """
mutation ($items: [WishlistItemInput!]!) {
  addProductsToWishlist(wishlistId: "0", wishlistItems: $items) {
    wishlist { items_count } user_errors { code message }
  }
}
"""


async def test_adding_only_unknown_products_creates_no_wishlist(client: Any) -> None:
    """`0` names the customer's own list, created on first use: not by an add that adds nothing."""
    token = await token_for(await make_customer())
    before = await row_counts()
    response = await client.post(
        "/graphql",
        json={"query": ADD_TO_WISHLIST, "variables": {"items": [{"sku": "nope", "quantity": 1}]}},
        headers={"Authorization": f"Bearer {token}"},
    )
    body = await response.json()
    assert body["data"]["addProductsToWishlist"]["user_errors"] == [
        {
            "code": "PRODUCT_NOT_FOUND",
            "message": 'Could not find a product with SKU "nope"',
        }
    ]
    assert await row_counts() == before
