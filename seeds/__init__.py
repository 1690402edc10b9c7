"""Deterministic generated data: the demo shop `make run` loads, and benchmark-sized populations."""
