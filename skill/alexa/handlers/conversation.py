"""Yes, no and repeat: answers to what the skill itself just said."""

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from skill.alexa.handlers.topics import answer_topic
from skill.alexa.turn import content_for, respond, respond_ssml, state_of, turn_key
from skill.domain import answers
from skill.domain.speech import to_ssml_body


class YesHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.YesIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        content = content_for(handler_input)
        offer = state_of(handler_input).offer
        if offer in content.topics:
            return answer_topic(handler_input, content.topics[offer])
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
        last = state_of(handler_input).last  # plain text and pauses, validated
        if last:
            speech, reprompt = last
            return respond_ssml(handler_input, to_ssml_body(speech), to_ssml_body(reprompt))
        content = content_for(handler_input)
        reply = answers.anything_else(content, "nothing_to_repeat", turn_key(handler_input))
        return respond(handler_input, reply)
