"""Builds the one skill object that both entry points (web and Lambda) invoke."""

from __future__ import annotations

import json
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter, AttributesManager
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill import CustomSkill, SkillConfiguration
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_core.utils import RESPONSE_FORMAT_VERSION
from ask_sdk_core.view_resolvers import TemplateFactory
from ask_sdk_model import RequestEnvelope, ResponseEnvelope, Session
from ask_sdk_runtime.utils import UserAgentManager

from skill.alexa.coach_clock import SettleCoaching
from skill.alexa.coaching_interceptors import NoteCoachingBefore, RememberCoaching
from skill.alexa.handlers import EXCEPTION_HANDLERS, REQUEST_HANDLERS
from skill.alexa.interceptors import RequestLogger
from skill.alexa.progress_interceptors import LoadProgress, ProgressStore, SaveProgress
from skill.alexa.serializer import FastSerializer
from skill.alexa.session_checks import CheckSession
from skill.config import Settings
from skill.storage import adapter_from_settings, outbox_for

FROM_SETTINGS: Any = object()


class Skill(CustomSkill):
    """The SDK's `CustomSkill` with two per-turn costs taken out, results unchanged.

    - `FastSerializer` instead of `DefaultSerializer` (same interface and output; each
      model class's shape is read once instead of per object).
    - The session attributes are handed to the attributes manager as they are, not deep
      copied. The SDK's `AttributesManager` copies them so that the request envelope keeps
      what Alexa sent while handlers change their copy; here every envelope is built
      afresh for one turn (`invoke` below, `skill.alexa.envelope`) and nothing reads its
      `session.attributes` after this, so the copy (50 to 85 µs for a coached turn's 1 KB)
      protects nothing. Everything else is `CustomSkill.invoke`: a skill id or an API
      client, which this skill does not configure, goes through the SDK's own path.
    """

    def __init__(self, skill_configuration: SkillConfiguration) -> None:
        super().__init__(skill_configuration)
        self.serializer = FastSerializer()

    def invoke(self, request_envelope: RequestEnvelope, context: Any) -> ResponseEnvelope:
        if self.skill_id is not None or self.api_client is not None:
            return super().invoke(request_envelope, context)
        session = request_envelope.session
        attributes = None if session is None else session.attributes
        if session is not None:
            session.attributes = None  # the manager starts from {}, not from a deep copy
        manager = AttributesManager(request_envelope, self.persistence_adapter)
        if session is not None:
            session.attributes = attributes
            manager.session_attributes = {} if attributes is None else attributes
        handler_input = HandlerInput(
            request_envelope=request_envelope,
            attributes_manager=manager,
            context=context,
            template_factory=TemplateFactory(self.loaders, self.renderer),
        )
        response = self.request_dispatcher.dispatch(handler_input=handler_input)
        return ResponseEnvelope(
            response=response,
            version=RESPONSE_FORMAT_VERSION,
            session_attributes=None if session is None else manager.session_attributes,
            user_agent=UserAgentManager.get_user_agent(),
        )


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
    return Skill(builder.skill_configuration)


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
