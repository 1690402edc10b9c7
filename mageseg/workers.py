"""`mageseg serve --workers N`: N processes on one port, managed by gunicorn (graceful restart on
HUP, graceful shutdown on TERM or INT, a dead worker replaced) with aiohttp's own worker class.

Each worker builds its application after the fork: event loops, database pools and Redis
connections must not cross it. The background runners start in every worker; they already
coordinate across processes (refresh claims, one midnight run per website-day, outbox leases).
Metrics are shared through files (`mageseg/metrics.py`), in a folder made for this server."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from typing import Any

from gunicorn.app.base import BaseApplication

from mageseg.metrics import MULTIPROCESS_DIRECTORY
from mageseg.settings import Settings

# Seconds a worker gets to finish its requests on restart or shutdown.
GRACEFUL_SECONDS = 10


def default_workers(settings: Settings) -> int:
    """One per core on PostgreSQL with Redis; one on SQLite, whose single writer gains nothing
    from more, and without Redis, where each process would keep a cache of its own."""
    if not settings.database_url.startswith(("postgres://", "postgresql://")):
        return 1
    if not settings.redis_url:
        return 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def refusal(settings: Settings, workers: int) -> str | None:
    """Why `workers` processes cannot serve with these settings (None when they can)."""
    if workers < 1:
        return "--workers must be 1 or more."
    if workers > 1 and not settings.redis_url:
        return (
            f"{workers} workers need a shared cache: set MAGESEG_REDIS_URL (or --redis-url), "
            "or run one worker (--workers 1)."
        )
    return None


def _worker_exited(server: Any, worker: Any) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


class Server(BaseApplication):  # type: ignore[misc]
    def __init__(self, settings: Settings, workers: int, on_startup: Any = None) -> None:
        self.settings = settings
        self.workers = workers
        self.on_startup = on_startup
        super().__init__()

    def load_config(self) -> None:
        self.cfg.set("bind", [f"{self.settings.host}:{self.settings.port}"])
        self.cfg.set("workers", self.workers)
        self.cfg.set("worker_class", "aiohttp.GunicornWebWorker")
        self.cfg.set("graceful_timeout", GRACEFUL_SECONDS)
        self.cfg.set("loglevel", self.settings.log_level.lower())
        # As with one process (aiohttp's access logger is an INFO logger): requests are logged
        # at INFO and below only; above, the per-request line is not even formatted.
        level = logging.getLevelName(self.settings.log_level.upper())
        if not isinstance(level, int) or level <= logging.INFO:
            self.cfg.set("accesslog", "-")
            self.cfg.set("access_log_format", '%a "%r" %s %b %Tfs')
        self.cfg.set("child_exit", _worker_exited)
        self.cfg.set("proc_name", "mageseg")

    def load(self) -> Any:
        from mageseg.app import create_app

        app = create_app(self.settings)
        if self.on_startup is not None:
            app.on_startup.append(self.on_startup)
        return app


def prepare_shared_metrics() -> str:
    """A fresh folder for the workers' metric files; set before prometheus_client is imported."""
    folder = tempfile.mkdtemp(prefix="mageseg-metrics-")
    os.environ[MULTIPROCESS_DIRECTORY] = folder
    return folder


def serve(settings: Settings, workers: int, on_startup: Any = None) -> None:
    folder = os.environ.get(MULTIPROCESS_DIRECTORY) or prepare_shared_metrics()
    master = os.getpid()
    try:
        Server(settings, workers, on_startup).run()
    finally:
        # A worker leaves through here too (gunicorn ends a forked worker with SystemExit, which
        # unwinds the master's stack in the child): only the master may remove the folder, or a
        # worker replaced on HUP takes the live workers' metric files with it.
        if os.getpid() == master:
            shutil.rmtree(folder, ignore_errors=True)
