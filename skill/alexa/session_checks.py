"""Check the session attributes Alexa hands back before any handler trusts them.

They round-trip through the client, so they can come back changed or broken. Each one
the skill reads (coach state, offer, pending confirmation, last reply) goes through its
validating loader; a malformed one is dropped with one log line and the turn goes on as
if it had never been set. A dropped coach state is noted, so the next coaching command
restarts that exercise with a kind word instead of failing (`handlers/lost_place.py`).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor
from ask_sdk_core.handler_input import HandlerInput

from skill.alexa.progress_interceptors import PENDING
from skill.alexa.session_state import (
    ANSWERED,
    CHOICES,
    CONFIRM,
    LAST,
    MISSES,
    OFFER,
    valid_answered,
    valid_choices,
    valid_confirm,
    valid_last,
    valid_misses,
    valid_offer,
)
from skill.alexa.turn import coach_state_of, content_for, locale_of
from skill.domain import coach
from skill.log_fields import log_field

log = logging.getLogger(__name__)

LOST_EXERCISE = "lost_exercise"
"""Request attribute: the exercise whose malformed state was dropped ("" for a workout)."""


OFFER_TOKEN = re.compile(r"[A-Za-z0-9_.:-]+")


def known_offer(handler_input: HandlerInput) -> Any:
    """Coaching offers must name an exercise we coach (yes would start it); other offers
    are ids the yes handlers look up, so any short token is safe to keep."""
    exercises = coach.load_catalogue(locale_of(handler_input)).exercises

    def known(offer: str) -> bool:
        if offer.startswith(coach.OFFER_PREFIX):
            return offer.removeprefix(coach.OFFER_PREFIX) in exercises
        if offer.startswith(coach.LEVEL_PREFIX):  # a progression step: yes stores it
            return offer.removeprefix(coach.LEVEL_PREFIX) in exercises
        return OFFER_TOKEN.fullmatch(offer) is not None

    return known


def valid_coach_state(handler_input: HandlerInput) -> bool:
    """The coach's own loader decides (it owns the format and checks every key, kind and
    range: `coach.load_state`); loaded once for the whole turn."""
    return coach_state_of(handler_input) is not None


def exercise_of(raw: Any, exercises: Any) -> str | None:
    """Which exercise a broken state was about, if that much can still be read."""
    routine = raw.get("routine") if isinstance(raw, dict) else None
    if not isinstance(routine, list) or not routine:
        return None
    if len(routine) > 1:
        return ""  # the workout
    first = routine[0]
    return first if isinstance(first, str) and first in exercises else None


KNOWN_KEYS = frozenset({OFFER, CONFIRM, LAST, coach.STATE_KEY, PENDING, MISSES, CHOICES, ANSWERED})
"""Every session attribute the skill writes. Others are dropped: they would be echoed back
in every response, and a forged one could push a response past Alexa's size limit."""


class CheckSession(AbstractRequestInterceptor):
    def process(self, handler_input: HandlerInput) -> None:
        attributes = handler_input.attributes_manager.session_attributes
        unknown = [key for key in attributes if key not in KNOWN_KEYS]
        for key in unknown:
            del attributes[key]
        if unknown:
            log.warning(
                "dropped session attributes count=%d request_id=%s: not ones the skill writes",
                len(unknown),
                log_field(handler_input.request_envelope.request.request_id),
            )
        checks = {
            OFFER: lambda value: valid_offer(value, known_offer(handler_input)),
            CONFIRM: valid_confirm,
            LAST: lambda value: valid_last(value, content_for(handler_input).topics),
            coach.STATE_KEY: lambda _value: valid_coach_state(handler_input),
            MISSES: valid_misses,
            CHOICES: lambda value: valid_choices(value, content_for(handler_input).topics),
            ANSWERED: valid_answered,
        }
        for key, valid in checks.items():
            value = attributes.get(key)
            if value is None or valid(value):
                continue
            del attributes[key]
            log.warning(
                "dropped session attribute key=%s request_id=%s: not one the skill wrote",
                key,
                log_field(handler_input.request_envelope.request.request_id),
            )
            if key == coach.STATE_KEY:
                exercises = coach.load_catalogue(locale_of(handler_input)).exercises
                lost = exercise_of(value, exercises)
                if lost is not None:
                    handler_input.attributes_manager.request_attributes[LOST_EXERCISE] = lost
        # What Alexa handed back is now checked (or absent): a coach state stored later in
        # this turn is the coach's own (`coach_state_of`).
        coach_state_of(handler_input)
