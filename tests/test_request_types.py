"""Every request type Alexa sends is handled on purpose, and session attributes are only
trusted once checked (issue 13's skill-side reproducers, one test each)."""

from __future__ import annotations

import copy
import json
import logging

import pytest

from skill.chat.alexa_rules import response_problems
from skill.chat.simulator import Conversation, session_open, speech_of

ERROR_WORDS = "trouble with that on my side"
FALLBACK_WORDS = ("didn't get that", "not sure about that one")


def no_traceback(caplog) -> bool:
    return not [r for r in caplog.records if r.exc_info]


def request_of(conversation: Conversation, request: dict, **envelope_changes) -> dict:
    envelope = conversation.envelope(request)
    envelope.update(envelope_changes)
    return envelope


@pytest.mark.parametrize(
    "request_type",
    ["AudioPlayer.PlaybackStarted", "AlexaSkillEvent.SkillEnabled", "Messaging.MessageReceived"],
)
def test_a_session_less_request_gets_an_empty_response(send, conversation, caplog, request_type):
    envelope = request_of(conversation, {"type": request_type})
    del envelope["session"]
    with caplog.at_level(logging.INFO):
        response = send(envelope)
    assert response["response"] == {} and "sessionAttributes" not in response
    assert no_traceback(caplog)


def test_a_session_less_intent_is_answered_as_a_one_shot(send, conversation, caplog):
    envelope = request_of(conversation, conversation.intent_request("WhyAnklesPopIntent", {}))
    del envelope["session"]
    with caplog.at_level(logging.INFO):
        response = send(envelope)
    assert "four usual reasons" in speech_of(response) and not session_open(response)
    assert "sessionAttributes" not in response
    assert response_problems(response) == []
    assert no_traceback(caplog)


def test_exception_encountered_is_logged_and_silent(send, conversation, caplog):
    request = {
        "type": "System.ExceptionEncountered",
        "error": {"type": "INVALID_RESPONSE", "message": "bad\nline"},
        "cause": {"requestId": "amzn1.echo-api.request.earlier"},
    }
    with caplog.at_level(logging.INFO):
        response = send(request_of(conversation, request))
    assert response["response"] == {}
    lines = [r for r in caplog.records if "alexa reported an error" in r.getMessage()]
    assert len(lines) == 1 and lines[0].levelno == logging.WARNING
    assert "INVALID_RESPONSE" in lines[0].getMessage() and "\n" not in lines[0].getMessage()
    assert no_traceback(caplog)


BROKEN_SESSIONS = {
    "coach state is a list": {"coach": [1, 2]},
    "offer is a number": {"offer": 5},
    "last is SSML text": {"last": "<speak>hi"},
    "unknown keys": {"zzz": {"a": [None]}},
}


@pytest.mark.parametrize("attributes", BROKEN_SESSIONS.values(), ids=list(BROKEN_SESSIONS))
@pytest.mark.parametrize("reason", ["USER_INITIATED", "ERROR", "EXCEEDED_MAX_REPROMPTS"])
def test_session_ended_is_always_silent(send, conversation, attributes, reason):
    conversation.launch()
    envelope = request_of(conversation, {"type": "SessionEndedRequest", "reason": reason})
    envelope["session"]["attributes"] = attributes
    envelope["request"]["locale"] = "xx-YY"
    response = send(envelope)
    assert "outputSpeech" not in response["response"] and "reprompt" not in response["response"]


@pytest.mark.parametrize("name", ["NoSuchIntent", "AMAZON.SearchAction<object@WeatherForecast>"])
def test_an_unknown_intent_gets_the_fallback(conversation, caplog, name):
    conversation.launch()
    with caplog.at_level(logging.INFO):
        response = conversation.intent(name)
    assert any(words in speech_of(response) for words in FALLBACK_WORDS)
    assert ERROR_WORDS not in speech_of(response)
    assert response_problems(response) == [] and no_traceback(caplog)


