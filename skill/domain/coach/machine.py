"""The coach as a small state machine: a plain, versioned dict and a command in, the next
dict and a Turn (what to say, as timed blocks) out.

Once the user is going, one response carries as much as fits in MAX_TURN_SECONDS: a set,
then the next set's rest (with its count-down) and that set, and so on, so a rest never
stands alone and a workout needs at most one "next" per set. A response stops at the end
of an exercise (the next one needs its own set-up). What a response covers is not
counted done when it is sent: its plan is kept in the state, and the next request's
timestamp settles how far it got (`clock.py`). Every function here is pure.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cached_property
from itertools import chain
from typing import Any

from skill.domain.coach.clock import make_plan, settle
from skill.domain.coach.exercises import Catalogue, Exercise, Unit, load_catalogue
from skill.domain.coach.memo import script_totals, set_script
from skill.domain.coach.phrases import Phrases, load_phrases, sentence
from skill.domain.coach.script import (
    MAX_TURN_SECONDS,
    REST_FLOOR,
    Block,
    lead_in_block,
    own_rest,
    side_name,
    talk,
    unit_seconds,
)
from skill.domain.coach.state import (
    TEMPOS,
    State,
    complete_unit,
    load_state,
    new_state,
)
from skill.domain.content import DEFAULT_LOCALE
from skill.domain.speech import Segment

MAX_SOUNDS = 5
"""Alexa plays at most five audio tags per response."""
MAX_SSML_CHARS = 7500
"""Alexa's limit is 8,000 characters; the rest is margin for the wrapper and a prompt."""
TALK_PER_UNIT = 8.0
"""Seconds of talk around each set or hold (announcement, done), for the minutes estimate."""
TALK_PER_EXERCISE = 30.0
"""Seconds of talk per exercise (opening, set-up, closing), for the minutes estimate."""
PROGRESSION_AFTER = 3
"""Completed sessions of an exercise after which the coach suggests its next step."""


class Command(StrEnum):
    NEXT = "next"
    PREVIOUS = "previous"
    REPEAT = "repeat"
    PAUSE = "pause"
    RESUME = "resume"
    START_OVER = "start_over"
    SKIP = "skip"
    SLOWER = "slower"
    FASTER = "faster"
    YES = "yes"
    NO = "no"
    HELP = "help"
    STOP = "stop"
    FALLBACK = "fallback"
    PAIN = "pain"
    STATUS = "status"
    SWITCH_SIDES = "switch_sides"
    BREAK = "break"
    EASIER = "easier"
    HARDER = "harder"
    NO_EQUIPMENT = "no_equipment"


@dataclass(frozen=True)
class Turn:
    """One response: timed blocks of speech, a reprompt (none ends the session), and the
    exercises it finishes if it plays through (counted once the next request shows it did)."""

    blocks: tuple[Block, ...]
    reprompt: tuple[Segment, ...] = ()
    completed: tuple[str, ...] = ()
    title: str = ""
    """For a card or screen: the exercise, and (`detail`) the set or hold being done."""
    detail: str = ""
    offer: str = ""
    """An exercise whose next progression step this response, the last of the session,
    asks about ("yes" moves the user up: stored with their progress)."""
    asks_hurt: bool = False
    """This response asks "does anything hurt?": "yes" is a pain statement, never "go on"."""

    @cached_property
    def speech(self) -> tuple[Segment, ...]:
        """Made once per turn (the handler, the reply and the checks each read it)."""
        return tuple(chain.from_iterable(block.segments for block in self.blocks))

    @cached_property
    def ssml(self) -> str:
        """`to_ssml_body(self.speech)`, from the blocks' own SSML pieces (each made once)."""
        return " ".join(chain.from_iterable(block.ssml_parts for block in self.blocks))

    @property
    def seconds(self) -> float:
        return sum(block.seconds for block in self.blocks)

    @property
    def judged_seconds(self) -> float:
        return sum(block.judged_seconds for block in self.blocks)

    @property
    def ends_session(self) -> bool:
        return not self.reprompt


@dataclass(frozen=True)
class _Coach:
    catalogue: Catalogue
    phrases: Phrases
    locale: str
    history: Mapping[str, int]
    """Completed sessions per exercise before today (from stored progress)."""

    def exercise(self, state: State) -> Exercise:
        return self.catalogue.at(state["routine"][state["item"]], state["levels"])


def _coach(locale: str, key: str, history: Mapping[str, int] | None = None) -> _Coach:
    return _Coach(load_catalogue(locale), load_phrases(locale).for_turn(key), locale, history or {})


def is_active(state: object, locale: str = DEFAULT_LOCALE) -> bool:
    """An exercise is under way (maybe paused), so next, yes, repeat... go to the coach."""
    loaded = load_state(state, locale)
    return loaded is not None and not settle(loaded, None, locale)["finished"]


