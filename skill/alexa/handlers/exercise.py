"""Guided exercise: Alexa requests in, coach commands out, the coach's turn spoken back.

While an exercise is under way (paused included), next, previous, repeat, pause, resume,
start over, skip, slower, faster, yes, no, help, stop and fallback go to the coach; a
question is answered and followed by an offer to carry on. The coach's state lives in
the session attributes under `coach.STATE_KEY`.
"""

from __future__ import annotations

from typing import Any

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_intent_name, get_slot, is_intent_name, is_request_type
from ask_sdk_model import Response

from skill.alexa.handlers.topics import answer_topic
from skill.alexa.session_state import ANSWERED
from skill.alexa.turn import (
    coach_state_of,
    content_for,
    locale_of,
    progress_of,
    resolved_id,
    respond,
    state_of,
    turn_key,
)
from skill.domain import answers, coach
from skill.domain.coach import Command, Turn
from skill.domain.content import Topic
from skill.domain.reply import Reply
from skill.domain.speech import pick

COMMANDS = {
    "AMAZON.NextIntent": Command.NEXT,
    "AMAZON.PreviousIntent": Command.PREVIOUS,
    "AMAZON.RepeatIntent": Command.REPEAT,
    "AMAZON.PauseIntent": Command.PAUSE,
    "AMAZON.ResumeIntent": Command.RESUME,
    "AMAZON.StartOverIntent": Command.START_OVER,
    "AMAZON.YesIntent": Command.YES,
    "AMAZON.NoIntent": Command.NO,
    "AMAZON.HelpIntent": Command.HELP,
    "AMAZON.StopIntent": Command.STOP,
    "AMAZON.CancelIntent": Command.STOP,
    "AMAZON.NavigateHomeIntent": Command.STOP,
    "AMAZON.FallbackIntent": Command.FALLBACK,
    "SlowerIntent": Command.SLOWER,
    "FasterIntent": Command.FASTER,
    "SkipIntent": Command.SKIP,
    "StatusIntent": Command.STATUS,
    "SwitchSidesIntent": Command.SWITCH_SIDES,
    "BreakIntent": Command.BREAK,
    "EasierIntent": Command.EASIER,
    "HarderIntent": Command.HARDER,
    "NoEquipmentIntent": Command.NO_EQUIPMENT,
    "MoreIntent": Command.YES,
}
COACH_ONLY = (
    "AMAZON.NextIntent", "AMAZON.PreviousIntent", "AMAZON.PauseIntent", "AMAZON.ResumeIntent",
    "AMAZON.StartOverIntent", "SlowerIntent", "FasterIntent", "SkipIntent",
    "StatusIntent", "SwitchSidesIntent", "BreakIntent",
)  # fmt: skip
"""Intents that mean nothing outside an exercise (the rest keep their Q&A meaning)."""
ADVICE = {"EasierIntent", "HarderIntent", "NoEquipmentIntent"}
"""Coaching questions that also have an answer with no exercise going."""


def _intent(handler_input: HandlerInput) -> str | None:
    if not is_request_type("IntentRequest")(handler_input):
        return None
    return get_intent_name(handler_input)


def request_seconds(handler_input: HandlerInput) -> float | None:
    """The request's timestamp (Alexa's clock, never the server's), in seconds."""
    timestamp = handler_input.request_envelope.request.timestamp
    return timestamp.timestamp() if timestamp else None


def coaching_context(handler_input: HandlerInput) -> dict[str, Any]:
    """What every coach call takes from the request: locale, wording key, timestamp, and
    completed sessions per exercise (for programme advice)."""
    return {
        "locale": locale_of(handler_input),
        "key": turn_key(handler_input),
        "now": request_seconds(handler_input),
        "history": progress_of(handler_input).completed,
    }


def coach_state(handler_input: HandlerInput) -> dict[str, Any] | None:
    """The exercise under way (or paused), or None; a stale or foreign dict counts as none."""
    state = coach_state_of(handler_input)
    return state if state and not state["finished"] else None


def _level_offer(turn: Turn) -> str | None:
    return coach.LEVEL_PREFIX + turn.offer if turn.offer else None


