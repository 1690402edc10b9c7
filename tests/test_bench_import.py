"""The customer import benchmark's pieces, small: its generated Magento export imports into the
same rows its raw-insert baseline writes, the command runs on it as the benchmark runs it (one
process start, about 2 s: it is what the benchmark times), and its Markdown section replaces
only itself in BENCHMARKS.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench import customer_import as bench
from engine.customer_import import import_customers
from engine.passwords import PasswordHasher
from engine.stores import load_snapshot
from models import CustomerAddressEntity, CustomerEntity


async def test_the_generated_export_imports_the_baseline_rows(db: Any, tmp_path: Path) -> None:
    file = tmp_path / "customers.csv"
    rows = bench.write_file(file, 7)
    with file.open(encoding="utf-8") as lines:
        summary = await import_customers(
            lines,
            await load_snapshot(),
            PasswordHasher(1, 1024),
            on_error=lambda n, r: None,
            on_warning=lambda m: None,
            batch_size=3,
        )
    batches = bench.baseline_rows(7)
    customers = [row for batch, _ in batches for row in batch]
    addresses = [row for _, batch in batches for row in batch]
    assert (rows, len(customers), len(addresses)) == (17, 7, 10)
    assert str(summary) == "Imported 10, skipped 0, failed 0."  # 7 customer + 3 address lines
    assert await CustomerEntity.all().order_by("entity_id").values_list("email", flat=True) == [
        row[3] for row in customers
    ]
    assert await CustomerAddressEntity.all().count() == len(addresses)


async def test_the_command_as_the_benchmark_runs_it(database_url: str, tmp_path: Path) -> None:
    if not database_url.startswith("sqlite://"):
        return  # the benchmark's own run covers PostgreSQL; one backend checks the harness
    file = tmp_path / "customers.csv"
    bench.write_file(file, 3)
    elapsed, peak_kib, summary = bench.run_import(database_url, file)
    assert summary == "Imported 4, skipped 0, failed 0."
    assert elapsed > 0
    assert peak_kib > 10_000


def test_the_section_replaces_only_itself() -> None:
    document = "# Benchmarks\n\n## Seed\n\nrows\n\n## GraphQL latency\n\nms\n"
    result = bench.ImportResult("SQLite", 10, 25, 1, 100.0, 200.0, 1, 50.0, 51.0, "Imported 15")
    section = bench.render([result])
    first = bench.replace_section(document, section)
    assert first == document + "\n" + section
    assert "| SQLite | 10 | 25 | 100 | 200 | 0.50 | 50 MiB (1) | 51 MiB |" in section
    assert bench.replace_section(first, section) == first
    assert bench.keep_section(first, document) == first
