"""Both entry points build the same skill and give the same answer to the same request."""

import pytest

import lambda_handler
from skill.chat.simulator import Conversation
from skill.config import Settings
from skill.web.app import create_app
from tests.scenarios import every_intent_call


@pytest.fixture
def client():
    return create_app(settings=Settings(dev_skip_verification=True)).test_client()


def without_user_agent(envelope):
    return {k: v for k, v in envelope.items() if k != "userAgent"}


@pytest.mark.parametrize("call", list(every_intent_call()), ids=str)
def test_lambda_and_web_give_the_same_answer(client, call):
    recorder = Conversation(send=lambda envelope: {})
    recorder.launch()
    envelope = recorder.envelope(recorder.intent_request(call.intent, call.slots))
    via_lambda = lambda_handler.handler(envelope, None)
    via_web = client.post("/", json=envelope).get_json()
    assert without_user_agent(via_lambda) == without_user_agent(via_web)
    assert via_lambda["response"]["outputSpeech"]["ssml"]


def test_lambda_refuses_another_skills_request(monkeypatch):
    monkeypatch.setattr(lambda_handler, "SETTINGS", Settings(skill_ids=("amzn1.ask.skill.ours",)))
    recorder = Conversation(send=lambda envelope: {})
    with pytest.raises(lambda_handler.WrongSkillError):
        lambda_handler.handler(recorder.envelope({"type": "LaunchRequest"}), None)
