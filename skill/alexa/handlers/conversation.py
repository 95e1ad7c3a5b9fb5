"""Yes, no and repeat: answers to what the skill itself just said."""

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from skill.alexa.handlers.exercise import answer_in_context, speak_turn
from skill.alexa.handlers.topics import topic_again
from skill.alexa.session_state import CHOICES
from skill.alexa.turn import (
    content_for,
    locale_of,
    resolved_id,
    respond,
    respond_ssml,
    state_of,
    turn_key,
)
from skill.domain import answers, coach
from skill.domain.speech import to_ssml_body


class YesHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.YesIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        content = content_for(handler_input)
        offer = state_of(handler_input).offer
        if offer in content.topics:
            return answer_in_context(handler_input, content.topics[offer])
        reply = answers.anything_else(content, "yes_without_offer", turn_key(handler_input))
        return respond(handler_input, reply)


class NoHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.NoIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        content, key = content_for(handler_input), turn_key(handler_input)
        if state_of(handler_input).offer:
            return respond(handler_input, answers.declined(content, key))
        return respond(handler_input, answers.goodbye(content, key))


class RepeatHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.RepeatIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        source = state_of(handler_input).last_topic  # checked against the content
        if source is not None:
            again = topic_again(handler_input, source)
            return respond_ssml(
                handler_input, to_ssml_body(again.speech), to_ssml_body(again.reprompt)
            )
        last = state_of(handler_input).last  # plain text and pauses, validated
        if last:
            speech, reprompt = last
            return respond_ssml(handler_input, to_ssml_body(speech), to_ssml_body(reprompt))
        content = content_for(handler_input)
        reply = answers.anything_else(content, "nothing_to_repeat", turn_key(handler_input))
        return respond(handler_input, reply)


class MoreHandler(AbstractRequestHandler):
    """ "Tell me more", "what else", "go on": the offer on the table, or more on an exercise."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("MoreIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        content, key = content_for(handler_input), turn_key(handler_input)
        offer = state_of(handler_input).offer or ""
        if offer in content.topics:
            return answer_in_context(handler_input, content.topics[offer])
        if offer.startswith(coach.OFFER_PREFIX):  # after an exercise: how to progress it
            exercise_id = offer.removeprefix(coach.OFFER_PREFIX)
            turn = coach.advice_turn(
                exercise_id, coach.Command.HARDER, locale=locale_of(handler_input), key=key
            )
            return speak_turn(handler_input, None, turn)
        return respond(handler_input, answers.anything_else(content, "more_without_offer", key))


class ChooseHandler(AbstractRequestHandler):
    """ "The first one", "the last one", after an answer that listed things."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("ChooseIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        content = content_for(handler_input)
        choices = handler_input.attributes_manager.session_attributes.get(CHOICES) or []
        topic = answers.choose(content, choices, resolved_id(handler_input, "ordinal"))
        if topic is None:
            reply = answers.anything_else(content, "which_one", turn_key(handler_input))
            return respond(handler_input, reply)
        return answer_in_context(handler_input, topic)
