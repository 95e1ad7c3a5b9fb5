"""Build the Lambda bundle into a folder: only runtime files, pinned dependencies, bytecode.

`sam build` runs this through the Makefile's `build-AnkleCoachFunction` target
(`BuildMethod: makefile` in template.yaml), with the Python that runs it being 3.13, the
Lambda runtime's, so the bytecode matches:

    python3.13 scripts/build_lambda.py <artifacts dir>

- Code: `lambda_handler.py` and the packages Lambda imports (RUNTIME_PACKAGES), *.py and the
  data files only. Never the web service or the chat tool (`skill/web`, `skill/chat`,
  `skill/__main__.py`), tests, bench, docs, or whatever a used checkout holds (var/,
  .hypothesis/, WAV previews, __pycache__ of another Python).
- Dependencies: `requirements.lock` with `--require-hashes`, wheels for the Lambda platform.
- Bytecode: every module compiled with `unchecked-hash` invalidation, so Lambda (a read-only
  file system) loads it without comparing timestamps and never compiles at a cold start.
"""

from __future__ import annotations

import compileall
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNTIME_FILES = ["lambda_handler.py", "skill/__init__.py", "skill/config.py", "skill/log_fields.py"]
RUNTIME_PACKAGES = ["skill/alexa", "skill/storage", "skill/domain", "skill/data"]
SUFFIXES = {".py", ".toml", ".json"}
NOT_SHIPPED_FROM_DEPENDENCIES = ["bin"]  # console scripts pip writes into --target
LAMBDA_PYTHON = (3, 13)


def runtime_files(root: Path = ROOT) -> list[Path]:
    """Every file of ours the bundle holds, relative to the repository root."""
    files = [Path(name) for name in RUNTIME_FILES]
    for package in RUNTIME_PACKAGES:
        files += sorted(
            path.relative_to(root)
            for path in (root / package).rglob("*")
            if path.is_file() and path.suffix in SUFFIXES and "__pycache__" not in path.parts
        )
    return files


def copy_code(target: Path) -> None:
    for relative in runtime_files():
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / relative, destination)


def install_dependencies(target: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "--no-compile", "--require-hashes", "--only-binary=:all:",
         "--platform", "manylinux2014_x86_64", "--python-version", "3.13",
         "--implementation", "cp", "--target", str(target), "-r", str(ROOT / "requirements.lock")],
        check=True,
    )  # fmt: skip
    for name in NOT_SHIPPED_FROM_DEPENDENCIES:
        shutil.rmtree(target / name, ignore_errors=True)


def compile_bytecode(target: Path) -> None:
    """Compile everything once, here; the SDK's docstrings warn (SyntaxWarning) while compiling,
    which is exactly what would otherwise land in the function's logs at every cold start."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        ok = compileall.compile_dir(
            target,
            quiet=2,
            workers=1,
            invalidation_mode=compileall.py_compile.PycInvalidationMode.UNCHECKED_HASH,
        )
    if not ok:
        raise SystemExit("compiling the bundle failed")


def build(target: Path) -> None:
    if sys.version_info[:2] != LAMBDA_PYTHON:
        raise SystemExit(
            f"build_lambda.py needs Python {'.'.join(map(str, LAMBDA_PYTHON))} (the Lambda "
            f"runtime's) so the bytecode matches; this is {sys.version.split()[0]}. "
            "Put python3.13 on PATH (e.g. pyenv) and run sam build again."
        )
    target.mkdir(parents=True, exist_ok=True)
    for stale in target.iterdir():  # sam reuses the folder between builds
        shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
    copy_code(target)
    install_dependencies(target)
    compile_bytecode(target)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python3.13 scripts/build_lambda.py <artifacts dir>")
    build(Path(sys.argv[1]).resolve())
