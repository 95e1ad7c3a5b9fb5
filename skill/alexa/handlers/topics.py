"""Every question intent, answered from the topics data file."""

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_intent_name, is_request_type
from ask_sdk_model import Response

from skill.alexa.session_state import TopicSource
from skill.alexa.turn import content_for, is_one_shot, progress_of, resolved_id, respond, turn_key
from skill.domain import answers
from skill.domain.content import Topic
from skill.domain.reply import Reply


def answer_topic(handler_input: HandlerInput, topic: Topic) -> Response:
    disclaimer, key = progress_of(handler_input).disclaimer_due(), turn_key(handler_input)
    one_shot = is_one_shot(handler_input)
    reply = answers.topic(
        content_for(handler_input), topic, one_shot=one_shot, disclaimer_due=disclaimer, key=key
    )
    # `repeat` builds the same answer again from what produced it: no copy of its words.
    source = None if one_shot else TopicSource(topic.id, key, disclaimer)
    return respond(handler_input, reply, source=source)


def topic_again(handler_input: HandlerInput, source: TopicSource) -> Reply:
    """The answer `source` produced, word for word (an open session's, so not one-shot)."""
    content = content_for(handler_input)
    return answers.topic(
        content,
        content.topics[source.topic],
        one_shot=False,
        disclaimer_due=source.disclaimer,
        key=source.key,
    )


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
