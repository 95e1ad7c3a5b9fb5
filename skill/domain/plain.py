"""Copies of plain JSON values (dicts, lists and scalars), as parsed from JSON.

`copy.deepcopy` handles any object graph (a memo of every object, shared references,
custom hooks), which values that came from JSON never need: a record read from storage,
session attributes, operations. This copies dicts and lists and keeps scalars (immutable),
at a fraction of the cost (a stored progress record: about a fifth).
"""

from __future__ import annotations

from typing import Any


def copy_plain(value: Any) -> Any:
    """A copy that shares nothing mutable with `value`; anything not a dict or list is kept
    as it is (strings, numbers, booleans, None: all immutable)."""
    kind = type(value)
    if kind is dict:
        return {key: copy_plain(item) for key, item in value.items()}
    if kind is list:
        return [copy_plain(item) for item in value]
    return value
