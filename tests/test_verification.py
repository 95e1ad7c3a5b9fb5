"""Alexa request verification, rule by rule, offline: a test CA stands in for Amazon's."""

from __future__ import annotations

import socket
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from skill.web.verification import (
    Rejected,
    RequestVerifier,
    SignerCache,
    TrustedSigner,
    check_cert_url,
    check_timestamp,
    decode_signature,
    download_chain,
    validate_chain,
)
from tests.certs import CERT_URL, make_authority, signed_request

SKILL_ID = "amzn1.ask.skill.test"
NOW = datetime(2026, 6, 1, 12, 0, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def authority():
    return make_authority()


class RecordingDownloader:
    """Serves one PEM chain and counts how often it was asked."""

    def __init__(self, pem: bytes) -> None:
        self.pem = pem
        self.urls: list[str] = []

    def __call__(self, url: str, timeout: float) -> bytes:
        self.urls.append(url)
        return self.pem


def envelope_at(stamp: datetime, skill_id: str = SKILL_ID) -> dict:
    return {
        "version": "1.0",
        "context": {"System": {"application": {"applicationId": skill_id}}},
        "request": {
            "type": "LaunchRequest",
            "requestId": "r1",
            "timestamp": stamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
    }


def verifier_for(authority, downloader=None, **options) -> RequestVerifier:
    downloader = downloader or RecordingDownloader(authority.chain_pem)
    return RequestVerifier(
        [SKILL_ID], roots=[authority.root.cert], downloader=downloader, **options
    )


# --- the certificate URL ---

GOOD_URLS = [
    "https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem",
    "HTTPS://s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "https://S3.AMAZONAWS.COM/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem",
]
BAD_URLS = [
    "http://s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "https://notamazon.com/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com.evil.example/echo.api/echo-api-cert.pem",
    "https://user@s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem",
    "https://s3.amazonaws.com/invalid.path/echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api/../invalid.path/echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api/%2e%2e/invalid.path/echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api",
    "https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com:notaport/echo.api/echo-api-cert.pem",
    "",
    None,
]


@pytest.mark.parametrize("url", GOOD_URLS)
def test_amazons_certificate_urls_pass(url):
    check_cert_url(url)


@pytest.mark.parametrize("url", BAD_URLS)
def test_other_certificate_urls_are_rejected(url):
    with pytest.raises(Rejected) as caught:
        check_cert_url(url)
    assert caught.value.check == "cert-url"


# --- the signature header ---


@pytest.mark.parametrize("value", [None, "", "   ", "not base64!", "abc"])
def test_missing_empty_or_garbled_signature_headers_are_rejected(value):
    with pytest.raises(Rejected) as caught:
        decode_signature(value)
    assert caught.value.check == "signature-header"


# --- the timestamp ---


@pytest.mark.parametrize("offset", [0, 150, -150, 30])
def test_timestamps_within_150_seconds_pass(offset):
    check_timestamp(envelope_at(NOW + timedelta(seconds=offset)), NOW)


@pytest.mark.parametrize("offset", [151, -151, 3600])
def test_timestamps_beyond_150_seconds_are_rejected(offset):
    with pytest.raises(Rejected) as caught:
        check_timestamp(envelope_at(NOW + timedelta(seconds=offset)), NOW)
    assert caught.value.check == "timestamp"


def test_an_unreadable_timestamp_is_rejected():
    envelope = envelope_at(NOW)
    envelope["request"]["timestamp"] = "yesterday"
    with pytest.raises(Rejected):
        check_timestamp(envelope, NOW)


# --- the certificate chain ---


def test_a_chain_to_the_trusted_root_gives_the_signing_key(authority):
    from cryptography.x509.verification import Store

    signer = validate_chain(authority.chain_pem, Store([authority.root.cert]), datetime.now(UTC))
    assert signer.key.public_numbers() == authority.signer.key.public_key().public_numbers()
    assert signer.expires == min(
        c.cert.not_valid_after_utc
        for c in (authority.root, authority.intermediate, authority.signer)
    )


def test_garbage_instead_of_a_chain_is_rejected(authority):
    from cryptography.x509.verification import Store

    with pytest.raises(Rejected) as caught:
        validate_chain(
            b"<html>not a certificate</html>", Store([authority.root.cert]), datetime.now(UTC)
        )
    assert caught.value.check == "cert-chain"


# --- the cache ---


def signed(authority, stamp: datetime | None = None):
    stamp = stamp or datetime.now(UTC)
    envelope = envelope_at(stamp)
    body, headers = signed_request(envelope, authority.signer)
    return headers, body, envelope


def test_a_cached_certificate_costs_no_network_call(authority):
    downloader = RecordingDownloader(authority.chain_pem)
    verifier = verifier_for(authority, downloader)
    for _ in range(5):
        verifier.verify(*signed(authority))
    assert downloader.urls == [CERT_URL]


def test_the_cache_is_by_url(authority):
    downloader = RecordingDownloader(authority.chain_pem)
    verifier = verifier_for(authority, downloader)
    other = "https://s3.amazonaws.com/echo.api/echo-api-cert-7.pem"
    headers, body, envelope = signed(authority)
    verifier.verify(headers, body, envelope)
    verifier.verify({**headers, "SignatureCertChainUrl": other}, body, envelope)
    verifier.verify({**headers, "SignatureCertChainUrl": other}, body, envelope)
    assert downloader.urls == [CERT_URL, other]


def test_a_cached_certificate_is_fetched_again_once_it_expires(authority):
    downloader = RecordingDownloader(authority.chain_pem)
    verifier = verifier_for(authority, downloader)
    verifier.verify(*signed(authority))
    later = authority.signer.cert.not_valid_after_utc + timedelta(seconds=1)
    with pytest.raises(Rejected) as caught:
        verifier.verify(*signed(authority, later), now=later)
    assert caught.value.check == "cert-dates"
    assert len(downloader.urls) == 2


def test_the_cache_is_bounded(authority):
    cache = SignerCache(size=3)
    signer = TrustedSigner(authority.signer.key.public_key(), NOW, NOW + timedelta(days=1))
    for number in range(10):
        cache.put(f"url{number}", signer)
    assert len(cache) == 3
    assert cache.get("url9", NOW) is signer and cache.get("url0", NOW) is None


def flaky_downloader(authority, failures: int):
    calls: list[str] = []

    def flaky(url: str, timeout: float) -> bytes:
        calls.append(url)
        if len(calls) <= failures:
            raise OSError("connection refused\nforged line")
        return authority.chain_pem

    return flaky, calls


def test_a_failed_download_is_remembered_briefly_then_tried_again(authority):
    flaky, calls = flaky_downloader(authority, failures=1)
    verifier = verifier_for(authority, flaky, failure_seconds=0.2)
    for _ in range(3):
        with pytest.raises(Rejected) as caught:
            verifier.verify(*signed(authority))
        assert caught.value.check == "cert-download"
    assert len(calls) == 1  # one download for three requests
    time.sleep(0.25)
    verifier.verify(*signed(authority))
    assert len(calls) == 2


def test_a_failed_download_costs_one_download_per_minute_by_default(authority):
    flaky, calls = flaky_downloader(authority, failures=100)
    verifier = verifier_for(authority, flaky)
    for _ in range(20):
        with pytest.raises(Rejected):
            verifier.verify(*signed(authority))
    assert calls == [CERT_URL]


def test_the_reason_is_fixed_and_the_details_stay_in_the_log(authority):
    flaky, _ = flaky_downloader(authority, failures=1)
    with pytest.raises(Rejected) as caught:
        verifier_for(authority, flaky).verify(*signed(authority))
    assert caught.value.reason == "certificate could not be downloaded"
    assert "connection refused" in caught.value.detail


def test_an_untrusted_chain_is_remembered_as_a_failure(authority):
    downloader = RecordingDownloader(make_authority("Stranger CA").chain_pem)
    verifier = verifier_for(authority, downloader)
    for _ in range(2):
        with pytest.raises(Rejected) as caught:
            verifier.verify(*signed(authority))
        assert caught.value.check == "cert-trust"
    assert len(downloader.urls) == 1


def test_remembered_failures_are_bounded(authority):
    cache = SignerCache(size=3)
    for number in range(10):
        cache.put_failure(f"url{number}", Rejected("cert-download", "x"))
    assert cache.failure("url9") is not None and cache.failure("url0") is None


def test_verification_needs_a_skill_id(authority):
    with pytest.raises(ValueError):
        RequestVerifier([], roots=[authority.root.cert])


# --- the real downloader ---


@pytest.fixture
def silent_server():
    """A TCP server that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.getsockname()[1]}/echo.api/cert.pem"
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    server.close()


def test_the_downloader_gives_up_after_its_timeout(silent_server):
    started = datetime.now(UTC)
    with pytest.raises(TimeoutError):
        download_chain(silent_server, timeout=0.3)
    assert datetime.now(UTC) - started < timedelta(seconds=2)


def test_a_download_that_times_out_is_a_rejection(authority, silent_server):
    def slow(url: str, timeout: float) -> bytes:
        return download_chain(silent_server, timeout=timeout)

    verifier = verifier_for(authority, slow, timeout=0.3)
    with pytest.raises(Rejected) as caught:
        verifier.verify(*signed(authority))
    assert caught.value.check == "cert-download"
