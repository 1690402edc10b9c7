"""`load(size)`: the demo shop, or a benchmark-sized population, in batches with a progress bar
per table.

`size` customers, each with their carts, wish list, product views and order history (five orders
on average), and guest visitors with theirs; the demo catalog and tax rule are created on the
first load. Every demo customer has the password `DEMO_PASSWORD`, hashed once per load. Loading
into a database that already has customers appends: keys, e-mail numbers and order increment ids
continue after the largest in use. Run one load at a time (it assigns keys itself, from the
current maximum). On PostgreSQL the load ends with ANALYZE of the tables it wrote."""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from tqdm import tqdm

from engine.media.storage import MediaStorage
from engine.passwords import PasswordHasher
from mageseg.settings import Settings
from models import CustomerEntity, Store, StoreGroup, StoreWebsite
from seeds import tables
from seeds.documents import ensure_order_documents
from seeds.generate import Generator
from seeds.invitations import ensure_invitations
from seeds.rewards import ensure_rewards
from seeds.shop import CatalogReport, ensure_shop
from seeds.storefront import ensure_storefront
from seeds.structure import ensure_structure
from seeds.writers import analyze, next_ids, writer

DEMO_SIZE = 200
DEMO_PASSWORD = "Demo-Pass-123"
# Customers per batch: one transaction, and the only rows held in memory at a time (about 45
# rows per customer with their activity, so some 90,000 rows).
BATCH_SIZE = 2_000


async def is_empty() -> bool:
    """True when the database has no customers (a fresh install)."""
    return not await CustomerEntity.exists()


async def customer_count() -> int:
    return await CustomerEntity.all().count()


async def demo_credentials() -> str | None:
    """The line naming a demo customer per website (the first one, when it still has the demo
    password), for the start-up banner; None when the database holds no demo customer."""
    hasher = _hasher()
    who = []
    for website in await StoreWebsite.filter(website_id__gt=0).order_by("sort_order", "website_id"):
        first = (
            await CustomerEntity.filter(website_id=website.website_id).order_by("entity_id").first()
        )
        if first is None or not hasher.verify(first.password_hash, DEMO_PASSWORD):
            continue
        group = await StoreGroup.get_or_none(group_id=website.default_group_id)
        store = await Store.get_or_none(store_id=group.default_store_id) if group else None
        code = store.code if store else website.code
        who.append(
            f"{first.email} (store {code!r}, the default)"
            if website.is_default
            else f"{first.email} (send the header 'Store: {code}')"
        )
    if not who:
        return None
    return f"Demo customers: {' or '.join(who)}; every demo password is {DEMO_PASSWORD!r}."


def _media() -> MediaStorage:
    settings = Settings.from_env()
    return MediaStorage(Path(settings.media_path), settings.media_url)


def _hasher() -> PasswordHasher:
    settings = Settings.from_env()
    return PasswordHasher(settings.password_time_cost, settings.password_memory_kib)


