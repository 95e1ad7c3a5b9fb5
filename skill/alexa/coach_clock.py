"""Settle the last coached response by the new request's timestamp, before any handler.

A coached response is not counted done when it is sent: the user may cut it short by
speaking ("Alexa, wait"), or leave. So each request, whatever it is (a command, a
question, SessionEndedRequest), first applies the last coached response as far as its
timestamp shows it played (`coach.settle`), and every handler, the stop summary and the
progress interceptors see only what was really done.
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor
from ask_sdk_core.handler_input import HandlerInput

from skill.alexa.handlers.exercise import request_seconds
from skill.alexa.turn import coach_state_of, locale_of, set_coach_state
from skill.domain import coach


class SettleCoaching(AbstractRequestInterceptor):
    def process(self, handler_input: HandlerInput) -> None:
        state = coach_state_of(handler_input)
        if state is None or not state["plan"]:
            return
        settled = coach.settle(state, request_seconds(handler_input), locale_of(handler_input))
        set_coach_state(handler_input, settled)
