"""Opening the skill without a question."""

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response

from skill import answers
from skill.alexa import content_for, progress_of, respond, turn_key


class LaunchHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        due = progress_of(handler_input).disclaimer_due()
        reply = answers.launch(
            content_for(handler_input), disclaimer_due=due, key=turn_key(handler_input)
        )
        return respond(handler_input, reply)
