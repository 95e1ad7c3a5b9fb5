"""The embedded default store: one SQLite row per Alexa user, attributes as JSON.

WAL mode lets readers and the writer work at once, a busy timeout rides out short
locks, and each write is one autocommitted statement, so requests for different users
never hold a lock across a turn.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_model import RequestEnvelope

from skill.storage.keys import user_key

SCHEMA_VERSION = 1
REV = "_rev"

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY,
    attributes TEXT NOT NULL,
    rev INTEGER NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
)
"""


class SqliteAdapter(AbstractPersistenceAdapter):
    """ASK SDK persistence adapter on the standard library's sqlite3."""

    def __init__(self, path: str | Path, busy_timeout_ms: int = 2000) -> None:
        self.path = Path(path)
        self.busy_timeout_ms = busy_timeout_ms
        self._local = threading.local()
        self._setup_lock = threading.Lock()
        self._ready = False

    def _connection(self) -> sqlite3.Connection:
        """One connection per thread, opened lazily so a bad path fails a turn, not start-up."""
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            return connection
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(
                self.path, timeout=self.busy_timeout_ms / 1000, isolation_level=None,
                check_same_thread=False,
            )  # fmt: skip
            connection.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
            connection.execute("PRAGMA synchronous = NORMAL")
            with self._setup_lock:
                if not self._ready:
                    self._set_up(connection)
                    self._ready = True
        except (OSError, sqlite3.Error) as error:
            raise PersistenceException(f"cannot open {self.path}: {error}") from error
        self._local.connection = connection
        return connection

    def _set_up(self, connection: sqlite3.Connection) -> None:
        """WAL mode and the schema, once per process (switching to WAL takes a lock of its own)."""
        connection.execute("PRAGMA journal_mode = WAL")
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise PersistenceException(
                f"{self.path} has schema {version}, newer than this code ({SCHEMA_VERSION})"
            )
        connection.execute(SCHEMA)
        if version < SCHEMA_VERSION:
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _run(self, sql: str, params: tuple[Any, ...]) -> sqlite3.Cursor:
        try:
            return self._connection().execute(sql, params)
        except sqlite3.Error as error:
            self.close()  # a fresh connection on the next request
            raise PersistenceException(f"{self.path}: {error}") from error

    def close(self) -> None:
        connection = getattr(self._local, "connection", None)
        self._local.connection = None
        if connection is not None:
            connection.close()

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict[str, Any]:
        row = self._run(
            "SELECT attributes, rev FROM users WHERE id = ?", (user_key(request_envelope),)
        ).fetchone()
        if row is None:
            return {}
        try:
            attributes = json.loads(row[0])
        except ValueError as error:
            raise PersistenceException(f"unreadable attributes in {self.path}") from error
        attributes[REV] = row[1]
        return attributes

    def save_attributes(self, request_envelope: RequestEnvelope, attributes: dict) -> None:
        """Unconditional write, as the SDK interface defines it."""
        rev = int(attributes.get(REV, 0)) + 1
        self._run(
            "INSERT INTO users (id, attributes, rev) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE "
            "SET attributes = excluded.attributes, rev = users.rev + 1, "
            "updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
            (user_key(request_envelope), _dump(attributes), rev),
        )

    def save_if_unchanged(
        self, request_envelope: RequestEnvelope, attributes: dict, expected_rev: int
    ) -> bool:
        """Write only if nobody saved since `expected_rev` was read; False when someone did."""
        key, body = user_key(request_envelope), _dump(attributes)
        if expected_rev == 0:
            cursor = self._run(
                "INSERT INTO users (id, attributes, rev) VALUES (?, ?, 1) "
                "ON CONFLICT(id) DO NOTHING",
                (key, body),
            )
        else:
            cursor = self._run(
                "UPDATE users SET attributes = ?, rev = rev + 1, "
                "updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ? AND rev = ?",
                (body, key, expected_rev),
            )
        return cursor.rowcount == 1

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        self._run("DELETE FROM users WHERE id = ?", (user_key(request_envelope),))


def _dump(attributes: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in attributes.items() if k != REV}, sort_keys=True)
