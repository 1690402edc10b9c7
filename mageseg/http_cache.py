"""What a cache in front of mageseg needs, as Magento 2.4.7+'s `GraphQlCache` module gives it.

- Every GraphQL answer carries `X-Magento-Cache-Id` (`engine/cache_id.py`), the id of the caller
  as the cache must tell callers apart: store, currency, customer group, signed in or not, and
  customer segments. PWA Studio sends it back on its next requests; Magento's Varnish
  configuration keys cached answers by it.
- A GET query selecting only root fields Magento caches (`CDN_CACHEABLE_FIELDS`) that succeeded,
  sent without `Authorization`, is answered with Magento's public headers (`Cache-Control:
  public, max-age=TTL, s-maxage=TTL`, `Pragma: cache`, `Expires`), TTL being
  `system/full_page_cache/ttl`. Everything else (POST, mutations, errors, a customer's token,
  `cart`, `customer`, ...) gets Magento's no-cache headers.
- When the id the caller sent disagrees with the one computed for it, the answer is not
  cacheable (Magento's Varnish configuration does not keep it under the caller's key); the answer
  carries the right id, which the client keeps from then on. A caller sending none is held to the
  id of a signed-out shopper in no segment, so a guest whose segments change what they see is
  never cached under the anonymous key.
- `Vary: Authorization, Store, X-Magento-Cache-Id` tells a generic CDN (which keys by URL) what
  else it must key by.

Magento also sends `X-Magento-Tags` for Varnish purges; mageseg purges no external cache, so it
sends none and answers are kept for the TTL (README "Caching in front of mageseg")."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime, timedelta
from email.utils import format_datetime

from engine import cache_id, views
from engine.auth import ViewerKind
from engine.config import ConfigPath
from engine.errors import DomainError
from engine.segments.eligibility import current_segment_ids
from graph.context import Context
from models.groups import NOT_LOGGED_IN_GROUP_ID

# Root fields Magento's GraphQlCache caches (its `@cache` list) that mageseg serves, less those
# whose answer depends on more than the cache id: `dynamicBlocks` may name a cart.
CDN_CACHEABLE_FIELDS = frozenset(
    {
        "availableStores",
        "categories",
        "categoryList",
        "cmsBlocks",
        "cmsPage",
        "countries",
        "country",
        "currency",
        "products",
        "route",
        "storeConfig",
        "__typename",
    }
)
VISITOR_HEADER = "X-Magento-Visitor"
VARY = "Authorization, Store, X-Magento-Cache-Id"


async def caller_cache_id(context: Context, salt: cache_id.Salt) -> str | None:
    """The caller's id; None when the request names no usable caller or store (a refused token,
    an unknown store code), as Magento sends no header when it cannot compute one."""
    try:
        viewer = await context.viewer()
        store = await context.store()
    except DomainError:
        return None
    stores = await context.stores()
    website_id = store.website.website_id
    if viewer.kind is ViewerKind.CUSTOMER and viewer.customer_id is not None:
        customer = await context.loaders.customer.load(viewer.customer_id)
        group_id = (
            NOT_LOGGED_IN_GROUP_ID if customer is None else customer.group_id  # type: ignore[attr-defined]
        )
        segments = await current_segment_ids(
            website_id, customer_id=viewer.customer_id, now=context.services.clock.now()
        )
        logged_in = True
    else:
        group_id, logged_in = NOT_LOGGED_IN_GROUP_ID, False
        visitor = await views.find_visitor(context.request_headers.get(VISITOR_HEADER))
        segments = (
            []
            if visitor is None
            else await current_segment_ids(
                website_id,
                customer_id=None,
                visitor_id=visitor.visitor_id,
                now=context.services.clock.now(),
            )
        )
    factors = cache_id.Factors(
        store_code=store.code,
        currency=stores.config_value(ConfigPath.DEFAULT_DISPLAY_CURRENCY, store),
        group_id=group_id,
        logged_in=logged_in,
        segment_ids=segments,
    )
    return cache_id.cache_id(factors, await salt.get())


async def anonymous_cache_id(context: Context, salt: cache_id.Salt) -> str | None:
    """The id of a signed-out shopper in no segment, in the request's store."""
    try:
        store = await context.store()
    except DomainError:
        return None
    stores = await context.stores()
    factors = cache_id.Factors(
        store_code=store.code,
        currency=stores.config_value(ConfigPath.DEFAULT_DISPLAY_CURRENCY, store),
        group_id=NOT_LOGGED_IN_GROUP_ID,
        logged_in=False,
        segment_ids=(),
    )
    return cache_id.cache_id(factors, await salt.get())


def public_headers(ttl: int, now: datetime) -> dict[str, str]:
    """Magento's `Response\\Http::setPublicHeaders`."""
    return {
        "Pragma": "cache",
        "Cache-Control": f"public, max-age={ttl}, s-maxage={ttl}",
        "Expires": format_datetime(now + timedelta(seconds=ttl), usegmt=True),
        "Vary": VARY,
    }


def no_cache_headers(now: datetime) -> Mapping[str, str]:
    """Magento's `Response\\Http::setNoCacheHeaders` (`Expires` a year back). Every answer
    carries them, so they are formatted once per second (`Expires` has no finer unit); the
    mapping returned is shared: copy it, never change it."""
    global _no_cache
    second = math.floor(now.timestamp())
    if _no_cache[0] != second:
        _no_cache = (
            second,
            {
                "Pragma": "no-cache",
                "Cache-Control": "no-store, no-cache, must-revalidate, max-age=0",
                "Expires": format_datetime(now - timedelta(days=365), usegmt=True),
                "Vary": VARY,
            },
        )
    return _no_cache[1]


_no_cache: tuple[int | None, dict[str, str]] = (None, {})


def requested_id(headers: Mapping[str, str]) -> str | None:
    return (headers.get(cache_id.HEADER) or "").strip() or None


def publicly_cacheable(
    *,
    query_fields: frozenset[str] | None,
    succeeded: bool,
    authorized: bool,
    sent_id: str | None,
    computed_id: str | None,
    anonymous_id: str | None,
) -> bool:
    """Whether a GET answer may be kept by a shared cache (see the module)."""
    return (
        succeeded
        and not authorized
        and query_fields is not None
        and bool(query_fields)
        and query_fields <= CDN_CACHEABLE_FIELDS
        and computed_id is not None
        and (sent_id or anonymous_id) == computed_id
    )
