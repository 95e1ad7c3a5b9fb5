"""Attacks on the web service with verification on, next to the forgeries of
test_verification_web.py: the test CA plays Amazon's, and `tests/fake_s3.py` plays S3
behind a CONNECT proxy, so the real downloader runs over real TLS, offline.

Each case comes from issue 13: a dripping certificate server, a redirect, an unsigned
tail after a signed body sent chunked, deep nesting, huge integers, query-string URLs.
"""

from __future__ import annotations

import io
import logging
import socket
import threading
import time

import pytest

from skill.chat.simulator import TEST_SKILL_ID, Conversation
from skill.config import Settings
from skill.web.app import create_app
from skill.web.verification import Rejected, RequestVerifier, download_chain
from tests.certs import CERT_URL, make_authority, signed_request
from tests.fake_s3 import fake_s3

BASE = "https://s3.amazonaws.com/echo.api/"


@pytest.fixture(scope="module")
def authority():
    return make_authority()


@pytest.fixture(scope="module")
def s3(authority):
    with fake_s3(authority) as fake:
        yield fake


@pytest.fixture
def through_s3(s3, monkeypatch):
    """The process downloads through the fake S3, trusting only the test root."""
    for name, value in s3.env().items():
        monkeypatch.setenv(name, value)
    return s3


class Recording:
    """The real downloader, counting its calls."""

    def __init__(self, timeout_override: float | None = None) -> None:
        self.urls: list[str] = []
        self.timeout_override = timeout_override

    def __call__(self, url: str, timeout: float) -> bytes:
        self.urls.append(url)
        return download_chain(url, self.timeout_override or timeout)


def app_client(authority, downloader, timeout: float = 2.0):
    verifier = RequestVerifier(
        [TEST_SKILL_ID], roots=[authority.root.cert], downloader=downloader, timeout=timeout
    )
    settings = Settings(skill_ids=(TEST_SKILL_ID,))
    return create_app(settings=settings, verifier=verifier).test_client()


def launch(**extra) -> dict:
    envelope = Conversation(send=lambda e: {}).envelope({"type": "LaunchRequest"})
    envelope.update(extra)
    return envelope


def test_the_real_downloader_gets_the_chain_through_the_fake_s3(authority, through_s3):
    assert download_chain(CERT_URL, 2.0) == authority.chain_pem


def test_a_signed_request_is_answered_through_the_fake_s3(authority, through_s3):
    body, headers = signed_request(launch(), authority.signer)
    reply = app_client(authority, Recording()).post("/", data=body, headers=headers)
    assert reply.status_code == 200


def test_a_dripping_certificate_server_is_cut_off_at_the_total_deadline(authority, through_s3):
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        download_chain(BASE + "drip.pem", 0.6)
    assert time.monotonic() - started < 1.2  # per-read timeouts alone would take minutes


def test_a_dripping_download_is_a_400_well_within_the_worker_timeout(authority, through_s3, caplog):
    body, headers = signed_request(launch(), authority.signer, url=BASE + "drip.pem")
    client = app_client(authority, Recording(), timeout=0.6)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="skill.web.app"):
        reply = client.post("/", data=body, headers=headers)
    assert time.monotonic() - started < 1.5
    assert reply.status_code == 400
    assert reply.get_json() == {"error": "certificate could not be downloaded"}
    assert any("check=cert-download" in r.getMessage() for r in caplog.records)


def test_a_redirect_from_the_certificate_host_is_refused(authority, through_s3):
    with pytest.raises(OSError, match="302"):
        download_chain(BASE + "redirect.pem", 2.0)
    body, headers = signed_request(launch(), authority.signer, url=BASE + "redirect.pem")
    reply = app_client(authority, Recording()).post("/", data=body, headers=headers)
    assert reply.status_code == 400
    assert not [t for t in through_s3.targets if "127.0.0.1:9" in t], "the redirect was followed"


def test_a_bad_url_costs_one_download_however_often_it_is_sent(authority, through_s3):
    downloader = Recording()
    client = app_client(authority, downloader)
    for _ in range(5):
        body, headers = signed_request(launch(), authority.signer, url=BASE + "redirect.pem")
        assert client.post("/", data=body, headers=headers).status_code == 400
    assert downloader.urls == [BASE + "redirect.pem"]


