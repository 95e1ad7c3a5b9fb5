"""The words: short enough to hear, sourced, linked, and our own."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from skill.domain.content import load_content

CONTENT = load_content()
ROOT = Path(__file__).resolve().parent.parent
COPYCHECK = ROOT.parent / "shared" / "tools" / "copycheck.py"
WORDS_PER_SECOND = 2.8  # a typical Alexa speaking rate, about 170 words a minute


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.?!])\s+", text.strip()) if s]


@pytest.mark.parametrize("topic", CONTENT.topics.values(), ids=lambda t: t.id)
def test_answer_is_two_to_four_sentences_under_about_25_seconds(topic):
    spoken = f"{topic.answer} {topic.offer}"
    assert 2 <= len(sentences(topic.answer)) <= 4 or topic.id == "disclaimer"
    assert len(spoken.split()) / WORDS_PER_SECOND <= 26


@pytest.mark.parametrize("topic", CONTENT.topics.values(), ids=lambda t: t.id)
def test_topic_offers_a_next_step_and_cites_sources(topic):
    assert topic.offer.endswith("?")
    assert topic.next == "" or topic.next in CONTENT.topics
    assert set(topic.sources) <= set(CONTENT.sources)
    if topic.id != "disclaimer":
        assert topic.sources, "health content needs its sources"


def test_every_topic_is_reachable_by_some_intent_and_slot():
    intents = CONTENT.topic_intents()
    for topic in CONTENT.topics.values():
        assert CONTENT.topic_for(topic.intent, topic.value) is topic
        assert topic.intent in intents


def test_red_flags_and_urgent_care_are_spoken():
    serious = CONTENT.topics["serious"].answer
    for sign in (
        "pain",
        "swelling",
        "locking",
        "giving way",
        "sprain",
        "urgent",
        "four steps",
        "numb",
        "heel",
    ):
        assert sign in serious, sign


def test_heat_advice_includes_its_safety_limits():
    heat = CONTENT.topics["treatment_heat"].answer
    assert "twenty minutes" in heat and "cloth" in heat and "fresh injury" in heat


def test_disclaimer_is_one_sentence_and_names_emergencies():
    disclaimer = CONTENT.prompt("disclaimer")
    assert len(sentences(disclaimer)) == 1
    assert "not medical advice" in disclaimer and "emergency" in disclaimer


@pytest.mark.skipif(
    not COPYCHECK.exists(), reason="shared/tools/copycheck.py is not beside the project"
)
def test_no_sentence_is_copied_from_the_source_article():
    result = subprocess.run(
        [sys.executable, str(COPYCHECK)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout
    assert "0 copied run" in result.stdout
