"""The coach on its own (no Alexa): counts that match the tempo phase by phase, time to
get ready, few turns, and a user in control."""

from __future__ import annotations

import itertools
import json
import re
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skill.chat.alexa_rules import MAX_BREAK_SECONDS, asks_something
from skill.domain import coach
from skill.domain.coach import DELIVERY_ALLOWANCE, MAX_TURN_SECONDS, TEMPOS, Command
from skill.domain.coach.machine import MAX_SOUNDS, PROGRESSION_AFTER, REST_FLOOR
from skill.domain.coach.phrases import load_phrases
from skill.domain.coach.script import LABEL_SECONDS, READY_SECONDS, Block
from skill.domain.coach.timing import (
    BUDGET_WORDS_PER_SECOND,
    MOST_SHORT,
    SENTENCE_GAP,
    WORDS_PER_SECOND,
    Timeline,
    duration,
    phase_slack,
    speaking_seconds,
)
from skill.domain.content import load_content
from skill.domain.speech import Pause, Sound, plain_text, to_ssml

CATALOGUE = coach.load_catalogue()
EXERCISES = sorted(CATALOGUE.exercises)
ROUTINES = [*EXERCISES, None]  # None: the whole workout
DISCLAIMER = load_content().prompt("disclaimer")
TOLERANCE = 0.10
PHRASES = load_phrases()
CALLS = PHRASES.raw("calls")
COUNTS = PHRASES.raw("words.counts")


@cache
def whole_session(exercise, tempo=1.0, intro=()):
    """Every turn of an exercise (or the workout) from start to finish, saying next and
    listening to each reply to its end."""
    state, turn = coach.start(exercise, tempo=tempo, intro=intro, key="start")
    turns = [turn]
    for number in itertools.count():
        if not coach.is_active(state):
            return tuple(turns)
        assert number < 100, "the exercise never ends"
        state, turn = coach.act(state, Command.NEXT, key=f"turn-{number}")
        turns.append(turn)


SESSIONS = [(e, t) for e in ROUTINES for t in TEMPOS]


def blocks_of(exercise, tempo, kind=None):
    for turn in whole_session(exercise, tempo):
        for block in turn.blocks:
            if kind is None or block.kind == kind:
                yield block


def words(block: Block) -> str:
    return plain_text(block.segments)


# 1. Counts that match the tempo, phase by phase.


SLOWER_VOICE = BUDGET_WORDS_PER_SECOND  # 20 % slower than the model's usual voice
FASTER_VOICE = WORDS_PER_SECOND * 210 / 175  # 20 % faster


@pytest.mark.parametrize(("exercise", "tempo"), SESSIONS)
def test_every_phase_lasts_what_the_tempo_says_even_with_a_slow_voice(exercise, tempo):
    """Each tempo phase (up, hold, down; out, in; curl, hold, ease) and each hold call:
    with the usual voice it lasts what the tempo says, ending at most MOST_SHORT early
    (the slack left for a slower voice, `timing.phase_slack`); a voice 20 % slower or
    faster moves it only by what its few short words take, within 15 % either way
    (silence carries the time), and the slow voice the limits are judged with stays
    within 10 %."""
    phases = [b for b in blocks_of(exercise, tempo) if b.kind in ("phase", "hold")]
    assert phases
    for block in phases:
        target = block.target
        assert target * (1 - MOST_SHORT) - 0.01 <= block.seconds <= target + 0.01, block
        calls = [t for t in block.segments if isinstance(t, str) and len(t.split()) <= 2]
        slack = phase_slack(calls, target)
        assert block.seconds == pytest.approx(target - slack, abs=0.02), "the slack is left"
        slower = duration(block.segments, SLOWER_VOICE)
        assert target - 0.01 <= slower <= target * 1.15, block
        assert abs(block.judged_seconds - target) <= TOLERANCE * target, block
        faster = duration(block.segments, FASTER_VOICE)
        assert target * 0.85 <= faster <= target, block


