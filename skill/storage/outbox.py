"""Operations that could not be stored before their session ended, kept to replay later.

When storage is still down as a session ends, the skill has already acknowledged the
change to the user, so the operations are appended as one JSON line per user to a file
beside the database (SQLite), or, where there is no such file (DynamoDB on Lambda) or it
cannot be written, logged at ERROR as `outbox-entry {...}`. `python -m skill storage
replay` applies either form; operations carry ids, so replaying twice counts once.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_model import RequestEnvelope
from ask_sdk_model.context import Context
from ask_sdk_model.interfaces.system import SystemState
from ask_sdk_model.user import User

from skill.domain.progress_ops import Op, load_ops
from skill.storage.save import save_ops

log = logging.getLogger(__name__)

MARKER = "outbox-entry "


def envelope_for_user(user_id: str) -> RequestEnvelope:
    """The least of a request the adapters need to find a user's row."""
    return RequestEnvelope(context=Context(system=SystemState(user=User(user_id=user_id))))


class Outbox:
    def __init__(self, path: str | Path | None) -> None:
        self.path = Path(path) if path else None

    def write(self, user_id: str, ops: list[Op], reason: str) -> None:
        """Append one entry; never raises (the last resort is the ERROR line itself)."""
        entry = {"at": datetime.now(UTC).isoformat(), "user": user_id, "ops": ops}
        line = json.dumps(entry, sort_keys=True, separators=(",", ":"))
        if self.path is not None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                    os.write(fd, (line + "\n").encode())
                    os.fsync(fd)
                finally:
                    os.close(fd)
                log.error(
                    "storage outbox: %d operation(s) not stored (%s), kept in %s; "
                    "run `python -m skill storage replay`",
                    len(ops), reason, self.path,
                )  # fmt: skip
                return
            except OSError as error:
                log.error("storage outbox file %s not writable: %r", self.path, error)
        log.error("storage %s%s", MARKER, line)


def parse_entries(lines: Iterable[str]) -> Iterator[tuple[str, list[Op]] | None]:
    """(user, ops) per entry, from outbox lines or log lines; None for a malformed one."""
    for raw in lines:
        line = raw.strip()
        if MARKER in line:
            line = line.split(MARKER, 1)[1]
        elif not line.startswith("{"):
            continue
        try:
            entry: Any = json.loads(line)
        except ValueError:
            yield None
            continue
        user = entry.get("user") if isinstance(entry, dict) else None
        ops, dropped = load_ops(entry.get("ops") if isinstance(entry, dict) else None)
        if not isinstance(user, str) or not user or dropped or not ops:
            yield None
            continue
        yield user, ops


@dataclass
class ReplayResult:
    replayed: int = 0
    failed: int = 0
    malformed: int = 0
    sources: list[str] = field(default_factory=list)


def replay(
    adapter: AbstractPersistenceAdapter, sources: list[Path], outbox: Outbox
) -> ReplayResult:
    """Store every entry of `sources`; what still fails goes back to `outbox`.

    An outbox file is first renamed aside, so workers still writing start a fresh one
    and nothing is read twice; log files are read in place.
    """
    result = ReplayResult()
    for source in sources:
        path = source
        if outbox.path is not None and source.resolve() == outbox.path.resolve():
            if not source.exists():
                continue
            path = source.with_name(f"{source.name}.replaying-{int(time.time())}")
            os.replace(source, path)
        result.sources.append(str(path))
        with open(path, encoding="utf-8", errors="replace") as handle:
            for entry in parse_entries(handle):
                if entry is None:
                    result.malformed += 1
                    continue
                user, ops = entry
                try:
                    save_ops(adapter, envelope_for_user(user), ops)
                    result.replayed += 1
                except Exception as error:
                    log.warning("replay failed for one entry: %r", error)
                    outbox.write(user, ops, "replay failed")
                    result.failed += 1
        if path != source:
            path.unlink()
    return result
