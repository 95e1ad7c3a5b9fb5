"""AWS Lambda entry point: `lambda_handler.handler`.

The skill object is built once per container and reused on warm starts; it holds no
user state (that lives in session attributes and the persistence adapter).
"""

from __future__ import annotations

import logging
from typing import Any

from skill.alexa.builder import build_skill, invoke_event
from skill.config import Settings

SETTINGS = Settings.from_env()
logging.getLogger().setLevel(SETTINGS.log_level)
SKILL = build_skill()


class WrongSkillError(Exception):
    """A request for another skill: Lambda reports it as an error, as Alexa expects."""


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    app_id = event.get("context", {}).get("System", {}).get("application", {}).get("applicationId")
    if SETTINGS.skill_ids and app_id not in SETTINGS.skill_ids:
        raise WrongSkillError(f"request for application {app_id!r} refused")
    return invoke_event(SKILL, event, context)
