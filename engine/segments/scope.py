"""Everything both evaluators need besides the tree and the data: which website, which of its
stores, which day it is there, the catalogue, and the trees of segments referenced by
`SegmentMembership` nodes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from engine.segments.catalog_types import Catalog
from engine.segments.tree import Node


@dataclass(frozen=True)
class Scope:
    website_id: int
    store_ids: tuple[int, ...]
    """The website's store views: carts, views and orders count only when placed in them."""
    timezone: str
    """IANA name of the website's timezone: "today" and whole days are read there."""
    now: datetime
    """Timezone-aware UTC instant of evaluation; tests pass a fixed one."""
    catalog: Catalog
    referenced: Mapping[int, Node | None]
    """Trees of segments referenced (transitively) by SegmentMembership nodes; `None` when the
    referenced segment is inactive or not assigned to this website, so "is in" is false."""
    customers_of_website_only: bool = True
    """Customer account sharing scope is per website (Magento's default): only customers whose
    `website_id` is this website are candidates. False for global account sharing."""