def planned_minutes(
    routine: list[str],
    tempo: float,
    locale: str = DEFAULT_LOCALE,
    levels: dict[str, int] | None = None,
) -> int:
    """Minutes a routine takes at a tempo, from its plan: lead-ins, sets, holds, rests and
    an allowance for talk; computed, not scripted, so nothing is built to be thrown away."""
    catalogue = load_catalogue(locale)
    seconds = 0.0
    for name in routine:
        exercise = catalogue.at(name, levels)
        units = exercise.units()
        seconds += exercise.lead_in_seconds + TALK_PER_EXERCISE
        seconds += len(units) * (unit_seconds(exercise, tempo) + TALK_PER_UNIT)
        seconds += sum(exercise.rest_before(index) for index in range(len(units)))
    return max(1, round(seconds / 60))


def start(
    exercise_id: str | None,
    *,
    tempo: float = 1.0,
    intro: tuple[Segment, ...] = (),
    locale: str = DEFAULT_LOCALE,
    key: str = "",
    now: float | None = None,
    history: Mapping[str, int] | None = None,
    levels: dict[str, int] | None = None,
) -> tuple[State, Turn]:
    """Begin one exercise, or the whole workout when `exercise_id` is None. `now` is the
    request's timestamp (seconds), kept to tell later how far the response got; `levels`
    the user's progression step per exercise (from stored progress)."""
    coach = _coach(locale, key, history)
    say = coach.phrases.say
    if exercise_id is None:
        routine = list(coach.catalogue.workout)
        state = new_state(routine, workout=True, tempo=tempo, levels=levels)
        exercises = [coach.catalogue.at(name, state["levels"]) for name in routine]
        needs = list(dict.fromkeys(need for e in exercises for need in e.needs))
        opening = say(
            "flow.start_workout",
            names=_join([e.name for e in exercises]),
            minutes=planned_minutes(state["routine"], state["tempo"], locale, state["levels"]),
            needs=_join(needs),
        )
    else:
        state = new_state([exercise_id], tempo=tempo, levels=levels)
        name = coach.catalogue.exercises[exercise_id].name
        minutes = planned_minutes(state["routine"], state["tempo"], locale, state["levels"])
        opening = " ".join(
            (say("flow.start_exercise", name=name), say("flow.start_one", minutes=minutes))
        )
    return _perform(state, coach, lead=[*intro, opening], now=now, announce=False)


def act(
    state: State,
    command: Command | str,
    *,
    locale: str = DEFAULT_LOCALE,
    key: str = "",
    now: float | None = None,
    history: Mapping[str, int] | None = None,
    detail: str | None = None,
) -> tuple[State, Turn]:
    """Apply a command to an active exercise, from where the last response got to
    (`detail`: the equipment for NO_EQUIPMENT)."""
    coach = _coach(locale, key, history)
    state = settle(dict(state), now, locale)  # top-level keys are replaced, never changed
    say = coach.phrases.say
    command = Command(command)
    if command in _EXTRA_COMMANDS or (state["hurt"] and command not in _ALLOWED_HURT):
        return _extra(state, coach, command, detail, now)
    if command == Command.YES and state["offer"] and not state["finished"]:
        return move_up(state, locale=locale, key=key, now=None, history=history)
    if command not in (Command.HELP, Command.FALLBACK):
        state["offer"] = None  # anything else than "yes" (help aside) turns the offer down
    if command in (Command.NEXT, Command.RESUME, Command.YES):
        return _perform(state, coach, lead=[], now=now)
    if command == Command.REPEAT:
        if state["cut"]:
            target = [state["item"], state["unit"]]
        else:
            target = state["last"] or [state["item"], state["unit"]]
        return _jump(state, coach, target, say("flow.repeat"), now)
    if command == Command.PREVIOUS:
        return _jump(state, coach, _previous(state, coach), say("flow.previous"), now)
    if command == Command.START_OVER:
        state.update(unit=0, rep=1, rested=False)
        lead = [say("flow.start_over", name=coach.exercise(state).name)]
        return _perform(state, coach, lead=lead, now=now, announce=False)
    if command == Command.SKIP:
        return _skip(state, coach, now)
    if command in (Command.SLOWER, Command.FASTER):
        return _change_tempo(state, coach, slower=command == Command.SLOWER)
    if command == Command.STOP:
        state["paused"] = True
        texts = [summary(state, locale=locale, key=key)]
        # After a pain stop, no "good work": rest it and take care.
        goodbye = _words(coach).say("pain.goodbye") if state["hurt"] else say("control.goodbye")
        return state, Turn((talk(*texts, goodbye),))
    if command == Command.HELP:
        exercise = coach.exercise(state)
        text = say("control.help", name=exercise.name, position=_position(state, coach))
        speech = talk(text, say("control.help_question"))
        return state, Turn((speech,), (say("control.help_reprompt"),))
    if command == Command.FALLBACK:
        # A phrase the model missed may have been "ow, something popped": stop counting
        # and ask, so that "yes" to that question is never taken for "go on".
        state["paused"] = True
        speech = talk(say("control.fallback"), say("control.fallback_prompt"))
        return state, Turn((speech,), (say("control.fallback_reprompt"),), asks_hurt=True)
    state["paused"] = True
    if command == Command.PAUSE:
        text = say("control.paused", position=_position(state, coach))
        speech = talk(text, say("control.paused_prompt"))
        return state, Turn((speech,), (say("control.paused_reprompt"),))
    speech = talk(say("control.kept"), say("control.kept_prompt"))  # Command.NO
    return state, Turn((speech,), (say("control.paused_reprompt"),))


