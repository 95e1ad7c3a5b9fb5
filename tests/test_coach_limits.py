"""The longest coach turns, checked exhaustively rather than by random search: starting
(with the new-user disclaimer or not) and starting over, at every tempo, judged with a
slow voice against the 180 s limit."""

import itertools

import pytest

from skill.chat.alexa_rules import ssml_problems
from skill.domain import coach
from skill.domain.coach import MAX_TURN_SECONDS, TEMPOS, Command
from skill.domain.content import load_content
from skill.domain.speech import plain_text

CATALOGUE = coach.load_catalogue()
ROUTINES = [*CATALOGUE.exercises, None]  # None: the whole workout
DISCLAIMER = (load_content().prompt("disclaimer"),)
KEYS = [f"key-{n}" for n in range(6)]  # wording variants change the length


@pytest.mark.parametrize(("exercise", "tempo"), list(itertools.product(ROUTINES, TEMPOS)), ids=str)
def test_starting_fits_one_response_at_every_tempo(exercise, tempo):
    for key, intro in itertools.product(KEYS, ((), DISCLAIMER)):
        state, turn = coach.start(exercise, tempo=tempo, intro=intro, key=key)
        assert turn.judged_seconds <= MAX_TURN_SECONDS
        assert plain_text(turn.speech) and turn.reprompt
        if intro:
            assert DISCLAIMER[0] in plain_text(turn.speech), "the disclaimer is never dropped"
        _, over = coach.act(state, Command.START_OVER, key=key)
        assert over.judged_seconds <= MAX_TURN_SECONDS


def test_a_lead_too_long_to_share_a_turn_goes_first_and_the_set_follows():
    long_lead = DISCLAIMER * 8  # longer than any real lead, so it cannot share the turn
    state, turn = coach.start("calf_raises", tempo=max(TEMPOS), intro=long_lead, key="k")
    assert plain_text(turn.speech).count(DISCLAIMER[0]) == 8
    assert turn.judged_seconds <= MAX_TURN_SECONDS and turn.reprompt
    assert state["unit"] == 0 and not state["done"], "the position did not move"
    state, turn = coach.act(state, Command.NEXT, key="next")
    assert turn.judged_seconds <= MAX_TURN_SECONDS and "Set 1 of 2" in plain_text(turn.speech)
    assert coach.settle(state, None)["done"] == {"calf_raises": [0]}


HARDER = [
    (name, level)
    for name, exercise in CATALOGUE.exercises.items()
    for level in range(1, len(exercise.progressions) + 1)
]


@pytest.mark.parametrize(("exercise", "level"), HARDER, ids=str)
def test_every_harder_step_is_coached_within_the_limits_at_every_tempo(exercise, level):
    """A harder step's dose (three sets of fifteen...) is coached to the end within
    Alexa's limits and 180 s. Where a set and the rest before it outgrow one response
    (fifteen reps at a slow tempo), the rest is the user's own: the response before ends
    "rest for a minute, then say next", and the next starts with the set, so no rest
    stands alone; where even the set-up and the first set do not fit, the set-up goes
    first and "next" starts the set."""
    details = CATALOGUE.at(exercise, {exercise: level})
    for tempo in TEMPOS:
        state, turn = coach.start(exercise, tempo=tempo, key="k", levels={exercise: level})
        turns = [turn]
        while coach.is_active(state):
            state, turn = coach.act(state, Command.NEXT, key=f"n{len(turns)}")
            turns.append(turn)
            assert len(turns) < 20
        assert len(turns) <= 2 + len(details.units())
        for before, turn in zip([None, *turns], turns, strict=False):
            assert ssml_problems(f"<speak>{turn.ssml}</speak>") == []
            assert turn.judged_seconds <= MAX_TURN_SECONDS, (tempo, plain_text(turn.speech))
            assert [b.kind for b in turn.blocks if b.target] != ["rest"], "no lone rest"
            if before is not None and "then say next" in plain_text(before.speech):
                assert not any(b.kind == "rest" for b in turn.blocks), "the rest was taken"
