"""Write the skill package's five interaction models from one source: `make models`.

The source is interaction_models/en-US.json, edited by hand; the locale differences are
data in interaction_models/locales.toml. For each locale there, this writes
skill-package/interactionModels/custom/<locale>.json: the source with every sample and slot
synonym that says an en-US phrase also given in the locale's words. Run it after editing
either file; tests/test_skill_package.py fails while a generated model is stale.

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
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "interaction_models" / "en-US.json"
DIFFERENCES = ROOT / "interaction_models" / "locales.toml"
OUTPUT = ROOT / "skill-package" / "interactionModels" / "custom"
COMMAND = "make models"


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
    source = json.loads(SOURCE.read_text(encoding="utf-8"))
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
