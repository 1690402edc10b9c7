"""Customer import throughput: `mageseg import customers` of a Magento "Customers and Addresses"
export (generated: N customers, each with an address on its row and every other one a second
address row) into a fresh database, run as a user runs it (its own process), beside the
raw-insert baseline of `bench.seeding` (a plain `executemany` of the same customer and address
rows, built beforehand, in the same batches).

Memory: the importer streams, so its peak RSS (the child process's, from `wait4`) should not
grow with the file; it is measured at N and at N / 10.

`python -m bench import [--customers N] [--rounds R]` replaces only its section of
BENCHMARKS.md. PostgreSQL is measured too when MAGESEG_BENCH_DATABASE_URL names a server
database (see bench/__main__.py)."""

from __future__ import annotations

import argparse
import asyncio
import csv
import hashlib
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg

from bench.databases import PostgresDatabases, SqliteDatabases, asyncpg_dsn
from bench.seeding import Databases
from bench.stats import median

SECTION = "## Customer import"
OUTPUT = Path(__file__).resolve().parent.parent / "BENCHMARKS.md"
BATCH_SIZE = 500  # the command's default, and the baseline's batches

HEADER = [
    "email",
    "_website",
    "_store",
    "confirmation",
    "created_at",
    "created_in",
    "disable_auto_group_change",
    "dob",
    "firstname",
    "gender",
    "group_id",
    "lastname",
    "middlename",
    "password_hash",
    "prefix",
    "rp_token",
    "rp_token_created_at",
    "store_id",
    "suffix",
    "taxvat",
    "website_id",
    "password",
    "_address_city",
    "_address_company",
    "_address_country_id",
    "_address_fax",
    "_address_firstname",
    "_address_lastname",
    "_address_middlename",
    "_address_postcode",
    "_address_prefix",
    "_address_region",
    "_address_street",
    "_address_suffix",
    "_address_telephone",
    "_address_vat_id",
    "_address_default_billing_",
    "_address_default_shipping_",
]
CITIES = (("Austin", "Texas", "78701"), ("Reno", "Nevada", "89501"), ("Salem", "Oregon", "97301"))
START = datetime(2015, 1, 1, tzinfo=UTC)
# A Magento SHA-256 hash (`hash:salt:1`): the import stores it as it is, as for a real export.
SALT = "Xj3pQ9sLm2Vb7Nc4Kf8Hd1Rt6Yw0Za5E"
PASSWORD_HASH = f"{hashlib.sha256((SALT + 'secret').encode()).hexdigest()}:{SALT}:1"


@dataclass(frozen=True)
class Customer:
    email: str
    created_at: datetime
    firstname: str
    lastname: str
    gender: int
    addresses: tuple[tuple[str, str, str, str], ...]  # city, region, postcode, street


def customers(count: int) -> Iterator[Customer]:
    for i in range(count):
        first = CITIES[i % 3]
        places = [(*first, f"{i} Main St")]
        if i % 2:
            places.append((*CITIES[(i + 1) % 3], f"{i} Oak Ave"))
        yield Customer(
            email=f"customer{i}@example.com",
            created_at=START + timedelta(minutes=7 * i),
            firstname=f"First{i % 997}",
            lastname=f"Last{i % 1009}",
            gender=1 + i % 2,
            addresses=tuple(places),
        )


def write_file(path: Path, count: int) -> int:
    """The composite export of `count` customers; returns the rows it stands for (customers and
    addresses)."""
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for c in customers(count):
            gender = "Male" if c.gender == 1 else "Female"
            for n, (city, region, postcode, street) in enumerate(c.addresses):
                cells = dict.fromkeys(HEADER, "")
                if n == 0:
                    cells.update(
                        email=c.email,
                        _website="base",
                        _store="default",
                        created_at=c.created_at.strftime("%Y-%m-%d %H:%M:%S"),
                        created_in="Default Store View",
                        firstname=c.firstname,
                        lastname=c.lastname,
                        gender=gender,
                        group_id="1",
                        password_hash=PASSWORD_HASH,
                        website_id="1",
                        _address_default_billing_="1",
                        _address_default_shipping_="1",
                    )
                cells.update(
                    _address_city=city,
                    _address_country_id="US",
                    _address_firstname=c.firstname,
                    _address_lastname=c.lastname,
                    _address_postcode=postcode,
                    _address_region=region,
                    _address_street=street,
                    _address_telephone="555-0100",
                )
                writer.writerow([cells[h] for h in HEADER])
                rows += 1
            rows += 1
    return rows


