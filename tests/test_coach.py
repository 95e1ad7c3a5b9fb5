"""The coach on its own (no Alexa): pacing that matches the tempo, and a user in control."""

from __future__ import annotations

import itertools
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skill.chat.alexa_rules import MAX_BREAK_SECONDS, asks_something
from skill.domain import coach
from skill.domain.coach import MAX_TURN_SECONDS, TEMPOS, Command
from skill.domain.coach.phrases import load_phrases
from skill.domain.coach.script import rep_words
from skill.domain.coach.timing import Timeline, duration, speaking_seconds
from skill.domain.content import load_content
from skill.domain.speech import Pause, plain_text, to_ssml

CATALOGUE = coach.load_catalogue()
EXERCISES = sorted(CATALOGUE.exercises)
ROUTINES = [*EXERCISES, None]  # None: the whole workout
DISCLAIMER = load_content().prompt("disclaimer")
TOLERANCE = 0.10


def whole_session(exercise, tempo=1.0, intro=()):
    """Every turn of an exercise (or the workout) from start to finish, saying next."""
    state, turn = coach.start(exercise, tempo=tempo, intro=intro, key="start")
    turns = [turn]
    for number in itertools.count():
        if not coach.is_active(state):
            return turns
        assert number < 100, "the exercise never ends"
        state, turn = coach.act(state, Command.NEXT, key=f"turn-{number}")
        turns.append(turn)


SESSIONS = [(e, t) for e in ROUTINES for t in TEMPOS]


@pytest.mark.parametrize(("exercise", "tempo"), SESSIONS)
def test_every_timed_block_lasts_what_the_tempo_says(exercise, tempo):
    for turn in whole_session(exercise, tempo):
        for block in turn.blocks:
            if block.target is not None:
                assert abs(block.seconds - block.target) <= TOLERANCE * block.target, block


@pytest.mark.parametrize(("exercise", "tempo"), SESSIONS)
def test_each_set_takes_reps_times_rep_time(exercise, tempo):
    """The counted part of a set adds up to reps x rep time (x sides within a set)."""
    for turn in whole_session(exercise, tempo):
        reps = sum(b.target for b in turn.blocks if b.kind == "reps")
        if not reps:
            continue
        name = next(e for e in CATALOGUE.exercises.values() if e.name.lower() in turn.title.lower())
        sides = len(name.sides) if name.side_mode == "within_set" else 1
        assert reps == pytest.approx(name.reps * name.rep_seconds * tempo * sides)


@pytest.mark.parametrize(("exercise", "tempo"), SESSIONS)
def test_each_response_is_one_set_or_hold_within_about_90_seconds(exercise, tempo):
    for turn in whole_session(exercise, tempo):
        work = [b for b in turn.blocks if b.kind in ("reps", "hold")]
        assert len({b.kind for b in work}) <= 1
        assert sum(b.kind == "hold" for b in work) <= 1
        assert turn.seconds <= MAX_TURN_SECONDS, plain_text(turn.speech)[:80]
        assert max((s.seconds for s in turn.speech if isinstance(s, Pause)), default=0) > 0


@pytest.mark.parametrize("exercise", ROUTINES)
def test_the_first_set_with_the_one_time_disclaimer_still_fits(exercise):
    """New users hear the disclaimer once; they start at the normal tempo."""
    turn = whole_session(exercise, 1.0, intro=(DISCLAIMER,))[0]
    assert DISCLAIMER in plain_text(turn.speech)
    assert turn.seconds <= MAX_TURN_SECONDS


@pytest.mark.parametrize(("exercise", "tempo"), SESSIONS)
def test_breaks_are_at_most_ten_seconds_and_every_turn_ends_with_a_prompt(exercise, tempo):
    for turn in whole_session(exercise, tempo):
        assert f'time="{int(MAX_BREAK_SECONDS * 1000) + 1}' not in to_ssml(turn.speech)
        for part in to_ssml(turn.speech).split("<break")[1:]:
            millis = int(part.split('"')[1].removesuffix("ms"))
            assert millis <= MAX_BREAK_SECONDS * 1000
        assert asks_something(plain_text(turn.speech)), plain_text(turn.speech)[-80:]
        assert turn.reprompt and speaking_seconds(plain_text(turn.reprompt)) < 5


@pytest.mark.parametrize("exercise", EXERCISES)
def test_the_start_is_one_sentence_of_set_up_then_the_first_set(exercise):
    details = CATALOGUE.exercises[exercise]
    assert details.setup.count(".") == 1 and details.setup.endswith(".")
    assert "sharp pain" in details.setup or "hurts sharply" in details.setup
    text = plain_text(coach.start(exercise, key="k")[1].speech)
    assert text.index(details.setup) < text.index("of " + str(details.sets))