def test_the_exception_handler_cannot_raise(send, conversation, monkeypatch, caplog):
    import skill.alexa.handlers.builtins as builtins
    import skill.alexa.handlers.errors as errors

    def broken(*args, **kwargs):
        raise RuntimeError("content store unreadable")

    monkeypatch.setattr(builtins, "content_for", broken)  # the help handler fails...
    monkeypatch.setattr(errors, "load_content", broken)  # ...and so does the apology
    conversation.launch()
    with caplog.at_level(logging.ERROR):
        response = conversation.intent("AMAZON.HelpIntent")
    assert response["response"].get("shouldEndSession") is True
    assert "outputSpeech" not in response["response"]


def test_the_apology_is_spoken_when_a_handler_fails(conversation, monkeypatch):
    import skill.alexa.handlers.builtins as builtins

    monkeypatch.setattr(builtins.answers, "help_reply", lambda *a: 1 / 0)
    conversation.launch()
    response = conversation.intent("AMAZON.HelpIntent")
    assert ERROR_WORDS in speech_of(response) and response_problems(response) == []


# --- repeat keeps what produced the reply, or plain text; never SSML ---


def test_repeat_keeps_what_produced_an_answer_not_its_words(conversation):
    conversation.launch()
    first = conversation.intent("WhyAnklesPopIntent")
    stored = conversation.attributes["last"]
    assert set(stored) == {"topic", "key", "disclaimer"} and stored["topic"]
    assert len(json.dumps(stored)) < 150  # the answer itself is several hundred characters
    assert not any(word in json.dumps(stored) for word in ("tendon", "bubble", "<"))
    again = conversation.intent("AMAZON.RepeatIntent")
    assert speech_of(again) == speech_of(first)
    assert again["response"]["reprompt"] == first["response"]["reprompt"]
    assert response_problems(again) == []


def test_repeat_keeps_plain_text_for_other_replies(conversation):
    first = conversation.launch()
    stored = conversation.attributes["last"]
    assert all(isinstance(s, str | float | int) for s in stored["speech"])
    assert not any("<" in s or "&apos;" in s for s in stored["speech"] if isinstance(s, str))
    again = conversation.intent("AMAZON.RepeatIntent")
    assert speech_of(again) == speech_of(first)
    assert response_problems(again) == []


@pytest.mark.parametrize(
    "last",
    [
        {"topic": "no_such_topic", "key": "k", "disclaimer": False},
        {"topic": "cause_gas", "key": "k" * 500, "disclaimer": False},
        {"topic": "cause_gas", "key": "k", "disclaimer": "yes"},
        {"topic": "cause_gas", "key": "k", "disclaimer": False, "speech": ["x"]},
        {"topic": ["cause_gas"], "key": "k", "disclaimer": False},
    ],
    ids=["unknown topic", "huge key", "flag not a bool", "extra key", "topic not text"],
)
def test_a_forged_answer_source_is_dropped_and_repeat_still_answers(conversation, last, caplog):
    conversation.launch()
    conversation.attributes["last"] = copy.deepcopy(last)
    with caplog.at_level(logging.WARNING):
        response = conversation.intent("AMAZON.RepeatIntent")
    assert any("key=last" in r.getMessage() for r in caplog.records)
    assert response_problems(response) == [] and ERROR_WORDS not in speech_of(response)


@pytest.mark.parametrize(
    "last",
    [
        {"speech": "<speak>a & b", "reprompt": 3},
        {"speech": ["a & <b>"], "reprompt": []},
        {"speech": [float("inf")], "reprompt": []},
        {"speech": [1e9, "x"], "reprompt": []},
        {"speech": ["x"] * 5000, "reprompt": []},
        [],
    ],
    ids=["ssml string", "markup as text", "no words", "huge pause", "too long", "a list"],
)
def test_repeat_never_replays_malformed_speech(conversation, last):
    conversation.launch()
    conversation.attributes["last"] = copy.deepcopy(last)
    response = conversation.intent("AMAZON.RepeatIntent")
    assert response_problems(response) == []
    assert ERROR_WORDS not in speech_of(response)


