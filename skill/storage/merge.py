"""Merge one request's changes onto attributes another request saved meanwhile.

Both storage backends save with compare-and-set on a revision number. When the
revision moved, the request's own changes (a diff against what it read) are
re-applied to the newer attributes, so neither request's acknowledged update is lost.
"""

from __future__ import annotations

import copy
from typing import Any

DELETED = object()
Path = tuple[str, ...]


def diff(before: dict[str, Any], after: dict[str, Any], path: Path = ()) -> dict[Path, Any]:
    """Leaf changes from before to after; nested dicts are compared key by key."""
    changes: dict[Path, Any] = {}
    for key in before.keys() | after.keys():
        old, new = before.get(key, DELETED), after.get(key, DELETED)
        if old == new:
            continue
        if isinstance(old, dict) and isinstance(new, dict):
            changes.update(diff(old, new, (*path, key)))
        else:
            changes[(*path, key)] = new
    return changes


def apply(base: dict[str, Any], changes: dict[Path, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for path, value in changes.items():
        node = merged
        for key in path[:-1]:
            child = node.get(key)
            if not isinstance(child, dict):
                child = node[key] = {}
            node = child
        if value is DELETED:
            node.pop(path[-1], None)
        else:
            node[path[-1]] = copy.deepcopy(value)
    return merged
