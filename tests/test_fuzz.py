"""A bounded property-based fuzz of the whole GraphQL surface: queries and mutations generated
from the schema by hypothesis-graphql (valid ones, and ones with one schema violation), sent
through HTTP as an anonymous caller, a customer and an admin. No answer may be a 5xx or carry an
`internal` error.

The operations are drawn first (derandomized, so CI sees the same ones every run), then sent in
order against one database, so later mutations meet what earlier ones created. For a longer, random
hunt: `MAGESEG_FUZZ_EXAMPLES=2000 .venv/bin/pytest tests/test_fuzz.py`."""

from __future__ import annotations

import os
import time
from datetime import date
from typing import Any

import graphql
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, from_schema

from graph.schema import build_schema
from tests.factories import make_customer, token_for

EXPLORE = os.environ.get("MAGESEG_FUZZ_EXAMPLES")
# Operations per caller; with the time budget below, about 20 s per caller and backend.
EXAMPLES = int(EXPLORE or 200)
BUDGET_SECONDS = float(os.environ.get("MAGESEG_FUZZ_SECONDS") or (3600 if EXPLORE else 20))
SCHEMA = build_schema()._schema
DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)).map(
    lambda d: graphql.StringValueNode(value=d.isoformat())
)
# Valid operations, and operations with one schema violation (a wrong argument type, a missing
# required argument, an unknown enum value), which must be refused as input errors.
OPERATIONS = st.one_of(
    from_schema(SCHEMA, custom_scalars={"Date": DATES}),
    from_schema(SCHEMA, custom_scalars={"Date": DATES}, mode=Mode.NEGATIVE),
)


def draw_operations(count: int) -> list[str]:
    drawn: list[str] = []

    @settings(
        max_examples=count,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=EXPLORE is None,
        database=None,
    )
    @given(operation=OPERATIONS)
    def draw(operation: str) -> None:
        drawn.append(operation)

    draw()
    return drawn


@pytest.fixture(scope="module")
def operations() -> list[str]:
    return draw_operations(EXAMPLES)


def failures_of(status: int, body: Any) -> list[str]:
    if status >= 500:
        return [f"HTTP {status}"]
    errors = body.get("errors") or [] if isinstance(body, dict) else []
    return [
        e.get("message", "")
        for e in errors
        if (e.get("extensions") or {}).get("category") == "internal"
    ]


@pytest.mark.parametrize("caller", ["anonymous", "customer", "admin"])
async def test_no_operation_crashes_the_server(
    client: Any, admin_token: str, operations: list[str], caller: str
) -> None:
    headers: dict[str, str] = {}
    if caller == "admin":
        headers["Authorization"] = f"Bearer {admin_token}"
    elif caller == "customer":
        headers["Authorization"] = f"Bearer {await token_for(await make_customer())}"
    found: list[tuple[str, list[str]]] = []
    deadline = time.monotonic() + BUDGET_SECONDS
    for operation in operations:
        if time.monotonic() > deadline:
            break
        response = await client.post("/graphql", json={"query": operation}, headers=headers)
        body = await response.json(content_type=None)
        problems = failures_of(response.status, body)
        if problems:
            found.append((operation, problems))
    assert found == []
