"""Resume an exercise saved in an earlier session ("resume my workout", or yes at launch)."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from skill.alexa.handlers.exercise import (
    coach_state,
    coaching_context,
    speak_turn,
)
from skill.alexa.turn import locale_of, progress_of, state_of
from skill.domain import coach
from skill.domain.answers import RESUME_OFFER


def saved_state(handler_input: HandlerInput) -> dict | None:
    """An unfinished exercise kept from an earlier session, with at least one set done
    (or one under way), or stopped for pain (the skill said it kept the place, so "resume"
    finds it, and checks first): a plan still pending (no end-of-session notice came) is
    settled as played through."""
    locale = locale_of(handler_input)
    state = coach.load_state(progress_of(handler_input).position, locale)
    if not state:
        return None
    state = coach.settle(state, None, locale)
    started = any(state["done"].values()) or state["rep"] > 1
    if state["finished"] or not (started or state["hurt"]):
        return None
    return state


class ResumeSavedHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        wants = is_intent_name("AMAZON.ResumeIntent")(handler_input) or (
            is_intent_name("AMAZON.YesIntent")(handler_input)
            and state_of(handler_input).offer == RESUME_OFFER
        )
        return (
            wants and coach_state(handler_input) is None and saved_state(handler_input) is not None
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        state, turn = coach.act(
            saved_state(handler_input), coach.Command.RESUME, **coaching_context(handler_input)
        )
        return speak_turn(handler_input, state, turn)
