"""The eligibility benchmark's pieces, small and fast: the CPU it reads from /proc, its tables
(ratios against the bare handler of the same phase, and against one worker), and its Markdown
section replacing only itself."""

from __future__ import annotations

import os

from bench import eligibility as bench


def test_cpu_of_a_process_tree_grows_with_work() -> None:
    before = bench._tree_cpu_s(os.getpid())
    sum(i * i for i in range(2_000_000))
    assert bench._tree_cpu_s(os.getpid()) > before


def _report() -> bench.Report:
    args = bench.parser().parse_args(["--rounds", "2"])
    hot = bench.Sequential("hot customer (one token repeated)", [0.4, 0.6], [100.0, 120.0])
    cold = bench.Sequential("cold customers", [1.5, 2.5], [900.0, 1100.0])
    loaded = [
        bench.Loaded(
            "bare aiohttp handler, same JSON bytes (baseline)", 1, [1000.0, 1000.0], [40.0, 40.0]
        ),
        bench.Loaded("hot customer", 1, [500.0, 500.0], [80.0, 80.0]),
        bench.Loaded(
            "bare aiohttp handler, same JSON bytes (baseline)", 1, [2000.0, 2000.0], [41.0, 41.0]
        ),
        bench.Loaded("hot customer", 2, [900.0, 900.0], [82.0, 82.0], errors=1),
    ]
    return bench.Report(20_000, 100, [hot, cold], loaded, args, ["A note."])


def test_the_tables() -> None:
    text = bench.render(_report())

    assert text.startswith("## Eligibility (PostgreSQL 20,000 customers, 100 active segments")
    assert "| hot customer (one token repeated) | 0.50 | 110 |" in text
    assert "| cold customers | 2.00 | 1,000 |" in text
    # Each worker phase against its own bare handler (requests/s, then CPU per request); 2
    # workers against 1.
    assert "| - | bare aiohttp handler, same JSON bytes (baseline) | 1,000 | 1.00 | 1.00 |" in text
    assert "| 1 | hot customer | 500 | 0.50 | 0.50 | 1.00 | 80 | 0 |" in text
    assert "| 2 | hot customer | 900 | 0.45 | 0.50 | 1.80 | 82 | 1 |" in text
    assert text.rstrip().endswith("A note.")


def test_the_section_replaces_only_itself() -> None:
    document = "# Benchmarks\n\n## Pricing\n\nold pricing\n\n## Eligibility (old)\n\nold\n"
    section = bench.render(_report())

    replaced = bench.replace_section(document, section)

    assert "old pricing" in replaced
    assert "## Eligibility (old)" not in replaced
    assert replaced.count("## Eligibility") == 1
    assert bench.keep_section(replaced, "# Benchmarks\n").count("## Eligibility") == 1
