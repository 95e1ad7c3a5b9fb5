"""Regression tests for issue 13's input defects: each minimal reproducer, through both
entry points, must be refused (or answered) the same way, with a fixed reason, one
WARNING line, no traceback and never a 500."""

from __future__ import annotations

import copy
import io
import json
import logging

import pytest

from skill.chat.simulator import Conversation
from skill.config import Settings
from skill.web.app import create_app
from tests.entry_support import to_body, via_lambda, via_web

FIXED_REASONS = {
    "body is not valid JSON",
    "body is nested too deeply",
    "body has a number out of range",
    "body has text that is not valid Unicode",
    "not an Alexa request envelope",
    "request body too large",
    "request body is incomplete",
    "content type must be application/json",
}


@pytest.fixture
def client(skill):
    return create_app(skill=skill, settings=Settings(dev_skip_verification=True)).test_client()


def launch() -> dict:
    return Conversation(send=lambda e: {}).envelope({"type": "LaunchRequest"})


def changed(**paths) -> dict:
    """A launch envelope with dotted paths set (None deletes)."""
    envelope = launch()
    for dotted, value in paths.items():
        *parents, last = dotted.split("__")
        target = envelope
        for part in parents:
            target = target[part]
        if value is None:
            del target[last]
        else:
            target[last] = value
    return envelope


def assert_no_traceback(caplog) -> None:
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"


RAW_BODIES = {
    "deep nesting": '{"version":"1.0","request":' + "[" * 40000 + "]" * 40000 + "}",
    "integer of 5,000 digits": '{"version":"1.0","x":' + "1" * 5000 + "}",
    "NaN": '{"version":"1.0","x":NaN}',
    "Infinity": '{"version":"1.0","x":Infinity}',
    "-Infinity": '{"version":"1.0","x":-Infinity}',
    "1e999 (infinite once read)": '{"version":"1.0","x":1e999}',
}


@pytest.mark.parametrize("name", RAW_BODIES)
def test_raw_bodies_python_cannot_read_safely_are_400(client, caplog, name):
    with caplog.at_level(logging.INFO):
        outcome = via_web(client, RAW_BODIES[name])
    assert outcome.status == 400 and outcome.reason in FIXED_REASONS
    rejections = [r for r in caplog.records if r.getMessage().startswith("rejected request")]
    assert len(rejections) == 1 and rejections[0].levelno == logging.WARNING
    assert_no_traceback(caplog)


def nested(depth: int) -> dict:
    value: dict = {}
    for _ in range(depth):
        value = {"a": value}
    return value


BAD_ENVELOPES = {
    "context is a list": lambda: changed(context=[]),
    "context is null": lambda: changed(context=None),
    "System is a string": lambda: changed(context__System="x"),
    "application is a number": lambda: changed(context__System__application=3),
    "request is a list": lambda: changed(request=[1]),
    "timestamp is a number": lambda: changed(request__timestamp=12345),
    "timestamp is not a date": lambda: changed(request__timestamp="yesterday"),
    "year 1 at +01:00": lambda: changed(request__timestamp="0001-01-01T00:00:00+01:00"),
    "lone surrogate in requestId": lambda: changed(request__requestId="r\ud800"),
    "NaN in session attributes": lambda: changed(session__attributes={"x": float("nan")}),
    "huge integer in session attributes": lambda: changed(session__attributes={"x": 10**400}),
    "deeply nested session attributes": lambda: changed(session__attributes=nested(200)),
    "session attributes are a list": lambda: changed(session__attributes=[1]),
    "intent without a name": lambda: changed(request__type="IntentRequest"),
    "no version": lambda: changed(version=None),
}


@pytest.mark.parametrize("name", BAD_ENVELOPES)
def test_bad_envelopes_are_refused_alike_by_web_and_lambda(client, caplog, name):
    envelope = BAD_ENVELOPES[name]()
    with caplog.at_level(logging.INFO):
        web = via_web(client, to_body(envelope))
        lam = via_lambda(json.loads(to_body(envelope)))
    assert web.status == 400 and web.reason in FIXED_REASONS
    assert lam.refused and web.same_as(lam)
    assert lam.response == {"version": "1.0", "response": {}}
    assert_no_traceback(caplog)