@pytest.mark.parametrize(("exercise", "tempo"), SESSIONS)
def test_beats_between_phases_and_rests_keep_their_length(exercise, tempo):
    """A rep's label beat, the "ready... and" count-in and each rest last what they say
    within 10 %, with the usual voice and a slow one (their words are few and short)."""
    beats = [b for b in blocks_of(exercise, tempo) if b.kind in ("label", "ready", "rest")]
    assert beats or CATALOGUE.exercises[exercise].kind == "hold"
    for block in beats:
        assert abs(block.seconds - block.target) <= TOLERANCE * block.target, block
        assert abs(block.judged_seconds - block.target) <= TOLERANCE * block.target, block


def exercise_of(turn):
    return next(e for e in CATALOGUE.exercises.values() if e.name.lower() == turn.title.lower())


@pytest.mark.parametrize(("exercise", "tempo"), SESSIONS)
def test_phases_follow_the_tempo_setting_and_holds_and_rests_keep_theirs(exercise, tempo):
    """The stated rule: rep phases scale with the tempo; holds keep their 30 s, and rests
    their length (shortened, never below REST_FLOOR, only where a rest and its set would
    not otherwise fit one response)."""
    for turn in whole_session(exercise, tempo):
        details = exercise_of(turn)
        base = {phase.call: phase.seconds for phase in details.tempo}
        for block in turn.blocks:
            if block.kind == "phase":
                assert block.target == pytest.approx(base[block.call] * tempo)
            elif block.kind == "rest":
                assert REST_FLOOR * details.rest <= block.target <= details.rest
                assert block.target == details.rest or tempo > 1.15
        holds = [b for b in turn.blocks if b.kind == "hold"]
        assert sum(b.target for b in holds) == pytest.approx(
            details.hold * sum(1 for b in holds if b.rep), abs=0.01
        )


@pytest.mark.parametrize(("exercise", "tempo"), SESSIONS)
def test_each_rep_is_a_label_beat_then_its_phases_in_order(exercise, tempo):
    """Each rep starts with a beat of its own ("ready... and" for the first of a pass, its
    label for the others), never inside a phase, then its phases in order."""
    for turn in whole_session(exercise, tempo):
        timed = [b for b in turn.blocks if b.kind in ("ready", "label", "phase")]
        name = exercise_of(turn)
        for index, block in enumerate(timed):
            if block.kind == "phase":
                continue
            assert block.rep, "every beat starts a rep, for the plan"
            phases = timed[index + 1 : index + 1 + len(name.tempo)]
            assert [b.call for b in phases] == [p.call for p in name.tempo]
            assert sum(b.target for b in phases) == pytest.approx(name.rep_seconds * tempo)
            assert block.target == (LABEL_SECONDS if block.kind == "label" else READY_SECONDS)


@pytest.mark.parametrize(("exercise", "tempo"), SESSIONS)
def test_rep_labels_and_counts_can_never_be_confused(exercise, tempo):
    """Labels say "Rep 4." or "Last one." (never a bare number) and fit their beat with a
    slow voice; a phase says only its one call word, the same every rep, then counts in
    words ("two", "three"), never digits."""
    for block in blocks_of(exercise, tempo, "label"):
        assert re.fullmatch(r"Rep \d+\.|Last one\.", words(block)), words(block)
        assert block.judged_seconds <= LABEL_SECONDS * (1 + TOLERANCE)
    for block in blocks_of(exercise, tempo, "phase"):
        said = [s for s in block.segments if isinstance(s, str)]
        assert said[0] == f"{CALLS[block.call]}.", "one cue word per phase, every rep"
        assert all(s.removesuffix(".") in COUNTS for s in said[1:])
        assert not re.search(r"\d", words(block))


def test_calf_raises_are_counted_up_two_hold_down_two_three():
    text = plain_text(whole_session("calf_raises")[0].speech)
    assert "Ready. and Up. two. Hold. Down. two. three. Rep 2. Up." in text
    assert "Rep 1." not in text, "the count-in leads straight into the first call"
    assert "Last one. Up. two. Hold. Down. two. three." in text


# 2. Time to get ready.


