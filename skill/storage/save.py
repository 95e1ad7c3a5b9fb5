"""Store a turn's operations on the freshest record: compare-and-set, re-apply, retry.

Each attempt applies the operations to the record as last read and writes it only if
nobody saved in between (a revision number). When someone did, the record is read
again and the same operations applied to it, so overlapping turns both count. Reads are
validated (`load_record`), so a malformed stored record is repaired by the next save.
A deadline bounds the whole loop: past it the operations stay pending for later.
"""

from __future__ import annotations

import logging
import time

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_model import RequestEnvelope

from skill.domain.plain import copy_plain
from skill.domain.progress_ops import Op, Record, apply_ops, is_empty, load_record

log = logging.getLogger(__name__)

REV = "_rev"


class StorageTimeout(PersistenceException):
    """The turn's storage budget ran out before the operations were stored."""


def read_record(adapter: AbstractPersistenceAdapter, envelope: RequestEnvelope) -> Record:
    """The stored record, validated; `_rev` kept (0 when there is none)."""
    return read_checked(adapter, envelope)[0]


def read_checked(
    adapter: AbstractPersistenceAdapter, envelope: RequestEnvelope
) -> tuple[Record, list[str]]:
    """The stored record, validated, and the names of the malformed parts it dropped."""
    raw = adapter.get_attributes(envelope)
    rev = raw.pop(REV, 0) if isinstance(raw, dict) else 0
    record, dropped = load_record(raw)
    if dropped:
        log.warning("stored progress repaired, dropped: %s", ", ".join(dropped[:10]))
    record[REV] = rev if isinstance(rev, int) else 0
    return record, dropped


def first_rev() -> int:
    """A new record's revision starts at random, never at 1: a turn that read a record
    which was then deleted and created again must not find its old revision there."""
    import random  # only once storage is used: not on every cold start

    return random.randrange(1, 2**48)


def plain(record: Record) -> Record:
    return {k: v for k, v in record.items() if k != REV}


def save_ops(
    adapter: AbstractPersistenceAdapter,
    envelope: RequestEnvelope,
    ops: list[Op],
    latest: Record | None = None,
    deadline: float | None = None,
    *,
    owned: bool = False,
) -> Record:
    """Apply `ops` to the stored record and store it; return what was stored.

    `latest` is a record this turn already read (with `_rev`), saving one read; `owned`
    says the caller gives it up (its last use this turn), so the operations are applied
    to it in place instead of to a copy. Raises PersistenceException when storage fails,
    StorageTimeout past `deadline`.
    """
    if not ops:
        return latest if latest is not None else read_record(adapter, envelope)
    attempt = 0
    while True:
        if latest is None:
            latest, owned = read_record(adapter, envelope), True  # read here: nobody else's
        expected = int(latest.get(REV, 0))
        result = apply_ops(plain(latest) if owned else copy_plain(plain(latest)), ops)
        if is_empty(result) and any(op["op"] == "delete" for op in ops):
            adapter.delete_attributes(envelope)
            return {}
        if not hasattr(adapter, "save_if_unchanged"):
            adapter.save_attributes(envelope, result)
            return result
        new_rev = expected + 1 if expected else first_rev()
        if adapter.save_if_unchanged(envelope, result, expected, new_rev):
            return {**result, REV: new_rev}
        attempt += 1
        if deadline is not None and time.monotonic() >= deadline:
            raise StorageTimeout(f"gave up after {attempt} concurrent updates")
        time.sleep(_jitter(min(0.05, 0.002 * 2**attempt)))  # jitter breaks lockstep
        latest = None


def _jitter(most: float) -> float:
    import random

    return random.uniform(0, most)
