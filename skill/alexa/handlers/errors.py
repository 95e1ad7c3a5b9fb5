"""The last safety net: any exception becomes a spoken apology, never silence, and the net
itself cannot fail.

Requests that allow no speech (the end of a session, Alexa's error report, anything
without a session) get an empty response instead. If even the apology cannot be built
(its words fail to load, say), the answer is the apology in the default locale, and
failing that an empty response: the web service then still answers 200, never 500.
"""

import logging

from ask_sdk_core.dispatch_components import AbstractExceptionHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.alexa.turn import respond, turn_key
from skill.domain import answers
from skill.domain.content import DEFAULT_LOCALE, load_content, shipped_locale
from skill.log_fields import log_field

log = logging.getLogger(__name__)

SPEAKING_TYPES = ("LaunchRequest", "IntentRequest")
"""The request types whose response may carry speech."""


class CatchAllExceptionHandler(AbstractExceptionHandler):
    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        request = handler_input.request_envelope.request
        log.error(
            "unhandled error request_id=%s type=%s: %r",
            log_field(getattr(request, "request_id", None)),
            log_field(getattr(request, "object_type", None)),
            exception,
            exc_info=exception,
        )
        if getattr(request, "object_type", None) not in SPEAKING_TYPES:
            return Response()
        for locale in (shipped_locale(getattr(request, "locale", None)), DEFAULT_LOCALE):
            try:
                reply = answers.error(load_content(locale), turn_key(handler_input))
                return respond(handler_input, reply, remember=False)
            except Exception as error:  # the net must hold: try the default, then silence
                log.error("the apology could not be built locale=%s: %r", locale, error)
        return Response(should_end_session=True)
