"""The active segments of one website, parsed and ready to evaluate: what both the storefront's live
answer (`eligibility`) and event-driven re-evaluation (`membership`) start from.

Loading means a dozen queries (segments, their events, the catalogue, the reference graph, the
referenced trees) and parsing every tree, far too slow for the hot path, so the result is memoized
in the process, keyed by the version of `Topic.SEGMENTS` in the shared cache. Every write that can
change it (a segment saved or deleted, its websites, the catalogue and config conditions read)
calls `touch(Topic.SEGMENTS)`; the bump after commit makes every process load afresh.
The version is read *before* loading, so a memo is never older than the version it is filed under.
Without a cache (no tracking block: a unit test, a script) every call loads fresh.

A corrupt stored tree (or one referring to a corrupt segment) is logged and left out, never
evaluated as something else. Everything here is immutable: one snapshot is shared by concurrent
requests."""

from __future__ import annotations

import logging
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import MappingProxyType

from engine.cache import Cache
from engine.invalidation import Topic, current_cache
from engine.segments import stored
from engine.segments.catalog import load_catalog
from engine.segments.catalog_types import Catalog
from engine.segments.scope import Scope
from engine.segments.scope_loader import build_scope, has_references
from engine.segments.tree import Aggregator, Combine, Node
from engine.stores import StoresSnapshot, load_snapshot
from engine.stores import snapshot as stores_snapshot
from models import ApplyTo, MagentoCustomersegmentEvent, MagentoCustomersegmentSegment

log = logging.getLogger(__name__)

CUSTOMER_AUDIENCES = frozenset({ApplyTo.REGISTERED, ApplyTo.BOTH})
VISITOR_AUDIENCES = frozenset({ApplyTo.VISITORS, ApplyTo.BOTH})

_EMPTY_REFERENCES: Mapping[int, Node | None] = MappingProxyType({})


@dataclass(frozen=True)
class ActiveSegment:
    """One active segment of the website, with its parsed tree and the events it listens to
    (`magento_customersegment_event`, as stored at save)."""

    segment_id: int
    apply_to: ApplyTo
    tree: Combine
    events: frozenset[str]

    @property
    def for_customers(self) -> bool:
        return self.apply_to in CUSTOMER_AUDIENCES

    @property
    def for_visitors(self) -> bool:
        return self.apply_to in VISITOR_AUDIENCES

    def listens_to(self, events: Iterable[str]) -> bool:
        return not self.events.isdisjoint(events)


@dataclass(frozen=True)
class WebsiteSegments:
    """The website's active segments in id order (corrupt ones left out), the catalogue their
    trees were built with and the trees of every segment they refer to (for `Scope.referenced`)."""

    website_id: int
    segments: tuple[ActiveSegment, ...]
    catalog: Catalog
    referenced: Mapping[int, Node | None] = field(default_factory=lambda: _EMPTY_REFERENCES)
    version: int | None = None
    """The `Topic.SEGMENTS` version this was loaded at; None when loaded without a cache."""

    def for_customers(self) -> tuple[ActiveSegment, ...]:
        """Segments that apply to registered customers (REGISTERED or BOTH)."""
        return tuple(s for s in self.segments if s.for_customers)

    def for_visitors(self) -> tuple[ActiveSegment, ...]:
        """Segments that apply to guests (VISITORS or BOTH)."""
        return tuple(s for s in self.segments if s.for_visitors)

    def listening(
        self, events: str | Iterable[str], *, customers: bool | None = None
    ) -> tuple[ActiveSegment, ...]:
        """Segments listening to any of `events`; `customers` True/False narrows to the
        customers'/guests' audience."""
        wanted = frozenset({events} if isinstance(events, str) else events)
        return tuple(
            s
            for s in self.segments
            if s.listens_to(wanted)
            and (
                customers is None
                or (customers and s.for_customers)
                or (not customers and s.for_visitors)
            )
        )

    async def scope(
        self, *, now: datetime | None = None, stores: StoresSnapshot | None = None
    ) -> Scope:
        """The evaluation scope at `now` with this snapshot's catalogue and referenced trees (no
        segment queries). `stores` defaults to the cached stores snapshot (fresh with no cache)."""
        if stores is None:
            cache = current_cache()
            stores = await (stores_snapshot(cache) if cache is not None else load_snapshot())
        base = await build_scope(
            self.website_id, Combine(), now=now, catalog=self.catalog, stores=stores
        )
        return replace(base, referenced=self.referenced)


