"""The webhook deliverer: claims due outbox rows (engine/webhooks/outbox.py), POSTs each signed
payload with aiohttp, and records the outcome. Runs in the server process (`webhooks_in_process`)
and in `mageseg worker`; any number of deliverers may run against one database.

It wakes when membership changes are announced (engine/segments/feed.py), when the next retry is
due, and at the latest every `poll_seconds`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
import uuid
from datetime import UTC, datetime

import aiohttp

from engine.metrics import metrics
from engine.segments import feed
from engine.webhooks import outbox
from engine.webhooks.signing import headers
from mageseg.settings import Settings

logger = logging.getLogger("mageseg.webhooks")

USER_AGENT = "mageseg-webhooks/1"


def owner_name() -> str:
    """Who holds a claim: host, process and a random part (unique per deliverer)."""
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Deliverer:
    """Delivers the outbox until `stop`."""

    def __init__(
        self,
        *,
        policy: outbox.RetryPolicy | None = None,
        poll_seconds: float = 5.0,
        timeout_seconds: float = 10.0,
        batch: int = 20,
        owner: str | None = None,
    ) -> None:
        self.policy = policy or outbox.RetryPolicy()
        self.poll_seconds = poll_seconds
        self.timeout_seconds = timeout_seconds
        self.batch = batch
        self.owner = owner or owner_name()
        self._session: aiohttp.ClientSession | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._waiter: feed.Waiter | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Deliverer:
        return cls(
            policy=outbox.RetryPolicy(
                lease_seconds=settings.webhook_lease_seconds,
                max_attempts=settings.webhook_max_attempts,
                base_seconds=settings.webhook_backoff_seconds,
                cap_seconds=settings.webhook_backoff_max_seconds,
            ),
            poll_seconds=settings.webhook_poll_seconds,
            timeout_seconds=settings.webhook_timeout_seconds,
        )

    async def start(self, *, background: bool = True) -> None:
        """Open the HTTP session and, unless `background` is False (a caller driving
        `deliver_once` itself), start delivering in a background task."""
        self._session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=self.timeout_seconds),
            headers={"User-Agent": USER_AGENT},
        )
        if background:
            self._task = asyncio.create_task(self._loop(), name="webhook-deliverer")

    async def stop(self) -> None:
        """Let the batch in flight finish (up to the HTTP timeout), then stop. A batch cut short
        stays claimed until its lease expires and is delivered again by the next deliverer."""
        self._stopping = True
        if self._waiter is not None:
            self._waiter.wake()
        if self._task is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(self._task), self.timeout_seconds + 1)
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def run_forever(self) -> None:
        await self.start()
        assert self._task is not None
        try:
            await self._task
        finally:
            await self.stop()

    async def _send(self, job: outbox.Job) -> outbox.Outcome:
        assert self._session is not None
        started = time.perf_counter()
        stamp = int(time.time())
        try:
            async with self._session.post(
                job.url,
                data=job.body,
                headers=headers(job.secret, stamp, job.body, str(job.delivery_id), job.event),
                allow_redirects=False,
            ) as response:
                await response.read()
                code: int | None = response.status
                error = None
        except (aiohttp.ClientError, TimeoutError, OSError, ValueError) as failure:
            code = None
            error = f"{type(failure).__name__}: {failure}".strip().rstrip(":")
        duration = int((time.perf_counter() - started) * 1000)
        return outbox.Outcome(status_code=code, error=error, duration_ms=duration)

    async def deliver_once(self) -> int:
        """Claim and send one batch; the number of attempts made."""
        jobs = await outbox.claim(
            self.owner, limit=self.batch, lease_seconds=self.policy.lease_seconds
        )
        if not jobs:
            return 0
        by_webhook: dict[int, list[outbox.Job]] = {}
        for job in jobs:
            by_webhook.setdefault(job.webhook_id, []).append(job)
        await asyncio.gather(*(self._deliver_in_order(group) for group in by_webhook.values()))
        return len(jobs)

    async def _deliver_in_order(self, jobs: list[outbox.Job]) -> None:
        """One webhook's jobs one after the other, in the order of the changes; receivers
        are served in parallel."""
        for job in jobs:
            outcome = await self._send(job)
            status = await outbox.finish(job, self.owner, outcome, self.policy)
            metrics().webhook_attempts.labels("delivered" if outcome.ok else "failed").inc()
            if not outcome.ok:
                logger.info(
                    "webhook delivery %s to %s: %s, now %s",
                    job.delivery_id,
                    job.url,
                    outcome.error,
                    status,
                )

    async def _loop(self) -> None:
        with feed.Waiter() as waiter:
            self._waiter = waiter
            while not self._stopping:
                wait = self.poll_seconds
                try:
                    while not self._stopping and await self.deliver_once() >= self.batch:
                        pass
                    due = await outbox.next_due()
                    if due is not None:
                        until_due = (due - datetime.now(UTC)).total_seconds()
                        wait = max(0.05, min(wait, until_due))
                except asyncio.CancelledError:
                    raise
                except Exception:  # keep delivering; the rows keep the work
                    logger.exception("webhook delivery pass failed")
                if not self._stopping:
                    await waiter.wait(wait)
