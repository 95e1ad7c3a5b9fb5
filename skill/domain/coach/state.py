"""The coach's state: a plain, versioned JSON dict, its strict loader, and moving it on.

The state is the position (which exercise of the routine, which set or hold, which rep
of it, whether its rest was taken), the tempo, what is done, and the plan of the last
coached response (see `clock.py`). It sits in session attributes and in stored progress,
so the loader trusts nothing: anything malformed, stale or forged gives None, never an
exception, and the caller starts afresh.
"""

from __future__ import annotations

import math
from typing import Any

from skill.domain.coach.exercises import Catalogue, Exercise, load_catalogue
from skill.domain.coach.script import own_rest, reps_in_unit
from skill.domain.content import DEFAULT_LOCALE

VERSION = 3
"""2: rep under way, plan of the last response with offsets, tempo steps of x0.8 to x1.5.
3: the progression step of each exercise (`levels`) and a progression offered
mid-exercise ("too easy": `offer`, the exercise; "yes" moves up a step)."""
TEMPOS = (0.8, 0.9, 1.0, 1.15, 1.3, 1.5)
"""Tempo factors "slower" and "faster" step through, from brisk to gentle: each step
changes a rep by 10 to 15 % (calf raises: 4.8 s, 5.4 s, 6 s, 6.9 s, 7.8 s, 9 s a rep)."""
MAX_ROUTINE = 8
MAX_PLAN_UNITS = 40

State = dict[str, Any]

KEYS = {
    "v", "routine", "workout", "item", "unit", "rep", "rested", "last", "tempo", "paused",
    "finished", "cut", "done", "completed", "cues", "plan", "hurt", "levels", "offer",
}  # fmt: skip
HURT_LEVELS = (0, 1, 2)
"""0: no pain said; 1: stopped for pain (only an explicit resume goes on, and it first
checks); 2: checked once, the next resume carries on."""


def new_state(
    routine: list[str],
    *,
    workout: bool = False,
    tempo: float = 1.0,
    levels: dict[str, int] | None = None,
) -> State:
    return {
        "v": VERSION,
        "routine": list(routine),
        "workout": workout,
        "item": 0,
        "unit": 0,
        "rep": 1,
        "rested": False,
        "last": None,
        "tempo": nearest_tempo(tempo),
        "paused": False,
        "finished": False,
        "cut": False,
        "done": {},
        "completed": [],
        "cues": {},
        "plan": None,
        "hurt": 0,
        "levels": {name: level for name, level in (levels or {}).items() if name in routine},
        "offer": None,
    }


def nearest_tempo(tempo: Any) -> float:
    try:
        return min(TEMPOS, key=lambda allowed: abs(allowed - float(tempo)))
    except (TypeError, ValueError):
        return 1.0


def _is_int(value: Any, low: int, high: int) -> bool:
    """An int (not a bool) with low <= value < high."""
    return type(value) is int and low <= value < high


def _is_number(value: Any) -> bool:
    kind = type(value)
    if kind is float:  # what JSON gives: the checks below are the fallback for the rest
        return math.isfinite(value)
    if kind is int:
        return True
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _numbers_within(values: list[Any], low: float, high: float) -> bool:
    """Every value a finite number with low <= value <= high (`low` and `high` finite):
    a plan's rep offsets, about twenty a set, checked on every turn."""
    for value in values:
        if type(value) is float:
            if not low <= value <= high:  # NaN and infinities fail this comparison too
                return False
        elif not (_is_number(value) and low <= value <= high):
            return False
    return True


def _plan_ok(plan: Any, exercises: list[Exercise]) -> bool:
    if plan is None:
        return True
    if not isinstance(plan, dict) or set(plan) != {"at", "units", "end"}:
        return False
    at, units, end = plan["at"], plan["units"], plan["end"]
    if not (at is None or _is_number(at)) or not _is_number(end) or end < 0:
        return False
    if not isinstance(units, list) or not 0 < len(units) <= MAX_PLAN_UNITS:
        return False
    for entry in units:
        if not isinstance(entry, list) or len(entry) != 7:
            return False
        item, unit, rest_start, start, finish, reps, cue = entry
        if not _is_int(item, 0, len(exercises)):
            return False
        exercise = exercises[item]
        if not _is_int(unit, 0, len(exercise.units())) or not _is_int(cue, -1, 100):
            return False
        if rest_start is not None and not _is_number(rest_start):
            return False
        if not (_is_number(start) and _is_number(finish) and 0 <= start <= finish <= end):
            return False
        if not isinstance(reps, list) or len(reps) > reps_in_unit(exercise):
            return False
        if not _numbers_within(reps, start, finish):
            return False
    return True


def _done_ok(done: Any, catalogue: Catalogue, levels: dict[str, int]) -> bool:
    if not isinstance(done, dict):
        return False
    for name, units in done.items():
        if name not in catalogue.exercises or not isinstance(units, list):
            return False
        exercise = catalogue.at(name, levels)
        if exercise is None:
            return False
        if not all(_is_int(u, 0, len(exercise.units())) for u in units):
            return False
    return True


