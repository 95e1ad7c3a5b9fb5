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
from skill.alexa.turn import locale_of
from skill.domain import coach


class SettleCoaching(AbstractRequestInterceptor):
    def process(self, handler_input: HandlerInput) -> None:
        attributes = handler_input.attributes_manager.session_attributes
        raw = attributes.get(coach.STATE_KEY)
        if raw is None:
            return
        locale = locale_of(handler_input)
        state = coach.load_state(raw, locale)
        if state is None or not state["plan"]:
            return
        attributes[coach.STATE_KEY] = coach.settle(state, request_seconds(handler_input), locale)
