"""Opening the skill without a question."""

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response

from skill.alexa.handlers.resume import saved_state
from skill.alexa.turn import content_for, locale_of, progress_of, respond, turn_key
from skill.domain import answers, coach


class LaunchHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        progress = progress_of(handler_input)
        returning = bool(progress.data.get("disclaimer_heard"))
        saved = saved_state(handler_input)
        reply = answers.launch(
            content_for(handler_input),
            disclaimer_due=progress.disclaimer_due(),
            key=turn_key(handler_input),
            returning=returning,
            saved_place=coach.summary(saved, locale=locale_of(handler_input)) if saved else None,
        )
        return respond(handler_input, reply)
