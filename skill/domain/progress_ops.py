"""Changes to a progress record as operations, and the validating loaders for both.

A turn never stores its copy of the record: it stores what it did (a finished session,
a field set, a reset, a delete), applied to the freshest record at save time. So
overlapping turns commute, and a turn whose read failed never diffs against nothing.

Sessions, resets and deletes carry an id and are applied once per record (the last
`APPLIED_LIMIT` ids are kept), so a retry after an ambiguous failure or a replay from
the outbox never counts twice. Setting a field is idempotent by nature.

Everything read back (a stored record, pending operations from the session or the
outbox) goes through `load_record` / `load_ops`: a malformed part is dropped and named,
the rest kept, so a bad value is repaired field by field and never crashes a turn.
"""

from __future__ import annotations

import json
import math
import os
import re
from datetime import date, timedelta
from typing import Any

SCHEMA = 1
RECENT_LIMIT = 14
APPLIED_LIMIT = 64
PENDING_LIMIT = 200
SET_FIELDS = ("disclaimer_heard", "position", "tempo", "levels")
MAX_LEVEL = 20
"""Progression steps are a handful per exercise; anything larger is not ours."""
TEMPO_RANGE = (0.5, 2.0)
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_ID = re.compile(r"^[0-9a-f]{8,40}$")
_IDS = re.compile(r"(?:[0-9a-f]{8,40}\n)*")
_META = ("schema", "applied")

Op = dict[str, Any]
Record = dict[str, Any]


def new_id() -> str:
    """128 random bits as 32 hex digits (what `uuid.uuid4().hex` gave, without importing
    `uuid`, which pulls in `platform` at every cold start)."""
    return os.urandom(16).hex()


def set_field(field: str, value: Any) -> Op:
    """Set (or, with None, remove) one of SET_FIELDS; the last one applied wins."""
    return {"op": "set", "field": field, "value": value}


def session(exercise: str, day: date) -> Op:
    return {"op": "session", "id": new_id(), "exercise": exercise, "date": day.isoformat()}


def reset() -> Op:
    return {"op": "reset", "id": new_id()}


def delete() -> Op:
    return {"op": "delete", "id": new_id()}


def repair() -> Op:
    """Changes nothing itself; makes the turn store the record, whose malformed parts the
    loader dropped, so the repair is written and not found again on every read."""
    return {"op": "repair"}


def is_empty(record: Record) -> bool:
    """Nothing about the user is left (only bookkeeping): the row can go."""
    return not any(key not in _META for key in record)


def apply_op(record: Record, op: Op) -> bool:
    """Apply one operation in place; False when it was already applied to this record."""
    op_id = op.get("id")
    if op_id and op_id in record.get("applied", ()):
        return False
    kind = op["op"]
    if kind == "set":
        if op["value"] is None:
            record.pop(op["field"], None)
        else:
            record[op["field"]] = op["value"]
    elif kind == "session":
        _add_session(record, op)
    elif kind == "reset":
        heard = bool(record.get("disclaimer_heard"))
        applied = record.get("applied", [])
        record.clear()
        record.update({"schema": SCHEMA, "disclaimer_heard": heard, "applied": applied})
    elif kind == "delete":
        record.clear()
    if op_id and kind != "delete":
        record["applied"] = [*record.get("applied", []), op_id][-APPLIED_LIMIT:]
    record.setdefault("schema", SCHEMA)
    return True


def apply_ops(record: Record, ops: list[Op]) -> Record:
    for op in ops:
        apply_op(record, op)
    return record


def _add_session(record: Record, op: Op) -> None:
    exercise, day = op["exercise"], date.fromisoformat(op["date"])
    completed = record.setdefault("completed", {})
    completed[exercise] = completed.get(exercise, 0) + 1
    entry = {"date": op["date"], "exercise": exercise, "id": op["id"]}
    recent = sorted([*record.get("recent", []), entry], key=lambda item: item["date"])
    record["recent"] = recent[-RECENT_LIMIT:]
    streak = record.get("streak") or {}
    last = date.fromisoformat(streak["last"]) if streak.get("last") else None
    if last is not None and day <= last:  # same day, or a late replay of an older one
        return
    days = streak.get("days", 0) + 1 if last == day - timedelta(days=1) else 1
    record["streak"] = {"days": days, "last": day.isoformat()}


def compact(ops: list[Op]) -> list[Op]:
    """Drop a set superseded by a later set of the same field (nothing destructive between),
    and keep at most PENDING_LIMIT, oldest sets first to go."""
    kept: list[Op] = []
    later: set[str] = set()
    for op in reversed(ops):
        if op["op"] == "repair" and any(o["op"] == "repair" for o in kept):
            continue
        if op["op"] in ("reset", "delete"):
            later = set()
        elif op["op"] == "set":
            if op["field"] in later:
                continue
            later.add(op["field"])
        kept.append(op)
    kept.reverse()
    while len(kept) > PENDING_LIMIT:
        index = next((i for i, op in enumerate(kept) if op["op"] == "set"), 0)
        kept.pop(index)
    return kept


