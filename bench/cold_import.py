"""Cold start of the Lambda bundle: import `lambda_handler` and answer one LaunchRequest.

    sam build --build-in-source && python -m bench.cold_import [--runs 7]

Each run is a fresh Python 3.13 process (`-I -S`: only the bundle on sys.path, as on Lambda),
measured for CPU time and wall time, in two ways:
- `bytecode`: the bundle as built, with its unchecked-hash .pyc files;
- `source only`: the same files without __pycache__ and with writing bytecode off, which is
  what Lambda did with a bundle without bytecode (its file system is read-only), and which
  also prints the SyntaxWarnings of the SDK's docstrings at every cold start.
Figures go into docs/benchmarks.md by hand. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

BUNDLE = Path(".aws-sam/build/AnkleCoachFunction")
LAUNCH = {
    "version": "1.0",
    "session": {"new": True, "sessionId": "s", "application": {"applicationId": "a"},
                "user": {"userId": "u"}},
    "context": {"System": {"application": {"applicationId": "a"}, "user": {"userId": "u"},
                           "device": {"supportedInterfaces": {}}}},
    "request": {"type": "LaunchRequest", "requestId": "r",
                "timestamp": "2026-01-01T00:00:00Z", "locale": "en-US"},
}  # fmt: skip
PROBE = (
    "import json, sys; sys.path.insert(0, sys.argv[1]); import lambda_handler; "
    "lambda_handler.handler(json.loads(sys.argv[2]), None)"
)


def python313() -> str:
    found = shutil.which(os.environ.get("LAMBDA_PYTHON", "python3.13"))
    if not found:
        raise SystemExit("python3.13 not found on PATH (the Lambda runtime's version)")
    return found


def one_run(python: str, bundle: Path, write_bytecode: bool) -> tuple[float, float, int]:
    """(cpu ms, wall ms, SyntaxWarning lines) of one cold start."""
    env = {"PATH": os.environ.get("PATH", ""), "ANKLE_COACH_STORAGE": "none"}
    flags = ["-I", "-S"] + ([] if write_bytecode else ["-B"])
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(
        [python, *flags, "-c", PROBE, str(bundle), json.dumps(LAUNCH)],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    wall = (time.perf_counter() - start) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    return cpu, wall, result.stderr.count("SyntaxWarning")


def measure(python: str, bundle: Path, runs: int, write_bytecode: bool) -> dict[str, float]:
    samples = [one_run(python, bundle, write_bytecode) for _ in range(runs)]
    return {
        "cpu_ms": statistics.median(s[0] for s in samples),
        "wall_ms": statistics.median(s[1] for s in samples),
        "warnings": max(s[2] for s in samples),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=BUNDLE)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if not (args.bundle / "lambda_handler.py").is_file():
        raise SystemExit(f"no bundle at {args.bundle}: run `sam build --build-in-source` first")
    python = python313()
    rows = {"bytecode (as shipped)": measure(python, args.bundle, args.runs, True)}
    with tempfile.TemporaryDirectory() as scratch:
        plain = Path(scratch) / "bundle"
        shutil.copytree(args.bundle, plain, ignore=shutil.ignore_patterns("__pycache__"))
        rows["source only (before)"] = measure(python, plain, args.runs, False)
    print(f"cold start, median of {args.runs} fresh processes ({python}):")
    print("| bundle | CPU ms | wall ms | SyntaxWarning lines |\n|---|---|---|---|")
    for name, row in rows.items():
        print(f"| {name} | {row['cpu_ms']:.0f} | {row['wall_ms']:.0f} | {row['warnings']:.0f} |")


if __name__ == "__main__":
    main()