async def load(
    size: int,
    *,
    seed: int = 42,
    progress: bool = True,
    hasher: PasswordHasher | None = None,
    batch_size: int = BATCH_SIZE,
    media: MediaStorage | None = None,
    documents: bool = False,
) -> str:
    """Insert `size` customers with their rows; returns a one-paragraph summary. With
    `documents` (the demo shop), the load that creates the shop also writes two orders with
    invoices, a shipment and a credit memo (`seeds.documents`)."""
    if size < 0:
        raise ValueError(f"size must be positive or zero, not {size}")
    started = time.perf_counter()
    catalog = await ensure_structure()
    now = datetime.now(UTC)
    shop, report = await ensure_shop(seed, catalog, today=now.date(), loaded_at=now)
    if report.created:
        await ensure_storefront(media or _media())
    generator = Generator(
        seed,
        catalog,
        today=now.date(),
        loaded_at=now,
        password_hash=(hasher or _hasher()).hash(DEMO_PASSWORD),
        shop=shop,
    )
    ids = await next_ids()
    write = writer().write
    counts: Counter[str] = Counter()
    per_website: Counter[int] = Counter()
    bars = _bars(size, progress)
    try:
        for start in range(0, size, batch_size):
            count = min(batch_size, size - start)
            batch = generator.batch(count, ids)
            await write(batch)
            batch_counts = batch.counts()
            counts.update(batch_counts)
            counts["guest carts"] += sum(1 for row in batch.rows[tables.QUOTES] if row[2] is None)
            per_website.update(row[1] for row in batch.rows[tables.CUSTOMERS])
            for name, bar in bars.items():
                bar.update(batch_counts[name])
    finally:
        for bar in bars.values():
            bar.close()
    await ensure_rewards()
    if documents and report.created:
        await ensure_order_documents()
    await ensure_invitations(now)
    await analyze()
    elapsed = time.perf_counter() - started
    return _summary(generator, report, counts, per_website, elapsed)


def _bars(size: int, progress: bool) -> dict[str, tqdm]:
    """One bar per table; only the customers' total is known beforehand."""
    width = max(len(table.name) for table in tables.TABLES)
    return {
        table.name: tqdm(
            total=size if table is tables.CUSTOMERS else None,
            unit=" rows",
            unit_scale=True,
            desc=table.name.ljust(width),
            position=position,
            disable=not progress,
        )
        for position, table in enumerate(tables.TABLES)
    }


def _summary(
    generator: Generator,
    report: CatalogReport,
    counts: Counter[str],
    per_website: Counter[int],
    elapsed: float,
) -> str:
    catalog = generator.catalog
    total = sum(counts[table.name] for table in tables.TABLES)
    values = sum(
        counts[t.name]
        for t in (tables.CUSTOMER_INTS, tables.CUSTOMER_DATETIMES, tables.ADDRESS_VARCHARS)
    )
    text = (
        f"Seeded {counts[tables.CUSTOMERS.name]:,} customers "
        f"({per_website[catalog.base.website_id]:,} on website {catalog.base.code!r}, "
        f"{per_website[catalog.wholesale.website_id]:,} on {catalog.wholesale.code!r}) "
        f"with {counts[tables.ADDRESSES.name]:,} addresses, "
        f"{counts[tables.SUBSCRIBERS.name]:,} newsletter subscriptions, "
        f"{counts[tables.BALANCES.name]:,} store-credit balances, "
        f"{values:,} custom attribute values, "
        f"{counts[tables.ORDERS.name]:,} orders ({counts[tables.ORDER_ITEMS.name]:,} items), "
        f"{counts[tables.QUOTES.name]:,} active carts ({counts['guest carts']:,} of guest "
        f"visitors, {counts[tables.QUOTE_ITEMS.name]:,} items), "
        f"{counts[tables.WISHLISTS.name]:,} wish lists "
        f"({counts[tables.WISHLIST_ITEMS.name]:,} items) and "
        f"{counts[tables.VIEWS.name]:,} product views "
        f"({counts[tables.VISITORS.name]:,} guest visitors): "
        f"{total:,} rows in {elapsed:.1f} s ({total / max(elapsed, 1e-9):,.0f} rows/s). "
        f"Catalog: {report.products:,} products in {report.categories:,} categories, "
        + ("created now." if report.created else "already there.")
    )
    emails = generator.sample_emails
    if emails:
        base = emails.get(catalog.base.code)
        wholesale = emails.get(catalog.wholesale.code)
        who = []
        if base:
            who.append(f"{base} (store {catalog.base.store_code!r}, the default)")
        if wholesale:
            who.append(f"{wholesale} (send the header 'Store: {catalog.wholesale.store_code}')")
        text += f" Every customer's password is {DEMO_PASSWORD!r}; sign in as " + (
            " or ".join(who) + "."
        )
    return text
