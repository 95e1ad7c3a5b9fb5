"""Every response the skill can give is valid for Alexa: each intent, each slot value,
each situation (one-shot, fresh session, after an answer with an offer pending)."""

import pytest

from skill.chat.alexa_rules import response_problems
from skill.chat.simulator import session_open, speech_of
from tests.scenarios import SITUATIONS, every_intent_call, prepared

CALLS = list(every_intent_call())


@pytest.mark.parametrize("screen", [False, True], ids=["voice", "screen"])
@pytest.mark.parametrize("situation", SITUATIONS)
@pytest.mark.parametrize("call", CALLS, ids=str)
def test_intent_response_is_valid(conversation, call, situation, screen):
    conversation.screen = screen
    prepared(conversation, situation)
    response = conversation.intent(call.intent, **call.slots)
    request = conversation.turns[-1][0]
    assert response_problems(response, request) == []
    assert speech_of(response)
    assert "trouble with that on my side" not in speech_of(response), "the error handler answered"


def test_launch_responses_are_valid(conversation):
    first = conversation.launch()
    second = conversation.launch()
    for response in (first, second):
        assert response_problems(response) == []
        assert session_open(response)


@pytest.mark.parametrize("reason", ["USER_INITIATED", "EXCEEDED_MAX_REPROMPTS", "ERROR"])
def test_session_ended_gives_no_speech(conversation, reason):
    conversation.launch()
    response = conversation.end(reason)
    assert "outputSpeech" not in (response.get("response") or {})
    assert response_problems(response) == []
