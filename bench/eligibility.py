"""Eligibility, issue 18: `python -m bench eligibility [--customers 20000] [--rounds 3]`.

The population, the 100 active segments and the tokens of `bench live` (PostgreSQL + Redis),
measured three ways, each next to a baseline of the same run:

- **server time**, one request at a time: the app of `mageseg serve` with the `Server-Timing`
  middleware of `bench pricing` (`app` = the whole handler), one process, for a hot customer (one
  token repeated), cold customers (a token never asked before per request) and cold guests (the
  masked id of a seeded guest cart never asked before per request); p50 of the per-round medians,
  with the server process's CPU time per request (utime + stime from /proc: robust to a busy
  machine, unlike wall times) and the database round trips the request made (PostgreSQL's
  `xact_commit` + `xact_rollback` of the database do not count statements, so the count is read
  from `pg_stat_statements` when present, else left out);
- **throughput**, wrk closed loop (as `bench live`): the bare aiohttp handler answering the hot
  customer's bytes (baseline), the hot customer and cold customers, against `mageseg serve
  --workers 1` and `--workers 2` (gunicorn) in turn, with the CPU per request of the server's
  processes (every worker included);
- the ratios: hot / bare requests per second (target 0.5), the bare handler's CPU per request
  / the row's (the same ratio for a saturated server, and one that a busy machine does not
  distort), and 2 workers / 1 worker.

The section "Eligibility" of BENCHMARKS.md is replaced (the rest of the file is kept). Rows the
run adds (tokens, the segments) are removed at the end, as `bench live` does."""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
from tortoise.context import TortoiseContext

from bench import live
from bench.pricing import TIMING_HEADER, parse_server_timing
from bench.stats import median

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "BENCHMARKS.md"
SECTION = "## Eligibility"


# --- processes --------------------------------------------------------------------------------