@pytest.mark.parametrize(("exercise", "tempo"), SESSIONS)
def test_a_lead_in_fits_the_set_up_and_ready_and_comes_before_the_first_count(exercise, tempo):
    turns = whole_session(exercise, tempo)
    lead_ins = [b for t in turns for b in t.blocks if b.kind == "lead_in"]
    assert len(lead_ins) == (4 if exercise is None else 1), "one per exercise"
    for block in lead_ins:
        assert words(block).startswith("Take a few seconds to")
        assert isinstance(block.segments[-1], Pause) and 8 <= block.segments[-1].seconds <= 15
    for turn in turns:
        kinds = [b.kind for b in turn.blocks if b.kind in ("ready", "label", "phase", "hold")]
        for before, after in itertools.pairwise(["", *kinds]):
            if after == "phase" and before not in ("phase", "label"):
                assert before == "ready", "a ready... and before each set's first count"
            if after == "label":
                assert before == "phase", "labels only between reps"


@pytest.mark.parametrize("exercise", EXERCISES)
def test_each_set_is_announced_once_and_sides_switch_with_a_beat(exercise):
    details = CATALOGUE.exercises[exercise]
    text = " ".join(plain_text(t.speech) for t in whole_session(exercise))
    word = "Hold" if details.kind == "hold" else "Set"
    for number in range(1, details.sets + 1):
        assert text.count(f"{word} {number} of {details.sets},") == 1
    switches = list(blocks_of(exercise, 1.0, "switch"))
    assert len(switches) == (details.sets * (len(details.sides) - 1) if details.sides else 0)
    for block in switches:
        assert isinstance(block.segments[-1], Pause) and block.segments[-1].seconds >= 3


def test_the_workout_opens_with_what_it_needs_and_minutes_from_the_plan():
    for tempo in TEMPOS:
        turns = whole_session(None, tempo)
        opening = plain_text(turns[0].speech)
        minutes = coach.planned_minutes(list(CATALOGUE.workout), tempo)
        assert f"about {minutes} minutes" in opening
        for need in ("a chair", "a towel", "a counter", "a light loop band"):
            assert need in opening
        listened = sum(t.seconds for t in turns) / 60
        assert abs(minutes - listened) <= 1, (tempo, minutes, listened)


# 3. Fewer turns.


@pytest.mark.parametrize("tempo", TEMPOS)
def test_the_whole_workout_needs_at_most_one_next_per_set_and_no_rest_stands_alone(tempo):
    turns = whole_session(None, tempo)
    sets = sum(CATALOGUE.exercises[name].sets for name in CATALOGUE.workout)
    nexts = len(turns) - 1  # the first turn answers "start my ankle workout"
    assert nexts <= sets, f"{nexts} nexts for {sets} sets at x{tempo}"
    for turn in turns:
        kinds = [b.kind for b in turn.blocks]
        for index, kind in enumerate(kinds):
            if kind == "rest":
                assert {"phase", "hold"} & set(kinds[index:]), "a rest flows into its set"


@pytest.mark.parametrize(("exercise", "tempo"), SESSIONS)
def test_every_turn_fits_alexa_and_180_seconds_with_a_slow_voice(exercise, tempo):
    for turn in whole_session(exercise, tempo):
        assert turn.judged_seconds <= MAX_TURN_SECONDS, plain_text(turn.speech)[:80]
        ssml = to_ssml(turn.speech)
        assert len(ssml) < 8000
        assert sum(isinstance(s, Sound) for s in turn.speech) <= MAX_SOUNDS
        for part in ssml.split("<break")[1:]:
            assert int(part.split('"')[1].removesuffix("ms")) <= MAX_BREAK_SECONDS * 1000
        assert asks_something(plain_text(turn.speech)), plain_text(turn.speech)[-80:]
        assert turn.reprompt and speaking_seconds(plain_text(turn.reprompt)) < 5


