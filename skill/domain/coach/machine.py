"""The coach as a small state machine: a plain, versioned dict and a command in, the next
dict and a Turn (what to say, as timed blocks) out.

The state is the position: which exercise of the routine, which set or hold is next,
whether its rest was taken, the tempo and whether the user paused. It is plain JSON so
it can sit in session attributes and be handed to storage as it is. Every function here
is pure: the input state is never changed.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from skill.domain.coach.exercises import Catalogue, Exercise, load_catalogue
from skill.domain.coach.phrases import Phrases, load_phrases, sentence
from skill.domain.coach.script import Block, rest_block, side_name, talk, unit_blocks
from skill.domain.content import DEFAULT_LOCALE
from skill.domain.speech import Pause, Segment

VERSION = 1
MAX_TURN_SECONDS = 90.0
"""No response carries more than this much speech and silence (one set or one hold)."""
TEMPOS = (0.8, 0.9, 1.0, 1.1)
"""Tempo factors "slower" and "faster" step through: quicker than x 0.8 loses control, and
slower than x 1.1 would stretch a set of calf raises past one response."""
SETUP_PAUSE = 3.0
"""Time to get into position after the set-up sentence, before the first set."""

State = dict[str, Any]


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
    exercises finished in this turn (for progress counting)."""

    blocks: tuple[Block, ...]
    reprompt: tuple[Segment, ...] = ()
    completed: tuple[str, ...] = ()
    title: str = ""
    """For a card or screen: the exercise, and (`detail`) the set or hold being done."""
    detail: str = ""

    @property
    def speech(self) -> tuple[Segment, ...]:
        return tuple(segment for block in self.blocks for segment in block.segments)

    @property
    def seconds(self) -> float:
        return sum(block.seconds for block in self.blocks)

    @property
    def ends_session(self) -> bool:
        return not self.reprompt


@dataclass(frozen=True)
class _Coach:
    catalogue: Catalogue
    phrases: Phrases
    locale: str

    def exercise(self, state: State) -> Exercise:
        return self.catalogue.exercises[state["routine"][state["item"]]]


def _coach(locale: str, key: str) -> _Coach:
    return _Coach(load_catalogue(locale), load_phrases(locale).for_turn(key), locale)


def new_state(routine: list[str], *, workout: bool = False, tempo: float = 1.0) -> State:
    return {
        "v": VERSION,
        "routine": list(routine),
        "workout": workout,
        "item": 0,
        "unit": 0,
        "rested": False,
        "last": None,
        "tempo": _nearest_tempo(tempo),
        "paused": False,
        "finished": False,
        "done": {},
        "completed": [],
        "cues": {},
    }


def _nearest_tempo(tempo: Any) -> float:
    try:
        return min(TEMPOS, key=lambda allowed: abs(allowed - float(tempo)))
    except (TypeError, ValueError):
        return 1.0


def load_state(raw: Any, locale: str = DEFAULT_LOCALE) -> State | None:
    """The state if it is one this version understands and in range, else None."""
    try:
        if not isinstance(raw, dict) or raw.get("v") != VERSION:
            return None
        catalogue = load_catalogue(locale)
        routine = raw["routine"]
        exercises = [catalogue.exercises[name] for name in routine]
        item, unit = raw["item"], raw["unit"]
        if not (0 <= item < len(routine) and 0 <= unit < len(exercises[item].units())):
            return None
        last = raw.get("last")
        if last is not None:
            last_item, last_unit = last
            if not (0 <= last_item < len(routine)):
                return None
            if not (0 <= last_unit < len(exercises[last_item].units())):
                return None
        if raw["tempo"] not in TEMPOS:
            return None
        return copy.deepcopy(raw)
    except (KeyError, TypeError, ValueError, IndexError):
        return None


def is_active(state: Any, locale: str = DEFAULT_LOCALE) -> bool:
    """An exercise is under way (maybe paused), so next, yes, repeat... go to the coach."""
    loaded = load_state(state, locale)
    return loaded is not None and not loaded["finished"]


