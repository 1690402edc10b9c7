"""Sending GraphQL over HTTP in tests, and reading the answer."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp.test_utils import TestClient
from graphql import FieldNode, OperationDefinitionNode, OperationType, parse
from graphql.error import GraphQLSyntaxError

from tests.transactions import JOURNAL_HEADER, JOURNALS


@dataclass(frozen=True)
class Response:
    status: int
    data: dict[str, Any] | None
    errors: list[dict[str, Any]]
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def categories(self) -> list[str]:
        return [e.get("extensions", {}).get("category") for e in self.errors]

    @property
    def messages(self) -> list[str]:
        return [e["message"] for e in self.errors]


async def gql(
    client: TestClient[Any, Any],
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    token: str | None = None,
    store: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    headers = dict(headers or {})
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if store is not None:
        headers["Store"] = store
    # A plain ClientSession (a real server in another process) has no app to watch.
    app = getattr(client, "app", None)
    journals = app.get(JOURNALS) if app is not None else None
    key = uuid.uuid4().hex
    fields = _mutation_fields(query)
    if journals is not None and fields:
        headers[JOURNAL_HEADER] = key
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
    )
    body = await response.json()
    journal = journals.pop(key, None) if journals is not None else None
    if journal is not None:
        # Every mutation is one transaction (tests/transactions.py).
        problems = journal.problems(root_fields=len(fields))
        assert problems == [], f"{problems} in {query.strip()[:200]}"
        CHECKED.update(fields)
    return Response(
        response.status, body.get("data"), body.get("errors") or [], dict(response.headers)
    )


CHECKED: set[str] = set()
"""The mutations (root field names) this process checked for one transaction."""


def _mutation_fields(query: str) -> list[str]:
    """The root fields of the mutations in `query` (none for a query or a syntax error)."""
    try:
        document = parse(query)
    except GraphQLSyntaxError:
        return []
    return [
        selection.name.value
        for definition in document.definitions
        if isinstance(definition, OperationDefinitionNode)
        and definition.operation is OperationType.MUTATION
        for selection in definition.selection_set.selections
        if isinstance(selection, FieldNode)
    ]