def speak_turn(handler_input: HandlerInput, state: dict[str, Any] | None, turn: Turn) -> Response:
    handler_input.attributes_manager.session_attributes.pop(ANSWERED, None)
    if state is not None:
        handler_input.attributes_manager.session_attributes[coach.STATE_KEY] = state
    reply = Reply(
        speech=turn.speech,
        reprompt=turn.reprompt,
        card_title=turn.title or None,
        card_text=turn.detail or None,
        speech_ssml=turn.ssml,
        offer=coach.HURT_CHECK if turn.asks_hurt else _level_offer(turn),
    )
    if state is not None and not coach.settle(state, None, locale_of(handler_input))["finished"]:
        # Still under way once this response has played: repeat goes to the coach.
        state_of(handler_input).forget()
        return respond(handler_input, reply, remember=False)
    return respond(handler_input, reply)


def start_coaching(handler_input: HandlerInput, exercise_id: str | None) -> Response:
    """Start an exercise (None: the whole workout); a new user hears the disclaimer first.
    Right after a pain stop the first start only checks that it doesn't hurt."""
    current = coach_state_of(handler_input)
    if current is not None and current["hurt"] == 1:
        state, turn = coach.check_before_start(
            current, locale=locale_of(handler_input), key=turn_key(handler_input)
        )
        return speak_turn(handler_input, state, turn)
    intro = ()
    if progress_of(handler_input).disclaimer_due():
        intro = (content_for(handler_input).prompt("disclaimer"),)
    state, turn = coach.start(
        exercise_id,
        tempo=progress_of(handler_input).tempo or 1.0,
        intro=intro,
        levels=progress_of(handler_input).levels,
        **coaching_context(handler_input),
    )
    return speak_turn(handler_input, state, turn)


