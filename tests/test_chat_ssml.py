"""SSML back to text pieces and pauses: what the chat shows and the audio preview speaks."""

from __future__ import annotations

import pytest

from skill.chat.ssml import Clip, readable, split_ssml, total_pause
from skill.domain.speech import Pause, to_ssml


def test_a_long_pause_chained_as_breaks_is_one_pause_again():
    ssml = to_ssml(["Hold it.", Pause(30), "Switch legs."])
    assert ssml.count("<break") == 3  # Alexa's 10 s limit made a chain
    assert split_ssml(ssml) == ["Hold it.", Pause(30.0), "Switch legs."]
    assert readable(ssml) == "Hold it. [pause 30s] Switch legs."


def test_times_strengths_and_fractions_are_read():
    ssml = (
        '<speak>a <break time="1500ms"/> b <break time="2s"/> c '
        '<break strength="strong"/> d</speak>'
    )
    assert split_ssml(ssml) == ["a", Pause(1.5), "b", Pause(2.0), "c", Pause(0.75), "d"]
    assert readable(ssml) == "a [pause 1.5s] b [pause 2s] c [pause 0.75s] d"


def test_escaped_text_and_inline_tags_read_as_words():
    ssml = to_ssml(["Tom & Jerry's <ankles>"])
    assert split_ssml(ssml) == ["Tom & Jerry's <ankles>"]
    tagged = (
        '<speak><prosody rate="90%">Slowly</prosody> <emphasis>now</emphasis>, '
        '<say-as interpret-as="cardinal">10</say-as> <sub alias="physical therapist">PT</sub>'
        '<amazon:effect name="whispered">quiet</amazon:effect></speak>'
    )
    assert split_ssml(tagged) == ["Slowly now, 10 physical therapist quiet"]


def test_zero_breaks_vanish_and_audio_is_kept_as_a_clip():
    ssml = '<speak><break time="0ms"/>Hi <audio src="https://x/a.mp3"/> there</speak>'
    assert split_ssml(ssml) == ["Hi", Clip("https://x/a.mp3"), "there"]
    assert readable(ssml) == "Hi [audio clip] there"


def test_a_body_without_the_speak_wrapper_is_read_too():
    assert split_ssml('One. <break time="10s"/> Two.') == ["One.", Pause(10.0), "Two."]
    assert total_pause(split_ssml('<break time="10s"/><break time="5s"/>x')) == 15.0


@pytest.mark.parametrize("bad", ["<speak>open", '<speak><break time="soon"/></speak>'])
def test_malformed_ssml_is_a_value_error_and_shown_raw(bad):
    with pytest.raises(ValueError):
        split_ssml(bad)
    assert readable(bad) == bad


def test_a_sound_library_clip_is_shown_by_its_name():
    ssml = '<speak>Rest. <audio src="soundbank://soundlibrary/musical/amzn_sfx_bell_short_chime_01"/></speak>'
    assert readable(ssml) == "Rest. [sound: amzn_sfx_bell_short_chime_01]"
