"""Soak: many users and one very busy user, on SQLite and on DynamoDB; nothing may be lost.

    .venv/bin/python -m bench.soak [--seconds 60] [--users 32] [--shared 16] [--backend both]

Per backend: gunicorn with 4 sync workers, `--users` clients each running whole sessions
as a user of their own, and `--shared` clients at once as one user, for `--seconds`.
Target: 0 errors, 0 lost (the stored counts equal the acknowledgements exactly).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from bench.storage_load import HEADER, Outcome, fresh_directory, load, service, settle, store


def soak(
    backend: str, base: Path, seconds: float, users: int, shared: int, workers: int = 4
) -> Outcome:
    with store(backend, fresh_directory(base, f"soak-{backend}")) as st:
        with service(st, workers) as served:
            books = load(served.port, users, shared, seconds, f"soak-{backend}")
        return settle(st, served.log_lines(), books, f"soak {backend}, {users}+{shared} clients")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--shared", type=int, default=16)
    parser.add_argument("--backend", choices=["sqlite", "dynamodb", "both"], default="both")
    args = parser.parse_args(argv)
    backends = ["sqlite", "dynamodb"] if args.backend == "both" else [args.backend]
    failed = False
    print(HEADER, flush=True)
    with tempfile.TemporaryDirectory(prefix="ankle-soak-") as base:
        for backend in backends:
            outcome = soak(backend, Path(base), args.seconds, args.users, args.shared)
            print(outcome.line(), flush=True)
            failed |= bool(outcome.lost or outcome.errors or outcome.over_deadline)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
