"""Carry the exercise coach's session state into the user's remembered progress.

The coach keeps its state in the session; these interceptors, run around every turn,
copy what must outlive the session into progress: the saved place while an exercise is
under way (so a timeout or a stop can be resumed another day), the tempo, the
progression step moved up to, and each
exercise finished this turn (counted, dated, streak). Handlers need not know.
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components import (
    AbstractRequestInterceptor,
    AbstractResponseInterceptor,
)
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.alexa.turn import coach_state_of, progress_of, today_of

COMPLETED_BEFORE = "coach_completed_before"  # request attribute


def _session_state(handler_input: HandlerInput) -> dict | None:
    return coach_state_of(handler_input)


def newly_completed(before: list[str], after: list[str]) -> list[str]:
    """Exercises finished since `before`; a list that does not extend it is a new run."""
    return after[len(before) :] if after[: len(before)] == before else list(after)


class NoteCoachingBefore(AbstractRequestInterceptor):
    def process(self, handler_input: HandlerInput) -> None:
        state = _session_state(handler_input)
        completed = list(state["completed"]) if state else []
        handler_input.attributes_manager.request_attributes[COMPLETED_BEFORE] = completed


class RememberCoaching(AbstractResponseInterceptor):
    """Runs before SaveProgress, which then stores whatever changed."""

    def process(self, handler_input: HandlerInput, response: Response) -> None:
        state = _session_state(handler_input)
        if state is None:
            return
        progress = progress_of(handler_input)
        before = handler_input.attributes_manager.request_attributes.get(COMPLETED_BEFORE, [])
        for exercise in newly_completed(before, state["completed"]):
            progress.record_session(exercise, today_of(handler_input))
        progress.tempo = state["tempo"]
        stored = progress.levels  # steps only go up: the higher of the two wins
        progress.levels = {
            name: max(stored.get(name, 0), state["levels"].get(name, 0))
            for name in {*stored, *state["levels"]}
        }
        progress.position = None if state["finished"] else state
