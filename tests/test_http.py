"""The HTTP surface: health, GraphiQL, query limits, error categories and masking."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from graphql import GraphQLError

from graph.errors import present_error
from mageseg.app import create_app
from tests.graphql import gql


async def test_healthz_checks_database_and_cache(client: Any) -> None:
    response = await client.get("/healthz")
    assert response.status == 200
    assert await response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


async def test_graphiql_is_served_on_get(client: Any) -> None:
    response = await client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status == 200
    assert "graphiql" in (await response.text()).lower()


async def test_syntax_errors_are_input_errors(client: Any) -> None:
    response = await gql(client, "{ storeConfig { store_code }")
    assert response.data is None
    assert response.categories == ["graphql-input"]
    assert response.messages[0].startswith("Syntax Error")


async def test_unknown_fields_are_input_errors(client: Any) -> None:
    response = await gql(client, "{ storeConfig { no_such_field } }")
    assert response.messages == ["Cannot query field 'no_such_field' on type 'StoreConfig'."]
    assert response.categories == ["graphql-input"]


async def test_variables_of_the_wrong_shape_are_input_errors(client: Any) -> None:
    response = await gql(
        client,
        "query ($page: Int!) { adminCustomerGroups(pageSize: $page) { total_count } }",
        {"page": "ten"},
    )
    assert response.messages == [
        "Variable '$page' has invalid value: Int cannot represent non-integer value: 'ten'"
    ]
    assert response.categories == ["graphql-input"]


async def test_too_deep_queries_are_refused(aiohttp_client: Any, settings: Any, db: Any) -> None:
    shallow = replace(settings, max_query_depth=1)
    client = await aiohttp_client(create_app(shallow, manage_database=False))
    response = await gql(client, "{ adminWebsites { store_views { code } } }")
    assert response.data is None
    assert response.messages == ["'anonymous' exceeds maximum operation depth of 1"]
    assert response.categories == ["graphql-input"]


async def test_too_many_tokens_are_refused(client: Any) -> None:
    query = "{ " + " ".join(f"a{i}: __typename" for i in range(800)) + " }"
    response = await gql(client, query)
    assert response.data is None
    assert response.categories == ["graphql-input"]
    assert response.messages == [
        "Syntax Error: Document contains more than 2000 tokens. Parsing aborted."
    ]


async def test_too_many_aliases_are_refused(client: Any) -> None:
    query = "{ " + " ".join(f"a{i}: __typename" for i in range(31)) + " }"
    response = await gql(client, query)
    assert response.data is None
    assert response.categories == ["graphql-input"]
    assert response.messages == ["31 aliases found. Allowed: 30"]


async def test_oversized_bodies_are_refused_before_parsing(client: Any) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ __typename }", "variables": {"x": "y" * 300_000}}
    )
    assert response.status == 413


async def test_unknown_store_header_is_an_input_error(client: Any) -> None:
    response = await gql(client, "{ storeConfig { store_code } }", store="nowhere")
    assert response.data == {"storeConfig": None}
    assert response.messages == ["Requested store is not found"]
    assert response.categories == ["graphql-input"]


def test_internal_errors_are_masked() -> None:
    def error() -> GraphQLError:
        return GraphQLError("boom", original_error=RuntimeError("database password is hunter2"))

    masked = present_error(error(), debug=False)
    assert masked.message == "Internal server error"
    assert masked.extensions == {"category": "internal"}
    shown = present_error(error(), debug=True)
    assert shown.message == "Internal server error: RuntimeError('database password is hunter2')"
