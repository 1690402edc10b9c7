"""Sending GraphQL over HTTP in tests, and reading the answer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp.test_utils import TestClient


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
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
    )
    body = await response.json()
    return Response(
        response.status, body.get("data"), body.get("errors") or [], dict(response.headers)
    )
