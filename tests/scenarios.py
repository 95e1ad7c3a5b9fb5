"""Every request the skill can be sent, so tests can check each response, not a sample."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from skill.chat.simulator import Conversation, Unmatched, load_model, slot_values

BUILT_INS_WITHOUT_SLOTS = "AMAZON."
DESCRIPTIVE_TYPES = (
    "JOINT",
    "NOISE",
    "AMOUNT",
    "UNIT",
    "SIDE",
    "REST",
    "EASY",
    "HARD",
    "WORKOUT",
    "DATA",
    "STATS",
    "INFO",
    "ACTIVITY",
)
"""Slot types that widen what is understood ("my feet", "clicking") but never change the
answer: tried empty and unmatched, not value by value, so the suite stays quick."""


@dataclass(frozen=True)
class Call:
    intent: str
    slots: dict[str, Any]

    def __str__(self) -> str:
        args = ",".join(f"{k}={getattr(v, 'spoken', v)}" for k, v in self.slots.items())
        return f"{self.intent}({args})"


def every_intent_call(locale: str = "en-US") -> Iterator[Call]:
    """Each intent once per slot value, plus with the slot missing and unmatched."""
    for intent in load_model(locale)["intents"]:
        slots = intent.get("slots", [])
        yield Call(intent["name"], {s["name"]: None for s in slots})
        for slot in slots:
            yield Call(intent["name"], {slot["name"]: Unmatched("jumping jacks")})
            if slot["type"] in DESCRIPTIVE_TYPES:
                continue
            for value in slot_values(slot["type"], locale):
                yield Call(intent["name"], {slot["name"]: value["id"]})


def prepared(conversation: Conversation, how: str) -> Conversation:
    """Put the conversation in a starting situation: one-shot, fresh session, or mid-talk."""
    if how == "in_session":
        conversation.launch()
    elif how == "after_answer":
        conversation.launch()
        conversation.intent("WhyAnklesPopIntent")
    elif how == "mid_exercise":
        conversation.launch()
        conversation.intent("StartExerciseIntent", exercise="single_leg_balance")
    elif how == "paused_workout":
        conversation.intent("StartWorkoutIntent")
        conversation.intent("AMAZON.NextIntent")
        conversation.intent("AMAZON.PauseIntent")
    elif how == "exercise_done":
        conversation.launch()
        conversation.intent("StartExerciseIntent", exercise="calf_raises")
        for _ in range(2):
            conversation.intent("AMAZON.NextIntent")
    return conversation


SITUATIONS = (
    "one_shot", "in_session", "after_answer", "mid_exercise", "paused_workout", "exercise_done",
)  # fmt: skip
