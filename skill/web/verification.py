"""Proof that a request really comes from Alexa, by Amazon's rules for web-service skills.

Pure functions over the request headers, the raw body bytes and the current time; no web
framework here, so every rule is tested on its own. The certificate chain comes from the
URL Amazon names in `SignatureCertChainUrl`, is validated with `cryptography`'s X.509 path
validation against trusted roots (`certifi` by default), and is cached by URL until it
expires: after the first request per URL, verification makes no network call.

The trust roots and the downloader are constructor arguments, chosen by the server's own
code and settings; nothing in a request can change them.
"""

from __future__ import annotations

import base64
import binascii
import posixpath
import re
import threading
import time
import warnings
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.oid import ExtensionOID
from cryptography.x509.verification import DNSName, PolicyBuilder, Store, VerificationError

from skill.web.download import download

SIGNATURE_HEADER = "Signature-256"
CERT_URL_HEADER = "SignatureCertChainUrl"
CERT_HOST = "s3.amazonaws.com"
CERT_PATH_PREFIX = "/echo.api/"
SIGNER_NAME = "echo-api.amazon.com"
TIMESTAMP_TOLERANCE = timedelta(seconds=150)
DOWNLOAD_TIMEOUT_SECONDS = 2.0
MAX_CHAIN_BYTES = 64 * 1024
CACHE_SIZE = 16
FAILURE_SECONDS = 60.0
PEM_BLOCK = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.DOTALL)

Downloader = Callable[[str, float], bytes]
"""(url, timeout in seconds) -> the PEM bytes; raises on any failure."""


REASONS = {
    "signature-header": "missing or unreadable Signature-256 header",
    "cert-url": "certificate URL is not Amazon's",
    "timestamp": "request timestamp is not within 150 s of now",
    "application-id": "request is for another skill",
    "cert-download": "certificate could not be downloaded",
    "cert-chain": "certificate chain is unreadable",
    "cert-dates": "signing certificate is not valid now",
    "cert-san": "signing certificate is not for echo-api.amazon.com",
    "cert-trust": "certificate chain is not trusted",
    "signature": "signature does not match the body",
}
"""The reason a client is told, one fixed string per check; the details go to the log."""


class Rejected(Exception):
    """A request that failed verification: `check` names the rule; `reason` is the fixed
    string the client gets, `detail` what exactly failed (for the log only)."""

    def __init__(self, check: str, detail: str) -> None:
        super().__init__(f"{check}: {detail}")
        self.check = check
        self.reason = REASONS[check]
        self.detail = detail


def download_chain(url: str, timeout: float = DOWNLOAD_TIMEOUT_SECONDS) -> bytes:
    """Fetch the PEM chain: `timeout` seconds in all (connect, TLS, headers and body), no
    redirects, at most MAX_CHAIN_BYTES."""
    return download(url, timeout, MAX_CHAIN_BYTES)


def load_roots(ca_bundle: str | Path | None = None) -> list[x509.Certificate]:
    """Trust roots: `certifi`'s bundle, or a PEM file set by the operator (tests, private CAs)."""
    if ca_bundle is None:
        import certifi

        ca_bundle = certifi.where()
    text = Path(ca_bundle).read_bytes()
    roots = []
    for block in PEM_BLOCK.findall(text):
        with warnings.catch_warnings():
            # certifi still ships a root with a non-positive serial number; newer
            # `cryptography` refuses it. Skip such roots rather than fail to start.
            warnings.simplefilter("ignore", CryptographyDeprecationWarning)
            try:
                roots.append(x509.load_pem_x509_certificate(block))
            except ValueError:
                continue
    if not roots:
        raise ValueError(f"no certificates in {ca_bundle}")
    return roots


