"""The typed-words understanding: every hand-written sample utterance of the model, filled
with every slot value and synonym, and a fixed share of the sample grammar's compositions,
come back as their own intent with the right entity-resolution ids."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from skill.alexa.builder import parse_envelope
from skill.chat.nlu import (
    FALLBACK,
    SESSION_END,
    builtin_phrases,
    nlu_for,
    normalize,
    split_invocation,
)
from skill.chat.session import ChatSession
from skill.chat.simulator import MODELS_DIR, Heard, Unmatched, load_model, slot_values

NLU = nlu_for("en-US")
MODEL = load_model("en-US")
HAND_WRITTEN = json.loads((MODELS_DIR / "en-US.json").read_text(encoding="utf-8"))[
    "interactionModel"
]["languageModel"]
COMPOSED_SHARE = 25
"""One composed sample in this many is played (all of them take minutes)."""


def filled_samples(locale: str = "en-US", model: dict | None = None):
    """(utterance, intent, {slot: id}) for each sample x each slot value, plus every synonym
    of every value in the first sample of each intent that has the slot.

    Every sample meets every value id, and every synonym is heard at least once per intent,
    without the product of all synonyms of all slots (hundreds of thousands of cases)."""
    model = model or load_model(locale)
    for intent in model["intents"]:
        types = {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
        seen: set[str] = set()
        for sample in intent.get("samples", []):
            names = [name for name in types if "{" + name + "}" in sample]
            for varied in names:
                every_synonym = varied not in seen
                seen.add(varied)
                for value in slot_values(types[varied], locale):
                    spellings = [value["name"]["value"], *value["name"].get("synonyms", [])]
                    for spoken in spellings if every_synonym else spellings[:1]:
                        text = sample.replace("{" + varied + "}", spoken)
                        expected = dict.fromkeys(types)
                        expected[varied] = value["id"]
                        for other in names:
                            if other != varied:  # the others at their first value
                                first = slot_values(types[other], locale)[0]
                                text = text.replace("{" + other + "}", first["name"]["value"])
                                expected[other] = first["id"]
                        yield text, intent["name"], expected
            if not names:
                yield sample, intent["name"], dict.fromkeys(types)


CASES = list(filled_samples(model=HAND_WRITTEN))
_WRITTEN = {s for i in HAND_WRITTEN["intents"] for s in i.get("samples", [])}
COMPOSED = [
    {**i, "samples": [s for s in i.get("samples", []) if s not in _WRITTEN][::COMPOSED_SHARE]}
    for i in MODEL["intents"]
]
COMPOSED_CASES = list(filled_samples(model={**MODEL, "intents": COMPOSED}))[::4]


def test_the_generated_cases_cover_every_sample_and_value():
    samples = sum(len(intent.get("samples", [])) for intent in HAND_WRITTEN["intents"])
    assert len(CASES) > samples  # slot samples expand to one case per value and synonym
    assert {intent for _, intent, _ in CASES} == {
        i["name"] for i in HAND_WRITTEN["intents"] if i.get("samples")
    }
    assert len(COMPOSED_CASES) > 100


@pytest.mark.parametrize(
    ("text", "intent", "slots"), COMPOSED_CASES, ids=[c[0] for c in COMPOSED_CASES]
)
def test_composed_samples_resolve_to_their_intent_too(text, intent, slots):
    understood = NLU.understand(text)
    assert (understood.intent, understood.match) == (intent, "exact")
    assert understood.slot_ids() == slots


@pytest.mark.parametrize(("text", "intent", "slots"), CASES, ids=[c[0] for c in CASES])
def test_every_sample_utterance_resolves_to_its_intent_and_slot_ids(text, intent, slots):
    understood = NLU.understand(text)
    assert (understood.intent, understood.match) == (intent, "exact")
    assert understood.slot_ids() == slots


def test_no_filled_sample_means_two_different_things():
    meanings: dict[str, set] = {}
    for text, intent, slots in CASES:
        meanings.setdefault(normalize(text), set()).add((intent, tuple(sorted(slots.items()))))
    assert {text: m for text, m in meanings.items() if len(m) > 1} == {}


def test_a_synonym_is_heard_as_said_and_resolved_to_the_canonical_id():
    understood = NLU.understand("tell me about air bubbles")
    assert understood.intent == "CauseIntent"
    assert understood.slots["cause"] == Heard("gas", "air bubbles")


def test_an_unknown_value_in_a_slot_position_is_unmatched():
    understood = NLU.understand("how do I do jumping jacks")
    assert understood.intent == "ExerciseInfoIntent" and understood.match == "exact"
    assert understood.slots == {"exercise": Unmatched("jumping jacks"), "aside": None}


def test_a_sample_without_its_slot_sends_the_slot_empty():
    understood = NLU.understand("what helps")
    assert understood.intent == "TreatmentIntent"
    assert understood.slots == {"treatment": None, "noise": None, "joint": None, "aside": None}


def test_a_bare_slot_sample_only_takes_known_values():
    assert NLU.understand("heating pad").slot_ids()["treatment"] == "heat"
    assert NLU.understand("purple elephants").intent == FALLBACK


PLAIN_SAMPLE_BEATS_SLOT = [
    ("tell me about ankle popping", "WhatIsCrepitusIntent"),
    ("tell me about crepitus", "WhatIsCrepitusIntent"),
    ("what is crepitus", "WhatIsCrepitusIntent"),
    ("does music help", "TipIntent"),
]


@pytest.mark.parametrize(("text", "intent"), PLAIN_SAMPLE_BEATS_SLOT)
def test_a_plain_sample_beats_a_slot_sample_with_an_unknown_value(text, intent):
    assert NLU.understand(text).intent == intent


BUILT_INS = [
    (intent, phrase)
    for intent, phrases in builtin_phrases().items()
    for phrase in phrases
    if intent in NLU.intents or intent == SESSION_END
]


@pytest.mark.parametrize(("intent", "phrase"), BUILT_INS, ids=[p for _, p in BUILT_INS])
def test_built_in_intents_understand_their_usual_phrasings(intent, phrase):
    understood = NLU.understand(phrase)
    assert (understood.intent, understood.match) == (intent, "exact")


def test_built_ins_the_model_does_not_declare_are_never_sent():
    missing = [name for name in builtin_phrases() if name not in NLU.intents]
    for name in missing:
        if name == SESSION_END:
            continue
        for phrase in builtin_phrases()[name]:
            assert NLU.understand(phrase).intent != name


def test_builtin_phrase_data_is_normalized_and_names_built_ins():
    for name, phrases in builtin_phrases().items():
        assert name.startswith("AMAZON.") or name == SESSION_END
        assert phrases and all(normalize(p) == p for p in phrases), name


CLOSE = [
    ("Why doo my ankles pop?", "WhyAnklesPopIntent", {"noise": "pop", "joint": "ankle"}),
    ("ankle pop why does my", "WhyAnklesPopIntent", {"noise": "pop", "joint": "ankle"}),
    ("is it seriuos", "IsItSeriousIntent", {}),
    ("how do I do calf raisez", "ExerciseInfoIntent", {"exercise": "calf_raises"}),
]


@pytest.mark.parametrize(("text", "intent", "slots"), CLOSE, ids=[c[0] for c in CLOSE])
def test_near_misses_are_close_matches_and_say_so(text, intent, slots):
    understood = NLU.understand(text)
    assert understood.match == "close" and understood.intent == intent
    assert 0.78 <= understood.score < 1.0 and understood.sample
    assert {k: v for k, v in understood.slot_ids().items() if v} == slots


NONSENSE = ["pizza", "blah blah blah", "order me a pizza please", "play some music", "hello", ""]


@pytest.mark.parametrize("text", NONSENSE)
def test_nonsense_falls_back(text):
    understood = NLU.understand(text)
    assert (understood.intent, understood.match) == (FALLBACK, "fallback")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("open ankle coach", (True, "")),
        ("Alexa, open Ankle Coach", (True, "")),
        ("ask ankle coach", (True, "")),
        ("ask ankle coach why do my ankles pop", (True, "why do my ankles pop")),
        ("Alexa, ask Ankle Coach to give me a tip", (True, "give me a tip")),
        ("tell ankle coach that it hurts", (True, "it hurts")),
        ("why do my ankles pop", (False, "why do my ankles pop")),
        ("Alexa, stop", (False, "stop")),
        ("start balance exercise", (False, "start balance exercise")),
    ],
)
def test_naming_the_skill_launches_or_asks_in_one_shot(text, expected):
    assert split_invocation(text, MODEL["invocationName"]) == expected


@pytest.fixture
def chat(send):
    return ChatSession(send)


def test_the_request_for_an_utterance_is_a_real_alexa_request(chat, skill):
    turn = chat.say("ask ankle coach to tell me about air bubbles")
    envelope = turn.request
    parsed = parse_envelope(skill, json.dumps(envelope))
    assert parsed.request.object_type == "IntentRequest"
    assert parsed.request.locale == "en-US"
    assert parsed.request.request_id and parsed.session.session_id
    assert parsed.session.new is True
    assert parsed.session.user.user_id == parsed.context.system.user.user_id
    assert parsed.context.system.application.application_id
    assert isinstance(parsed.request.timestamp, datetime)
    slot = parsed.request.intent.slots["cause"]
    assert parsed.request.intent.name == "CauseIntent"
    assert slot.value == "air bubbles"
    resolution = slot.resolutions.resolutions_per_authority[0]
    assert resolution.status.code.value == "ER_SUCCESS_MATCH"
    value = resolution.values[0].value
    assert (value.id, value.name) == ("gas", "gas bubbles")


def test_an_unknown_value_is_sent_as_no_match(chat, skill):
    chat.say("open ankle coach")
    turn = chat.say("how do I do jumping jacks")
    parsed = parse_envelope(skill, json.dumps(turn.request))
    assert parsed.session.new is False
    slot = parsed.request.intent.slots["exercise"]
    assert slot.value == "jumping jacks"
    status = slot.resolutions.resolutions_per_authority[0].status.code.value
    assert status == "ER_SUCCESS_NO_MATCH"


def test_the_session_is_kept_like_alexa_keeps_it(chat):
    launch = chat.say("open ankle coach")
    question = chat.say("why do my ankles pop")
    assert launch.request["session"]["new"] is True
    assert question.request["session"]["new"] is False
    assert question.request["session"]["sessionId"] == launch.request["session"]["sessionId"]
    assert question.request["session"]["attributes"] == launch.response["sessionAttributes"]
    assert launch.request["request"]["requestId"] != question.request["request"]["requestId"]
    bye = chat.say("exit")
    assert bye.request["request"] == {**bye.request["request"], "type": "SessionEndedRequest"}
    assert not chat.in_session
    again = chat.say("give me a tip")
    assert again.request["session"]["new"] is True and again.one_shot is False
