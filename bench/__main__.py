"""Run every benchmark once and write BENCHMARKS.md: `python -m bench [--seed-size N] ...`.

`python -m bench segments [...]` runs the segment refresh benchmark instead (large populations,
seeded once and reused; see bench/segments.py) and replaces only its section of BENCHMARKS.md;
the full run keeps that section as it is. `python -m bench live [...]` likewise runs the
live-membership benchmark (see bench/live.py) and replaces only its own section, and
`python -m bench pricing [...]` the pricing benchmark (see bench/pricing.py), and
`python -m bench import [...]` the customer import benchmark (see bench/customer_import.py), and
`python -m bench eligibility [...]` the eligibility benchmark of issue 18 (bench/eligibility.py).

PostgreSQL is measured too when MAGESEG_BENCH_DATABASE_URL names a server database to connect
to (as postgres://user@host:port/db); the benchmark creates and drops its own databases there."""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bench.customer_import import keep_section as keep_import_section
from bench.databases import PostgresDatabases, SqliteDatabases
from bench.eligibility import keep_section as keep_eligibility_section
from bench.latency import LatencyResult, measure_latency
from bench.live import keep_section as keep_live_section
from bench.pricing import keep_section as keep_pricing_section
from bench.seeding import SeedResult, measure_seed
from bench.segments import keep_section
from bench.targetrule import keep_section as keep_targetrule_section

OUTPUT = Path(__file__).resolve().parent.parent / "BENCHMARKS.md"


def _machine() -> str:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{cpus} CPUs (nproc), {platform.system()} {platform.machine()}"


def _python() -> str:
    return f"{platform.python_implementation()} {platform.python_version()}"


def _rounds(count: int) -> str:
    return f"{count} round" if count == 1 else f"{count} rounds"


def render(
    seed: list[SeedResult],
    latency: list[LatencyResult],
    *,
    seed_size: int,
    seed_rounds: int,
    latency_rounds: int,
    requests: int,
) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Benchmarks",
        "",
        "Written by `python -m bench` (`make bench`); run it again to refresh this file. Each",
        "figure is a median over rounds on one noisy machine, next to a baseline measured in the",
        "same run: compare the ratios, not absolute numbers from another machine.",
        "",
        "| date | machine | python |",
        "|---|---|---|",
        f"| {when} | {_machine()} | {_python()} |",
        "",
        f"## Seed insert throughput ({seed_size:,} customers, {_rounds(seed_rounds)})",
        "",
        "Seed: `seeds.loader.load` end to end (row generation included, every table: customers,",
        "addresses, custom attribute values, subscriptions, store credit, carts, wish lists,",
        "product views, orders with items, addresses and payments; the demo catalog is created",
        "first); `executemany` through tortoise's connection on SQLite, asyncpg COPY on",
        "PostgreSQL. Baseline: a raw `executemany` of the same `customer_entity` rows, generated",
        "beforehand (sqlite3 / asyncpg), in the same batches.",
        "",
        "| backend | rows per load | seed rows/s | baseline rows/s | seed / baseline |",
        "|---|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r.backend} | {r.rows:,} | {r.seed_rows_per_s:,.0f} | {r.baseline_rows_per_s:,.0f} "
        f"| {r.ratio:.2f} |"
        for r in seed
    ]
    lines += [
        "",
        f"## Order seeding throughput (same loads: {seed_size:,} customers, "
        f"{_rounds(seed_rounds)})",
        "",
        "Seed: orders written by the loads above per second of the whole load (so the customers,",
        "order items, addresses, payments and everything else are paid for too). Baseline: a raw",
        "`executemany` of the same `sales_order` rows alone, generated beforehand, in the same",
        "batches, into a database holding their customers.",
        "",
        "| backend | orders per load | seed orders/s | baseline orders/s | seed / baseline |",
        "|---|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r.backend} | {r.orders:,} | {r.seed_orders_per_s:,.0f} "
        f"| {r.baseline_orders_per_s:,.0f} | {r.orders_ratio:.2f} |"
        for r in seed
    ]
    lines += [
        "",
        f"## GraphQL latency ({_rounds(latency_rounds)} x {requests} requests per case)",
        "",
        "One client, one request at a time over a kept-alive loopback connection, against the",
        "real app (`mageseg.app.create_app`, default settings, demo seed loaded) and a bare",
        "aiohttp handler answering the same JSON, each in its own process. The median is the",
        "median of the per-round medians; p95 is over every sample.",
        "",
        "| database | request | median ms | p95 ms | median / baseline |",
        "|---|---|---:|---:|---:|",
    ]
    lines += [
        f"| {r.backend} | {r.label} | {r.median_ms:.2f} | {r.p95_ms:.2f} | {r.ratio:.1f} |"
        for r in latency
    ]
    return "\n".join(lines) + "\n"


async def run(args: argparse.Namespace) -> str:
    seed: list[SeedResult] = []
    latency: list[LatencyResult] = []
    with tempfile.TemporaryDirectory(prefix="mageseg-bench-") as folder:
        sqlite = SqliteDatabases(Path(folder))
        await sqlite.prepare()
        print(f"Seeding {args.seed_size:,} customers on SQLite...", file=sys.stderr)
        seed.append(await measure_seed(sqlite, args.seed_size, args.seed_rounds))
        pg_url = os.environ.get("MAGESEG_BENCH_DATABASE_URL")
        postgres = PostgresDatabases(pg_url) if pg_url else None
        if postgres:
            await postgres.prepare()
        try:
            if postgres:
                print(f"Seeding {args.seed_size:,} customers on PostgreSQL...", file=sys.stderr)
                seed.append(await measure_seed(postgres, args.seed_size, args.seed_rounds))
            print("Measuring GraphQL latency on SQLite...", file=sys.stderr)
            async with sqlite.fresh() as url:
                latency += await measure_latency(url, "SQLite", args.rounds, args.requests)
            if postgres:
                print("Measuring GraphQL latency on PostgreSQL...", file=sys.stderr)
                async with postgres.fresh() as url:
                    latency += await measure_latency(url, "PostgreSQL", args.rounds, args.requests)
        finally:
            if postgres:
                await postgres.close()
    return render(
        seed,
        latency,
        seed_size=args.seed_size,
        seed_rounds=args.seed_rounds,
        latency_rounds=args.rounds,
        requests=args.requests,
    )


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    if arguments[:1] == ["segments"]:
        from bench import segments

        return segments.main(arguments[1:])
    if arguments[:1] == ["live"]:
        from bench import live

        return live.main(arguments[1:])
    if arguments[:1] == ["pricing"]:
        from bench import pricing

        return pricing.main(arguments[1:])
    if arguments[:1] == ["targetrule"]:
        from bench import targetrule

        return targetrule.main(arguments[1:])
    if arguments[:1] == ["eligibility"]:
        from bench import eligibility

        return eligibility.main(arguments[1:])
    if arguments[:1] == ["import"]:
        from bench import customer_import

        return customer_import.main(arguments[1:])
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--seed-size", type=int, default=20_000, help="customers per seed load")
    parser.add_argument("--seed-rounds", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=7, help="latency rounds")
    parser.add_argument("--requests", type=int, default=200, help="requests per case and round")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="the Markdown file to write")
    args = parser.parse_args(arguments)
    report = asyncio.run(run(args))
    old = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
    report = keep_section(old, report)
    report = keep_live_section(old, report)
    report = keep_pricing_section(old, report)
    report = keep_import_section(old, report)
    report = keep_targetrule_section(old, report)
    report = keep_eligibility_section(old, report)
    args.output.write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