class StartExerciseHandler(AbstractRequestHandler):
    """Start an exercise by name; an unknown or missing one is asked about, never guessed."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("StartExerciseIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        exercise_id = resolved_id(handler_input, "exercise")
        if exercise_id in coach.load_catalogue(locale_of(handler_input)).exercises:
            return start_coaching(handler_input, exercise_id)
        slot = get_slot(handler_input, "exercise")
        turn = coach.exercise_choices(
            unknown=bool(slot and slot.value),
            locale=locale_of(handler_input),
            key=turn_key(handler_input),
        )
        return speak_turn(handler_input, None, turn)


class StartWorkoutHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("StartWorkoutIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return start_coaching(handler_input, None)


class CoachOfferHandler(AbstractRequestHandler):
    """Yes, after an exercise was explained and coaching was offered."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        offer = state_of(handler_input).offer or ""
        return (
            is_intent_name("AMAZON.YesIntent")(handler_input)
            and offer.startswith(coach.OFFER_PREFIX)
            and not _hurt(handler_input)  # after a pain stop, "yes" never starts coaching
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        exercise_id = state_of(handler_input).offer.removeprefix(coach.OFFER_PREFIX)
        return start_coaching(handler_input, exercise_id)


class ProgressionOfferHandler(AbstractRequestHandler):
    """Yes or no to the next progression step, asked as a session's exercise ends."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        offer = state_of(handler_input).offer or ""
        return (
            offer.startswith(coach.LEVEL_PREFIX)
            and _intent(handler_input) in ("AMAZON.YesIntent", "AMAZON.NoIntent")
            and coach_state(handler_input) is None
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        exercise_id = state_of(handler_input).offer.removeprefix(coach.LEVEL_PREFIX)
        progress = progress_of(handler_input)
        accepted = is_intent_name("AMAZON.YesIntent")(handler_input)
        steps = coach.load_catalogue(locale_of(handler_input)).exercises[exercise_id].progressions
        level = min(progress.levels.get(exercise_id, 0) + 1, len(steps))
        if accepted:
            progress.levels = {**progress.levels, exercise_id: level}
        turn = coach.progression_settled(
            exercise_id,
            level,
            accepted=accepted,
            locale=locale_of(handler_input),
            key=turn_key(handler_input),
        )
        return speak_turn(handler_input, None, turn)


class CoachCommandHandler(AbstractRequestHandler):
    """Commands mid-exercise; "repeat" right after an answer is left to RepeatHandler."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        intent = _intent(handler_input)
        answered = handler_input.attributes_manager.session_attributes.get(ANSWERED)
        if intent == "AMAZON.RepeatIntent" and answered:
            return False
        if intent == "AMAZON.YesIntent" and _hurt(handler_input):
            # After a pain stop only information is offered: "yes" takes that offer.
            offer = state_of(handler_input).offer
            if offer in content_for(handler_input).topics:
                return False
        return intent in COMMANDS and coach_state(handler_input) is not None

    def handle(self, handler_input: HandlerInput) -> Response:
        command = COMMANDS[get_intent_name(handler_input)]
        state, turn = coach.act(
            coach_state(handler_input),
            command,
            detail=_equipment(handler_input),
            **coaching_context(handler_input),
        )
        return speak_turn(handler_input, state, turn)


def _hurt(handler_input: HandlerInput) -> bool:
    """The exercise under way was stopped for pain (only an explicit resume goes on)."""
    state = coach_state(handler_input)
    return bool(state and state["hurt"])


def _equipment(handler_input: HandlerInput) -> str | None:
    if not is_intent_name("NoEquipmentIntent")(handler_input):
        return None
    return resolved_id(handler_input, "equipment")


class AdviceHandler(AbstractRequestHandler):
    """Too easy, too hard, no band, with no exercise going: the advice, then a question."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return _intent(handler_input) in ADVICE

    def handle(self, handler_input: HandlerInput) -> Response:
        intent = get_intent_name(handler_input)
        exercise_id = None
        if intent != "NoEquipmentIntent":
            offered = (state_of(handler_input).offer or "").removeprefix(coach.OFFER_PREFIX)
            exercise_id = resolved_id(handler_input, "exercise") or offered
        turn = coach.advice_turn(
            exercise_id,
            COMMANDS[intent],
            _equipment(handler_input),
            locale=locale_of(handler_input),
            key=turn_key(handler_input),
        )
        return speak_turn(handler_input, None, turn)


def answer_in_context(handler_input: HandlerInput, topic: Topic) -> Response:
    """A topic as an answer: with an exercise under way (or stopped for pain) it ends with
    the coach's offer to carry on (or, after pain, none), never with the topic's own offer,
    which may be to start coaching."""
    if coach_state(handler_input) is not None:
        return answer_mid_exercise(handler_input, topic)
    return answer_topic(handler_input, topic)


def answer_mid_exercise(handler_input: HandlerInput, topic: Topic) -> Response:
    """An answer, then the offer to carry on; "repeat" next repeats the answer. A switch
    to a harder step on offer is dropped: the "yes" that follows means carry on."""
    state = coach_state(handler_input)
    if state and state["offer"]:
        state = {**state, "offer": None}
        handler_input.attributes_manager.session_attributes[coach.STATE_KEY] = state
    offer, reprompt = coach.continue_offer(
        state, locale=locale_of(handler_input), key=turn_key(handler_input)
    )
    handler_input.attributes_manager.session_attributes[ANSWERED] = True
    return respond(handler_input, answers.topic_then(topic, offer, reprompt))


class QuestionDuringExerciseHandler(AbstractRequestHandler):
    """A question mid-exercise is answered, then the user is offered to carry on."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        topic_intents = content_for(handler_input).topic_intents()
        return _intent(handler_input) in topic_intents and coach_state(handler_input) is not None

    def handle(self, handler_input: HandlerInput) -> Response:
        content = content_for(handler_input)
        intent = get_intent_name(handler_input)
        slot = content.topic_intents()[intent]
        topic = content.topic_for(intent, resolved_id(handler_input, slot) if slot else None)
        return answer_mid_exercise(handler_input, topic)


class NoExerciseHandler(AbstractRequestHandler):
    """Next, pause, slower... with no exercise going: say how to start one."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return _intent(handler_input) in COACH_ONLY

    def handle(self, handler_input: HandlerInput) -> Response:
        offer = state_of(handler_input).offer or ""
        if is_intent_name("AMAZON.NextIntent")(handler_input) and offer:
            return _next_after_offer(handler_input, offer)
        turn = coach.nothing_under_way(locale=locale_of(handler_input), key=turn_key(handler_input))
        return speak_turn(handler_input, None, turn)


def _next_after_offer(handler_input: HandlerInput, offer: str) -> Response:
    """ "Next" after an answer: the offered topic, or, after an exercise, the offer to start."""
    content, key = content_for(handler_input), turn_key(handler_input)
    if offer in content.topics:
        return answer_topic(handler_input, content.topics[offer])
    exercise = coach.load_catalogue(locale_of(handler_input)).exercises.get(
        offer.removeprefix(coach.OFFER_PREFIX)
    )
    if exercise is None:
        turn = coach.nothing_under_way(locale=locale_of(handler_input), key=key)
        return speak_turn(handler_input, None, turn)
    reply = Reply(
        speech=(pick(content.prompt("next_offers_start"), key).format(name=exercise.name),),
        reprompt=(pick(content.prompt("next_offers_start_reprompt"), key),),
        offer=offer,
    )
    return respond(handler_input, reply)
