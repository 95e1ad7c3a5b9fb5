"""Load a user's progress at the start of a turn and store the turn's operations at the end.

Handlers change a `Progress` view; each change is also an operation (see
`skill.domain.progress_ops`). The operations, not the view, are stored: applied to the
freshest record by compare-and-set, so overlapping turns commute. Storage trouble never
silences the skill and never loses an acknowledged change:
- a failed read answers from session state and keeps the operations pending in the
  session; nothing is ever applied to a record that was not read;
- pending operations are retried on every later turn and on SessionEndedRequest; when the
  session ends with them still unstored they go to the outbox (`skill.storage.outbox`);
- reset and delete are stored at once, and confirmed only if that worked.
Each turn's storage work is bounded by the storage budget (ANKLE_COACH_STORAGE_BUDGET_MS).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.dispatch_components import (
    AbstractRequestInterceptor,
    AbstractResponseInterceptor,
)
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response

from skill.alexa.session_state import PROGRESS_PENDING
from skill.domain import coach, progress_ops
from skill.domain.plain import copy_plain
from skill.domain.progress_ops import Op, compact, load_ops, load_record
from skill.storage.keys import user_key
from skill.storage.outbox import Outbox
from skill.storage.save import REV, plain, read_checked, save_ops

log = logging.getLogger(__name__)

PROGRESS = "progress"  # request attribute: the working view handlers read and change
OPS = "progress_ops"  # request attribute: operations to store (pending ones first)
READ = "progress_read"  # request attribute: the stored record with its _rev (None: not read)
STATUS = "storage_status"  # request attribute: see storage_status()
STARTED = "storage_started"  # request attribute: monotonic time the turn began
STORE = "progress_store"  # request attribute: the ProgressStore of this skill
PENDING = PROGRESS_PENDING  # session attribute: {"ops": [...], "view": {...}} not yet stored


@dataclass(frozen=True)
class ProgressStore:
    """Where progress goes: the adapter (None: session only), the outbox, the time budget."""

    adapter: AbstractPersistenceAdapter | None
    outbox: Outbox = field(default_factory=lambda: Outbox(None))
    budget_s: float = 1.0


SAME_PLACE = "coach"
"""The pending view's `position` when it is the session's coach state itself: the place
is not carried twice in every request (about 500 bytes, validated twice)."""


def _pending(session: dict[str, Any]) -> tuple[list[Op], dict[str, Any]]:
    """Pending operations and the view they belong to, validated; malformed parts dropped.
    A position kept as SAME_PLACE is the session's coach state, which the session check
    has already validated (or dropped, and the place with it)."""
    raw = session.get(PENDING)
    if raw is None:
        return [], {}
    if not isinstance(raw, dict):
        log.warning("pending progress in the session is malformed, dropped")
        return [], {}
    raw_view = raw.get("view")
    same_place = isinstance(raw_view, dict) and raw_view.get("position") == SAME_PLACE
    if same_place:
        raw_view = {key: value for key, value in raw_view.items() if key != "position"}
    ops, dropped_ops = load_ops(raw.get("ops"))
    view, dropped_view = load_record(raw_view)
    if dropped_ops or dropped_view:
        log.warning(
            "pending progress in the session repaired: %d operation(s), fields %s dropped",
            dropped_ops, ", ".join(dropped_view[:10]) or "none",
        )  # fmt: skip
    place = session.get(coach.STATE_KEY)
    if same_place and isinstance(place, dict):
        view["position"] = place
    return ops, view


def _pending_value(session: dict[str, Any], ops: list[Op], view: dict[str, Any]) -> dict:
    """What the session keeps of progress not yet stored (see SAME_PLACE)."""
    place = view.get("position")
    if place is not None and place == session.get(coach.STATE_KEY):
        view = {**view, "position": SAME_PLACE}
    return {"ops": ops, "view": view}


class LoadProgress(AbstractRequestInterceptor):
    def __init__(self, store: ProgressStore) -> None:
        self.store = store
        self.adapter = store.adapter

    def process(self, handler_input: HandlerInput) -> None:
        manager = handler_input.attributes_manager
        started = time.monotonic()
        pending, view = _pending(manager.session_attributes)
        read, status = None, "none"
        if self.adapter is not None:
            try:
                read, dropped = read_checked(self.adapter, handler_input.request_envelope)
                status = "ok"
                if dropped:  # store the repaired record this turn, not just read it so
                    pending = [*pending, progress_ops.repair()]
            except Exception as error:
                status = "unreadable"
                log.warning("storage read failed, answering from session state: %r", error)
        if read is not None:  # pending operations apply to the fresh record, never to {}
            view = progress_ops.apply_ops(copy_plain(plain(read)), pending)
        manager.request_attributes.update(
            {
                PROGRESS: view,
                OPS: pending,
                READ: read,
                STATUS: status,
                STARTED: started,
                STORE: self.store,
            }
        )


class SaveProgress(AbstractResponseInterceptor):
    def __init__(self, store: ProgressStore) -> None:
        self.adapter, self.outbox, self.budget_s = store.adapter, store.outbox, store.budget_s

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        manager = handler_input.attributes_manager
        session, attributes = manager.session_attributes, manager.request_attributes
        view: dict[str, Any] = attributes.get(PROGRESS, {})
        ops = compact(attributes.get(OPS, []))
        session.pop(PENDING, None)
        if self.adapter is None:  # no storage: the session remembers, within the session
            if view:
                session[PENDING] = _pending_value(session, [], view)
            return
        if not ops:
            return
        read = attributes.get(READ)
        if read is not None:
            deadline = attributes.get(STARTED, time.monotonic()) + self.budget_s
            try:
                # The read record's last use this turn: the operations go onto it in place.
                attributes[READ] = None
                save_ops(
                    self.adapter, handler_input.request_envelope, ops, read, deadline, owned=True
                )
                return
            except Exception as error:
                log.warning("storage write failed, keeping the change for later: %r", error)
        if _session_ends(handler_input, response):
            try:
                user = user_key(handler_input.request_envelope)
            except Exception:
                log.error("progress not stored and no user id to keep it for: %d op(s)", len(ops))
                return
            self.outbox.write(user, ops, "storage unavailable as the session ended")
        else:
            session[PENDING] = _pending_value(session, ops, view)


def _session_ends(handler_input: HandlerInput, response: Response | None) -> bool:
    """No later turn will bring the session attributes back."""
    if is_request_type("SessionEndedRequest")(handler_input):
        return True
    session = handler_input.request_envelope.session
    return session is None or response is None or bool(response.should_end_session)


def storage_status(handler_input: HandlerInput) -> str:
    """'ok', 'none' (no storage configured) or 'unreadable' (could not be read this turn)."""
    return handler_input.attributes_manager.request_attributes.get(STATUS, "none")


def reset_progress(handler_input: HandlerInput) -> bool:
    """Reset, stored this very turn; False (nothing changed) if storage cannot."""
    return _store_now(handler_input, progress_ops.reset())


def delete_progress(handler_input: HandlerInput) -> bool:
    """Delete the user's record this very turn; False (nothing changed) if storage cannot."""
    return _store_now(handler_input, progress_ops.delete())


def _store_now(handler_input: HandlerInput, op: Op) -> bool:
    """Store `op` (after any pending operations) now: for what the user must hear only once
    it is true. On failure `op` is dropped; the pending operations stay pending."""
    attributes = handler_input.attributes_manager.request_attributes
    ops: list[Op] = attributes.setdefault(OPS, [])
    view: dict[str, Any] = attributes.setdefault(PROGRESS, {})
    store: ProgressStore | None = attributes.get(STORE)
    status = storage_status(handler_input)
    if status == "unreadable":
        return False
    if status == "ok" and store is not None and store.adapter is not None:
        deadline = attributes.get(STARTED, time.monotonic()) + store.budget_s
        try:
            stored = save_ops(
                store.adapter, handler_input.request_envelope, compact([*ops, op]),
                attributes.get(READ), deadline,
            )  # fmt: skip
        except Exception as error:
            log.warning("storage write failed, %s not done: %r", op["op"], error)
            return False
        attributes[READ] = {**stored, REV: stored.get(REV, 0)}
        del ops[:]
        view.clear()
        view.update(plain(stored))
        return True
    progress_ops.apply_op(view, op)  # no storage configured: only the session view changes
    return True
