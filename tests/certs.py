"""A test certificate authority, and requests signed the way Alexa signs them.

Tests and the benchmark use these instead of Amazon's real chain, so everything runs
offline: the test root is handed to the verifier as its only trusted root.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-test.pem"
SIGNER_NAME = "echo-api.amazon.com"


@dataclass(frozen=True)
class Issued:
    cert: x509.Certificate
    key: rsa.RSAPrivateKey

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


@cache
def _key(label: str) -> rsa.RSAPrivateKey:
    """One RSA key per role, made once per process (2048-bit keys take a moment)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def issue(
    common_name: str,
    issuer: Issued | None = None,
    *,
    ca: bool = False,
    dns_names: tuple[str, ...] = (),
    not_before: datetime | None = None,
    not_after: datetime | None = None,
    key_label: str | None = None,
) -> Issued:
    """A certificate with the extensions a WebPKI path validator expects.

    `issuer=None` makes a self-signed root.
    """
    now = datetime.now(UTC)
    key = _key(key_label or common_name)
    signer_key = issuer.key if issuer else key
    issuer_name = issuer.cert.subject if issuer else _name(common_name)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - timedelta(days=1))
        .not_valid_after(not_after or now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False,
        )
    if ca:
        usage = dict.fromkeys(
            (
                "digital_signature",
                "content_commitment",
                "key_encipherment",
                "data_encipherment",
                "key_agreement",
                "encipher_only",
                "decipher_only",
            ),
            False,
        )
        builder = builder.add_extension(
            x509.KeyUsage(**usage, key_cert_sign=True, crl_sign=True), critical=True
        )
    else:
        usage = dict.fromkeys(
            (
                "content_commitment",
                "data_encipherment",
                "key_agreement",
                "key_cert_sign",
                "crl_sign",
                "encipher_only",
                "decipher_only",
            ),
            False,
        )
        builder = builder.add_extension(
            x509.KeyUsage(**usage, digital_signature=True, key_encipherment=True), critical=True
        ).add_extension(
            x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
            ),
            critical=False,
        )
    if dns_names:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(name) for name in dns_names]), critical=False
        )
    return Issued(builder.sign(signer_key, hashes.SHA256()), key)


@dataclass(frozen=True)
class Authority:
    """A root, an intermediate under it, and an echo-api.amazon.com signing certificate."""

    root: Issued
    intermediate: Issued
    signer: Issued

    @property
    def chain_pem(self) -> bytes:
        """What Amazon serves at the certificate URL: the signer, then the intermediate."""
        return self.signer.pem + self.intermediate.pem

    def signer_for(self, **changes: Any) -> Issued:
        """Another signing certificate from the same intermediate, e.g. an expired one."""
        options: dict[str, Any] = {"dns_names": (SIGNER_NAME,), "key_label": "signer"}
        options.update(changes)
        return issue("Test Echo API", self.intermediate, **options)


def make_authority(name: str = "Test Root CA") -> Authority:
    root = issue(name, ca=True)
    intermediate = issue(f"{name} Intermediate", root, ca=True)
    signer = issue(
        "Test Echo API", intermediate, dns_names=(SIGNER_NAME,), key_label=f"{name} signer"
    )
    return Authority(root, intermediate, signer)


def sign(body: bytes, key: rsa.RSAPrivateKey) -> str:
    """The `Signature-256` header value for these exact body bytes."""
    signature = key.sign(body, padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(signature).decode("ascii")


def signed_request(
    envelope: dict[str, Any], signer: Issued, url: str = CERT_URL
) -> tuple[bytes, dict[str, str]]:
    """The body bytes and the headers Alexa would send with them."""
    body = json.dumps(envelope).encode("utf-8")
    headers = {
        "Content-Type": "application/json",
        "Signature-256": sign(body, signer.key),
        "SignatureCertChainUrl": url,
    }
    return body, headers
