"""Download Alexa's certificate chain under one hard deadline for the whole exchange.

A socket timeout bounds each read, not the download: a server that drips a byte a
second never trips it, and would hold a worker past gunicorn's own timeout. Here every
socket operation (connect, proxy CONNECT, TLS handshake, headers, body) first sets its
timeout to what is left of a single deadline, and fails once it has passed. The
standard library's `http.client` does the HTTP; only the sockets are ours.

No redirect is followed (anything but 200 fails), bodies over `max_bytes` fail, and
`https_proxy`/`no_proxy` are honoured. DNS resolution has no timeout of its own in the
standard library (the system resolver's, 5 s by default, per attempt), so it runs on a
daemon thread and the download waits for it only until the deadline.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import time
import urllib.request
from base64 import b64encode
from typing import Any
from urllib.parse import unquote, urlsplit


class DeadlinePassed(TimeoutError):
    """The download's total time ran out."""


class _Deadline:
    """Mixed into a socket class: each read or write is bounded by what is left."""

    deadline: float = float("inf")

    def _arm(self) -> None:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise DeadlinePassed("certificate download took too long")
        self.settimeout(remaining)  # type: ignore[attr-defined]

    def recv(self, *args: Any, **kwargs: Any) -> Any:
        self._arm()
        return super().recv(*args, **kwargs)  # type: ignore[misc]

    def recv_into(self, *args: Any, **kwargs: Any) -> Any:
        self._arm()
        return super().recv_into(*args, **kwargs)  # type: ignore[misc]

    def send(self, *args: Any, **kwargs: Any) -> Any:
        self._arm()
        return super().send(*args, **kwargs)  # type: ignore[misc]

    def sendall(self, *args: Any, **kwargs: Any) -> Any:
        self._arm()
        return super().sendall(*args, **kwargs)  # type: ignore[misc]


class _DeadlineSocket(_Deadline, socket.socket):
    pass


class _DeadlineTLSSocket(_Deadline, ssl.SSLSocket):
    pass


def _resolve(host: str, port: int, deadline: float) -> list[Any]:
    """`socket.getaddrinfo`, given up on at the deadline.

    A lookup cannot be cancelled: one that outlives the deadline finishes on its own
    daemon thread and is dropped. Certificates are cached, so lookups are rare.
    """
    outcome: dict[str, Any] = {}
    finished = threading.Event()

    def lookup() -> None:
        try:
            outcome["addresses"] = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)
        except OSError as failure:
            outcome["error"] = failure
        finally:
            finished.set()

    threading.Thread(target=lookup, name="cert-dns", daemon=True).start()
    if not finished.wait(max(0.0, deadline - time.monotonic())):
        raise DeadlinePassed(f"resolving {host} took too long")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["addresses"]


def _connect(address: tuple[str, int], deadline: float) -> socket.socket:
    """`socket.create_connection`, with our socket class and the deadline."""
    error: OSError | None = None
    host, port = address
    for family, kind, proto, _, sockaddr in _resolve(host, port, deadline):
        sock = _DeadlineSocket(family, kind, proto)
        sock.deadline = deadline
        try:
            sock._arm()
            sock.connect(sockaddr)
            return sock
        except OSError as failure:
            sock.close()
            error = failure
    raise error or OSError(f"cannot resolve {host}")


class _Connection(http.client.HTTPSConnection):
    """HTTPS whose every socket operation, handshake included, ends by the deadline."""

    def __init__(self, host: str, port: int, deadline: float, context: ssl.SSLContext) -> None:
        super().__init__(host, port, context=context)
        self.deadline = deadline

    def connect(self) -> None:
        self.sock = _connect((self.host, self.port), self.deadline)
        if self._tunnel_host:
            self._tunnel()
        self.sock._arm()  # the handshake is one call, bounded by the socket's timeout
        server_hostname = self._tunnel_host or self.host
        self.sock = self._context.wrap_socket(self.sock, server_hostname=server_hostname)
        self.sock.deadline = self.deadline


def _tls_context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.sslsocket_class = _DeadlineTLSSocket
    return context


def _open(host: str, port: int, deadline: float) -> _Connection:
    proxy = urllib.request.getproxies().get("https")
    if not proxy or urllib.request.proxy_bypass(host):
        return _Connection(host, port, deadline, _tls_context())
    parts = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    connection = _Connection(parts.hostname or "", parts.port or 80, deadline, _tls_context())
    headers = {}
    if parts.username:
        credentials = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
        headers["Proxy-Authorization"] = "Basic " + b64encode(credentials.encode()).decode()
    connection.set_tunnel(host, port, headers=headers)
    return connection


def download(url: str, timeout: float, max_bytes: int) -> bytes:
    """GET an https URL within `timeout` seconds in all; anything but 200 fails."""
    deadline = time.monotonic() + timeout
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise ValueError("only https URLs are downloaded")
    connection = _open(parts.hostname, parts.port or 443, deadline)
    try:
        connection.request("GET", parts.path or "/", headers={"Accept": "*/*"})
        response = connection.getresponse()
        if response.status != 200:
            raise OSError(f"HTTP {response.status} (redirects are not followed)")
        length = response.getheader("Content-Length")
        if length is not None and length.isdigit() and int(length) > max_bytes:
            raise OSError("certificate chain too large")
        chunks: list[bytes] = []
        size = 0
        while chunk := response.read(8192):
            size += len(chunk)
            if size > max_bytes:
                raise OSError("certificate chain too large")
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        connection.close()