@pytest.mark.parametrize("exercise", ROUTINES)
def test_the_first_set_with_the_one_time_disclaimer_still_fits(exercise):
    turn = whole_session(exercise, 1.0, intro=(DISCLAIMER,))[0]
    assert DISCLAIMER in plain_text(turn.speech)
    assert turn.judged_seconds <= MAX_TURN_SECONDS


def test_a_rest_is_timed_between_two_chimes_and_counted_down():
    rest = next(blocks_of("calf_raises", 1.0, "rest"))
    assert rest.target == 60 and rest.seconds == pytest.approx(60, abs=0.5)
    sounds = [s for s in rest.segments if isinstance(s, Sound)]
    assert [s.src for s in sounds] == [
        PHRASES.raw("sounds.rest_start")["src"],
        PHRASES.raw("sounds.rest_end")["src"],
    ]
    heard = [s for s in rest.segments if not isinstance(s, Pause)]
    assert heard[0] == sounds[0] and heard[-1] == sounds[1], "the rest opens and ends on a chime"
    text = words(rest)
    assert "a minute" in text and text.endswith("Three. Two. One.")


def test_sides_that_take_turns_rest_each_other_so_no_silent_rest_is_added():
    for details in CATALOGUE.exercises.values():
        if details.side_mode == "per_set":
            assert all(details.rest_before(i) == 0 for i in range(len(details.units())))
            shortest = details.hold if details.kind == "hold" else details.rep_seconds * 8
            assert shortest >= details.rest, "the other side's set is at least the rest"


# 5. Tempo and programme.


def test_tempo_steps_can_be_felt_and_span_brisk_to_gentle():
    assert (min(TEMPOS), max(TEMPOS)) == (0.8, 1.5) and 1.0 in TEMPOS
    for slower, faster in itertools.pairwise(TEMPOS):
        assert 0.10 <= faster / slower - 1 <= 0.16


def test_slower_steps_through_every_setting_and_says_how_long_a_rep_is():
    state, _ = coach.start("calf_raises", key="k")
    seen = [state["tempo"]]
    for _ in range(10):
        state, turn = coach.act(state, Command.SLOWER, key="s")
        seen.append(state["tempo"])
    assert sorted(set(seen)) == [t for t in TEMPOS if t >= 1.0]
    assert "as slow as" in plain_text(turn.speech)
    state, turn = coach.act(state, Command.FASTER, key="f")
    assert "about 7.8 seconds" in plain_text(turn.speech)
    for _ in range(10):
        state, turn = coach.act(state, Command.FASTER, key="f")
    assert state["tempo"] == min(TEMPOS) and "as quick as" in plain_text(turn.speech)


@pytest.mark.parametrize("exercise", EXERCISES)
def test_after_an_exercise_the_coach_says_when_to_do_it_again(exercise):
    details = CATALOGUE.exercises[exercise]
    last = plain_text(whole_session(exercise)[-1].speech)
    assert f"Do these {details.frequency}." in last
    assert details.progressions[0] not in last, "no progression on a first session"


def test_after_a_few_sessions_the_progression_is_offered():
    """The session's end asks yes or no about the next step, and names the exercise."""
    history = {"calf_raises": PROGRESSION_AFTER - 1}
    state, turn = coach.start("calf_raises", key="k", history=history)
    state, turn = coach.act(state, Command.NEXT, key="n", history=history)
    text = plain_text(turn.speech)
    assert f"That's {PROGRESSION_AFTER} sessions of calf raises" in text
    assert CATALOGUE.exercises["calf_raises"].progressions[0] in text
    assert text.endswith("Would you like to move up to it next time?")
    assert turn.offer == "calf_raises" and "say yes" in plain_text(turn.reprompt).lower()
    _, first_time = coach.act(coach.start("calf_raises", key="k")[0], Command.NEXT, key="n")
    assert first_time.offer == "" and "move up" not in plain_text(first_time.speech)


