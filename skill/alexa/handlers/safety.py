"""Statements about the user's own ankle, and diagnosis questions: safety before anything.

First in the dispatch order, so a pain statement is never taken for a coaching command,
an offer's "yes" or a fallback. An exercise under way stops at once (the coach keeps the
place and does not count the set), then the safety answer follows.
"""

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from skill.alexa.handlers.exercise import coach_state, coaching_context
from skill.alexa.session_state import ANSWERED
from skill.alexa.turn import (
    content_for,
    is_one_shot,
    resolved_id,
    respond,
    set_coach_state,
    state_of,
    turn_key,
    unplaced_words,
)
from skill.domain import coach, safety


def _stop_coaching(handler_input: HandlerInput) -> tuple:
    """Stop an exercise under way for pain; what the coach said, or () when none was going."""
    state = coach_state(handler_input)
    if state is None:
        return ()
    state, turn = coach.act(state, coach.Command.PAIN, **coaching_context(handler_input))
    set_coach_state(handler_input, state)
    handler_input.attributes_manager.session_attributes[ANSWERED] = True
    return turn.speech


class SymptomHandler(AbstractRequestHandler):
    """ "My ankle hurts", "I think I broke it", "call an ambulance"."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("SymptomIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        content = content_for(handler_input)
        rules = safety.load_safety(content.locale)
        # "I felt a pop and now I can't stand on it": two symptoms, the more urgent counts;
        # words Alexa could not place ("... and heard a loud pop") count by their cues.
        said = [resolved_id(handler_input, name) for name in ("symptom", "then")]
        said.append(rules.symptom_in(unplaced_words(handler_input)))
        urgent = [s for s in said if s and rules.is_urgent(s)]
        symptom = urgent[0] if urgent else next((s for s in said if s), None)
        if symptom == "fine":
            coaching = coach_state(handler_input) is not None
            return respond(handler_input, safety.fine_reply(content, coaching=coaching))
        return _symptom_answer(handler_input, symptom)


def _symptom_answer(handler_input: HandlerInput, symptom: str | None) -> Response:
    reply = safety.symptom_reply(
        content_for(handler_input),
        symptom,
        one_shot=is_one_shot(handler_input),
        key=turn_key(handler_input),
        stopped=_stop_coaching(handler_input),
    )
    return respond(handler_input, reply)


class BuriedSymptomHandler(AbstractRequestHandler):
    """Any other intent whose unresolved words say the ankle is hurt ("is it bad that it
    popped and now I can't walk", "what helps, it really hurts"): the symptom's answer,
    never the content answer."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return _buried_symptom(handler_input) is not None

    def handle(self, handler_input: HandlerInput) -> Response:
        return _symptom_answer(handler_input, _buried_symptom(handler_input))


def _buried_symptom(handler_input: HandlerInput) -> str | None:
    words = unplaced_words(handler_input)
    if not words:
        return None
    return safety.load_safety(content_for(handler_input).locale).symptom_in(words)


class DiagnosisHandler(AbstractRequestHandler):
    """ "Is it broken", "could it be a torn ligament": the signs and whom to see, no verdict."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("DiagnosisIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        reply = safety.condition_reply(
            content_for(handler_input),
            resolved_id(handler_input, "condition"),
            one_shot=is_one_shot(handler_input),
            key=turn_key(handler_input),
            stopped=_stop_coaching(handler_input),
        )
        return respond(handler_input, reply)


class HurtCheckHandler(AbstractRequestHandler):
    """ "Yes" to "does anything hurt?" (asked after a phrase the model missed mid-exercise):
    the answer for a symptom we cannot place, with every urgent sign; the set stays
    stopped. "No" goes to the coach, which keeps the place until "resume"."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return (
            is_intent_name("AMAZON.YesIntent")(handler_input)
            and state_of(handler_input).offer == coach.HURT_CHECK
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        reply = safety.symptom_reply(
            content_for(handler_input),
            None,
            one_shot=False,
            key=turn_key(handler_input),
            stopped=_stop_coaching(handler_input),
        )
        return respond(handler_input, reply)