def continue_offer(
    state: State, *, locale: str = DEFAULT_LOCALE, key: str = ""
) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    """After a question answered mid-exercise: the offer to carry on, and its reprompt.
    After a pain stop there is no such offer: the place is kept for a day it feels fine."""
    coach = _coach(locale, key)
    if state["hurt"]:
        words = _words(coach)
        return (words.say("pain.after_answer"),), (words.say("pain.after_answer_reprompt"),)
    name = coach.exercise(state).name
    say = coach.phrases.say
    return (say("control.continue_offer", name=name),), (
        say("control.continue_reprompt", name=name),
    )


def summary(state: State, *, locale: str = DEFAULT_LOCALE, key: str = "") -> str:
    """What was done this session, in a sentence or two: only sets that were finished."""
    coach = _coach(locale, key)
    say = coach.phrases.say
    exercises = coach.catalogue.exercises
    parts = []
    finished = [exercises[e].name for e in state["completed"]]
    if finished:
        parts.append(say("summary.finished", names=_join(finished)))
    for name in state["routine"]:
        if state["done"].get(name) and name not in state["completed"]:
            parts.append(_did(state, coach, coach.catalogue.at(name, state["levels"]), "summary"))
    if state["rep"] > 1 and not state["finished"]:  # a set cut short: where it got to
        unit, side = _unit_name(state, coach), _pass_side(state, coach)
        rep = _rep_of_set(state, coach)
        path = "control.stopped_at_side" if side else "control.stopped_at"
        parts.append(say(path, rep=rep, unit=unit, side=side))
    return " ".join(parts) or say("summary.nothing")


def _rep_of_set(state: State, coach: _Coach) -> int:
    """The rep under way as said: within its side where a set goes both ways."""
    exercise = coach.exercise(state)
    return (state["rep"] - 1) % exercise.reps + 1 if exercise.reps else state["rep"]