def test_in_a_workout_the_next_step_is_asked_about_once_at_the_end():
    """Mid-workout the exercise's closing says the question comes at the end (the
    workout goes on with "say next"); the last response asks it. Stored progress counts
    each finished exercise as it goes, so the history grows during the session."""
    history = {"calf_raises": PROGRESSION_AFTER - 1}
    state, turn = coach.start(None, key="k", history=history)
    said = []
    while coach.is_active(state):
        before = list(state["completed"])
        state, turn = coach.act(state, Command.NEXT, key=f"n{len(said)}", history=history)
        said.append(plain_text(turn.speech))
        heard = coach.settle(state, None)
        for name in heard["completed"][len(before) :]:
            history = {**history, name: history.get(name, 0) + 1}
    assert sum("I'll tell you the next step" in text for text in said) == 1
    assert turn.offer == "calf_raises" and said[-1].endswith("move up to it next time?")
    assert sum("move up to it" in text for text in said) == 1


def test_too_easy_offers_the_next_step_and_yes_switches_to_it_from_the_next_set():
    state, turn = coach.start("calf_raises", key="k", now=0)
    after_set_1 = turn.seconds + DELIVERY_ALLOWANCE + 1
    offered, turn = coach.act(state, Command.HARDER, key="h", now=after_set_1)
    assert "three sets of fifteen" in plain_text(turn.speech)
    assert plain_text(turn.speech).endswith("?") and offered["offer"] == "calf_raises"
    moved, turn = coach.act(offered, Command.YES, key="y")
    text = plain_text(turn.speech)
    assert text.startswith("Okay, three sets of fifteen from now on.")
    assert "Set 2 of 3, 15 reps." in text and "Rep 15." not in text and "Last one." in text
    assert moved["levels"] == {"calf_raises": 1} and moved["offer"] is None
    assert moved["done"] == {"calf_raises": [0]}, "the set already done still counts"
    # Anything but yes turns the offer down, and the dose stays.
    for command in (Command.NEXT, Command.NO, Command.PAUSE, Command.STATUS):
        declined, turn = coach.act(offered, command, key="n")
        assert declined["offer"] is None and declined["levels"] == {}, command
        assert "15 reps" not in plain_text(turn.speech)
    # A harder step starts the next session with its own set-up line and dose.
    _, turn = coach.start("calf_raises", key="k", levels={"calf_raises": 1})
    text = plain_text(turn.speech)
    assert "You're on the harder version: three sets of fifteen." in text
    assert "Set 1 of 3, 15 reps." in text


def test_the_hardest_step_is_not_offered_again():
    steps = len(CATALOGUE.exercises["calf_raises"].progressions)
    state, turn = coach.start("calf_raises", key="k", levels={"calf_raises": steps})
    state, turn = coach.act(state, Command.HARDER, key="h")
    assert state["offer"] is None and "last step I coach" in plain_text(turn.speech)
    history = {"calf_raises": 10}
    state, turn = coach.start("calf_raises", key="k", levels={"calf_raises": steps})
    state, turn = coach.act(state, Command.NEXT, key="n", history=history)
    assert turn.offer == ""


# Control.


@pytest.mark.parametrize("exercise", EXERCISES)
def test_an_exercise_is_completed_once_when_its_last_set_is_heard(exercise):
    turns = whole_session(exercise)
    assert [t.completed for t in turns[:-1]] == [()] * (len(turns) - 1)
    assert turns[-1].completed == (exercise,)


def test_the_workout_does_all_four_in_order():
    turns = whole_session(None)
    completed = [name for turn in turns for name in turn.completed]
    assert completed == list(CATALOGUE.workout) and sorted(completed) == EXERCISES
    assert "whole workout" in plain_text(turns[-1].speech)


def test_a_form_cue_comes_once_per_set_and_never_twice_in_a_row():
    for exercise in EXERCISES:
        cues = CATALOGUE.exercises[exercise].cues
        said = [c for t in whole_session(exercise) for b in t.blocks for c in cues if c in words(b)]
        assert len(said) == CATALOGUE.exercises[exercise].sets * (
            len(CATALOGUE.exercises[exercise].sides)
            if CATALOGUE.exercises[exercise].side_mode == "per_set"
            else 1
        )
        assert all(a != b for a, b in itertools.pairwise(said))


