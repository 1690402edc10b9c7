"""`mageseg`: serve, migrate, seed, import, export-schema, admin-token create|revoke|list,
refresh, worker, expire-segments.

Every command that opens the database says which one on stderr first, shows progress bars only
on a terminal, and ends with a summary line on stdout, also when there was nothing to do. Setup
problems (no database, no Redis, a busy port) end it with one line saying what to do
(`mageseg.preflight`)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import hashlib
import logging
import os
import sys
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from aiohttp import web
from tortoise.context import TortoiseContext
from tortoise.exceptions import IntegrityError

from engine import auth
from engine.cache import Cache
from engine.errors import AlreadyExists, AuthenticationFailed, DomainError
from engine.invalidation import current_cache, tracking
from engine.media.storage import MediaStorage
from engine.stores import invalidate_stores
from mageseg import preflight
from mageseg.database import migrate, tortoise_config
from mageseg.settings import Settings
from mageseg.workers import default_workers, prepare_shared_metrics
from mageseg.workers import refusal as worker_refusal
from mageseg.workers import serve as serve_workers

T = TypeVar("T")
DEMO_INTEGRATION = "demo"


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(
        database_url=getattr(args, "database_url", None),
        redis_url=getattr(args, "redis_url", None),
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
        log_level=getattr(args, "log_level", None),
    )


def _on_terminal() -> bool:
    """Progress bars only where someone watches them; logs and pipes get the summary line."""
    return sys.stderr.isatty()


def _say_database(settings: Settings) -> None:
    print(f"Database: {preflight.describe_database(settings.database_url)}", file=sys.stderr)


async def _with_database(settings: Settings, work: Callable[[], Awaitable[T]]) -> T:
    """Run `work` with the database open, inside one tracking block: what it writes invalidates
    the cached answers of running servers (sharing Redis) when it ends."""
    _say_database(settings)
    await preflight.check_redis(settings.redis_url)
    await migrate(settings.database_url)
    cache = Cache.create(settings.redis_url, settings.cache_namespace)
    try:
        async with TortoiseContext() as ctx:
            await ctx.init(config=tortoise_config(settings.database_url))
            async with tracking(cache):
                return await work()
    finally:
        await cache.close()


async def _forget_cached_stores(settings: Settings) -> None:
    """Seeds write behind the cache's back: every cached value is dropped (epoch bump)."""
    cache = Cache.create(settings.redis_url, settings.cache_namespace)
    try:
        await invalidate_stores(cache)
        await cache.invalidate_all()
    finally:
        await cache.close()


def _media(settings: Settings) -> MediaStorage:
    return MediaStorage(Path(settings.media_path), settings.media_url)


def demo_token_file(settings: Settings) -> Path:
    """Where the demo admin token's clear value is kept for the next start, one file per
    database (only its SHA-256 is in the database, as for every token)."""
    digest = hashlib.sha256(settings.database_url.encode()).hexdigest()[:12]
    return Path(settings.var_dir) / f"demo-admin-token-{digest}"


def _write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read (0600), replacing it whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text + "\n")
    os.chmod(partial, 0o600)
    os.replace(partial, path)


async def demo_admin_token(settings: Settings) -> str:
    """The demo integration's admin token: the one saved for this database while it still
    authenticates (so a token pasted into GraphiQL survives restarts), else a new one, saved."""
    path = demo_token_file(settings)
    with contextlib.suppress(OSError, UnicodeDecodeError):
        saved = path.read_text(encoding="utf-8").strip()
        with contextlib.suppress(AuthenticationFailed):
            if saved and (await auth.authenticate(saved)).kind is auth.ViewerKind.ADMIN:
                return saved
    if any(i.name == DEMO_INTEGRATION for i in await auth.list_integrations()):
        await auth.revoke_integration(DEMO_INTEGRATION)
        token = await auth.rotate_integration_token(DEMO_INTEGRATION)
    else:
        try:
            token = await auth.create_integration_token(DEMO_INTEGRATION)
        except (AlreadyExists, IntegrityError):  # another process starting now created it
            token = await auth.rotate_integration_token(DEMO_INTEGRATION)
    _write_private(path, token)
    return token


