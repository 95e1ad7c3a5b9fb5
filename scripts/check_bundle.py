"""Prove what `sam build` made: `python scripts/check_bundle.py .aws-sam/build/AnkleCoachFunction`.

Run by `make lambda-build` and CI after every build. It fails, naming the file or the figure,
when the bundle
- holds anything that is not runtime: tests, bench, docs, a checkout's var/ (users'
  progress), .hypothesis/, WAV previews, SQLite files, the web service or the chat tool;
- holds a web-service package (Flask, Werkzeug, gunicorn, cryptography);
- lacks bytecode for a module, or has bytecode that is not `unchecked-hash` (which Lambda
  would re-check against the source, and compile again when the zip's times differ);
- is larger than the size budget;
- cannot answer a LaunchRequest from the bundle alone under Python 3.13 (no site-packages),
  or prints a warning while doing it, or loads Flask.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

# 35.8 MB unpacked and 22.8 MB zipped when this was written (botocore is most of it); Lambda's
# own limit is 250 MB unpacked. The budget catches a stray folder or an unwanted dependency.
BUDGET_UNPACKED_MB = 42
BUDGET_ZIPPED_MB = 26
# Top-level names: a checkout's folders and the web service's packages (the dependencies'
# own subfolders, such as botocore/docs, are runtime code and are not looked at here).
FORBIDDEN_TOP = {
    "tests", "bench", "docs", "var", "scripts", "build", ".hypothesis", ".pytest_cache",
    ".venv", "node_modules", "skill-package", "interaction_models", ".aws-sam", ".git",
    "flask", "werkzeug", "gunicorn", "cryptography", "moto", "pytest", "hypothesis", "yaml",
}  # fmt: skip
FORBIDDEN_SUFFIXES = {".wav", ".sqlite3", ".sqlite3-wal", ".sqlite3-shm", ".db"}
FORBIDDEN_OURS = ["skill/web", "skill/chat", "skill/__main__.py", "Makefile", "template.yaml"]
OUR_SUFFIXES = {".py", ".pyc", ".toml", ".json"}
PYC_TAG = "cpython-313"
SHOWN = 25
FLAG_UNCHECKED_HASH = 0b01  # PEP 552: hash-based, check_source bit clear
LAUNCH = {
    "version": "1.0",
    "session": {
        "new": True, "sessionId": "s", "application": {"applicationId": "a"},
        "user": {"userId": "u"},
    },
    "context": {"System": {
        "application": {"applicationId": "a"}, "user": {"userId": "u"},
        "device": {"supportedInterfaces": {}},
    }},
    "request": {
        "type": "LaunchRequest", "requestId": "r", "timestamp": "2026-01-01T00:00:00Z",
        "locale": "en-GB",
    },
}  # fmt: skip
PROBE = """
import json, sys
sys.path.insert(0, sys.argv[1])
import lambda_handler
reply = lambda_handler.handler(json.loads(sys.argv[2]), None)
print(json.dumps({"speech": reply["response"]["outputSpeech"]["ssml"],
                  "flask": "flask" in sys.modules}))
