"""Settings, read from MAGESEG_* environment variables; the CLI overrides them with flags."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

# The project's own `var/`, found from this package, so the default database is the same file
# whatever the current directory (a relative path made a second, empty database per folder).
VAR_DIR = Path(__file__).resolve().parent.parent / "var"
DEFAULT_DATABASE_URL = f"sqlite://{VAR_DIR / 'mageseg.sqlite3'}"


def sqlite_path(database_url: str) -> Path | None:
    """The absolute file of a `sqlite://PATH` URL (a relative PATH is read from the current
    directory, as SQLite does), or None for another database."""
    if not database_url.startswith("sqlite://"):
        return None
    if ":memory:" in database_url:
        return Path(":memory:")
    return Path(database_url.removeprefix("sqlite://").partition("?")[0]).resolve()


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """Everything the process needs to start. Each field is `MAGESEG_<FIELD NAME IN CAPITALS>`."""

    database_url: str = DEFAULT_DATABASE_URL
    # Files kept beside the default database: the demo admin token (readable by its owner only).
    var_dir: str = str(VAR_DIR)
    redis_url: str | None = None
    # Key prefix in the cache: processes sharing a Redis and its entries use the same one.
    cache_namespace: str = "mageseg"
    # The salt of `X-Magento-Cache-Id` (Magento's `cache/graphql/id_salt`): a secret shared by
    # every process of the deployment. Unset, one is generated once and kept in the database.
    cache_id_salt: str | None = None
    host: str = "127.0.0.1"
    port: int = 8080
    log_level: str = "INFO"
    # Unmasked exception messages in GraphQL errors; never in production.
    debug: bool = False
    graphiql: bool = True
    # Where `make` puts GraphiQL's pinned scripts (`mageseg/graphiql.py`); served at /graphiql/.
    graphiql_assets_path: str = "var/graphiql"
    max_query_depth: int = 12
    max_query_tokens: int = 2000
    max_query_aliases: int = 30
    # Magento's oauth/access_token_lifetime/customer default is one hour.
    customer_token_lifetime_hours: float = 1.0
    # argon2id cost; the defaults are argon2-cffi's RFC 9106 "low memory" profile.
    password_time_cost: int = 3
    password_memory_kib: int = 65536
    seed_on_empty: bool = True
    # Segment refreshes queued by mutations run in the server process; set false when only
    # `mageseg worker` processes should run them (PostgreSQL). The poll is the fallback wake-up.
    refresh_in_process: bool = True
    refresh_poll_seconds: float = 30.0
    # Time-driven re-evaluation (relative dates) at each website's local midnight runs in the
    # server process; set false when only `mageseg worker` processes should run it. The runner
    # also wakes every poll, so a missed midnight (process down, clock jump) is caught up.
    time_in_process: bool = True
    time_poll_seconds: float = 300.0
    # Webhook deliveries (mageseg/webhooks.py) run in the server process too; set false when only
    # `mageseg worker` processes should send them. Retry n waits backoff * 2**(n-1) seconds (at
    # most backoff_max, plus up to 20% jitter); after max_attempts a delivery is failed.
    webhooks_in_process: bool = True
    webhook_poll_seconds: float = 5.0
    webhook_timeout_seconds: float = 10.0
    webhook_lease_seconds: float = 60.0
    webhook_max_attempts: int = 8
    webhook_backoff_seconds: float = 10.0
    webhook_backoff_max_seconds: float = 3600.0
    # Subscriptions wake on NOTIFY (PostgreSQL) or in-process announcements, else on this poll.
    feed_poll_seconds: float = 1.0
    # Product media: files live under `media_path` (Magento's pub/media) and clients fetch them
    # from `media_url`: mageseg serves the folder at /media/ itself, or set a CDN's URL
    # (https://cdn.example.com/media/) and let the CDN pull from it. Uploads larger than
    # `media_max_upload_bytes` are refused.
    media_path: str = "var/media"
    media_url: str = "/media/"
    media_max_upload_bytes: int = 2 * 1024 * 1024
    # E-mails (engine/mail): empty writes each message as an .eml file in `var_dir`/mail;
    # folder://PATH another folder, smtp://[user:password@]host:port an SMTP server (STARTTLS
    # when offered; ?starttls=require or off), smtps://host:port SMTP over TLS.
    mail_url: str = ""
    mail_timeout_seconds: float = 10.0

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for field in fields(cls):
            raw = env.get(f"MAGESEG_{field.name.upper()}")
            if raw is None or raw == "":
                continue
            kind = field.type
            if kind == "bool":
                values[field.name] = _bool(raw)
            elif kind == "int":
                values[field.name] = int(raw)
            elif kind == "float":
                values[field.name] = float(raw)
            else:
                values[field.name] = raw
        settings = cls(**values)
        return replace(settings, **{k: v for k, v in overrides.items() if v is not None})
