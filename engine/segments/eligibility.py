"""Which segments a shopper is in right now, as Adobe Commerce 2.4.9's CustomerSegmentsProvider:
the website's active segments whose `apply_to` fits the caller (customers: REGISTERED or BOTH,
guests: VISITORS or BOTH), each evaluated live on the shopper's current data, so the answer never
waits for a refresh. A segment with no conditions always matches. A corrupt stored tree never
matches: it is logged and skipped, not evaluated as something else."""

from __future__ import annotations

import logging
from datetime import datetime

from engine.segments import stored
from engine.segments.catalog import load_catalog
from engine.segments.evaluate import evaluate
from engine.segments.facts import load_facts
from engine.segments.scope_loader import build_scope
from engine.segments.tree import Aggregator, Combine
from models import ApplyTo, MagentoCustomersegmentSegment

log = logging.getLogger(__name__)

CUSTOMER_AUDIENCES = (ApplyTo.REGISTERED, ApplyTo.BOTH)
VISITOR_AUDIENCES = (ApplyTo.VISITORS, ApplyTo.BOTH)


async def current_segment_ids(
    website_id: int,
    *,
    customer_id: int | None,
    quote_id: int | None = None,
    visitor_id: int | None = None,
    now: datetime | None = None,
) -> list[int]:
    """Ids of the segments the customer (or, with `customer_id` None, the guest holding
    `quote_id` / `visitor_id`) is in on `website_id`, in id order. The facts of every candidate
    segment are fetched together, once."""
    audiences = CUSTOMER_AUDIENCES if customer_id is not None else VISITOR_AUDIENCES
    segments = await MagentoCustomersegmentSegment.filter(
        is_active=True, apply_to__in=list(audiences), websites__website_id=website_id
    ).order_by("segment_id")
    if not segments:
        return []
    catalog = await load_catalog()
    references = await stored.reference_graph()
    trees: dict[int, Combine] = {}
    for segment in segments:
        try:
            trees[segment.segment_id] = await stored.load_tree(
                segment, catalog, references=references
            )
        except stored.CorruptTree as error:
            log.error("segment %s has a corrupt stored tree: %s", segment.segment_id, error)
    everything = Combine(Aggregator.ANY, True, tuple(trees.values()))
    scope = await build_scope(website_id, everything, now=now, catalog=catalog)
    facts = await load_facts(
        everything, scope, customer_id=customer_id, quote_id=quote_id, visitor_id=visitor_id
    )
    return [segment_id for segment_id, tree in trees.items() if evaluate(tree, facts, scope)]
