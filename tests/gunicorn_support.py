"""Start gunicorn serving an app in a subprocess on a free loopback port, and stop it."""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")


@dataclass
class Served:
    port: int
    process: subprocess.Popen[str]
    log: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"


def service_env(extra: Mapping[str, str]) -> dict[str, str]:
    """The caller's environment minus development switches, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANKLE_COACH_")}
    env.update({"ANKLE_COACH_STORAGE": "none", "PYTHONUNBUFFERED": "1", **extra})
    return env


@contextlib.contextmanager
def gunicorn(
    app: str, env: Mapping[str, str], workers: int = 1, threads: int = 2, timeout: float = 30
) -> Iterator[Served]:
    """`gunicorn app` bound to 127.0.0.1 on a port the OS picks; yields once it listens."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        "127.0.0.1:0",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        app,
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, env=dict(env), stderr=subprocess.PIPE, text=True, bufsize=1
    )
    log: list[str] = []
    found = threading.Event()
    port: list[int] = []

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            log.append(line.rstrip("\n"))
            match = LISTENING.search(line)
            if match and not port:
                port.append(int(match.group(1)))
                found.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + timeout
        while not found.wait(0.1):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start:\n" + "\n".join(log))
        served = Served(port[0], process, log)
        _wait_until_booted(served, workers, deadline)
        yield served
    finally:
        stop_process(process, timeout=15)
        reader.join(timeout=5)


def stop_process(process: subprocess.Popen, timeout: float) -> None:
    """SIGTERM (gunicorn's graceful stop), then SIGKILL if it is still there after `timeout`."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _wait_until_booted(served: Served, workers: int, deadline: float) -> None:
    """Every worker has imported the app (building the skill takes a moment)."""
    while sum("Booting worker" in line for line in served.log) < workers or not _healthy(served):
        if served.process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("gunicorn workers did not boot:\n" + "\n".join(served.log))
        time.sleep(0.05)
    for _ in range(4 * workers):  # each worker answers once it has loaded the app
        _healthy(served)


def _healthy(served: Served) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=5)
    try:
        connection.request("GET", "/health")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def wait_for_line(served: Served, text: str, timeout: float = 10) -> str:
    """The first log line containing `text`; the log is read by another thread, so wait."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in list(served.log):
            if text in line:
                return line
        time.sleep(0.02)
    raise AssertionError(f"no log line with {text!r} in:\n" + "\n".join(served.log[-20:]))