@pytest.mark.parametrize("exercise", EXERCISES)
def test_an_exercise_is_completed_once_at_its_last_set(exercise):
    turns = whole_session(exercise)
    assert [t.completed for t in turns[:-1]] == [()] * (len(turns) - 1)
    assert turns[-1].completed == (exercise,)


def test_the_workout_does_all_four_in_order_and_counts_each():
    turns = whole_session(None)
    completed = [name for turn in turns for name in turn.completed]
    assert completed == list(CATALOGUE.workout) and sorted(completed) == EXERCISES
    assert "whole workout" in plain_text(turns[-1].speech)


def test_calf_raises_are_counted_in_time_with_the_tempo():
    text = plain_text(coach.start("calf_raises", key="k")[1].speech)
    assert "Rep 1 of 10. Up. two. Hold. Down. two. three." in text
    assert "Last one." in text and "Halfway, rep 6." in text


@pytest.mark.parametrize(("exercise", "tempo"), SESSIONS[: len(EXERCISES) * len(TEMPOS)])
def test_no_two_consecutive_reps_sound_the_same(exercise, tempo):
    details = CATALOGUE.exercises[exercise]
    if details.kind != "reps":
        return
    words = [
        [text for _, text in rep_words(details, load_phrases(), n, details.reps, tempo)]
        for n in range(1, details.reps + 1)
    ]
    assert all(a != b for a, b in itertools.pairwise(words))


def test_a_form_cue_comes_once_per_set_and_never_twice_in_a_row():
    for exercise in EXERCISES:
        cues = CATALOGUE.exercises[exercise].cues
        said = []
        for turn in whole_session(exercise):
            text = plain_text(turn.speech)
            found = [cue for cue in cues if cue in text]
            if any(b.kind in ("reps", "hold") for b in turn.blocks):
                assert len(found) == 1, text[:100]
                said.append(found[0])
        assert all(a != b for a, b in itertools.pairwise(said))


def test_holds_call_every_ten_seconds_and_count_down_the_last_five():
    turn = coach.start("single_leg_balance", key="k")[1]
    hold = next(b for b in turn.blocks if b.kind == "hold")
    text = plain_text(hold.segments)
    assert "10 seconds." in text and "20 seconds." in text
    assert text.endswith("Five. Four. Three. Two. One.")
    assert hold.target == 30


def test_sides_are_switched_by_name():
    turns = whole_session("single_leg_balance")
    assert "right foot" in plain_text(turns[0].speech)
    assert "Now your left foot" in " ".join(plain_text(t.speech) for t in turns)
    side_steps = plain_text(coach.start("side_steps", key="k")[1].speech)
    assert "to your right" in side_steps and "to your left" in side_steps


def test_rest_between_sets_is_timed_and_announced():
    turns = whole_session("calf_raises")
    rest = next(b for t in turns for b in t.blocks if b.kind == "rest")
    assert rest.target == 60 and rest.seconds == pytest.approx(60, abs=0.5)
    text = plain_text(rest.segments)
    assert "a minute" in text and ("Ten seconds left" in text or "Ten more seconds" in text)


def test_tempo_changes_within_safe_bounds_and_is_remembered():
    state, _ = coach.start("calf_raises", key="k")
    for _ in range(10):
        state, turn = coach.act(state, Command.SLOWER, key="s")
    assert state["tempo"] == max(TEMPOS)
    assert "as slow as" in plain_text(turn.speech)
    state, turn = coach.act(state, Command.NEXT, key="n")
    state, turn = coach.act(state, Command.NEXT, key="n2")
    reps = sum(b.target for b in turn.blocks if b.kind == "reps")
    assert reps == pytest.approx(10 * 6 * max(TEMPOS))
    for _ in range(10):
        state, turn = coach.act(state, Command.FASTER, key="f")
    assert state["tempo"] == min(TEMPOS) and "as quick as" in plain_text(turn.speech)


def test_pause_keeps_the_position_and_says_how_to_resume():
    state, _ = coach.start("calf_raises", key="k")
    paused, turn = coach.act(state, Command.PAUSE, key="p")
    assert paused["paused"] and "say resume" in plain_text(turn.speech).lower()
    assert (paused["item"], paused["unit"]) == (state["item"], state["unit"])
    _, turn = coach.act(paused, Command.RESUME, key="r")
    assert "Rest for" in plain_text(turn.speech) or "Take" in plain_text(turn.speech)


