"""Hypothesis strategies for request envelopes, good and bad, and the checks on what the
skill answers. Used by tests/test_fuzz.py: a few hundred in `make test`, 5,000 or more
in `make fuzz`.

Envelopes start from real ones (every request type, known and unknown intents, slots
missing, empty, unknown or unresolved) with session attributes taken from real sessions,
then get mutated: wrong types, missing keys, huge numbers, unknown versions, nested junk,
NaN, lone surrogates, very long strings, odd locales, fields removed and added.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import strategies as st

from skill.chat.alexa_rules import response_problems
from skill.chat.simulator import (
    Conversation,
    load_model,
    resolved_slot,
    slot_type_of,
    slot_values,
)

REQUEST_TYPES = (
    "LaunchRequest", "IntentRequest", "SessionEndedRequest", "System.ExceptionEncountered",
    "CanFulfillIntentRequest", "AudioPlayer.PlaybackStarted", "AudioPlayer.PlaybackFailed",
    "PlaybackController.NextCommandIssued", "Alexa.Presentation.APL.UserEvent",
    "Connections.Response", "AlexaSkillEvent.SkillEnabled", "Messaging.MessageReceived",
)  # fmt: skip
SPEAKING_TYPES = ("LaunchRequest", "IntentRequest")
LOCALES = ("en-US", "en-GB", "de-DE", "", "apl", "..", "../../etc", "x" * 256, "en_US", "EN-us")
REASONS = ("USER_INITIATED", "ERROR", "EXCEEDED_MAX_REPROMPTS", "x")
ODD_IDS = ("r\ud800", "", "x" * 5000, "a\nb")
ODD_TIMESTAMPS = (
    "0001-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "now",
)  # fmt: skip
CONVERSATIONAL_RULES = ("asks nothing", "ends on a question")
"""Our own conversation style checks: a forged `last` may break them; Alexa would not."""

CHARS = st.characters(codec="utf-8")  # lone surrogates come only from `poison`
MODEL_INTENTS = [intent["name"] for intent in load_model()["intents"]]


def real_sessions(send) -> list[dict[str, Any]]:
    """Session attributes as the skill itself leaves them, in many situations."""
    samples: list[dict[str, Any]] = [{}]
    scripts = [
        [("launch",)],
        [("launch",), ("WhyAnklesPopIntent", {})],
        [("launch",), ("StartExerciseIntent", {"exercise": "single_leg_balance"})],
        [("launch",), ("StartExerciseIntent", {"exercise": "calf_raises"}), ("AMAZON.NextIntent", {})],  # noqa: E501
        [("StartWorkoutIntent", {}), ("AMAZON.NextIntent", {}), ("AMAZON.PauseIntent", {})],
        [("launch",), ("StartWorkoutIntent", {}), ("SlowerIntent", {})],
        [("launch",), ("ResetProgressIntent", {})],
        [("launch",), ("ExerciseInfoIntent", {"exercise": "calf_raises"})],
    ]  # fmt: skip
    for script in scripts:
        conversation = Conversation(send=send)
        for step in script:
            if step[0] == "launch":
                conversation.launch()
            else:
                conversation.intent(step[0], **step[1])
            if conversation.attributes:
                samples.append(copy.deepcopy(conversation.attributes))
    return samples


poison = st.sampled_from(
    [10**35, float("nan"), float("inf"), "\ud800", "a\udfffb"]
)  # refused on input: over 100 bits, not JSON, not encodable
plain_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.integers(min_value=2**60, max_value=2**90),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(CHARS, max_size=20),
    st.just("x" * 3000),
    st.sampled_from(["<speak>", "coach:calf_raises", "reset", "delete", "resume_saved", "&"]),
)
junk = st.recursive(
    plain_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(CHARS, max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def deeply_nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


@st.composite
def mutated_attributes(draw, samples: list[dict[str, Any]]) -> Any:
    attributes = copy.deepcopy(draw(st.sampled_from(samples)))
    for _ in range(draw(st.integers(0, 3))):
        how = draw(st.sampled_from(["set"] * 3 + ["delete", "inner", "inner", "whole", "deep"]))
        if draw(st.integers(0, 14)) == 11:
            how = "poison"
        key = draw(st.sampled_from(["coach", "offer", "last", "confirm", "zzz", "v"]))
        if how == "set":
            attributes[key] = draw(junk)
        elif how == "delete":
            attributes.pop(key, None)
        elif how == "inner":
            target = attributes.get(key)
            if isinstance(target, dict) and target:
                inner = draw(st.sampled_from(sorted(target)))
                if draw(st.booleans()):
                    target[inner] = draw(junk)
                else:
                    del target[inner]
            elif isinstance(target, list) and target:
                target[draw(st.integers(0, len(target) - 1))] = draw(junk)
        elif how == "whole":
            return draw(junk)
        elif how == "poison":
            attributes[key] = draw(poison)
        else:
            attributes[key] = deeply_nested(draw(st.sampled_from([5, 10, 10, 40, 300])))
    return attributes


@st.composite
def slots_for(draw, intent: str) -> dict[str, Any]:
    model = next((i for i in load_model()["intents"] if i["name"] == intent), None)
    filled: dict[str, Any] = {}
    for slot in (model or {}).get("slots", []):
        name, slot_type = slot["name"], slot_type_of(intent, slot["name"])
        kinds = ["missing", "empty", "known", "known", "unknown", "unresolved"]
        kind = draw(st.sampled_from(kinds)) if draw(st.integers(0, 9)) != 7 else "junk"
        if kind == "empty":
            filled[name] = {"name": name, "confirmationStatus": "NONE"}
        elif kind == "known":
            value = draw(st.sampled_from(slot_values(slot_type)))
            filled[name] = resolved_slot(name, slot_type, value["id"], value["name"]["value"])
        elif kind == "unknown":
            filled[name] = resolved_slot(name, slot_type, None, draw(st.text(CHARS, max_size=30)))
        elif kind == "unresolved":
            filled[name] = {"name": name, "value": draw(st.text(CHARS, max_size=30))}
        elif kind == "junk":
            filled[name] = draw(junk)  # mostly refused: a slot must be an object
    return filled


message = st.text(CHARS, max_size=40)


@st.composite
def envelopes(draw, samples: list[dict[str, Any]]) -> dict[str, Any]:
    conversation = Conversation(send=lambda e: {})
    if draw(st.integers(0, 19)) == 13:
        request_type = draw(st.text(CHARS, max_size=12))  # a type nobody sends
    else:
        request_type = draw(st.sampled_from(REQUEST_TYPES + ("IntentRequest",) * 6))
    request: dict[str, Any] = {"type": request_type}
    if request_type == "IntentRequest":
        intent = draw(st.sampled_from(MODEL_INTENTS))
        if draw(st.integers(0, 9)) == 7:
            intent = draw(st.text(CHARS, min_size=1, max_size=40))  # an intent not in our model
        request = conversation.intent_request(intent, {})
        request["intent"]["slots"] = draw(slots_for(intent))
    elif request_type == "SessionEndedRequest":
        request["reason"] = draw(
            st.sampled_from(["USER_INITIATED", "ERROR", "EXCEEDED_MAX_REPROMPTS", "x"])
        )
        if draw(st.booleans()):
            request["error"] = {
                "type": "INVALID_RESPONSE",
                "message": draw(st.text(CHARS, max_size=40)),
            }
    elif request_type == "System.ExceptionEncountered":
        request["error"] = {
            "type": "INVALID_RESPONSE",
            "message": draw(st.text(CHARS, max_size=40)),
        }
        request["cause"] = {"requestId": "amzn1.echo-api.request.1"}
    envelope = conversation.envelope(request)
    envelope["session"]["new"] = draw(st.booleans())
    envelope["session"]["attributes"] = draw(mutated_attributes(samples))
    envelope["request"]["locale"] = draw(st.sampled_from(LOCALES))
    envelope["context"]["System"]["device"]["supportedInterfaces"] = draw(
        st.sampled_from([{}, {"Alexa.Presentation.APL": {"runtime": {"maxVersion": "2023.3"}}}])
    )
    if draw(st.integers(0, 9)) == 7:
        envelope["request"]["requestId"] = draw(
            st.sampled_from(["r\ud800", "", "x" * 5000, "a\nb"])
        )
    if draw(st.integers(0, 9)) == 7:
        envelope["request"]["timestamp"] = draw(
            st.sampled_from(
                [
                    "0001-01-01T00:00:00Z",
                    "0001-01-01T00:00:00+01:00",
                    "9999-12-31T23:59:59-01:00",
                    "now",
                ]
            )
        )
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2]))):
        where = draw(st.sampled_from(["", "request", "session", "context", "context.System"]))
        target = envelope
        for part in filter(None, where.split(".")):
            target = target.get(part) if isinstance(target, dict) else None
        if not isinstance(target, dict) or not target:
            continue
        if draw(st.booleans()):  # a field removed
            target.pop(draw(st.sampled_from(sorted(target))), None)
        else:  # a field added, or replaced with junk
            key = draw(st.one_of(st.sampled_from(sorted(target)), st.text(CHARS, max_size=8)))
            target[key] = draw(junk)
    return envelope


def problems_with(request: dict[str, Any], response: dict[str, Any]) -> list[str]:
    """What would make Alexa reject this response (our own style rules aside)."""
    problems = []
    try:
        json.dumps(response, allow_nan=False)
    except ValueError:
        problems.append("response is not valid JSON (NaN or Infinity)")
    if not isinstance(response.get("response"), dict) or response.get("version") != "1.0":
        return [*problems, "not a response envelope"]
    problems += [
        p for p in response_problems(response, request) if not p.endswith(CONVERSATIONAL_RULES)
    ]
    body = response["response"]
    request_type = (request.get("request") or {}).get("type")
    if request_type not in SPEAKING_TYPES and ("outputSpeech" in body or "reprompt" in body):
        problems.append(f"speech on {request_type}")
    return problems
