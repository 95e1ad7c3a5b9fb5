"""The interaction model and the code agree, and the model is one Alexa would build."""

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from ask_sdk_core.attributes_manager import AttributesManager
from ask_sdk_core.handler_input import HandlerInput

from skill.alexa.builder import parse_envelope
from skill.alexa.handlers import REQUEST_HANDLERS
from skill.chat.nlu import nlu_for
from skill.chat.simulator import load_model
from skill.domain.content import load_content

MODEL = load_model("en-US")
INTENTS = {intent["name"]: intent for intent in MODEL["intents"]}
SKILL_DIR = Path(__file__).resolve().parent.parent / "skill"
REQUIRED_BUILT_INS = {
    "AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent",
    "AMAZON.NavigateHomeIntent", "AMAZON.FallbackIntent",
}  # fmt: skip


def intents_named_in_code() -> set[str]:
    names: set[str] = set()
    for path in SKILL_DIR.rglob("*.py"):
        names |= set(re.findall(r"\"((?:AMAZON\.)?[A-Z]\w*Intent)\"", path.read_text()))
    return names | set(load_content().topic_intents())


def test_invocation_name_follows_alexa_rules():
    name = MODEL["invocationName"]
    assert name == "ankle coach"
    assert re.fullmatch(r"[a-z][a-z.' ]+", name) and len(name.split()) >= 2


def test_required_built_ins_are_present():
    assert set(INTENTS) >= REQUIRED_BUILT_INS


def test_every_handled_intent_is_in_the_model():
    assert intents_named_in_code() - set(INTENTS) == set()


def test_every_model_intent_has_a_handler(conversation, skill):
    for name, intent in INTENTS.items():
        slots = {s["name"]: None for s in intent.get("slots", [])}
        envelope = conversation.envelope(conversation.intent_request(name, slots))
        request_envelope = parse_envelope(skill, json.dumps(envelope))
        handler_input = HandlerInput(request_envelope, AttributesManager(request_envelope))
        assert any(h.can_handle(handler_input) for h in REQUEST_HANDLERS), name


def test_no_sample_appears_under_two_intents():
    counts = Counter(
        " ".join(sample.lower().split())
        for intent in MODEL["intents"]
        for sample in intent["samples"]
    )
    assert [sample for sample, n in counts.items() if n > 1] == []


def test_why_do_my_ankles_pop_is_a_sample():
    """A sample with the noun and the subject as slots ("why do my {joint} {noise}")."""
    understood = nlu_for().understand("why do my ankles pop")
    assert (understood.intent, understood.match) == ("WhyAnklesPopIntent", "exact")
    assert understood.slot_ids() == {"noise": "pop", "joint": "ankle", "aside": None}


@pytest.mark.parametrize("name", sorted(n for n in INTENTS if not n.startswith("AMAZON.")))
def test_custom_intents_have_fifteen_varied_samples(name):
    samples = INTENTS[name]["samples"]
    assert len(samples) >= 15
    assert len({s.split()[0] for s in samples}) >= 4, "samples should not all start alike"


def test_samples_use_only_declared_slots_and_spoken_form():
    for intent in MODEL["intents"]:
        declared = {slot["name"] for slot in intent.get("slots", [])}
        for sample in intent["samples"]:
            assert set(re.findall(r"{(\w+)}", sample)) <= declared, sample
            assert re.fullmatch(r"[A-Za-z.' {}]+", sample), sample


def test_slot_types_exist_and_topic_values_are_model_ids():
    types = {t["name"]: {v["id"] for v in t["values"]} for t in MODEL["types"]}
    for intent in MODEL["intents"]:
        for slot in intent.get("slots", []):
            assert slot["type"] in types
    for topic in load_content().topics.values():
        if topic.value is not None:
            slot_type = next(
                s["type"] for s in INTENTS[topic.intent]["slots"] if s["name"] == topic.slot
            )
            assert topic.value in types[slot_type], topic.id


def test_people_say_it_many_ways():
    words = " ".join(s for i in MODEL["intents"] for s in i["samples"]).lower()
    for word in ("crack", "pop", "click", "snap", "noisy", "doctor", "physio", "p. t."):
        assert word in words, word


CONTENT_INTENTS = {
    "WhatIsCrepitusIntent", "WhyAnklesPopIntent", "CauseIntent", "IsItSeriousIntent",
    "TreatmentIntent", "SeeATherapistIntent", "ExerciseListIntent", "ExerciseInfoIntent",
    "TipIntent", "SourcesIntent", "DisclaimerIntent", "KeepMovingIntent",
    "CrackOnPurposeIntent", "SymptomIntent", "DiagnosisIntent",
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(n for n in INTENTS if not n.startswith("AMAZON.")))
def test_content_intents_have_forty_samples_and_commands_twenty_five(name):
    assert len(INTENTS[name]["samples"]) >= (40 if name in CONTENT_INTENTS else 25)


def test_safety_intents_come_first_so_they_win_a_tie():
    """An unknown remark in a slot position matches several intents equally; the matcher
    (like the model's author) then prefers the first, so a possible pain statement is
    answered as one."""
    names = [intent["name"] for intent in MODEL["intents"]]
    assert names[:2] == ["SymptomIntent", "DiagnosisIntent"]
