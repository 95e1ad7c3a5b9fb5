"""Typed access to the session attributes, which hold plain JSON values only.

Nothing here imports the ASK SDK: the state is a dict that Alexa hands back on the
next turn, so it must never hold SDK objects.
"""

from __future__ import annotations

from typing import Any

OFFER = "offer"
LAST = "last"
CONFIRM = "confirm"

# Progress not yet stored: {"ops": [...], "view": {...}}, written and validated (load_ops,
# load_record) by skill/alexa/progress_interceptors.py only.
PROGRESS_PENDING = "progress_pending"


class SessionState:
    def __init__(self, attributes: dict[str, Any]) -> None:
        self.attributes = attributes

    @property
    def offer(self) -> str | None:
        return self.attributes.get(OFFER)

    @offer.setter
    def offer(self, topic_id: str | None) -> None:
        if topic_id:
            self.attributes[OFFER] = topic_id
        else:
            self.attributes.pop(OFFER, None)

    @property
    def last(self) -> dict[str, str] | None:
        return self.attributes.get(LAST)

    @last.setter
    def last(self, ssml: dict[str, str]) -> None:
        self.attributes[LAST] = ssml

    @property
    def confirm(self) -> str | None:
        """An action waiting for yes or no; it lasts one turn only (respond() clears it)."""
        return self.attributes.get(CONFIRM)

    @confirm.setter
    def confirm(self, action: str | None) -> None:
        if action:
            self.attributes[CONFIRM] = action
        else:
            self.attributes.pop(CONFIRM, None)
