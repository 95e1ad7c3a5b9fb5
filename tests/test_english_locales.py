"""Every English locale is answered from the shared content, with its differences as data."""

from __future__ import annotations

import logging
import re
import tomllib
from typing import Any

import pytest

import lambda_handler
from skill.chat.alexa_rules import response_problems
from skill.chat.simulator import Conversation, speech_of
from skill.domain import content
from skill.domain.coach.exercises import load_catalogue
from skill.domain.progress_report import words
from tests.scenarios import every_intent_call

ENGLISH = ["en-US", "en-GB", "en-CA", "en-AU", "en-IN"]
OTHERS = [locale for locale in ENGLISH if locale != content.DEFAULT_LOCALE]
FILES = sorted(path.name for path in (content.DATA_DIR / content.DEFAULT_LOCALE).glob("*.toml"))


def rules(locale: str) -> dict[str, str]:
    with open(content.DATA_DIR / locale / content.WORDS_FILE, "rb") as handle:
        return tomllib.load(handle)["replace"]


def strings(value: Any, top: bool = True) -> list[str]:
    """Every line of a words file, citations left out (they are never changed)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in strings(item, False)]
    if isinstance(value, dict):
        return [
            s
            for k, v in value.items()
            if not (top and k in content.UNTOUCHED_TABLES)
            for s in strings(v, False)
        ]
    return []


def test_the_five_english_locales_ship():
    assert set(ENGLISH) == content.SHIPPED_LOCALES


@pytest.mark.parametrize("locale", OTHERS)
def test_locale_folders_hold_differences_not_copies(locale):
    for path in (content.DATA_DIR / locale).iterdir():
        default = content.DATA_DIR / content.DEFAULT_LOCALE / path.name
        assert path.name == content.WORDS_FILE or path.read_bytes() != default.read_bytes()


@pytest.mark.parametrize("locale", OTHERS)
@pytest.mark.parametrize("name", FILES)
def test_no_en_us_phrase_is_left_in_a_localised_file(locale, name):
    local = " | ".join(strings(content.read_data(locale, name)))
    for phrase in rules(locale):
        assert not re.search(rf"\b{re.escape(phrase)}\b", local), (locale, name, phrase)


@pytest.mark.parametrize("locale", OTHERS)
def test_every_locale_changes_something_and_keeps_citations(locale):
    us = {name: content.read_data("en-US", name) for name in FILES}
    local = {name: content.read_data(locale, name) for name in FILES}
    assert us != local
    assert local["topics.toml"]["sources"] == us["topics.toml"]["sources"]
    assert len(strings(local)) == len(strings(us))  # same lines, only words changed


@pytest.mark.parametrize("locale", OTHERS)
def test_a_request_in_the_locale_is_answered_in_its_words(locale):
    """The answer that names a physical therapist in en-US names the local word instead."""
    us_topic = next(
        t for t in content.load_content("en-US").topics.values() if "physical therapist" in t.answer
    )
    local_word = rules(locale)["physical therapist"]
    talk = Conversation(send=lambda envelope: lambda_handler.handler(envelope, None), locale=locale)
    talk.launch()
    reply = speech_of(
        talk.intent(us_topic.intent, **({us_topic.slot: us_topic.value} if us_topic.slot else {}))
    )
    assert local_word in reply and "physical therapist" not in reply


def test_default_locale_is_read_unchanged():
    with open(content.DATA_DIR / "en-US" / "topics.toml", "rb") as handle:
        assert content.read_data("en-US", "topics.toml") == tomllib.load(handle)


def test_callers_get_their_own_copy():
    first = content.read_data("en-GB", "topics.toml")
    first["topics"].clear()
    assert content.read_data("en-GB", "topics.toml")["topics"]


def test_a_locale_file_overrides_single_keys_of_the_default():
    base = {"a": {"x": "one", "y": "two"}, "b": ["k"]}
    assert content._merged(base, {"a": {"y": "dos"}}) == {"a": {"x": "one", "y": "dos"}, "b": ["k"]}


def test_localised_catalogue_and_progress_words_are_cached_per_shipped_locale():
    assert load_catalogue("en-AU") is load_catalogue("en-AU")
    assert words("en-GB") is words("en-GB")
    assert load_catalogue("en-AU") is not load_catalogue("en-US")


@pytest.mark.parametrize("locale", ["fr-FR", "en-NZ", "en-ZA"])
def test_an_unsupported_locale_gets_the_default_content_and_a_log_line(locale, caplog):
    talk = Conversation(send=lambda envelope: {}, locale=locale)
    with caplog.at_level(logging.INFO, logger="skill.alexa.turn"):
        reply = lambda_handler.handler(talk.envelope({"type": "LaunchRequest"}), None)
    assert content.load_content(locale) is content.load_content(content.DEFAULT_LOCALE)
    assert "Ankle Coach" in reply["response"]["outputSpeech"]["ssml"]
    assert any(f"unsupported locale={locale}" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("locale", OTHERS)
def test_every_intent_of_the_locales_model_gets_a_valid_localised_answer(send, locale):
    """Each intent and slot value of the generated model, asked in a session in that locale."""
    for call in every_intent_call(locale):
        talk = Conversation(send=send, locale=locale)
        talk.launch()
        response = talk.intent(call.intent, **call.slots)
        assert response_problems(response, talk.turns[-1][0]) == [], call
        speech = speech_of(response)
        assert speech and "trouble with that on my side" not in speech, call
        for phrase in rules(locale):
            assert not re.search(rf"\b{re.escape(phrase)}\b", speech), (call, phrase)
