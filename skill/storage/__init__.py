"""Choosing where user progress is kept, from one setting.

ANKLE_COACH_STORAGE names the backend and its location:
  sqlite:<path>      embedded SQLite file (the default: <ANKLE_COACH_DATA_DIR>/ankle-coach.sqlite3)
  dynamodb:<table>   an existing DynamoDB table (region from ANKLE_COACH_DYNAMODB_REGION,
                     AWS_REGION or AWS_DEFAULT_REGION; ANKLE_COACH_DYNAMODB_ENDPOINT for a
                     local server)
  none               nothing is kept beyond the session

ANKLE_COACH_STORAGE_BUDGET_MS bounds each turn's storage work (SQLite's busy timeout,
DynamoDB's timeouts and retries, the compare-and-set loop); ANKLE_COACH_OUTBOX says where
operations go that could not be stored before their session ended.
"""

from __future__ import annotations

import sys

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter

from skill.config import Settings
from skill.storage.outbox import Outbox


class StorageConfigError(ValueError):
    """ANKLE_COACH_STORAGE names something this code cannot use."""


def outbox_for(adapter: AbstractPersistenceAdapter | None, settings: Settings) -> Outbox:
    """ANKLE_COACH_OUTBOX if set; else a JSON-lines file beside a SQLite database; else
    (DynamoDB on Lambda, whose disk does not last) ERROR log lines only."""
    if settings.outbox:
        return Outbox(None if settings.outbox.lower() == "log" else settings.outbox)
    # sqlite3 is imported only where SQLite is used (not on Lambda, nor with storage off):
    # an adapter of ours exists only once its module has been loaded.
    sqlite = sys.modules.get("skill.storage.sqlite")
    if sqlite is not None and isinstance(adapter, sqlite.SqliteAdapter):
        return Outbox(adapter.path.with_name(adapter.path.name + ".outbox.jsonl"))
    return Outbox(None)


def adapter_from_settings(settings: Settings) -> AbstractPersistenceAdapter | None:
    budget_s = settings.storage_budget_ms / 1000
    backend, _, location = settings.storage.partition(":")
    backend = backend.strip().lower()
    if backend in ("none", ""):
        return None
    if backend == "sqlite":
        from skill.storage.sqlite import SqliteAdapter

        return SqliteAdapter(location or "var/ankle-coach.sqlite3", budget_s=budget_s)
    if backend == "dynamodb":
        if not location:
            raise StorageConfigError("dynamodb storage needs a table name: dynamodb:<table>")
        if not settings.dynamodb_region:
            raise StorageConfigError(
                "dynamodb storage needs a region: set ANKLE_COACH_DYNAMODB_REGION, AWS_REGION"
                " or AWS_DEFAULT_REGION"
            )
        from skill.storage.dynamodb import dynamodb_adapter

        return dynamodb_adapter(
            location, settings.dynamodb_region, settings.dynamodb_endpoint, budget_s=budget_s
        )
    raise StorageConfigError(f"unknown storage backend {backend!r} in ANKLE_COACH_STORAGE")