def test_pause_keeps_the_position_and_says_how_to_resume():
    state, _ = coach.start("calf_raises", key="k")
    paused, turn = coach.act(state, Command.PAUSE, key="p")
    assert paused["paused"] and "say resume" in plain_text(turn.speech).lower()
    assert (paused["item"], paused["unit"]) == (0, 1)
    _, turn = coach.act(paused, Command.RESUME, key="r")
    assert "rest" in plain_text(turn.speech).lower() and "Set 2 of 2" in plain_text(turn.speech)


def test_repeat_does_the_last_set_again_and_previous_goes_back():
    state, _ = coach.start("towel_scrunches", key="k")  # set 1, right foot
    state, _ = coach.act(state, Command.NEXT, key="n")  # set 1 left, set 2 right
    _, turn = coach.act(state, Command.REPEAT, key="r")
    assert "Set 2 of 2, right foot" in plain_text(turn.speech)
    back, turn = coach.act(state, Command.PREVIOUS, key="p")
    assert "left foot" in plain_text(turn.speech) and back["unit"] == 1


def test_skip_moves_to_the_next_exercise_of_the_workout():
    state, _ = coach.start(None, key="k")
    state, turn = coach.act(state, Command.SKIP, key="s")
    assert turn.title == "Single-leg balance"
    assert CATALOGUE.exercises["single_leg_balance"].setup in plain_text(turn.speech)


def test_stop_after_a_set_ends_with_a_summary_and_keeps_the_position():
    state, _ = coach.start("calf_raises", key="k")
    stopped, turn = coach.act(state, Command.STOP, key="s")
    assert turn.ends_session
    assert "You did 1 of 2 sets of calf raises." in plain_text(turn.speech)
    assert coach.is_active(stopped) and stopped["unit"] == 1


def test_unknown_exercise_lists_the_choices_and_asks():
    turn = coach.exercise_choices(unknown=True, key="k")
    text = plain_text(turn.speech)
    assert "don't know" in text and "calf raises" in text and text.endswith("?")


def test_the_timeline_absorbs_speaking_time_into_the_pauses():
    timeline = Timeline()
    timeline.say_at(0, "Up.")
    timeline.say_at(2, "Down.")
    timeline.wait_until(5)
    assert duration(timeline.segments) == pytest.approx(5, abs=0.01)
    # The voice's own pause after a full stop is taken by the break that follows it.
    said = speaking_seconds("Up.") - SENTENCE_GAP
    assert timeline.segments[1].seconds == pytest.approx(2 - said, abs=0.01)


# Property tests: random command sequences on every exercise and the workout.

COMMAND_LISTS = st.lists(st.sampled_from(list(Command)), max_size=30)


@settings(max_examples=120, deadline=None)
@given(exercise=st.sampled_from(ROUTINES), commands=COMMAND_LISTS)
def test_any_command_sequence_is_safe(exercise, commands):
    state, turn = coach.start(exercise, key="start")
    for number, command in enumerate(commands):
        if not coach.is_active(state):
            break
        before = json.dumps(coach.settle(state, None))
        state, turn = coach.act(state, command, key=str(number))
        assert json.loads(json.dumps(state)) == state and coach.load_state(state) is not None
        assert plain_text(turn.speech), "always says something"
        assert turn.judged_seconds <= MAX_TURN_SECONDS
        if command == Command.STOP:
            assert turn.ends_session
        else:
            assert asks_something(plain_text(turn.speech))
        if command == Command.HELP:
            assert json.dumps(state) == before
        if command == Command.FALLBACK and not json.loads(before)["hurt"]:
            # paused where it was, and asked whether it hurts (after a pain stop it stays
            # stopped and says how to go on, as for any other command)
            assert state == {**json.loads(before), "paused": True}
            assert turn.asks_hurt


