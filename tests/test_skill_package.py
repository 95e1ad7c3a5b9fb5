"""The skill package: generated models up to date, and a manifest that agrees with them."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = importlib.util.spec_from_file_location(
    "generate_models", ROOT / "scripts/generate_models.py"
)
generate_models = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(generate_models)


def test_generated_models_are_up_to_date():
    stale = generate_models.stale()
    assert not stale, f"stale skill-package models {stale}: run `{generate_models.COMMAND}`"


def test_en_us_model_is_the_source_unchanged():
    source = generate_models.SOURCE.read_text(encoding="utf-8")
    generated = (generate_models.OUTPUT / "en-US.json").read_text(encoding="utf-8")
    import json

    assert json.loads(source) == json.loads(generated)
