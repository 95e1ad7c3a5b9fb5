"""Load a user's progress at the start of a turn and save it once at the end.

Storage trouble never silences the skill: a failed read answers from session state
and skips saving (so nothing unread is overwritten); a failed write keeps the change
in the session and retries it on the next turn.
"""

from __future__ import annotations

import copy
import logging
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.dispatch_components import (
    AbstractRequestInterceptor,
    AbstractResponseInterceptor,
)
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.storage.merge import apply, diff
from skill.storage.save import save_merged

log = logging.getLogger(__name__)

PROGRESS = "progress"  # request attribute: the working dict handlers change
READ = "progress_read"  # request attribute: what storage returned (None: not read)
UNSAVED = "progress_unsaved"  # session attribute: {"base": ..., "data": ...} not yet stored
STATUS = "storage_status"  # request attribute: see storage_status()


class LoadProgress(AbstractRequestInterceptor):
    def __init__(self, adapter: AbstractPersistenceAdapter | None) -> None:
        self.adapter = adapter

    def process(self, handler_input: HandlerInput) -> None:
        manager = handler_input.attributes_manager
        session = manager.session_attributes
        read, status = None, "none"
        if self.adapter is not None:
            try:
                read = copy.deepcopy(self.adapter.get_attributes(handler_input.request_envelope))
                status = "ok"
            except Exception as error:
                status = "unreadable"
                log.warning("storage read failed, answering from session state: %r", error)
        if read is None:
            data = copy.deepcopy((session.get(UNSAVED) or {}).get("data") or {})
        else:
            data = copy.deepcopy(read)
            unsaved = session.pop(UNSAVED, None)
            if unsaved:  # an earlier turn could not save: re-apply its changes now
                data = apply(data, diff(unsaved["base"], unsaved["data"]))
        manager.request_attributes[PROGRESS] = data
        manager.request_attributes[READ] = read
        manager.request_attributes[STATUS] = status


class SaveProgress(AbstractResponseInterceptor):
    def __init__(self, adapter: AbstractPersistenceAdapter | None) -> None:
        self.adapter = adapter

    def process(self, handler_input: HandlerInput, response: Response) -> None:
        manager = handler_input.attributes_manager
        data: dict[str, Any] = manager.request_attributes.get(PROGRESS, {})
        read = manager.request_attributes.get(READ)
        if read is None:  # no storage, or it could not be read: keep changes in the session
            if data or UNSAVED in manager.session_attributes:
                base = (manager.session_attributes.get(UNSAVED) or {}).get("base", {})
                manager.session_attributes[UNSAVED] = {"base": base, "data": data}
            return
        if data == read:
            return
        try:
            save_merged(self.adapter, handler_input.request_envelope, read, data)
        except Exception as error:
            log.warning("storage write failed, keeping the change for the next turn: %r", error)
            manager.session_attributes[UNSAVED] = {"base": read, "data": data}


def storage_status(handler_input: HandlerInput) -> str:
    """'ok', 'none' (no storage configured) or 'unreadable' (must not be changed this turn)."""
    return handler_input.attributes_manager.request_attributes.get(STATUS, "none")


def delete_progress(handler_input: HandlerInput) -> None:
    """Remove the user's row through the attributes manager (raises if storage fails)."""
    manager = handler_input.attributes_manager
    if storage_status(handler_input) == "ok":
        manager.delete_persistent_attributes()
    manager.request_attributes[PROGRESS] = {}
    manager.request_attributes[READ] = {}
    manager.session_attributes.pop(UNSAVED, None)