def check_cert_url(url: str | None) -> None:
    """Amazon's URL rules: https, s3.amazonaws.com, port 443, a path under /echo.api/."""
    if not url:
        raise Rejected("cert-url", f"missing {CERT_URL_HEADER} header")
    if "?" in url or "#" in url:
        raise Rejected("cert-url", "certificate URL has a query or fragment")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise Rejected("cert-url", "certificate URL cannot be parsed") from None
    if parts.scheme.lower() != "https":
        raise Rejected("cert-url", "certificate URL is not https")
    if (parts.hostname or "").lower() != CERT_HOST or parts.username or parts.password:
        raise Rejected("cert-url", f"certificate URL host is not {CERT_HOST}")
    if port not in (None, 443):
        raise Rejected("cert-url", "certificate URL port is not 443")
    path = posixpath.normpath(unquote(parts.path)) if parts.path else ""
    if not path.startswith(CERT_PATH_PREFIX):
        raise Rejected("cert-url", f"certificate URL path is not under {CERT_PATH_PREFIX}")


def decode_signature(value: str | None) -> bytes:
    if value is None:
        raise Rejected("signature-header", f"missing {SIGNATURE_HEADER} header")
    try:
        signature = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise Rejected("signature-header", f"{SIGNATURE_HEADER} is not base64") from None
    if not signature:
        raise Rejected("signature-header", f"{SIGNATURE_HEADER} is empty")
    return signature


def check_timestamp(envelope: Mapping[str, Any], now: datetime) -> None:
    raw = (envelope.get("request") or {}).get("timestamp")
    try:
        stamp = datetime.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        stamp = None
    if stamp is None:
        raise Rejected("timestamp", "request timestamp is missing or unreadable")
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    try:
        off = abs(now - stamp)
    except OverflowError:  # year 1 at +01:00 is before the time line starts
        off = timedelta.max
    if off > TIMESTAMP_TOLERANCE:
        raise Rejected("timestamp", "request timestamp is more than 150 s from now")


def application_id(envelope: Mapping[str, Any]) -> str | None:
    system = (envelope.get("context") or {}).get("System") or {}
    value = (system.get("application") or {}).get("applicationId")
    return value if isinstance(value, str) else None


def check_application(envelope: Mapping[str, Any], skill_ids: Sequence[str]) -> None:
    if application_id(envelope) not in skill_ids:
        raise Rejected("application-id", "request is for another skill")


def _dns_names(cert: x509.Certificate) -> list[str]:
    try:
        san = cert.extensions.get_extension_for_oid(ExtensionOID.SUBJECT_ALTERNATIVE_NAME)
    except x509.ExtensionNotFound:
        return []
    return [name.lower() for name in san.value.get_values_for_type(x509.DNSName)]


@dataclass(frozen=True)
class TrustedSigner:
    """A validated signing key, good from `not_before` until the chain's first expiry."""

    key: rsa.RSAPublicKey
    not_before: datetime
    expires: datetime

    def usable_at(self, now: datetime) -> bool:
        return self.not_before <= now < self.expires


def validate_chain(pem: bytes, store: Store, now: datetime) -> TrustedSigner:
    """The signing certificate's dates, its SAN, and its path to a trusted root, at `now`."""
    try:
        certs = x509.load_pem_x509_certificates(pem)
    except ValueError:
        raise Rejected("cert-chain", "certificate chain is not PEM") from None
    leaf, intermediates = certs[0], certs[1:]
    if now < leaf.not_valid_before_utc:
        raise Rejected("cert-dates", "signing certificate is not valid yet")
    if now >= leaf.not_valid_after_utc:
        raise Rejected("cert-dates", "signing certificate has expired")
    if SIGNER_NAME not in _dns_names(leaf):
        raise Rejected("cert-san", f"signing certificate is not for {SIGNER_NAME}")
    verifier = PolicyBuilder().store(store).time(now).build_server_verifier(DNSName(SIGNER_NAME))
    try:
        path = verifier.verify(leaf, intermediates)
    except VerificationError as error:
        raise Rejected("cert-trust", f"certificate chain is not trusted: {error}") from None
    key = leaf.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise Rejected("cert-chain", "signing certificate has no RSA key")
    return TrustedSigner(
        key=key,
        not_before=max(cert.not_valid_before_utc for cert in path),
        expires=min(cert.not_valid_after_utc for cert in path),
    )


