"""The hands-free exercise coach: plain Python, no ASK SDK or Flask.

`start` begins an exercise or the workout; `act` applies a command (next, pause,
slower...) to the state; both return the new state and a `Turn`: what to say as timed
blocks of text, pauses and sounds, and a reprompt. The state is a plain versioned dict,
kept in session attributes under `STATE_KEY`; it carries the plan of the last coached
response, which `settle` applies as far as the next request's timestamp shows it played.
"""

from skill.domain.coach import script
from skill.domain.coach.clock import DELIVERY_ALLOWANCE, Position, elapsed, position_at, settle
from skill.domain.coach.exercises import Exercise, load_catalogue
from skill.domain.coach.machine import (
    MAX_TURN_SECONDS,
    Command,
    Turn,
    act,
    advice_turn,
    check_before_start,
    continue_offer,
    exercise_choices,
    is_active,
    move_up,
    nothing_under_way,
    planned_minutes,
    progression_settled,
    start,
    summary,
)
from skill.domain.coach.phrases import load_phrases
from skill.domain.coach.state import TEMPOS, VERSION, State, load_state, new_state

STATE_KEY = "coach"
OFFER_PREFIX = "coach:"
"""Offer ids that start coaching on "yes" look like "coach:calf_raises"."""
LEVEL_PREFIX = "level:"
"""Offer ids of a progression step asked about as a session ends: "level:calf_raises"
("yes" moves the user up a step; stored with their progress)."""
HURT_CHECK = "coach_hurt_check"
"""The session offer after "does anything hurt?": "yes" gets the safety answer."""


def sound_lengths(locale: str = "en-US") -> dict[str, float]:
    """Seconds each sound-library clip the coach plays, by its src (for checks and previews)."""
    return script.sound_lengths(load_phrases(locale))


def offer_for_topic(topic_id: str, locale: str = "en-US") -> str | None:
    """The coaching offer id after a topic that explains an exercise, else None."""
    exercise = load_catalogue(locale).by_topic(topic_id)
    return OFFER_PREFIX + exercise.id if exercise else None


__all__ = [
    "DELIVERY_ALLOWANCE",
    "HURT_CHECK",
    "LEVEL_PREFIX",
    "MAX_TURN_SECONDS",
    "OFFER_PREFIX",
    "STATE_KEY",
    "TEMPOS",
    "VERSION",
    "Command",
    "Exercise",
    "Position",
    "State",
    "Turn",
    "act",
    "advice_turn",
    "check_before_start",
    "continue_offer",
    "elapsed",
    "exercise_choices",
    "is_active",
    "load_catalogue",
    "load_state",
    "move_up",
    "new_state",
    "nothing_under_way",
    "offer_for_topic",
    "planned_minutes",
    "position_at",
    "progression_settled",
    "settle",
    "sound_lengths",
    "start",
    "summary",
]
