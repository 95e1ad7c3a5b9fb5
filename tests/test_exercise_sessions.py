"""Guided exercise end to end: Alexa-shaped requests in, responses checked like Alexa would."""

from __future__ import annotations

import pytest

from skill.chat.alexa_rules import response_problems
from skill.chat.simulator import Unmatched, session_open, speech_of
from skill.domain import coach
from skill.domain.content import load_content

CATALOGUE = coach.load_catalogue()
CONTENT = load_content()
DISCLAIMER = CONTENT.prompt("disclaimer")


def reprompt_of(response):
    return response["response"].get("reprompt", {}).get("outputSpeech", {}).get("ssml", "")


def coached(conversation, response):
    """Every coached response is valid for Alexa and keeps the session open with a prompt."""
    assert response_problems(response) == []
    assert "trouble with that on my side" not in speech_of(response)
    return response


def transcript(conversation):
    lines = []
    for request, response in conversation.turns:
        body = request["request"]
        said = body.get("intent", {}).get("name") or body["type"]
        lines += [f"USER:  {said}", f"ALEXA: {speech_of(response)}"]
    return "\n".join(lines)


@pytest.mark.parametrize("exercise", sorted(CATALOGUE.exercises))
def test_a_whole_session_of_each_exercise_by_request(conversation, exercise):
    details = CATALOGUE.exercises[exercise]
    conversation.launch()
    first = coached(conversation, conversation.intent("StartExerciseIntent", exercise=exercise))
    assert details.setup in speech_of(first) and session_open(first)
    responses = [first]
    while session_open(responses[-1]) and "else can I help" not in speech_of(responses[-1]):
        responses.append(coached(conversation, conversation.intent("AMAZON.NextIntent")))
        assert len(responses) < 20
    last = speech_of(responses[-1])
    assert f"{details.name} done" in last or f"all your {details.name}" in last
    assert session_open(responses[-1]), "after finishing, the user can ask something else"
    bye = conversation.intent("AMAZON.StopIntent")
    assert not session_open(bye) and response_problems(bye) == []
    text = transcript(conversation)
    units = len(details.units())
    word = "Hold" if details.kind == "hold" else "Set"
    for number in range(1, details.sets + 1):
        assert text.count(f"{word} {number} of {details.sets},") == 1, "each set announced once"
    nexts = [r for r, _ in conversation.turns if "AMAZON.NextIntent" in str(r["request"])]
    assert len(nexts) <= details.sets <= units, "at most one next per set"
    print(text)  # pytest -s shows the whole session as a transcript


def test_a_one_shot_start_speaks_the_disclaimer_and_keeps_coaching(conversation):
    response = conversation.intent("StartExerciseIntent", exercise="single_leg_balance")
    speech = speech_of(response)
    assert speech.startswith(DISCLAIMER)
    assert CATALOGUE.exercises["single_leg_balance"].setup in speech
    assert session_open(response) and response_problems(response) == []


@pytest.mark.parametrize("slot", [Unmatched("jumping jacks"), None])
def test_an_unknown_or_missing_exercise_is_asked_about_not_guessed(conversation, slot):
    conversation.launch()
    response = conversation.intent("StartExerciseIntent", exercise=slot)
    speech = speech_of(response)
    assert ("don't know that exercise" in speech) == (slot is not None)
    for name in ("calf raises", "banded side steps", "towel scrunches", "single-leg balance"):
        assert name in speech
    assert speech.endswith("?") and session_open(response)
    assert coach.STATE_KEY not in conversation.attributes
    answer = conversation.intent("StartExerciseIntent", exercise="towel_scrunches")
    assert CATALOGUE.exercises["towel_scrunches"].setup in speech_of(answer)


def test_the_workout_goes_through_all_four_in_order(conversation):
    conversation.launch()
    first = speech_of(conversation.intent("StartWorkoutIntent"))
    assert "full workout" in first and "towel scrunches" in first
    titles = []
    for _ in range(30):
        response = conversation.intent("AMAZON.NextIntent")
        coached(conversation, response)
        card = response["response"].get("card", {}).get("title")
        if card and card not in titles:
            titles.append(card)
        if "whole workout done" in speech_of(response):
            break
    else:
        pytest.fail("the workout never finished")
    assert titles == ["Towel scrunches", "Single-leg balance", "Calf raises", "Banded side steps"]


