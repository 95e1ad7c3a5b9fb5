"""The Lambda build's own checks catch what must not ship (scripts/check_bundle.py).

The real bundle is built and checked by `make lambda-build` and CI (`sam build` needs
Python 3.13); here the checker itself is tested on small made-up bundles.
"""

from __future__ import annotations

import importlib.util
import py_compile
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = importlib.util.spec_from_file_location("check_bundle", ROOT / "scripts" / "check_bundle.py")
check_bundle = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(check_bundle)
BUILD_SPEC = importlib.util.spec_from_file_location(
    "build_lambda", ROOT / "scripts" / "build_lambda.py"
)
build_lambda = importlib.util.module_from_spec(BUILD_SPEC)
BUILD_SPEC.loader.exec_module(build_lambda)


def write_module(path: Path, mode=py_compile.PycInvalidationMode.UNCHECKED_HASH) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("X = 1\n")
    cached = path.parent / "__pycache__" / f"{path.stem}.{check_bundle.PYC_TAG}.pyc"
    py_compile.compile(str(path), cfile=str(cached), invalidation_mode=mode)


@pytest.fixture
def bundle(tmp_path):
    write_module(tmp_path / "lambda_handler.py")
    write_module(tmp_path / "skill" / "config.py")
    return tmp_path


def test_a_clean_bundle_has_no_problems(bundle):
    assert check_bundle.problems_in_contents(bundle) == []
    assert check_bundle.problems_in_bytecode(bundle) == []


@pytest.mark.parametrize(
    "stray",
    ["tests/test_x.py", "var/ankle-coach.sqlite3", ".hypothesis/x", "preview.wav",
     "skill/web/app.py", "skill/chat/console.py", "flask/__init__.py", "bench/pacing.py",
     "skill/data/notes.md"],
)  # fmt: skip
def test_each_kind_of_stray_file_is_named(bundle, stray):
    path = bundle / stray
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x")
    problems = check_bundle.problems_in_contents(bundle)
    assert problems and any(stray.split("/")[0] in problem for problem in problems), problems


def test_missing_or_timestamp_bytecode_is_named(bundle):
    (bundle / "skill" / "domain.py").write_text("Y = 2\n")
    write_module(bundle / "skill" / "timed.py", py_compile.PycInvalidationMode.TIMESTAMP)
    problems = check_bundle.problems_in_bytecode(bundle)
    assert any("no bytecode for skill/domain.py" in p for p in problems)
    assert any("skill/timed.py is not unchecked-hash" in p for p in problems)


def test_the_build_copies_only_runtime_code_and_data():
    files = [str(path) for path in build_lambda.runtime_files()]
    assert "lambda_handler.py" in files
    assert "skill/data/en-US/topics.toml" in files
    assert not [f for f in files if re.match(r"skill/(web|chat)/|skill/__main__|tests/", f)]
    assert all(Path(f).suffix in {".py", ".toml", ".json"} for f in files)


def test_the_lock_pins_every_requirement_with_a_hash():
    lock = (ROOT / "requirements.lock").read_text()
    pins = re.findall(r"^([a-z0-9-]+)==\S+ \\\n    --hash=sha256:[0-9a-f]{64}$", lock, re.M)
    wanted = re.findall(r"^([a-z0-9-]+)", (ROOT / "requirements.txt").read_text(), re.M)
    assert wanted and set(wanted) <= set(pins)
    assert "flask" not in pins and "gunicorn" not in pins