"""


def problems_in_contents(bundle: Path) -> list[str]:
    top = [path.name for path in bundle.iterdir()]
    problems = [f"not a runtime file: {name}" for name in top if name in FORBIDDEN_TOP]

    for path in bundle.rglob("*"):
        relative = path.relative_to(bundle)
        if path.suffix.lower() in FORBIDDEN_SUFFIXES:
            problems.append(f"not a runtime file: {relative}")
    for path in (bundle / "skill").rglob("*"):
        if path.is_file() and path.suffix not in OUR_SUFFIXES:
            problems.append(f"not a runtime file: {path.relative_to(bundle)}")
    for name in FORBIDDEN_OURS:
        if (bundle / name).exists():
            problems.append(f"not needed on Lambda: {name}")
    return problems


def problems_in_bytecode(bundle: Path) -> list[str]:
    problems = []
    for source in bundle.rglob("*.py"):
        cached = source.parent / "__pycache__" / f"{source.stem}.{PYC_TAG}.pyc"
        relative = source.relative_to(bundle)
        if not cached.is_file():
            problems.append(f"no bytecode for {relative}")
            continue
        flags = int.from_bytes(cached.read_bytes()[4:8], "little")
        if flags != FLAG_UNCHECKED_HASH:
            problems.append(f"bytecode of {relative} is not unchecked-hash (flags {flags})")
    return problems


def sizes_mb(bundle: Path) -> tuple[float, float]:
    unpacked = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file())
    with tempfile.TemporaryDirectory() as scratch:
        archive = Path(scratch) / "bundle.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
            for path in sorted(bundle.rglob("*")):
                zipped.write(path, path.relative_to(bundle))
        zipped_size = archive.stat().st_size
    return unpacked / 1e6, zipped_size / 1e6


def lambda_python() -> str | None:
    if sys.version_info[:2] == (3, 13):
        return sys.executable
    return shutil.which(os.environ.get("LAMBDA_PYTHON", "python3.13"))


def problems_answering(bundle: Path) -> list[str]:
    python = lambda_python()
    if python is None:
        return ["python3.13 not found: cannot run the bundle as Lambda would"]
    env = {"PATH": os.environ.get("PATH", ""), "ANKLE_COACH_STORAGE": "none", "LANG": "C.UTF-8"}
    result = subprocess.run(
        [python, "-I", "-S", "-W", "default", "-c", PROBE, str(bundle), json.dumps(LAUNCH)],
        capture_output=True, text=True, env=env, check=False, timeout=120,
    )  # fmt: skip
    if result.returncode != 0:
        return [f"the bundle failed to answer a LaunchRequest:\n{result.stderr}"]
    problems = []
    if "Warning" in result.stderr:
        problems.append(f"warnings while answering:\n{result.stderr}")
    report = json.loads(result.stdout.splitlines()[-1])
    if "Ankle Coach" not in report["speech"]:
        problems.append(f"unexpected launch speech: {report['speech'][:200]}")
    if report["flask"]:
        problems.append("answering a request loaded Flask")
    return problems


def main(bundle: Path) -> int:
    if not (bundle / "lambda_handler.py").is_file():
        print(f"no bundle at {bundle}: run `sam build --build-in-source` first", file=sys.stderr)
        return 1
    unpacked, zipped = sizes_mb(bundle)
    problems = problems_in_contents(bundle) + problems_in_bytecode(bundle)
    if unpacked > BUDGET_UNPACKED_MB:
        problems.append(f"bundle is {unpacked:.1f} MB unpacked, budget {BUDGET_UNPACKED_MB} MB")
    if zipped > BUDGET_ZIPPED_MB:
        problems.append(f"bundle is {zipped:.1f} MB zipped, budget {BUDGET_ZIPPED_MB} MB")
    problems += problems_answering(bundle)
    files = sum(1 for p in bundle.rglob("*") if p.is_file())
    ours = sum(1 for p in (bundle / "skill").rglob("*") if p.is_file() and p.suffix != ".pyc")
    print(
        f"bundle {bundle}: {files} files ({ours} of ours under skill/), "
        f"{unpacked:.1f} MB unpacked (budget {BUDGET_UNPACKED_MB}), "
        f"{zipped:.1f} MB zipped (budget {BUDGET_ZIPPED_MB})"
    )
    for problem in problems[:SHOWN]:
        print(f"FAIL {problem}", file=sys.stderr)
    if len(problems) > SHOWN:
        print(f"FAIL ... and {len(problems) - SHOWN} more", file=sys.stderr)
    if not problems:
        print("bundle OK: runtime files only, unchecked-hash bytecode, answers without Flask")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else ".aws-sam/build/AnkleCoachFunction")))
