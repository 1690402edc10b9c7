"""Admin segments through HTTP: create, read, list, update, delete, refresh, preview, report, the
condition catalogue and the CSV export; every refused input leaves the database unchanged."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from engine.segments import service
from models import (
    MagentoCustomersegmentCustomer,
    MagentoCustomersegmentEvent,
    MagentoCustomersegmentSegment,
    MagentoCustomersegmentWebsite,
)
from tests.factories import make_customer, token_for
from tests.graphql import gql
from tests.test_segments_support import (
    CREATE,
    MEMBERS,
    UPDATE,
    combine,
    create_segment,
    leaf,
    member_emails,
    segment_input,
    wait_refreshed,
)

ROOT = "Magento\\\\CustomerSegment\\\\Model\\\\Segment\\\\Condition\\\\Combine\\\\Root"
ATTRIBUTES = "Magento\\\\CustomerSegment\\\\Model\\\\Segment\\\\Condition\\\\Customer\\\\Attributes"

SEGMENT = """
query ($uid: ID!) {
  adminSegment(uid: $uid) {
    uid name
    conditions { type attribute operator value aggregator
      conditions { type attribute operator value aggregator
        conditions { type attribute operator value aggregator } } }
    conditions_serialized
  }
}
"""

SEGMENTS = """
query ($filter: SegmentFilterInput, $pageSize: Int, $currentPage: Int) {
  adminSegments(filter: $filter, pageSize: $pageSize, currentPage: $currentPage) {
    items { uid name is_active }
    page_info { current_page page_size total_pages }
    total_count
  }
}
"""

DELETE = """
mutation ($uid: ID!) {
  adminDeleteSegment(uid: $uid) { deleted_uid user_errors { code message path } }
}
"""

REFRESH = """
mutation ($uid: ID!) {
  adminRefreshSegment(uid: $uid) {
    segment { uid refresh { status } } user_errors { code message path }
  }
}
"""

REFRESH_MANY = """
mutation ($uids: [ID!], $all: Boolean = false) {
  adminRefreshSegments(uids: $uids, all: $all) {
    segments { uid refresh { status } } user_errors { code message path }
  }
}
"""

PREVIEW = """
query ($input: SegmentPreviewInput!, $pageSize: Int, $currentPage: Int) {
  adminPreviewSegment(input: $input, pageSize: $pageSize, currentPage: $currentPage) {
    total_count
    items { customer_uid email website_uid added_date }
    page_info { current_page page_size total_pages }
    user_errors { code message path }
  }
}
"""

REPORT = """
query ($uids: [ID!]!, $mode: SegmentReportMode) {
  adminSegmentReport(uids: $uids, mode: $mode) {
    mode segments { segment_uid name customer_count } customer_count
  }
}
"""

CATALOG = """
{ adminSegmentConditionCatalog {
    type group label sentence operators value_kind takes_aggregator available_for_visitors
    visitor_values child_types
    value_options { value label }
    attributes { code label input_type operators options { value label } }
} }
"""

DATE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
FIRSTNAME_ANN = combine(leaf("CUSTOMER_ATTRIBUTE", "firstname", "IS", "ann"))


async def table_counts() -> tuple[int, ...]:
    return tuple(
        [
            await model.all().count()
            for model in (
                MagentoCustomersegmentSegment,
                MagentoCustomersegmentWebsite,
                MagentoCustomersegmentEvent,
                MagentoCustomersegmentCustomer,
            )
        ]
    )


async def three_customers() -> None:
    await make_customer("ann@example.com", firstname="Ann", lastname="Lee")
    await make_customer("bob@example.com", firstname="Bob", lastname="Ray")
    await make_customer("cy@example.com", firstname="Ann", lastname="Cy")


# --- create, read, list -------------------------------------------------------------------------


async def test_admin_creates_a_segment_and_its_refresh_finds_the_members(
    client: Any, admin_token: str
) -> None:
    await three_customers()
    response = await gql(
        client,
        CREATE,
        {
            "input": segment_input(
                FIRSTNAME_ANN, name="  Anns ", description="First name Ann", apply_to="REGISTERED"
            )
        },
        token=admin_token,
    )

    assert response.data == {
        "adminCreateSegment": {
            "segment": {
                "uid": "MQ==",
                "id": 1,
                "name": "Anns",
                "description": "First name Ann",
                "is_active": True,
                "apply_to": "REGISTERED",
                "website_uids": ["MQ=="],
                "conditions_serialized": (
                    f'{{"type":"{ROOT}","attribute":null,"operator":null,"value":"1",'
                    '"is_value_processed":null,"aggregator":"all","conditions":'
                    f'[{{"type":"{ATTRIBUTES}","attribute":"firstname","operator":"==",'
                    '"value":"ann","is_value_processed":false}]}'
                ),
                "events": ["customer_login", "customer_save_commit_after"],
                "refresh": {"status": "QUEUED", "matched_count": None, "error": None},
            },
            "user_errors": [],
        }
    }
    refresh = await wait_refreshed(client, admin_token, "MQ==")
    assert refresh == {"status": "DONE", "matched_count": 2, "error": None}
    members = await gql(client, MEMBERS, {"uid": "MQ=="}, token=admin_token)
    page = members.data["adminSegmentMembers"]  # type: ignore[index]
    assert [
        {k: v for k, v in m.items() if k not in {"added_date", "updated_date"}}
        for m in page["items"]
    ] == [
        {
            "customer_uid": "MQ==",
            "customer_id": 1,
            "email": "ann@example.com",
            "firstname": "Ann",
            "lastname": "Lee",
            "website_uid": "MQ==",
        },
        {
            "customer_uid": "Mw==",
            "customer_id": 3,
            "email": "cy@example.com",
            "firstname": "Ann",
            "lastname": "Cy",
            "website_uid": "MQ==",
        },
    ]
    for member in page["items"]:
        assert DATE.match(member["added_date"])
        assert member["updated_date"] == member["added_date"]
    assert page["page_info"] == {"current_page": 1, "page_size": 20, "total_pages": 1}
    assert page["total_count"] == 2


async def test_segment_reads_back_its_typed_conditions(client: Any, admin_token: str) -> None:
    tree = combine(
        leaf("CUSTOMER_ATTRIBUTE", "email", "CONTAINS", "@example.com"),
        {
            "type": "ORDERS_NUMBER",
            "operator": "GREATER_OR_EQUAL",
            "value": ["2"],
            "aggregator": "ALL",
            "conditions": [leaf("ORDER_STATUS", None, "IS", "complete")],
        },
        aggregator="ANY",
    )
    segment = await create_segment(client, admin_token, tree)
    response = await gql(client, SEGMENT, {"uid": segment["uid"]}, token=admin_token)
    conditions = response.data["adminSegment"]["conditions"]  # type: ignore[index]
    assert conditions == {
        "type": "COMBINE",
        "attribute": None,
        "operator": None,
        "value": ["1"],
        "aggregator": "ANY",
        "conditions": [
            {
                "type": "CUSTOMER_ATTRIBUTE",
                "attribute": "email",
                "operator": "CONTAINS",
                "value": ["@example.com"],
                "aggregator": None,
                "conditions": [],
            },
            {
                "type": "ORDERS_NUMBER",
                "attribute": None,
                "operator": "GREATER_OR_EQUAL",
                "value": ["2"],
                "aggregator": "ALL",
                "conditions": [
                    {
                        "type": "ORDER_STATUS",
                        "attribute": None,
                        "operator": "IS",
                        "value": ["complete"],
                        "aggregator": None,
                    }
                ],
            },
        ],
    }


MAGENTO_EXPORT = (
    '{"type":"Magento\\\\CustomerSegment\\\\Model\\\\Segment\\\\Condition\\\\Combine\\\\Root",'
    '"attribute":null,"operator":null,"value":"1","is_value_processed":null,"aggregator":"any",'
    '"conditions":[{"type":"Magento\\\\CustomerSegment\\\\Model\\\\Segment\\\\Condition\\\\'
    'Customer\\\\Attributes","attribute":"lastname","operator":"==","value":"Lee",'
    '"is_value_processed":false},{"type":"Magento\\\\CustomerSegment\\\\Model\\\\Segment\\\\'
    'Condition\\\\Sales\\\\Ordersnumber","attribute":null,"operator":">=","value":"2",'
    '"is_value_processed":null,"aggregator":"all","conditions":[{"type":"Magento\\\\'
    'CustomerSegment\\\\Model\\\\Segment\\\\Condition\\\\Order\\\\Status","attribute":null,'
    '"operator":"==","value":"complete","is_value_processed":false},{"type":"Magento\\\\'
    'CustomerSegment\\\\Model\\\\Segment\\\\Condition\\\\Uptodate","attribute":null,'
    '"operator":">=","value":"30","is_value_processed":false}]}]}'
)


async def test_a_magento_export_is_pasted_in_and_comes_back_unchanged(
    client: Any, admin_token: str
) -> None:
    await three_customers()
    segment = await create_segment(client, admin_token, conditions_serialized=MAGENTO_EXPORT)
    assert segment["conditions_serialized"] == MAGENTO_EXPORT
    assert await member_emails(client, admin_token, segment["uid"]) == ["ann@example.com"]

    # The typed tree read back and sent again serializes to the same document.
    read = await gql(client, SEGMENT, {"uid": segment["uid"]}, token=admin_token)
    typed = read.data["adminSegment"]["conditions"]  # type: ignore[index]
    response = await gql(
        client,
        UPDATE,
        {"uid": segment["uid"], "input": {"conditions": strip_nulls(typed)}},
        token=admin_token,
    )
    updated = response.data["adminUpdateSegment"]  # type: ignore[index]
    assert updated["user_errors"] == []
    assert updated["segment"]["conditions_serialized"] == MAGENTO_EXPORT
    assert json.loads(MAGENTO_EXPORT)["conditions"][1]["conditions"][1]["value"] == "30"


async def test_typed_conditions_read_back_split_magento_comma_lists(
    client: Any, admin_token: str
) -> None:
    await three_customers()
    pasted = MAGENTO_EXPORT.replace(
        '"operator":"==","value":"Lee"', '"operator":"()","value":"Lee, Kim"'
    )
    segment = await create_segment(client, admin_token, conditions_serialized=pasted)

    read = await gql(client, SEGMENT, {"uid": segment["uid"]}, token=admin_token)

    lastname = read.data["adminSegment"]["conditions"]["conditions"][0]  # type: ignore[index]
    assert lastname == {
        "type": "CUSTOMER_ATTRIBUTE",
        "attribute": "lastname",
        "operator": "ONE_OF",
        "value": ["Lee", "Kim"],
        "aggregator": None,
        "conditions": [],
    }


def strip_nulls(node: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in node.items() if v is not None and k != "conditions"}
    if node.get("conditions"):
        out["conditions"] = [strip_nulls(child) for child in node["conditions"]]
    return out


async def test_admin_lists_and_filters_segments(client: Any, admin_token: str) -> None:
    await create_segment(client, admin_token, name="VIP buyers")
    await create_segment(client, admin_token, name="Newsletter", is_active=False)
    await create_segment(client, admin_token, name="Big carts")

    response = await gql(client, SEGMENTS, {"pageSize": 2, "currentPage": 2}, token=admin_token)
    assert response.data == {
        "adminSegments": {
            "items": [{"uid": "Mw==", "name": "Big carts", "is_active": True}],
            "page_info": {"current_page": 2, "page_size": 2, "total_pages": 2},
            "total_count": 3,
        }
    }
    response = await gql(
        client, SEGMENTS, {"filter": {"name": {"match": "b"}, "is_active": True}}, token=admin_token
    )
    assert [s["name"] for s in response.data["adminSegments"]["items"]] == [  # type: ignore[index]
        "VIP buyers",
        "Big carts",
    ]
    response = await gql(
        client, SEGMENTS, {"filter": {"uid": {"in": ["Mg==", "Mw=="]}}}, token=admin_token
    )
    assert [s["name"] for s in response.data["adminSegments"]["items"]] == [  # type: ignore[index]
        "Newsletter",
        "Big carts",
    ]


async def test_unknown_and_malformed_uids(client: Any, admin_token: str) -> None:
    response = await gql(client, SEGMENT, {"uid": "OTk="}, token=admin_token)
    assert response.data == {"adminSegment": None}
    assert response.messages == ['The segment with ID "99" does not exist.']
    assert response.categories == ["graphql-no-such-entity"]

    response = await gql(client, SEGMENT, {"uid": "%%"}, token=admin_token)
    assert response.messages == ['Value of uid "%%" is incorrect.']
    assert response.categories == ["graphql-input"]

    response = await gql(client, DELETE, {"uid": "OTk="}, token=admin_token)
    assert response.data == {
        "adminDeleteSegment": {
            "deleted_uid": None,
            "user_errors": [
                {
                    "code": "NOT_FOUND",
                    "message": 'The segment with ID "99" does not exist.',
                    "path": "uid",
                }
            ],
        }
    }


# --- bad input ----------------------------------------------------------------------------------


async def test_bad_conditions_are_all_reported_and_nothing_is_saved(
    client: Any, admin_token: str
) -> None:
    await create_segment(client, admin_token, name="Existing")
    before = await table_counts()
    bad = combine(
        leaf("CUSTOMER_ATTRIBUTE", "shoe_size", "IS", "42"),
        leaf("CUSTOMER_ATTRIBUTE", "email", "GREATER", "x"),
        leaf("CUSTOMER_ATTRIBUTE", "gender", "IS", "9"),
        leaf("CUSTOMER_STORE_CREDIT", None, "GREATER", "lots"),
        leaf("CUSTOMER_ATTRIBUTE", "dob", "IS", "2020-13-45"),
        {
            "type": "SALES_AMOUNT",
            "attribute": "total",
            "operator": "GREATER",
            "value": ["10"],
            "conditions": [leaf("DATE_RANGE", None, "IS", "2024-01-01...2024-02-30")],
        },
        leaf("SEGMENT", None, "IS", "99"),
        leaf("ADDRESS_REGION", None, None, "1"),
    )
    response = await gql(
        client,
        CREATE,
        {"input": segment_input(bad, name="", website_uids=["Nw==", "%%"])},
        token=admin_token,
    )
    # A malformed uid stops the input before anything else is read.
    assert response.data == {
        "adminCreateSegment": {
            "segment": None,
            "user_errors": [
                {
                    "code": "INVALID_UID",
                    "message": 'Value of uid "%%" is incorrect.',
                    "path": "input.website_uids.1",
                }
            ],
        }
    }
    response = await gql(
        client,
        CREATE,
        {"input": segment_input(bad, name="", website_uids=["Nw=="])},
        token=admin_token,
    )
    c = "input.conditions.conditions"
    assert response.data == {
        "adminCreateSegment": {
            "segment": None,
            "user_errors": [
                {
                    "code": "REQUIRED",
                    "message": '"name" is required. Enter and try again.',
                    "path": "input.name",
                },
                {
                    "code": "NOT_FOUND",
                    "message": 'Could not find a website with ID "7"',
                    "path": "input.website_uids.0",
                },
                {
                    "code": "UNKNOWN_ATTRIBUTE",
                    "message": "Unknown customer attribute 'shoe_size'.",
                    "path": f"{c}.0.attribute",
                },
                {
                    "code": "INVALID_OPERATOR",
                    "message": "Operator '>' is not allowed here; use one of ==, !=, {}, !{}, "
                    "(), !().",
                    "path": f"{c}.1.operator",
                },
                {
                    "code": "INVALID_VALUE",
                    "message": "'9' is not an option of Gender.",
                    "path": f"{c}.2.value",
                },
                {
                    "code": "INVALID_VALUE",
                    "message": "'lots' is not a number.",
                    "path": f"{c}.3.value",
                },
                {
                    "code": "INVALID_VALUE",
                    "message": "'2020-13-45' is not a date (YYYY-MM-DD).",
                    "path": f"{c}.4.value",
                },
                {
                    "code": "INVALID_VALUE",
                    "message": "'2024-02-30' is not a date (YYYY-MM-DD).",
                    "path": f"{c}.5.conditions.0.value",
                },
                {
                    "code": "UNKNOWN_SEGMENT",
                    "message": "Segment 99 does not exist.",
                    "path": f"{c}.6.value",
                },
                {
                    "code": "UNKNOWN_CONDITION",
                    "message": "ADDRESS_REGION is not allowed inside COMBINE.",
                    "path": f"{c}.7.type",
                },
            ],
        }
    }
    assert await table_counts() == before


async def test_an_unknown_condition_type_is_refused(client: Any, admin_token: str) -> None:
    response = await gql(
        client,
        CREATE,
        {"input": segment_input(combine(leaf("SHOE_SIZE")))},
        token=admin_token,
    )
    assert response.categories == ["graphql-input"]
    assert response.data is None

    response = await gql(
        client,
        CREATE,
        {
            "input": segment_input(
                conditions_serialized='{"type":"Magento\\\\Foo\\\\Bar","value":"1","aggregator":"all"}'
            )
        },
        token=admin_token,
    )
    assert response.data == {
        "adminCreateSegment": {
            "segment": None,
            "user_errors": [
                {
                    "code": "UNKNOWN_CONDITION",
                    "message": "Unknown condition class 'Magento\\Foo\\Bar'.",
                    "path": "input.conditions_serialized.type",
                }
            ],
        }
    }
    assert await table_counts() == (0, 0, 0, 0)


async def test_malformed_json_and_both_condition_forms_are_refused(
    client: Any, admin_token: str
) -> None:
    response = await gql(
        client, CREATE, {"input": segment_input(conditions_serialized="{nope")}, token=admin_token
    )
    assert response.data["adminCreateSegment"]["user_errors"] == [  # type: ignore[index]
        {
            "code": "INVALID",
            "message": "Not valid JSON: Expecting property name enclosed in double quotes: "
            "line 1 column 2 (char 1).",
            "path": "input.conditions_serialized",
        }
    ]
    response = await gql(
        client,
        CREATE,
        {"input": segment_input(FIRSTNAME_ANN, conditions_serialized=MAGENTO_EXPORT)},
        token=admin_token,
    )
    assert response.data["adminCreateSegment"]["user_errors"] == [  # type: ignore[index]
        {
            "code": "INVALID",
            "message": "Give either conditions or conditions_serialized, not both.",
            "path": "input.conditions_serialized",
        }
    ]
    assert await table_counts() == (0, 0, 0, 0)


async def test_visitor_segments_refuse_conditions_needing_a_customer(
    client: Any, admin_token: str
) -> None:
    response = await gql(
        client,
        CREATE,
        {
            "input": segment_input(
                combine(
                    leaf("CART_LINE_ITEMS", None, "GREATER", "2"),
                    leaf("CUSTOMER_ATTRIBUTE", "email", "IS", "a@example.com"),
                ),
                apply_to="VISITOR",
            )
        },
        token=admin_token,
    )
    assert response.data["adminCreateSegment"]["user_errors"] == [  # type: ignore[index]
        {
            "code": "NOT_FOR_VISITORS",
            "message": "CUSTOMER_ATTRIBUTE needs a registered customer; the segment applies to "
            "visitors.",
            "path": "input.conditions.conditions.1.type",
        }
    ]
    assert await table_counts() == (0, 0, 0, 0)


async def test_apply_to_cannot_change_after_creation(client: Any, admin_token: str) -> None:
    segment = await create_segment(client, admin_token, FIRSTNAME_ANN, apply_to="REGISTERED")
    before = await table_counts()
    response = await gql(
        client,
        UPDATE,
        {"uid": segment["uid"], "input": {"apply_to": "BOTH", "name": "Renamed"}},
        token=admin_token,
    )
    assert response.data == {
        "adminUpdateSegment": {
            "segment": None,
            "user_errors": [
                {
                    "code": "PROTECTED",
                    "message": "Apply To cannot be changed after the segment is created.",
                    "path": "input.apply_to",
                }
            ],
        }
    }
    row = await MagentoCustomersegmentSegment.get(segment_id=segment["id"])
    assert (row.name, int(row.apply_to)) == ("Test segment", 1)
    assert await table_counts() == before
    # Sending the same value is accepted.
    response = await gql(
        client,
        UPDATE,
        {"uid": segment["uid"], "input": {"apply_to": "REGISTERED", "name": "Renamed"}},
        token=admin_token,
    )
    assert response.data["adminUpdateSegment"]["segment"]["name"] == "Renamed"  # type: ignore[index]


async def test_cyclic_segment_references_are_refused(client: Any, admin_token: str) -> None:
    first = await create_segment(client, admin_token, name="A")
    second = await create_segment(
        client, admin_token, combine(leaf("SEGMENT", None, "IS", str(first["id"]))), name="B"
    )
    before = await table_counts()
    serialized = (
        await MagentoCustomersegmentSegment.get(segment_id=first["id"])
    ).conditions_serialized
    for target in (second, first):
        response = await gql(
            client,
            UPDATE,
            {
                "uid": first["uid"],
                "input": {
                    "conditions": combine(leaf("SEGMENT", None, "IS_NOT", str(target["id"])))
                },
            },
            token=admin_token,
        )
        errors = response.data["adminUpdateSegment"]["user_errors"]  # type: ignore[index]
        assert [(e["code"], e["path"]) for e in errors] == [
            ("CYCLE", "input.conditions.conditions.0.value")
        ]
    row = await MagentoCustomersegmentSegment.get(segment_id=first["id"])
    assert row.conditions_serialized == serialized
    assert await table_counts() == before


# --- update, delete, refresh --------------------------------------------------------------------


async def test_update_replaces_conditions_and_websites_and_requeues(
    client: Any, admin_token: str
) -> None:
    await three_customers()
    segment = await create_segment(client, admin_token, FIRSTNAME_ANN)
    assert await member_emails(client, admin_token, segment["uid"]) == [
        "ann@example.com",
        "cy@example.com",
    ]
    response = await gql(
        client,
        UPDATE,
        {
            "uid": segment["uid"],
            "input": {
                "conditions": combine(leaf("CUSTOMER_ATTRIBUTE", "lastname", "IS", "ray")),
                "description": "Rays",
            },
        },
        token=admin_token,
    )
    output = response.data["adminUpdateSegment"]  # type: ignore[index]
    assert output["user_errors"] == []
    assert output["segment"]["description"] == "Rays"
    assert output["segment"]["refresh"]["status"] in {"QUEUED", "RUNNING", "DONE"}
    assert (await wait_refreshed(client, admin_token, segment["uid"]))["status"] == "DONE"
    assert await member_emails(client, admin_token, segment["uid"]) == ["bob@example.com"]

    # Leaving every website drops the members at once.
    response = await gql(
        client, UPDATE, {"uid": segment["uid"], "input": {"website_uids": []}}, token=admin_token
    )
    assert response.data["adminUpdateSegment"]["segment"]["website_uids"] == []  # type: ignore[index]
    assert await MagentoCustomersegmentCustomer.all().count() == 0


async def test_delete_removes_members_events_and_websites(client: Any, admin_token: str) -> None:
    await three_customers()
    kept = await create_segment(client, admin_token, FIRSTNAME_ANN, name="Kept")
    gone = await create_segment(client, admin_token, FIRSTNAME_ANN, name="Gone")
    response = await gql(client, DELETE, {"uid": gone["uid"]}, token=admin_token)
    assert response.data == {"adminDeleteSegment": {"deleted_uid": "Mg==", "user_errors": []}}
    assert [s.name for s in await MagentoCustomersegmentSegment.all()] == ["Kept"]
    for model in (
        MagentoCustomersegmentCustomer,
        MagentoCustomersegmentEvent,
        MagentoCustomersegmentWebsite,
    ):
        assert set(await model.all().values_list("segment_id", flat=True)) == {kept["id"]}


async def test_a_segment_named_by_another_cannot_be_deleted(client: Any, admin_token: str) -> None:
    first = await create_segment(client, admin_token, name="A")
    await create_segment(
        client, admin_token, combine(leaf("SEGMENT", None, "IS", str(first["id"]))), name="B"
    )
    before = await table_counts()
    response = await gql(client, DELETE, {"uid": first["uid"]}, token=admin_token)
    assert response.data == {
        "adminDeleteSegment": {
            "deleted_uid": None,
            "user_errors": [
                {
                    "code": "IN_USE",
                    "message": "The segment is used by the conditions of segment(s) 2.",
                    "path": "uid",
                }
            ],
        }
    }
    assert await table_counts() == before


async def test_refresh_mutations_queue_segments(client: Any, admin_token: str) -> None:
    await three_customers()
    segment = await create_segment(client, admin_token, FIRSTNAME_ANN)
    await make_customer("dee@example.com", firstname="ann")

    response = await gql(client, REFRESH, {"uid": segment["uid"]}, token=admin_token)
    output = response.data["adminRefreshSegment"]  # type: ignore[index]
    assert output["user_errors"] == []
    assert output["segment"]["refresh"]["status"] in {"QUEUED", "RUNNING", "DONE"}
    assert (await wait_refreshed(client, admin_token, segment["uid"]))["matched_count"] == 3

    response = await gql(client, REFRESH_MANY, {"uids": ["MQ==", "OTk=", "%%"]}, token=admin_token)
    assert response.data == {
        "adminRefreshSegments": {
            "segments": [],
            "user_errors": [
                {
                    "code": "INVALID_UID",
                    "message": 'Value of uid "%%" is incorrect.',
                    "path": "uids.2",
                }
            ],
        }
    }
    response = await gql(client, REFRESH_MANY, {"uids": ["MQ==", "OTk="]}, token=admin_token)
    assert response.data["adminRefreshSegments"]["user_errors"] == [  # type: ignore[index]
        {
            "code": "NOT_FOUND",
            "message": 'The segment with ID "99" does not exist.',
            "path": "uids.1",
        }
    ]
    response = await gql(client, REFRESH_MANY, {"all": True}, token=admin_token)
    output = response.data["adminRefreshSegments"]  # type: ignore[index]
    assert output["user_errors"] == []
    assert [s["uid"] for s in output["segments"]] == ["MQ=="]
    assert (await wait_refreshed(client, admin_token, "MQ=="))["matched_count"] == 3

    response = await gql(client, REFRESH_MANY, {}, token=admin_token)
    assert response.data["adminRefreshSegments"]["user_errors"] == [  # type: ignore[index]
        {"code": "REQUIRED", "message": "Give either uids or all: true.", "path": "uids"}
    ]


# --- preview, report ----------------------------------------------------------------------------


async def test_preview_counts_and_pages_unsaved_conditions(client: Any, admin_token: str) -> None:
    await three_customers()
    before = await table_counts()
    response = await gql(
        client,
        PREVIEW,
        {
            "input": {"website_uid": "MQ==", "conditions": FIRSTNAME_ANN},
            "pageSize": 1,
            "currentPage": 2,
        },
        token=admin_token,
    )
    assert response.data == {
        "adminPreviewSegment": {
            "total_count": 2,
            "items": [
                {
                    "customer_uid": "Mw==",
                    "email": "cy@example.com",
                    "website_uid": "MQ==",
                    "added_date": None,
                }
            ],
            "page_info": {"current_page": 2, "page_size": 1, "total_pages": 2},
            "user_errors": [],
        }
    }
    response = await gql(
        client,
        PREVIEW,
        {"input": {"website_uid": "MQ==", "conditions_serialized": MAGENTO_EXPORT}},
        token=admin_token,
    )
    assert response.data["adminPreviewSegment"]["total_count"] == 1  # type: ignore[index]

    response = await gql(
        client,
        PREVIEW,
        {
            "input": {
                "website_uid": "OQ==",
                "conditions": combine(leaf("CUSTOMER_ATTRIBUTE", "gender", "IS", "9")),
            }
        },
        token=admin_token,
    )
    assert response.data == {
        "adminPreviewSegment": {
            "total_count": None,
            "items": [],
            "page_info": None,
            "user_errors": [
                {
                    "code": "NOT_FOUND",
                    "message": 'Could not find a website with ID "9"',
                    "path": "input.website_uid",
                },
                {
                    "code": "INVALID_VALUE",
                    "message": "'9' is not an option of Gender.",
                    "path": "input.conditions.conditions.0.value",
                },
            ],
        }
    }
    assert await table_counts() == before


async def test_report_counts_union_and_intersection(client: Any, admin_token: str) -> None:
    await three_customers()
    anns = await create_segment(client, admin_token, FIRSTNAME_ANN, name="Anns")
    lees = await create_segment(
        client,
        admin_token,
        combine(leaf("CUSTOMER_ATTRIBUTE", "lastname", "ONE_OF", "lee", "ray")),
        name="Lee or Ray",
    )
    uids = [anns["uid"], lees["uid"]]
    rows = [
        {"segment_uid": "MQ==", "name": "Anns", "customer_count": 2},
        {"segment_uid": "Mg==", "name": "Lee or Ray", "customer_count": 2},
    ]
    response = await gql(client, REPORT, {"uids": uids}, token=admin_token)
    assert response.data == {
        "adminSegmentReport": {"mode": "UNION", "segments": rows, "customer_count": 3}
    }
    response = await gql(client, REPORT, {"uids": uids, "mode": "INTERSECTION"}, token=admin_token)
    assert response.data == {
        "adminSegmentReport": {"mode": "INTERSECTION", "segments": rows, "customer_count": 1}
    }
    response = await gql(client, REPORT, {"uids": ["MQ==", "OTk="]}, token=admin_token)
    assert response.data == {"adminSegmentReport": None}
    assert response.messages == ['The segment with ID "99" does not exist.']
    assert response.categories == ["graphql-no-such-entity"]


async def test_condition_catalog_describes_every_type(client: Any, admin_token: str) -> None:
    response = await gql(client, CATALOG, token=admin_token)
    types = {t["type"]: t for t in response.data["adminSegmentConditionCatalog"]}  # type: ignore[index]
    assert len(types) == 25
    assert types["CUSTOMER_STORE_CREDIT"] == {
        "type": "CUSTOMER_STORE_CREDIT",
        "group": "Customer",
        "label": "Store Credit",
        "sentence": "Customer Store Credit Amount {operator} {value}",
        "operators": ["IS", "IS_NOT", "GREATER_OR_EQUAL", "GREATER", "LESS_OR_EQUAL", "LESS"],
        "value_kind": "NUMBER",
        "takes_aggregator": False,
        "available_for_visitors": False,
        "visitor_values": [],
        "child_types": [],
        "value_options": [],
        "attributes": [],
    }
    gender = next(a for a in types["CUSTOMER_ATTRIBUTE"]["attributes"] if a["code"] == "gender")
    assert gender == {
        "code": "gender",
        "label": "Gender",
        "input_type": "select",
        "operators": ["IS", "IS_NOT", "UNDEFINED", "ONE_OF", "NOT_ONE_OF"],
        "options": [
            {"value": "1", "label": "Male"},
            {"value": "2", "label": "Female"},
            {"value": "3", "label": "Not Specified"},
        ],
    }
    assert types["PRODUCT_LIST"]["visitor_values"] == ["shopping_cart"]
    assert types["CUSTOMER_ADDRESS"]["child_types"] == [
        "ADDRESS_DEFAULT",
        "ADDRESS_ATTRIBUTE",
        "ADDRESS_REGION",
        "CUSTOMER_ADDRESS",  # nested, as Magento's form offers
    ]


# --- CSV export ---------------------------------------------------------------------------------


async def export(client: Any, uid: str, token: str | None) -> tuple[int, str, dict[str, str]]:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    response = await client.get(f"/admin/segments/{uid}/members.csv", headers=headers)
    return response.status, await response.text(), dict(response.headers)


@pytest.mark.parametrize("batch", [1000, 2])
async def test_csv_export_streams_every_member(
    client: Any, admin_token: str, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    monkeypatch.setattr(service, "EXPORT_BATCH", batch)
    await three_customers()
    await make_customer("dee@example.com", firstname="Ann", lastname='O"Hara, Jr')
    segment = await create_segment(client, admin_token, FIRSTNAME_ANN)
    moment = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    await MagentoCustomersegmentCustomer.all().update(added_date=moment, updated_date=moment)

    status, body, headers = await export(client, segment["uid"], admin_token)

    assert status == 200
    assert headers["Content-Type"] == "text/csv; charset=utf-8"
    assert headers["Content-Disposition"] == 'attachment; filename="segment-1-members.csv"'
    assert body == (
        "customer_uid,customer_id,email,firstname,lastname,website_uid,added_date,updated_date\r\n"
        "MQ==,1,ann@example.com,Ann,Lee,MQ==,2026-01-02 03:04:05,2026-01-02 03:04:05\r\n"
        "Mw==,3,cy@example.com,Ann,Cy,MQ==,2026-01-02 03:04:05,2026-01-02 03:04:05\r\n"
        'NA==,4,dee@example.com,Ann,"O""Hara, Jr",MQ==,2026-01-02 03:04:05,2026-01-02 03:04:05\r\n'
    )


async def test_csv_export_needs_an_admin_token_and_a_known_segment(
    client: Any, admin_token: str
) -> None:
    # A segment the customer is not in (a sign-in re-evaluates and stores membership).
    segment = await create_segment(
        client, admin_token, combine(leaf("CUSTOMER_ATTRIBUTE", "firstname", "IS", "Nobody"))
    )
    customer_token = await token_for(await make_customer())
    for token in (None, "forged-token", customer_token):
        status, body, _ = await export(client, segment["uid"], token)
        assert status == 401
        assert "customer_uid" not in body
    assert (await export(client, "OTk=", admin_token))[:2] == (
        404,
        'The segment with ID "99" does not exist.\n',
    )
    assert (await export(client, "%%", admin_token))[:2] == (
        404,
        'Value of uid "%%" is incorrect.\n',
    )
    status, body, _ = await export(client, segment["uid"], admin_token)
    assert (status, body) == (
        200,
        "customer_uid,customer_id,email,firstname,lastname,website_uid,added_date,updated_date\r\n",
    )


async def test_segment_operations_need_an_admin_token(client: Any, admin_token: str) -> None:
    customer_token = await token_for(await make_customer())
    for token in (None, customer_token):
        response = await gql(client, CREATE, {"input": segment_input()}, token=token)
        assert response.status == 401
        assert response.categories == ["graphql-authorization"]
        assert response.data is None
    assert await table_counts() == (0, 0, 0, 0)


async def test_a_corrupt_stored_tree_stays_readable_but_never_matches(
    client: Any, admin_token: str
) -> None:
    await three_customers()
    segment = await create_segment(client, admin_token, FIRSTNAME_ANN)
    corrupt = '{"type":"Magento\\\\Gone","value":"1","aggregator":"all"}'
    await MagentoCustomersegmentSegment.filter(segment_id=segment["id"]).update(
        conditions_serialized=corrupt
    )
    response = await gql(client, SEGMENT, {"uid": segment["uid"]}, token=admin_token)
    assert response.data == {
        "adminSegment": {
            "uid": "MQ==",
            "name": "Test segment",
            "conditions": None,
            "conditions_serialized": corrupt,
        }
    }
    await gql(client, REFRESH, {"uid": segment["uid"]}, token=admin_token)
    refresh = await wait_refreshed(client, admin_token, segment["uid"])
    assert refresh["status"] == "FAILED"
    assert "corrupt" in refresh["error"]
    # The members of the last good refresh are kept, as Magento keeps them.
    assert await member_emails(client, admin_token, segment["uid"]) == [
        "ann@example.com",
        "cy@example.com",
    ]
    response = await gql(
        client,
        EXPLAIN,
        {"uid": segment["uid"], "customer": "MQ=="},
        token=admin_token,
    )
    assert response.data == {"adminExplainSegment": None}
    assert response.messages == [
        "Segment 1 has corrupt conditions: Unknown condition class 'Magento\\Gone'."
    ]
    assert response.categories == ["graphql-input"]


EXPLAIN = """
query ($uid: ID!, $customer: ID) {
  adminExplainSegment(uid: $uid, website_uid: "MQ==", customer_uid: $customer) { matched }
}
"""


async def test_events_include_those_of_referenced_segments(client: Any, admin_token: str) -> None:
    cart = await create_segment(
        client, admin_token, combine(leaf("CART_LINE_ITEMS", None, "GREATER", "1")), name="Cart"
    )
    response = await gql(
        client,
        CREATE,
        {
            "input": segment_input(
                combine(leaf("SEGMENT", None, "IS", str(cart["id"]))), apply_to="REGISTERED"
            )
        },
        token=admin_token,
    )
    segment = response.data["adminCreateSegment"]["segment"]  # type: ignore[index]
    assert cart["events"] == [
        "customer_login",
        "sales_quote_collect_totals_after",
        "sales_quote_save_commit_after",
        "visitor_init",
    ]
    assert segment["events"] == [
        "customer_login",
        "sales_quote_collect_totals_after",
        "sales_quote_save_commit_after",
    ]


README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


async def test_readme_segment_examples_run(client: Any, admin_token: str) -> None:
    section = README.split("## Customer segments", 1)[1].split("\n## ", 1)[0]
    documents = re.findall(r"```graphql\n(.*?)```", section, re.S)

    def document(*words: str) -> str:
        """The section's example naming all of `words`, with its placeholders filled: the big
        spenders segment is the first created here (MQ==), "Test segment" the second (Mg==),
        Ann the first customer (MQ==)."""
        (found,) = [d for d in documents if all(w in d for w in words)]
        for placeholder, value in (
            ("<big spenders uid>", "MQ=="),
            ("<segment uid>", "Mg=="),
            ("<customer uid>", "MQ=="),
        ):
            found = found.replace(placeholder, value)
        return found

    await three_customers()
    create = document("adminCreateSegment", "Recent big spenders")
    preview = document("adminPreviewSegment")
    explain = document("adminExplainSegment")
    reports = document("adminSegmentReport")
    pasted = document("adminCreateSegment", "conditions_serialized: ")

    response = await gql(client, create, token=admin_token)
    assert response.errors == []
    assert response.data["adminCreateSegment"]["user_errors"] == []  # type: ignore[index]
    await create_segment(client, admin_token, FIRSTNAME_ANN)
    await wait_refreshed(client, admin_token, "MQ==")
    for document in (preview, explain, reports):
        response = await gql(client, document, token=admin_token)
        assert response.errors == []
    assert response.data["adminSegmentReport"]["segments"] == [  # type: ignore[index]
        {"segment_uid": "Mg==", "name": "Test segment", "customer_count": 2},
        {"segment_uid": "MQ==", "name": "Recent big spenders", "customer_count": 0},
    ]
    assert response.data["adminSegmentMembers"]["total_count"] == 2  # type: ignore[index]
    # An Adobe Commerce tree with `false` fields, as its admin stores it, reads back unchanged.
    response = await gql(client, pasted, token=admin_token)
    output = response.data["adminCreateSegment"]  # type: ignore[index]
    assert output["user_errors"] == []
    assert '"attribute":false,"operator":false' in output["segment"]["conditions_serialized"]


async def test_changing_a_segment_requeues_the_segments_naming_it(
    client: Any, admin_token: str
) -> None:
    await three_customers()
    named = await create_segment(client, admin_token, FIRSTNAME_ANN, name="Named")
    naming = await create_segment(
        client, admin_token, combine(leaf("SEGMENT", None, "IS", str(named["id"]))), name="Naming"
    )
    assert await member_emails(client, admin_token, naming["uid"]) == [
        "ann@example.com",
        "cy@example.com",
    ]
    response = await gql(
        client,
        UPDATE,
        {
            "uid": named["uid"],
            "input": {"conditions": combine(leaf("CUSTOMER_ATTRIBUTE", "lastname", "IS", "ray"))},
        },
        token=admin_token,
    )
    assert response.data["adminUpdateSegment"]["user_errors"] == []  # type: ignore[index]
    row = await MagentoCustomersegmentSegment.get(segment_id=naming["id"])
    assert row.refresh_status in {"queued", "running", "done"}
    assert (await wait_refreshed(client, admin_token, naming["uid"]))["status"] == "DONE"
    assert await member_emails(client, admin_token, naming["uid"]) == ["bob@example.com"]
