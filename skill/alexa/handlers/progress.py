"""How am I doing, reset my progress, delete my data (both confirmed with yes or no)."""

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_intent_name, is_intent_name
from ask_sdk_model import Response

from skill.alexa.progress_interceptors import delete_progress, reset_progress
from skill.alexa.session_state import CONFIRM
from skill.alexa.turn import (
    clear_coach_state,
    content_for,
    progress_of,
    respond,
    state_of,
    today_of,
)
from skill.domain import progress_report

ACTIONS = {"ResetProgressIntent": "reset", "DeleteDataIntent": "delete"}


class ProgressHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("ProgressIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        reply = progress_report.summary(
            content_for(handler_input), progress_of(handler_input), today_of(handler_input)
        )
        return respond(handler_input, reply)


class AskToConfirmHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return any(is_intent_name(name)(handler_input) for name in ACTIONS)

    def handle(self, handler_input: HandlerInput) -> Response:
        action = ACTIONS[get_intent_name(handler_input)]
        reply = progress_report.confirm(content_for(handler_input), action)
        response = respond(handler_input, reply)
        state_of(handler_input).confirm = action  # after respond(), which clears it
        return response


class ConfirmationHandler(AbstractRequestHandler):
    """Yes or no right after "reset my progress" or "delete my data"."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        pending = handler_input.attributes_manager.session_attributes.get(CONFIRM)
        return bool(pending) and any(
            is_intent_name(name)(handler_input) for name in ("AMAZON.YesIntent", "AMAZON.NoIntent")
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        content = content_for(handler_input)
        action = handler_input.attributes_manager.session_attributes[CONFIRM]
        if is_intent_name("AMAZON.NoIntent")(handler_input):
            return respond(handler_input, progress_report.kept(content))
        stored = reset_progress if action == "reset" else delete_progress
        if not stored(handler_input):  # confirmed only once it is stored
            return respond(handler_input, progress_report.storage_down(content))
        clear_coach_state(handler_input)  # a live exercise must not write itself back
        return respond(handler_input, progress_report.done(content, action), remember=False)
