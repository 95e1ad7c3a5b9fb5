"""The skill's words, loaded from the TOML files under skill/data/<locale>/.

Plain domain code: no ASK SDK import, so it can be read and tested on its own.
"""

from __future__ import annotations

import copy
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

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


# A locale folder other than the default holds only what differs: `words.toml` (phrases said
# differently, applied to every shared line) and, optionally, a file of the default's name
# whose keys replace the default's one by one. Citations (the top-level `sources` table of
# topics.toml) stay as published.
WORDS_FILE = "words.toml"
UNTOUCHED_TABLES = frozenset({"sources"})  # top-level tables only


def read_data(locale: object, name: str) -> dict[str, Any]:
    """The words file `name` for a request's locale: the default locale's file with the
    locale's own keys merged over it, then its word differences applied. A fresh copy each
    call (callers may change it); parsed once per shipped locale and file."""
    return copy.deepcopy(_read_data(shipped_locale(locale), name))


@cache
def _read_data(locale: str, name: str) -> dict[str, Any]:
    data = _toml(DATA_DIR / DEFAULT_LOCALE / name)
    if locale == DEFAULT_LOCALE:
        return data
    override = DATA_DIR / locale / name
    if override.is_file():
        data = _merged(data, _toml(override))
    words = DATA_DIR / locale / WORDS_FILE
    rules = _toml(words).get("replace", {}) if words.is_file() else {}
    if not rules:
        return data
    replace = _replacer(rules)
    return {
        key: value if key in UNTOUCHED_TABLES else _localised(value, replace)
        for key, value in data.items()
    }


def _toml(path: Path) -> dict[str, Any]:
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def _merged(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        both_tables = isinstance(value, dict) and isinstance(base.get(key), dict)
        merged[key] = _merged(base[key], value) if both_tables else value
    return merged


def _replacer(rules: dict[str, str]) -> Callable[[str], str]:
    """One pass over a line for all rules, longest phrase first, whole words, case kept as
    written in the rules (so "Physical therapy" needs its own rule)."""
    phrases = sorted(rules, key=len, reverse=True)
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, phrases)) + r")\b")
    return lambda text: pattern.sub(lambda match: rules[match.group(0)], text)


def _localised(value: Any, replace: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return replace(value)
    if isinstance(value, list):
        return [_localised(item, replace) for item in value]
    if isinstance(value, dict):
        return {k: _localised(v, replace) for k, v in value.items()}
    return value


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


def load_content(locale: object = DEFAULT_LOCALE) -> Content:
    """Content for a locale, falling back to en-US for locales the skill does not ship."""
    return _load_content(shipped_locale(locale))


@cache
def _load_content(locale: str) -> Content:
    raw = read_data(locale, "topics.toml")
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
        prompts=read_data(locale, "prompts.toml"),
        sources=raw["sources"],
        intent_defaults=raw.get("intent_defaults", {}),
    )
