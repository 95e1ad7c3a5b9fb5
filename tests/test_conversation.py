"""The conversation rules of the question-and-answer half, driven by real requests."""

import logging

import pytest

from skill.chat.simulator import session_open, speech_of
from skill.domain.content import load_content

CONTENT = load_content()
DISCLAIMER = CONTENT.prompt("disclaimer")


def reprompt_of(response):
    return response["response"].get("reprompt", {}).get("outputSpeech", {}).get("ssml")


def test_launch_welcomes_says_what_to_ask_and_keeps_session_open(conversation):
    response = conversation.launch()
    speech = speech_of(response)
    assert "Ankle Coach" in speech and "why ankles pop" in speech
    assert speech.endswith("?")
    assert session_open(response) and reprompt_of(response)


def test_new_user_hears_the_disclaimer_once_per_session(conversation):
    assert DISCLAIMER in speech_of(conversation.launch())
    assert DISCLAIMER not in speech_of(conversation.intent("WhyAnklesPopIntent"))
    assert DISCLAIMER not in speech_of(conversation.intent("IsItSeriousIntent"))


def test_is_this_medical_advice_repeats_the_disclaimer(conversation):
    conversation.launch()
    speech = speech_of(conversation.intent("DisclaimerIntent"))
    assert "not medical advice" in speech and "emergency" in speech


def test_one_shot_question_gets_the_answer_and_ends(conversation):
    response = conversation.intent("WhyAnklesPopIntent")
    speech = speech_of(response)
    assert CONTENT.topics["causes"].answer in speech
    assert DISCLAIMER in speech
    assert not session_open(response)
    assert "?" not in speech


def test_question_in_session_ends_with_an_offer_and_stays_open(conversation):
    conversation.launch()
    response = conversation.intent("WhyAnklesPopIntent")
    topic = CONTENT.topics["causes"]
    assert speech_of(response).endswith(topic.offer)
    assert session_open(response)
    assert topic.offer in reprompt_of(response)


def test_yes_takes_the_offered_next_step(conversation):
    conversation.launch()
    conversation.intent("WhyAnklesPopIntent")
    response = conversation.intent("AMAZON.YesIntent")
    assert CONTENT.topics["serious"].answer in speech_of(response)


def test_no_declines_politely_and_then_no_again_ends(conversation):
    conversation.launch()
    conversation.intent("WhyAnklesPopIntent")
    declined = conversation.intent("AMAZON.NoIntent")
    assert session_open(declined) and speech_of(declined).endswith("?")
    assert not session_open(conversation.intent("AMAZON.NoIntent"))


@pytest.mark.parametrize(
    ("intent", "slot", "value", "topic"),
    [
        ("CauseIntent", "cause", "gas", "cause_gas"),
        ("CauseIntent", "cause", "bone_spurs", "cause_bone_spurs"),
        ("TreatmentIntent", "treatment", "heat", "treatment_heat"),
        ("TreatmentIntent", "treatment", None, "treatment"),
        ("ExerciseInfoIntent", "exercise", "towel_scrunches", "exercise_towel_scrunches"),
        ("ExerciseInfoIntent", "exercise", None, "exercises"),
    ],
)
def test_slots_are_read_by_entity_resolution_id(conversation, intent, slot, value, topic):
    conversation.launch()
    response = conversation.intent(intent, **{slot: value})
    assert CONTENT.topics[topic].answer in speech_of(response)


def test_unresolved_slot_falls_back_to_the_overview(conversation):
    from skill.chat.simulator import Unmatched

    conversation.launch()
    response = conversation.intent("CauseIntent", cause=Unmatched("gremlins"))
    assert CONTENT.topics["causes"].answer in speech_of(response)


def test_repeat_says_the_last_answer_again(conversation):
    conversation.launch()
    answer = conversation.intent("TipIntent")
    again = conversation.intent("AMAZON.RepeatIntent")
    assert speech_of(again) == speech_of(answer)
    assert session_open(again)


def test_repeat_with_nothing_said_yet_is_helpful(conversation):
    response = conversation.intent("AMAZON.RepeatIntent")
    assert "nothing to repeat" in speech_of(response).lower()
    assert session_open(response)


def test_help_explains_asks_and_stays_open(conversation):
    conversation.launch()
    response = conversation.intent("AMAZON.HelpIntent")
    assert "why do my ankles pop" in speech_of(response)
    assert speech_of(response).endswith("?") and session_open(response)


@pytest.mark.parametrize(
    "intent", ["AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent"]
)
def test_stop_cancel_and_home_end_politely(conversation, intent):
    conversation.launch()
    response = conversation.intent(intent)
    assert speech_of(response) and not session_open(response)


def test_fallback_says_what_the_skill_does_with_an_example(conversation):
    conversation.launch()
    response = conversation.intent("AMAZON.FallbackIntent")
    speech = speech_of(response)
    assert "why do my ankles pop" in speech and session_open(response)


def test_session_ended_is_logged_with_reason_and_error(conversation, caplog):
    conversation.launch()
    with caplog.at_level(logging.INFO):
        conversation.end("ERROR", {"type": "INVALID_RESPONSE", "message": "bad ssml"})
    line = next(r.getMessage() for r in caplog.records if "session ended" in r.getMessage())
    assert "reason=ERROR" in line and "INVALID_RESPONSE" in line and "bad ssml" in line


def test_unexpected_exception_gets_an_apology_and_a_logged_traceback(
    conversation, monkeypatch, caplog
):
    from skill.domain import answers

    def broken(*args, **kwargs):
        raise RuntimeError("content store exploded")

    conversation.launch()
    monkeypatch.setattr(answers, "topic", broken)
    with caplog.at_level(logging.ERROR):
        response = conversation.intent("WhyAnklesPopIntent")
    speech = speech_of(response)
    assert "sorry" in speech.lower() and "on my side" in speech, "the skill takes the blame"
    assert session_open(response)
    record = next(r for r in caplog.records if r.levelno == logging.ERROR)
    assert record.exc_info and "content store exploded" in str(record.exc_info[1])
    monkeypatch.undo()
    assert session_open(conversation.intent("TipIntent")), "the session is still usable"


def test_a_newline_in_a_request_id_cannot_forge_a_log_line(conversation, caplog):
    envelope = conversation.envelope({"type": "LaunchRequest"})
    envelope["request"]["requestId"] = "r1\nCRITICAL fake entry"
    with caplog.at_level(logging.INFO):
        conversation.send(envelope)
    assert all("\n" not in r.getMessage() for r in caplog.records)
