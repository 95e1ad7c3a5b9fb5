"""The harness of `make soak` and `make faults`: gunicorn, a store, clients that keep books.

The service runs as in production (gunicorn, 4 sync workers) on SQLite or on a moto
DynamoDB server (`bench.dynamodb_server`: atomic conditional writes, injectable faults).
Client threads run whole sessions (open, start towel scrunches, next until done, stop),
each as a user of its own or many at once as one shared user. Every response that
acknowledges a finished exercise is counted per user. Afterwards the outbox is replayed
and the stored count of each user is compared with the acknowledgements: `lost` is an
acknowledged completion missing from the store; `extra` one stored whose answer never
reached the client (a killed worker, a timeout), which is not a loss.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skill.chat.simulator import Conversation
from skill.config import Settings
from skill.storage import adapter_from_settings, outbox_for
from skill.storage.outbox import replay
from skill.storage.save import read_record
from tests.gunicorn_support import stop_process

ROOT = Path(__file__).resolve().parent.parent
EXERCISE = "towel_scrunches"
ALEXA_DEADLINE_S = 8.0
DURATION = re.compile(r"duration_ms=([0-9.]+)")
LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")


@dataclass
class Books:
    """What the clients saw: every request's time, every acknowledgement, every failure."""

    latencies: list[float] = field(default_factory=list)
    acks: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] if ordered else 0.0


@dataclass
class Store:
    kind: str
    env: dict[str, str]
    directory: Path
    server: subprocess.Popen[bytes] | None = None
    endpoint: str | None = None

    def settings(self) -> Settings:
        return Settings.from_env(
            {**os.environ, **self.env, "ANKLE_COACH_STORAGE_BUDGET_MS": "5000"}
        )

    def fault(self, mode: str, seconds: float) -> None:
        """DynamoDB only: stall or fail reads on the server for `seconds`."""
        assert self.endpoint is not None
        host, port = self.endpoint.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=5)
        connection.request("POST", f"/_fault?mode={mode}&seconds={seconds}")
        connection.getresponse().read()
        connection.close()


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def store(kind: str, directory: Path) -> Iterator[Store]:
    directory.mkdir(parents=True, exist_ok=True)
    if kind == "sqlite":
        path = directory / "db" / "ankle-coach.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        yield Store(kind, {"ANKLE_COACH_STORAGE": f"sqlite:{path}"}, directory)
        return
    import boto3

    port = _free_port()
    keys = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}
    os.environ.update(keys)
    server = subprocess.Popen(
        [sys.executable, "-m", "bench.dynamodb_server", "--port", str(port)],
        cwd=ROOT, env={**os.environ, **keys},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    endpoint = f"http://127.0.0.1:{port}"
    try:
        client = boto3.client("dynamodb", region_name="us-east-1", endpoint_url=endpoint)
        for _ in range(300):
            try:
                client.create_table(
                    TableName="progress",
                    KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                    AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                    BillingMode="PAY_PER_REQUEST",
                )
                break
            except Exception:
                time.sleep(0.1)
        env = {
            **keys,
            "ANKLE_COACH_STORAGE": "dynamodb:progress",
            "ANKLE_COACH_DYNAMODB_REGION": "us-east-1",
            "ANKLE_COACH_DYNAMODB_ENDPOINT": endpoint,
            "ANKLE_COACH_OUTBOX": "log",
        }
        yield Store(kind, env, directory, server, endpoint)
    finally:
        server.terminate()
        server.wait(timeout=10)


@dataclass
class Service:
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    def worker_pids(self) -> list[int]:
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True
        ).stdout
        return [int(pid) for pid in out.split()]

    def log_lines(self) -> list[str]:
        return self.log_path.read_text(errors="replace").splitlines()


@contextmanager
def service(st: Store, workers: int = 4, honour_permissions: bool = False) -> Iterator[Service]:
    """gunicorn with the skill on a free port; its log goes to a file in the store's folder."""
    log_path = st.directory / "service.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANKLE_COACH_")}
    env.update(st.env)
    env.update({"ANKLE_COACH_DEV_SKIP_VERIFICATION": "1", "PYTHONUNBUFFERED": "1"})
    env.setdefault("ANKLE_COACH_STORAGE_BUDGET_MS", "1000")
    command = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind",
               "127.0.0.1:0", "--timeout", "30", "skill.web:create_app()"]  # fmt: skip
    if honour_permissions and os.geteuid() == 0 and shutil.which("setpriv"):
        # root without the capability to override file modes, so a read-only file is one
        drop = "-dac_override,-dac_read_search"
        command[:0] = ["setpriv", "--bounding-set", drop, "--inh-caps", drop]
    with open(log_path, "ab") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stderr=log, stdout=log)
    try:
        port = 0
        for _ in range(600):
            match = LISTENING.search(log_path.read_text(errors="replace"))
            if match:
                port = int(match.group(1))
                break
            if process.poll() is not None:
                raise RuntimeError("gunicorn exited:\n" + log_path.read_text())
            time.sleep(0.05)
        served = Service(process, port, log_path)
        for _ in range(4 * workers):
            post(served.port, {"version": "1.0"}, timeout=30)  # each worker loads the app
        yield served
    finally:
        stop_process(process, timeout=30)


