"""Outbound webhooks of segment membership changes: admin management (`admin`), the signature
(`signing`) and the outbox deliverers claim from (`outbox`). The HTTP client lives in the wiring
(`mageseg/webhooks.py`); nothing here does network I/O."""
