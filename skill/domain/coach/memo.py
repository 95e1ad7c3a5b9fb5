"""Each set's script made once and reused, while the words it picked are the same.

A set's script (`script.unit_script`: every rep's label, phase and count as timed blocks)
is most of a coached turn's work, and it is a pure function of immutable domain data: the
exercise at its step, the set, the tempo step, the cue, the rep it starts from, the rest
before it, whether it resumes after a cut, and the wording variants it picked. Most of its
phrases have one variant, and the rest two (a rest's opening line, its last-ten-seconds
call), so the same few scripts come back for every user and every turn. This keeps them,
keyed by that data only (never by the request: the turn's key enters only through the
variants it picked, which are compared on each reuse), in a bounded store that lives with
the words (`Phrases.scripts`).
"""

from __future__ import annotations

from contextlib import suppress

from skill.domain.coach.exercises import Exercise
from skill.domain.coach.phrases import Phrases
from skill.domain.coach.script import Block, unit_script

MAX_SCRIPTS = 512
"""Sets kept: about 4 exercises x 6 units x 6 tempos x a few cues and start reps; the
oldest goes when full."""
MAX_WORDINGS = 8
"""Variant choices kept per set: 2 x 2 x 2 today (two-variant phrases in a set)."""

Totals = tuple[float, int, int]
"""Judged seconds, sound clips and SSML characters of a script (`machine.Totals`)."""
Entry = tuple[Exercise, tuple[str, ...], tuple[str, ...], tuple[Block, ...], Totals]


def set_script(
    exercise: Exercise,
    phrases: Phrases,
    index: int,
    *,
    tempo: float,
    cue: str,
    start_rep: int = 1,
    rest: float = 0.0,
    resuming: bool = False,
) -> tuple[list[Block], Totals]:
    """`unit_script(...)` with the same arguments (a new list of the same blocks), and
    what its blocks add up to (summed once per script, not on every turn)."""
    store = phrases.scripts
    key = (exercise.id, exercise.level, index, tempo, cue, start_rep, rest, resuming)
    entries: list[Entry] | None = store.get(key)
    if entries:
        for made_for, paths, picked, kept, totals in entries:
            if (made_for is exercise or made_for == exercise) and all(
                phrases.variant(path) == was for path, was in zip(paths, picked, strict=True)
            ):
                return list(kept), totals
    seen: list[str] = []
    blocks = unit_script(
        exercise,
        phrases.recording(seen),
        index,
        tempo=tempo,
        cue=cue,
        start_rep=start_rep,
        rest=rest,
        resuming=resuming,
    )
    # Only a path with two or more variants can pick differently for another key: a
    # single wording is the same for every turn, so it is not compared on each reuse.
    paths = tuple(path for path in dict.fromkeys(seen) if _varies(phrases.raw(path)))
    totals = script_totals(blocks)
    picked = tuple(phrases.variant(path) for path in paths)
    entry = (exercise, paths, picked, tuple(blocks), totals)
    if entries is None:
        if len(store) >= MAX_SCRIPTS:
            with suppress(KeyError, RuntimeError, StopIteration):  # another thread did
                del store[next(iter(store))]
        store[key] = [entry]
    else:
        if len(entries) >= MAX_WORDINGS:
            del entries[0]
        entries.append(entry)
    return blocks, totals


def _varies(node: object) -> bool:
    """Whether `speech.pick` can choose differently by key: a list of two or more."""
    return isinstance(node, list | tuple) and len(node) > 1


def script_totals(blocks: list[Block], start: Totals = (0.0, 0, 0)) -> Totals:
    """`start` plus the blocks' judged seconds, sound clips and SSML characters."""
    seconds, sounds, chars = start
    for block in blocks:
        seconds += block.judged_seconds
        sounds += block.sounds
        chars += block.ssml_chars
    return seconds, sounds, chars