def post(port: int, envelope: dict[str, Any], timeout: float = 15) -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        body = json.dumps(envelope).encode()
        connection.request("POST", "/", body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        data = response.read()
        return response.status, (json.loads(data) if response.status == 200 else {})
    finally:
        connection.close()


def _completed(attributes: dict[str, Any]) -> int:
    coach = attributes.get("coach") if isinstance(attributes, dict) else None
    return len(coach.get("completed", [])) if isinstance(coach, dict) else 0


def run_sessions(port: int, user: str, books: Books, until: float) -> None:
    """Whole sessions back to back until `until`; a failed request ends that session."""
    while time.monotonic() < until:

        def send(envelope: dict[str, Any]) -> dict[str, Any]:
            started = time.monotonic()
            try:
                status, response = post(port, envelope)
            except (OSError, http.client.HTTPException, ValueError) as error:
                with books.lock:  # a dropped connection or a cut-off answer: not acknowledged
                    books.errors[type(error).__name__] += 1
                raise OSError(str(error)) from error
            elapsed = time.monotonic() - started
            with books.lock:
                books.latencies.append(elapsed)
                if status != 200:
                    books.errors[f"http {status}"] += 1
            if status != 200:
                raise OSError(f"http {status}")
            return response

        talk = Conversation(send=send, user_id=user)
        try:
            done = 0
            talk.launch()
            talk.intent("StartExerciseIntent", exercise=EXERCISE)
            for _ in range(8):
                talk.intent("AMAZON.NextIntent")
                now_done = _completed(talk.attributes)
                if now_done > done:
                    with books.lock:
                        books.acks[user] += now_done - done
                    break
                done = now_done
            talk.intent("AMAZON.StopIntent")
        except OSError:
            time.sleep(0.05)


def load(port: int, users: int, shared_clients: int, seconds: float, tag: str) -> Books:
    """`users` users of their own, plus `shared_clients` clients all playing one user."""
    books = Books()
    until = time.monotonic() + seconds
    names = [f"amzn1.ask.account.{tag}-{i}" for i in range(users)]
    names += [f"amzn1.ask.account.{tag}-shared"] * shared_clients
    threads = [threading.Thread(target=run_sessions, args=(port, n, books, until)) for n in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return books


@dataclass
class Outcome:
    name: str
    requests: int
    acks: int
    stored: int
    lost: int
    extra: int
    errors: dict[str, int]
    p50_ms: float
    p99_ms: float
    max_ms: float
    over_deadline: int
    error_lines: int
    replayed: int
    shared_acks: int = 0  # of `acks`, those of the one user many clients played at once
    degraded_turns: int = 0  # turns that logged a failed storage read or write
    server_p99_ms: float = 0.0  # the service's own duration_ms, without queueing

    def line(self) -> str:
        errors = ", ".join(f"{k} {v}" for k, v in sorted(self.errors.items())) or "0"
        return (
            f"| {self.name} | {self.requests} | {self.acks} ({self.shared_acks}) | {self.lost} | "
            f"{self.extra} | "
            f"{errors} | {self.p50_ms:.0f} | {self.p99_ms:.0f} | {self.max_ms:.0f} | "
            f"{self.server_p99_ms:.0f} | "
            f"{self.over_deadline} | {self.error_lines} | {self.replayed} |"
        )


HEADER = (
    "| run | requests | acknowledged (shared user) | lost | extra | errors | p50 ms | p99 ms | "
    "max ms | server p99 ms | over 8 s | ERROR lines | replayed |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
)


def settle(st: Store, served_log: list[str], books: Books, name: str) -> Outcome:
    """Replay the outbox (file and log lines), then compare the store with the books."""
    settings = st.settings()
    adapter = adapter_from_settings(settings)
    outbox = outbox_for(adapter, settings)
    log_copy = st.directory / f"log-{uuid.uuid4().hex[:6]}.txt"
    log_copy.write_text("\n".join(served_log) + "\n")
    sources = [log_copy] + ([outbox.path] if outbox.path and outbox.path.exists() else [])
    result = replay(adapter, sources, outbox)
    from skill.storage.outbox import envelope_for_user

    lost = extra = stored_total = 0
    for user, acknowledged in books.acks.items():
        record = read_record(adapter, envelope_for_user(user))
        count = record.get("completed", {}).get(EXERCISE, 0)
        stored_total += count
        lost += max(0, acknowledged - count)
        extra += max(0, count - acknowledged)
    return Outcome(
        name=name,
        requests=len(books.latencies),
        acks=sum(books.acks.values()),
        stored=stored_total,
        lost=lost,
        extra=extra,
        errors=dict(books.errors),
        p50_ms=books.percentile(50) * 1000,
        p99_ms=books.percentile(99) * 1000,
        max_ms=max(books.latencies, default=0) * 1000,
        over_deadline=sum(t > ALEXA_DEADLINE_S for t in books.latencies),
        error_lines=sum(" ERROR " in line for line in served_log),
        replayed=result.replayed,
        server_p99_ms=_server_p99(served_log),
        shared_acks=sum(n for user, n in books.acks.items() if user.endswith("-shared")),
        degraded_turns=sum(
            "storage read failed" in line or "storage write failed" in line for line in served_log
        ),
    )


def _server_p99(lines: list[str]) -> float:
    """p99 of the duration_ms the web service logs per request (time inside the service)."""
    found = sorted(float(m.group(1)) for m in map(DURATION.search, lines) if m)
    return found[min(len(found) - 1, int(0.99 * len(found)))] if found else 0.0


def fresh_directory(base: Path, name: str) -> Path:
    directory = base / name
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    return directory