async def _prepare_demo(settings: Settings, seed: bool) -> tuple[str, str | None]:
    """Migrate, seed the demo data into an empty database; the demo admin token and the line
    naming the demo customers (None when there are none)."""
    from seeds.loader import DEMO_SIZE, demo_credentials, is_empty, load

    async def work() -> tuple[str, str | None]:
        if seed and await is_empty():
            print(
                await load(
                    DEMO_SIZE, progress=_on_terminal(), media=_media(settings), documents=True
                ),
                flush=True,
            )
            await _forget_cached_stores(settings)
        return await demo_admin_token(settings), await demo_credentials()

    return await _with_database(settings, work)


async def _freeze_startup_heap(app: web.Application) -> None:
    """What start-up loaded (modules, the schema, memos) lives as long as the server; frozen,
    full collections stop walking it. Unfrozen, every 40-odd listing requests paid a 115-150 ms
    collection (`make bench-pricing`'s p99)."""
    gc.collect()
    gc.freeze()


def cmd_serve(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if args.no_seed:
        settings = Settings(**{**settings.__dict__, "seed_on_empty": False})
    workers = args.workers if args.workers is not None else default_workers(settings)
    if (refused := worker_refusal(settings, workers)) is not None:
        print(refused, file=sys.stderr)
        return 2
    preflight.check_port(settings.host, settings.port)
    if workers > 1:  # before anything imports prometheus_client (the demo's refresh does)
        prepare_shared_metrics()
    token, customers = asyncio.run(_prepare_demo(settings, settings.seed_on_empty))
    url = f"http://{settings.host}:{settings.port}/graphql"
    print(f"mageseg serving GraphQL at {url} (GraphiQL: open it in a browser)")
    print(
        f"Admin token ({DEMO_INTEGRATION} integration, kept in {demo_token_file(settings)}), "
        "send as 'Authorization: Bearer <token>':"
    )
    print(f"  {token}")
    if customers:
        print(customers)
    print(f"{workers} worker process{'es' if workers > 1 else ''}. Stop with Ctrl-C.", flush=True)
    if workers > 1:
        serve_workers(settings, workers, _freeze_startup_heap)
        return 0
    from mageseg.app import create_app

    app = create_app(settings)
    app.on_startup.append(_freeze_startup_heap)
    try:
        web.run_app(
            app,
            host=settings.host,
            port=settings.port,
            print=None,
            shutdown_timeout=10,
            access_log_format='%a "%r" %s %b %Tfs',
        )
    except OSError as error:  # taken between the check and now
        raise preflight.port_in_use(settings.host, settings.port, error) from error
    print("mageseg stopped.")
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    settings = _settings(args)
    _say_database(settings)
    asyncio.run(migrate(settings.database_url))
    print(f"Database at {settings.database_url} is up to date.")
    return 0


def cmd_seed(args: argparse.Namespace) -> int:
    from seeds.loader import DEMO_SIZE, customer_count, load

    settings = _settings(args)
    size = DEMO_SIZE if args.size == "demo" else int(args.size)

    async def work() -> str | None:
        if not args.append and (present := await customer_count()):
            print(
                f"error: the database already holds {present:,} customers; add --append to add "
                f"{size:,} more, or point --database-url at an empty database",
                file=sys.stderr,
            )
            return None
        summary = await load(
            size,
            seed=args.seed,
            progress=_on_terminal(),
            media=_media(settings),
            documents=args.size == "demo",
        )
        await _forget_cached_stores(settings)
        return summary

    summary = asyncio.run(_with_database(settings, work))
    if summary is None:
        return 1
    print(summary)
    return 0


def cmd_export_schema(args: argparse.Namespace) -> int:
    from graph.schema import schema_sdl

    sdl = schema_sdl()
    if args.output == "-":
        sys.stdout.write(sdl)
    else:
        Path(args.output).write_text(sdl, encoding="utf-8")
        print(f"Wrote {args.output}")
    return 0


Report = Callable[[int, str], None]
Warn = Callable[[str], None]


async def _import_kind(
    kind: str, lines: Iterator[str], settings: Settings, report: Report, warn: Warn, batch: int
) -> Any:
    """The importer of `kind` over `lines`; it returns an `ImportSummary`."""
    from engine import activity_import, customer_import, order_import
    from engine.passwords import PasswordHasher
    from engine.stores import snapshot

    cache = Cache.create(settings.redis_url, settings.cache_namespace)
    try:
        stores = await snapshot(cache)
    finally:
        await cache.close()
    if kind == "orders":
        return await order_import.import_orders(lines, stores, on_error=report, batch_size=batch)
    if kind == "customers":
        hasher = PasswordHasher(settings.password_time_cost, settings.password_memory_kib)
        return await customer_import.import_customers(
            lines, stores, hasher, on_error=report, on_warning=warn, batch_size=batch
        )
    return await activity_import.import_activity(
        activity_import.Kind(kind), lines, stores, on_error=report, batch_size=batch
    )


def cmd_import(args: argparse.Namespace) -> int:
    """`import orders|customers|views|wishlists FILE`: streamed, with a progress bar on stderr
    when it is a terminal, each refused line reported as `line N: reason`, and the summary on
    stdout (exit 1 when a line failed, 2 when the file is not of its kind)."""
    from tqdm import tqdm

    from engine.customer_import import HeaderInvalid

    settings = _settings(args)
    path = Path(args.file)
    if not path.is_file():
        print(f"error: {path} is not a file", file=sys.stderr)
        return 2

    with (
        path.open("rb") as source,
        tqdm(
            total=path.stat().st_size,
            unit="B",
            unit_scale=True,
            desc=args.kind,
            file=sys.stderr,
            disable=not _on_terminal(),
        ) as bar,
    ):

        def lines() -> Iterator[str]:
            for raw in source:
                bar.update(len(raw))
                yield raw.decode("utf-8", errors="replace")

        def report(number: int, reason: str) -> None:
            tqdm.write(f"line {number}: {reason}", file=sys.stderr)

        def warn(message: str) -> None:
            bar.write(f"warning: {message}", file=sys.stderr)

        async def work() -> Any:
            return await _import_kind(args.kind, lines(), settings, report, warn, args.batch_size)

        try:
            summary = asyncio.run(_with_database(settings, work))
        except HeaderInvalid as error:
            print(f"error: {path}: {error}", file=sys.stderr)
            return 2
    print(summary)
    return 1 if summary.failed else 0


def cmd_admin_token(args: argparse.Namespace) -> int:
    settings = _settings(args)

    async def create() -> str:
        return await auth.create_integration_token(args.name)

    async def revoke() -> str:
        count = await auth.revoke_integration(args.name)
        return f"Revoked {count} token(s) of integration {args.name!r}."

    async def listing() -> str:
        rows = await auth.list_integrations()
        if not rows:
            return "No integrations."
        return "\n".join(
            f"{r.name}\tactive tokens: {r.active_tokens}\tcreated {r.created_at:%Y-%m-%d %H:%M}"
            for r in rows
        )

    action = {"create": create, "revoke": revoke, "list": listing}[args.action]
    try:
        print(asyncio.run(_with_database(settings, action)))
    except DomainError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


def _segment_id(text: str) -> int:
    """A segment's uid (base64, as GraphQL shows it) or its plain numeric id."""
    from engine.uids import decode_uid

    try:
        return decode_uid(text)
    except DomainError:
        if text.isdigit():
            return int(text)
        raise argparse.ArgumentTypeError(f"{text!r} is not a segment uid or id") from None


def _print_refresh(result: Any, name: str) -> None:
    if result.skipped:
        print(f'segment {result.segment_id} "{name}": skipped (visitors only, no stored members)')
    elif result.error is not None:
        print(f'segment {result.segment_id} "{name}": failed: {result.error}')
    else:
        by_website = ", ".join(f"website {w}: {n}" for w, n in result.matched_by_website.items())
        print(
            f'segment {result.segment_id} "{name}": {result.matched_count} matched'
            f" ({by_website or 'no website'}) in {result.duration_ms} ms"
        )


def cmd_refresh(args: argparse.Namespace) -> int:
    """`refresh --segment UID | --all`: full refreshes in the foreground, a progress bar per
    segment and website on stderr, one line per segment on stdout (exit 1 when one failed)."""
    from tqdm import tqdm

    from engine.segments import refresh
    from models.segments import MagentoCustomersegmentSegment, MagentoCustomersegmentWebsite

    settings = _settings(args)
    if not args.all and not args.segment:
        print("error: refresh needs --segment UID or --all", file=sys.stderr)
        return 2

    async def work() -> int:
        if args.all:
            ids = await refresh.segment_ids_to_refresh()
        else:
            ids = list(dict.fromkeys(args.segment))
        if not ids:
            print("Nothing to refresh: no segment has stored members.")
            return 0
        segments = {
            s.segment_id: s for s in await MagentoCustomersegmentSegment.filter(segment_id__in=ids)
        }
        missing = [i for i in ids if i not in segments]
        if missing:
            print(f"error: no segment with id {missing[0]}", file=sys.stderr)
            return 1
        websites: list[Any] = list(
            await MagentoCustomersegmentWebsite.filter(segment_id__in=ids).values_list(
                "segment_id", flat=True
            )
        )
        counts = {i: sum(1 for w in websites if w == i) for i in ids}
        failed = 0
        with tqdm(
            total=sum(counts.values()), unit="website", file=sys.stderr, disable=not _on_terminal()
        ) as bar:
            for segment_id in ids:
                bar.set_description(f"segment {segment_id}")
                reported = 0

                def progress(step: refresh.RefreshProgress) -> None:
                    nonlocal reported
                    reported += 1
                    bar.set_postfix(website=step.website_id, matched=step.matched)
                    bar.update(1)

                try:
                    result = await refresh.refresh_segment(segment_id, progress=progress)
                except refresh.RefreshRunning as error:
                    bar.write(f"segment {segment_id}: {error}", file=sys.stderr)
                    failed += 1
                    bar.update(counts[segment_id] - reported)
                    continue
                bar.update(counts[segment_id] - reported)
                if result.error is not None:
                    failed += 1
                bar.clear()
                _print_refresh(result, segments[segment_id].name)
        print(f"Refreshed {len(ids) - failed} of {len(ids)} segment(s), {failed} failed.")
        return 1 if failed else 0

    return asyncio.run(_with_database(settings, work))


def _print_time_runs(runs: Sequence[Any]) -> None:
    for run in runs:
        deferred = f", deferred {list(run.deferred)}" if run.deferred else ""
        print(
            f"website {run.website_id} {run.local_date.isoformat()}: "
            f"{len(run.segment_ids)} time-dependent segments, {run.entered} entered, "
            f"{run.exited} exited{deferred} ({run.duration_ms} ms)"
        )


def cmd_expire_segments(args: argparse.Namespace) -> int:
    """`expire-segments`: the time-driven re-evaluation of every website whose local date
    changed since its last run (what the runners do at each local midnight), once, now."""
    from engine.clock import SystemClock
    from engine.segments import timeline

    settings = _settings(args)

    async def work() -> int:
        runs = await timeline.run_due(SystemClock().now())
        _print_time_runs(runs)
        if not runs:
            print("nothing due: every website's day is done")
        return 1 if any(run.deferred for run in runs) else 0

    return asyncio.run(_with_database(settings, work))


def cmd_targetrule_reindex(args: argparse.Namespace) -> int:
    """`targetrule-reindex`: rebuild the related product rules' "products to match" index
    (`magento_targetrule_product`) from every rule and enabled product, in one transaction, with
    a progress bar per product on stderr and a summary line on stdout."""
    from tortoise.transactions import in_transaction
    from tqdm import tqdm

    from engine.targetrule import index

    settings = _settings(args)

    async def work() -> int:
        started = time.monotonic()
        with tqdm(unit="product", file=sys.stderr, disable=not _on_terminal()) as bar:

            def total(count: int) -> None:
                bar.reset(total=count)

            async with in_transaction():
                summary = await index.reindex_all(progress=bar.update, on_total=total)
        seconds = time.monotonic() - started
        print(
            f"Indexed {summary.rules} rule(s) over {summary.products} product(s): "
            f"{summary.rows} match(es) in {seconds:.1f} s."
        )
        return 0

    return asyncio.run(_with_database(settings, work))


def cmd_worker(args: argparse.Namespace) -> int:
    """`worker`: runs queued segment refreshes and the time-driven re-evaluation at each
    website's local midnight until stopped (SIGINT/SIGTERM); `--once` runs what is queued and
    due now and exits."""
    import signal

    from engine.clock import SystemClock
    from engine.rewards import expiry
    from engine.segments import feed, jobs, timeline
    from mageseg.webhooks import Deliverer
    from models.segments import MagentoCustomersegmentSegment

    settings = _settings(args)
    poll = args.poll_seconds if args.poll_seconds is not None else settings.refresh_poll_seconds

    async def once() -> int:
        await jobs.requeue_abandoned()
        results = await jobs.run_queued()
        names = dict(
            await MagentoCustomersegmentSegment.filter(
                segment_id__in=[r.segment_id for r in results]
            ).values_list("segment_id", "name")
        )
        for result in results:
            _print_refresh(result, names.get(result.segment_id, ""))
        runs = await timeline.run_due(SystemClock().now())
        _print_time_runs([run for run in runs if run.segment_ids or run.deferred])
        expired = await expiry.expire_due(SystemClock().now())
        deliverer = Deliverer.from_settings(settings)
        await deliverer.start(background=False)
        try:
            sent = 0
            while attempted := await deliverer.deliver_once():
                sent += attempted
        finally:
            await deliverer.stop()
        failed = sum(1 for r in results if r.error is not None)
        print(
            f"Worker pass done: {len(results)} queued refresh(es) ({failed} failed), "
            f"{sum(1 for run in runs if run.segment_ids)} website day(s) re-evaluated, "
            f"{sum(run.rows for run in expired)} reward earning(s) expired, "
            f"{sent} webhook delivery attempt(s)."
        )
        return 1 if failed else 0

    async def forever() -> int:
        runner = jobs.RefreshRunner(
            poll_seconds=poll,
            listen_dsn=jobs.listen_dsn(settings.database_url),
            cache=current_cache(),
        )
        time_runner = timeline.TimeRunner(
            SystemClock(), poll_seconds=settings.time_poll_seconds, cache=current_cache()
        )
        expiry_runner = expiry.ExpiryRunner(
            SystemClock(), poll_seconds=settings.time_poll_seconds, cache=current_cache()
        )
        task = asyncio.current_task()
        assert task is not None
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
        print(
            "mageseg worker: running queued segment refreshes, the midnight time runs and "
            "webhook deliveries. Stop with Ctrl-C.",
            flush=True,
        )
        deliverer = Deliverer.from_settings(settings)
        feed.configure(settings.feed_poll_seconds)
        dsn = jobs.listen_dsn(settings.database_url)
        listener = feed.Listener(dsn) if dsn else None
        if listener is not None:
            await listener.start()  # other processes' announcements wake the deliverer
        await time_runner.start()
        await expiry_runner.start()
        await deliverer.start()
        cache = current_cache()
        # Lost invalidations are made up as soon as Redis answers, even between passes.
        watcher = asyncio.create_task(cache.watch()) if cache and cache.shared else None
        try:
            with contextlib.suppress(asyncio.CancelledError):
                await runner.run_forever()
        finally:
            if watcher is not None:
                watcher.cancel()
                # Bounded, as the server's (mageseg/app.py): a swallowed cancellation must not
                # keep the worker from stopping.
                await asyncio.wait({watcher}, timeout=2)
            await deliverer.stop()
            await time_runner.stop()
            await expiry_runner.stop()
            if listener is not None:
                await listener.stop()
        return 0

    try:
        return asyncio.run(_with_database(settings, once if args.once else forever))
    except KeyboardInterrupt:
        return 0


def _database_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database-url", help="overrides MAGESEG_DATABASE_URL")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mageseg", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="migrate, seed an empty database, serve GraphQL")
    _database_options(serve)
    serve.add_argument("--redis-url", help="overrides MAGESEG_REDIS_URL")
    serve.add_argument("--host", help="overrides MAGESEG_HOST (127.0.0.1)")
    serve.add_argument("--port", type=int, help="overrides MAGESEG_PORT (8080)")
    serve.add_argument("--log-level", help="overrides MAGESEG_LOG_LEVEL (INFO)")
    serve.add_argument("--no-seed", action="store_true", help="do not load demo data when empty")
    serve.add_argument(
        "--workers",
        type=int,
        help="server processes on the port (default: one per core on PostgreSQL, 1 on SQLite)",
    )
    serve.set_defaults(run=cmd_serve)

    migrate_cmd = commands.add_parser("migrate", help="apply pending database migrations")
    _database_options(migrate_cmd)
    migrate_cmd.set_defaults(run=cmd_migrate)

    seed = commands.add_parser("seed", help="insert generated data")
    _database_options(seed)
    seed.add_argument("--size", default="demo", help="'demo' or a number of customers")
    seed.add_argument("--seed", type=int, default=42, help="random seed (same seed, same data)")
    seed.add_argument(
        "--append", action="store_true", help="add to a database that already has customers"
    )
    seed.set_defaults(run=cmd_seed)

    export = commands.add_parser("export-schema", help="write the GraphQL SDL")
    export.add_argument("--output", default="schema.graphql", help="a path, or - for stdout")
    export.set_defaults(run=cmd_export_schema)

    importer = commands.add_parser(
        "import", help="import customers (Magento's export CSV) or history (JSON Lines)"
    )
    _database_options(importer)
    importer.add_argument(
        "kind",
        choices=["orders", "customers", "views", "wishlists"],
        help="what the file holds: customers is a Magento customer export CSV (main file, "
        "addresses, customers and addresses, finances), the others one JSON object per line",
    )
    importer.add_argument("file", help="the file to import")
    importer.add_argument(
        "--batch-size", type=int, default=500, help="records per transaction (500)"
    )
    importer.set_defaults(run=cmd_import)

    token = commands.add_parser("admin-token", help="admin integration tokens")
    _database_options(token)
    token.add_argument("action", choices=["create", "revoke", "list"])
    token.add_argument("name", nargs="?", default="", help="the integration's name")
    token.set_defaults(run=cmd_admin_token)

    refresh_cmd = commands.add_parser("refresh", help="refresh segment members now")
    _database_options(refresh_cmd)
    refresh_cmd.add_argument(
        "--segment",
        action="append",
        type=_segment_id,
        metavar="UID",
        help="a segment's uid or id (repeatable)",
    )
    refresh_cmd.add_argument("--all", action="store_true", help="every segment with stored members")
    refresh_cmd.set_defaults(run=cmd_refresh)

    worker = commands.add_parser(
        "worker", help="run queued segment refreshes, time runs and webhook deliveries"
    )
    _database_options(worker)
    worker.add_argument("--once", action="store_true", help="run what is queued now, then exit")
    worker.add_argument(
        "--poll-seconds", type=float, help="overrides MAGESEG_REFRESH_POLL_SECONDS (30)"
    )
    worker.set_defaults(run=cmd_worker)

    expire = commands.add_parser(
        "expire-segments", help="re-evaluate date-relative segments of websites past midnight"
    )
    _database_options(expire)
    expire.set_defaults(run=cmd_expire_segments)

    targetrule = commands.add_parser(
        "targetrule-reindex", help="rebuild the related product rules' products-to-match index"
    )
    _database_options(targetrule)
    targetrule.set_defaults(run=cmd_targetrule_reindex)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = _settings(args)
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if args.command == "admin-token" and args.action != "list" and not args.name:
        print("error: admin-token create|revoke needs a NAME", file=sys.stderr)
        return 2
    try:
        result: Any = args.run(args)
    except Exception as error:
        advice = preflight.explain(error, settings.database_url, settings.redis_url)
        if advice is None:
            raise
        print(advice, file=sys.stderr)
        return 1
    return int(result)


if __name__ == "__main__":
    sys.exit(main())
