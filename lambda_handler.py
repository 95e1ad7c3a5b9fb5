"""AWS Lambda entry point: `lambda_handler.handler`.

The skill object is built once per container and reused on warm starts; it holds no
user state (that lives in session attributes and the persistence adapter).

An event is checked exactly as the web service checks a body (`skill.alexa.envelope`):
a malformed one is refused with one WARNING line and an empty response, the Lambda
counterpart of the web service's HTTP 400. The Lambda `context` argument is only passed
through to the SDK, so a null or odd one is harmless.
"""

from __future__ import annotations

import logging
from typing import Any

from ask_sdk_core.skill import CustomSkill

from skill.alexa.builder import build_skill, empty_response, invoke, response_text
from skill.alexa.envelope import (
    BadEnvelope,
    check_envelope,
    envelope_from_data,
    modelled,
    own_event,
)
from skill.config import Settings
from skill.log_fields import log_field, skip_call_sites

SETTINGS = Settings.from_env()
logging.getLogger().setLevel(SETTINGS.log_level)
skip_call_sites()  # one log line per request, made without a stack walk
SKILL = build_skill()

log = logging.getLogger(__name__)


class WrongSkillError(Exception):
    """A request for another skill: Lambda reports it as an error, as Alexa expects."""


def handler(event: Any, context: Any) -> dict[str, Any]:
    return answer(event, context)[0]


def answer(
    event: Any, context: Any = None, skill: CustomSkill | None = None
) -> tuple[dict[str, Any], str | None]:
    """The response, and the reason when the event was refused (None when answered).
    `skill` replaces the container's (`bench/turns.py` measures this path with others)."""
    skill = skill or SKILL
    try:
        data = check_envelope(event)
    except BadEnvelope as error:
        log.warning("rejected request entry=lambda check=input reason=%s", error.reason)
        return empty_response(), error.reason
    application = data["context"]["System"].get("application") or {}
    app_id = application.get("applicationId")
    if SETTINGS.skill_ids and app_id not in SETTINGS.skill_ids:
        raise WrongSkillError(f"request for application {app_id!r} refused")
    if not modelled(data):  # a type the SDK cannot read yet: silence, as for events
        log.info(
            "unmodelled request type=%s answered with silence", log_field(data["request"]["type"])
        )
        return empty_response(), None
    try:
        envelope = envelope_from_data(skill, own_event(data))
    except BadEnvelope as error:
        log.warning("rejected request entry=lambda check=input reason=%s", error.reason)
        return empty_response(), error.reason
    response = invoke(skill, envelope, context)
    try:
        response_text(response)
    except ValueError:  # never hand Lambda a response it would print as invalid JSON
        log.error("response refused: not valid JSON; answered with silence")
        return empty_response(), None
    return response, None
