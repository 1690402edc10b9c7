"""Product views and storefront visitors: Magento's `report_viewed_product_index` and
`customer_visitor`.

- A customer's view is stored by `customer_id`, a guest's by `visitor_id`; there is one row per
  viewer and product, its `added_at` moved to the latest view (Magento's index, which segment
  "viewed" conditions read).
- A guest is a `customer_visitor` row known by its `session_id`. The API layer carries the session
  id in a request header; `start_visit` finds the visitor, or creates one when the id is missing
  or unknown (session ids are always made here, never taken from a client). The guest cart stores
  the same visitor, so a guest's views and cart can be matched later.
- When a signed-in customer sends their visitor's session id, the visitor is linked to them
  (`customer_visitor.customer_id`, as Magento's `Visitor::bindCustomerLogin`). Unlike Magento's
  login observer, the visitor's earlier guest views are not rewritten to the customer: they stay
  by visitor, and the link says whose they were. A visitor already linked to another customer is
  left as it is.
- Only products a shopper can open are tracked: enabled, visible in the catalog or in search, and
  sold on the store's website (Magento's product page answers 404 otherwise, so no view event
  fires). Tracking another product writes nothing and reports `False`. An unknown sku is the
  product repository's no-such-entity error."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from engine.errors import NoSuchEntity, Problem, ProblemCode
from engine.pagination import Page, PageRequest, paginate
from engine.segments import events, membership
from models import (
    CatalogProductEntity,
    CatalogProductWebsite,
    CustomerEntity,
    CustomerVisitor,
    ReportViewedProductIndex,
)
from models.catalog import ProductStatus, Visibility

PRODUCT_NOT_FOUND = (
    "The product that was requested doesn't exist. Verify the product and try again."
)
VISIBLE_IN_SITE = (Visibility.IN_CATALOG, Visibility.IN_SEARCH, Visibility.BOTH)
SESSION_ID_MAX_LENGTH = 64


def now() -> datetime:
    return datetime.now(UTC)


def new_session_id() -> str:
    """32 hexadecimal characters, like a PHP session id."""
    return secrets.token_hex(16)


@dataclass(frozen=True)
class Visit:
    """The visitor a request belongs to; `created` when this request made it (its session id must
    then be handed back to the client)."""

    visitor: CustomerVisitor
    created: bool


@dataclass(frozen=True)
class Tracked:
    """The result of `track`: whether a view was recorded, and the guest's visit if any."""

    recorded: bool
    visit: Visit | None


def _usable(session_id: str | None) -> str | None:
    if session_id is None:
        return None
    session_id = session_id.strip()
    if not session_id or len(session_id) > SESSION_ID_MAX_LENGTH:
        return None
    return session_id


async def find_visitor(session_id: str | None) -> CustomerVisitor | None:
    """The visitor with this session id, if any."""
    usable = _usable(session_id)
    if usable is None:
        return None
    return await CustomerVisitor.get_or_none(session_id=usable)


async def start_visit(session_id: str | None) -> Visit:
    """The visitor of `session_id`, its `last_visit_at` refreshed, or a new visitor with a fresh
    session id when the id is missing or unknown. Call it inside the caller's transaction."""
    visitor = await find_visitor(session_id)
    if visitor is not None:
        await visitor.save(update_fields=["last_visit_at"])
        return Visit(visitor, created=False)
    visitor = await CustomerVisitor.create(session_id=new_session_id())
    return Visit(visitor, created=True)


async def _viewable(sku: str, website_id: int) -> CatalogProductEntity | None:
    product = await CatalogProductEntity.get_or_none(sku=sku)
    if product is None:
        raise NoSuchEntity(Problem(ProblemCode.NOT_FOUND, PRODUCT_NOT_FOUND, "sku"))
    if product.status != ProductStatus.ENABLED or product.visibility not in VISIBLE_IN_SITE:
        return None
    if not await CatalogProductWebsite.exists(product_id=product.entity_id, website_id=website_id):
        return None
    return product


async def _record(
    product_id: int, store_id: int, at: datetime, customer_id: int | None, visitor_id: int | None
) -> None:
    """Move the viewer's row for the product to `at`, or make it: by customer when signed in,
    else by visitor."""
    if customer_id is not None:
        rows = ReportViewedProductIndex.filter(
            product_id=product_id, customer_id=customer_id, visitor_id__isnull=True
        )
    else:
        rows = ReportViewedProductIndex.filter(
            product_id=product_id, visitor_id=visitor_id, customer_id__isnull=True
        )
    if not await rows.update(added_at=at, store_id=store_id):
        await ReportViewedProductIndex.create(
            product_id=product_id,
            store_id=store_id,
            added_at=at,
            customer_id=customer_id,
            visitor_id=None if customer_id is not None else visitor_id,
        )


async def _link(session_id: str | None, customer_id: int) -> None:
    visitor = await find_visitor(session_id)
    if visitor is None:
        return
    if visitor.customer_id is None:  # type: ignore[attr-defined]
        visitor.customer_id = customer_id
        await visitor.save(update_fields=["customer_id", "last_visit_at"])
    elif visitor.customer_id == customer_id:  # type: ignore[attr-defined]
        await visitor.save(update_fields=["last_visit_at"])


async def track(
    sku: str,
    *,
    store_id: int,
    website_id: int,
    customer_id: int | None,
    session_id: str | None,
) -> Tracked:
    """Record that the customer (or, without one, the guest of `session_id`) viewed `sku` now.
    One transaction; two first views racing on the unique keys are retried once."""
    for attempt in (1, 2):
        try:
            return await _track_once(sku, store_id, website_id, customer_id, session_id)
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


async def _track_once(
    sku: str, store_id: int, website_id: int, customer_id: int | None, session_id: str | None
) -> Tracked:
    at = now()
    async with in_transaction():
        product = await _viewable(sku, website_id)
        if product is None:
            return Tracked(recorded=False, visit=None)
        if customer_id is not None:
            await _link(session_id, customer_id)
            await _record(product.entity_id, store_id, at, customer_id, None)
            await membership.customer_event(customer_id, events.PRODUCT_VIEW)
            return Tracked(recorded=True, visit=None)
        visit = await start_visit(session_id)
        await _record(product.entity_id, store_id, at, None, visit.visitor.visitor_id)
        membership.guest_event(visitor_id=visit.visitor.visitor_id)
        return Tracked(recorded=True, visit=visit)


async def customer_views(
    customer_id: int, request: PageRequest, path: str = "customer_uid"
) -> Page[ReportViewedProductIndex]:
    """An admin's read: the customer's views and those of the visitors linked to them, latest
    first."""
    if not await CustomerEntity.exists(entity_id=customer_id):
        raise NoSuchEntity(
            Problem(ProblemCode.NOT_FOUND, f"No such entity with customerId = {customer_id}", path)
        )
    query = ReportViewedProductIndex.filter(
        Q(customer_id=customer_id) | Q(visitor__customer_id=customer_id)
    ).order_by("-added_at", "-index_id")
    return await paginate(query, request)
