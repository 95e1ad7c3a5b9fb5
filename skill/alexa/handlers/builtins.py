"""The built-in intents every custom skill must handle, the end of a session, and every
other request type Alexa may send, each handled on purpose rather than by the error net."""

import logging

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_intent_name, is_intent_name, is_request_type
from ask_sdk_model import Response

from skill.alexa.session_state import MISSES
from skill.alexa.turn import content_for, respond, state_of, turn_key
from skill.domain import answers
from skill.log_fields import log_field

log = logging.getLogger(__name__)


class HelpHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.HelpIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        offer = state_of(handler_input).offer
        reply = answers.help_reply(content_for(handler_input), turn_key(handler_input), offer=offer)
        return respond(handler_input, reply)


class ExitHandler(AbstractRequestHandler):
    """Stop, cancel and "go home" all end the session politely."""

    INTENTS = ("AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent")

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return any(is_intent_name(name)(handler_input) for name in self.INTENTS)

    def handle(self, handler_input: HandlerInput) -> Response:
        reply = answers.goodbye(content_for(handler_input), turn_key(handler_input))
        return respond(handler_input, reply, remember=False)


class FallbackHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.FallbackIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        state = state_of(handler_input)
        misses = int(state.attributes.get(MISSES) or 0) + 1
        reply = answers.fallback(
            content_for(handler_input), turn_key(handler_input), misses=misses, offer=state.offer
        )
        response = respond(handler_input, reply, remember=False)
        state.attributes[MISSES] = misses  # after respond(), which resets it
        return response


class SessionEndedHandler(AbstractRequestHandler):
    """Alexa allows no speech here; the reason is logged so failed sessions can be traced."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        error = request.error
        error_type = getattr(getattr(error, "object_type", None), "value", None) if error else None
        log.info(
            "session ended request_id=%s reason=%s error_type=%s error=%r",
            log_field(request.request_id),
            log_field(getattr(request.reason, "value", request.reason)),
            log_field(error_type),
            str(error.message)[:200] if error else None,
        )
        return handler_input.response_builder.response


class ExceptionEncounteredHandler(AbstractRequestHandler):
    """Alexa reports that our last response failed: log it; it takes no speech."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("System.ExceptionEncountered")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        error, cause = getattr(request, "error", None), getattr(request, "cause", None)
        log.warning(
            "alexa reported an error request_id=%s cause_request_id=%s error_type=%s error=%r",
            log_field(request.request_id),
            log_field(getattr(cause, "request_id", None)),
            log_field(getattr(getattr(error, "object_type", None), "value", None)),
            str(getattr(error, "message", None))[:200],
        )
        return handler_input.response_builder.response


class UnknownIntentHandler(AbstractRequestHandler):
    """An intent no other handler takes (not in our model, or out of place): the fallback."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("IntentRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        log.info("unhandled intent=%s", log_field(get_intent_name(handler_input)))
        reply = answers.fallback(content_for(handler_input), turn_key(handler_input))
        return respond(handler_input, reply, remember=False)


class OtherRequestHandler(AbstractRequestHandler):
    """Any other request type (AudioPlayer, skill events, APL user events...): nothing to
    say, and most of them allow no speech, so an empty response."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        log.info("unhandled request type=%s", log_field(request.object_type))
        return handler_input.response_builder.response
