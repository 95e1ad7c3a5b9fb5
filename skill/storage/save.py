"""Save without losing a concurrent update: compare-and-set, then merge and retry."""

from __future__ import annotations

import random
import time
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_model import RequestEnvelope

from skill.storage.merge import apply, diff

REV = "_rev"
MAX_ATTEMPTS = 12


def _plain(attributes: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in attributes.items() if k != REV}


def save_merged(
    adapter: AbstractPersistenceAdapter,
    envelope: RequestEnvelope,
    read: dict[str, Any],
    wanted: dict[str, Any],
) -> dict[str, Any]:
    """Store `wanted`, which this request derived from `read`; return what was stored.

    If another request saved in between, this request's own changes are applied to
    the newer attributes instead, so both updates survive.
    """
    if not hasattr(adapter, "save_if_unchanged"):
        adapter.save_attributes(envelope, wanted)
        return wanted
    changes = diff(_plain(read), _plain(wanted))
    expected, attributes = int(read.get(REV, 0)), _plain(wanted)
    for attempt in range(MAX_ATTEMPTS):
        if adapter.save_if_unchanged(envelope, attributes, expected):
            return {**attributes, REV: expected + 1}
        time.sleep(random.uniform(0, min(0.05, 0.002 * 2**attempt)))  # jitter breaks lockstep
        latest = adapter.get_attributes(envelope)
        expected, attributes = int(latest.get(REV, 0)), apply(_plain(latest), changes)
    raise PersistenceException("gave up saving after repeated concurrent updates")