# --- the import, run as a user runs it -------------------------------------------------------


def run_import(url: str, file: Path) -> tuple[float, int, str]:
    """Seconds, peak RSS in KiB of the importing process, and its summary line."""
    command = [sys.executable, "-m", "mageseg.cli", "import", "customers", str(file)]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen([*command, "--database-url", url], stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            raise RuntimeError(f"import failed ({process.returncode}): {err.read()[-2000:]}")
        return elapsed, int(usage.ru_maxrss), out.read().strip()


# --- the baseline -----------------------------------------------------------------------------

CUSTOMER_COLUMNS = (
    "entity_id",
    "website_id",
    "store_id",
    "email",
    "group_id",
    "created_at",
    "updated_at",
    "is_active",
    "created_in",
    "firstname",
    "lastname",
    "password_hash",
    "gender",
)
ADDRESS_COLUMNS = (
    "parent_id",
    "created_at",
    "updated_at",
    "is_active",
    "city",
    "country_id",
    "firstname",
    "lastname",
    "postcode",
    "region",
    "street",
    "telephone",
)


def baseline_rows(count: int) -> list[tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
    """The same customers and addresses as plain rows, batch by batch, with the ids the
    baseline gives them."""
    now = datetime.now(UTC)
    batches: list[tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]] = [([], [])]
    for entity_id, c in enumerate(customers(count), start=1):
        rows, addresses = batches[-1]
        if len(rows) >= BATCH_SIZE:
            batches.append(([], []))
            rows, addresses = batches[-1]
        rows.append(
            (
                *(entity_id, 1, 1, c.email, 1, c.created_at, now, True, "Default Store View"),
                *(c.firstname, c.lastname, PASSWORD_HASH, c.gender),
            )
        )
        for city, region, postcode, street in c.addresses:
            addresses.append(
                (
                    *(entity_id, now, now, True, city, "US", c.firstname, c.lastname),
                    *(postcode, region, street, "555-0100"),
                )
            )
    return batches


def _sql(table: str, columns: Sequence[str], mark: str) -> str:
    marks = ", ".join(mark.format(i) for i in range(1, len(columns) + 1))
    return f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({marks})'


def _sqlite_value(value: Any) -> Any:
    return value.isoformat(sep=" ") if isinstance(value, datetime) else value


async def run_baseline(url: str, count: int) -> float:
    """Seconds to insert the rows, one transaction per batch."""
    batches = baseline_rows(count)
    if url.startswith("sqlite://"):
        converted = [
            (
                [tuple(_sqlite_value(v) for v in r) for r in rows],
                [tuple(_sqlite_value(v) for v in r) for r in addresses],
            )
            for rows, addresses in batches
        ]
        connection = sqlite3.connect(url.removeprefix("sqlite://"))
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA foreign_keys=ON")
            started = time.perf_counter()
            for rows, addresses in converted:
                with connection:
                    connection.executemany(_sql("customer_entity", CUSTOMER_COLUMNS, "?"), rows)
                    connection.executemany(
                        _sql("customer_address_entity", ADDRESS_COLUMNS, "?"), addresses
                    )
            return time.perf_counter() - started
        finally:
            connection.close()
    pg = await asyncpg.connect(asyncpg_dsn(url))
    try:
        started = time.perf_counter()
        for rows, addresses in batches:
            async with pg.transaction():
                await pg.executemany(_sql("customer_entity", CUSTOMER_COLUMNS, "${}"), rows)
                await pg.executemany(
                    _sql("customer_address_entity", ADDRESS_COLUMNS, "${}"), addresses
                )
        return time.perf_counter() - started
    finally:
        await pg.close()


# --- measuring --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    backend: str
    customers: int
    rows: int
    rounds: int
    import_rows_per_s: float
    baseline_rows_per_s: float
    small_customers: int
    small_rss_mib: float
    rss_mib: float
    summary: str

    @property
    def ratio(self) -> float:
        return self.import_rows_per_s / self.baseline_rows_per_s


async def measure(databases: Databases, count: int, rounds: int, folder: Path) -> ImportResult:
    file = folder / f"customers-{count}.csv"
    rows = write_file(file, count)
    small_count = max(1, count // 10)
    small = folder / f"customers-{small_count}.csv"
    write_file(small, small_count)
    import_rates: list[float] = []
    baseline_rates: list[float] = []
    peaks: list[int] = []
    summary = ""
    for _ in range(rounds):
        async with databases.fresh() as url:
            elapsed, peak, summary = await asyncio.to_thread(run_import, url, file)
        import_rates.append(rows / elapsed)
        peaks.append(peak)
        async with databases.fresh() as url:
            baseline_rates.append(rows / await run_baseline(url, count))
    async with databases.fresh() as url:
        _, small_peak, _ = await asyncio.to_thread(run_import, url, small)
    return ImportResult(
        backend=databases.name,
        customers=count,
        rows=rows,
        rounds=rounds,
        import_rows_per_s=median(import_rates),
        baseline_rows_per_s=median(baseline_rates),
        small_customers=small_count,
        small_rss_mib=small_peak / 1024,
        rss_mib=max(peaks) / 1024,
        summary=summary,
    )


def render(results: Sequence[ImportResult]) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    sizes = ", ".join(f"{r.backend} {r.customers:,} customers" for r in results)
    rounds = results[0].rounds if results else 0
    how = "1 round" if rounds == 1 else f"median of {rounds} rounds"
    lines = [
        f"{SECTION} ({sizes}; {how}; {when})",
        "",
        "`python -m bench import` (see `bench/customer_import.py`). `mageseg import customers`",
        "of a generated Magento Customers and Addresses export (each customer with an address",
        "on its row, every other one with a second address row; a Magento SHA-256",
        "`password_hash`), run as its own process into a fresh migrated database, 500 customers",
        "per transaction, no segments defined. Rows = customers + addresses; the import's time",
        "is the whole command (start-up, migration check, CSV parsing, checks, lookups, writes,",
        "membership events). Baseline: a raw `executemany` of the same `customer_entity` and",
        "`customer_address_entity` rows built beforehand, in the same batches (sqlite3 /",
        "asyncpg). Peak RSS is the importing process's (`wait4`), at N and at N / 10.",
        "",
        "| backend | customers | rows | import rows/s | baseline rows/s | import / baseline "
        "| peak RSS at N / 10 | peak RSS at N |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r.backend} | {r.customers:,} | {r.rows:,} | {r.import_rows_per_s:,.0f} "
        f"| {r.baseline_rows_per_s:,.0f} | {r.ratio:.2f} "
        f"| {r.small_rss_mib:.0f} MiB ({r.small_customers:,}) | {r.rss_mib:.0f} MiB |"
        for r in results
    ]
    lines += [
        "",
        "The import's own summary at N: "
        + "; ".join(f"{r.backend}: `{r.summary}`" for r in results),
    ]
    return "\n".join(lines) + "\n"


def replace_section(document: str, section: str) -> str:
    """`document` with its customer import section replaced by `section` (appended if absent)."""
    pattern = re.compile(rf"^{re.escape(SECTION)}.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(document):
        return pattern.sub(lambda _: section + "\n", document, count=1).rstrip("\n") + "\n"
    return document.rstrip("\n") + "\n\n" + section


def keep_section(old: str, new: str) -> str:
    """For `python -m bench`, which rewrites BENCHMARKS.md: carry this section over."""
    match = re.search(rf"^{re.escape(SECTION)}.*?(?=^## |\Z)", old, re.S | re.M)
    if not match or SECTION in new:
        return new
    return new.rstrip("\n") + "\n\n" + match.group(0).rstrip("\n") + "\n"


async def run(args: argparse.Namespace) -> list[ImportResult]:
    results: list[ImportResult] = []
    with tempfile.TemporaryDirectory(prefix="mageseg-bench-import-") as name:
        folder = Path(name)
        sqlite = SqliteDatabases(folder)
        await sqlite.prepare()
        print(f"Importing {args.customers:,} customers on SQLite...", file=sys.stderr)
        results.append(await measure(sqlite, args.customers, args.rounds, folder))
        pg_url = os.environ.get("MAGESEG_BENCH_DATABASE_URL")
        if pg_url:
            postgres = PostgresDatabases(pg_url)
            await postgres.prepare()
            try:
                print(f"Importing {args.customers:,} customers on PostgreSQL...", file=sys.stderr)
                results.append(await measure(postgres, args.customers, args.rounds, folder))
            finally:
                await postgres.close()
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench import", description=__doc__)
    parser.add_argument("--customers", type=int, default=50_000, help="customers in the file")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--output", type=Path, default=OUTPUT, help="the Markdown file to write")
    args = parser.parse_args(argv)
    section = render(asyncio.run(run(args)))
    old = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
    args.output.write_text(replace_section(old, section), encoding="utf-8")
    print(section)
    return 0
