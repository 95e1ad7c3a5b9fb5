"""Typed words to (intent, slots), read from the interaction model the way Alexa would.

Nobody needs the Alexa console to try the skill: this stands in for Alexa's language
understanding. It is deliberately simple and predictable, in three steps:

1. exact: the text equals a sample utterance, with slot positions filled by a slot
   value or synonym (entity resolution as Alexa sends it: ER_SUCCESS_MATCH with the
   canonical id) or by unknown words (ER_SUCCESS_NO_MATCH);
2. close: the text is near a sample (a typo, a word more or less), and says so;
3. otherwise AMAZON.FallbackIntent.

Built-in intents have no samples in the model, so their usual phrasings are data
(`data/builtin_phrases.json`), used only for the built-ins the model declares.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache
from pathlib import Path
from typing import Any

from skill.chat.simulator import Heard, Unmatched, load_model

PHRASES_FILE = Path(__file__).resolve().parent / "data" / "builtin_phrases.json"
UNDERSTANDING_FILE = PHRASES_FILE.with_name("understanding.json")
FALLBACK = "AMAZON.FallbackIntent"
SESSION_END = "SessionEndedRequest"
CLOSE_ENOUGH = 0.78
"""Lowest similarity (0..1) that still counts as a close match rather than a fallback."""
TYPO_BEATS_UNKNOWN_VALUE = 0.9
CLOSE_CANDIDATES = 600
"""Phrases compared by spelling per utterance: those sharing the most words with it."""
CLOSE_SPELLINGS = 3
"""Spellings per slot value (the value and its first synonyms) tried in close matching."""
"""A near-identical sample beats an exact sample with an unknown slot value: a typo."""

SlotValue = Heard | Unmatched | None

_SLOT = re.compile(r"^\{(\w+)\}$")
_NOT_WORD = re.compile(r"[^a-z0-9' ]+")


FILLED_PAUSES = frozenset(("um", "uh", "er", "erm", "uhm", "hmm", "mm"))
"""Hesitation sounds, which speech recognition leaves out of what it hands over."""


@cache
def _understanding_data() -> dict[str, Any]:
    with open(UNDERSTANDING_FILE, encoding="utf-8") as handle:
        return json.load(handle)


def normalize(text: str) -> str:
    """Lower case words only: what speech recognition would hand over (no hesitations, and
    contractions with their apostrophe: "im" typed is "i'm" heard)."""
    text = text.lower().replace("\u2019", "'")
    text = _NOT_WORD.sub(" ", text)
    spellings = _understanding_data()["spellings"]
    words = (spellings.get(w.strip("'"), w.strip("'")) for w in text.split())
    return " ".join(word for word in words if word and word not in FILLED_PAUSES)


@dataclass(frozen=True)
class Understanding:
    """What the user meant: an intent, each declared slot's value, and how sure we are."""

    intent: str
    slots: dict[str, SlotValue] = field(default_factory=dict)
    match: str = "exact"
    """"exact", "close" (nearest sample, shown to the user) or "fallback"."""
    sample: str = ""
    """The sample utterance (slots filled) that matched, for showing the match."""
    score: float = 1.0

    def slot_ids(self) -> dict[str, str | None]:
        """Each slot's resolved id, None when empty or unmatched (handy in tests)."""
        return {
            name: value.value_id if isinstance(value, Heard) else None
            for name, value in self.slots.items()
        }


@dataclass(frozen=True)
class _Sample:
    intent: str
    text: str
    pattern: re.Pattern[str] | None
    """None for a sample without slots: matched by its words alone."""
    slot_names: tuple[str, ...]
    literal_words: int
    order: int
    builtin: bool


@dataclass(frozen=True)
class _Phrase:
    """A sample with its slots filled by known values: a target for close matching."""

    intent: str
    text: str
    slots: tuple[tuple[str, Heard], ...]


