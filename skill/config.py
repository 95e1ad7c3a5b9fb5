"""Settings come from environment variables only, so both entry points share one source."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

TRUE_WORDS = {"1", "true", "yes", "on"}
# Where the DynamoDB table lives, first match wins. Lambda sets AWS_REGION itself; botocore
# reads only AWS_DEFAULT_REGION, so a self-hosted service with AWS_REGION alone needs this.
REGION_VARIABLES = ("ANKLE_COACH_DYNAMODB_REGION", "AWS_REGION", "AWS_DEFAULT_REGION")
DATABASE_NAME = "ankle-coach.sqlite3"


def _flag(env: Mapping[str, str], name: str) -> bool:
    return env.get(name, "").strip().lower() in TRUE_WORDS


def _first(env: Mapping[str, str], names: tuple[str, ...]) -> str | None:
    for name in names:
        if value := env.get(name, "").strip():
            return value
    return None


def data_dir(env: Mapping[str, str]) -> Path:
    """ANKLE_COACH_DATA_DIR, else ./var under the working directory, always made absolute.

    Resolved once, when settings are read at start-up, so the SQLite file stays where it was
    even if the process later changes directory, and the setting documents one exact place.
    """
    return Path(env.get("ANKLE_COACH_DATA_DIR") or "var").expanduser().resolve()


def _list(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in env.get(name, "").split(",") if part.strip())


@dataclass(frozen=True)
class Settings:
    """Every setting the skill reads; the README lists them with their defaults."""

    skill_ids: tuple[str, ...] = ()
    host: str = "127.0.0.1"
    port: int = 5000
    log_level: str = "INFO"
    dev_skip_verification: bool = False
    max_body_bytes: int = 128 * 1024
    ca_bundle: str | None = None
    storage: str = f"sqlite:var/{DATABASE_NAME}"
    dynamodb_region: str | None = None
    dynamodb_endpoint: str | None = None
    storage_budget_ms: int = 1000
    outbox: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        return cls(
            skill_ids=_list(env, "ANKLE_COACH_SKILL_IDS"),
            host=env.get("HOST", "127.0.0.1"),
            port=int(env.get("PORT", "5000")),
            log_level=env.get("LOG_LEVEL", "INFO").upper(),
            dev_skip_verification=_flag(env, "ANKLE_COACH_DEV_SKIP_VERIFICATION"),
            ca_bundle=env.get("ANKLE_COACH_CA_BUNDLE") or None,
            storage=env.get("ANKLE_COACH_STORAGE", f"sqlite:{data_dir(env) / DATABASE_NAME}"),
            dynamodb_region=_first(env, REGION_VARIABLES),
            dynamodb_endpoint=env.get("ANKLE_COACH_DYNAMODB_ENDPOINT") or None,
            storage_budget_ms=int(env.get("ANKLE_COACH_STORAGE_BUDGET_MS", "1000")),
            outbox=env.get("ANKLE_COACH_OUTBOX") or None,
        )
