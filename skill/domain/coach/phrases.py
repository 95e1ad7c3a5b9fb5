"""The coach's words, read from skill/data/<locale>/coach.toml, with variants picked per turn."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from skill.domain.content import DEFAULT_LOCALE, read_data, shipped_locale
from skill.domain.speech import pick


def sentence(text: str) -> str:
    """Capitalise the first letter: templates may start with a filled-in word."""
    return text[:1].upper() + text[1:] if text else text


@dataclass(frozen=True)
class Phrases:
    data: dict[str, Any]
    key: str = ""

    def raw(self, path: str) -> Any:
        node: Any = self.data
        for part in path.split("."):
            node = node[part]
        return node

    def say(self, path: str, **values: Any) -> str:
        """A variant of the phrase at `path` ("flow.prompt"), stable for this turn's key."""
        return sentence(self.fragment(path, **values))

    def fragment(self, path: str, **values: Any) -> str:
        """Like `say`, for words that go inside a sentence (not capitalised)."""
        return pick(self.raw(path), f"{path}:{self.key}").format(**values)

    def nth(self, path: str, index: int, **values: Any) -> str:
        """The variant at a position, for rotating through variants (rep calls, cues)."""
        variants = self.raw(path)
        if isinstance(variants, str):
            variants = [variants]
        return sentence(variants[index % len(variants)].format(**values))

    def count(self, number: int) -> str:
        counts = self.raw("words.counts")
        return counts[number - 1] if 1 <= number <= len(counts) else str(number)

    def for_turn(self, key: str) -> Phrases:
        return Phrases(self.data, key)


def load_phrases(locale: object = DEFAULT_LOCALE, name: str = "coach.toml") -> Phrases:
    """The coach's words; `name` picks another words file (commands.toml)."""
    return _load_phrases(shipped_locale(locale), name)


@cache
def _load_phrases(locale: str, name: str) -> Phrases:
    return Phrases(read_data(locale, name))
