"""The last safety net: any exception becomes a spoken apology, never silence."""

import logging

from ask_sdk_core.dispatch_components import AbstractExceptionHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.alexa.turn import content_for, respond, turn_key
from skill.domain import answers
from skill.log_fields import log_field

log = logging.getLogger(__name__)


class CatchAllExceptionHandler(AbstractExceptionHandler):
    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log.error(
            "unhandled error request_id=%s: %s",
            log_field(handler_input.request_envelope.request.request_id),
            exception,
            exc_info=exception,
        )
        reply = answers.error(content_for(handler_input), turn_key(handler_input))
        return respond(handler_input, reply, remember=False)
