"""`python -m bench` (`make bench`): seed insert throughput and GraphQL latency, each measured
against a baseline in the same run, written to BENCHMARKS.md."""