def _compile(sample: str) -> tuple[re.Pattern[str] | None, tuple[str, ...], int]:
    parts: list[str] = []
    names: list[str] = []
    literal = 0
    for token in sample.split():
        slot = _SLOT.match(token)
        if slot:
            names.append(slot.group(1))
            parts.append(f"(?P<{slot.group(1)}>.+?)")
        else:
            words = normalize(token)
            if words:
                literal += len(words.split())
                parts.append(re.escape(words))
    if not names:
        return None, (), literal
    return re.compile(" ".join(parts)), tuple(names), literal


def _word_overlap(text: str, phrase: str) -> float:
    """Share of words in common, so the same words in another order still match."""
    words, other = set(text.split()), set(phrase.split())
    if len(words) < 3:
        return 0.0  # too few words to say anything by overlap alone
    # Scaled below 1: the same words in another order are close, never exact.
    return 0.95 * 2 * len(words & other) / (len(words) + len(other))


class Nlu:
    """The language understanding for one locale's interaction model."""

    def __init__(self, model: dict[str, Any], builtin_phrases: dict[str, list[str]]) -> None:
        self.intents: dict[str, list[dict[str, Any]]] = {
            item["name"]: item.get("slots", []) for item in model["intents"]
        }
        self.slot_types = {
            slot["name"]: slot["type"] for slots in self.intents.values() for slot in slots
        }
        self._slot_types_by_intent = {
            intent: {slot["name"]: slot["type"] for slot in slots}
            for intent, slots in self.intents.items()
        }
        self._values: dict[str, dict[str, tuple[str, ...]]] = {}
        for slot_type in model.get("types", []):
            index: dict[str, list[str]] = {}
            for value in slot_type["values"]:
                names = [value["name"]["value"], *value["name"].get("synonyms", [])]
                for name in names:
                    ids = index.setdefault(normalize(name), [])
                    if value["id"] not in ids:
                        ids.append(value["id"])
            self._values[slot_type["name"]] = {k: tuple(v) for k, v in index.items()}
        self._spoken: dict[str, dict[str, list[str]]] = {
            slot_type["name"]: {
                value["id"]: [value["name"]["value"], *value["name"].get("synonyms", [])]
                for value in slot_type["values"]
            }
            for slot_type in model.get("types", [])
        }
        # With fallbackIntentSensitivity HIGH, words the model never uses are out of domain:
        # "what's the weather like" fills no "what's the {exercise}" with "weather like".
        level = model.get("modelConfiguration", {}).get("fallbackIntentSensitivity", {})
        self._out_of_domain_check = level.get("level") == "HIGH"
        self._vocabulary = {
            word
            for slot_type in model.get("types", [])
            for value in slot_type["values"]
            for name in [value["name"]["value"], *value["name"].get("synonyms", [])]
            for word in normalize(name).split()
        }
        self._vocabulary |= {
            word
            for item in model["intents"]
            for text in item.get("samples", [])
            for word in normalize(re.sub(r"\{\w+\}", " ", text)).split()
        }
        self._function_words = frozenset(_understanding_data()["function_words"])
        self.samples: list[_Sample] = []
        self._plain: dict[str, list[_Sample]] = {}
        self._slotted: list[_Sample] = []
        for item in model["intents"]:
            for text in item.get("samples", []):
                self._add_sample(item["name"], text, builtin=False)
        for intent, phrases in builtin_phrases.items():
            if intent in self.intents or intent == SESSION_END:
                for text in phrases:
                    self._add_sample(intent, text, builtin=True)
        self._phrases = list(self._expand())
        # Close matching compares spelling with the phrases that share a word with what was
        # said (and with every short phrase, for a one-word typo): a large model stays quick.
        self._by_word: dict[str, list[int]] = {}
        for index, phrase in enumerate(self._phrases):
            for word in set(phrase.text.split()):
                self._by_word.setdefault(word, []).append(index)
        self._short = [i for i, p in enumerate(self._phrases) if len(p.text.split()) <= 3]

    def _add_sample(self, intent: str, text: str, *, builtin: bool) -> None:
        pattern, names, literal = _compile(text)
        sample = _Sample(intent, text, pattern, names, literal, len(self.samples), builtin)
        self.samples.append(sample)
        if pattern is None:
            self._plain.setdefault(normalize(text), []).append(sample)
        else:
            self._slotted.append(sample)

    def _expand(self) -> list[_Phrase]:
        phrases: list[_Phrase] = []
        for sample in self.samples:
            if not sample.slot_names:
                phrases.append(_Phrase(sample.intent, normalize(sample.text), ()))
                continue
            if len(sample.slot_names) > 1:
                # Filling several slots with every value grows too fast: one phrase, each
                # slot at its first value (exact matching still knows every synonym).
                text, filled = sample.text, []
                types = self._slot_types_by_intent[sample.intent]
                for slot_name in sample.slot_names:
                    value_id, words = next(iter(self._spoken.get(types[slot_name], {}).items()))
                    text = text.replace("{" + slot_name + "}", words[0])
                    filled.append((slot_name, Heard(value_id, words[0])))
                phrases.append(_Phrase(sample.intent, normalize(text), tuple(filled)))
                continue
            name = sample.slot_names[0]
            slot_type = self._slot_types_by_intent[sample.intent][name]
            for value_id, words in self._spoken.get(slot_type, {}).items():
                # A few spellings per value keep close matching quick on large slot types;
                # exact matching still knows every synonym.
                for spoken in words[:CLOSE_SPELLINGS]:
                    text = normalize(sample.text.replace("{" + name + "}", spoken))
                    phrases.append(_Phrase(sample.intent, text, ((name, Heard(value_id, spoken)),)))
        return phrases

    def resolve(self, slot_type: str, spoken: str) -> Heard | Unmatched:
        """Entity resolution: a value or synonym gives its id, anything else no match."""
        ids = self._values.get(slot_type, {}).get(normalize(spoken))
        return Heard(ids[0], spoken) if ids else Unmatched(spoken)

    def sample_utterances(self, intent: str) -> list[str]:
        return [s.text for s in self.samples if s.intent == intent and not s.builtin]

    def _empty_slots(self, intent: str) -> dict[str, SlotValue]:
        return {slot["name"]: None for slot in self.intents.get(intent, [])}

    def understand(self, text: str, *, strict: bool = False) -> Understanding:
        """`strict`: exact sample matches only (unlisted words in a slot position included,
        as Alexa fills custom slots), no close matching: the held-out measure's matcher."""
        words = normalize(text)
        if not words:
            return Understanding(FALLBACK, {}, "fallback", "", 0.0)
        exact, unknown_value = self._exact(words)
        if exact:
            return exact
        if strict:
            fallback = Understanding(FALLBACK, self._empty_slots(FALLBACK), "fallback", "", 0.0)
            return unknown_value or fallback
        close = self._closest(words)
        if unknown_value and (close is None or close.score < TYPO_BEATS_UNKNOWN_VALUE):
            return unknown_value
        if close and close.score >= CLOSE_ENOUGH:
            return close
        return Understanding(FALLBACK, self._empty_slots(FALLBACK), "fallback", "", 0.0)

    def _exact(self, words: str) -> tuple[Understanding | None, Understanding | None]:
        """The best exact match, else the best match with an unknown slot value."""
        best: tuple[tuple[int, int, int], Understanding] | None = None
        matches = [(s, None) for s in self._plain.get(words, ())]
        matches += [(s, m) for s in self._slotted if (m := s.pattern.fullmatch(words))]
        for sample, found in sorted(matches, key=lambda match: match[0].order):
            slots = self._empty_slots(sample.intent)
            types = self._slot_types_by_intent.get(sample.intent, {})
            for name in sample.slot_names:
                slots[name] = self.resolve(types[name], found.group(name))
            unresolved = any(isinstance(v, Unmatched) for v in slots.values())
            if unresolved and sample.literal_words == 0:
                continue  # a bare "{slot}" sample would swallow every sentence
            if unresolved and self._out_of_domain(sample, slots):
                continue
            # Plain samples first, then resolved slots, then unknown slot values; within
            # a rank, the sample with more fixed words is the more specific one.
            rank = 2 if unresolved else (1 if sample.slot_names else 0)
            key = (rank, int(sample.builtin), -sample.literal_words)
            if best is None or key < best[0]:
                best = (key, Understanding(sample.intent, slots, "exact", words, 1.0))
        if best is None:
            return None, None
        if best[0][0] == 2:
            return None, best[1]
        return best[1], None

    def _out_of_domain(self, sample: _Sample, slots: dict[str, SlotValue]) -> bool:
        """A carrier of function words only ("what's the {x}", "my {x} {y}"), no slot
        resolved, and every word heard in the slots (function words aside) one the model
        never uses: Alexa's out-of-domain model (sensitivity HIGH) takes it. A carrier with a
        word of its own ("start {exercise}") keeps its unknown value."""
        if not self._out_of_domain_check:
            return False
        carrier = normalize(re.sub(r"\{\w+\}", " ", sample.text)).split()
        if any(word not in self._function_words for word in carrier):
            return False
        if any(isinstance(value, Heard) for value in slots.values()):
            return False
        heard = " ".join(v.spoken for v in slots.values() if isinstance(v, Unmatched)).split()
        content = [word for word in heard if word not in self._function_words]
        return bool(content) and not any(word in self._vocabulary for word in content)

    def _candidates(self, words: str) -> list[_Phrase]:
        """The phrases worth comparing: the most words in common first, in model order."""
        shared: Counter[int] = Counter()
        for word in set(words.split()):
            shared.update(self._by_word.get(word, ()))
        chosen = {index for index, _ in shared.most_common(CLOSE_CANDIDATES)}
        if len(words.split()) <= 3:
            chosen.update(self._short)
        return [self._phrases[index] for index in sorted(chosen)]

    def _closest(self, words: str) -> Understanding | None:
        """The nearest filled-in sample by spelling or word overlap."""
        matcher = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(words)
        best: tuple[float, _Phrase] | None = None
        for phrase in self._candidates(words):
            score = _word_overlap(words, phrase.text)
            floor = max(score, best[0] if best else 0.0)
            matcher.set_seq1(phrase.text)
            if matcher.real_quick_ratio() > floor and matcher.quick_ratio() > floor:
                score = max(score, matcher.ratio())
            if best is None or score > best[0]:
                best = (score, phrase)
        if best is None:
            return None
        score, phrase = best
        slots = self._empty_slots(phrase.intent)
        slots.update(dict(phrase.slots))
        return Understanding(phrase.intent, slots, "close", phrase.text, round(score, 2))