def start(
    exercise_id: str | None,
    *,
    tempo: float = 1.0,
    intro: tuple[Segment, ...] = (),
    locale: str = DEFAULT_LOCALE,
    key: str = "",
) -> tuple[State, Turn]:
    """Begin one exercise, or the whole workout when `exercise_id` is None."""
    coach = _coach(locale, key)
    if exercise_id is None:
        state = new_state(list(coach.catalogue.workout), workout=True, tempo=tempo)
        first = coach.catalogue.exercises[state["routine"][0]].name
        lead = [*intro, coach.phrases.say("flow.start_workout", name=first)]
        return _perform(state, coach, lead=lead, setup=True, announce=False)
    else:
        state = new_state([exercise_id], tempo=tempo)
        lead = list(intro)
    return _perform(state, coach, lead=lead, setup=True)


def act(
    state: State,
    command: Command | str,
    *,
    locale: str = DEFAULT_LOCALE,
    key: str = "",
    detail: str | None = None,
) -> tuple[State, Turn]:
    """Apply a command to an active exercise (`detail`: the equipment for NO_EQUIPMENT)."""
    coach = _coach(locale, key)
    state = copy.deepcopy(state)
    say = coach.phrases.say
    command = Command(command)
    if command in _EXTRA_COMMANDS or (state.get("hurt") and command not in _ALLOWED_HURT):
        return _extra(state, coach, command, detail)
    if command in (Command.NEXT, Command.RESUME, Command.YES):
        return _perform(state, coach, lead=[], setup=True)
    if command == Command.REPEAT:
        target = state["last"] or [state["item"], state["unit"]]
        return _jump(state, coach, target, say("flow.repeat"))
    if command == Command.PREVIOUS:
        return _jump(state, coach, _previous(state, coach), say("flow.previous"))
    if command == Command.START_OVER:
        state.update(unit=0, rested=False)
        lead = [say("flow.start_over", name=coach.exercise(state).name)]
        return _perform(state, coach, lead=lead, setup=True, announce=False)
    if command == Command.SKIP:
        return _skip(state, coach)
    if command in (Command.SLOWER, Command.FASTER):
        return _change_tempo(state, coach, slower=command == Command.SLOWER)
    if command == Command.STOP:
        state["paused"] = True
        return state, Turn((talk(summary(state, locale=locale), say("control.goodbye")),))
    if command == Command.HELP:
        exercise = coach.exercise(state)
        text = say("control.help", name=exercise.name, position=_position(state, coach))
        speech = talk(text, say("control.help_question"))
        return state, Turn((speech,), (say("control.help_reprompt"),))
    if command == Command.FALLBACK:
        speech = talk(say("control.fallback"), say("control.fallback_prompt"))
        return state, Turn((speech,), (say("control.help_reprompt"),))
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
    """After a question answered mid-exercise: the offer to carry on, and its reprompt."""
    coach = _coach(locale, key)
    name = coach.exercise(state).name
    say = coach.phrases.say
    return (say("control.continue_offer", name=name),), (
        say("control.continue_reprompt", name=name),
    )


def summary(state: State, *, locale: str = DEFAULT_LOCALE, key: str = "") -> str:
    """What was done this session, in a sentence or two (spoken on stop)."""
    coach = _coach(locale, key)
    say = coach.phrases.say
    exercises = coach.catalogue.exercises
    parts = []
    finished = [exercises[e].name for e in state["completed"]]
    if finished:
        parts.append(say("summary.finished", names=_join(finished)))
    for name in state["routine"]:
        done = len(state["done"].get(name, ()))
        if done and name not in state["completed"]:
            exercise = exercises[name]
            total = len(exercise.units())
            singular, plural = coach.phrases.raw("summary.units")[_unit_word(exercise)]
            unit = singular if total == 1 else plural
            parts.append(say("summary.did", done=done, total=total, unit=unit, name=exercise.name))
    return " ".join(parts) or say("summary.nothing")


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
    side = side_name(exercise, coach.phrases, unit.side) if unit.side is not None else ""
    return coach.phrases.fragment(path, set=unit.set, name=exercise.name, side=side)


