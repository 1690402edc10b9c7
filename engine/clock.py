"""What time it is, as the process sees it: `SystemClock` in production, `ManualClock` in tests.

Everything whose answer depends on "now" (relative-date conditions, the per-website midnight
runs) reads `services.clock.now()` instead of `datetime.now`, so a test can move time forward
and watch memberships expire. Engine code called from a write path, which has no services at
hand (event-driven re-evaluation), reads `now()`: the clock the wiring put in place with `using`
for the operation. `subscribe` lets a sleeper (the time runner) wake up when a manual
clock is moved; the system clock never calls it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...

    def subscribe(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Call `callback` whenever the clock is moved by hand; returns the unsubscriber."""
        ...


def _noop() -> None:
    return None


class SystemClock:
    """The operating system's clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def subscribe(self, callback: Callable[[], None]) -> Callable[[], None]:
        return _noop


class ManualClock:
    """A clock that stands still until `set` or `advance` moves it (tests)."""

    def __init__(self, start: datetime) -> None:
        self._now = _utc(start)
        self._listeners: list[Callable[[], None]] = []

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> None:
        self._now = _utc(moment)
        self._moved()

    def advance(self, delta: timedelta) -> None:
        self._now = self._now + delta
        self._moved()

    def subscribe(self, callback: Callable[[], None]) -> Callable[[], None]:
        self._listeners.append(callback)

        def unsubscribe() -> None:
            if callback in self._listeners:
                self._listeners.remove(callback)

        return unsubscribe

    def _moved(self) -> None:
        for listener in list(self._listeners):
            listener()


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("ManualClock needs a timezone-aware datetime")
    return moment.astimezone(UTC)


_SYSTEM = SystemClock()
_ambient: ContextVar[Clock | None] = ContextVar("mageseg_clock", default=None)


def now() -> datetime:
    """The current instant on the clock of the enclosing `using` block (else the system's)."""
    return (_ambient.get() or _SYSTEM).now()


@contextmanager
def using(clock: Clock) -> Iterator[None]:
    """Make `clock` the one `now()` reads, for the work done inside the block."""
    token = _ambient.set(clock)
    try:
        yield
    finally:
        _ambient.reset(token)
