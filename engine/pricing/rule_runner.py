"""The catalog-rule price window moves on at each website's local midnight (Magento's daily
`catalogrule_apply_all` cron at 01:00, done here at the midnight of each timezone instead, so no
website ever has a day without rows, the bug Magento carried for years with timezones east or
west of the server's).

`run_due(now)`, per customer-facing website:
1. Its local date (`compare.today` in the website's timezone). The website's row of
   `mageseg_catalogrule_index_run` says which local date was done last; a website seen for the
   first time gets a row dated yesterday, so it is due at once.
2. A due day is claimed with a compare-and-set UPDATE inside the transaction that does the work
   (on PostgreSQL over `SELECT ... FOR UPDATE SKIP LOCKED`, so a second process skips the website
   instead of waiting, and a process that dies rolls its claim back).
3. The website's `catalogrule_product_price` rows are rebuilt for yesterday, today and tomorrow
   from `catalogrule_product` (`rule_index.rebuild_prices`), and `Topic.PROMOTIONS` is touched.

Nothing reads a price row for a day before the runner moved the window: the rows of "tomorrow"
were written the day before, and `rule_index.rule_prices` never reads the rows at all.

`RuleRunner` calls `run_due` at the earliest next local midnight of the websites and at least
every `poll_seconds`; its clock is `services.clock`, so a test's `ManualClock` wakes it."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from tortoise import connections
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from engine.midnight import MidnightRunner, as_date, customer_websites
from engine.pricing import rule_index
from engine.segments import compare
from engine.segments.sql import Dialect, dialect_of, placeholders
from engine.stores import WebsiteView, load_snapshot

logger = logging.getLogger("mageseg.pricing.rule_runner")

INDEX_RUN = "mageseg_catalogrule_index_run"


@dataclass(frozen=True)
class WindowRun:
    """One website's move of the price window."""

    website_id: int
    local_date: date
    prices: int
    """`catalogrule_product_price` rows written for the website."""


def _count(result: Any) -> int:
    """Rows changed, from tortoise's `execute_query` result (a (count, rows) pair)."""
    if isinstance(result, tuple) and result and isinstance(result[0], int):
        return result[0]
    return int(result or 0)


async def _ensure_rows(websites: Sequence[WebsiteView], now: datetime, dialect: Dialect) -> None:
    conn = connections.get("default")
    rows = await conn.execute_query_dict(f"SELECT website_id FROM {INDEX_RUN}")
    known = {int(r["website_id"]) for r in rows}
    for website in websites:
        if website.website_id in known:
            continue
        yesterday = compare.today(now, website.timezone) - timedelta(days=1)
        with contextlib.suppress(IntegrityError):  # another process inserted it first
            await conn.execute_query(
                placeholders(
                    f"INSERT INTO {INDEX_RUN} (website_id, last_local_date, ran_at) "
                    f"SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM {INDEX_RUN} "
                    "WHERE website_id = ?)",
                    dialect,
                ),
                [website.website_id, yesterday, now, website.website_id],
            )


async def _due(websites: Sequence[WebsiteView], now: datetime) -> list[tuple[WebsiteView, date]]:
    conn = connections.get("default")
    rows = await conn.execute_query_dict(f"SELECT website_id, last_local_date FROM {INDEX_RUN}")
    last = {int(r["website_id"]): as_date(r["last_local_date"]) for r in rows}
    due: list[tuple[WebsiteView, date]] = []
    for website in websites:
        today = compare.today(now, website.timezone)
        done = last.get(website.website_id)
        if done is None or done < today:
            due.append((website, today))
    return due


async def run_due(now: datetime) -> list[WindowRun]:
    """Move the price window of every website whose local date changed since its last run."""
    stores = await load_snapshot()
    websites = customer_websites(stores)
    dialect = dialect_of(connections.get("default"))
    await _ensure_rows(websites, now, dialect)
    runs: list[WindowRun] = []
    for website, today in await _due(websites, now):
        run = await _run_website(website.website_id, today, now, dialect)
        if run is not None:
            runs.append(run)
    return runs


async def _run_website(
    website_id: int, today: date, now: datetime, dialect: Dialect
) -> WindowRun | None:
    async with in_transaction() as conn:
        lock = " FOR UPDATE SKIP LOCKED" if dialect is Dialect.POSTGRES else ""
        claimed = await conn.execute_query_dict(
            placeholders(
                f"SELECT last_local_date FROM {INDEX_RUN} "
                f"WHERE website_id = ? AND last_local_date < ?{lock}",
                dialect,
            ),
            [website_id, today],
        )
        if not claimed:
            return None  # done already, or another process is doing it now
        changed = await conn.execute_query(
            placeholders(
                f"UPDATE {INDEX_RUN} SET last_local_date = ?, ran_at = ? "
                "WHERE website_id = ? AND last_local_date < ?",
                dialect,
            ),
            [today, now, website_id, today],
        )
        if not _count(changed):
            return None
        prices = await rule_index.rebuild_prices(days={website_id: today})
    logger.info("catalog rule prices of website %s moved to %s: %s rows", website_id, today, prices)
    return WindowRun(website_id=website_id, local_date=today, prices=prices)


class RuleRunner(MidnightRunner[WindowRun]):
    """Moves the catalog-rule price window at each website's local midnight (`run_due`)."""

    task_name = "catalog-rule-runner"
    failure_message = "catalog rule price window failed to move"
    logger = logger

    async def due(self, now: datetime) -> list[WindowRun]:
        return await run_due(now)
