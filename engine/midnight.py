"""A background loop that runs a pass at each website's local midnight: the segment time runner
(`segments.timeline`) and the catalog-rule price window (`pricing.rule_runner`) are two of them.

The first pass runs as soon as the loop starts (in the background: a day missed while no process
ran is caught up without holding the server's start-up), then at the next local midnight of any
website (plus a margin) or every `poll_seconds`, whichever comes first, and whenever the clock is
moved (a `ManualClock` in tests). A failed pass is logged and retried by the next one."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any, Generic, TypeVar

from engine import clock as clocks
from engine import invalidation
from engine.cache import Cache
from engine.clock import Clock
from engine.segments import compare
from engine.stores import StoresSnapshot, WebsiteView, load_snapshot
from models.stores import ADMIN_WEBSITE_ID

MIDNIGHT_MARGIN = timedelta(seconds=1)
"""Wake this long after midnight, so the new local date has surely begun."""

Run = TypeVar("Run")


def as_date(value: Any) -> date:
    """A date column as the driver returns it (a date, a datetime or ISO text)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def customer_websites(stores: StoresSnapshot) -> list[WebsiteView]:
    return [w for w in stores.websites if w.website_id != ADMIN_WEBSITE_ID]


def next_midnight(now: datetime, websites: Sequence[WebsiteView]) -> datetime | None:
    """The earliest local midnight after `now` among `websites` (UTC), None without websites."""
    moments = [
        compare.day_start(compare.today(now, w.timezone) + timedelta(days=1), w.timezone)
        for w in websites
    ]
    return min(moments) if moments else None


class MidnightRunner(Generic[Run]):
    """Runs `due(now)` at each website's local midnight (and every `poll_seconds`) until
    `stop`; `ready` is set after the first pass. Subclasses name the pass."""

    task_name = "midnight-runner"
    failure_message = "midnight pass failed"
    logger = logging.getLogger("mageseg.midnight")

    def __init__(
        self, clock: Clock, *, poll_seconds: float = 300.0, cache: Cache | None = None
    ) -> None:
        self.clock = clock
        self.poll_seconds = poll_seconds
        self.cache = cache
        self.passes = 0
        self.last_runs: list[Run] = []
        self._websites: list[WebsiteView] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._unsubscribe: Any = None
        self._waiting: list[asyncio.Future[list[Run]]] = []
        self.ready = asyncio.Event()

    async def due(self, now: datetime) -> list[Run]:
        """One pass: the work due at `now`."""
        raise NotImplementedError

    def wake(self) -> None:
        self._wake.set()

    def next_pass(self) -> asyncio.Future[list[Run]]:
        """A future resolved with the runs of the next pass that starts after this call."""
        future: asyncio.Future[list[Run]] = asyncio.get_running_loop().create_future()
        self._waiting.append(future)
        return future

    async def run_once(self) -> list[Run]:
        waiting, self._waiting = self._waiting, []
        try:
            with clocks.using(self.clock):
                if self.cache is not None:
                    async with invalidation.tracking(self.cache, join=False):
                        runs = await self._pass()
                else:
                    runs = await self._pass()
        except Exception as error:
            for future in waiting:
                if not future.done():
                    future.set_exception(error)
            raise
        self.passes += 1
        self.last_runs = runs
        for future in waiting:
            if not future.done():
                future.set_result(runs)
        return runs

    async def _pass(self) -> list[Run]:
        runs = await self.due(self.clock.now())
        self._websites = customer_websites(await load_snapshot())
        return runs

    def _delay(self) -> float:
        now = self.clock.now()
        midnight = next_midnight(now, self._websites)
        if midnight is None:
            return self.poll_seconds
        seconds = (midnight + MIDNIGHT_MARGIN - now).total_seconds()
        return max(0.0, min(self.poll_seconds, seconds))

    async def start(self) -> None:
        self._unsubscribe = self.clock.subscribe(self.wake)
        self._wake.set()
        self._task = asyncio.create_task(self._loop(), name=self.task_name)

    async def _loop(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._delay())
            self._wake.clear()
            try:
                await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:  # keep the runner alive; the next pass retries the day
                self.logger.exception(self.failure_message)
            self.ready.set()

    async def run_forever(self) -> None:
        await self.start()
        assert self._task is not None
        try:
            await self._task
        finally:
            await self.stop()

    async def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        for future in self._waiting:
            future.cancel()
        self._waiting = []