@settings(max_examples=80, deadline=None)
@given(exercise=st.sampled_from(ROUTINES), commands=COMMAND_LISTS)
def test_pause_then_resume_goes_on_exactly_like_next(exercise, commands):
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
    position = ("item", "unit", "rep", "rested", "last", "tempo", "done", "finished")
    assert {k: resumed[k] for k in position} == {k: resumed_directly[k] for k in position}

    # The same sets are coached; after a pause the first one says again which it is.
    def coached(state):
        return [unit[:2] for unit in (state["plan"] or {"units": []})["units"]]

    assert coached(resumed) == coached(resumed_directly)


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 50)
    | st.floats(allow_nan=True)
    | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=10,
)


@settings(max_examples=120, deadline=None)
@given(
    exercise=st.sampled_from(ROUTINES),
    steps=st.integers(0, 3),
    key=st.sampled_from(sorted(coach.new_state(["calf_raises"]))),
    value=JSON,
)
def test_a_tampered_state_is_refused_or_loads_and_coaches_without_crashing(
    exercise, steps, key, value
):
    state, _ = coach.start(exercise, key="k", now=1000.0)
    for number in range(steps):
        if coach.is_active(state):
            state, _ = coach.act(state, Command.NEXT, key=str(number), now=2000.0 + 500 * number)
    assert coach.load_state(state) == state
    forged = {**state, key: value}
    loaded = coach.load_state(forged)
    if loaded is not None and coach.is_active(loaded):
        for command in (Command.PAUSE, Command.NEXT, Command.STOP):
            coach.act(loaded, command, key="x", now=5000.0)


def test_bad_states_are_refused():
    state, _ = coach.start(None, key="k")
    assert json.loads(json.dumps(state)) == state and coach.load_state(state) == state
    broken = [
        None, [], {}, {**state, "v": 4}, {**state, "unit": 99}, {**state, "tempo": 1.1},
        {**state, "rep": 0}, {**state, "rep": True}, {**state, "unit": 1.0},
        {**state, "routine": ["jumping_jacks"]}, {**state, "routine": []},
        {**state, "done": {"calf_raises": [7]}}, {**state, "plan": {"at": 1}},
        {**state, "plan": {**state["plan"], "end": -1}},
        {**state, "plan": {**state["plan"], "units": [[0, 0, None, 5, 1, [], 0]]}},
        {**state, "extra": 1},
    ]  # fmt: skip
    for bad in broken:
        assert coach.load_state(bad) is None, bad


def test_a_place_saved_by_version_1_is_resumed_from_its_set():
    old = {
        "v": 1, "routine": ["calf_raises"], "workout": False, "item": 0, "unit": 1,
        "rested": False, "last": [0, 0], "tempo": 1.1, "paused": True, "finished": False,
        "done": {"calf_raises": [0]}, "completed": [], "cues": {"calf_raises": 0},
    }  # fmt: skip
    state = coach.load_state(old)
    assert state["v"] == coach.VERSION and state["tempo"] == 1.15 and state["rep"] == 1
    assert coach.load_state({**old, "unit": 5}) is None
    _, turn = coach.act(state, Command.RESUME, key="r")
    assert "Set 2 of 2" in plain_text(turn.speech)


def test_a_new_form_after_a_bigger_dose_says_it_starts_from_the_beginner_dose():
    state, _ = coach.start("calf_raises", key="k", levels={"calf_raises": 1})
    state, _ = coach.act(state, Command.HARDER, key="h")
    state, turn = coach.act(state, Command.YES, key="y")
    text = plain_text(turn.speech)
    assert text.startswith("Okay, up on both feet, down on one from now on. That's 2 sets of 10.")
    assert state["levels"] == {"calf_raises": 2} and "Set 2 of 2, 10 reps." in text


def test_yes_or_no_to_the_next_step_after_the_session_says_what_happens_next_time():
    yes = plain_text(coach.progression_settled("side_steps", 1, accepted=True).speech)
    no = plain_text(coach.progression_settled("side_steps", 1, accepted=False).speech)
    step = CATALOGUE.exercises["side_steps"].progressions[0]
    assert f"next time, your banded side steps will be {step}" in yes and yes.endswith("?")
    assert "keep your banded side steps as they are" in no and step not in no
