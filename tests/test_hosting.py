"""The hosting files: the container's command and health check really serve and probe the
app (run here without a container engine), and each file keeps the promises the README makes."""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from skill.config import Settings

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = (ROOT / "Dockerfile").read_text()
BIN = Path(sys.executable).parent


def instruction(name: str) -> str:
    """The last Dockerfile instruction of that name, continuation lines joined."""
    joined = DOCKERFILE.replace("\\\n", " ")
    found = re.findall(rf"^{name} (.+)$", joined, re.M)
    assert found, name
    return found[-1]


def exec_form(name: str) -> list[str]:
    """The JSON array of an instruction (HEALTHCHECK: the one after its CMD)."""
    text = instruction(name)
    return json.loads(text[text.index("[") :])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def probe(healthcheck: list[str], env: dict[str, str]) -> int:
    command = [sys.executable, *healthcheck[1:]] if healthcheck[0] == "python" else healthcheck
    return subprocess.run(command, env=env, capture_output=True, check=False, timeout=10).returncode


def test_the_image_command_serves_and_its_health_check_probes_it(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANKLE_COACH_")}
    env |= {"PATH": f"{BIN}:{env['PATH']}", "HOST": "127.0.0.1", "PORT": str(port),
            "WORKERS": "1", "ANKLE_COACH_DATA_DIR": str(tmp_path),
            "ANKLE_COACH_SKILL_IDS": "amzn1.ask.skill.test"}  # fmt: skip
    healthcheck = exec_form("HEALTHCHECK")
    server = subprocess.Popen(
        exec_form("CMD"), cwd=ROOT, env=env, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 30
        while probe(healthcheck, env) != 0:
            assert server.poll() is None, "the image's command exited"
            assert time.monotonic() < deadline, "the health check never passed"
            time.sleep(0.2)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=15)
    assert probe(healthcheck, env) != 0  # and it fails once nothing answers


def test_the_image_is_slim_non_root_and_keeps_progress_on_a_volume():
    assert re.search(r"^FROM python:3\.13-slim$", DOCKERFILE, re.M)
    assert instruction("USER") not in {"root", "0"}
    env = instruction("ENV")
    assert "HOST=0.0.0.0" in env and "ANKLE_COACH_DATA_DIR=/data" in env
    assert exec_form("VOLUME") == ["/data"]
    assert "gunicorn" in " ".join(exec_form("CMD"))
    assert Settings.from_env({"ANKLE_COACH_DATA_DIR": "/data"}).storage.startswith("sqlite:/data/")


def test_only_the_package_goes_into_the_image():
    ignore = (ROOT / ".dockerignore").read_text().split()
    assert ignore[ignore.index("*")] == "*"
    assert {"!pyproject.toml", "!README.md", "!skill/"} <= set(ignore)


def test_the_procfile_runs_gunicorn_on_the_app_factory():
    command = shlex.split((ROOT / "Procfile").read_text().removeprefix("web:"))
    assert command[0] == "gunicorn" and command[-1] == "skill.web:create_app()"


def test_the_systemd_unit_keeps_progress_in_its_state_directory():
    unit = (ROOT / "hosting" / "ankle-coach.service").read_text()
    assert "StateDirectory=ankle-coach" in unit
    assert "ANKLE_COACH_DATA_DIR=/var/lib/ankle-coach" in unit
    assert "DynamicUser=yes" in unit and "ProtectSystem=strict" in unit
    assert re.search(r"^ExecStart=\S+/gunicorn .*\"skill\.web:create_app\(\)\"$", unit, re.M)


def test_caddy_forwards_to_gunicorn_without_touching_the_body():
    site = (ROOT / "hosting" / "Caddyfile").read_text()
    directives = [line.split()[0] for line in site.splitlines() if line.strip() and line[0] == "\t"]
    assert "reverse_proxy" in directives and "127.0.0.1:8000" in site
    assert not {"encode", "rewrite", "templates", "replace"} & set(directives)


@pytest.mark.parametrize(
    "name",
    re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M),
)
def test_every_variable_in_the_env_example_is_a_real_setting(name):
    assert f'"{name}"' in (ROOT / "skill" / "config.py").read_text() or name == "WORKERS"
