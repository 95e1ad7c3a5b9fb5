"""Check the skill package before it is deployed: `python scripts/check_manifest.py`.

Run by CI and by tests/test_skill_package.py; prints each problem and exits 1 if any:
- every locale of skill.json has a generated model, every model a locale in skill.json, and
  both match the locales the skill's content ships (skill/data/<locale>/);
- example phrases follow Alexa's rules: at most three, the first opens the skill by its
  invocation name, the others are "Alexa, ask <invocation name> [to] <phrase>" where the
  phrase is a sample of that locale's model (slots filled with a value or synonym);
- the icons are PNGs of 108 and 512 px, the privacy policy and terms URLs are https, the
  description carries the health disclaimer, the APL interface is declared.
"""

from __future__ import annotations

import json
import re
import struct
import sys
from pathlib import Path
from typing import Any

from skill.domain.content import SHIPPED_LOCALES

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "skill-package"
MODELS = PACKAGE / "interactionModels" / "custom"
ICON_SIZES = {"smallIconUri": 108, "largeIconUri": 512}
DISCLAIMER = "not medical advice"


def _words(text: str) -> str:
    """Lower case, punctuation out, single spaces (slot braces kept)."""
    return " ".join(re.sub(r"[^\w'{} ]", " ", text.lower()).split())


def is_a_sample(text: str, model: dict[str, Any]) -> bool:
    """Whether `text` is one of the model's samples, a slot standing for any of its type's
    values and synonyms. A sample is compiled only when its fixed words all occur in
    `text`: the generated models hold about 30,000 samples, and compiling each one took
    minutes per locale."""
    language = model["interactionModel"]["languageModel"]
    values = {
        slot_type["name"]: [
            _words(word)
            for value in slot_type["values"]
            for word in [value["name"]["value"], *value["name"].get("synonyms", [])]
        ]
        for slot_type in language.get("types", [])
    }
    for intent in language["intents"]:
        types = {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
        for sample in intent.get("samples", []):
            parts = re.split(r"({\w+})", _words(sample))
            fixed = [p.strip() for p in parts if p.strip() and not p.startswith("{")]
            if not all(word in text for word in fixed):
                continue
            regex = "".join(
                "(?:" + "|".join(map(re.escape, values.get(types.get(p[1:-1], ""), []))) + ")"
                if p.startswith("{")
                else re.escape(p)
                for p in parts
            )
            if re.fullmatch(regex, text):
                return True
    return False


def example_problems(locale: str, phrases: list[str], model: dict[str, Any]) -> list[str]:
    name = model["interactionModel"]["languageModel"]["invocationName"]
    problems = []
    if not 1 <= len(phrases) <= 3:
        problems.append(f"{locale}: {len(phrases)} example phrases (Alexa takes 1 to 3)")
    openers = {_words(f"Alexa, {verb} {name}") for verb in ("open", "launch")}
    if phrases and _words(phrases[0]) not in openers:
        problems.append(f"{locale}: the first example phrase must be 'Alexa, open {name}'")
    for phrase in phrases[1:]:
        match = re.fullmatch(rf"alexa ask {re.escape(name)} (?:to )?(.+)", _words(phrase))
        if not match:
            problems.append(f"{locale}: {phrase!r} is not 'Alexa, ask {name} ...'")
        elif not is_a_sample(match.group(1), model):
            problems.append(f"{locale}: {phrase!r} is not a sample of the {locale} model")
    return problems


def png_size(path: Path) -> tuple[int, int] | None:
    header = path.read_bytes()[:24]
    if header[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", header[16:24])


def problems() -> list[str]:
    manifest = json.loads((PACKAGE / "skill.json").read_text(encoding="utf-8"))["manifest"]
    publishing = manifest["publishingInformation"]
    manifest_locales = set(publishing["locales"])
    model_locales = {path.stem for path in MODELS.glob("*.json")}
    content_locales = set(SHIPPED_LOCALES)
    found = []
    if manifest_locales != model_locales:
        found.append(
            f"locales with a model or a manifest entry only: {manifest_locales ^ model_locales}"
        )
    if manifest_locales != content_locales:
        found.append(f"manifest and content locales differ: {manifest_locales ^ content_locales}")
    for locale, info in sorted(publishing["locales"].items()):
        if locale in model_locales:
            model = json.loads((MODELS / f"{locale}.json").read_text(encoding="utf-8"))
            found += example_problems(locale, info.get("examplePhrases", []), model)
        if DISCLAIMER not in info["description"]:
            found.append(f"{locale}: the description must say it is {DISCLAIMER}")
        for key, size in ICON_SIZES.items():
            uri = info.get(key, "")
            path = PACKAGE / uri.removeprefix("file://")
            if not uri.startswith("file://") or not path.is_file():
                found.append(f"{locale}: {key} {uri!r} is not a file in the skill package")
            elif png_size(path) != (size, size):
                found.append(f"{locale}: {key} must be a {size}x{size} PNG")
    for locale, urls in manifest["privacyAndCompliance"]["locales"].items():
        for key, url in urls.items():
            if not url.startswith("https://"):
                found.append(f"{locale}: {key} must be an https URL")
    if set(manifest["privacyAndCompliance"]["locales"]) != manifest_locales:
        found.append("privacy policy and terms URLs must be given for every locale")
    interfaces = {i["type"] for i in manifest["apis"]["custom"].get("interfaces", [])}
    if "ALEXA_PRESENTATION_APL" not in interfaces:
        found.append("the APL interface must be declared (the skill sends APL to screens)")
    return found


def main() -> int:
    found = problems()
    for problem in found:
        print(f"manifest: {problem}", file=sys.stderr)
    if not found:
        print("manifest OK: every locale has a model, every example phrase is a sample")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
