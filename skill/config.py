"""Settings come from environment variables only, so both entry points share one source."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

TRUE_WORDS = {"1", "true", "yes", "on"}


def _flag(env: Mapping[str, str], name: str) -> bool:
    return env.get(name, "").strip().lower() in TRUE_WORDS


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
    storage: str = "sqlite:var/ankle-coach.sqlite3"
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
            storage=env.get("ANKLE_COACH_STORAGE", "sqlite:var/ankle-coach.sqlite3"),
            dynamodb_region=env.get("ANKLE_COACH_DYNAMODB_REGION") or env.get("AWS_REGION"),
            dynamodb_endpoint=env.get("ANKLE_COACH_DYNAMODB_ENDPOINT") or None,
            storage_budget_ms=int(env.get("ANKLE_COACH_STORAGE_BUDGET_MS", "1000")),
            outbox=env.get("ANKLE_COACH_OUTBOX") or None,
        )
