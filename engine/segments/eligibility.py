"""Which segments a shopper is in right now, as Adobe Commerce 2.4.9's CustomerSegmentsProvider:
the website's active segments whose `apply_to` fits the caller (customers: REGISTERED or BOTH,
guests: VISITORS or BOTH), each evaluated live on the shopper's current data, so the answer never
waits for a refresh. A segment with no conditions always matches. A corrupt stored tree never
matches: it is logged and left out (`snapshot`), not evaluated as something else.

The answer is the storefront's hot path, so it is cached (inside a tracking block) under one key
per website and caller, stored with the versions it was computed at: the stores snapshot
(timezone, configuration), `SEGMENTS` (definitions, catalogue) and the caller's own data
(`CUSTOMER:id`, or `QUOTE:id` + `VISITOR:id`), plus the website's local date, because
relative-date conditions ("within the last 30 days") change at local midnight with no write at
all. The versions are fetched, and recorded for the full-response cache, *before* any data is
read, and the answer's validity ends at the next local midnight (`invalidation.expires`)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from engine.cache import Family, family_scope
from engine.invalidation import Scope, Topic, current_cache, expires, record
from engine.segments.compare import day_start, local_date
from engine.segments.evaluate import evaluate_each
from engine.segments.facts import load_facts
from engine.segments.snapshot import combined, website_segments
from engine.stores import snapshot as stores_snapshot


def caller_scopes(
    customer_id: int | None, quote_id: int | None, visitor_id: int | None
) -> list[Scope]:
    """The versioned scopes of the caller's own data."""
    if customer_id is not None:
        return [(Topic.CUSTOMER.value, str(customer_id))]
    scopes: list[Scope] = []
    if quote_id is not None:
        scopes.append((Topic.QUOTE.value, str(quote_id)))
    if visitor_id is not None:
        scopes.append((Topic.VISITOR.value, str(visitor_id)))
    return scopes


async def current_segment_ids(
    website_id: int,
    *,
    customer_id: int | None,
    quote_id: int | None = None,
    visitor_id: int | None = None,
    now: datetime | None = None,
) -> list[int]:
    """Ids of the segments the customer (or, with `customer_id` None, the guest holding
    `quote_id` / `visitor_id`) is in on `website_id` at `now` (default: the current instant), in
    id order. The facts of every candidate segment are fetched together, once."""
    moment = now if now is not None else datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    cache = current_cache()
    if cache is None:
        return await _evaluate(website_id, customer_id, quote_id, visitor_id, moment)
    scopes = [
        family_scope(Family.STORES),
        (Topic.SEGMENTS.value, ""),
        *caller_scopes(customer_id, quote_id, visitor_id),
    ]
    caller = f"c{customer_id}" if customer_id is not None else f"q{quote_id}v{visitor_id}"
    name = f"eligibility:{website_id}:{caller}"
    found, versions = await cache.get_checked(name, scopes)
    record(scopes, versions)
    stores = await stores_snapshot(cache)
    today = local_date(moment, stores.website(website_id).timezone)
    expires(day_start(today + timedelta(days=1), stores.website(website_id).timezone))
    if _valid(found, versions, today):
        return list(found[2])
    ids = await _evaluate(website_id, customer_id, quote_id, visitor_id, moment)
    await cache.put(name, (versions, today, tuple(ids)))
    return ids


def _valid(found: object, versions: tuple[int, ...], today: date) -> bool:
    return (
        isinstance(found, tuple)
        and len(found) == 3
        and found[0] == versions
        and found[1] == today
        and min(versions, default=0) > 0
    )


async def _evaluate(
    website_id: int,
    customer_id: int | None,
    quote_id: int | None,
    visitor_id: int | None,
    now: datetime,
) -> list[int]:
    snapshot = await website_segments(website_id)
    segments = snapshot.for_customers() if customer_id is not None else snapshot.for_visitors()
    if not segments:
        return []
    everything = combined(segments)
    scope = await snapshot.scope(now=now)
    facts = await load_facts(
        everything, scope, customer_id=customer_id, quote_id=quote_id, visitor_id=visitor_id
    )
    results = evaluate_each((s.tree for s in segments), facts, scope)
    return [s.segment_id for s, inside in zip(segments, results, strict=True) if inside]