# --- validating loaders -------------------------------------------------------------


def _is_day(value: Any) -> bool:
    try:
        return isinstance(value, str) and date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


def _is_count(value: Any, low: int = 0) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value < 10**9


def _valid_value(field: str, value: Any) -> bool:
    if field == "disclaimer_heard":
        return isinstance(value, bool)
    if field == "tempo":
        return (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and math.isfinite(value)
            and TEMPO_RANGE[0] <= value <= TEMPO_RANGE[1]
        )
    if field == "levels":
        return (
            isinstance(value, dict)
            and 0 < len(value) <= 40
            and all(
                isinstance(k, str) and _NAME.match(k) and _is_count(v, 1) and v <= MAX_LEVEL
                for k, v in value.items()
            )
        )
    if field == "position":
        return isinstance(value, dict) and _plain_json_size(value) < 16000
    return False


def _plain_json_size(value: Any) -> int:
    """Its size as strict JSON (no NaN or infinity, which DynamoDB refuses); huge if not."""
    try:
        return len(json.dumps(value, allow_nan=False))
    except (TypeError, ValueError):
        return 10**9


def _valid_entry(entry: Any) -> bool:
    return (
        isinstance(entry, dict)
        and _is_day(entry.get("date"))
        and isinstance(entry.get("exercise"), str)
        and bool(_NAME.match(entry["exercise"]))
        and (entry.get("id") is None or (isinstance(entry["id"], str) and _ID.match(entry["id"])))
        and set(entry) <= {"date", "exercise", "id"}
    )


def load_record(raw: Any) -> tuple[Record, list[str]]:
    """A clean record from whatever was stored, and the names of the parts dropped."""
    if not isinstance(raw, dict):
        return {}, ["record"] if raw not in (None, {}) else []
    record: Record = {}
    dropped: list[str] = []
    for key, value in raw.items():
        if key == "schema":
            if _is_count(value, 1):
                record[key] = value
            else:
                dropped.append(key)
        elif key in SET_FIELDS:
            if _valid_value(key, value):
                record[key] = value
            else:
                dropped.append(key)
        elif key == "completed" and isinstance(value, dict):
            good = {k: v for k, v in value.items() if _NAME.match(str(k)) and _is_count(v)}
            dropped += [f"completed.{k}" for k in value if k not in good]
            if good:
                record[key] = good
        elif key == "recent" and isinstance(value, list):
            good_entries = [entry for entry in value if _valid_entry(entry)]
            if len(good_entries) != len(value):
                dropped.append("recent[]")
            if good_entries:
                record[key] = good_entries[-RECENT_LIMIT:]
        elif key == "streak" and isinstance(value, dict):
            if _is_count(value.get("days"), 1) and _is_day(value.get("last")) and len(value) == 2:
                record[key] = {"days": value["days"], "last": value["last"]}
            else:
                dropped.append(key)
        elif key == "applied" and isinstance(value, list):
            good_ids = _good_ids(value)
            if len(good_ids) != len(value):
                dropped.append("applied[]")
            record[key] = good_ids[-APPLIED_LIMIT:]
        else:
            dropped.append(str(key)[:40])
    return record, dropped


def _good_ids(ids: list[Any]) -> list[str]:
    """The well-formed operation ids; read on every turn, so the usual case (all 64 fine)
    is one regular-expression match over them joined, not one per id (an id holding the
    separator itself goes the long way, so the answer is always the per-id one)."""
    if all(type(i) is str for i in ids):
        joined = "\n".join([*ids, ""])
        if joined.count("\n") == len(ids) and _IDS.fullmatch(joined):
            return list(ids)
    return [i for i in ids if isinstance(i, str) and _ID.match(i)]


def _valid_op(op: Any) -> bool:
    if not isinstance(op, dict):
        return False
    kind = op.get("op")
    has_id = isinstance(op.get("id"), str) and bool(_ID.match(op["id"]))
    if kind == "set":
        return (
            set(op) == {"op", "field", "value"}
            and op["field"] in SET_FIELDS
            and (op["value"] is None or _valid_value(op["field"], op["value"]))
        )
    if kind == "session":
        return (
            set(op) == {"op", "id", "exercise", "date"}
            and has_id
            and isinstance(op["exercise"], str)
            and bool(_NAME.match(op["exercise"]))
            and _is_day(op["date"])
        )
    if kind in ("reset", "delete"):
        return set(op) == {"op", "id"} and has_id
    return kind == "repair" and set(op) == {"op"}


def load_ops(raw: Any) -> tuple[list[Op], int]:
    """The well-formed operations of a pending list, and how many were dropped."""
    if raw is None:
        return [], 0
    if not isinstance(raw, list):
        return [], 1
    good = [op for op in raw if _valid_op(op)]
    return good[-PENDING_LIMIT:], len(raw) - len(good)
