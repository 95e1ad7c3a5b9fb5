"""The skill's words, loaded from the TOML files under skill/data/<locale>/.

Plain domain code: no ASK SDK import, so it can be read and tested on its own.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEFAULT_LOCALE = "en-US"


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    intent: str
    answer: str
    offer: str
    next: str
    sources: tuple[str, ...]
    slot: str | None = None
    value: str | None = None


@dataclass(frozen=True)
class Content:
    locale: str
    topics: dict[str, Topic]
    prompts: dict[str, str | list[str]]
    sources: dict[str, str]
    intent_defaults: dict[str, str]

    def prompt(self, key: str) -> str | list[str]:
        return self.prompts[key]

    def topic_intents(self) -> dict[str, str | None]:
        """Intent name -> the slot it reads (None when the intent has no slot)."""
        slots: dict[str, str | None] = {}
        for topic in self.topics.values():
            slots[topic.intent] = slots.get(topic.intent) or topic.slot
        return slots

    def topic_for(self, intent: str, value: str | None = None) -> Topic | None:
        """The topic for an intent and resolved slot id; falls back to the intent's overview."""
        overview = None
        for topic in self.topics.values():
            if topic.intent != intent:
                continue
            if value is not None and topic.value == value:
                return topic
            if topic.value is None:
                overview = topic
        if overview is None and intent in self.intent_defaults:
            return self.topics[self.intent_defaults[intent]]
        return overview


def available_locales() -> list[str]:
    return sorted(p.name for p in DATA_DIR.iterdir() if p.is_dir())


def _read(locale: str, name: str) -> dict:
    with open(DATA_DIR / locale / name, "rb") as handle:
        return tomllib.load(handle)


@cache
def load_content(locale: str = DEFAULT_LOCALE) -> Content:
    """Content for a locale, falling back to en-US for locales without their own files."""
    if not (DATA_DIR / locale).is_dir():
        locale = DEFAULT_LOCALE
    raw = _read(locale, "topics.toml")
    topics = {
        key: Topic(id=key, sources=tuple(value.pop("sources", ())), **value)
        for key, value in raw["topics"].items()
    }
    return Content(
        locale=locale,
        topics=topics,
        prompts=_read(locale, "prompts.toml"),
        sources=raw["sources"],
        intent_defaults=raw.get("intent_defaults", {}),
    )
