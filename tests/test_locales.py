"""A request's locale only ever chooses among the locales the skill ships."""

import logging

import pytest

import lambda_handler
from skill.chat.simulator import Conversation
from skill.domain import content
from skill.domain.coach.exercises import load_catalogue
from skill.domain.coach.phrases import load_phrases
from skill.domain.progress_report import words

# From the fuzzing in issue 13: folder names, traversal, an over-long name, junk types.
HOSTILE = ["apl", "..", ".", "en-US/..", "x" * 256, "xx-XX", "", "EN-us", "../../etc"]


@pytest.mark.parametrize("locale", HOSTILE, ids=repr)
def test_unknown_locales_get_the_default_content(locale):
    assert content.shipped_locale(locale) == content.DEFAULT_LOCALE
    assert content.load_content(locale) is content.load_content(content.DEFAULT_LOCALE)
    assert load_catalogue(locale) is load_catalogue(content.DEFAULT_LOCALE)
    assert load_phrases(locale) is load_phrases(content.DEFAULT_LOCALE)
    assert words(locale) is words(content.DEFAULT_LOCALE)


@pytest.mark.parametrize("locale", [*HOSTILE, 7, None, ["en-US"]], ids=repr)
def test_shipped_locale_never_passes_request_data_through(locale):
    assert content.shipped_locale(locale) in content.SHIPPED_LOCALES


def test_shipped_locales_are_locale_folders_only():
    assert content.DEFAULT_LOCALE in content.SHIPPED_LOCALES
    assert "apl" not in content.SHIPPED_LOCALES


def test_content_caches_stay_bounded_by_the_shipped_files():
    for n in range(300):
        content.load_content(f"zz-{n:03d}")
    assert content._load_content.cache_info().currsize <= len(content.SHIPPED_LOCALES)


@pytest.mark.parametrize("locale", HOSTILE, ids=repr)
def test_a_request_in_an_unknown_locale_is_answered_and_logged(locale, caplog):
    conversation = Conversation(send=lambda envelope: {}, locale=locale)
    envelope = conversation.envelope({"type": "LaunchRequest"})
    with caplog.at_level(logging.INFO, logger="skill.alexa.turn"):
        reply = lambda_handler.handler(envelope, None)
    assert "Ankle Coach" in reply["response"]["outputSpeech"]["ssml"]
    if locale:
        assert any("unsupported locale" in r.getMessage() for r in caplog.records)