def _pass_side(state: State, coach: _Coach) -> str:
    """Where a set goes one way and back: the way the rep under way goes ("" otherwise)."""
    exercise = coach.exercise(state)
    if exercise.sides_within < 2:
        return ""
    return side_name(exercise, coach.phrases, (state["rep"] - 1) // exercise.reps)


def _reps_left(state: State, coach: _Coach) -> int:
    """Reps still to do in the set under way, the one under way included."""
    exercise = coach.exercise(state)
    return exercise.reps * exercise.sides_within - state["rep"] + 1


def sets_done(state: State, exercise: Exercise) -> tuple[int, Unit | None]:
    """Whole sets (or holds) done of an exercise, and a set done on one foot only: where
    the feet take turns, each foot's set is its own unit, but a set is both feet."""
    done = set(state["done"].get(exercise.id, ()))
    by_set: dict[int, list[bool]] = {}
    for index, unit in enumerate(exercise.units()):
        by_set.setdefault(unit.set, []).append(index in done)
    whole = sum(all(sides) for sides in by_set.values())
    units = exercise.units()
    partial = next(
        (units[i] for i in sorted(done) if not all(by_set[units[i].set])),
        None,
    )
    return whole, partial


def _did(state: State, coach: _Coach, exercise: Exercise, table: str) -> str:
    """ "You did 1 of 2 sets of towel scrunches, and set 2 on your right foot." (summary)
    or "1 of 2 sets done, and set 2 on your right foot." (status: the name is said before)."""
    phrases = coach.phrases if table == "summary" else _words(coach)
    whole, partial = sets_done(state, exercise)
    singular, plural = coach.phrases.raw("summary.units")[_unit_word(exercise)]
    values = {
        "done": whole,
        "total": exercise.sets,
        "unit": singular if exercise.sets == 1 else plural,
        "name": exercise.name,
    }
    if partial is None:
        return phrases.say(f"{table}.did" if table == "summary" else f"{table}.done", **values)
    side = side_name(exercise, coach.phrases, partial.side)
    values.update(one=singular, set=partial.set, side=side)
    key = "did_and_side" if whole else "did_side"
    return phrases.say(f"{table}.{key}", **values)


def exercise_choices(*, unknown: bool, locale: str = DEFAULT_LOCALE, key: str = "") -> Turn:
    """No exercise, or one we don't coach: say which exist and ask; never guess."""
    say = _coach(locale, key).phrases.say
    lead = say("choose.unknown") if unknown else ""
    speech = talk(lead, say("choose.which"), say("choose.which_question"))
    return Turn((speech,), (say("choose.which_reprompt"),))


def nothing_under_way(*, locale: str = DEFAULT_LOCALE, key: str = "") -> Turn:
    """A coaching command (next, pause, slower...) with no exercise going."""
    say = _coach(locale, key).phrases.say
    speech = talk(say("choose.nothing_active"), say("choose.nothing_active_prompt"))
    return Turn((speech,), (say("choose.nothing_active_reprompt"),))


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _unit_word(exercise: Exercise) -> str:
    return "hold" if exercise.kind == "hold" else "set"


def _unit_name(state: State, coach: _Coach, *, short: bool = False) -> str:
    """ "set 2 of calf raises", or without the exercise's name ("set 2") when `short`."""
    exercise = coach.exercise(state)
    unit = exercise.units()[state["unit"]]
    suffix = "short" if short else "name"
    if unit.side is None:
        path = f"flow.set_{suffix}"
    elif exercise.kind == "hold":
        path = f"flow.hold_{suffix}"
    else:
        path = f"flow.set_side_{suffix}"
    side = side_name(exercise, coach.phrases, unit.side)
    return coach.phrases.fragment(path, set=unit.set, name=exercise.name, side=side)


def _position(state: State, coach: _Coach) -> str:
    """The next thing to do, in words (for pause and help)."""
    exercise = coach.exercise(state)
    name = _unit_name(state, coach)
    if state["rep"] > 1:
        rep, side = _rep_of_set(state, coach), _pass_side(state, coach)
        if side:
            return coach.phrases.fragment("flow.from_rep_side_name", unit=name, rep=rep, side=side)
        return coach.phrases.fragment("flow.from_rep_name", unit=name, rep=rep)
    if not state["rested"] and exercise.rest_before(state["unit"]) > 0:
        return coach.phrases.fragment("flow.rest_name", unit=name)
    return name


def _previous(state: State, coach: _Coach) -> list[int]:
    if state["last"] is None:
        return [state["item"], state["unit"]]
    item, unit = state["last"]
    if state["cut"]:
        return [item, unit]  # the set before the one cut short
    if unit > 0:
        return [item, unit - 1]
    if item > 0:
        earlier = coach.catalogue.at(state["routine"][item - 1], state["levels"])
        return [item - 1, len(earlier.units()) - 1]
    return [0, 0]


def _jump(
    state: State, coach: _Coach, target: list[int], lead: str, now: float | None
) -> tuple[State, Turn]:
    """Do a given set again from its first rep, without its rest (repeat, previous)."""
    state.update(item=target[0], unit=target[1], rep=1, rested=True, finished=False)
    return _perform(state, coach, lead=[lead], now=now, setup=False)


def _skip(state: State, coach: _Coach, now: float | None) -> tuple[State, Turn]:
    say = coach.phrases.say
    lead = say("flow.skip", name=coach.exercise(state).name)
    if state["item"] + 1 < len(state["routine"]):
        state.update(item=state["item"] + 1, unit=0, rep=1, rested=False)
        return _perform(state, coach, lead=[lead], now=now)
    state["finished"] = True
    speech = talk(
        lead,
        say("flow.skip_last"),
        summary(state, locale=coach.locale, key=coach.phrases.key),
        say("flow.finished_question"),
    )
    return state, Turn((speech,), (say("flow.finished_reprompt"),))


def _change_tempo(state: State, coach: _Coach, *, slower: bool) -> tuple[State, Turn]:
    say = coach.phrases.say
    index = TEMPOS.index(state["tempo"]) + (1 if slower else -1)
    exercise = coach.exercise(state)
    if 0 <= index < len(TEMPOS):
        state["tempo"] = TEMPOS[index]
        texts = [say("control.slower" if slower else "control.faster")]
    else:
        texts = [say("control.slowest" if slower else "control.fastest")]
    if exercise.kind == "hold":
        texts.append(say("control.holds_keep_time"))
    else:
        seconds = round(exercise.rep_seconds * state["tempo"], 1)
        texts.append(say("control.rep_length", name=exercise.name, seconds=f"{seconds:g}"))
    speech = talk(*texts, say("control.after_tempo"))
    return state, Turn((speech,), (say("control.after_tempo_reprompt"),))


def _next_cue(state: State, exercise: Exercise) -> tuple[int, str]:
    """The cues take turns, so the same one never comes twice in a row."""
    if not exercise.cues:
        return -1, ""
    index = (state["cues"].get(exercise.id, -1) + 1) % len(exercise.cues)
    return index, exercise.cues[index]


Totals = tuple[float, int, int]
"""Judged seconds, sound clips and SSML characters of some blocks: what a response is
limited by. Kept as running totals while a response is built, so each block is summed once."""


def _totals(blocks: list[Block], start: Totals = (0.0, 0, 0)) -> Totals:
    return script_totals(blocks, start)


def _add(first: Totals, second: Totals) -> Totals:
    return first[0] + second[0], first[1] + second[1], first[2] + second[2]


def _within(totals: Totals) -> bool:
    seconds, sounds, chars = totals
    return seconds <= MAX_TURN_SECONDS and sounds <= MAX_SOUNDS and chars <= MAX_SSML_CHARS


def _fits(blocks: list[Block]) -> bool:
    return _within(_totals(blocks))


def _surely_over(used: Totals, timed: float, closing: Block) -> bool:
    """Whether `timed` more seconds (a rest and a set's timed part, words not counted) are
    already too many for a response whose blocks so far add up to `used`."""
    return used[0] + closing.judged_seconds + timed > MAX_TURN_SECONDS


EMPTY = talk()
"""No words: `_surely_over` without a set's closing words, a lower bound (words only add)."""


def _fitted_rest(
    script: Any, rest: float, before: list[Block], work: list[Block], after: Block
) -> list[Block] | None:
    """The first set of a response with its rest shortened, a second at a time, until the
    response fits (never below REST_FLOOR of the rest); None when nothing fits."""
    over = sum(b.judged_seconds for b in [*before, *work, after]) - MAX_TURN_SECONDS
    seconds = math.floor(rest - over)  # usually fits at once; words may move it a second
    while rest > 0 and seconds >= rest * REST_FLOOR:
        shorter, _ = script(float(seconds))
        if _fits([*before, *shorter, after]):
            return shorter
        seconds -= 1
    return None


def _perform(
    state: State,
    coach: _Coach,
    *,
    lead: list[Segment],
    now: float | None,
    setup: bool = True,
    announce: bool = True,
) -> tuple[State, Turn]:
    """Coach from the position: the set-up and lead-in at an exercise's start, then each
    set with the rest before it, as many as fit in one response, then a prompt. The state
    keeps its position and gains the plan; `clock.settle` moves it on."""
    resuming = state["paused"] or state["cut"]  # the first set says which it is again
    state.update(paused=False, cut=False)
    say = coach.phrases.say
    exercise = coach.exercise(state)
    blocks: list[Block] = [talk(*lead)] if lead else []
    starting = state["unit"] == 0 and state["rep"] == 1 and not state["rested"]
    set_up: list[Block] = []
    if setup and starting:
        opening = say("flow.start_exercise", name=exercise.name) if announce else ""
        level = ""
        if exercise.level:
            step = exercise.progressions[exercise.level - 1]
            level = say("programme.level", step=step)
        set_up = [talk(opening, level, exercise.setup)]
        # The lead-in belongs to the first set: once it is reached the set-up was heard,
        # and a set cut after that starts again without it (clock.make_plan).
        lead_in = replace(lead_in_block(exercise, coach.phrases), unit=state["unit"])
        blocks += [*set_up, lead_in]
    position = state
    used = _totals(blocks)
    coached: list[tuple[int, int, int]] = []
    completed: tuple[str, ...] = ()
    ending: tuple[Block, tuple[Segment, ...], str | None] | None = None
    while True:
        index = position["unit"]
        rest = 0.0 if position["rested"] else exercise.rest_before(index)
        cue_index, cue = _next_cue(position, exercise)
        after, finished = complete_unit(position, exercise, index, cue_index)
        timed = rest + unit_seconds(exercise, state["tempo"])
        if coached and _surely_over(used, timed, EMPTY):
            break  # over before its closing words (which only add): they are not made
        closing, reprompt, offer = _closing(after, coach, exercise)

        def script(
            rest: float, index: int = index, cue: str = cue, position: State = position
        ) -> tuple[list[Block], Totals]:
            work, totals = set_script(
                exercise,
                coach.phrases,
                index,
                tempo=state["tempo"],
                cue=cue,
                start_rep=position["rep"],
                rest=rest,
                resuming=resuming and position is state,
            )
            unit = exercise.units()[index]
            done = Block((_done_line(coach, exercise, unit),))
            return [*work, done], _totals([done], totals)

        if coached and _surely_over(used, timed, closing):
            break  # known from the plan's figures, without scripting the set
        work, work_used = script(rest)
        if not _within(_totals([closing], _add(used, work_used))):
            if coached:
                break
            fitted = _fitted_rest(script, rest, blocks, work, closing)
            if fitted is not None:
                work, work_used = fitted, _totals(fitted)
        blocks += work
        used = _add(used, work_used)
        coached.append((state["item"], index, cue_index))
        completed += finished
        position, ending = after, (closing, reprompt, offer)
        if after["finished"] or after["item"] != state["item"]:
            break
        if own_rest(exercise, after["unit"], state["tempo"]):
            break  # the user rests, then says next
    assert ending is not None
    if (lead or set_up) and not _fits([*blocks, ending[0]]):  # the cheap test first
        # Too long for one response: a lead (the one-time disclaimer) or the set-up with
        # a harder step's first set at a slow tempo. What comes before the set goes
        # first, without the lead-in's silence (the user gets ready, then says next);
        # the first set follows on "next". A lead that fits beside the set-up keeps it.
        name = _unit_name(state, coach, short=True)
        before = [talk(*lead)] if lead else []
        if set_up and _fits([*before, *set_up, talk(say("flow.prompt"))]):
            before += set_up
            state["rested"] = True  # set up: "next" starts the first set
        return state, Turn((*before, talk(say("flow.prompt"))), (say("flow.reprompt", what=name),))
    state["plan"] = make_plan(blocks, coached, now)
    title, detail = _display(exercise, coach, exercise.units()[coached[0][1]])
    turn = Turn((*blocks, ending[0]), ending[1], completed, title, detail, ending[2] or "")
    return state, turn


def _display(exercise: Exercise, coach: _Coach, unit: Unit) -> tuple[str, str]:
    phrases = coach.phrases
    values = {"set": unit.set, "sets": exercise.sets, "reps": exercise.reps}
    values["hold"] = round(exercise.hold)
    detail = phrases.say(f"screen.{exercise.kind}", **values)
    if unit.side is not None:
        side = side_name(exercise, phrases, unit.side)
        detail += " " + phrases.say("screen.side", side=side)
    return exercise.name[:1].upper() + exercise.name[1:], detail


def _done_line(coach: _Coach, exercise: Exercise, unit: Unit) -> str:
    say = coach.phrases.say
    side = side_name(exercise, coach.phrases, unit.side)
    if exercise.kind == "hold":
        return say("sets.hold_done", set=unit.set, side=side)
    if unit.side is not None:
        return say("sets.side_done", set=unit.set, side=side)
    return say("sets.done", set=unit.set)


def _programme(coach: _Coach, exercise: Exercise, finished: bool) -> list[str]:
    """When to do it next (frequency from the content) and, after a few sessions, that
    the next step (progression) is on offer: asked when the session ends (a workout goes
    on with "say next" first)."""
    say = coach.phrases.say
    texts = [say("programme.when", name=exercise.name, frequency=exercise.frequency)]
    if _ready_to_move_up(coach, exercise):
        path = "programme.progression" if finished else "programme.progression_later"
        count = coach.history.get(exercise.id, 0) + 1
        texts.append(say(path, count=count, name=exercise.name))
    return texts


def _ready_to_move_up(coach: _Coach, exercise: Exercise, counted: bool = False) -> bool:
    """A few sessions done (this one included) and a harder step still to come. `counted`:
    this session is already in the history (an exercise finished in an earlier turn of
    this session: stored progress counted it then)."""
    count = coach.history.get(exercise.id, 0) + (0 if counted else 1)
    return count >= PROGRESSION_AFTER and exercise.level < len(exercise.progressions)


def _closing(
    after: State, coach: _Coach, exercise: Exercise
) -> tuple[Block, tuple[Segment, ...], str | None]:
    """What follows the last set of a response: the set done, then either the prompt for
    the next set, or the exercise done with when to do it again, and what comes next.
    When the session's last exercise is done: the next step of the first exercise ready
    for one, as a yes/no question (its id is returned: "yes" moves the user up)."""
    say = coach.phrases.say
    texts: list[str] = []
    moved_on = after["finished"] or coach.exercise(after).id != exercise.id
    if moved_on:
        texts += [say("flow.exercise_done", name=exercise.name), say("flow.praise")]
        texts += _programme(coach, exercise, after["finished"])
    if after["finished"]:
        if after["workout"]:
            texts.append(say("flow.workout_done"))
        done = [coach.catalogue.at(name, after["levels"]) for name in after["completed"]]
        ready = next((e for e in done if _ready_to_move_up(coach, e, e.id != exercise.id)), None)
        if ready is not None:
            step = ready.progressions[ready.level]
            texts.append(say("programme.question", step=step, name=ready.name))
            return talk(*texts), (say("programme.reprompt", step=step),), ready.id
        texts.append(say("flow.finished_question"))
        return talk(*texts), (say("flow.finished_reprompt"),), None
    if moved_on:
        texts.append(say("flow.next_exercise", name=coach.exercise(after).name))
    elif own_rest(exercise, after["unit"], after["tempo"]):
        rest = exercise.rest_before(after["unit"])
        if rest == 60:
            length = coach.phrases.fragment("rest.minute")
        else:
            length = coach.phrases.raw("rest.seconds").format(seconds=round(rest))
        texts.append(say("rest.own", duration=length))
        what = _unit_name(after, coach, short=True)
        return talk(*texts), (say("flow.reprompt", what=what),), None
    texts.append(say("flow.prompt"))
    what = coach.exercise(after).name if moved_on else _unit_name(after, coach, short=True)
    return talk(*texts), (say("flow.reprompt", what=what),), None


def move_up(
    state: State,
    *,
    locale: str = DEFAULT_LOCALE,
    key: str = "",
    now: float | None = None,
    history: Mapping[str, int] | None = None,
) -> tuple[State, Turn]:
    """ "Yes" to the progression on offer mid-exercise: its next step from the next set
    on (a new dose starts from the set under way's number, at rep 1)."""
    coach = _coach(locale, key, history)
    state = settle(dict(state), now, locale)
    name = state["offer"]
    level = state["levels"].get(name, 0) + 1
    state.update(levels={**state["levels"], name: level}, offer=None)
    exercise = coach.catalogue.at(name, state["levels"])
    before = coach.catalogue.at(name, {name: level - 1})
    lead = coach.phrases.say("programme.moved_up", step=exercise.progressions[level - 1])
    dose = ("sets", "reps", "hold")
    named = level <= len(exercise.step_doses) and exercise.step_doses[level - 1]
    if not named and any(getattr(exercise, k) != getattr(before, k) for k in dose):
        # A new form after a bigger dose starts again from the beginner dose: say so.
        kind = "hold" if exercise.kind == "hold" else "reps"
        values = {"sets": exercise.sets, "reps": exercise.reps, "hold": round(exercise.hold)}
        lead += " " + coach.phrases.say(f"programme.dose_{kind}", **values)
    if coach.exercise(state).id == name:
        units = exercise.units()
        done = [unit for unit in state["done"].get(name, []) if unit < len(units)]
        unit = min(state["unit"], len(units) - 1)
        state.update(unit=unit, rep=1, done={**state["done"], name: done})
    return _perform(state, coach, lead=[lead], now=now, setup=False)


def progression_settled(
    exercise_id: str, level: int, *, accepted: bool, locale: str = DEFAULT_LOCALE, key: str = ""
) -> Turn:
    """After the session, "yes" or "no" to the next step: what happens next time."""
    coach = _coach(locale, key)
    say = coach.phrases.say
    exercise = coach.catalogue.at(exercise_id, {exercise_id: level})
    if accepted:
        text = say("programme.accepted", step=exercise.progressions[level - 1], name=exercise.name)
    else:
        text = say("programme.declined", name=exercise.name)
    speech = talk(text, say("flow.finished_question"))
    return Turn((speech,), (say("flow.finished_reprompt"),))


# Coaching questions and commands beyond the basic controls (issue 10): their words are in
# commands.toml. After a pain statement ("hurt" in the state) nothing but an explicit
# resume carries on, and the first resume only checks that it doesn't hurt.
_EXTRA_COMMANDS = frozenset(
    (Command.PAIN, Command.STATUS, Command.SWITCH_SIDES, Command.BREAK, Command.EASIER)
) | frozenset((Command.HARDER, Command.NO_EQUIPMENT))
_ALLOWED_HURT = frozenset((Command.STOP,))
"""Commands that work as usual after a pain stop; all others go through `_extra`."""


def _words(coach: _Coach) -> Phrases:
    return load_phrases(coach.locale, "commands.toml").for_turn(coach.phrases.key)


def _extra(
    state: State, coach: _Coach, command: Command, detail: str | None, now: float | None
) -> tuple[State, Turn]:
    words = _words(coach)
    say = words.say
    exercise = coach.exercise(state)
    if command == Command.PAIN:
        return _stop_for_pain(state, coach, words)
    if command == Command.RESUME:  # hurt: the first resume checks, the second carries on
        if state["hurt"] == 1:
            state["hurt"] = 2
            return state, Turn(
                (talk(say("pain.check"), say("pain.check_prompt")),), (say("pain.reprompt"),)
            )
        state["hurt"] = 0
        return _perform(state, coach, lead=[], now=now)
    if state["hurt"]:
        state["paused"] = True
        if command == Command.NO:  # rest it: nothing to carry on
            speech = talk(say("pain.no"), say("pain.after_answer"))
            return state, Turn((speech,), (say("pain.after_answer_reprompt"),))
        return state, Turn(
            (talk(say("pain.hold"), say("pain.hold_prompt")),), (say("pain.reprompt"),)
        )
    state["offer"] = None  # a question or a request turns a "switch to it now?" down
    if command == Command.STATUS:
        return state, _status(state, coach, words)
    if command == Command.SWITCH_SIDES:
        return _switch_sides(state, coach, words, now)
    if command == Command.BREAK:
        state["paused"] = True
        text = say("break.text", position=_position(state, coach))
        return state, Turn((talk(text, say("break.prompt")),), (say("break.reprompt"),))
    if command == Command.HARDER and exercise.level < len(exercise.progressions):
        state["offer"] = exercise.id
        step = exercise.progressions[exercise.level]
        speech = talk(say("harder.offer", step=step), say("harder.offer_question"))
        return state, Turn((speech,), (say("harder.offer_reprompt", step=step),))
    if command == Command.HARDER and exercise.level:  # the last step there is
        step = exercise.progressions[exercise.level - 1]
        top = say("harder.top", step=step, frequency=exercise.frequency)
        speech = talk(top, say("advice.prompt"))
        return state, Turn((speech,), (say("advice.reprompt_coaching"),))
    advice = exercise_advice(
        exercise.id, command, detail, locale=coach.locale, key=coach.phrases.key
    )
    speech = talk(*advice, say("advice.prompt"))
    return state, Turn((speech,), (say("advice.reprompt_coaching"),))


def check_before_start(
    state: State, *, locale: str = DEFAULT_LOCALE, key: str = ""
) -> tuple[State, Turn]:
    """A start asked for right after a pain stop checks first, as resume does: the state
    (still stopped, its place kept) notes the check, and the next start goes ahead."""
    say = _words(_coach(locale, key)).say
    speech = talk(say("pain.check"), say("pain.check_start_prompt"))
    return {**state, "hurt": 2}, Turn((speech,), (say("pain.check_start_reprompt"),))


def _stop_for_pain(state: State, coach: _Coach, words: Phrases) -> tuple[State, Turn]:
    """Stop at once; the last set coached (the one that hurt) is not counted, unless it
    already finished an exercise, and the place goes back to it."""
    last = state.get("last")
    if last and state["routine"][last[0]] not in state["completed"]:
        name = state["routine"][last[0]]
        done = [unit for unit in state["done"].get(name, []) if unit != last[1]]
        # A new dict and list: nested values are replaced, never changed (see `act`).
        state.update(done={**state["done"], name: done}, item=last[0], unit=last[1], rep=1)
    state.update(paused=True, rested=True, cut=False, hurt=1)
    name = coach.exercise(state).name
    speech = (words.say("pain.stopped", name=name), words.say("pain.pick_up"))
    return state, Turn((talk(*speech),), (words.say("pain.reprompt"),))


def _status(state: State, coach: _Coach, words: Phrases) -> Turn:
    """Where we are, how much of this exercise is done, and about how long is left."""
    say = words.say
    exercise = coach.exercise(state)
    texts = [say("status.position", position=_position(state, coach))]
    if state["rep"] > 1 and exercise.kind == "reps":
        left = _reps_left(state, coach)
        texts.append(say("status.reps_left_one" if left == 1 else "status.reps_left", n=left))
    if state["done"].get(exercise.id):
        texts.append(_did(state, coach, exercise, "status"))
    more = len(state["routine"]) - state["item"] - 1
    if more:
        texts.append(say("status.more", count=more) if more > 1 else say("status.more_one"))
    seconds = sum(
        _unit_seconds(coach.catalogue.at(name, state["levels"]), state["tempo"], first=first)
        for name, first in _remaining(state)
    )
    minutes = words.raw("status.minutes")
    n = round(seconds / 60)
    spoken = (
        minutes["under"] if n < 1 else minutes["one"] if n == 1 else minutes["many"].format(n=n)
    )
    texts += [say("status.time", minutes=spoken), say("status.prompt")]
    return Turn((talk(*texts),), (say("status.reprompt"),))


def _remaining(state: State) -> list[tuple[str, int]]:
    """Each exercise still to do, with the unit it starts from."""
    routine, item = state["routine"], state["item"]
    return [(routine[item], state["unit"])] + [(name, 0) for name in routine[item + 1 :]]


def _unit_seconds(exercise: Exercise, tempo: float, *, first: int) -> float:
    """Rough time left in an exercise from unit `first`: work plus rests."""
    units = exercise.units()
    sides = len(exercise.sides) if exercise.side_mode == "within_set" else 1
    work = (
        exercise.hold if exercise.kind == "hold" else exercise.reps * exercise.rep_seconds * tempo
    )
    return sum(work * sides + exercise.rest_before(i) for i in range(first, len(units)))


def _switch_sides(
    state: State, coach: _Coach, words: Phrases, now: float | None
) -> tuple[State, Turn]:
    """Go to the next set or hold on the other foot; say why when there is no side to switch."""
    exercise = coach.exercise(state)
    units = exercise.units()
    if exercise.side_mode != "per_set":
        path = "sides.within_set" if exercise.side_mode == "within_set" else "sides.both_feet"
        speech = talk(
            sentence(words.fragment(path, name=exercise.name)), words.say("advice.prompt")
        )
        return state, Turn((speech,), (words.say("advice.reprompt_coaching"),))
    last = state.get("last")
    between = last and last[0] == state["item"] and not state["cut"] and state["rep"] == 1
    # The foot being worked: the set under way (cut short, or not yet begun at the start
    # of the exercise), or, between sets, the one just done.
    working = units[last[1]].side if between else units[state["unit"]].side
    target = next(
        (i for i in range(state["unit"], len(units)) if units[i].side != working), state["unit"]
    )
    state.update(unit=target, rep=1, rested=True)
    side = side_name(exercise, coach.phrases, units[target].side)
    return _perform(state, coach, lead=[words.say("sides.switching", side=side)], now=now)


def exercise_advice(
    exercise_id: str | None,
    command: Command | str,
    detail: str | None = None,
    *,
    locale: str = DEFAULT_LOCALE,
    key: str = "",
) -> tuple[str, ...]:
    """Easier, harder or no-equipment advice for an exercise, from the data files."""
    coach = _coach(locale, key)
    words = _words(coach)
    command = Command(command)
    if command == Command.NO_EQUIPMENT:
        table = words.raw("equipment")
        return (table.get(detail or "", table["other"]),)
    exercise = coach.catalogue.exercises.get(exercise_id or "")
    if exercise is None:
        return (words.say("advice.which"),)
    if command == Command.EASIER:
        return (words.say(f"easier.{exercise.id}"), words.say("easier.safety"))
    steps = words.raw("harder.then").join(exercise.progressions)
    return (
        words.say("harder.lead", frequency=exercise.frequency),
        words.say("harder.steps", steps=steps),
    )


def advice_turn(
    exercise_id: str | None,
    command: Command | str,
    detail: str | None = None,
    *,
    locale: str = DEFAULT_LOCALE,
    key: str = "",
) -> Turn:
    """The same advice with no exercise under way: a question follows, not "say next"."""
    coach = _coach(locale, key)
    words = _words(coach)
    texts = exercise_advice(exercise_id, command, detail, locale=locale, key=key)
    known = exercise_id in coach.catalogue.exercises
    if Command(command) != Command.NO_EQUIPMENT and not known:  # asked which exercise
        return Turn((talk(*texts),), (words.say("advice.which_reprompt"),))
    return Turn((talk(*texts, words.say("advice.question")),), (words.say("advice.reprompt"),))
