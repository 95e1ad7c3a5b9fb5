"""The web entry point: answers real envelopes, refuses anything else with HTTP 400."""

import json
import logging

import pytest

from skill.config import Settings
from skill.web.app import create_app


@pytest.fixture
def client(skill):
    app = create_app(skill=skill, settings=Settings(dev_skip_verification=True))
    return app.test_client()


def test_health_answers(client):
    response = client.get("/health")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_a_launch_request_is_answered(client, conversation):
    envelope = conversation.envelope({"type": "LaunchRequest"})
    response = client.post("/", json=envelope)
    assert response.status_code == 200
    assert "Ankle Coach" in response.get_json()["response"]["outputSpeech"]["ssml"]


BAD_INPUTS = {
    "not json": ("this is not json", "application/json"),
    "json list": ("[1, 2, 3]", "application/json"),
    "not an envelope": (json.dumps({"hello": "world"}), "application/json"),
    "request without type": (json.dumps({"version": "1.0", "request": {}}), "application/json"),
    "wrong content type": (json.dumps({"version": "1.0"}), "text/plain"),
    "form post": ("a=b", "application/x-www-form-urlencoded"),
    "huge body": ("{" + " " * (200 * 1024) + "}", "application/json"),
    "invalid utf-8": (b"\xff\xfe{}", "application/json"),
}


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_input_gets_400_with_a_reason_and_a_log_line(client, caplog, name):
    body, content_type = BAD_INPUTS[name]
    with caplog.at_level(logging.WARNING):
        response = client.post("/", data=body, content_type=content_type)
    assert response.status_code == 400
    assert response.get_json()["error"]
    assert any("rejected request" in r.getMessage() for r in caplog.records)


def test_an_envelope_of_the_wrong_shape_is_400_not_500(client, conversation):
    envelope = conversation.envelope({"type": "LaunchRequest"})
    envelope["request"]["timestamp"] = 12345
    assert client.post("/", json=envelope).status_code == 400


def test_only_post_reaches_the_skill(client):
    assert client.get("/").status_code == 405


def test_development_mode_warns_loudly(skill, caplog):
    with caplog.at_level(logging.WARNING):
        create_app(skill=skill, settings=Settings(dev_skip_verification=True))
    assert any("VERIFICATION IS OFF" in r.getMessage() for r in caplog.records)


def test_development_mode_warns_on_every_request(client, conversation, caplog):
    with caplog.at_level(logging.WARNING, logger="skill.web.app"):
        for _ in range(2):
            client.post("/", json=conversation.envelope({"type": "LaunchRequest"}))
    assert sum("VERIFICATION IS OFF" in r.getMessage() for r in caplog.records) == 2


def test_one_structured_log_line_per_request(client, conversation, caplog):
    conversation.launch()
    envelope = conversation.envelope(conversation.intent_request("AMAZON.HelpIntent", {}))
    with caplog.at_level(logging.INFO, logger="skill.web.app"):
        client.post("/", json=envelope)
        client.post("/", data="nope", content_type="application/json")
    lines = [r.getMessage() for r in caplog.records if "request method=" in r.getMessage()]
    assert len(lines) == 2
    request_id = envelope["request"]["requestId"]
    assert (
        f"request_id={request_id} type=IntentRequest intent=AMAZON.HelpIntent status=200"
        in (lines[0])
    )
    assert "request_id=- type=- intent=- status=400 check=input" in lines[1]
    assert lines[0].startswith("request method=POST path=/ ")
    assert lines[1].startswith("rejected request method=POST path=/ ")
    assert all("duration_ms=" in line for line in lines)


def test_request_values_cannot_forge_log_lines(client, conversation, caplog):
    envelope = conversation.envelope({"type": "LaunchRequest"})
    envelope["request"]["requestId"] = "r1\nrejected request check=fake"
    with caplog.at_level(logging.INFO, logger="skill.web.app"):
        client.post("/", json=envelope)
    assert not any("\n" in r.getMessage() for r in caplog.records if r.name == "skill.web.app")
