"""Cold start: a fresh interpreter imports the Lambda handler and answers one launch.

    .venv/bin/python -m bench.cold_start [--runs 10]

Ours (`lambda_handler.handler`, storage off as on a first launch without a table) against
`bench/hello_lambda.py` (the SDK's hello world), in paired runs: each round starts one of
each, in alternating order. Wall time and peak RSS come from the child process itself
(`os.wait4`), medians and ratios with their spread are reported, then the ten imports that
cost the most (`python -X importtime`, self time) in ours.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAUNCH = {
    "version": "1.0",
    "session": {
        "new": True,
        "sessionId": "amzn1.echo-api.session.cold",
        "application": {"applicationId": "amzn1.ask.skill.cold"},
        "attributes": {},
        "user": {"userId": "amzn1.ask.account.cold"},
    },
    "context": {
        "System": {
            "application": {"applicationId": "amzn1.ask.skill.cold"},
            "user": {"userId": "amzn1.ask.account.cold"},
            "device": {"deviceId": "cold", "supportedInterfaces": {}},
            "apiEndpoint": "https://api.amazonalexa.com",
        }
    },
    "request": {
        "type": "LaunchRequest",
        "requestId": "amzn1.echo-api.request.cold",
        "timestamp": "2026-11-25T12:00:00Z",
        "locale": "en-US",
    },
}
PROGRAMS = {
    "ankle coach": "import lambda_handler as m",
    "hello world": "import bench.hello_lambda as m",
}
TAIL = "; import json, sys; r = m.handler(json.loads(sys.argv[1]), None); assert r['response']"


def run_once(program: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one fresh interpreter running `program`."""
    env = {**os.environ, "ANKLE_COACH_STORAGE": "none", "PYTHONDONTWRITEBYTECODE": "1"}
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", program + TAIL, json.dumps(LAUNCH)], cwd=ROOT, env=env
    )
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    if status:
        raise SystemExit(f"{program!r} failed with status {status}")
    return seconds, usage.ru_maxrss / 1024


def import_top_ten() -> list[tuple[str, float]]:
    env = {**os.environ, "ANKLE_COACH_STORAGE": "none"}
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import lambda_handler"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    rows = []
    for line in out.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|\s*(.+)$", line)
        if match:
            rows.append((match.group(3).strip(), int(match.group(1)) / 1000))
    return sorted(rows, key=lambda row: -row[1])[:10]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    for program in PROGRAMS.values():  # warm the OS file cache; bytecode is as shipped
        run_once(program)
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in PROGRAMS}
    for number in range(args.runs):
        order = list(PROGRAMS.items())
        for name, program in order if number % 2 else reversed(order):
            samples[name].append(run_once(program))
    ours, hello = samples["ankle coach"], samples["hello world"]
    wall = [a[0] / b[0] for a, b in zip(ours, hello, strict=True)]
    rss = [a[1] / b[1] for a, b in zip(ours, hello, strict=True)]
    for name, rows in samples.items():
        print(
            f"{name:12} wall {statistics.median(r[0] for r in rows) * 1000:6.0f} ms"
            f"  peak RSS {statistics.median(r[1] for r in rows):5.1f} MiB"
        )
    print(
        f"ratio wall {statistics.median(wall):.2f} ({min(wall):.2f}-{max(wall):.2f})"
        f"  peak RSS {statistics.median(rss):.2f} ({min(rss):.2f}-{max(rss):.2f})"
    )
    print("import-time top ten (self ms):")
    for module, ms in import_top_ten():
        print(f"  {ms:6.1f}  {module}")


if __name__ == "__main__":
    main()
