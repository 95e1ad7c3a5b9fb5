"""Echo Show: the screen repeats what is said; voice-only devices never get a screen."""

from skill.chat.alexa_rules import response_problems
from skill.domain.content import load_content


def directives(response):
    return response["response"].get("directives") or []


def test_a_screen_device_sees_the_answer(conversation):
    conversation.screen = True
    conversation.launch()
    response = conversation.intent("CauseIntent", cause="arthritis")
    (directive,) = directives(response)
    assert directive["type"] == "Alexa.Presentation.APL.RenderDocument"
    screen = directive["datasources"]["screen"]
    topic = load_content().topics["cause_arthritis"]
    assert screen["title"] == topic.title and screen["body"] == topic.answer
    assert response_problems(response, conversation.turns[-1][0]) == []


def test_a_voice_only_device_gets_no_screen(conversation):
    conversation.launch()
    assert directives(conversation.intent("CauseIntent", cause="arthritis")) == []


def test_progress_is_shown_on_a_screen(conversation):
    conversation.screen = True
    conversation.launch()
    (directive,) = directives(conversation.intent("ProgressIntent"))
    assert directive["datasources"]["screen"]["title"] == "Your progress"


def test_the_checker_catches_a_screen_sent_to_a_speaker(conversation):
    conversation.screen = True
    conversation.launch()
    response = conversation.intent("TipIntent")
    speaker_request = conversation.turns[-1][0]
    speaker_request["context"]["System"]["device"]["supportedInterfaces"] = {}
    assert response_problems(response, speaker_request)
