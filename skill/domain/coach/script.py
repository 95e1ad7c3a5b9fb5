"""What the coach says for one set, hold or rest, as timed blocks of speech and pauses.

A Block knows how long the tempo says it should last (`target`), so tests and the pacing
benchmark can compare the plan with the tempo. Untimed blocks (set-up, cues, prompts)
are talk: their length is just the words.
"""

from __future__ import annotations

from dataclasses import dataclass

from skill.domain.coach.exercises import Exercise, Unit
from skill.domain.coach.phrases import Phrases, sentence
from skill.domain.coach.timing import Timeline, duration
from skill.domain.speech import Pause, Segment

CUE_AFTER_REP = 2
"""The form cue comes after this rep: early enough to fix the rest of the set."""
COMPACT_PHASE_SECONDS = 1.5
"""Reps whose first phase is shorter than this merge the rep number into the call."""
GET_READY_SECONDS = 2.0
"""Silence after an instruction to move (set-up, switching sides) before counting."""


@dataclass(frozen=True)
class Block:
    segments: tuple[Segment, ...]
    target: float | None = None
    """Seconds the tempo, hold or rest says this block lasts; None for plain talk."""
    kind: str = "talk"  # "talk", "reps", "hold" or "rest"

    @property
    def seconds(self) -> float:
        return duration(self.segments)


def talk(*texts: Segment) -> Block:
    return Block(tuple(t for t in texts if t))


def side_name(exercise: Exercise, phrases: Phrases, side: int) -> str:
    return phrases.raw("words.sides").get(exercise.sides[side], exercise.sides[side])


def _rep_lead(phrases: Phrases, number: int, reps: int) -> str:
    if number == 1:
        return phrases.say("reps.first", reps=reps)
    if number == reps:
        return phrases.nth("reps.last", number)
    if reps >= 6 and number == reps // 2 + 1:
        return phrases.say("reps.halfway", n=number)
    return phrases.nth("reps.lead", number, n=number)


def rep_words(
    exercise: Exercise, phrases: Phrases, number: int, reps: int, tempo: float
) -> list[tuple[float, str]]:
    """(offset in the rep, words) for one rep: each phase's call, then its counted seconds."""
    compact = exercise.tempo[0].seconds * tempo < COMPACT_PHASE_SECONDS
    texts: list[tuple[float, str]] = []
    start = 0.0
    for index, phase in enumerate(exercise.tempo):
        length = phase.seconds * tempo
        calls = f"calls.{phase.call}"
        if index == 0 and compact and 1 < number < reps:
            text = f"{number}."  # quick reps: the number is the call, to leave room
        elif index == 0 and compact:
            lead = phrases.say("reps.compact_last") if number == reps else str(number)
            text = f"{lead}, {phrases.nth(calls, 0).lower()}."
        elif index == 0:
            text = f"{_rep_lead(phrases, number, reps)} {phrases.nth(calls, number - 1)}."
        else:
            text = f"{phrases.nth(calls, 0 if compact else number - 1)}."
        texts.append((start, text))
        beats = round(phase.seconds)
        for beat in range(2, beats + 1):
            texts.append((start + (beat - 1) * length / beats, f"{phrases.count(beat)}."))
        start += length
    return texts


def reps_block(
    exercise: Exercise, phrases: Phrases, tempo: float, first: int, last: int, reps: int
) -> Block:
    """Reps `first`..`last` of `reps`, lasting exactly (last - first + 1) rep times."""
    rep_seconds = exercise.rep_seconds * tempo
    timeline = Timeline()
    for number in range(first, last + 1):
        start = (number - first) * rep_seconds
        for offset, text in rep_words(exercise, phrases, number, reps, tempo):
            timeline.say_at(start + offset, text)
    target = (last - first + 1) * rep_seconds
    timeline.wait_until(target)
    return Block(tuple(timeline.segments), target, "reps")


def rep_set(
    exercise: Exercise, phrases: Phrases, tempo: float, cue: str, unit: Unit
) -> list[Block]:
    """A set of reps: the cue after rep 2; within-set sides go one way, then the other."""
    reps = exercise.reps
    sides = range(len(exercise.sides)) if exercise.side_mode == "within_set" else [None]
    blocks: list[Block] = []
    for turn, side in enumerate(sides):
        if side is not None:
            template = exercise.side_intro
            if turn > 0:
                template = exercise.side_switch[unit.set % len(exercise.side_switch)]
            name = side_name(exercise, phrases, side)
            blocks.append(talk(sentence(template.format(reps=reps, side=name))))
        if turn == 0 and cue and reps > CUE_AFTER_REP:
            blocks.append(reps_block(exercise, phrases, tempo, 1, CUE_AFTER_REP, reps))
            blocks.append(talk(cue))
            blocks.append(reps_block(exercise, phrases, tempo, CUE_AFTER_REP + 1, reps, reps))
        else:
            blocks.append(reps_block(exercise, phrases, tempo, 1, reps, reps))
    return blocks


def hold_block(exercise: Exercise, phrases: Phrases, cue: str) -> Block:
    """A timed hold: a call every 10 seconds, the cue after the first, a count-down of 5."""
    seconds = exercise.hold
    timeline = Timeline()
    timeline.say_at(0, phrases.say("sets.hold_start"))
    countdown = phrases.raw("sets.countdown")
    calls = range(10, int(seconds) - len(countdown), 10)
    for moment in calls:
        timeline.say_at(moment, phrases.say("sets.hold_tick", seconds=moment))
        if moment == 10 and cue:
            timeline.say_at(timeline.elapsed + 0.5, cue)
    for index, word in enumerate(countdown):
        timeline.say_at(seconds - len(countdown) + index, f"{sentence(word)}.")
    timeline.wait_until(seconds)
    return Block(tuple(timeline.segments), seconds, "hold")


def rest_block(phrases: Phrases, seconds: float) -> Block:
    """Timed rest, announced at the start, half way through long ones, and 10 s before the end."""
    if seconds == 60:
        length = phrases.fragment("rest.minute")
    else:
        length = phrases.raw("rest.seconds").format(seconds=round(seconds))
    timeline = Timeline()
    timeline.say_at(0, phrases.say("rest.start", duration=length))
    if seconds >= 40:
        half = round(seconds / 2)
        timeline.say_at(seconds - half, phrases.say("rest.half", seconds=half))
    if seconds >= 20:
        timeline.say_at(seconds - 10, phrases.say("rest.last_ten"))
    timeline.wait_until(seconds)
    return Block(tuple(timeline.segments), seconds, "rest")


def unit_blocks(
    exercise: Exercise,
    phrases: Phrases,
    unit: Unit,
    *,
    tempo: float,
    cue: str,
    side_changed: bool,
) -> list[Block]:
    """The announcement of a set or hold, then the work itself."""
    intro_path = "sets.hold_intro" if exercise.kind == "hold" else "sets.intro"
    intro: list[Segment] = [phrases.say(intro_path, set=unit.set, sets=exercise.sets)]
    if unit.side is not None:
        name = side_name(exercise, phrases, unit.side)
        if side_changed:
            template = exercise.side_switch[unit.set % len(exercise.side_switch)]
        else:
            template = exercise.side_intro
        intro += [
            sentence(template.format(side=name, reps=exercise.reps)),
            Pause(GET_READY_SECONDS),
        ]
    blocks = [talk(*intro)]
    if exercise.kind == "hold":
        return [*blocks, hold_block(exercise, phrases, cue)]
    return blocks + rep_set(exercise, phrases, tempo, cue, unit)
