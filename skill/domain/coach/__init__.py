"""The hands-free exercise coach: plain Python, no ASK SDK or Flask.

`start` begins an exercise or the workout; `act` applies a command (next, pause,
slower...) to the state; both return the new state and a `Turn`: what to say as timed
blocks of text and pauses, a reprompt, and the exercises finished in that turn. The
state is a plain versioned dict, kept in session attributes under `STATE_KEY`.
"""

from skill.domain.coach.exercises import Exercise, load_catalogue
from skill.domain.coach.machine import (
    MAX_TURN_SECONDS,
    TEMPOS,
    Command,
    State,
    Turn,
    act,
    advice_turn,
    continue_offer,
    exercise_choices,
    is_active,
    load_state,
    new_state,
    nothing_under_way,
    start,
    summary,
)

STATE_KEY = "coach"
OFFER_PREFIX = "coach:"
"""Offer ids that start coaching on "yes" look like "coach:calf_raises"."""


def offer_for_topic(topic_id: str, locale: str = "en-US") -> str | None:
    """The coaching offer id after a topic that explains an exercise, else None."""
    exercise = load_catalogue(locale).by_topic(topic_id)
    return OFFER_PREFIX + exercise.id if exercise else None


__all__ = [
    "MAX_TURN_SECONDS",
    "OFFER_PREFIX",
    "STATE_KEY",
    "TEMPOS",
    "Command",
    "Exercise",
    "State",
    "Turn",
    "act",
    "advice_turn",
    "continue_offer",
    "exercise_choices",
    "is_active",
    "load_catalogue",
    "load_state",
    "new_state",
    "nothing_under_way",
    "offer_for_topic",
    "start",
    "summary",
]
