"""The skill's serializer and its invoke give what the SDK's own would (issue 15)."""

from __future__ import annotations

import copy
import json
import re

import pytest
from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope
from hypothesis import HealthCheck, given, settings

import lambda_handler
from skill.alexa.builder import build_skill, invoke, invoke_event
from skill.alexa.envelope import BadEnvelope, check_envelope, envelope_from_data, own_event
from skill.alexa.serializer import FastSerializer
from skill.chat.simulator import Conversation
from tests.fuzz_envelopes import envelopes, real_sessions

SDK = DefaultSerializer()
FAST = FastSerializer()
SKILL = build_skill(None)
SAMPLES = real_sessions(lambda envelope: invoke_event(SKILL, envelope))


def recorded() -> list[dict]:
    """Every request of a launch, a question, a whole workout, pause, resume and the end."""
    sent: list[dict] = []

    def send(envelope: dict) -> dict:
        sent.append(copy.deepcopy(envelope))
        return invoke_event(SKILL, envelope)

    conversation = Conversation(send=send)
    conversation.launch()
    conversation.intent("WhyAnklesPopIntent")
    conversation.intent("StartWorkoutIntent")
    for _ in range(3):
        conversation.intent("AMAZON.NextIntent")
    conversation.intent("AMAZON.PauseIntent")
    conversation.intent("AMAZON.ResumeIntent")
    conversation.intent("SymptomIntent", symptom="pain")
    conversation.end()
    return sent


RECORDED = recorded()


@pytest.mark.parametrize("index", range(len(RECORDED)))
def test_envelopes_and_responses_come_out_as_the_sdk_makes_them(index):
    text = json.dumps(RECORDED[index])
    ours, theirs = FAST.deserialize(text, RequestEnvelope), SDK.deserialize(text, RequestEnvelope)
    assert ours == theirs
    assert FAST.serialize(ours) == SDK.serialize(theirs)
    response = SKILL.invoke(request_envelope=theirs, context=None)
    assert FAST.serialize(response) == SDK.serialize(response)


def test_timestamps_read_as_the_sdk_reads_them_including_what_iso_does_not_cover():
    envelope = copy.deepcopy(RECORDED[0])
    for stamp in ("2026-01-01T00:00:00Z", "2026-01-01T10:20:30.123+02:00", "Jan 1 2026 10:00"):
        envelope["request"]["timestamp"] = stamp
        ours = FAST.build(copy.deepcopy(envelope), RequestEnvelope).request.timestamp
        theirs = SDK.deserialize(json.dumps(envelope), RequestEnvelope).request.timestamp
        assert ours == theirs and ours.utcoffset() == theirs.utcoffset()
    assert ours.tzinfo is None  # no zone given: naive, as dateutil reads it
    envelope["request"]["timestamp"] = "not a time"
    with pytest.raises(SerializationException):
        FAST.build(envelope, RequestEnvelope)


def test_an_unknown_or_missing_request_type_is_refused_as_the_sdk_refuses_it():
    for request in ({"type": "NoSuchRequest"}, {"requestId": "r"}):
        envelope = {**RECORDED[0], "request": request}
        with pytest.raises(SerializationException):
            SDK.deserialize(json.dumps(envelope), RequestEnvelope)
        with pytest.raises(SerializationException):
            FAST.build(envelope, RequestEnvelope)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(envelopes(SAMPLES))
def test_generated_envelopes_build_the_same_model_or_are_refused_alike(envelope):
    try:
        data = check_envelope(copy.deepcopy(envelope))
        text = json.dumps(data, allow_nan=False)
    except (BadEnvelope, ValueError, TypeError):
        return
    try:
        theirs = SDK.deserialize(text, RequestEnvelope)
    except SerializationException:
        with pytest.raises(SerializationException):
            FAST.build(json.loads(text), RequestEnvelope)
        return
    ours = FAST.build(json.loads(text), RequestEnvelope)
    assert ours == theirs
    assert FAST.serialize(ours) == SDK.serialize(theirs)


def test_the_skill_changes_its_own_copy_of_the_attributes_never_the_callers_event():
    event = next(
        e for e in RECORDED if "coach" in ((e.get("session") or {}).get("attributes") or {})
    )
    event = copy.deepcopy(event)
    event["session"]["attributes"]["forged"] = "x" * 50  # the session check drops it
    before = copy.deepcopy(event)
    first = lambda_handler.handler(event, None)
    assert event == before  # a replayed event is the same request again
    assert lambda_handler.handler(event, None) == first
    assert "forged" not in first["sessionAttributes"]
    owned = own_event(event)["session"]["attributes"]
    assert owned == event["session"]["attributes"]
    assert owned["coach"] is not event["session"]["attributes"]["coach"]  # nested ones too


def test_the_skill_answers_as_the_sdk_skill_answers_with_the_same_handlers():
    sdk_skill = build_skill(None)
    sdk_skill.serializer = DefaultSerializer()
    plain_invoke = type(sdk_skill).__mro__[1].invoke  # CustomSkill.invoke: deep copies
    for event in RECORDED:
        ours = invoke(SKILL, envelope_from_data(SKILL, own_event(event)))
        envelope = SDK.deserialize(json.dumps(event), RequestEnvelope)
        theirs = SDK.serialize(plain_invoke(sdk_skill, envelope, None))
        assert _without_op_ids(ours) == _without_op_ids(theirs)


def _without_op_ids(response: dict) -> str:
    """Each stored operation gets a random id (`progress_ops`): equal up to those."""
    return re.sub(r"\b[0-9a-f]{32}\b", "<op id>", json.dumps(response, sort_keys=True))


def _model_classes() -> list[type]:
    import importlib
    import inspect
    import pkgutil
    from enum import Enum

    import ask_sdk_model

    found = []
    for module_info in pkgutil.walk_packages(ask_sdk_model.__path__, "ask_sdk_model."):
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and value.__module__ == module.__name__
                and hasattr(value, "deserialized_types")
                and not issubclass(value, Enum)
            ):
                found.append(value)
    return found


def test_a_model_is_made_from_its_defaults_only_when_they_are_what_its_constructor_sets():
    from skill.alexa.serializer import _defaults

    classes = _model_classes()
    assert len(classes) > 400  # every model of ask_sdk_model, not a sample
    for cls in classes:  # each request model is built without calling its constructor
        assert _defaults(cls) == vars(cls()), cls

    class Shared:  # a mutable default would be shared by every instance: constructor
        def __init__(self) -> None:
            self.items: list = []

    class Guarded:
        def __setattr__(self, name: str, value: object) -> None:
            object.__setattr__(self, name, value)

    assert _defaults(Shared) is None and _defaults(Guarded) is None
    built = FAST.build(RECORDED[2], RequestEnvelope)
    assert built.to_dict() == SDK.deserialize(json.dumps(RECORDED[2]), RequestEnvelope).to_dict()
