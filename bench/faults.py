"""Faults under load: what each does to the answers and to the acknowledged progress.

    .venv/bin/python -m bench.faults [--seconds 20] [--users 16] [--shared 8] [--only NAME]

Each fault runs in a fresh service and store under the soak's load (`bench.storage_load`):
it starts 3 s in and lasts 10 s (8 s for failing reads), then the load runs on to the end
and the outbox is replayed before the store is compared with the acknowledgements.
For the read-only fault a service started as root runs without CAP_DAC_OVERRIDE (setpriv),
so file modes apply to it.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import sqlite3
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from bench.storage_load import (
    HEADER,
    Outcome,
    Service,
    Store,
    fresh_directory,
    load,
    service,
    settle,
    store,
)

START_S, LENGTH_S = 3.0, 10.0


def db_path(st: Store) -> Path:
    return Path(st.env["ANKLE_COACH_STORAGE"].removeprefix("sqlite:"))


def killed_worker(st: Store, served: Service, length: float) -> None:
    end = time.monotonic() + length
    while time.monotonic() < end:
        pids = served.worker_pids()
        if pids:
            os.kill(random.choice(pids), signal.SIGKILL)
        time.sleep(2)


def read_only(st: Store, served: Service, length: float) -> None:
    path = db_path(st)
    files = [path, *(path.with_name(path.name + s) for s in ("-wal", "-shm"))]
    for file in files:
        if file.exists():
            file.chmod(0o444)
    path.parent.chmod(0o555)
    pids = served.worker_pids()  # a respawned worker opens the file read-only
    if pids:
        os.kill(pids[0], signal.SIGKILL)
    time.sleep(length)
    path.parent.chmod(0o755)
    for file in files:
        if file.exists():
            file.chmod(0o644)


def directory_deleted(st: Store, served: Service, length: float) -> None:
    shutil.rmtree(db_path(st).parent)
    time.sleep(length)


def garbage_file(st: Store, served: Service, length: float) -> None:
    path = db_path(st)
    with open(path, "wb") as handle:  # truncated in place: every open connection sees it
        handle.write(os.urandom(64 * 1024))
    time.sleep(length)


def garbage_replaced(st: Store, served: Service, length: float) -> None:
    path = db_path(st)
    garbage = path.with_name("garbage")
    garbage.write_bytes(os.urandom(64 * 1024))
    os.replace(garbage, path)  # a new file of garbage where the database was
    time.sleep(length)


def lock_held(st: Store, served: Service, length: float) -> None:
    locker = sqlite3.connect(db_path(st), isolation_level=None, timeout=5)
    locker.execute("BEGIN EXCLUSIVE")
    time.sleep(length)
    locker.execute("ROLLBACK")
    locker.close()


def dynamodb_stalled(st: Store, served: Service, length: float) -> None:
    st.fault("stall", length)
    time.sleep(length)


def dynamodb_failing_reads(st: Store, served: Service, length: float) -> None:
    length = min(length, 8.0)
    st.fault("fail_reads", length)
    time.sleep(length)


FAULTS: dict[str, tuple[str, Callable[[Store, Service, float], None]]] = {
    "killed-worker": ("sqlite", killed_worker),
    "read-only": ("sqlite", read_only),
    "directory-deleted": ("sqlite", directory_deleted),
    "garbage-file": ("sqlite", garbage_file),
    "garbage-replaced": ("sqlite", garbage_replaced),
    "lock-held-10s": ("sqlite", lock_held),
    "dynamodb-stalled-10s": ("dynamodb", dynamodb_stalled),
    "dynamodb-failing-reads-8s": ("dynamodb", dynamodb_failing_reads),
}


def run_fault(
    name: str,
    base: Path,
    seconds: float,
    users: int,
    shared: int,
    start: float = START_S,
    length: float = LENGTH_S,
    workers: int = 4,
) -> Outcome:
    backend, inject = FAULTS[name]
    with store(backend, fresh_directory(base, name)) as st:
        with service(st, workers, honour_permissions=name == "read-only") as served:

            def later() -> None:
                time.sleep(start)
                inject(st, served, length)

            injector = threading.Thread(target=later)
            injector.start()
            books = load(served.port, users, shared, seconds, name)
            injector.join()
        return settle(st, served.log_lines(), books, name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--shared", type=int, default=8)
    parser.add_argument("--only", choices=sorted(FAULTS), action="append")
    args = parser.parse_args(argv)
    print(HEADER, flush=True)
    with tempfile.TemporaryDirectory(prefix="ankle-faults-") as base:
        for name in args.only or FAULTS:
            outcome = run_fault(name, Path(base), args.seconds, args.users, args.shared)
            print(outcome.line(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
