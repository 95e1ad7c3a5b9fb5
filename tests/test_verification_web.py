"""The web service with verification on: genuine requests answered, forged ones refused.

Every refusal is HTTP 400 with a reason, a log line naming the failed check, and no call
into the skill. A test CA stands in for Amazon's, so this runs offline.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from skill.alexa.builder import invoke
from skill.chat.simulator import TEST_SKILL_ID, Conversation
from skill.config import Settings
from skill.web.app import ConfigurationError, create_app
from skill.web.verification import RequestVerifier, load_roots
from tests.certs import CERT_URL, Authority, make_authority, sign, signed_request

NOW = datetime.now(UTC).replace(microsecond=0)


class SpySkill:
    """The real skill, recording every request that reaches it."""

    def __init__(self, skill) -> None:
        self.serializer = skill.serializer
        self._skill = skill
        self.calls = 0

    def invoke(self, request_envelope, context=None):
        self.calls += 1
        return self._skill.invoke(request_envelope=request_envelope, context=context)


@pytest.fixture(scope="module")
def authority() -> Authority:
    return make_authority()


@pytest.fixture(scope="module")
def stranger() -> Authority:
    return make_authority("Untrusted Root CA")


@pytest.fixture
def spy(skill) -> SpySkill:
    return SpySkill(skill)


def client_for(spy, authority, downloader: Callable[[str, float], bytes] | None = None):
    verifier = RequestVerifier(
        [TEST_SKILL_ID],
        roots=[authority.root.cert],
        downloader=downloader or (lambda url, timeout: authority.chain_pem),
        clock=lambda: NOW,
    )
    app = create_app(skill=spy, settings=Settings(skill_ids=(TEST_SKILL_ID,)), verifier=verifier)
    return app.test_client()


def launch_envelope(**changes: Any) -> dict[str, Any]:
    envelope = Conversation(send=lambda e: {}).envelope({"type": "LaunchRequest"})
    envelope["request"]["timestamp"] = NOW.strftime("%Y-%m-%dT%H:%M:%SZ")
    envelope["request"].update(changes)
    return envelope


def test_a_correctly_signed_request_is_answered(spy, authority):
    body, headers = signed_request(launch_envelope(), authority.signer)
    response = client_for(spy, authority).post("/", data=body, headers=headers)
    assert response.status_code == 200
    assert "Ankle Coach" in response.get_json()["response"]["outputSpeech"]["ssml"]
    assert spy.calls == 1


def test_a_signed_intent_is_answered_like_the_skill_answers_it(spy, skill, authority):
    conversation = Conversation(send=lambda e: {})
    conversation.launch()
    envelope = conversation.envelope(conversation.intent_request("AMAZON.HelpIntent", {}))
    envelope["request"]["timestamp"] = NOW.strftime("%Y-%m-%dT%H:%M:%SZ")
    body, headers = signed_request(envelope, authority.signer)
    response = client_for(spy, authority).post("/", data=body, headers=headers)
    direct = invoke(skill, skill.serializer.deserialize(json.dumps(envelope), _envelope_type()))
    assert response.get_json()["response"] == direct["response"]


def _envelope_type():
    from ask_sdk_model import RequestEnvelope

    return RequestEnvelope


@dataclass(frozen=True)
class Forgery:
    """How one bad request differs from a good one, and which check must catch it."""

    check: str
    body: bytes
    headers: dict[str, str]
    chain: bytes | None = None  # what the certificate URL serves, if not the good chain
    download_fails: bool = False


def good(authority) -> tuple[bytes, dict[str, str]]:
    return signed_request(launch_envelope(), authority.signer)


def with_headers(authority, **changes: str | None) -> tuple[bytes, dict[str, str]]:
    body, headers = good(authority)
    for name, value in changes.items():
        name = name.replace("_", "-")
        if value is None:
            headers.pop(name, None)
        else:
            headers[name] = value
    return body, headers


def with_url(authority, url: str) -> Forgery:
    body, headers = with_headers(authority, SignatureCertChainUrl=url)
    return Forgery("cert-url", body, headers)


def signed_by(authority, signer, check: str, envelope=None) -> Forgery:
    body, headers = signed_request(envelope or launch_envelope(), signer)
    return Forgery(check, body, headers, chain=signer.pem + authority.intermediate.pem)


def one_byte_changed(authority) -> Forgery:
    body, headers = good(authority)
    changed = body.replace(b'-1"', b'-2"', 1)
    assert (
        len(changed) == len(body) and sum(a != b for a, b in zip(body, changed, strict=True)) == 1
    )
    return Forgery("signature", changed, headers)


def sha1_only(authority) -> Forgery:
    body, headers = good(authority)
    del headers["Signature-256"]
    sha1 = authority.signer.key.sign(body, padding.PKCS1v15(), hashes.SHA1())
    headers["Signature"] = base64.b64encode(sha1).decode()
    return Forgery("signature-header", body, headers)


def timestamp_off(authority, seconds: int) -> Forgery:
    stamp = (NOW + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")
    body, headers = signed_request(launch_envelope(timestamp=stamp), authority.signer)
    return Forgery("timestamp", body, headers)


def wrong_application(authority) -> Forgery:
    envelope = launch_envelope()
    envelope["context"]["System"]["application"]["applicationId"] = "amzn1.ask.skill.other"
    body, headers = signed_request(envelope, authority.signer)
    return Forgery("application-id", body, headers)


def other_body_signature(authority) -> Forgery:
    body, headers = good(authority)
    headers["Signature-256"] = sign(b'{"version":"1.0"}', authority.signer.key)
    return Forgery("signature", body, headers)


def download_failure(authority) -> Forgery:
    body, headers = good(authority)
    return Forgery("cert-download", body, headers, download_fails=True)


def expired(authority) -> Forgery:
    signer = authority.signer_for(
        not_before=NOW - timedelta(days=30), not_after=NOW - timedelta(seconds=1)
    )
    return signed_by(authority, signer, "cert-dates")


def not_yet_valid(authority) -> Forgery:
    signer = authority.signer_for(not_before=NOW + timedelta(seconds=60))
    return signed_by(authority, signer, "cert-dates")


def without_san(authority) -> Forgery:
    return signed_by(authority, authority.signer_for(dns_names=()), "cert-san")


def other_san(authority) -> Forgery:
    return signed_by(authority, authority.signer_for(dns_names=("evil.example",)), "cert-san")


FORGERIES: dict[str, Callable[..., Forgery]] = {
    "no signature header": lambda a: Forgery(
        "signature-header", *with_headers(a, Signature_256=None)
    ),
    "empty signature": lambda a: Forgery("signature-header", *with_headers(a, Signature_256="")),
    "non-base64 signature": lambda a: Forgery(
        "signature-header", *with_headers(a, Signature_256="%%% not base64 %%%")
    ),
    "signature of a different body": other_body_signature,
    "body changed by one byte": one_byte_changed,
    "only the SHA-1 Signature header": sha1_only,
    "no certificate URL": lambda a: Forgery(
        "cert-url", *with_headers(a, SignatureCertChainUrl=None)
    ),
    "cert URL with http": lambda a: with_url(a, CERT_URL.replace("https:", "http:")),
    "cert URL on another host": lambda a: with_url(
        a, "https://evil.example/echo.api/echo-api-cert.pem"
    ),
    "cert URL outside /echo.api/": lambda a: with_url(
        a, "https://s3.amazonaws.com/other.api/echo-api-cert.pem"
    ),
    "cert URL escaping with /echo.api/../": lambda a: with_url(
        a, "https://s3.amazonaws.com/echo.api/../other/echo-api-cert.pem"
    ),
    "cert URL with a query string": lambda a: with_url(a, CERT_URL + "?n=1"),
    "cert URL with an empty query": lambda a: with_url(a, CERT_URL + "?"),
    "cert URL with a fragment": lambda a: with_url(a, CERT_URL + "#part"),
    "cert URL on port 8443": lambda a: with_url(
        a, "https://s3.amazonaws.com:8443/echo.api/echo-api-cert.pem"
    ),
    "expired certificate": expired,
    "not-yet-valid certificate": not_yet_valid,
    "certificate without a SAN": without_san,
    "certificate for another name": other_san,
    "download fails": download_failure,
    "timestamp 151 s old": lambda a: timestamp_off(a, -151),
    "timestamp 151 s in the future": lambda a: timestamp_off(a, 151),
    "wrong application id": wrong_application,
}


@pytest.mark.parametrize("name", FORGERIES)
def test_each_forgery_gets_400_names_the_check_and_never_reaches_the_skill(
    spy, authority, caplog, name
):
    forgery = FORGERIES[name](authority)
    chain = forgery.chain or authority.chain_pem

    def downloader(url: str, timeout: float) -> bytes:
        if forgery.download_fails:
            raise TimeoutError("timed out")
        return chain

    client = client_for(spy, authority, downloader)
    with caplog.at_level(logging.WARNING, logger="skill.web.app"):
        response = client.post("/", data=forgery.body, headers=forgery.headers)
    assert response.status_code == 400
    assert response.get_json()["error"]
    rejections = [r.getMessage() for r in caplog.records if "rejected request" in r.getMessage()]
    assert len(rejections) == 1 and f"check={forgery.check} " in rejections[0]
    assert spy.calls == 0


def test_a_chain_to_an_untrusted_root_is_refused(spy, authority, stranger, caplog):
    body, headers = signed_request(launch_envelope(), stranger.signer)
    client = client_for(spy, authority, lambda url, timeout: stranger.chain_pem)
    with caplog.at_level(logging.WARNING, logger="skill.web.app"):
        response = client.post("/", data=body, headers=headers)
    assert response.status_code == 400
    assert any("check=cert-trust" in r.getMessage() for r in caplog.records)
    assert spy.calls == 0


def test_a_chain_without_its_intermediate_is_refused(spy, authority):
    body, headers = good(authority)
    client = client_for(spy, authority, lambda url, timeout: authority.signer.pem)
    assert client.post("/", data=body, headers=headers).status_code == 400
    assert spy.calls == 0


def test_a_crash_inside_verification_is_400_not_500(spy, authority):
    class Broken(RequestVerifier):
        def verify(self, *args, **kwargs):
            raise RuntimeError("bug")

    verifier = Broken([TEST_SKILL_ID], roots=[authority.root.cert])
    app = create_app(skill=spy, settings=Settings(skill_ids=(TEST_SKILL_ID,)), verifier=verifier)
    body, headers = good(authority)
    assert app.test_client().post("/", data=body, headers=headers).status_code == 400
    assert spy.calls == 0


def test_the_cached_certificate_serves_later_requests_without_a_download(spy, authority):
    urls: list[str] = []

    def downloader(url: str, timeout: float) -> bytes:
        urls.append(url)
        return authority.chain_pem

    client = client_for(spy, authority, downloader)
    for _ in range(3):
        body, headers = good(authority)
        assert client.post("/", data=body, headers=headers).status_code == 200
    assert urls == [CERT_URL]


# --- start-up ---


def test_production_mode_without_skill_ids_refuses_to_start(spy):
    with pytest.raises(ConfigurationError, match="ANKLE_COACH_SKILL_IDS"):
        create_app(skill=spy, settings=Settings())


def test_production_mode_starts_with_skill_ids_and_certifis_roots(spy):
    app = create_app(skill=spy, settings=Settings(skill_ids=(TEST_SKILL_ID,)))
    assert app.test_client().get("/health").status_code == 200
    roots = {root.subject.rfc4514_string() for root in load_roots()}
    assert "CN=Amazon Root CA 1,O=Amazon,C=US" in roots  # where echo-api.amazon.com chains


def test_a_missing_ca_bundle_is_a_start_up_error(spy, tmp_path):
    settings = Settings(skill_ids=(TEST_SKILL_ID,), ca_bundle=str(tmp_path / "absent.pem"))
    with pytest.raises(ConfigurationError, match="ANKLE_COACH_CA_BUNDLE"):
        create_app(skill=spy, settings=settings)


def test_the_dev_setting_is_read_only_from_the_environment():
    assert Settings.from_env({}).dev_skip_verification is False
    assert Settings.from_env({"ANKLE_COACH_DEV_SKIP_VERIFICATION": "1"}).dev_skip_verification
    assert Settings.from_env({"ANKLE_COACH_CA_BUNDLE": "/x.pem"}).ca_bundle == "/x.pem"
