"""The checker itself must catch what Alexa rejects, or the response tests prove nothing."""

from skill.chat.alexa_rules import asks_something, response_problems, ssml_problems


def envelope(speech, reprompt=None, end=True):
    response = {"outputSpeech": {"type": "SSML", "ssml": speech}, "shouldEndSession": end}
    if reprompt:
        response["reprompt"] = {"outputSpeech": {"type": "SSML", "ssml": reprompt}}
    return {"version": "1.0", "response": response}


def test_valid_ssml_passes():
    assert (
        ssml_problems(
            '<speak>Up <break time="2s"/> <amazon:effect name="whispered">down'
            "</amazon:effect></speak>"
        )
        == []
    )


def test_malformed_unsupported_and_long_breaks_are_caught():
    assert ssml_problems("<speak>Tom & Jerry</speak>")
    assert ssml_problems("<speak><marquee>hi</marquee></speak>")
    assert ssml_problems('<speak>a <break time="11s"/></speak>')
    assert ssml_problems('<speak>a <break time="10001ms"/></speak>')
    assert ssml_problems("<speak>" + "a" * 8000 + "</speak>")
    assert ssml_problems("<speak> </speak>")


def test_open_session_must_ask_and_closed_must_not():
    assert (
        response_problems(envelope("<speak>Hi. What now?</speak>", "<speak>Well?</speak>", False))
        == []
    )
    assert response_problems(envelope("<speak>Hi.</speak>", "<speak>Well?</speak>", False))
    assert response_problems(envelope("<speak>Hi?</speak>", None, False))
    assert response_problems(envelope("<speak>Bye. Want more?</speak>", None, True))
    assert response_problems(envelope("<speak>Bye.</speak>", None, None))


def test_asks_something_recognises_questions_and_invitations():
    assert asks_something("Set done. Say next when you're ready.")
    assert asks_something("Want more?")
    assert not asks_something("Goodbye.")