def test_repeat_does_the_last_set_again_and_previous_goes_back():
    state, _ = coach.start("towel_scrunches", key="k")
    state, _ = coach.act(state, Command.NEXT, key="n")  # set 1, left foot
    again, turn = coach.act(state, Command.REPEAT, key="r")
    assert "left foot" in turn.detail.lower() and again["unit"] == state["unit"]
    back, turn = coach.act(state, Command.PREVIOUS, key="p")
    assert "right foot" in turn.detail.lower() and back["last"] == [0, 0]


def test_skip_moves_to_the_next_exercise_of_the_workout():
    state, _ = coach.start(None, key="k")
    state, turn = coach.act(state, Command.SKIP, key="s")
    assert turn.title == "Single-leg balance"
    assert CATALOGUE.exercises["single_leg_balance"].setup in plain_text(turn.speech)


def test_stop_ends_with_a_summary_and_keeps_the_position():
    state, _ = coach.start("calf_raises", key="k")
    stopped, turn = coach.act(state, Command.STOP, key="s")
    assert turn.ends_session
    assert "You did 1 of 2 sets of calf raises." in plain_text(turn.speech)
    assert coach.is_active(stopped) and stopped["unit"] == 1


def test_unknown_exercise_lists_the_choices_and_asks():
    turn = coach.exercise_choices(unknown=True, key="k")
    text = plain_text(turn.speech)
    assert "don't know" in text and "calf raises" in text and text.endswith("?")


def test_the_state_is_plain_json_and_bad_states_are_refused():
    state, _ = coach.start(None, key="k")
    assert json.loads(json.dumps(state)) == state
    assert coach.load_state(state) == state
    for broken in (None, {}, {**state, "v": 99}, {**state, "unit": 99}, {**state, "tempo": 5}):
        assert coach.load_state(broken) is None
    assert coach.load_state({**state, "routine": ["jumping_jacks"]}) is None


def test_the_timeline_absorbs_speaking_time_into_the_pauses():
    timeline = Timeline()
    timeline.say_at(0, "Up.")
    timeline.say_at(2, "Down.")
    timeline.wait_until(5)
    assert duration(timeline.segments) == pytest.approx(5, abs=0.01)
    assert timeline.segments[1].seconds == pytest.approx(2 - speaking_seconds("Up."), abs=0.01)


# Property tests: random command sequences on every exercise and the workout.

COMMANDS = st.lists(st.sampled_from(list(Command)), max_size=40)


@settings(max_examples=150, deadline=None)
@given(exercise=st.sampled_from(ROUTINES), commands=COMMANDS)
def test_any_command_sequence_is_safe(exercise, commands):
    state, turn = coach.start(exercise, key="start")
    for number, command in enumerate(commands):
        if not coach.is_active(state):
            break
        before = json.dumps(state)
        state, turn = coach.act(state, command, key=str(number))
        assert json.dumps(state) and coach.load_state(state) is not None, "out of range"
        assert plain_text(turn.speech), "always says something"
        assert turn.seconds <= MAX_TURN_SECONDS
        if command == Command.STOP:
            assert turn.ends_session
        else:
            assert asks_something(plain_text(turn.speech))
        if command in (Command.HELP, Command.FALLBACK):
            assert json.dumps(state) == before


@settings(max_examples=100, deadline=None)
@given(exercise=st.sampled_from(ROUTINES), commands=COMMANDS)
def test_pause_then_resume_returns_to_the_same_position(exercise, commands):
    state, _ = coach.start(exercise, key="start")
    for number, command in enumerate(commands):
        if not coach.is_active(state) or command == Command.STOP:
            break
        state, _ = coach.act(state, command, key=str(number))
    if not coach.is_active(state):
        return
    paused, _ = coach.act(state, Command.PAUSE, key="pause")
    resumed_directly, _ = coach.act(state, Command.RESUME, key="resume")
    resumed, _ = coach.act(paused, Command.RESUME, key="resume")
    position = ("item", "unit", "rested", "last", "tempo", "done", "finished")
    assert {k: resumed[k] for k in position} == {k: resumed_directly[k] for k in position}


@settings(max_examples=50, deadline=None)
@given(exercise=st.sampled_from(ROUTINES), commands=COMMANDS)
def test_stop_always_ends_the_session(exercise, commands):
    state, _ = coach.start(exercise, key="start")
    for number, command in enumerate(commands):
        if not coach.is_active(state):
            return
        state, _ = coach.act(state, command, key=str(number))
    if coach.is_active(state):
        _, turn = coach.act(state, Command.STOP, key="stop")
        assert turn.ends_session and not turn.reprompt