def test_a_question_mid_exercise_is_answered_then_continue_goes_on(conversation):
    conversation.launch()
    conversation.intent("StartExerciseIntent", exercise="calf_raises")
    answer = coached(conversation, conversation.intent("WhyAnklesPopIntent"))
    speech = speech_of(answer)
    assert CONTENT.topics["causes"].answer in speech
    assert speech.endswith("Shall we carry on with calf raises?") or speech.endswith(
        "Ready to get back to calf raises?"
    )
    assert "calf raises" in reprompt_of(answer)
    carry_on = coached(conversation, conversation.intent("AMAZON.ResumeIntent"))
    assert "Rest for a minute" in speech_of(carry_on) or "a minute to rest" in speech_of(carry_on)


def test_yes_after_a_question_mid_exercise_goes_on_and_no_keeps_the_place(conversation):
    conversation.launch()
    conversation.intent("StartExerciseIntent", exercise="side_steps")
    conversation.intent("TipIntent")
    kept = coached(conversation, conversation.intent("AMAZON.NoIntent"))
    assert "place" in speech_of(kept) and session_open(kept)
    conversation.intent("IsItSeriousIntent")
    yes = coached(conversation, conversation.intent("AMAZON.YesIntent"))
    assert "rest" in speech_of(yes).lower()


def test_stop_mid_exercise_summarises_and_keeps_the_position(conversation):
    conversation.launch()
    conversation.intent("StartExerciseIntent", exercise="calf_raises")
    response = conversation.intent("AMAZON.StopIntent")
    assert "You did 1 of 2 sets of calf raises." in speech_of(response)
    assert not session_open(response) and response_problems(response) == []
    state = response["sessionAttributes"][coach.STATE_KEY]
    assert coach.is_active(state) and state["unit"] == 1 and state["paused"]


def test_help_mid_exercise_says_what_can_be_said_right_now(conversation):
    conversation.launch()
    conversation.intent("StartExerciseIntent", exercise="towel_scrunches")
    speech = speech_of(coached(conversation, conversation.intent("AMAZON.HelpIntent")))
    assert "towel scrunches" in speech and "left foot" in speech
    for word in ("next", "repeat", "slower", "pause", "skip", "start over", "stop"):
        assert word in speech


def test_slower_is_remembered_for_the_rest_of_the_session(conversation):
    conversation.launch()
    conversation.intent("StartExerciseIntent", exercise="calf_raises")
    conversation.intent("SlowerIntent")
    assert conversation.attributes[coach.STATE_KEY]["tempo"] > 1.0
    conversation.intent("TipIntent")
    conversation.intent("AMAZON.NextIntent")
    assert conversation.attributes[coach.STATE_KEY]["tempo"] > 1.0


def test_yes_to_the_offer_after_explaining_an_exercise_starts_coaching(conversation):
    conversation.launch()
    explained = conversation.intent("ExerciseInfoIntent", exercise="single_leg_balance")
    assert speech_of(explained).endswith("?")
    response = coached(conversation, conversation.intent("AMAZON.YesIntent"))
    assert CATALOGUE.exercises["single_leg_balance"].setup in speech_of(response)


@pytest.mark.parametrize(
    "intent",
    [
        "AMAZON.NextIntent",
        "AMAZON.PauseIntent",
        "SlowerIntent",
        "SkipIntent",
        "AMAZON.ResumeIntent",
    ],
)
def test_coaching_commands_outside_an_exercise_say_how_to_start(conversation, intent):
    conversation.launch()
    response = conversation.intent(intent)
    assert "start my ankle workout" in speech_of(response)
    assert session_open(response) and response_problems(response) == []


def test_outside_an_exercise_yes_no_and_repeat_keep_their_question_meaning(conversation):
    conversation.launch()
    conversation.intent("WhyAnklesPopIntent")
    assert CONTENT.topics["serious"].answer in speech_of(conversation.intent("AMAZON.YesIntent"))
    again = conversation.intent("AMAZON.RepeatIntent")
    assert CONTENT.topics["serious"].answer in speech_of(again)


def test_a_screen_shows_the_exercise_only_on_devices_that_have_one(conversation):
    conversation.screen = True
    conversation.launch()
    response = conversation.intent("StartExerciseIntent", exercise="calf_raises")
    directives = response["response"].get("directives", [])
    assert [d["type"] for d in directives] == ["Alexa.Presentation.APL.RenderDocument"]
    assert "Set 1 of 2" in str(directives[0]["datasources"])
    conversation.screen = False
    conversation.launch()
    plain = conversation.intent("StartExerciseIntent", exercise="calf_raises")
    assert "directives" not in plain["response"] or not plain["response"]["directives"]
