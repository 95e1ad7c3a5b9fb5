"""Cross-cutting work done on every turn, the ASK SDK way."""

import logging

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import IntentRequest

log = logging.getLogger(__name__)


class RequestLogger(AbstractRequestInterceptor):
    """One line per turn; no user ids or utterances, which are personal data."""

    def process(self, handler_input: HandlerInput) -> None:
        request = handler_input.request_envelope.request
        intent = request.intent.name if isinstance(request, IntentRequest) else "-"
        log.info(
            "turn request_id=%s type=%s intent=%s locale=%s",
            request.request_id,
            request.object_type,
            intent,
            request.locale,
        )
