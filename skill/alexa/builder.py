"""Builds the one skill object that both entry points (web and Lambda) invoke."""

from __future__ import annotations

import json
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model import RequestEnvelope, Session

from skill.alexa.coach_clock import SettleCoaching
from skill.alexa.coaching_interceptors import NoteCoachingBefore, RememberCoaching
from skill.alexa.handlers import EXCEPTION_HANDLERS, REQUEST_HANDLERS
from skill.alexa.interceptors import RequestLogger
from skill.alexa.progress_interceptors import LoadProgress, ProgressStore, SaveProgress
from skill.alexa.session_checks import CheckSession
from skill.config import Settings
from skill.storage import adapter_from_settings, outbox_for

FROM_SETTINGS: Any = object()


def build_skill(
    persistence_adapter: AbstractPersistenceAdapter | None = FROM_SETTINGS,
) -> CustomSkill:
    """The skill; storage comes from ANKLE_COACH_STORAGE unless an adapter (or None) is given."""
    settings = Settings.from_env()
    if persistence_adapter is FROM_SETTINGS:
        persistence_adapter = adapter_from_settings(settings)
    store = ProgressStore(
        persistence_adapter,
        outbox_for(persistence_adapter, settings),
        settings.storage_budget_ms / 1000,
    )
    builder = CustomSkillBuilder(persistence_adapter=persistence_adapter)
    for handler in REQUEST_HANDLERS:
        builder.add_request_handler(handler)
    for handler in EXCEPTION_HANDLERS:
        builder.add_exception_handler(handler)
    builder.add_global_request_interceptor(RequestLogger())
    builder.add_global_request_interceptor(CheckSession())
    builder.add_global_request_interceptor(LoadProgress(store))
    builder.add_global_request_interceptor(NoteCoachingBefore())
    builder.add_global_request_interceptor(SettleCoaching())
    builder.add_global_response_interceptor(RememberCoaching())
    builder.add_global_response_interceptor(SaveProgress(store))
    return builder.create()


def parse_envelope(skill: CustomSkill, body: str) -> RequestEnvelope:
    return skill.serializer.deserialize(payload=body, obj_type=RequestEnvelope)


def invoke(skill: CustomSkill, envelope: RequestEnvelope, context: Any = None) -> dict[str, Any]:
    """Dispatch one request envelope and return the response as JSON-ready data.

    A request without a session (AudioPlayer and skill events, say) gets a session of one
    turn, so every handler and interceptor can read session attributes; the response
    carries none back, as Alexa expects for such requests.
    """
    session_less = envelope.session is None
    if session_less:
        envelope.session = Session(new=True, attributes={})
    response = skill.invoke(request_envelope=envelope, context=context)
    if session_less:
        response.session_attributes = None
    return skill.serializer.serialize(response)


def invoke_event(skill: CustomSkill, event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    return invoke(skill, parse_envelope(skill, json.dumps(event)), context)


def response_text(response: dict[str, Any]) -> str:
    """The response as JSON text; NaN or Infinity can never go out (ValueError instead)."""
    return json.dumps(response, allow_nan=False, separators=(",", ":"))


def empty_response() -> dict[str, Any]:
    """A valid response that says nothing: for refused events and requests owed no speech."""
    return {"version": "1.0", "response": {}}