def test_lambda_refuses_events_that_are_not_objects(caplog):
    with caplog.at_level(logging.WARNING):
        for event in (None, [], "x", 5):
            assert via_lambda(event).refused
    assert_no_traceback(caplog)


def test_lambda_accepts_any_context_argument():
    import lambda_handler

    for context in (None, 5, "x", [], object()):
        assert lambda_handler.handler(launch(), context)["response"]["outputSpeech"]


def test_a_year_1_timestamp_in_utc_is_answered(client):
    envelope = changed(request__timestamp="0001-01-01T00:00:00Z")
    web, lam = via_web(client, to_body(envelope)), via_lambda(envelope)
    assert not web.refused and web.same_as(lam)
    assert web.response["response"]["outputSpeech"]


def test_exception_text_never_reaches_the_client(client):
    for body in (b"\xff\xfe{}", b'{"a":', b"[" * 100, b'{"x":"\\ud800"}'):
        reply = client.post("/", data=body, content_type="application/json")
        assert reply.status_code == 400 and reply.get_json()["error"] in FIXED_REASONS


def chunked(client, body: bytes):
    """A body sent without Content-Length, as a chunked request reaches the WSGI app."""
    return client.post(
        "/",
        input_stream=io.BytesIO(body),
        content_type="application/json",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )


def test_a_chunked_body_over_the_limit_is_400_not_cut_short(client):
    body = to_body(launch())
    padded = body[:-1] + b"," + b'"pad":"' + b"x" * (130 * 1024) + b'"}'
    reply = chunked(client, padded)
    assert reply.status_code == 400
    assert reply.get_json()["error"] == "request body too large"


def test_a_chunked_body_within_the_limit_is_answered(client):
    reply = chunked(client, to_body(launch()))
    assert reply.status_code == 200 and reply.get_json()["response"]["outputSpeech"]


def test_a_body_shorter_than_its_content_length_is_400(client):
    body = to_body(launch())
    reply = client.post(
        "/",
        input_stream=io.BytesIO(body),
        content_type="application/json",
        environ_overrides={"CONTENT_LENGTH": str(len(body) + 10)},
    )
    assert reply.status_code == 400


@pytest.mark.parametrize("method", ["OPTIONS", "PUT", "DELETE", "PATCH", "GET"])
def test_other_methods_get_405(client, method):
    reply = client.open("/", method=method)
    assert reply.status_code == 405
    assert reply.get_json() == {"error": "method not allowed"}


def test_options_on_health_is_405_too(client):
    assert client.options("/health").status_code == 405


def test_an_unknown_path_is_404_with_a_fixed_reason(client):
    reply = client.post("/admin", json={})
    assert reply.status_code == 404 and reply.get_json() == {"error": "not found"}


def test_nan_is_never_produced(client):
    envelope = launch()
    reply = client.post("/", data=to_body(envelope), content_type="application/json")
    assert "NaN" not in reply.get_data(as_text=True)
    json.loads(reply.get_data(as_text=True), parse_constant=lambda name: pytest.fail(name))


def test_the_same_good_envelope_gets_the_same_answer_from_both(client):
    envelope = copy.deepcopy(launch())
    web, lam = via_web(client, to_body(envelope)), via_lambda(envelope)
    assert not web.refused and web.same_as(lam)


@pytest.mark.parametrize("request_type", ["Alexa.Future.NewEvent", "x", "IntentRequest2"])
def test_a_request_type_the_sdk_cannot_read_gets_silence_from_both(client, request_type):
    envelope = changed(request__type=request_type)
    web, lam = via_web(client, to_body(envelope)), via_lambda(envelope)
    assert not web.refused and web.same_as(lam)
    assert web.response == {"version": "1.0", "response": {}}
