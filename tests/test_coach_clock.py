"""A coach that knows where it was interrupted, from Alexa's timestamps alone.

The expected position is read off the response's own blocks (where each rep's label or
each hold begins), independently of the plan the coach keeps in its state."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skill.domain import coach
from skill.domain.coach import DELIVERY_ALLOWANCE, TEMPOS, Command
from skill.domain.coach.machine import sets_done
from skill.domain.speech import plain_text

CATALOGUE = coach.load_catalogue()
ROUTINES = [*sorted(CATALOGUE.exercises), None]
START = 1_800_000_000.0  # a request timestamp, in seconds


def coached_turns(exercise, tempo):
    """(state with its plan pending, turn, request time) for each response of a walk."""
    now = START
    state, turn = coach.start(exercise, tempo=tempo, key="k", now=now)
    walk = [(state, turn, now)]
    while coach.is_active(state):
        now += turn.seconds + 30
        state, turn = coach.act(state, Command.NEXT, key=str(now), now=now)
        if state.get("plan"):
            walk.append((state, turn, now))
    return walk


WALKS = {(e, t): coached_turns(e, t) for e in ROUTINES for t in (min(TEMPOS), 1.0, max(TEMPOS))}


def expected_at(turn, heard):
    """From the blocks alone: the units finished by `heard`, the unit under way, and the
    last rep of it begun by then (None if none yet)."""
    offset, ends, begun = 0.0, {}, {}
    for block in turn.blocks:
        if block.kind in ("phase", "hold"):
            ends[block.unit] = offset + block.seconds
        if block.rep and offset <= heard:
            begun[block.unit] = block.rep
        offset += block.seconds
    done = {unit for unit, end in ends.items() if end <= heard}
    under_way = next((unit for unit in ends if ends[unit] > heard), None)
    return done, under_way, begun.get(under_way)


@settings(max_examples=250, deadline=None)
@given(
    walk=st.sampled_from(sorted(WALKS, key=str)),
    pick=st.integers(0, 20),
    share=st.floats(0, 1.05),
)
def test_a_request_at_any_moment_lands_on_the_rep_or_second_reached(walk, pick, share):
    turns = WALKS[walk]
    state, turn, sent = turns[pick % len(turns)]
    heard = round(share * turn.seconds)  # Alexa's timestamps have whole seconds
    settled = coach.settle(state, sent + heard + DELIVERY_ALLOWANCE)
    done, under_way, begun = expected_at(turn, heard)
    name = state["routine"][state["item"]]
    before = set(state["done"].get(name, []))
    assert set(settled["done"].get(name, [])) == before | done, "finished sets count"
    position = coach.position_at(state, heard)
    if under_way is None:
        assert not settled["cut"] and position.played_through
        return
    assert settled["cut"] and (settled["item"], settled["unit"]) == (state["item"], under_way)
    assert under_way in before or under_way not in settled["done"].get(name, [])
    first = state["plan"]["units"][0][1]
    expected = begun if begun is not None else (state["rep"] if under_way == first else 1)
    assert settled["rep"] == expected, "the rep under way"
    assert position.unit == under_way and position.rep in (begun or 0, expected)
    # The summary counts only what was done, and resuming goes on from the rep reached.
    # A set is both feet where the feet take turns: one foot alone is said as such.
    details = CATALOGUE.exercises[name]
    whole, partial = sets_done(settled, details)
    if settled["done"].get(name) and name not in settled["completed"]:
        said = coach.summary(settled)
        if whole:
            assert f"did {whole} of {details.sets}" in said
        if partial is not None:
            assert f" {partial.set}" in said and f"your {details.sides[partial.side]} foot" in said
        units = sum(1 for u in details.units() if u.set <= whole) + (partial is not None)
        assert units == len(settled["done"][name]), "every unit done is counted once"
    _, resumed = coach.act(settled, Command.RESUME, key="r", now=sent + 999)
    starts = [b for b in resumed.blocks if b.rep]
    assert starts[0].rep == settled["rep"] and starts[0].unit == under_way
    if settled["rested"]:
        assert all(b.kind != "rest" for b in resumed.blocks[: resumed.blocks.index(starts[0])])


@pytest.mark.parametrize("exercise", ROUTINES)
def test_without_a_timestamp_or_after_the_end_the_response_counts_as_heard(exercise):
    state, turn, sent = WALKS[(exercise, 1.0)][0]
    for now in (None, sent + turn.seconds + DELIVERY_ALLOWANCE + 1, sent + 86_400):
        settled = coach.settle(state, now)
        assert not settled["cut"] and settled["plan"] is None
        assert settled == coach.settle(state, None)


def test_stop_a_few_reps_into_calf_raises_counts_no_set_and_keeps_the_rep():
    state, turn = coach.start("calf_raises", key="k", now=START)
    labels = []
    offset = 0.0
    for block in turn.blocks:
        if block.rep:  # the count-in starts rep 1, a label each other
            labels.append(offset)
        offset += block.seconds
    during_rep_4 = labels[3] + 2
    stopped, said = coach.act(
        state, Command.STOP, key="s", now=START + round(during_rep_4) + DELIVERY_ALLOWANCE
    )
    text = plain_text(said.speech)
    assert text.startswith("You stopped at rep 4 of set 1 of calf raises."), "no set is done"
    assert coach.summary(stopped) in text, "the same words greet a later session"
    assert stopped["rep"] == 4 and not stopped["done"] and stopped["unit"] == 0
    _, resumed = coach.act(stopped, Command.RESUME, key="r", now=START + 500)
    text = plain_text(resumed.speech)
    assert "From rep 4. Ready. and Up." in text and "Rep 3." not in text and "Rep 5." in text


def test_repeat_after_an_interruption_does_the_set_under_way_from_its_first_rep():
    state, _ = coach.start("calf_raises", key="k", now=START)
    cut, again = coach.act(state, Command.REPEAT, key="r", now=START + 60)
    text = plain_text(again.speech)
    assert "Set 1 of 2, 10 reps. Ready. and Up." in text and "From rep" not in text
    assert cut["plan"]["units"][0][1] == 0


def test_an_interrupted_rest_is_not_played_again():
    state, turn = coach.start("calf_raises", key="k", now=START)
    state, turn = coach.act(state, Command.NEXT, key="n", now=START + 200)  # rest, set 2
    assert turn.blocks[0].kind == "rest"
    settled = coach.settle(state, START + 200 + 20 + DELIVERY_ALLOWANCE)  # 20 s into the rest
    assert settled["cut"] and settled["rested"] and settled["unit"] == 1
    _, resumed = coach.act(settled, Command.NEXT, key="n2", now=START + 400)
    assert all(b.kind != "rest" for b in resumed.blocks)
    assert "Set 2 of 2" in plain_text(resumed.speech)


def _mid(state, unit_number: int) -> float:
    """A request timestamp 3 s into a unit of the last response (delivery included)."""
    entry = next(u for u in state["plan"]["units"] if u[1] == unit_number)
    return START + round(entry[3] + 3) + DELIVERY_ALLOWANCE


def test_switch_legs_goes_from_the_foot_being_worked_to_the_other():
    state, _ = coach.start("single_leg_balance", key="k", now=START)
    on_right = coach.settle(state, _mid(state, 0))
    moved, turn = coach.act(state, Command.SWITCH_SIDES, key="s", now=_mid(state, 0))
    assert on_right["unit"] == 0 and moved["unit"] == 1
    assert plain_text(turn.speech).startswith("Okay, switching to your left foot.")
    moved, turn = coach.act(state, Command.SWITCH_SIDES, key="s", now=_mid(state, 1))
    assert moved["unit"] == 2 and "switching to your right foot" in plain_text(turn.speech)


def test_a_cut_hold_resumes_saying_which_hold_and_foot():
    state, _ = coach.start("single_leg_balance", key="k", now=START)
    paused, said = coach.act(state, Command.PAUSE, key="p", now=_mid(state, 1))
    assert "hold 1 of single-leg balance on your left foot" in plain_text(said.speech)
    _, resumed = coach.act(paused, Command.RESUME, key="r", now=START + 999)
    assert plain_text(resumed.speech).startswith("Hold 1 of 3, left foot.")
    assert paused["done"] == {"single_leg_balance": [0]}, "the hold reached is not done"


def test_how_many_more_mid_set_says_the_reps_left_and_the_way_it_goes():
    state, _ = coach.start("side_steps", key="k", now=START)
    reps = state["plan"]["units"][0][5]
    rep_14 = START + round(reps[13] + 0.5) + DELIVERY_ALLOWANCE
    settled = coach.settle(state, rep_14)
    assert settled["rep"] == 14
    _, status = coach.act(state, Command.STATUS, key="s", now=rep_14)
    text = plain_text(status.speech)
    assert "from rep 4 to your left" in text and "7 reps to go in this set" in text
    assert text.count("banded side steps") == 1, "the exercise is named once"
    _, stop = coach.act(state, Command.STOP, key="s", now=rep_14)
    assert "You stopped at rep 4 to your left, in set 1 of banded side steps." in plain_text(
        stop.speech
    )