def _tree_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) of `pid` and its living children (gunicorn's workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rpartition(")")[2].split()
        ppid = int(fields[1])
        if int(entry) == pid or ppid == pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


@asynccontextmanager
async def _server(
    args: Sequence[str], env: dict[str, str], log: Path
) -> AsyncIterator[tuple[str, int]]:
    """`live._process`, also yielding the process id."""
    port = int(env["BENCH_PORT"])
    with log.open("ab") as output:
        process = await asyncio.create_subprocess_exec(
            *args, env=env, stdout=output, stderr=output, cwd=ROOT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        await live._wait_healthy(base, process, log)
        yield f"{base}/graphql", process.pid
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 20)
            except TimeoutError:
                process.kill()
                await process.wait()


def _env(database_url: str, redis_url: str, namespace: str) -> dict[str, str]:
    return {
        **os.environ,
        "BENCH_PORT": str(live.free_port()),
        "MAGESEG_DATABASE_URL": database_url,
        "MAGESEG_REDIS_URL": redis_url,
        "MAGESEG_CACHE_NAMESPACE": namespace,
        "MAGESEG_REFRESH_IN_PROCESS": "false",
        "MAGESEG_TIME_IN_PROCESS": "false",
        "MAGESEG_WEBHOOKS_IN_PROCESS": "false",
        "MAGESEG_LOG_LEVEL": "WARNING",
        "MAGESEG_GRAPHIQL": "false",
        "MAGESEG_SEED_ON_EMPTY": "false",
    }


def timed_app(database_url: str, redis_url: str, namespace: str, log: Path) -> Any:
    env = _env(database_url, redis_url, namespace)
    return _server([sys.executable, "-m", "bench.pricing", "serve"], env, log)


def served(database_url: str, redis_url: str, namespace: str, log: Path, workers: int) -> Any:
    env = _env(database_url, redis_url, namespace)
    port = env["BENCH_PORT"]
    command = [*live.mageseg_command(), "serve", "--no-seed", "--host", "127.0.0.1"]
    return _server([*command, "--port", port, "--workers", str(workers)], env, log)


def bare(body: bytes, folder: Path) -> Any:
    path = folder / "bare-body.json"
    path.write_bytes(body)
    env = {**os.environ, "BENCH_PORT": str(live.free_port())}
    return _server([sys.executable, "-m", "bench.live", "bare", str(path)], env, folder / "b.log")


# --- measurements -----------------------------------------------------------------------------


@dataclass
class Sequential:
    """One request at a time: per-round medians of the server's time, CPU per request."""

    label: str
    server_ms: list[float] = field(default_factory=list)  # per-round medians
    cpu_us: list[float] = field(default_factory=list)  # per round


@dataclass
class Loaded:
    label: str
    workers: int
    rps: list[float] = field(default_factory=list)
    cpu_us: list[float] = field(default_factory=list)
    errors: int = 0


async def sequential(
    url: str,
    pid: int,
    bodies_and_tokens: Sequence[tuple[bytes, str | None]],
) -> tuple[float, float]:
    """(p50 server ms, CPU us per request) over the given requests, one at a time."""
    timings: list[float] = []
    async with aiohttp.ClientSession() as session:
        cpu = _tree_cpu_s(pid)
        for body, token in bodies_and_tokens:
            async with session.post(url, data=body, headers=live.headers_for(token)) as answer:
                raw = await answer.read()
                if answer.status != 200 or b'"errors"' in raw:
                    raise RuntimeError(f"customerSegments answered {answer.status}: {raw[:300]!r}")
                timings.append(parse_server_timing(answer.headers.get(TIMING_HEADER))["app"])
        spent = _tree_cpu_s(pid) - cpu
    return median(timings), spent * 1e6 / len(bodies_and_tokens)


async def loaded(
    url: str,
    pid: int,
    body: bytes,
    folder: Path,
    args: argparse.Namespace,
    tokens: Path,
    offset: int,
) -> tuple[live.LoadResult, float]:
    cpu = _tree_cpu_s(pid)
    result = await live.run_wrk(
        url,
        body,
        folder,
        duration=args.duration,
        connections=args.connections,
        threads=args.threads,
        tokens_file=tokens,
        offset=offset,
    )
    spent = _tree_cpu_s(pid) - cpu
    return result, spent * 1e6 / max(1, result.requests)


@dataclass
class Report:
    customers: int
    segments: int
    sequential: list[Sequential]
    loaded: list[Loaded]
    args: argparse.Namespace
    notes: list[str]


async def guest_carts(conn: Any, count: int) -> list[str]:
    """Masked ids of seeded active guest carts of website `base`, shuffled."""
    rows = await conn.execute_query_dict(
        "SELECT m.masked_id FROM quote q JOIN quote_id_mask m ON m.quote_id = q.entity_id "
        "WHERE q.customer_id IS NULL AND q.is_active AND q.store_id IN "
        f"(SELECT store_id FROM store WHERE website_id = {live.WEBSITE_ID}) ORDER BY q.entity_id"
    )
    found = [str(r["masked_id"]) for r in rows]
    random.Random(7).shuffle(found)
    return found[:count]


async def run(args: argparse.Namespace) -> Report:
    url = await live.population_url(args)
    redis_url = args.redis_url
    prefix = f"bench-elig-{uuid.uuid4().hex[:8]}"
    folder = Path(tempfile.mkdtemp(prefix="mageseg-bench-elig-"))
    log = folder / "server.log"
    print(f"Database {url}; logs in {folder}", file=sys.stderr)
    from mageseg.database import tortoise_config

    per_round = args.requests
    cold_needed = per_round * args.rounds + 40
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(url))
        conn = ctx.connections.get("default")
        customers = int((await live._scalars(conn, "SELECT COUNT(*) FROM customer_entity"))[0])
        shoppers = await live.pick_shoppers(conn, max(args.cold_customers, cold_needed), 0)
        guests = await guest_carts(conn, cold_needed)
        try:
            segment_ids = await live.create_segments(conn)
            report = await _measure(args, url, redis_url, prefix, folder, log, shoppers, guests)
            report.customers = customers
            report.segments = len(segment_ids)
            return report
        finally:
            print("Cleaning up...", file=sys.stderr)
            await conn.execute_script(
                f"DELETE FROM magento_customersegment_segment WHERE name LIKE '{live.NAME_PREFIX}%'"
            )
            await live.remove_added_rows(conn, shoppers.marks)
            await live._flush_namespace(redis_url, prefix)
            if not args.keep_logs:
                shutil.rmtree(folder, ignore_errors=True)