@cache
def builtin_phrases() -> dict[str, list[str]]:
    with open(PHRASES_FILE, encoding="utf-8") as handle:
        data = json.load(handle)
    return {key: value for key, value in data.items() if not key.startswith("_")}


@cache
def nlu_for(locale: str = "en-US") -> Nlu:
    return Nlu(load_model(locale), builtin_phrases())


LAUNCH_VERBS = ("open", "launch", "start", "begin", "load", "run", "play", "talk to", "use")
ASK_VERBS = ("ask", "tell")
CONNECTORS = ("to", "for", "if", "whether", "that")


def split_invocation(text: str, invocation_name: str) -> tuple[bool, str]:
    """Whether the skill was named ("ask ankle coach ..."), and the words left to understand.

    "open ankle coach" is (True, ""): a launch. "ask ankle coach to X" is (True, "X"): a
    one-shot request in a new session. Anything else is (False, text) for the open session.
    """
    words = normalize(text)
    if words.startswith("alexa "):
        words = words.removeprefix("alexa ")
    name = normalize(invocation_name)
    for verb in LAUNCH_VERBS:
        if words == f"{verb} {name}":
            return True, ""
    for verb in ASK_VERBS:
        prefix = f"{verb} {name}"
        if words == prefix:
            return True, ""
        if words.startswith(prefix + " "):
            rest = words.removeprefix(prefix + " ")
            first, _, remainder = rest.partition(" ")
            return True, remainder if first in CONNECTORS and remainder else rest
    return False, words
