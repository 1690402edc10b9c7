"""`load(size)`: the demo shop, or a benchmark-sized population, in batches with a progress bar.

Every demo customer has the password `DEMO_PASSWORD`, hashed once per load. Loading into a
database that already has customers appends: keys and e-mail numbers continue after the largest
in use. Run one load at a time (it assigns keys itself, from the current maximum)."""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime

from tqdm import tqdm

from engine.passwords import PasswordHasher
from mageseg.settings import Settings
from models import CustomerEntity
from seeds import tables
from seeds.generate import Generator
from seeds.structure import ensure_structure
from seeds.writers import next_ids, writer

DEMO_SIZE = 200
DEMO_PASSWORD = "Demo-Pass-123"
# Customers per batch: one transaction, and the only rows held in memory at a time.
BATCH_SIZE = 10_000


async def is_empty() -> bool:
    """True when the database has no customers (a fresh install)."""
    return not await CustomerEntity.exists()


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
) -> str:
    """Insert `size` customers with their rows; returns a one-paragraph summary."""
    if size < 0:
        raise ValueError(f"size must be positive or zero, not {size}")
    started = time.perf_counter()
    catalog = await ensure_structure()
    now = datetime.now(UTC)
    generator = Generator(
        seed,
        catalog,
        today=now.date(),
        loaded_at=now,
        password_hash=(hasher or _hasher()).hash(DEMO_PASSWORD),
    )
    ids = await next_ids()
    write = writer().write
    counts: Counter[str] = Counter()
    per_website: Counter[int] = Counter()
    with tqdm(
        total=size, unit=" customers", unit_scale=True, desc="Seeding", disable=not progress
    ) as bar:
        for start in range(0, size, batch_size):
            count = min(batch_size, size - start)
            batch = generator.batch(count, ids)
            await write(batch)
            counts.update(batch.counts())
            per_website.update(row[1] for row in batch.rows[tables.CUSTOMERS])
            bar.update(count)
    elapsed = time.perf_counter() - started
    return _summary(generator, counts, per_website, elapsed)


def _summary(
    generator: Generator, counts: Counter[str], per_website: Counter[int], elapsed: float
) -> str:
    catalog = generator.catalog
    total = sum(counts.values())
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
        f"{counts[tables.BALANCES.name]:,} store-credit balances and "
        f"{values:,} custom attribute values: {total:,} rows in {elapsed:.1f} s "
        f"({total / max(elapsed, 1e-9):,.0f} rows/s)."
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