async def _measure(
    args: argparse.Namespace,
    url: str,
    redis_url: str,
    prefix: str,
    folder: Path,
    log: Path,
    shoppers: live.Shoppers,
    guests: list[str],
) -> Report:
    customer_body = live.request_body("")
    notes: list[str] = []
    hot = Sequential("hot customer (one token repeated)")
    cold = Sequential("cold customers (a token never asked before per request)")
    guest = Sequential("cold guests (a seeded guest cart never asked before per request)")
    n = args.requests
    # The first 20 cold tokens and guest carts warm the server up; each round takes the next n.
    async with timed_app(url, redis_url, f"{prefix}-timed", log) as (app_url, pid):
        warm: list[tuple[bytes, str | None]] = [(customer_body, t) for t in shoppers.cold[:20]]
        warm += [(live.request_body(g), None) for g in guests[:20]]
        warm += [(customer_body, shoppers.hot)] * 20
        await sequential(app_url, pid, warm)
        for number in range(args.rounds):
            start = 20 + number * n
            requests: Sequence[tuple[bytes, str | None]]
            for case, requests in (
                (hot, [(customer_body, shoppers.hot)] * n),
                (cold, [(customer_body, t) for t in shoppers.cold[start : start + n]]),
                (guest, [(live.request_body(g), None) for g in guests[start : start + n]]),
            ):
                server_ms, cpu_us = await sequential(app_url, pid, requests)
                case.server_ms.append(server_ms)
                case.cpu_us.append(cpu_us)
                print(
                    f"  round {number + 1} {case.label}: server p50 {server_ms:.2f} ms, "
                    f"{cpu_us:.0f} us CPU per request",
                    file=sys.stderr,
                )
        async with aiohttp.ClientSession() as session:
            hot_answer = await live.raw_answer(session, app_url, customer_body, shoppers.hot)
    # Throughput: wrk against 1 and 2 workers (cold tokens from after those used above).
    cold_file = folder / "cold-tokens.txt"
    cold_file.write_text("\n".join(shoppers.cold[20 + args.rounds * n :]) + "\n")
    hot_file = folder / "hot-token.txt"
    hot_file.write_text(shoppers.hot + "\n")
    results: list[Loaded] = []
    offset = 0
    async with bare(hot_answer, folder) as (bare_url, bare_pid):
        for workers in args.workers:
            cases = {
                "bare": Loaded("bare aiohttp handler, same JSON bytes (baseline)", 1),
                "hot": Loaded("hot customer", workers),
                "cold": Loaded("cold customers", workers),
            }
            namespace = f"{prefix}-w{workers}"
            async with served(url, redis_url, namespace, log, workers) as (app_url, pid):
                async with aiohttp.ClientSession() as session:
                    for _ in range(50):  # every worker sees the hot customer once
                        await live.raw_answer(session, app_url, customer_body, shoppers.hot)
                for number in range(args.rounds):
                    for key, row in cases.items():
                        target, target_pid = (
                            (bare_url, bare_pid) if key == "bare" else (app_url, pid)
                        )
                        tokens = cold_file if key == "cold" else hot_file
                        result, cpu_us = await loaded(
                            target, target_pid, customer_body, folder, args, tokens, offset
                        )
                        if key == "cold":
                            offset += result.requests
                        row.rps.append(result.requests_per_s)
                        row.cpu_us.append(cpu_us)
                        row.errors += result.errors
                        print(
                            f"  workers {workers} round {number + 1} {key}: "
                            f"{result.requests_per_s:,.0f} req/s, {cpu_us:.0f} us CPU/request",
                            file=sys.stderr,
                        )
            results += list(cases.values())
    if offset > len(shoppers.cold):
        notes.append(
            f"Cold tokens ran out: {offset:,} cold requests for {len(shoppers.cold):,} tokens, "
            "so some were asked twice (cache hits)."
        )
    return Report(0, 0, [hot, cold, guest], results, args, notes)


# --- report -----------------------------------------------------------------------------------