# --- validating loaders for session attributes ---


def test_a_broken_coach_state_restarts_the_exercise_kindly(conversation, caplog):
    conversation.launch()
    conversation.intent("StartExerciseIntent", exercise="calf_raises")
    conversation.attributes["coach"]["item"] = "not a number"
    with caplog.at_level(logging.INFO):
        response = conversation.intent("AMAZON.NextIntent")
    speech = speech_of(response)
    assert "lost" in speech and "calf raise" in speech.lower()
    assert response_problems(response) == [] and session_open(response)
    assert sum("dropped session attribute key=coach" in r.getMessage() for r in caplog.records)
    assert no_traceback(caplog)
    assert conversation.attributes["coach"]["item"] == 0  # a fresh, valid state


@pytest.mark.parametrize(
    "change",
    [
        lambda state: state.pop("completed"),
        lambda state: state.update(done={"calf_raises": "x"}),
        lambda state: state.update(cues={"calf_raises": "x"}),
        lambda state: state.update(completed=["jumping_jacks"]),
        lambda state: state.update(paused="no"),
        lambda state: state.update(extra=1),
    ],
    ids=["no completed", "done junk", "cues junk", "unknown completed", "paused text", "extra"],
)
def test_a_coach_state_with_a_broken_part_is_dropped_not_a_crash(conversation, caplog, change):
    conversation.launch()
    conversation.intent("StartExerciseIntent", exercise="calf_raises")
    change(conversation.attributes["coach"])
    with caplog.at_level(logging.INFO):
        response = conversation.intent("AMAZON.NextIntent")
    assert "lost" in speech_of(response) and response_problems(response) == []
    assert no_traceback(caplog)


def test_stop_with_a_broken_coach_state_just_says_goodbye(conversation):
    conversation.launch()
    conversation.intent("StartExerciseIntent", exercise="calf_raises")
    conversation.attributes["coach"] = {"v": 1, "routine": ["calf_raises"], "item": -5}
    response = conversation.intent("AMAZON.StopIntent")
    assert not session_open(response) and "lost" not in speech_of(response)


def test_an_unreadable_coach_state_without_an_exercise_is_simply_dropped(conversation):
    conversation.launch()
    conversation.attributes["coach"] = {"routine": "nonsense"}
    response = conversation.intent("AMAZON.NextIntent")
    assert ERROR_WORDS not in speech_of(response) and response_problems(response) == []
    assert "coach" not in (response.get("sessionAttributes") or {})


@pytest.mark.parametrize("offer", [5, "coach:jumping_jacks", "x" * 500, "a b<c>", ["x"]])
def test_a_malformed_offer_is_dropped_and_yes_still_answers(conversation, offer):
    conversation.launch()
    conversation.attributes["offer"] = offer
    response = conversation.intent("AMAZON.YesIntent")
    assert ERROR_WORDS not in speech_of(response) and response_problems(response) == []


def test_a_forged_confirmation_never_deletes(conversation, caplog):
    conversation.launch()
    conversation.attributes["confirm"] = "wipe-everything"
    with caplog.at_level(logging.WARNING):
        response = conversation.intent("AMAZON.YesIntent")
    assert "deleted" not in speech_of(response).lower()
    assert any("key=confirm" in r.getMessage() for r in caplog.records)


def test_the_confirm_actions_are_the_handlers_actions():
    from skill.alexa.handlers.progress import ACTIONS
    from skill.alexa.session_state import CONFIRM_ACTIONS

    assert set(CONFIRM_ACTIONS) == set(ACTIONS.values())


def test_an_unsupported_locale_is_logged_once_per_turn(send, conversation, caplog):
    conversation.launch()
    envelope = request_of(conversation, conversation.intent_request("AMAZON.HelpIntent", {}))
    envelope["request"]["locale"] = "apl"
    with caplog.at_level(logging.INFO):
        response = send(envelope)
    assert response_problems(response) == []
    assert sum("unsupported locale=apl" in r.getMessage() for r in caplog.records) == 1
