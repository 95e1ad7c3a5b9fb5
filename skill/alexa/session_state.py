"""Typed access to the session attributes, which hold plain JSON values only.

Nothing here imports the ASK SDK: the state is a dict that Alexa hands back on the
next turn, so it must never hold SDK objects.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass
from typing import Any

from skill.domain.speech import Pause, Segment

OFFER = "offer"
LAST = "last"
CONFIRM = "confirm"
MISSES = "misses"
"""Fallbacks in a row (any other reply resets it): a small count."""
CHOICES = "choices"
"""The topics the last list named, for "the second one": a short list of topic ids."""
ANSWERED = "answered_mid_exercise"
"""The last reply mid-exercise was an answer, so "repeat" repeats it: a flag."""
MAX_MISSES_KEPT = 10
MAX_CHOICES = 10

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
    def last(self) -> tuple[tuple[Segment, ...], tuple[Segment, ...]] | None:
        """The last remembered reply as (speech, reprompt) segments, if it is valid."""
        return load_last(self.attributes.get(LAST))

    @property
    def last_topic(self) -> TopicSource | None:
        """The last reply, if it was a topic's answer kept as what produced it."""
        return load_topic_source(self.attributes.get(LAST))

    def remember(self, speech: Iterable[Segment], reprompt: Iterable[Segment]) -> None:
        self.attributes[LAST] = last_to_store(speech, reprompt)

    def remember_topic(self, source: TopicSource) -> None:
        """Keep what produced a topic's answer (about 100 bytes), not its words (300 to 900):
        `repeat` builds the same reply again from the content."""
        self.attributes[LAST] = {
            "topic": source.topic,
            "key": source.key,
            "disclaimer": source.disclaimer,
        }

    def forget(self) -> None:
        """No reply to repeat here: while an exercise is under way `repeat` goes to the
        coach, which coaches the set again from its state, so no copy of the speech (up to
        7.5 KB) rides along in every request."""
        self.attributes.pop(LAST, None)

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


@dataclass(frozen=True)
class TopicSource:
    """What produced a topic's answer in an open session: the topic, the turn key its
    wording variants were picked by, and whether the disclaimer was said with it."""

    topic: str
    key: str
    disclaimer: bool


# --- Validating loaders (issue 13). Session attributes come back from the client, so each
# is checked before use; a malformed one is dropped (the caller logs it), never trusted.

MAX_OFFER_CHARS = 100
MAX_LAST_SEGMENTS = 1000
MAX_LAST_CHARS = 8000
MAX_PAUSE_SECONDS = 90.0
CONFIRM_ACTIONS = ("reset", "delete")


def valid_offer(value: Any, known: Callable[[str], bool]) -> bool:
    """An offer is a short string the skill itself could have made (`known` says which)."""
    return isinstance(value, str) and 0 < len(value) <= MAX_OFFER_CHARS and known(value)


def valid_confirm(value: Any) -> bool:
    return value in CONFIRM_ACTIONS


def last_to_store(speech: Iterable[Segment], reprompt: Iterable[Segment]) -> dict[str, list]:
    """What `repeat` keeps: words as plain text and pauses as seconds, never SSML."""
    return {"speech": _segments_out(speech), "reprompt": _segments_out(reprompt)}


def _segments_out(segments: Iterable[Segment]) -> list[str | float]:
    """Words as text; pauses and sound cues as seconds (a repeated cue is a silence of its
    length, so what is stored stays plain data with no audio source to check)."""
    return [s if isinstance(s, str) else s.seconds for s in segments if s != ""]


def load_last(value: Any) -> tuple[tuple[Segment, ...], tuple[Segment, ...]] | None:
    """The stored reply as (speech, reprompt) segments, or None if it is not one we wrote."""
    if not isinstance(value, dict) or set(value) != {"speech", "reprompt"}:
        return None
    speech, reprompt = _segments_in(value["speech"]), _segments_in(value["reprompt"])
    if speech is None or reprompt is None or not any(isinstance(s, str) for s in speech):
        return None
    return speech, reprompt


def _segments_in(value: Any) -> tuple[Segment, ...] | None:
    if not isinstance(value, list) or len(value) > MAX_LAST_SEGMENTS:
        return None
    segments: list[Segment] = []
    chars = 0
    for item in value:
        if isinstance(item, str):
            chars += len(item)
            segments.append(item)
        elif isinstance(item, int | float) and not isinstance(item, bool):
            if not (math.isfinite(item) and 0 <= item <= MAX_PAUSE_SECONDS):
                return None
            segments.append(Pause(float(item)))
        else:
            return None
    return tuple(segments) if chars <= MAX_LAST_CHARS else None


MAX_KEY_CHARS = 200


def load_topic_source(value: Any) -> TopicSource | None:
    """The stored source of a topic's answer, or None if it is not one we wrote (whether
    the topic exists is the caller's check: it depends on the locale's content)."""
    if not isinstance(value, dict) or set(value) != {"topic", "key", "disclaimer"}:
        return None
    topic, key, disclaimer = value["topic"], value["key"], value["disclaimer"]
    if not (isinstance(topic, str) and 0 < len(topic) <= MAX_OFFER_CHARS):
        return None
    if not (isinstance(key, str) and len(key) <= MAX_KEY_CHARS and isinstance(disclaimer, bool)):
        return None
    return TopicSource(topic, key, disclaimer)


def valid_last(value: Any, topics: Container[str]) -> bool:
    """Either form of the last reply: its words, or the source of a known topic's answer."""
    source = load_topic_source(value)
    return source.topic in topics if source is not None else load_last(value) is not None


def valid_misses(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_MISSES_KEPT


def valid_choices(value: Any, topics: Container[str]) -> bool:
    return (
        isinstance(value, list)
        and len(value) <= MAX_CHOICES
        and all(isinstance(item, str) and item in topics for item in value)
    )


def valid_answered(value: Any) -> bool:
    return value is True
