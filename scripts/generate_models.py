"""Write the skill package's five interaction models from one source: `make models`.

The source is interaction_models/en-US.json, edited by hand, plus the sample grammar
interaction_models/grammar.toml: lists of carriers, fillers and discourse markers that it
composes into more samples ("ok" x "done", "so" x every question...), in a fixed order, so
the same source always gives the same model. The locale differences are data in
interaction_models/locales.toml. For each locale there, this writes
skill-package/interactionModels/custom/<locale>.json: the source and the grammar's samples,
with every sample and slot synonym that says an en-US phrase also given in the locale's
words. Run it after editing any of the three; tests/test_skill_package.py fails while a
generated model is stale.

Grammar syntax (in a pattern or a list item): `(a|b)` one of, `[a|b]` one of or nothing,
`<name>` any item of the list `name`, `<@>` any sample of the intent itself (hand-written
or from its `core`), `<@hand>` any hand-written one, `<@core>` any from `core`, `{slot}` a
slot as in any sample.

    python scripts/generate_models.py           # write the models
    python scripts/generate_models.py --check   # exit 1 and name the stale ones
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "interaction_models" / "en-US.json"
GRAMMAR = ROOT / "interaction_models" / "grammar.toml"
DIFFERENCES = ROOT / "interaction_models" / "locales.toml"
OUTPUT = ROOT / "skill-package" / "interactionModels" / "custom"
COMMAND = "make models"
HESITATIONS = frozenset(("um", "uh", "er", "erm", "uhm", "hmm", "mm"))
"""Sounds speech recognition leaves out: a sample with one equals the sample without it."""
MAX_SAMPLES_PER_INTENT = 1500
"""Our own ceiling, so a grammar edit cannot balloon the model (README, "The sample grammar")."""


class GrammarError(ValueError):
    """The grammar cannot be expanded as written (a bad pattern, a clash between intents)."""


def _parse(text: str, pos: int = 0, closer: str = "") -> tuple[list[list[object]], int]:
    """Alternatives (split on `|`) of sequences of words and nested groups, up to `closer`."""
    alternatives: list[list[object]] = [[]]
    word = ""
    while pos < len(text):
        char = text[pos]
        if char in "([":
            if word:
                alternatives[-1].append(word)
                word = ""
            inner, pos = _parse(text, pos + 1, ")" if char == "(" else "]")
            alternatives[-1].append((char, inner))
            continue
        if char in ")]":
            if char != closer:
                raise GrammarError(f"unbalanced {char!r} in {text!r}")
            if word:
                alternatives[-1].append(word)
            return alternatives, pos + 1
        if char == "|":
            if word:
                alternatives[-1].append(word)
                word = ""
            alternatives.append([])
        else:
            word += char
        pos += 1
    if closer:
        raise GrammarError(f"missing {closer!r} in {text!r}")
    if word:
        alternatives[-1].append(word)
    return alternatives, pos


_BARE = re.compile(r"\{\w+\}")
_REFERENCE = re.compile(r"<(@\w*|\w+)>")


def expand(
    text: str, lists: dict[str, list[str]], own: Sequence[str] = (), hand: Sequence[str] = ()
) -> list[str]:
    """Every phrase a pattern says, in order, without repeats. `own`: the intent's samples
    (<@>); `hand`: its hand-written ones only (<@hand>)."""

    def words(chunk: str) -> list[str]:
        out = [""]
        parts = _REFERENCE.split(chunk)
        for index, piece in enumerate(parts):
            if index % 2 == 0:
                out = [o + piece for o in out]
                continue
            if piece in ("@", "@hand", "@core"):
                pool = {"@": own, "@hand": hand, "@core": [s for s in own if s not in hand]}
                # A bare "{slot}" sample behind a lead-in would take any sentence at all.
                choices = [s for s in pool[piece] if not _BARE.fullmatch(s)]
            elif piece in lists:
                choices = [e for item in lists[piece] for e in expand(item, lists)]
            else:
                raise GrammarError(f"unknown list <{piece}> in {text!r}")
            out = [o + choice for o in out for choice in choices]
        return out

    def sequence(items: list[object]) -> list[str]:
        out = [""]
        for item in items:
            if isinstance(item, str):
                choices = words(item)
            else:
                kind, alternatives = item
                choices = [c for alt in alternatives for c in sequence(alt)]
                if kind == "[":
                    choices.append("")
            out = [o + c for o in out for c in choices]
        return out

    alternatives, _ = _parse(text)
    phrases = [" ".join(p.split()) for alt in alternatives for p in sequence(alt)]
    return list(dict.fromkeys(p for p in phrases if p))


def grammar() -> dict[str, Any]:
    with open(GRAMMAR, "rb") as handle:
        return tomllib.load(handle)


def composed(source: dict[str, Any], rules: dict[str, Any]) -> dict[str, list[str]]:
    """The grammar's samples per intent, less those the source already has. A phrase that is
    already another intent's sample (hand-written, or composed earlier in the grammar) stays
    with that intent: no sample is ever under two intents."""
    language = source["interactionModel"]["languageModel"]
    lists = rules.get("lists", {})
    written = {i["name"]: i.get("samples", []) for i in language["intents"]}
    owner = {_normal(s): i for i, samples in written.items() for s in samples}
    seen = set(owner)
    result: dict[str, list[str]] = {}
    for intent, table in rules.get("intents", {}).items():
        if intent not in written:
            raise GrammarError(f"grammar intent {intent} is not in {SOURCE.name}")
        core = [p for item in table.get("core", []) for p in expand(item, lists)]
        own = [*written[intent], *core]
        found = [*core]
        for pattern in table.get("patterns", []):
            found += expand(pattern, lists, own, written[intent])
        added = result.setdefault(intent, [])
        hesitant = [p for p in found if HESITATIONS & set(_normal(p).split())]
        if hesitant:
            raise GrammarError(f"{intent}: speech recognition drops {hesitant[0]!r}'s hesitation")
        for phrase in found:
            key = _normal(phrase)
            if owner.setdefault(key, intent) == intent and key not in seen:
                added.append(phrase)
                seen.add(key)
        if len(written[intent]) + len(added) > MAX_SAMPLES_PER_INTENT:
            raise GrammarError(
                f"{intent}: {len(written[intent]) + len(added)} samples, over the "
                f"{MAX_SAMPLES_PER_INTENT} this project allows an intent"
            )
    return result


def with_grammar(source: dict[str, Any], rules: dict[str, Any]) -> dict[str, Any]:
    """The source model with the grammar's samples after each intent's own."""
    model = copy.deepcopy(source)
    extra = composed(source, rules)
    for intent in model["interactionModel"]["languageModel"]["intents"]:
        if extra.get(intent["name"]):
            intent["samples"] = [*intent.get("samples", []), *extra[intent["name"]]]
    return model


def _variants(text: str, phrases: dict[str, list[str]]) -> list[str]:
    """The text in each local wording, for every en-US phrase it says (whole words only)."""
    found = []
    for us_phrase, local_phrases in phrases.items():
        pattern = re.compile(rf"\b{re.escape(us_phrase)}\b", re.IGNORECASE)
        if pattern.search(text):
            found += [pattern.sub(local, text) for local in local_phrases]
    return found


def _normal(sample: str) -> str:
    return " ".join(sample.lower().split())


def localise(source: dict[str, Any], phrases: dict[str, list[str]]) -> dict[str, Any]:
    """The source model with local wordings added to samples and synonyms."""
    model = copy.deepcopy(source)
    language = model["interactionModel"]["languageModel"]
    taken = {_normal(s) for intent in language["intents"] for s in intent.get("samples", [])}
    for intent in language["intents"]:
        samples = intent.get("samples", [])
        for sample in list(samples):
            for variant in _variants(sample, phrases):
                if _normal(variant) not in taken:
                    samples.append(variant)
                    taken.add(_normal(variant))
    for slot_type in language.get("types", []):
        for value in slot_type.get("values", []):
            name = value["name"]
            words = [name["value"], *name.get("synonyms", [])]
            known = {_normal(word) for word in words}
            for word in words:
                for variant in _variants(word, phrases):
                    if _normal(variant) not in known:
                        name.setdefault("synonyms", []).append(variant)
                        known.add(_normal(variant))
    return model


def differences() -> dict[str, dict[str, list[str]]]:
    with open(DIFFERENCES, "rb") as handle:
        raw = tomllib.load(handle)
    return {locale: table.get("phrases", {}) for locale, table in raw.items()}


def render(model: dict[str, Any]) -> str:
    return json.dumps(model, indent=2, ensure_ascii=False) + "\n"


def expected() -> dict[Path, str]:
    """Every generated file and the text it should hold."""
    source = with_grammar(json.loads(SOURCE.read_text(encoding="utf-8")), grammar())
    return {
        OUTPUT / f"{locale}.json": render(localise(source, phrases))
        for locale, phrases in differences().items()
    }


def stale() -> list[str]:
    """Generated models that differ from what the source and the differences give."""
    problems = [
        str(path.relative_to(ROOT))
        for path, text in expected().items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    ]
    wanted = set(expected())
    problems += [
        f"{path.relative_to(ROOT)} (no locale in locales.toml)"
        for path in OUTPUT.glob("*.json")
        if path not in wanted
    ]
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale models")
    args = parser.parse_args()
    if args.check:
        problems = stale()
        for problem in problems:
            print(f"stale: {problem}: run `{COMMAND}`", file=sys.stderr)
        return 1 if problems else 0
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for path, text in expected().items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
