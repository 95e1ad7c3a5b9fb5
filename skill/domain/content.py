"""The skill's words, loaded from the TOML files under skill/data/<locale>/.

Plain domain code: no ASK SDK import, so it can be read and tested on its own.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEFAULT_LOCALE = "en-US"
# The locales the skill ships: folders under data/ named like a locale (so never "apl" or
# ".."). Fixed at import, so a request's locale only ever selects from this set, and every
# content cache below holds at most one entry per shipped file.
SHIPPED_LOCALES = frozenset(
    path.name
    for path in DATA_DIR.iterdir()
    if path.is_dir() and re.fullmatch(r"[a-z]{2}-[A-Z]{2}", path.name)
)


def shipped_locale(requested: object) -> str:
    """The shipped locale for a request's locale; anything else (unknown, junk) is the default."""
    if isinstance(requested, str) and requested in SHIPPED_LOCALES:
        return requested
    return DEFAULT_LOCALE


def data_file(locale: object, name: str) -> Path:
    """A words file for a locale, the default locale's where that locale has none.

    Never a path built from request data: the folder is always one of SHIPPED_LOCALES.
    """
    path = DATA_DIR / shipped_locale(locale) / name
    return path if path.is_file() else DATA_DIR / DEFAULT_LOCALE / name


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
    items: tuple[str, ...] = ()
    """For an answer that lists things: the topics of "the first one", "the last one"."""


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
    return sorted(SHIPPED_LOCALES)


def _read(locale: str, name: str) -> dict:
    with open(data_file(locale, name), "rb") as handle:
        return tomllib.load(handle)


def load_content(locale: object = DEFAULT_LOCALE) -> Content:
    """Content for a locale, falling back to en-US for locales the skill does not ship."""
    return _load_content(shipped_locale(locale))


@cache
def _load_content(locale: str) -> Content:
    raw = _read(locale, "topics.toml")
    topics = {
        key: Topic(
            id=key,
            sources=tuple(value.pop("sources", ())),
            items=tuple(value.pop("items", ())),
            **value,
        )
        for key, value in raw["topics"].items()
    }
    return Content(
        locale=locale,
        topics=topics,
        prompts=_read(locale, "prompts.toml"),
        sources=raw["sources"],
        intent_defaults=raw.get("intent_defaults", {}),
    )
