"""Amazon's certificate URL, played offline: an HTTPS proxy that answers for s3.amazonaws.com.

A service started with `https_proxy` pointing here and `SSL_CERT_FILE` at the test root
downloads "https://s3.amazonaws.com/echo.api/..." with its real downloader, over real TLS,
and gets the test chain. Nothing leaves the loopback interface. Used by the gunicorn test
and the benchmark.
"""

from __future__ import annotations

import contextlib
import http.server
import select
import socket
import socketserver
import ssl
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from tests.certs import Authority, issue


class _ChainHandler(http.server.BaseHTTPRequestHandler):
    server: _ChainServer

    def do_GET(self) -> None:
        self.server.paths.append(self.path)
        if not self.path.startswith("/echo.api/"):
            self.send_error(404)
            return
        if self.path.startswith("/echo.api/redirect"):  # attack: send the client elsewhere
            self.send_response(302)
            self.send_header("Location", "http://127.0.0.1:9/echo.api/cert.pem")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path.startswith("/echo.api/drip"):  # attack: a byte at a time, forever
            head = b"HTTP/1.1 200 OK\r\nContent-Type: application/x-pem-file\r\n"
            for byte in head + b"X-Slow: " + b"a" * 10_000:
                try:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.05)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/x-pem-file")
        self.send_header("Content-Length", str(len(self.server.chain)))
        self.end_headers()
        self.wfile.write(self.server.chain)

    def log_message(self, *args: object) -> None:
        return


class _ChainServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    chain: bytes
    paths: list[str]


class _TunnelHandler(socketserver.BaseRequestHandler):
    """HTTP CONNECT to any host: the tunnel always leads to the local chain server."""

    server: _TunnelServer

    def handle(self) -> None:
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.request.recv(4096)
            if not chunk:
                return
            head += chunk
        if not head.startswith(b"CONNECT "):
            self.request.sendall(b"HTTP/1.1 405 Method Not Allowed\r\n\r\n")
            return
        self.server.targets.append(head.split(b" ")[1].decode())
        with socket.create_connection(("127.0.0.1", self.server.chain_port)) as upstream:
            self.request.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            sockets = [self.request, upstream]
            while True:
                readable, _, _ = select.select(sockets, [], [], 5)
                if not readable:
                    return
                for source in readable:
                    data = source.recv(65536)
                    if not data:
                        return
                    (upstream if source is self.request else self.request).sendall(data)


class _TunnelServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    chain_port: int
    targets: list[str]


@dataclass
class FakeS3:
    """What the fake served: request paths seen, and the hosts clients asked to reach."""

    proxy_url: str
    root_pem_file: Path
    paths: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)

    def env(self) -> dict[str, str]:
        """Environment for a service process: proxy, TLS trust and verification roots."""
        return {
            "https_proxy": self.proxy_url,
            "HTTPS_PROXY": self.proxy_url,
            "no_proxy": "",
            "NO_PROXY": "",
            "SSL_CERT_FILE": str(self.root_pem_file),
            "ANKLE_COACH_CA_BUNDLE": str(self.root_pem_file),
        }


@contextlib.contextmanager
def fake_s3(authority: Authority) -> Iterator[FakeS3]:
    """Serve `authority.chain_pem` as https://s3.amazonaws.com/echo.api/* behind a proxy."""
    tls = issue("s3.amazonaws.com", authority.intermediate, dns_names=("s3.amazonaws.com",))
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        (directory / "root.pem").write_bytes(authority.root.pem)
        (directory / "tls.pem").write_bytes(tls.pem + authority.intermediate.pem)
        (directory / "tls.key").write_bytes(
            tls.key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(directory / "tls.pem", directory / "tls.key")

        chain_server = _ChainServer(("127.0.0.1", 0), _ChainHandler)
        chain_server.socket = context.wrap_socket(chain_server.socket, server_side=True)
        chain_server.chain = authority.chain_pem
        chain_server.paths = []
        tunnel = _TunnelServer(("127.0.0.1", 0), _TunnelHandler)
        tunnel.chain_port = chain_server.server_address[1]
        tunnel.targets = []
        threads = [
            threading.Thread(target=server.serve_forever, daemon=True)
            for server in (chain_server, tunnel)
        ]
        for thread in threads:
            thread.start()
        fake = FakeS3(
            proxy_url=f"http://127.0.0.1:{tunnel.server_address[1]}",
            root_pem_file=directory / "root.pem",
            paths=chain_server.paths,
            targets=tunnel.targets,
        )
        try:
            yield fake
        finally:
            for server in (chain_server, tunnel):
                server.shutdown()
                server.server_close()
