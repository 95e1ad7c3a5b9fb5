"""The coach's words, read from skill/data/<locale>/coach.toml, with variants picked per turn."""

from __future__ import annotations

from dataclasses import dataclass, field
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
    _nodes: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """Each path's value, looked up once: shared by every turn's copy (`for_turn`); the
    paths are the coach's own (code and data files), so it stays as small as they are."""
    _picks: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    """This turn's variant per path, picked once: a response says the same call ("Up.",
    "two.") dozens of times. Lives only as long as this turn's `Phrases` (never shared
    between requests), and holds no more than the coach's own paths."""
    _said: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    """This turn's sentence per path said without values (calls, counts, prompts)."""
    scripts: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)
    """Scripts made from these words, shared by every turn's copy (see `memo.py`)."""
    _seen: list[str] | None = field(default=None, compare=False, repr=False)
    """When set (`recording`), every path whose variant is picked is added to it."""

    def raw(self, path: str) -> Any:
        try:
            return self._nodes[path]
        except KeyError:
            pass
        node: Any = self.data
        for part in path.split("."):
            node = node[part]
        self._nodes[path] = node
        return node

    def say(self, path: str, **values: Any) -> str:
        """A variant of the phrase at `path` ("flow.prompt"), stable for this turn's key."""
        if values:
            return sentence(self._pick(path).format(**values))
        said = self._said.get(path)
        if said is None:
            said = self._said[path] = sentence(self._pick(path).format())
        return said

    def fragment(self, path: str, **values: Any) -> str:
        """Like `say`, for words that go inside a sentence (not capitalised)."""
        return self._pick(path).format(**values)

    def variant(self, path: str) -> str:
        """The template at `path` this turn's key picks (before values are filled in)."""
        return self._pick(path)

    def recording(self, seen: list[str]) -> Phrases:
        """These words for the same turn, adding to `seen` each path whose variant they
        pick: what a script made with them depends on, beyond the data itself."""
        return Phrases(self.data, self.key, self._nodes, scripts=self.scripts, _seen=seen)

    def _pick(self, path: str) -> str:
        """`speech.pick` of the variants at `path` for this turn (the same choice it always
        made), computed once per path and turn."""
        if self._seen is not None:
            self._seen.append(path)
        picked = self._picks.get(path)
        if picked is None:
            picked = self._picks[path] = pick(self.raw(path), f"{path}:{self.key}")
        return picked

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
        return Phrases(self.data, key, self._nodes, scripts=self.scripts)


def load_phrases(locale: object = DEFAULT_LOCALE, name: str = "coach.toml") -> Phrases:
    """The coach's words; `name` picks another words file (commands.toml)."""
    return _load_phrases(shipped_locale(locale), name)


@cache
def _load_phrases(locale: str, name: str) -> Phrases:
    return Phrases(read_data(locale, name))
