"""Every question intent, answered from the topics data file."""

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_intent_name, is_request_type
from ask_sdk_model import Response

from skill.alexa.turn import content_for, is_one_shot, progress_of, resolved_id, respond, turn_key
from skill.domain import answers
from skill.domain.content import Topic


def answer_topic(handler_input: HandlerInput, topic: Topic) -> Response:
    reply = answers.topic(
        content_for(handler_input),
        topic,
        one_shot=is_one_shot(handler_input),
        disclaimer_due=progress_of(handler_input).disclaimer_due(),
        key=turn_key(handler_input),
    )
    return respond(handler_input, reply)


class TopicHandler(AbstractRequestHandler):
    """One handler for all question intents: the intent-to-topic map is data, not code."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("IntentRequest")(handler_input) and (
            get_intent_name(handler_input) in content_for(handler_input).topic_intents()
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        content = content_for(handler_input)
        intent = get_intent_name(handler_input)
        slot = content.topic_intents()[intent]
        value = resolved_id(handler_input, slot) if slot else None
        return answer_topic(handler_input, content.topic_for(intent, value))
