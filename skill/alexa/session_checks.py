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
    load_last,
    valid_answered,
    valid_choices,
    valid_confirm,
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
        return OFFER_TOKEN.fullmatch(offer) is not None

    return known


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _like(value: Any, template: Any) -> bool:
    """Same JSON kind as the value a new state has (None there: anything)."""
    if template is None:
        return True
    if isinstance(template, bool):
        return isinstance(value, bool)
    if isinstance(template, int):
        return _whole(value)
    if isinstance(template, float):
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, type(template))


def coach_state_shape(state: dict[str, Any], exercises: Any) -> bool:
    """What `coach.load_state` does not check yet: exactly the keys a new state has, each of
    the same kind, and the progress it keeps (`done`, `cues`, `completed`) naming exercises
    we coach. Read from `coach.new_state`, so a new state format needs no change here."""
    template = coach.new_state([])
    if set(state) != set(template) or not all(_like(state[k], v) for k, v in template.items()):
        return False
    done, cues = state.get("done", {}), state.get("cues", {})
    return (
        all(
            name in exercises and isinstance(sets, list) and all(map(_whole, sets))
            for name, sets in done.items()
        )
        and all(
            name in exercises and (_whole(index) or index == -1) for name, index in cues.items()
        )
        and all(isinstance(name, str) and name in exercises for name in state.get("completed", []))
    )


def valid_coach_state(handler_input: HandlerInput) -> bool:
    """The coach's own loader first (it owns the format; loaded once for the whole turn),
    then the shape check above."""
    state = coach_state_of(handler_input)
    exercises = coach.load_catalogue(locale_of(handler_input)).exercises
    return state is not None and coach_state_shape(state, exercises)


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
            LAST: lambda value: load_last(value) is not None,
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