def _position(state: State, coach: _Coach) -> str:
    """The next thing to do, in words (for pause and help)."""
    exercise = coach.exercise(state)
    name = _unit_name(state, coach)
    if not state["rested"] and exercise.rest_before(state["unit"]) > 0:
        return coach.phrases.fragment("flow.rest_name", unit=name)
    return name


def _previous(state: State, coach: _Coach) -> list[int]:
    if state["last"] is None:
        return [state["item"], state["unit"]]
    item, unit = state["last"]
    if unit > 0:
        return [item, unit - 1]
    if item > 0:
        earlier = coach.catalogue.exercises[state["routine"][item - 1]]
        return [item - 1, len(earlier.units()) - 1]
    return [0, 0]


def _jump(state: State, coach: _Coach, target: list[int], lead: str) -> tuple[State, Turn]:
    """Do a given set again without its rest (repeat, previous)."""
    state.update(item=target[0], unit=target[1], rested=True, finished=False)
    return _perform(state, coach, lead=[lead], setup=False)


def _skip(state: State, coach: _Coach) -> tuple[State, Turn]:
    say = coach.phrases.say
    lead = say("flow.skip", name=coach.exercise(state).name)
    if state["item"] + 1 < len(state["routine"]):
        state.update(item=state["item"] + 1, unit=0, rested=False)
        return _perform(state, coach, lead=[lead], setup=True)
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
    if 0 <= index < len(TEMPOS):
        state["tempo"] = TEMPOS[index]
        texts = [say("control.slower" if slower else "control.faster")]
    else:
        texts = [say("control.slowest" if slower else "control.fastest")]
    if coach.exercise(state).kind == "hold":
        texts.append(say("control.holds_keep_time"))
    speech = talk(*texts, say("control.after_tempo"))
    return state, Turn((speech,), (say("control.after_tempo_reprompt"),))


def _next_cue(state: State, exercise: Exercise) -> tuple[int, str]:
    """The cues take turns, so the same one never comes twice in a row."""
    if not exercise.cues:
        return -1, ""
    index = (state["cues"].get(exercise.id, -1) + 1) % len(exercise.cues)
    return index, exercise.cues[index]


def _perform(
    state: State, coach: _Coach, *, lead: list[Segment], setup: bool, announce: bool = True
) -> tuple[State, Turn]:
    """Do what the position says is next: its rest (on its own if the two would make too
    long a response), then the set or hold, then what comes after and a prompt."""
    state["paused"] = False
    say = coach.phrases.say
    exercise = coach.exercise(state)
    index = state["unit"]
    units = exercise.units()
    unit = units[index]
    blocks: list[Block] = [talk(*lead)] if lead else []
    opening = say("flow.start_exercise", name=exercise.name) if announce else ""
    if setup and index == 0:
        blocks.append(talk(opening, exercise.setup, Pause(SETUP_PAUSE)))
    cue_index, cue = _next_cue(state, exercise)
    side_changed = index > 0 and units[index - 1].side != unit.side
    work = unit_blocks(
        exercise,
        coach.phrases,
        unit,
        tempo=state["tempo"],
        cue=cue,
        side_changed=side_changed,
    )
    after, completed = _after_work(state, exercise, index, cue_index)
    closing, reprompt = _closing(after, coach, exercise, unit)
    if setup and index == 0:
        # A long lead (the one-time disclaimer, "from the top") at a slow tempo can push
        # set-up plus the first set past one response: shed the extras, never the set-up.
        for leaner in (talk(exercise.setup, Pause(SETUP_PAUSE)), talk(exercise.setup)):
            if sum(b.seconds for b in [*blocks, *work, closing]) <= MAX_TURN_SECONDS:
                break
            blocks[-1] = leaner
        if lead and sum(b.seconds for b in [*blocks, *work, closing]) > MAX_TURN_SECONDS:
            # Still too long: the lead (which may be the disclaimer) goes on its own, and
            # set-up and the first set follow on "next". The position does not move.
            name = _unit_name(state, coach, short=True)
            turn = Turn((talk(*lead), talk(say("flow.prompt"))), (say("flow.reprompt", what=name),))
            return state, turn
    rest = 0.0 if state["rested"] else exercise.rest_before(index)
    if rest > 0:
        resting = rest_block(coach.phrases, rest)
        whole = sum(b.seconds for b in [*blocks, resting, *work, closing])
        if whole > MAX_TURN_SECONDS:
            state["rested"] = True
            name = _unit_name(state, coach, short=True)
            end = talk(say("rest.over"), say("flow.prompt"))
            turn = Turn((*blocks, resting, end), (say("flow.reprompt", what=name),))
            return state, turn
        blocks.append(resting)
    title, detail = _display(exercise, coach, unit)
    return after, Turn((*blocks, *work, closing), reprompt, completed, title, detail)


