"""The sample grammar (interaction_models/grammar.toml): what it composes, and that the
model it gives stays one Alexa would build."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location(
    "generate_models", ROOT / "scripts" / "generate_models.py"
)
generate_models = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generate_models)
expand, GrammarError = generate_models.expand, generate_models.GrammarError

MODEL = json.loads((generate_models.OUTPUT / "en-US.json").read_text(encoding="utf-8"))
LANGUAGE = MODEL["interactionModel"]["languageModel"]
SOURCE = json.loads(generate_models.SOURCE.read_text(encoding="utf-8"))


def test_one_of_optional_and_lists_expand_in_order():
    lists = {"ack": ["ok", "so"]}
    assert expand("(wait|hold on) a [sec|moment]", lists) == [
        "wait a sec", "wait a moment", "wait a", "hold on a sec", "hold on a moment", "hold on a",
    ]  # fmt: skip
    assert expand("<ack> done", lists) == ["ok done", "so done"]
    assert expand("what('s| is) next", {}) == ["what's next", "what is next"]


def test_own_samples_compose_but_a_bare_slot_never_takes_a_lead_in():
    own = ["{exercise}", "start {exercise}"]
    assert expand("ok <@>", {}, own) == ["ok start {exercise}"]
    assert expand("so <@hand>", {}, own, hand=["go"]) == ["so go"]


@pytest.mark.parametrize("bad", ["(a|b", "a)b", "<nowhere> x"])
def test_a_broken_pattern_is_refused(bad):
    with pytest.raises(GrammarError):
        expand(bad, {})


def test_a_composed_phrase_stays_with_the_intent_that_had_it_first():
    source = {
        "interactionModel": {
            "languageModel": {
                "intents": [
                    {"name": "A", "samples": ["ok done"]},
                    {"name": "B", "samples": ["done"]},
                ]
            }
        }
    }
    rules = {"intents": {"B": {"patterns": ["(ok|so) <@>"]}}}
    assert generate_models.composed(source, rules) == {"B": ["so done"]}


def test_hesitations_are_refused_since_speech_recognition_drops_them():
    source = {"interactionModel": {"languageModel": {"intents": [{"name": "A", "samples": []}]}}}
    with pytest.raises(GrammarError, match="hesitation"):
        generate_models.composed(source, {"intents": {"A": {"core": ["um yes"]}}})


@pytest.mark.parametrize("path", sorted(generate_models.OUTPUT.glob("*.json")), ids=str)
def test_every_locale_model_stays_within_our_own_ceilings(path):
    language = json.loads(path.read_text(encoding="utf-8"))["interactionModel"]["languageModel"]
    intents = language["intents"]
    assert all(len(i.get("samples", [])) <= generate_models.MAX_SAMPLES_PER_INTENT for i in intents)
    samples = [s for i in intents for s in i.get("samples", [])]
    assert len(samples) <= 31_000  # our ceiling (README, "Understanding how people talk")
    assert max(len(s) for s in samples) <= 200


def test_the_model_stays_within_alexa_slot_value_limit():
    values = sum(
        1 + len(v["name"].get("synonyms", [])) for t in LANGUAGE["types"] for v in t["values"]
    )
    assert values < 50_000  # Alexa: custom slot values across all types


def test_the_grammar_adds_to_every_intent_it_names_and_keeps_hand_written_ones_first():
    written = {
        i["name"]: i.get("samples", [])
        for i in SOURCE["interactionModel"]["languageModel"]["intents"]
    }
    for intent in LANGUAGE["intents"]:
        mine = written[intent["name"]]
        assert intent.get("samples", [])[: len(mine)] == mine
    for name in generate_models.grammar()["intents"]:
        generated = next(i for i in LANGUAGE["intents"] if i["name"] == name)
        assert len(generated["samples"]) > len(written[name]), name


def test_fallback_sensitivity_is_high_so_off_topic_words_fall_back():
    assert LANGUAGE["modelConfiguration"]["fallbackIntentSensitivity"]["level"] == "HIGH"
