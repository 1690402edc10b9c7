"""Reading stored segment trees: fail closed on corrupt JSON, the reference graph, and the trees of
referenced segments for one website."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from engine.errors import Problem, ProblemCode
from engine.segments.catalog import load_catalog
from engine.segments.drafts import ConditionDraft as D
from engine.segments.drafts import ConditionType as T
from engine.segments.magento_json import dumps
from engine.segments.stored import CorruptTree, load_tree, reference_graph, referenced_trees
from engine.segments.tree import (
    Combine,
    CustomerAttribute,
    Newsletter,
    Operator,
    SegmentMembership,
    StoreCredit,
)
from models import StoreWebsite
from models.segments import ApplyTo, MagentoCustomersegmentSegment, MagentoCustomersegmentWebsite


def root(*children: D) -> str:
    return dumps(D(T.COMBINE, value="1", aggregator="all", conditions=children))


async def segment(
    name: str,
    conditions: str | None,
    *,
    active: bool = True,
    websites: tuple[int, ...] = (1,),
    apply_to: ApplyTo = ApplyTo.BOTH,
) -> MagentoCustomersegmentSegment:
    created = await MagentoCustomersegmentSegment.create(
        name=name, conditions_serialized=conditions, is_active=active, apply_to=apply_to
    )
    for website_id in websites:
        await MagentoCustomersegmentWebsite.create(segment=created, website_id=website_id)
    return created


async def test_load_tree(db: Any) -> None:
    catalog = await load_catalog()
    empty = await segment("Everyone", None)
    assert await load_tree(empty, catalog) == Combine()
    blank = await segment("Blank", "  ")
    assert await load_tree(blank, catalog) == Combine()
    stored = await segment(
        "Subscribers",
        root(
            D(T.CUSTOMER_NEWSLETTER, operator="==", value="1"),
            D(T.CUSTOMER_ATTRIBUTE, "group_id", "==", "1,2"),
            D(T.SEGMENT, operator="!=", value=str(empty.segment_id)),
        ),
    )
    assert await load_tree(stored, catalog) == Combine(
        conditions=(
            Newsletter(True),
            CustomerAttribute("group_id", Operator.ONE_OF, ("1", "2")),
            SegmentMembership(Operator.IS_NOT, empty.segment_id),
        )
    )


async def test_corrupt_trees_raise(db: Any) -> None:
    catalog = await load_catalog()
    bad_json = await segment("Bad JSON", "{not json")
    with pytest.raises(CorruptTree) as caught:
        await load_tree(bad_json, catalog)
    assert [p.path for p in caught.value.problems] == ["conditions_serialized"]
    stale = await segment(
        "Stale",
        root(
            D(T.CUSTOMER_ATTRIBUTE, "loyalty_tier", "==", "3"),
            D(T.SEGMENT, operator="==", value="999"),
        ),
    )
    with pytest.raises(CorruptTree) as caught:
        await load_tree(stale, catalog)
    sid = stale.segment_id
    assert list(caught.value.problems) == [
        Problem(
            ProblemCode.INVALID,
            f"Segment {sid} has corrupt conditions: Unknown customer attribute 'loyalty_tier'.",
            "conditions_serialized.conditions.0.attribute",
        ),
        Problem(
            ProblemCode.INVALID,
            f"Segment {sid} has corrupt conditions: Segment 999 does not exist.",
            "conditions_serialized.conditions.1.value",
        ),
    ]
    visitors = await segment(
        "Visitors with a customer condition",
        root(D(T.CUSTOMER_NEWSLETTER, operator="==", value="1")),
        apply_to=ApplyTo.VISITORS,
    )
    with pytest.raises(CorruptTree):
        await load_tree(visitors, catalog)


async def test_reference_graph_and_referenced_trees(db: Any) -> None:
    catalog = await load_catalog()
    other = await StoreWebsite.create(code="second", name="Second", default_group_id=0)
    leaf = await segment("Leaf", root(D(T.CUSTOMER_STORE_CREDIT, operator=">", value="5")))
    inactive = await segment("Inactive", root(), active=False)
    elsewhere = await segment("Elsewhere", root(), websites=(other.website_id,))
    middle = await segment(
        "Middle",
        root(
            D(T.SEGMENT, operator="==", value=str(leaf.segment_id)),
            D(T.SEGMENT, operator="==", value=str(inactive.segment_id)),
        ),
    )
    top = await segment(
        "Top",
        root(
            D(T.SEGMENT, operator="==", value=str(middle.segment_id)),
            D(T.SEGMENT, operator="!=", value=str(elsewhere.segment_id)),
        ),
    )
    broken = await segment("Broken", "{")

    assert await reference_graph() == {
        leaf.segment_id: frozenset(),
        inactive.segment_id: frozenset(),
        elsewhere.segment_id: frozenset(),
        middle.segment_id: frozenset({leaf.segment_id, inactive.segment_id}),
        top.segment_id: frozenset({middle.segment_id, elsewhere.segment_id}),
        broken.segment_id: frozenset(),
    }

    tree = await load_tree(top, catalog)
    trees = await referenced_trees(tree, 1, catalog)
    assert trees == {
        middle.segment_id: Combine(
            conditions=(
                SegmentMembership(Operator.IS, leaf.segment_id),
                SegmentMembership(Operator.IS, inactive.segment_id),
            )
        ),
        elsewhere.segment_id: None,
        leaf.segment_id: Combine(conditions=(StoreCredit(Operator.GREATER, Decimal("5")),)),
        inactive.segment_id: None,
    }
    assert await referenced_trees(Combine(), 1, catalog) == {}

    # A referenced segment deleted behind our back fails closed.
    await MagentoCustomersegmentSegment.filter(segment_id=leaf.segment_id).delete()
    with pytest.raises(CorruptTree):
        await referenced_trees(tree, 1, catalog)
