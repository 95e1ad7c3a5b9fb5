"""Where the user got to in a coached response, from Alexa's request timestamps alone.

When the user speaks while a coached response plays, Alexa cuts the speech and sends
the request. So each coached response keeps a plan in the state: the timestamp of the
request that produced it (`at`) and, for each set or hold in it, the offsets (seconds
from the start of the response) of its rest, its start, each rep, and its end. The next
request's timestamp minus `at`, less DELIVERY_ALLOWANCE, is how far the response had
played. Sets that ended by then are done; the one under way is not, and the position
moves to its rep under way. Only Alexa's timestamps are used, never the server clock,
so tests drive it exactly. Without a timestamp the response counts as played through.

Alexa's timestamps have whole seconds, so a position is good to about a second.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from skill.domain.coach.exercises import load_catalogue
from skill.domain.coach.phrases import load_phrases
from skill.domain.coach.script import Block, side_name
from skill.domain.coach.state import State, complete_unit
from skill.domain.content import DEFAULT_LOCALE

DELIVERY_ALLOWANCE = 2.0
"""Seconds between the two timestamps that are not listening time. An estimate, not a
measurement (Amazon publishes neither part): about 1 s from the producing request to the
speech starting (the skill answers a coached turn in milliseconds, `docs/benchmarks.md`;
the rest is Alexa's speech synthesis and the device starting to play), and about 1 s
from the wake word, which cuts the speech, to the next request (saying "wait" takes
about half a second, then end-of-speech detection and recognition). Alexa's timestamps
have whole seconds, so positions are good to about a second whatever this is; tune it
on a device by logging interruptions against the plan's offsets (README, "Interrupted
is not done")."""


@dataclass(frozen=True)
class Position:
    """How far a coached response had got: the set or hold, and the rep under way."""

    exercise: str
    unit: int
    set: int
    side: str | None
    rep: int
    """The rep under way, counted through both sides of a within-set exercise (1 for a
    hold); 0 while still resting before the set."""
    seconds: float
    """Seconds into the set or hold (negative while resting before it)."""
    played_through: bool = False
    """The response had finished: the position is the next set, not begun."""


def make_plan(blocks: list[Block], units: list[tuple[int, int, int]], at: float | None) -> dict:
    """The plan of a response: `units` are (item, unit, cue index) in the order coached."""
    # [rest, start, reps, end] per unit, rounded once at the end: a response has 100 to
    # 200 blocks, and a set's end moves with each of its phases.
    marks: dict[int, list[Any]] = {}
    offset = 0.0
    for block in blocks:
        seconds = block.seconds
        unit = block.unit
        if unit >= 0:
            mark = marks.get(unit)
            if mark is None:
                mark = marks[unit] = [None, None, [], None]
            kind = block.kind
            if kind == "rest" or kind == "lead_in":  # reached: not said again (`rested`)
                mark[0] = offset
            elif mark[1] is None:
                mark[1] = offset
            if block.rep:
                mark[2].append(offset)
            if kind == "phase" or kind == "hold":
                mark[3] = offset + seconds
        offset += seconds
    entries = []
    for item, unit, cue in units:
        rest, start, reps, end = marks[unit]
        entries.append(
            [
                item,
                unit,
                None if rest is None else round(rest, 2),
                None if start is None else round(start, 2),
                round(end, 2),
                [round(rep, 2) for rep in reps],
                cue,
            ]
        )
    return {"at": at, "units": entries, "end": round(offset, 2)}


def elapsed(state: State, now: float | None) -> float | None:
    """Seconds of the last coached response heard by `now`, or None when unknown."""
    plan = state.get("plan")
    if not plan or plan["at"] is None or now is None:
        return None
    return now - plan["at"] - DELIVERY_ALLOWANCE


def settle(state: State, now: float | None, locale: str = DEFAULT_LOCALE) -> State:
    """Apply the last coached response as far as it was heard by `now` (a new dict).

    Sets that ended are done; the one under way is not done, and the position moves to
    its rep under way (`cut` says the response was cut short). Without a plan, the state
    is returned as it is; without a timestamp, the response counts as played through.
    """
    plan = state.get("plan")
    if not plan:
        return state
    catalogue = load_catalogue(locale)
    heard = elapsed(state, now)
    state = {**state, "plan": None, "cut": False}  # nested values are replaced, never changed
    for item, unit, rest_start, start, end, reps, cue in plan["units"]:
        exercise = catalogue.at(state["routine"][item], state["levels"])
        if heard is None or heard >= end:
            state, _ = complete_unit(state, exercise, unit, cue)
            continue
        state.update(item=item, unit=unit, cut=True, finished=False)
        if heard < start:
            state["rested"] = state["rested"] or (rest_start is not None and heard >= rest_start)
        else:
            reached = sum(1 for offset in reps if offset <= heard)
            state["rep"] = state["rep"] + max(reached - 1, 0)
            state["rested"] = True
        break
    return state


def position_at(state: State, seconds: float, locale: str = DEFAULT_LOCALE) -> Position | None:
    """Where the last coached response had got to `seconds` after it began, or None when
    there is no coached response under way. For "how many left" and the like."""
    plan = state.get("plan")
    if not plan:
        return None
    catalogue = load_catalogue(locale)
    rep = state["rep"]
    for item, unit, _rest, start, end, reps, _cue in plan["units"]:
        exercise = catalogue.at(state["routine"][item], state["levels"])
        if seconds >= end:
            rep = 1
            continue
        details = exercise.units()[unit]
        side = side_name(exercise, load_phrases(locale), details.side) or None
        reached = sum(1 for offset in reps if offset <= seconds)
        under_way = rep + reached - 1 if reached else 0
        return Position(exercise.id, unit, details.set, side, under_way, seconds - start)
    item, unit = plan["units"][-1][:2]
    exercise = catalogue.at(state["routine"][item], state["levels"])
    details = exercise.units()[unit]
    side = side_name(exercise, load_phrases(locale), details.side) or None
    return Position(exercise.id, unit, details.set, side, 0, seconds, played_through=True)
