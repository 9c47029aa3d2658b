"""The throwaway database (SQLite or PostgreSQL), the Redis database a run owns, and the
environment the server and the Django subprocesses share."""

from __future__ import annotations

import os
import urllib.parse
from pathlib import Path

from loadtest.base import HOST, OUT, ROOT


class Database:
    """The throwaway database: an SQLite file in var/loadtest/, or a PostgreSQL database."""

    def __init__(self, url: str | None) -> None:
        self.postgres = url is not None
        if url is None:
            self.path = OUT / "loadtest.sqlite3"
            self.url = f"sqlite:///{self.path}"
            self.name = str(self.path.relative_to(ROOT))
            return
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("postgres", "postgresql"):
            raise SystemExit(f"loadtest: --database-url must be postgres://…, not {parts.scheme}")
        self.name = parts.path.lstrip("/")
        if "loadtest" not in self.name:
            raise SystemExit(
                f"loadtest: the database {self.name!r} would be dropped; name one with "
                "'loadtest' in it (e.g. party_stats_loadtest)"
            )
        self.url = url
        self.admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))

    def describe(self) -> str:
        """What and where, for the summary."""
        return f"PostgreSQL ({self.name})" if self.postgres else f"SQLite ({self.name}, WAL)"

    def _sqlite_files(self) -> list[Path]:
        return [self.path.with_name(self.path.name + suffix) for suffix in ("", "-wal", "-shm")]

    def _execute(self, statement: str) -> None:
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(sql.SQL(statement).format(sql.Identifier(self.name)))

    def create(self) -> None:
        """Drop any leftover and create it empty."""
        if self.postgres:
            self._execute("DROP DATABASE IF EXISTS {} WITH (FORCE)")
            self._execute("CREATE DATABASE {}")
        else:
            for path in self._sqlite_files():
                path.unlink(missing_ok=True)

    def drop(self) -> None:
        """Remove it."""
        if self.postgres:
            self._execute("DROP DATABASE IF EXISTS {} WITH (FORCE)")
        else:
            for path in self._sqlite_files():
                path.unlink(missing_ok=True)


def flush_redis(url: str) -> None:
    """Empty the Redis database this run owns; refuse one holding keys of anything but this
    app's caches (``party-stats…``)."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        foreign = [
            key for key in client.scan_iter(count=1000) if not key.startswith(b"party-stats")
        ]
        if foreign:
            raise SystemExit(
                f"loadtest: {url} holds other keys ({foreign[0]!r} …); name an empty database"
            )
        client.flushdb()
    finally:
        client.close()


def server_env(database_url: str, redis_url: str | None, secret_key: str) -> dict[str, str]:
    """The environment of the server and of the Django subprocesses: production settings on
    loopback, nothing inherited that would change them."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "API_", "REDIS_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secret_key,
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_SSL_REDIRECT="0",
        DJANGO_LOG_FORMAT="json",
        API_ANON_RATE="off",  # one client address makes every request
        PYTHONPATH=str(ROOT),
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env
