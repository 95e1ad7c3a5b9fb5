"""A coaching command whose exercise state came back malformed: start that exercise again.

`CheckSession` dropped the state and noted which exercise it was about; rather than an
apology or "no exercise going", the user hears a kind word and the exercise from the top.
Stop, help and questions are not caught here: they are answered as usual.
"""

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_intent_name, is_request_type
from ask_sdk_model import Response

from skill.alexa.handlers.exercise import speak_turn
from skill.alexa.session_checks import LOST_EXERCISE
from skill.alexa.turn import content_for, locale_of, progress_of, turn_key
from skill.domain import coach
from skill.domain.speech import pick

CARRY_ON = (
    "AMAZON.NextIntent", "AMAZON.PreviousIntent", "AMAZON.RepeatIntent", "AMAZON.ResumeIntent",
    "AMAZON.StartOverIntent", "AMAZON.YesIntent", "SlowerIntent", "FasterIntent", "SkipIntent",
)  # fmt: skip
"""Commands that mean "go on with the exercise": those restart it."""


class LostPlaceHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        lost = handler_input.attributes_manager.request_attributes.get(LOST_EXERCISE)
        return (
            lost is not None
            and is_request_type("IntentRequest")(handler_input)
            and get_intent_name(handler_input) in CARRY_ON
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        lost = handler_input.attributes_manager.request_attributes[LOST_EXERCISE]
        key = turn_key(handler_input)
        state, turn = coach.start(
            lost or None,
            tempo=progress_of(handler_input).tempo or 1.0,
            intro=(pick(content_for(handler_input).prompt("lost_place"), key),),
            locale=locale_of(handler_input),
            key=key,
        )
        return speak_turn(handler_input, state, turn)
