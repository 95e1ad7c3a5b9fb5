"""The embedded default store: one SQLite row per Alexa user, attributes as JSON.

WAL mode lets readers and the writer work at once, a busy timeout (a share of the
turn's storage budget) rides out short locks, and each write is one autocommitted
statement, so requests for different users never hold a lock across a turn.

The adapter notices when the file under it changes:
- deleted or replaced (its device and inode differ from the one this connection opened):
  logged at ERROR and reopened; rows still readable through the old connection are
  copied into the new file for users it does not have yet, so a deleted database loses
  nothing that any live worker can still see;
- corrupt (not a database, or a malformed image): moved aside as `<name>.corrupt-<time>`
  and a fresh file started, logged at ERROR. It is never written over.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_model import RequestEnvelope

from skill.storage.keys import user_key

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
REV = "_rev"
CORRUPT = ("file is not a database", "database disk image is malformed")

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY,
    attributes TEXT NOT NULL,
    rev INTEGER NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
)
"""


def _identity(path: Path | str) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


class SqliteAdapter(AbstractPersistenceAdapter):
    """ASK SDK persistence adapter on the standard library's sqlite3."""

    def __init__(
        self, path: str | Path, busy_timeout_ms: int | None = None, budget_s: float = 1.0
    ) -> None:
        self.path = Path(path)
        self._path_text = os.fspath(self.path)  # stat on every statement: no Path conversion
        # a read, a write and a re-read can each wait this long inside the turn's budget
        self.busy_timeout_ms = busy_timeout_ms or max(50, int(budget_s * 1000 / 4))
        self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        """One connection per thread, opened lazily so a bad path fails a turn, not start-up;
        reopened when the file it opened is no longer the one at `path`."""
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            if _identity(self._path_text) == self._local.identity:
                return connection
            self._reopen_after_loss(connection)
        return self._open()

    def _open(self, retry: bool = True) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(
                self.path, timeout=self.busy_timeout_ms / 1000, isolation_level=None,
                check_same_thread=False,
            )  # fmt: skip
            identity = _identity(self.path)
            try:
                connection.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
                connection.execute("PRAGMA synchronous = NORMAL")
                self._set_up(connection)
            except BaseException:
                connection.close()
                raise
        except sqlite3.DatabaseError as error:
            corrupt = any(text in str(error) for text in CORRUPT)
            if corrupt and self._move_aside(identity, error) and retry:
                return self._open(retry=False)
            raise PersistenceException(f"cannot open {self.path}: {error}") from error
        except (OSError, sqlite3.Error) as error:
            raise PersistenceException(f"cannot open {self.path}: {error}") from error
        self._local.connection, self._local.identity = connection, identity
        return connection

    def _set_up(self, connection: sqlite3.Connection) -> None:
        """WAL mode and the schema (both no-ops once done)."""
        if connection.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            connection.execute("PRAGMA journal_mode = WAL")
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise PersistenceException(
                f"{self.path} has schema {version}, newer than this code ({SCHEMA_VERSION})"
            )
        if version < SCHEMA_VERSION:
            connection.execute(SCHEMA)
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _reopen_after_loss(self, old: sqlite3.Connection) -> None:
        """The file was deleted or replaced: copy what the old connection still sees into
        the file now at `path`, for users it lacks; the rest is logged at ERROR."""
        try:
            rows = old.execute("SELECT id, attributes, rev FROM users").fetchall()
        except sqlite3.Error:
            rows = []
        self.close()
        log.error(
            "storage file %s was deleted or replaced under this worker; reopening it "
            "(%d record(s) still readable from the old file)", self.path, len(rows),
        )  # fmt: skip
        new = self._open()
        copied = 0
        for row in rows:
            cursor = new.execute(
                "INSERT INTO users (id, attributes, rev) VALUES (?, ?, ?) "
                "ON CONFLICT(id) DO NOTHING",
                row,
            )
            copied += cursor.rowcount
        if rows:
            log.error(
                "storage file %s: %d record(s) copied from the old file, %d already present "
                "(their older state is not merged)", self.path, copied, len(rows) - copied,
            )  # fmt: skip

    def _move_aside(self, identity: tuple[int, int] | None, error: Exception) -> bool:
        """Keep a corrupt file for inspection and let the next open start a fresh one."""
        if identity is None or _identity(self.path) != identity:
            return identity is not None  # someone else already moved it (or replaced it)
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        try:
            os.replace(self.path, target)
            for suffix in ("-wal", "-shm"):
                side = self.path.with_name(self.path.name + suffix)
                if side.exists():
                    os.replace(side, target.with_name(target.name + suffix))
        except OSError as move_error:
            log.error("storage file %s is corrupt (%s), cannot move it: %r",
                      self.path, error, move_error)  # fmt: skip
            return False
        log.error(
            "storage file %s is corrupt (%s): moved to %s, starting a fresh one; records "
            "in it are lost unless recovered from that copy", self.path, error, target,
        )  # fmt: skip
        return True

    def _run(self, sql: str, params: tuple[Any, ...]) -> sqlite3.Cursor:
        connection = self._connection()
        try:
            return connection.execute(sql, params)
        except sqlite3.DatabaseError as error:
            identity = getattr(self._local, "identity", None)
            self.close()  # a fresh connection on the next request
            if any(text in str(error) for text in CORRUPT):
                self._move_aside(identity, error)
            raise PersistenceException(f"{self.path}: {error}") from error

    def close(self) -> None:
        connection = getattr(self._local, "connection", None)
        self._local.connection = None
        self._local.identity = None
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
        except ValueError:
            log.warning("stored progress is not JSON, treated as malformed")
            attributes = None
        if not isinstance(attributes, dict):
            attributes = {"_malformed": True}  # the validating loader drops it, keeps the rev
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
        self,
        request_envelope: RequestEnvelope,
        attributes: dict,
        expected_rev: int,
        new_rev: int | None = None,
    ) -> bool:
        """Write only if nobody saved since `expected_rev` was read; False when someone did."""
        key, body = user_key(request_envelope), _dump(attributes)
        rev = new_rev or expected_rev + 1
        if expected_rev == 0:
            cursor = self._run(
                "INSERT INTO users (id, attributes, rev) VALUES (?, ?, ?) "
                "ON CONFLICT(id) DO NOTHING",
                (key, body, rev),
            )
        else:
            cursor = self._run(
                "UPDATE users SET attributes = ?, rev = ?, "
                "updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ? AND rev = ?",
                (body, rev, key, expected_rev),
            )
        return cursor.rowcount == 1

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        self._run("DELETE FROM users WHERE id = ?", (user_key(request_envelope),))


def _dump(attributes: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in attributes.items() if k != REV}, sort_keys=True)
