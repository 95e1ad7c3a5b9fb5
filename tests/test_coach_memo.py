"""A set's script reused from `coach.memo` is exactly the one `unit_script` makes."""

from __future__ import annotations

import pytest

from skill.domain.coach import load_catalogue
from skill.domain.coach.memo import MAX_SCRIPTS, script_totals, set_script
from skill.domain.coach.phrases import Phrases, load_phrases
from skill.domain.coach.script import reps_in_unit, unit_script
from skill.domain.coach.state import TEMPOS

KEYS = [f"amzn1.echo-api.request.{n}" for n in range(6)]


def _cases() -> list[tuple[str, int]]:
    catalogue = load_catalogue()
    return [
        (name, level)
        for name, exercise in catalogue.exercises.items()
        for level in sorted({0, len(exercise.progressions)})
    ]


@pytest.mark.parametrize(("name", "level"), _cases())
def test_a_reused_script_is_the_one_made_afresh(name: str, level: int) -> None:
    exercise = load_catalogue().at(name, {name: level})
    base = load_phrases()
    shared = Phrases(base.data)  # its own store: the test starts from nothing kept
    rest_lines = set()
    for index in range(len(exercise.units())):
        for tempo in (TEMPOS[0], 1.0, TEMPOS[-1]):
            for cue in ("", *exercise.cues[:1]):
                for start_rep in (1, 3) if reps_in_unit(exercise) >= 3 else (1,):
                    for rest, resuming in ((0.0, False), (exercise.rest, False), (0.0, True)):
                        for key in KEYS:
                            args = {"tempo": tempo, "cue": cue, "start_rep": start_rep}
                            args["resuming"] = resuming
                            reused, totals = set_script(
                                exercise, shared.for_turn(key), index, rest=rest, **args
                            )
                            fresh = unit_script(
                                exercise, base.for_turn(key), index, rest=rest, **args
                            )
                            assert reused == fresh, (name, level, index, tempo, key)
                            assert totals == pytest.approx(script_totals(fresh))
                            if rest:
                                words = base.for_turn(key)
                                rest_lines.add(
                                    (words.variant("rest.start"), words.variant("rest.last_ten"))
                                )
    kept = shared.scripts
    assert 0 < len(kept) <= MAX_SCRIPTS
    # Nothing of the request is kept: the store's keys are the domain data only.
    assert not any(key in repr(stored) for stored in kept for key in KEYS)
    if exercise.rest and exercise.side_mode != "per_set":
        # The keys pick different rest words, so reuse really compared the variants.
        assert len(rest_lines) > 1


def test_the_store_stays_bounded() -> None:
    exercise = load_catalogue().at("calf_raises")
    phrases = Phrases(load_phrases().data).for_turn("k")
    for rest in range(MAX_SCRIPTS + 20):
        set_script(exercise, phrases, 0, tempo=1.0, cue="", rest=float(rest) + 20)
    assert len(phrases.scripts) == MAX_SCRIPTS