def _display(exercise: Exercise, coach: _Coach, unit: Any) -> tuple[str, str]:
    phrases = coach.phrases
    values = {"set": unit.set, "sets": exercise.sets, "reps": exercise.reps}
    values["hold"] = round(exercise.hold)
    detail = phrases.say(f"screen.{exercise.kind}", **values)
    if unit.side is not None:
        side = side_name(exercise, phrases, unit.side)
        detail += " " + phrases.say("screen.side", side=side)
    return exercise.name[:1].upper() + exercise.name[1:], detail


def _after_work(
    state: State, exercise: Exercise, index: int, cue_index: int
) -> tuple[State, tuple[str, ...]]:
    """The position once this set is done: the next set, the next exercise, or the end."""
    after = copy.deepcopy(state)
    after["last"] = [state["item"], index]
    done = after["done"].setdefault(exercise.id, [])
    if index not in done:
        done.append(index)
        done.sort()
    if cue_index >= 0:
        after["cues"][exercise.id] = cue_index
    after["rested"] = False
    if index + 1 < len(exercise.units()):
        after["unit"] = index + 1
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


def _closing(
    after: State, coach: _Coach, exercise: Exercise, unit: Any
) -> tuple[Block, tuple[Segment, ...]]:
    say = coach.phrases.say
    if exercise.kind == "hold":
        side = side_name(exercise, coach.phrases, unit.side)
        texts = [say("sets.hold_done", set=unit.set, side=side)]
    elif unit.side is not None:
        side = side_name(exercise, coach.phrases, unit.side)
        texts = [say("sets.side_done", set=unit.set, side=side)]
    else:
        texts = [say("sets.done", set=unit.set)]
    moved_on = after["finished"] or coach.exercise(after).id != exercise.id
    if moved_on:
        texts += [say("flow.exercise_done", name=exercise.name), say("flow.praise")]
    if after["finished"]:
        if after["workout"]:
            texts.append(say("flow.workout_done"))
        texts.append(say("flow.finished_question"))
        return talk(*texts), (say("flow.finished_reprompt"),)
    if moved_on:
        texts.append(say("flow.next_exercise", name=coach.exercise(after).name))
    texts.append(say("flow.prompt"))
    what = coach.exercise(after).name if moved_on else _unit_name(after, coach, short=True)
    return talk(*texts), (say("flow.reprompt", what=what),)


# Coaching questions and commands beyond the basic controls (issue 10): their words are in
# commands.toml. After a pain statement ("hurt" in the state) nothing but an explicit
# resume carries on, and the first resume only checks that it doesn't hurt.
_EXTRA_COMMANDS = frozenset(
    (Command.PAIN, Command.STATUS, Command.SWITCH_SIDES, Command.BREAK, Command.EASIER)
) | frozenset((Command.HARDER, Command.NO_EQUIPMENT))
_ALLOWED_HURT = frozenset((Command.STOP, Command.NO))
"""Commands that work as usual after a pain stop; all others go through `_extra`."""


