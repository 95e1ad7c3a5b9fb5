"""gunicorn serves the app exactly as documented, with verification on, end to end.

The service is `gunicorn "skill.web:create_app()"` in a subprocess with production
settings, except that its trust roots (ANKLE_COACH_CA_BUNDLE, SSL_CERT_FILE) are the test
CA and its HTTPS proxy is the fake S3: its real downloader fetches the chain over TLS.
"""

from __future__ import annotations

import http.client
import json

import pytest

from skill.chat.simulator import TEST_SKILL_ID, Conversation
from tests.certs import CERT_URL, make_authority, signed_request
from tests.fake_s3 import fake_s3
from tests.gunicorn_support import gunicorn, service_env, wait_for_line


@pytest.fixture(scope="module")
def authority():
    return make_authority()


@pytest.fixture(scope="module")
def service(authority):
    with fake_s3(authority) as s3:
        env = service_env({**s3.env(), "ANKLE_COACH_SKILL_IDS": TEST_SKILL_ID})
        with gunicorn("skill.web:create_app()", env, workers=1, threads=2) as served:
            yield served, s3


def post(port: int, body: bytes, headers: dict[str, str]) -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("POST", "/", body=body, headers=headers)
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def test_gunicorn_answers_a_signed_request_end_to_end(service, authority):
    served, s3 = service
    conversation = Conversation(send=lambda e: {})
    body, headers = signed_request(
        conversation.envelope({"type": "LaunchRequest"}), authority.signer
    )
    status, reply = post(served.port, body, headers)
    assert status == 200, served.log[-5:]
    assert "Ankle Coach" in reply["response"]["outputSpeech"]["ssml"]
    assert s3.targets == ["s3.amazonaws.com:443"]
    assert s3.paths == ["/echo.api/echo-api-cert-test.pem"]

    again = conversation.envelope(conversation.intent_request("AMAZON.HelpIntent", {}))
    status, _ = post(served.port, *signed_request(again, authority.signer))
    assert status == 200
    assert len(s3.paths) == 1, "the cached certificate must not be fetched again"

    logged = wait_for_line(served, "type=IntentRequest intent=AMAZON.HelpIntent status=200")
    assert " request method=POST path=/ request_id=amzn1.echo-api.request." in logged
    assert "duration_ms=" in logged


def test_gunicorn_refuses_a_forged_request(service, authority):
    served, _ = service
    envelope = Conversation(send=lambda e: {}).envelope({"type": "LaunchRequest"})
    body, headers = signed_request(envelope, make_authority("Forger CA").signer)
    status, reply = post(served.port, body, headers)
    assert status == 400 and reply["error"]
    assert "rejected request" in wait_for_line(served, "check=signature ")


def test_gunicorn_applies_the_body_limit_and_serves_health(service):
    served, _ = service
    headers = {"Content-Type": "application/json", "SignatureCertChainUrl": CERT_URL}
    status, _ = post(served.port, b"{" + b" " * (129 * 1024) + b"}", headers)
    assert status == 400
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    connection.request("GET", "/health")
    assert connection.getresponse().status == 200
    connection.close()


def test_production_mode_without_skill_ids_does_not_start():
    env = service_env({})
    with (
        pytest.raises(RuntimeError, match="ANKLE_COACH_SKILL_IDS is not set"),
        gunicorn("skill.web:create_app()", env),
    ):
        pass


def post_chunked(port: int, body: bytes, headers: dict[str, str]) -> tuple[int, dict]:
    """The body in 8 KB chunks with Transfer-Encoding: chunked, no Content-Length."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    chunks = [body[i : i + 8192] for i in range(0, len(body), 8192)]
    try:
        connection.request("POST", "/", body=iter(chunks), headers=headers, encode_chunked=True)
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def test_gunicorn_checks_a_chunked_body_whole_and_refuses_an_unsigned_tail(service, authority):
    """A genuinely signed body that fills the limit, then a tail: never checked as a prefix."""
    served, _ = service
    envelope = Conversation(send=lambda e: {}).envelope({"type": "LaunchRequest"})
    envelope["pad"] = ""
    size = len(signed_request(envelope, authority.signer)[0])
    envelope["pad"] = "x" * (128 * 1024 - size)
    body, headers = signed_request(envelope, authority.signer)
    status, _ = post_chunked(served.port, body, headers)
    assert status == 200, served.log[-5:]
    status, reply = post_chunked(served.port, body + b' {"forged": true}', headers)
    assert (status, reply) == (400, {"error": "request body too large"})
