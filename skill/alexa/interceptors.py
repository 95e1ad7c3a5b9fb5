"""Cross-cutting work done on every turn, the ASK SDK way."""

import logging

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import IntentRequest

from skill.log_fields import log_field

log = logging.getLogger(__name__)


class EntryLogsRequests:
    """Passed as the invocation context by an entry point that writes its own line per
    request with the same fields (the web service): the turn line would only repeat it."""


ENTRY_LOGS_REQUESTS = EntryLogsRequests()


class RequestLogger(AbstractRequestInterceptor):
    """One line per turn; no user ids or utterances, which are personal data."""

    def process(self, handler_input: HandlerInput) -> None:
        if handler_input.context is ENTRY_LOGS_REQUESTS:
            return
        request = handler_input.request_envelope.request
        intent = request.intent.name if isinstance(request, IntentRequest) else "-"
        log.info(
            "turn request_id=%s type=%s intent=%s locale=%s",
            log_field(request.request_id),
            log_field(request.object_type),
            log_field(intent),
            log_field(request.locale),
        )
