"""Documents and helpers shared by the segment admin tests (no tests here): create a segment over
HTTP, wait for its background refresh, read its members."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.graphql import gql

SEGMENT_FIELDS = """
  uid id name description is_active apply_to website_uids conditions_serialized events
  refresh { status matched_count error }
"""

CREATE = f"""
mutation ($input: SegmentCreateInput!) {{
  adminCreateSegment(input: $input) {{
    segment {{ {SEGMENT_FIELDS} }}
    user_errors {{ code message path }}
  }}
}}
"""

UPDATE = f"""
mutation ($uid: ID!, $input: SegmentUpdateInput!) {{
  adminUpdateSegment(uid: $uid, input: $input) {{
    segment {{ {SEGMENT_FIELDS} }}
    user_errors {{ code message path }}
  }}
}}
"""

STATUS = """
query ($uid: ID!) { adminSegment(uid: $uid) { refresh { status matched_count error } } }
"""

MEMBERS = """
query ($uid: ID!, $pageSize: Int, $currentPage: Int) {
  adminSegmentMembers(uid: $uid, pageSize: $pageSize, currentPage: $currentPage) {
    items { customer_uid customer_id email firstname lastname website_uid added_date updated_date }
    page_info { current_page page_size total_pages }
    total_count
  }
}
"""

WEBSITE = "MQ=="  # the default website (id 1)


def combine(
    *conditions: dict[str, Any], aggregator: str = "ALL", value: str = "1"
) -> dict[str, Any]:
    return {
        "type": "COMBINE",
        "aggregator": aggregator,
        "value": [value],
        "conditions": list(conditions),
    }


def leaf(
    type_: str, attribute: str | None = None, operator: str | None = None, *value: str
) -> dict[str, Any]:
    node: dict[str, Any] = {"type": type_}
    if attribute is not None:
        node["attribute"] = attribute
    if operator is not None:
        node["operator"] = operator
    if value:
        node["value"] = list(value)
    return node


def segment_input(conditions: dict[str, Any] | None = None, **overrides: Any) -> dict[str, Any]:
    value: dict[str, Any] = {"name": "Test segment", "website_uids": [WEBSITE]}
    if conditions is not None:
        value["conditions"] = conditions
    value.update(overrides)
    return value


async def wait_refreshed(
    client: Any, token: str, uid: str, seconds: float = 20.0
) -> dict[str, Any]:
    """Poll until the background refresh of the segment is done or failed."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while True:
        response = await gql(client, STATUS, {"uid": uid}, token=token)
        assert response.errors == [], response.errors
        refresh: dict[str, Any] = response.data["adminSegment"]["refresh"]  # type: ignore[index]
        if refresh["status"] in {"DONE", "FAILED"}:
            return refresh
        assert loop.time() < deadline, f"refresh still {refresh['status']}"
        await asyncio.sleep(0.05)


async def create_segment(
    client: Any, token: str, conditions: dict[str, Any] | None = None, **overrides: Any
) -> dict[str, Any]:
    """Create a segment (it must be accepted) and wait for its first refresh."""
    response = await gql(
        client, CREATE, {"input": segment_input(conditions, **overrides)}, token=token
    )
    assert response.errors == [], response.errors
    output = response.data["adminCreateSegment"]  # type: ignore[index]
    assert output["user_errors"] == []
    segment: dict[str, Any] = output["segment"]
    if segment["apply_to"] != "VISITOR":
        refresh = await wait_refreshed(client, token, segment["uid"])
        assert refresh["status"] == "DONE", refresh
    return segment


async def member_emails(client: Any, token: str, uid: str) -> list[str]:
    response = await gql(client, MEMBERS, {"uid": uid, "pageSize": 300}, token=token)
    assert response.errors == [], response.errors
    return [m["email"] for m in response.data["adminSegmentMembers"]["items"]]  # type: ignore[index]


async def members_of(
    client: Any, token: str, conditions: dict[str, Any], **overrides: Any
) -> list[str]:
    """Create a segment with these conditions, refresh it, and give its members' emails."""
    segment = await create_segment(client, token, conditions, **overrides)
    return await member_emails(client, token, segment["uid"])