def test_query_string_urls_are_refused_without_any_download(authority, caplog):
    downloader = Recording()
    client = app_client(authority, downloader)
    with caplog.at_level(logging.WARNING, logger="skill.web.app"):
        for number in range(20):
            url = f"{CERT_URL}?n={number}"
            body, headers = signed_request(launch(), authority.signer, url=url)
            assert client.post("/", data=body, headers=headers).status_code == 400
        body, headers = signed_request(launch(), authority.signer, url=CERT_URL + "#x")
        assert client.post("/", data=body, headers=headers).status_code == 400
    assert downloader.urls == []
    assert sum("check=cert-url" in r.getMessage() for r in caplog.records) == 21


def test_an_unsigned_tail_after_a_signed_body_sent_chunked_is_refused(authority):
    """The signed part fills the size limit; the tail would be dropped by a cut stream."""
    limit = Settings().max_body_bytes
    envelope = launch(pad="")
    size = len(signed_request(envelope, authority.signer)[0])
    envelope["pad"] = "x" * (limit - size)
    body, headers = signed_request(envelope, authority.signer)
    assert len(body) == limit
    client = app_client(authority, lambda url, timeout: authority.chain_pem)
    signed_alone = client.post(
        "/",
        input_stream=io.BytesIO(body),
        headers={**headers, "Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert signed_alone.status_code == 200  # the genuine body, chunked, is fine
    tail = b' {"request": "forged"}'
    reply = client.post(
        "/",
        input_stream=io.BytesIO(body + tail),
        headers={**headers, "Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert reply.status_code == 400
    assert reply.get_json() == {"error": "request body too large"}


@pytest.mark.parametrize(
    "body",
    [
        b'{"version":"1.0","request":' + b"[" * 30000 + b"]" * 30000 + b"}",
        b'{"version":"1.0","request":{"n":' + b"9" * 5000 + b"}}",
        b'{"version":"1.0","request":{"n":NaN}}',
    ],
    ids=["deep nesting", "huge integer", "NaN"],
)
def test_unreadable_bodies_are_refused_before_any_download(authority, caplog, body):
    downloader = Recording()
    headers = {"Content-Type": "application/json", "Signature-256": "AAAA"}
    headers["SignatureCertChainUrl"] = CERT_URL
    with caplog.at_level(logging.INFO):
        reply = app_client(authority, downloader).post("/", data=body, headers=headers)
    assert reply.status_code == 400 and downloader.urls == []
    assert not [r for r in caplog.records if r.exc_info]
    assert "Traceback" not in reply.get_data(as_text=True)


def test_a_rejection_never_echoes_exception_text(authority):
    def failing(url: str, timeout: float) -> bytes:
        raise OSError("[SSL: CERTIFICATE_VERIFY_FAILED] <internal detail>")

    body, headers = signed_request(launch(), authority.signer)
    reply = app_client(authority, failing).post("/", data=body, headers=headers)
    assert reply.get_json() == {"error": "certificate could not be downloaded"}


def test_each_check_has_one_fixed_reason():
    from skill.web.verification import REASONS

    for check, reason in REASONS.items():
        assert Rejected(check, "any detail").reason == reason


def test_a_name_lookup_that_hangs_is_cut_off_at_the_total_deadline(monkeypatch):
    """The resolver has no timeout of its own; the download's deadline bounds it."""
    released = threading.Event()

    def hanging_lookup(*args, **kwargs):
        released.wait(10)
        raise OSError("lookup released")

    monkeypatch.setattr(socket, "getaddrinfo", hanging_lookup)
    monkeypatch.delenv("https_proxy", raising=False)
    monkeypatch.delenv("HTTPS_PROXY", raising=False)
    started = time.monotonic()
    try:
        with pytest.raises(TimeoutError, match="resolving"):
            download_chain(BASE + "echo-api-cert.pem", 0.4)
        assert time.monotonic() - started < 1.0
    finally:
        released.set()
