"""Choosing where user progress is kept, from one setting.

ANKLE_COACH_STORAGE names the backend and its location:
  sqlite:<path>      embedded SQLite file (the default: <ANKLE_COACH_DATA_DIR>/ankle-coach.sqlite3)
  dynamodb:<table>   an existing DynamoDB table (region from ANKLE_COACH_DYNAMODB_REGION,
                     AWS_REGION or AWS_DEFAULT_REGION; ANKLE_COACH_DYNAMODB_ENDPOINT for a
                     local server)
  none               nothing is kept beyond the session
"""

from __future__ import annotations

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter

from skill.config import Settings
from skill.storage.sqlite import SqliteAdapter


class StorageConfigError(ValueError):
    """ANKLE_COACH_STORAGE names something this code cannot use."""


def adapter_from_settings(settings: Settings) -> AbstractPersistenceAdapter | None:
    backend, _, location = settings.storage.partition(":")
    backend = backend.strip().lower()
    if backend in ("none", ""):
        return None
    if backend == "sqlite":
        return SqliteAdapter(location or "var/ankle-coach.sqlite3")
    if backend == "dynamodb":
        if not location:
            raise StorageConfigError("dynamodb storage needs a table name: dynamodb:<table>")
        if not settings.dynamodb_region:
            raise StorageConfigError(
                "dynamodb storage needs a region: set ANKLE_COACH_DYNAMODB_REGION, AWS_REGION"
                " or AWS_DEFAULT_REGION"
            )
        from skill.storage.dynamodb import dynamodb_adapter

        return dynamodb_adapter(location, settings.dynamodb_region, settings.dynamodb_endpoint)
    raise StorageConfigError(f"unknown storage backend {backend!r} in ANKLE_COACH_STORAGE")
