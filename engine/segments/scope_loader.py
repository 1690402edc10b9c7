"""Builds the `Scope` both evaluators read: the website's store views and timezone, the
catalogue, the trees of referenced segments and the account sharing scope."""

from __future__ import annotations

from datetime import UTC, datetime

from engine.config import ACCOUNT_SHARE_WEBSITE, ConfigPath
from engine.segments.catalog import load_catalog
from engine.segments.catalog_types import Catalog
from engine.segments.scope import Scope
from engine.segments.tree import AnyNode, Combine, Node, SegmentMembership
from engine.stores import StoresSnapshot, load_snapshot


def has_references(node: AnyNode) -> bool:
    """Whether the tree holds a SegmentMembership node anywhere."""
    if isinstance(node, SegmentMembership):
        return True
    children: tuple[AnyNode, ...] = getattr(node, "conditions", ())
    return any(has_references(child) for child in children)


async def build_scope(
    website_id: int,
    tree: Combine,
    *,
    now: datetime | None = None,
    catalog: Catalog | None = None,
    stores: StoresSnapshot | None = None,
) -> Scope:
    """The scope of `website_id` at `now` (default: the current instant). `stores` defaults to a
    fresh read of the store tables (no cache: refresh runs outside requests). Raises
    `NoSuchEntity` for an unknown website."""
    stores = stores if stores is not None else await load_snapshot()
    website = stores.website(website_id)
    views = [s for s in stores.stores if s.website.website_id == website_id]
    # Magento reads this flag at default scope; a website-scope row is honoured through a store.
    share = stores.config_value(ConfigPath.ACCOUNT_SHARE_SCOPE, views[0] if views else None)
    catalog = catalog if catalog is not None else await load_catalog()
    referenced: dict[int, Node | None] = {}
    if has_references(tree):
        from engine.segments.stored import referenced_trees

        referenced = await referenced_trees(tree, website_id, catalog)
    moment = now if now is not None else datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return Scope(
        website_id=website_id,
        store_ids=tuple(sorted(s.store_id for s in views)),
        timezone=website.timezone,
        now=moment.astimezone(UTC),
        catalog=catalog,
        referenced=referenced,
        customers_of_website_only=share == ACCOUNT_SHARE_WEBSITE,
    )
