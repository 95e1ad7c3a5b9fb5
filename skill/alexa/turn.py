"""The thin layer between ASK SDK objects and the skill's plain domain code."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_slot
from ask_sdk_model import IntentRequest, Response
from ask_sdk_model.slu.entityresolution import StatusCode
from ask_sdk_model.ui import SimpleCard

from skill.alexa.display import screen_directive, supports_screen
from skill.alexa.progress_interceptors import OPS, PROGRESS
from skill.alexa.session_state import CHOICES, MISSES, SessionState, TopicSource
from skill.domain import coach
from skill.domain.content import Content, load_content, shipped_locale
from skill.domain.progress import Progress
from skill.domain.reply import Reply
from skill.domain.speech import to_ssml_body
from skill.log_fields import log_field

log = logging.getLogger(__name__)


LOCALE = "locale"  # request attribute: the locale resolved once for this turn


def locale_of(handler_input: HandlerInput) -> str:
    """The request's locale if the skill ships it; otherwise the default, with one log line
    per turn (resolved once, however many handlers ask)."""
    attributes = handler_input.attributes_manager.request_attributes
    if LOCALE not in attributes:
        requested = handler_input.request_envelope.request.locale
        locale = shipped_locale(requested)
        if requested and locale != requested:
            log.info("unsupported locale=%s answered in %s", log_field(requested), locale)
        attributes[LOCALE] = locale
    return attributes[LOCALE]


COACH_STATE = "coach_state"  # request attribute: (session value, loaded state) this turn


def coach_state_of(handler_input: HandlerInput) -> dict | None:
    """The coach's session state, validated by `coach.load_state` once per turn: the session
    check, the clock, the interceptors and the handlers all ask. The first value seen is
    the one Alexa handed back, and it is checked; a value that replaces it later in the
    turn was written by this skill's own code (a handler storing the state the coach
    produced: nothing else writes session attributes during a turn), so it is taken as
    it is, not validated and deep copied again. Callers never change what they get (the
    coach copies before it moves on)."""
    raw = handler_input.attributes_manager.session_attributes.get(coach.STATE_KEY)
    request_attributes = handler_input.attributes_manager.request_attributes
    cached = request_attributes.get(COACH_STATE)
    if cached is not None and cached[0] is raw:
        return cached[1]
    if cached is not None and isinstance(raw, dict):
        state: dict | None = raw  # written this turn, by the coach
    else:
        state = coach.load_state(raw, locale_of(handler_input)) if raw is not None else None
    request_attributes[COACH_STATE] = (raw, state)
    return state


def set_coach_state(handler_input: HandlerInput, state: dict) -> None:
    """Store a state the coach produced (already valid) as the session value and as this
    turn's loaded state."""
    handler_input.attributes_manager.session_attributes[coach.STATE_KEY] = state
    handler_input.attributes_manager.request_attributes[COACH_STATE] = (state, state)


def clear_coach_state(handler_input: HandlerInput) -> None:
    """End the coached exercise for this session (after a confirmed reset or delete: the
    live state would otherwise write its place, tempo and steps straight back)."""
    handler_input.attributes_manager.session_attributes.pop(coach.STATE_KEY, None)
    handler_input.attributes_manager.request_attributes[COACH_STATE] = (None, None)


def content_for(handler_input: HandlerInput) -> Content:
    return load_content(locale_of(handler_input))


def progress_of(handler_input: HandlerInput) -> Progress:
    """The user's remembered progress, loaded for this turn by LoadProgress."""
    attributes = handler_input.attributes_manager.request_attributes
    return Progress(attributes.setdefault(PROGRESS, {}), attributes.setdefault(OPS, []))


def state_of(handler_input: HandlerInput) -> SessionState:
    return SessionState(handler_input.attributes_manager.session_attributes)


def today_of(handler_input: HandlerInput) -> date:
    """The request's date (UTC): Alexa sends no time zone without extra permissions."""
    timestamp = handler_input.request_envelope.request.timestamp
    return timestamp.date() if timestamp else datetime.now(UTC).date()


def turn_key(handler_input: HandlerInput) -> str:
    """Varies wording per turn, yet is identical for a replayed request."""
    return handler_input.request_envelope.request.request_id or ""


def is_one_shot(handler_input: HandlerInput) -> bool:
    """A question asked with the invocation ("ask ankle coach why..."), not inside a session."""
    session = handler_input.request_envelope.session
    request = handler_input.request_envelope.request
    return isinstance(request, IntentRequest) and (session is None or bool(session.new))


def resolved_id(handler_input: HandlerInput, slot_name: str) -> str | None:
    """The entity-resolution id of a slot, or None when Alexa matched no value."""
    slot = get_slot(handler_input, slot_name)
    if slot is None or slot.resolutions is None:
        return None
    for authority in slot.resolutions.resolutions_per_authority or []:
        matched = authority.status and authority.status.code == StatusCode.ER_SUCCESS_MATCH
        if matched and authority.values:
            return authority.values[0].value.id
    return None


def unplaced_words(handler_input: HandlerInput) -> list[str]:
    """What was said in each slot Alexa could not resolve to a value (ER_SUCCESS_NO_MATCH):
    words the model has no value for, which may still say something about the ankle."""
    request = handler_input.request_envelope.request
    if not isinstance(request, IntentRequest) or not request.intent.slots:
        return []
    return [
        slot.value
        for name, slot in request.intent.slots.items()
        if slot.value and resolved_id(handler_input, name) is None
    ]


def has_screen(handler_input: HandlerInput) -> bool:
    device = handler_input.request_envelope.context.system.device
    return device is not None and supports_screen(device.supported_interfaces)


def respond(
    handler_input: HandlerInput,
    reply: Reply,
    *,
    remember: bool = True,
    source: TopicSource | None = None,
) -> Response:
    """Build the Alexa response for a Reply; remembered replies can be repeated: by
    `source` (what produced the reply, which `repeat` builds again) when given, else by
    their words."""
    speech = reply.speech_ssml if reply.speech_ssml is not None else to_ssml_body(reply.speech)
    reprompt = to_ssml_body(reply.reprompt)
    state = state_of(handler_input)
    state.offer = reply.offer
    state.confirm = None
    state.attributes.pop(MISSES, None)
    if reply.choices:
        state.attributes[CHOICES] = list(reply.choices)
    if remember and source is not None:
        state.remember_topic(source)
    elif remember:
        state.remember(reply.speech, reply.reprompt)
    if reply.card_title:
        handler_input.response_builder.set_card(
            SimpleCard(title=reply.card_title, content=reply.card_text or "")
        )
        if has_screen(handler_input):
            handler_input.response_builder.add_directive(
                screen_directive(reply.card_title, reply.card_text or "", reply.screen_footer or "")
            )
    return respond_ssml(handler_input, speech, reprompt)


def respond_ssml(handler_input: HandlerInput, speech: str, reprompt: str) -> Response:
    builder = handler_input.response_builder.speak(speech)
    if reprompt:
        builder.ask(reprompt)
    builder.set_should_end_session(not reprompt)
    return builder.response