def render(report: Report) -> str:
    args = report.args
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = os.getloadavg()[0]
    lines = [
        f"{SECTION} (PostgreSQL {report.customers:,} customers, {report.segments} active "
        f"segments, Redis; {args.rounds} rounds; {when})",
        "",
        "`python -m bench eligibility` (see `bench/eligibility.py`): `customerSegments` as in",
        "`bench live`. Server time: one request at a time against the app with the `Server-Timing`",
        f"middleware of `bench pricing`, {args.requests} requests per case and round (cold ones",
        "each on a customer or guest cart not asked before); p50 = median of per-round medians;",
        "CPU = the server process's user + system time per request (robust to other load on the",
        "machine, unlike wall times).",
        "",
        "| request | server p50 ms | server CPU per request us |",
        "|---|---:|---:|",
    ]
    for case in report.sequential:
        lines.append(
            f"| {case.label} | {median(case.server_ms):.2f} | {median(case.cpu_us):,.0f} |"
        )
    lines += [
        "",
        f"Throughput: wrk, {args.threads} thread(s), {args.connections} connections, "
        f"{args.duration:g} s per case and round, cases taking turns; `mageseg serve --workers N`",
        "(N = 1: aiohttp alone; N > 1: gunicorn with aiohttp's worker); CPU per request summed",
        "over the server's processes. Baseline: the bare aiohttp handler (one process) answering",
        "the hot customer's bytes, measured in the same rounds as the rows below it (/ bare:",
        "requests/s against the bare handler's; CPU / bare: the bare handler's CPU per request",
        "against the row's, the same ratio for a saturated server, and robust to a busy machine).",
        "",
        "| workers | request | requests/s | / bare | CPU / bare | / 1 worker | CPU per request us "
        "| errors |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    by_key = {(r.label, r.workers): r for r in report.loaded}
    phase_bare: dict[int, tuple[float, float]] = {}
    for result in report.loaded:  # each phase's rows follow its bare row
        if result.label.startswith("bare"):
            phase_bare_rps = (median(result.rps), median(result.cpu_us))
            continue
        phase_bare[result.workers] = phase_bare_rps
    for result in report.loaded:
        rps = median(result.rps)
        if result.label.startswith("bare"):
            lines.append(
                f"| - | {result.label} | {rps:,.0f} | 1.00 | 1.00 | - "
                f"| {median(result.cpu_us):,.0f} | {result.errors} |"
            )
            continue
        one = by_key.get((result.label, 1))
        vs_one = "-" if one is None else f"{rps / median(one.rps):.2f}"
        bare_rps, bare_cpu = phase_bare[result.workers]
        cpu = median(result.cpu_us)
        lines.append(
            f"| {result.workers} | {result.label} | {rps:,.0f} "
            f"| {rps / bare_rps:.2f} | {bare_cpu / cpu if cpu else 0:.2f} | {vs_one} "
            f"| {cpu:,.0f} | {result.errors} |"
        )
    cpus = len(os.sched_getaffinity(0))
    lines += [
        "",
        f"Notes: {cpus} CPUs shared by wrk, the servers, PostgreSQL and Redis (load average "
        f"{load:.1f} at the end of the run).",
        *report.notes,
    ]
    return "\n".join(lines) + "\n"


def replace_section(document: str, section: str) -> str:
    pattern = re.compile(rf"^{re.escape(SECTION)}\b.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(document):
        return pattern.sub(lambda _: section + "\n", document, count=1).rstrip("\n") + "\n"
    return document.rstrip("\n") + "\n\n" + section


def keep_section(old: str, new: str) -> str:
    match = re.search(rf"^{re.escape(SECTION)}\b.*?(?=^## |\Z)", old, re.S | re.M)
    if not match or SECTION in new:
        return new
    return new.rstrip("\n") + "\n\n" + match.group(0).rstrip("\n") + "\n"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench eligibility", description=__doc__)
    p.add_argument("--customers", type=int, default=20_000, help="population size")
    p.add_argument(
        "--database-url",
        default=os.environ.get("MAGESEG_BENCH_DATABASE_URL", live.DEFAULT_PG),
        help="a PostgreSQL server database to connect to (the population has its own)",
    )
    p.add_argument("--database", help="measure this seeded database as it is instead")
    p.add_argument("--redis-url", default=live.DEFAULT_REDIS)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--requests", type=int, default=200, help="sequential requests per case")
    p.add_argument("--duration", type=float, default=5.0, help="wrk seconds per case")
    p.add_argument("--connections", type=int, default=16)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    p.add_argument("--cold-customers", type=int, default=20_000, help="cold tokens")
    p.add_argument("--keep-logs", action="store_true")
    p.add_argument("--output", type=Path, default=OUTPUT)
    p.add_argument("--no-write", action="store_true")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    started = time.monotonic()
    report = asyncio.run(run(args))
    section = render(report)
    if not args.no_write:
        old = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        args.output.write_text(replace_section(old, section), encoding="utf-8")
    print(section)
    print(f"({time.monotonic() - started:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
