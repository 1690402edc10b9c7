"""Malformed HTTP requests: every one is a 400 with a Magento-shaped `graphql-input` error, and
none writes an ERROR log line."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import pytest

QUERY = b'{"query": "{ storeConfig { store_code } }"}'
JSON = {"Content-Type": "application/json"}


def deep(levels: int) -> bytes:
    return (
        b'{"query": "{ __typename }", "variables": {"a": ' + b"[" * levels + b"]" * levels + b"}}"
    )


CASES: list[tuple[str, bytes, dict[str, Any]]] = [
    ("body a number", b"42", JSON),
    ("body a string", b'"query"', JSON),
    ("body null", b"null", JSON),
    ("body an array of garbage", b'[1, "x", null]', JSON),
    ("body an empty array", b"[]", JSON),
    ("body not utf-8", b'{"query": "{ __typename }\xff"}', JSON),
    ("body not json", b"{query", JSON),
    ("body empty", b"", JSON),
    ("query not a string", b'{"query": 42}', JSON),
    ("variables not an object", b'{"query": "{ __typename }", "variables": [1]}', JSON),
    ("operationName not a string", b'{"query": "{ __typename }", "operationName": 1}', JSON),
    ("extensions not an object", b'{"query": "{ __typename }", "extensions": 1}', JSON),
    ("variables nested 1,500 deep", deep(1500), JSON),
    ("unsupported content type", QUERY, {"Content-Type": "text/plain"}),
    ("form without query", b"a=1", {"Content-Type": "application/x-www-form-urlencoded"}),
    ("multipart garbage", b"--x\r\n\r\n", {"Content-Type": "multipart/form-data; boundary=x"}),
]


async def raw_post(client: Any, headers: bytes, body: bytes) -> tuple[int, bytes]:
    """POST with header bytes as given (aiohttp's client would encode them)."""
    reader, writer = await asyncio.open_connection(client.host, client.port)
    writer.write(
        b"POST /graphql HTTP/1.1\r\nHost: test\r\nConnection: close\r\n"
        b"Content-Type: application/json\r\n"
        + headers
        + b"Content-Length: %d\r\n\r\n" % len(body)
        + body
    )
    await writer.drain()
    answer = await reader.read()
    writer.close()
    await writer.wait_closed()
    head, _, payload = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), payload


@pytest.mark.parametrize(
    ("header", "name"),
    [
        (b"Store: d\xe9fault\r\n", "Store"),
        (b"Authorization: Bearer \xff\xfe\r\n", "Authorization"),
        (b"X-Magento-Visitor: \xc3\x28\r\n", "X-Magento-Visitor"),
    ],
)
async def test_headers_that_are_not_utf8_are_input_errors(
    client: Any, caplog: pytest.LogCaptureFixture, header: bytes, name: str
) -> None:
    status, payload = await raw_post(client, header, QUERY)
    assert status == 400
    assert json.loads(payload) == {
        "errors": [
            {
                "message": f'The "{name}" header is not valid UTF-8.',
                "extensions": {"category": "graphql-input"},
            }
        ]
    }
    assert errors_logged(caplog) == []


def errors_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize(("body", "headers"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
async def test_malformed_requests_are_input_errors(
    client: Any, caplog: pytest.LogCaptureFixture, body: bytes, headers: dict[str, Any]
) -> None:
    caplog.set_level(logging.INFO)
    response = await client.post("/graphql", data=body, headers=headers)
    text = await response.text()
    assert response.status == 400
    answer = json.loads(text)
    assert [e["extensions"]["category"] for e in answer["errors"]] == ["graphql-input"]
    assert errors_logged(caplog) == []


DEEP_LIST = "[" * 900 + '"a"' + "]" * 900
GRAPHQL_CASES: list[tuple[str, str, dict[str, Any]]] = [
    ("query nested 1,500 deep", "{ a " * 1500 + "}" * 1500, {}),
    (
        "variable nested 900 deep",
        'query ($s: [String]) { products(search: "x", filter: {sku: {in: $s}}) { total_count } }',
        {"s": json.loads(DEEP_LIST)},
    ),
    (
        "literal nested 900 deep",
        "{ products(filter: {sku: {in: " + DEEP_LIST + "}}) { total_count } }",
        {},
    ),
]


@pytest.mark.parametrize(
    ("query", "variables"), [c[1:] for c in GRAPHQL_CASES], ids=[c[0] for c in GRAPHQL_CASES]
)
async def test_operations_nested_too_deep_are_input_errors(
    client: Any, caplog: pytest.LogCaptureFixture, query: str, variables: dict[str, Any]
) -> None:
    body = json.dumps({"query": query, "variables": variables}).encode()
    response = await client.post("/graphql", data=body, headers=JSON)
    answer = await response.json()
    assert response.status == 200
    assert [e["extensions"]["category"] for e in answer["errors"]] == ["graphql-input"]
    assert errors_logged(caplog) == []