def _words(coach: _Coach) -> Phrases:
    return load_phrases(coach.locale, "commands.toml").for_turn(coach.phrases.key)


def _extra(state: State, coach: _Coach, command: Command, detail: str | None) -> tuple[State, Turn]:
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
        return _perform(state, coach, lead=[], setup=True)
    if state.get("hurt"):
        state["paused"] = True
        return state, Turn(
            (talk(say("pain.hold"), say("pain.hold_prompt")),), (say("pain.reprompt"),)
        )
    if command == Command.STATUS:
        return state, _status(state, coach, words)
    if command == Command.SWITCH_SIDES:
        return _switch_sides(state, coach, words)
    if command == Command.BREAK:
        state["paused"] = True
        text = say("break.text", position=_position(state, coach))
        return state, Turn((talk(text, say("break.prompt")),), (say("break.reprompt"),))
    advice = exercise_advice(
        exercise.id, command, detail, locale=coach.locale, key=coach.phrases.key
    )
    speech = talk(*advice, say("advice.prompt"))
    return state, Turn((speech,), (say("advice.reprompt_coaching"),))


def _stop_for_pain(state: State, coach: _Coach, words: Phrases) -> tuple[State, Turn]:
    """Stop at once; the last set coached (the one that hurt) is not counted, unless it
    already finished an exercise, and the place goes back to it."""
    last = state.get("last")
    if last and state["routine"][last[0]] not in state["completed"]:
        done = state["done"].get(state["routine"][last[0]], [])
        if last[1] in done:
            done.remove(last[1])
        state.update(item=last[0], unit=last[1])
    state.update(paused=True, rested=True, hurt=1)
    name = coach.exercise(state).name
    speech = (words.say("pain.stopped", name=name), words.say("pain.pick_up"))
    return state, Turn((talk(*speech),), (words.say("pain.reprompt"),))


def _status(state: State, coach: _Coach, words: Phrases) -> Turn:
    """Where we are, how much of this exercise is done, and about how long is left."""
    say = words.say
    exercise = coach.exercise(state)
    total = len(exercise.units())
    done = len(state["done"].get(exercise.id, ()))
    singular, plural = coach.phrases.raw("summary.units")[_unit_word(exercise)]
    texts = [
        say("status.position", position=_position(state, coach)),
        say("status.done", done=done, total=total, unit=singular if total == 1 else plural,
            name=exercise.name),
    ]  # fmt: skip
    more = len(state["routine"]) - state["item"] - 1
    if more:
        texts.append(say("status.more", count=more) if more > 1 else say("status.more_one"))
    seconds = sum(
        _unit_seconds(coach.catalogue.exercises[name], state["tempo"], first=first)
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


def _switch_sides(state: State, coach: _Coach, words: Phrases) -> tuple[State, Turn]:
    """Go to the next set or hold on the other foot; say why when there is no side to switch."""
    exercise = coach.exercise(state)
    units = exercise.units()
    if exercise.side_mode != "per_set":
        path = "sides.within_set" if exercise.side_mode == "within_set" else "sides.both_feet"
        speech = talk(
            sentence(words.fragment(path, name=exercise.name)), words.say("advice.prompt")
        )
        return state, Turn((speech,), (words.say("advice.reprompt_coaching"),))
    last_side = (
        units[state["last"][1]].side
        if state.get("last") and state["last"][0] == state["item"]
        else None
    )
    target = next(
        (i for i in range(state["unit"], len(units)) if units[i].side != last_side), state["unit"]
    )
    state.update(unit=target, rested=True)
    side = side_name(exercise, coach.phrases, units[target].side)
    return _perform(state, coach, lead=[words.say("sides.switching", side=side)], setup=True)


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
