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


CHIME = "soundbank://soundlibrary/musical/amzn_sfx_bell_short_chime_01"


def test_sound_library_clips_are_checked_by_count_name_and_length():
    one = f'<audio src="{CHIME}"/>'
    assert ssml_problems(f"<speak>Rest. {one * 5}</speak>") == []
    assert "6 audio tags, over 5" in ssml_problems(f"<speak>Rest. {one * 6}</speak>")
    assert ssml_problems('<speak>a <audio src="soundbank://soundlibrary/Bad Name"/></speak>')
    unknown = ssml_problems('<speak>a <audio src="soundbank://soundlibrary/x/y_01"/></speak>')
    assert unknown and "not in the coach's sound list" in unknown[0]
    assert ssml_problems('<speak>a <audio src="http://example.com/a.mp3"/></speak>')
    assert ssml_problems('<speak>a <audio src="https://example.com/a.mp3"/></speak>') == []


def test_audio_length_is_limited_per_response(monkeypatch):
    from skill.chat import alexa_rules

    monkeypatch.setattr(alexa_rules, "sound_lengths", lambda: {CHIME: 100.0})
    two = f'<speak>a <audio src="{CHIME}"/><audio src="{CHIME}"/></speak>'
    assert ssml_problems(two) == []
    assert "over 90 s" in " ".join(ssml_problems(two, "reprompt"))
    three = two.replace("</speak>", f'<audio src="{CHIME}"/></speak>')
    assert "300 s of audio, over 240 s" in ssml_problems(three)
