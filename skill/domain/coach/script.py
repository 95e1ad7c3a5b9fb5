"""What the coach says for one set, hold or rest, as timed blocks of speech and pauses.

Every block that the tempo times knows how long it should last (`target`), so tests and
the pacing benchmark compare the plan with the tempo phase by phase. Each rep starts with
a beat of its own: "Ready... and" into the first of a pass, its label ("Rep 4.") before
the others; then one block per phase ("Up. two." / "Hold." / "Down. two. three."): the
label never eats into a phase. Untimed blocks (set-up, cues, prompts) are talk: their
length is the words.

Timing rule: rep phases follow the tempo setting; the label beat, "ready... and", the
lead-in, side switches, timed holds and rests keep their length (holds and rests are the
dose itself, and getting into position takes as long as it takes). A phase's last pause
leaves some room for a slower voice (`timing.phase_slack`); beats do not need it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

from skill.domain.coach.exercises import Exercise, Phase, Unit
from skill.domain.coach.phrases import Phrases, sentence
from skill.domain.coach.timing import Timeline, duration, judged_duration, phase_slack
from skill.domain.speech import Pause, Segment, Sound, ssml_parts, to_ssml_body

LABEL_SECONDS = 1.5
"""The beat before each rep in which its label ("Rep 4.", at most 3 short words) is said."""
READY_SECONDS = 2.0
"""The count-in before the first count of each set and each side: "Ready." at its start,
"and" AND_BEFORE seconds before the first call, as a musician counts in ("ready... and
Up, two"). It stands for the first rep's label: "Rep 1." after it would break the lead."""
AND_BEFORE = 0.6
GET_READY_SECONDS = 2.0
"""Silence after an instruction to move (where to stand, which foot) before "ready"."""
CUE_AFTER_REP = 2
"""The form cue comes after this rep: early enough to fix the rest of the set."""
MAX_TURN_SECONDS = 180.0
"""No response lasts longer than this, judged with a slow voice (timing.SLOW_WORDS_PER_SECOND)."""
REST_FLOOR = 0.75
"""A rest may shorten to this share of its length, and only when it and the set after it
would not fit one response otherwise (the slowest tempos): see `machine._fitted_rest`."""
TALK_AROUND_SET = 25.0
"""Seconds of talk a response spends around one set (its announcement, cue, the done
line, the closing), judged with a slow voice: for `own_rest`."""


@dataclass(frozen=True)
class Block:
    segments: tuple[Segment, ...]
    target: float | None = None
    """Seconds the tempo, hold or rest says this block lasts; None for plain talk."""
    kind: str = "talk"
    """talk, lead_in, ready, label, phase, switch, hold or rest."""
    call: str = ""
    """For a phase block, the phase ("up", "hold", "down"...)."""
    rep: int = 0
    """For the block that starts a rep (its label, or a hold's first call): the rep,
    counted through both sides of a within-set exercise."""
    unit: int = -1
    """The unit (set or hold) of the exercise this block belongs to; -1 for none."""

    @cached_property
    def seconds(self) -> float:
        return duration(self.segments)

    @cached_property
    def judged_seconds(self) -> float:
        """The length with a slow voice (the per-response limit is judged on it)."""
        return judged_duration(self.segments)

    @cached_property
    def ssml_chars(self) -> int:
        return _ssml_chars(self.segments)

    @cached_property
    def ssml_parts(self) -> tuple[str, ...]:
        """The block's SSML pieces, made once per (shared) block: see `Turn.ssml`."""
        return tuple(ssml_parts(self.segments))

    @cached_property
    def sounds(self) -> int:
        return sum(isinstance(s, Sound) for s in self.segments)


@lru_cache(maxsize=4096)
def _ssml_chars(segments: tuple[Segment, ...]) -> int:
    """SSML length of a block, memoised by its segments (the coach's own words and pauses)."""
    return len(to_ssml_body(segments)) + 1


_block = lru_cache(maxsize=8192)(Block)
"""Blocks are immutable and built from the coach's own words and the tempo's pauses, so
the same few (a phase, a label, a rest) recur in every set of every response: one shared
instance each keeps its lengths and SSML size computed once."""


def talk(*texts: Segment) -> Block:
    return _block(tuple(t for t in texts if t))


def side_name(exercise: Exercise, phrases: Phrases, side: int | None) -> str:
    if side is None:
        return ""
    return phrases.raw("words.sides").get(exercise.sides[side], exercise.sides[side])


def sound_lengths(phrases: Phrases) -> dict[str, float]:
    """Seconds each sound-library clip the coach uses plays, by its src."""
    return {raw["src"]: float(raw["seconds"]) for raw in phrases.raw("sounds").values()}


def sound(phrases: Phrases, name: str) -> Sound:
    raw = phrases.raw(f"sounds.{name}")
    return Sound(raw["src"], float(raw["seconds"]))


def _timed(
    segments_at: list[tuple[float, Segment]], length: float, slack: float = 0.0
) -> tuple[Segment, ...]:
    return _timeline(tuple(segments_at), length, slack)


@lru_cache(maxsize=4096)
def _timeline(
    segments_at: tuple[tuple[float, Segment], ...], length: float, slack: float
) -> tuple[Segment, ...]:
    """The words at their moments with pauses between, memoised: a phase, label or rest of
    a given tempo is laid out the same way in every set and every response. `slack`
    (`timing.phase_slack`) comes off the last pause, for a slower voice."""
    timeline = Timeline()
    for moment, segment in segments_at:
        if isinstance(segment, Sound):
            timeline.play_at(moment, segment)
        else:
            timeline.say_at(moment, str(segment))
    timeline.wait_until(length - slack)
    return tuple(timeline.segments)


def _phase_timed(words: list[tuple[float, Segment]], length: float) -> tuple[Segment, ...]:
    """A timed phase or hold call: its words budgeted for a slower voice (see
    `timing.phase_slack`). Beats between phases (a rep's label, "ready... and") are not:
    a slower voice there only moves the next rep on a little, never into a phase."""
    calls = [str(w) for _, w in words if not isinstance(w, Sound) and len(str(w).split()) <= 2]
    slack = phase_slack(calls, length)  # a form cue inside a hold is talk, not a call
    return _timed(words, length, slack)


def phase_block(phrases: Phrases, phase: Phase, tempo: float, unit: int) -> Block:
    """One phase: its call on the first second, then the seconds counted ("two", "three")."""
    length = phase.seconds * tempo
    beats = max(1, round(phase.seconds))
    words: list[tuple[float, Segment]] = [(0.0, f"{phrases.say(f'calls.{phase.call}')}.")]
    for beat in range(2, beats + 1):
        words.append(((beat - 1) * length / beats, f"{phrases.count(beat)}."))
    return _block(_phase_timed(words, length), length, "phase", call=phase.call, unit=unit)


def label_block(phrases: Phrases, number: int, reps: int, rep: int, unit: int) -> Block:
    text = phrases.say("reps.last") if number == reps else phrases.say("reps.lead", n=number)
    segments = _timed([(0.0, text)], LABEL_SECONDS)
    return _block(segments, LABEL_SECONDS, "label", rep=rep, unit=unit)


def ready_block(phrases: Phrases, unit: int, rep: int) -> Block:
    """ "Ready... and", leading into the first call; it starts rep `rep` (for the plan)."""
    words = [
        (0.0, phrases.say("reps.ready")),
        (READY_SECONDS - AND_BEFORE, phrases.fragment("reps.and")),
    ]
    segments = _timed(words, READY_SECONDS)
    return _block(segments, READY_SECONDS, "ready", rep=rep, unit=unit)


def lead_in_block(exercise: Exercise, phrases: Phrases) -> Block:
    """Time to fetch what the set-up asks for: 'take a few seconds to ...', then that many
    seconds of silence (8 to 15, from the exercise's data)."""
    text = phrases.say("lead_in.text", what=exercise.lead_in)
    return _block((text, Pause(exercise.lead_in_seconds)), kind="lead_in")


def rest_block(phrases: Phrases, seconds: float, unit: int = -1) -> Block:
    """Timed rest between a chime and a chime: announced, half way on long ones, ten
    seconds before the end, and a spoken count-down into the next set."""
    if seconds == 60:
        length = phrases.fragment("rest.minute")
    else:
        length = phrases.raw("rest.seconds").format(seconds=round(seconds))
    start, end = sound(phrases, "rest_start"), sound(phrases, "rest_end")
    words: list[tuple[float, Segment]] = [
        (0.0, start),
        (start.seconds, phrases.say("rest.start", duration=length)),
    ]
    if seconds >= 40:
        half = round(seconds / 2)
        words.append((seconds - half, phrases.say("rest.half", seconds=half)))
    if seconds >= 20:
        words.append((seconds - 10, phrases.say("rest.last_ten")))
    countdown = phrases.raw("rest.countdown")
    end_at = seconds - end.seconds
    for index, word in enumerate(countdown):
        words.append((end_at - len(countdown) + index, f"{sentence(word)}."))
    words.append((end_at, end))
    return _block(_timed(words, seconds), seconds, "rest", unit=unit)


def hold_blocks(exercise: Exercise, phrases: Phrases, cue: str, unit: int) -> list[Block]:
    """A timed hold: a call every 10 seconds (the cue after the first), a count-down of
    five; one block per call, each lasting until the next call."""
    seconds = exercise.hold
    countdown = phrases.raw("sets.countdown")
    calls: list[tuple[float, str]] = [(0.0, phrases.say("sets.hold_start"))]
    for moment in range(10, int(seconds) - len(countdown), 10):
        calls.append((float(moment), phrases.say("sets.hold_tick", seconds=moment)))
    for index, word in enumerate(countdown):
        calls.append((seconds - len(countdown) + index, f"{sentence(word)}."))
    blocks = []
    for index, (moment, text) in enumerate(calls):
        end = calls[index + 1][0] if index + 1 < len(calls) else seconds
        words: list[tuple[float, Segment]] = [(0.0, text)]
        if moment == 10 and cue:
            words.append((0.5 + len(text) / 20, cue))
        blocks.append(
            _block(
                _phase_timed(words, end - moment),
                end - moment,
                "hold",
                call=text,
                rep=1 if index == 0 else 0,
                unit=unit,
            )
        )
    return blocks


def switch_block(exercise: Exercise, phrases: Phrases, unit: Unit, side: int, index: int) -> Block:
    """The words to change sides, then a beat to do it."""
    template = exercise.side_switch[unit.set % len(exercise.side_switch)]
    text = sentence(template.format(side=side_name(exercise, phrases, side), reps=exercise.reps))
    return _block((text, Pause(exercise.switch_seconds)), kind="switch", unit=index)


def _reps(
    exercise: Exercise,
    phrases: Phrases,
    tempo: float,
    *,
    numbers: range,
    offset: int,
    cue: str,
    index: int,
) -> list[Block]:
    """Reps `numbers` of one pass (one side): "ready... and" into the first, a label beat
    before each of the others, then each phase, per rep."""
    blocks = [ready_block(phrases, index, offset + numbers.start)]
    for number in numbers:
        if number != numbers.start:
            blocks.append(label_block(phrases, number, exercise.reps, offset + number, index))
        blocks.extend(phase_block(phrases, phase, tempo, index) for phase in exercise.tempo)
        if cue and number == CUE_AFTER_REP and number != exercise.reps:
            blocks.append(_block((cue,), unit=index))
        if number == exercise.reps - 3 and exercise.reps >= 6:
            encourage = phrases.nth("sets.encourage", exercise.reps + offset + index)
            blocks.append(_block((encourage,), unit=index))
    return blocks


def unit_script(
    exercise: Exercise,
    phrases: Phrases,
    index: int,
    *,
    tempo: float,
    cue: str,
    start_rep: int = 1,
    rest: float = 0.0,
    resuming: bool = False,
) -> list[Block]:
    """One set or hold, after its rest (if any): announced once (a later side of the same
    set gets only the switch and its beat, unless `resuming` after a pause or a cut,
    when the user needs to hear which set and foot again), then the reps or the hold;
    `start_rep` resumes a set under way."""
    units = exercise.units()
    unit = units[index]
    first_of_set = index == 0 or units[index - 1].set != unit.set or start_rep > 1
    first_of_set = first_of_set or resuming
    side = side_name(exercise, phrases, unit.side)
    blocks: list[Block] = [rest_block(phrases, rest, index)] if rest > 0 else []
    if exercise.kind == "hold":
        intro_path = "sets.hold_intro"
    else:
        intro_path = "sets.side_intro" if unit.side is not None else "sets.intro"
    values = {"set": unit.set, "sets": exercise.sets, "side": side, "reps": exercise.reps}
    if first_of_set:
        intro: list[Segment] = [phrases.say(intro_path, **values)]
        if start_rep > 1:
            intro.append(phrases.say("reps.from_rep", n=(start_rep - 1) % exercise.reps + 1))
        if unit.side is not None:
            intro.append(sentence(exercise.side_intro.format(**values)))
        if not rest or unit.side is not None:
            intro.append(Pause(GET_READY_SECONDS))  # after a rest, its count-down readies
        blocks.append(_block(tuple(intro), unit=index))
    else:
        blocks.append(switch_block(exercise, phrases, unit, unit.side or 0, index))
    if exercise.kind == "hold":
        return blocks + hold_blocks(exercise, phrases, cue, index)
    passes = exercise.sides_within
    for turn in range(passes):
        first = turn * exercise.reps + 1
        if start_rep >= first + exercise.reps:
            continue
        from_number = max(1, start_rep - turn * exercise.reps)
        if passes > 1:
            side_values = {**values, "side": side_name(exercise, phrases, turn)}
            if turn == 0 or start_rep > first:
                text = sentence(exercise.side_intro.format(**side_values))
                blocks.append(_block((text, Pause(GET_READY_SECONDS)), unit=index))
            else:
                blocks.append(switch_block(exercise, phrases, unit, turn, index))
        blocks += _reps(
            exercise,
            phrases,
            tempo,
            numbers=range(from_number, exercise.reps + 1),
            offset=turn * exercise.reps,
            cue=cue if turn == 0 or start_rep > first else "",
            index=index,
        )
    return blocks


def own_rest(exercise: Exercise, index: int, tempo: float) -> bool:
    """Whether the rest before unit `index` is the user's own: a harder step's bigger dose
    at a slow tempo makes the rest and the set after it too long for one response even
    with the rest at its floor. Then the response before ends with "rest for a minute,
    then say next", and the next one starts with the set: the rest never stands alone as
    a silent turn, and no response runs past the limit."""
    rest = exercise.rest_before(index)
    if rest <= 0:
        return False
    timed = rest * REST_FLOOR + unit_seconds(exercise, tempo)
    return timed + TALK_AROUND_SET > MAX_TURN_SECONDS


def reps_in_unit(exercise: Exercise) -> int:
    """Reps a set goes through (both ways for within-set sides); a hold is one."""
    return 1 if exercise.kind == "hold" else exercise.reps * exercise.sides_within


def unit_seconds(exercise: Exercise, tempo: float) -> float:
    """The timed part of one set or hold, without its rest: for the minutes a plan takes."""
    if exercise.kind == "hold":
        return exercise.hold + GET_READY_SECONDS
    per_pass = READY_SECONDS + (exercise.reps - 1) * LABEL_SECONDS
    per_pass += exercise.reps * exercise.rep_seconds * tempo
    passes = exercise.sides_within
    return GET_READY_SECONDS + passes * per_pass + (passes - 1) * exercise.switch_seconds