class SignerCache:
    """Validated signers by certificate URL, at most `size` of them, dropped at expiry;
    and failed URLs, at most `size` of them, remembered for FAILURE_SECONDS.

    A failed download or an invalid chain is tried again only after that pause, so a bad
    URL costs one download per worker per minute, however often it is sent.
    """

    def __init__(self, size: int = CACHE_SIZE, failure_seconds: float = FAILURE_SECONDS) -> None:
        self._size = size
        self._failure_seconds = failure_seconds
        self._entries: OrderedDict[str, TrustedSigner] = OrderedDict()
        self._failures: OrderedDict[str, tuple[float, Rejected]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, url: str, now: datetime) -> TrustedSigner | None:
        with self._lock:
            signer = self._entries.get(url)
            if signer is None:
                return None
            if not signer.usable_at(now):
                del self._entries[url]
                return None
            self._entries.move_to_end(url)
            return signer

    def put(self, url: str, signer: TrustedSigner) -> None:
        with self._lock:
            self._failures.pop(url, None)
            self._entries[url] = signer
            self._entries.move_to_end(url)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)

    def failure(self, url: str) -> Rejected | None:
        """The rejection a URL earned less than FAILURE_SECONDS ago, if any."""
        with self._lock:
            remembered = self._failures.get(url)
            if remembered is None:
                return None
            until, rejection = remembered
            if time.monotonic() >= until:
                del self._failures[url]
                return None
            return rejection

    def put_failure(self, url: str, rejection: Rejected) -> None:
        with self._lock:
            self._failures[url] = (time.monotonic() + self._failure_seconds, rejection)
            self._failures.move_to_end(url)
            while len(self._failures) > self._size:
                self._failures.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


class RequestVerifier:
    """Every check Amazon requires of a web-service skill, in one `verify` call.

    Cheap checks run first (headers, URL, timestamp, application id), so a junk request
    never causes a download; then the signer (cached, or downloaded once) and the signature.
    """

    def __init__(
        self,
        skill_ids: Sequence[str],
        roots: Sequence[x509.Certificate] | None = None,
        downloader: Downloader = download_chain,
        cache_size: int = CACHE_SIZE,
        timeout: float = DOWNLOAD_TIMEOUT_SECONDS,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        failure_seconds: float = FAILURE_SECONDS,
    ) -> None:
        if not skill_ids:
            raise ValueError("request verification needs at least one skill id")
        self.skill_ids = tuple(skill_ids)
        self._store = Store(list(roots) if roots is not None else load_roots())
        self._download = downloader
        self._timeout = timeout
        self._clock = clock
        self.cache = SignerCache(cache_size, failure_seconds)

    def signer(self, url: str, now: datetime) -> TrustedSigner:
        cached = self.cache.get(url, now)
        if cached is not None:
            return cached
        failed = self.cache.failure(url)
        if failed is not None:
            raise Rejected(failed.check, f"{failed.detail} (remembered, not downloaded again)")
        try:
            signer = self._fetch(url, now)
        except Rejected as rejection:
            self.cache.put_failure(url, rejection)
            raise
        self.cache.put(url, signer)
        return signer

    def _fetch(self, url: str, now: datetime) -> TrustedSigner:
        try:
            pem = self._download(url, self._timeout)
        except Exception as error:  # any failure to fetch is a rejection, never a crash
            raise Rejected("cert-download", f"download failed: {error!r}") from None
        return validate_chain(pem, self._store, now)

    def verify(
        self,
        headers: Mapping[str, str],
        body: bytes,
        envelope: Mapping[str, Any],
        now: datetime | None = None,
    ) -> None:
        """Return quietly for a genuine Alexa request; raise `Rejected` otherwise.

        `body` is the raw bytes exactly as received; `envelope` is that body parsed.
        """
        now = now or self._clock()
        lowered = {name.lower(): value for name, value in headers.items()}
        signature = decode_signature(lowered.get(SIGNATURE_HEADER.lower()))
        url = lowered.get(CERT_URL_HEADER.lower())
        check_cert_url(url)
        check_timestamp(envelope, now)
        check_application(envelope, self.skill_ids)
        signer = self.signer(url, now)  # type: ignore[arg-type]  (checked above)
        try:
            signer.key.verify(signature, body, padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            raise Rejected("signature", "signature does not match the body") from None