def load_state(raw: Any, locale: str = DEFAULT_LOCALE) -> State | None:
    """The state if it has exactly this version's shape and every value is in range, else
    None. Never raises: stale or forged session attributes must not crash a turn."""
    try:
        raw = _from_version_1(raw)
        if not isinstance(raw, dict) or raw.get("v") != VERSION or set(raw) != KEYS:
            return None
        catalogue = load_catalogue(locale)
        routine = raw["routine"]
        if not isinstance(routine, list) or not 0 < len(routine) <= MAX_ROUTINE:
            return None
        if not all(isinstance(name, str) and name in catalogue.exercises for name in routine):
            return None
        levels = raw["levels"]
        if not isinstance(levels, dict) or not all(
            name in routine and _is_int(level, 0, len(catalogue.exercises[name].progressions) + 1)
            for name, level in levels.items()
        ):
            return None
        offer = raw["offer"]
        if offer is not None and (
            not isinstance(offer, str)
            or offer not in routine
            or levels.get(offer, 0) >= len(catalogue.exercises[offer].progressions)
        ):
            return None
        exercises = [catalogue.at(name, levels) for name in routine]
        if not _is_int(raw["item"], 0, len(routine)):
            return None
        exercise = exercises[raw["item"]]
        if not _is_int(raw["unit"], 0, len(exercise.units())):
            return None
        if not _is_int(raw["rep"], 1, reps_in_unit(exercise) + 1):
            return None
        flags = ("workout", "rested", "paused", "finished", "cut")
        if not all(isinstance(raw[name], bool) for name in flags):
            return None
        last = raw["last"]
        if last is not None:
            if not isinstance(last, list) or len(last) != 2:
                return None
            if not _is_int(last[0], 0, len(routine)):
                return None
            if not _is_int(last[1], 0, len(exercises[last[0]].units())):
                return None
        if not _is_number(raw["tempo"]) or raw["tempo"] not in TEMPOS:
            return None
        if not _done_ok(raw["done"], catalogue, levels):
            return None
        completed = raw["completed"]
        if not isinstance(completed, list) or not all(
            isinstance(name, str) and name in catalogue.exercises for name in completed
        ):
            return None
        cues = raw["cues"]
        if not isinstance(cues, dict) or not all(
            name in catalogue.exercises and _is_int(index, -1, 100) for name, index in cues.items()
        ):
            return None
        if not _plan_ok(raw["plan"], exercises):
            return None
        if raw["hurt"] not in HURT_LEVELS or isinstance(raw["hurt"], bool):
            return None
        # A fresh top level, sharing the nested values: the coach replaces nested values
        # and never changes them in place (`complete_unit`, `settle`, `act`), and the dict
        # checked here is this turn's own (session attributes parsed for this request, a
        # record read as a copy). A deep copy here was half of this function's cost.
        return dict(raw)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        return None


def _from_version_1(raw: Any) -> Any:
    """A place saved by version 1 (no rep, no plan) or 2 (no progression steps) as this
    version, so it can be resumed; anything else is returned as it is, for the checks."""
    if not isinstance(raw, dict) or raw.get("v") not in (1, 2):
        return raw
    if raw.get("v") == 1:
        added = {"rep": 1, "cut": False, "plan": None, "hurt": 0}
        raw = {**raw, **added, "tempo": nearest_tempo(raw.get("tempo"))}
    return {**raw, "v": VERSION, "levels": {}, "offer": None}


def complete_unit(
    state: State, exercise: Exercise, index: int, cue_index: int
) -> tuple[State, tuple[str, ...]]:
    """The position once unit `index` of the current exercise is done (a new dict): the
    next unit, the next exercise, or the end; and the exercise if this finished it."""
    # A copy of what changes here (done, cues, completed, last), sharing the rest (routine,
    # plan), which nothing changes in place: a deep copy per set was a tenth of a turn.
    after = {
        **state,
        "done": {name: list(units) for name, units in state["done"].items()},
        "cues": dict(state["cues"]),
        "completed": list(state["completed"]),
    }
    after["last"] = [state["item"], index]
    done = after["done"].setdefault(exercise.id, [])
    if index not in done:
        done.append(index)
        done.sort()
    if cue_index >= 0:
        after["cues"][exercise.id] = cue_index
    after.update(rested=False, rep=1)
    if index + 1 < len(exercise.units()):
        # A rest the user takes before saying next (see `script.own_rest`) is taken.
        after.update(unit=index + 1, rested=own_rest(exercise, index + 1, state["tempo"]))
        return after, ()
    completed: tuple[str, ...] = ()
    if exercise.id not in after["completed"]:
        after["completed"].append(exercise.id)
        completed = (exercise.id,)
    if after["item"] + 1 < len(after["routine"]):
        after.update(item=after["item"] + 1, unit=0)
    else:
        after["finished"] = True
    return after, completed