def combined(segments: Iterable[ActiveSegment]) -> Combine:
    """One tree holding every segment's tree, so `load_facts` fetches their facts at once. The
    same segments (the very objects of one snapshot) give the very same tree, so what
    `load_facts` learns from walking it is memoized with it."""
    chosen = tuple(segments)
    key = tuple(id(s) for s in chosen)
    found = _combined.get(key)
    if found is not None and all(a is b for a, b in zip(found[0], chosen, strict=True)):
        return found[1]
    tree = Combine(Aggregator.ANY, True, tuple(s.tree for s in chosen))
    if len(_combined) >= _COMBINED_LIMIT:
        _combined.clear()
    _combined[key] = (chosen, tree)  # holding `chosen` keeps the ids in the key unique
    return tree


_COMBINED_LIMIT = 64
_combined: dict[tuple[int, ...], tuple[tuple[ActiveSegment, ...], Combine]] = {}


# Per cache (so a test's fresh cache never sees another's memo): website id -> snapshot.
_memo: weakref.WeakKeyDictionary[Cache, dict[int, WebsiteSegments]] = weakref.WeakKeyDictionary()


async def segments_version(cache: Cache) -> int | None:
    """The current `Topic.SEGMENTS` version, or None when the cache cannot tell (down)."""
    try:
        (version,) = await cache.versions([(Topic.SEGMENTS.value, "")])
    except Exception:  # a cache outage must not fail the request: load from the database
        log.warning("cache unavailable: segment snapshot loaded without memo", exc_info=True)
        return None
    return version


async def website_segments(website_id: int) -> WebsiteSegments:
    """The active segments of `website_id`, memoized by the `Topic.SEGMENTS` version of the
    enclosing tracking block's cache."""
    cache = current_cache()
    if cache is None:
        return await load_website_segments(website_id)
    version = await segments_version(cache)
    if version is None:
        return await load_website_segments(website_id)
    # Versions are opaque: equal means unchanged, nothing more (a cache outage gives fresh
    # negative ones that match nothing, so every call loads).
    memo = _memo.setdefault(cache, {})
    found = memo.get(website_id)
    if found is not None and found.version == version:
        return found
    loaded = await load_website_segments(website_id, version=version)
    memo[website_id] = loaded
    return loaded


def forget() -> None:
    """Drop every memo (tests)."""
    _memo.clear()


async def load_website_segments(website_id: int, *, version: int | None = None) -> WebsiteSegments:
    """Read and parse the active segments of `website_id` from the database."""
    rows = await MagentoCustomersegmentSegment.filter(
        is_active=True, websites__website_id=website_id
    ).order_by("segment_id")
    catalog = await load_catalog()
    if not rows:
        return WebsiteSegments(website_id, (), catalog, version=version)
    ids = [row.segment_id for row in rows]
    listened: dict[int, set[str]] = {segment_id: set() for segment_id in ids}
    for segment_id, event in await MagentoCustomersegmentEvent.filter(
        segment_id__in=ids
    ).values_list("segment_id", "event"):
        listened[int(segment_id)].add(str(event))
    references = await stored.reference_graph()
    parsed: list[ActiveSegment] = []
    for row in rows:
        try:
            tree = await stored.load_tree(row, catalog, references=references)
        except stored.CorruptTree as error:
            log.error("segment %s has a corrupt stored tree: %s", row.segment_id, error)
            continue
        parsed.append(
            ActiveSegment(
                row.segment_id, ApplyTo(row.apply_to), tree, frozenset(listened[row.segment_id])
            )
        )
    referenced, usable = await _referenced(parsed, website_id, catalog)
    return WebsiteSegments(
        website_id, tuple(usable), catalog, MappingProxyType(referenced), version=version
    )


async def _referenced(
    segments: list[ActiveSegment], website_id: int, catalog: Catalog
) -> tuple[dict[int, Node | None], list[ActiveSegment]]:
    """The referenced trees of all `segments` together; when that fails, segment by segment,
    leaving out those whose references are corrupt."""
    referring = [s for s in segments if has_references(s.tree)]
    if not referring:
        return {}, segments
    try:
        return await stored.referenced_trees(combined(referring), website_id, catalog), segments
    except stored.CorruptTree:
        pass
    found: dict[int, Node | None] = {}
    broken: set[int] = set()
    for segment in referring:
        try:
            found.update(await stored.referenced_trees(segment.tree, website_id, catalog))
        except stored.CorruptTree as error:
            log.error("segment %s refers to a corrupt segment: %s", segment.segment_id, error)
            broken.add(segment.segment_id)
    return found, [s for s in segments if s.segment_id not in broken]
