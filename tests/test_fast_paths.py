"""The shortcuts taken for speed (issue 15) give exactly what the plain way gives."""

from __future__ import annotations

import pytest

from skill.alexa.session_state import LAST
from skill.chat.simulator import speech_of
from skill.domain import coach
from skill.domain.coach.timing import duration, speaking_seconds
from skill.domain.speech import Pause, to_ssml_body

CATALOGUE = coach.load_catalogue()


@pytest.mark.parametrize("exercise", [None, *sorted(CATALOGUE.exercises)])
@pytest.mark.parametrize("tempo", coach.TEMPOS)
def test_a_coached_turns_ssml_from_its_blocks_is_the_ssml_of_its_speech(exercise, tempo):
    state, turn = coach.start(exercise, tempo=tempo, key=f"start-{tempo}")
    for number in range(30):
        assert turn.ssml == to_ssml_body(turn.speech)
        if state["finished"] or turn.ends_session:
            break
        state, turn = coach.act(state, "next", key=f"next-{number}")
    assert state["finished"]


def test_memoised_speaking_time_is_the_same_each_time_and_per_rate():
    first = speaking_seconds("Down. two. three.")
    assert speaking_seconds("Down. two. three.") == first > 0
    assert speaking_seconds("Down. two. three.", 2.8) > first
    assert duration(["Up.", Pause(0.6)]) == duration(("Up.", Pause(0.6)))


def test_no_copy_of_the_speech_rides_along_while_an_exercise_is_under_way(conversation):
    conversation.launch()
    conversation.intent("WhyAnklesPopIntent")
    assert LAST in conversation.attributes  # a question's answer can be repeated
    conversation.intent("StartWorkoutIntent")
    assert LAST not in conversation.attributes
    coached = conversation.intent("AMAZON.NextIntent")
    assert LAST not in conversation.attributes
    again = conversation.intent("AMAZON.RepeatIntent")  # the coach does the set again
    assert "Rep 2." in speech_of(again) and "Rep 2." in speech_of(coached)
    assert again["response"]["shouldEndSession"] is False
    assert LAST not in conversation.attributes


def test_repeat_after_an_exercise_ends_says_its_last_response_again(conversation):
    conversation.launch()
    response = conversation.intent("StartExerciseIntent", exercise="calf_raises")
    for _ in range(20):
        if not coach.is_active(conversation.attributes.get(coach.STATE_KEY)):
            break
        response = conversation.intent("AMAZON.NextIntent")
    assert "Set 2 of 2" in speech_of(response) and "every other day" in speech_of(response)
    assert LAST in conversation.attributes  # the response that finishes it is kept
    assert speech_of(conversation.intent("AMAZON.RepeatIntent")) == speech_of(response)


def test_a_coached_turn_checks_the_state_alexa_sent_once_and_trusts_the_coachs_own(
    conversation, monkeypatch
):
    conversation.launch()
    conversation.intent("StartExerciseIntent", exercise="calf_raises")
    loaded = []
    real = coach.load_state

    def counting(raw, locale="en-US"):
        loaded.append(raw)
        return real(raw, locale)

    monkeypatch.setattr(coach, "load_state", counting)
    sent = conversation.attributes[coach.STATE_KEY]
    conversation.intent("AMAZON.NextIntent")
    # The glue loads only what came in; the coach's own checks (is_active...) may add more.
    assert sum(raw == sent for raw in loaded) >= 1
    assert all(raw == sent for raw in loaded if raw is not None)
    broken = {**conversation.attributes[coach.STATE_KEY], "item": 99}
    conversation.attributes[coach.STATE_KEY] = broken
    response = conversation.intent("AMAZON.NextIntent")  # a forged state is still refused
    assert coach.STATE_KEY not in conversation.attributes or (
        conversation.attributes[coach.STATE_KEY] != broken
    )
    assert response["response"]["outputSpeech"]


def test_a_plain_copy_shares_nothing_that_can_change():
    from skill.domain.plain import copy_plain

    value = {"a": [1, {"b": [2.5, None, True]}], "c": "text"}
    copied = copy_plain(value)
    assert copied == value
    copied["a"][1]["b"].append(3)
    copied["a"].append(4)
    assert value == {"a": [1, {"b": [2.5, None, True]}], "c": "text"}


def test_with_storage_off_the_session_carries_the_place_once(conversation):
    import json

    conversation.launch()
    conversation.intent("StartExerciseIntent", exercise="towel_scrunches")
    pending = conversation.attributes["progress_pending"]
    assert pending["view"]["position"] == "coach"  # the session's coach state, not a copy
    assert json.dumps(conversation.attributes).count('"routine"') == 1
    response = conversation.intent("AMAZON.PauseIntent")
    assert "resume" in speech_of(response).lower()
    response = conversation.intent("AMAZON.ResumeIntent")
    assert "Rep" in speech_of(response) or "Set" in speech_of(response)
    # A forged marker with no coach state to stand for is no place at all, and no crash.
    conversation.attributes.pop(coach.STATE_KEY)
    conversation.attributes["progress_pending"]["view"]["position"] = "coach"
    response = conversation.intent("AMAZON.ResumeIntent")
    assert response["response"]["outputSpeech"]
    assert conversation.attributes["progress_pending"]["view"].get("position") != "coach"
